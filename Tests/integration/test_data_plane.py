"""End-to-end tests of the data plane (issue 2) against the real binary on
both I/O backends, with the `websockets` library as an independent client."""
import ctypes
import os
import platform
import re
import select
import signal
import socket
import struct
import time

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from conftest import BACKENDS, raw_request, upgrade_request


@pytest.mark.parametrize("backend", BACKENDS)
def test_echo_text_binary_fragmented_and_large(hub_factory, backend):
    hub = hub_factory("--echo", "--io", backend)
    assert f"io={backend}" in hub.log
    with connect(hub.url(), max_size=None) as ws:
        ws.send("héllo ✓")
        assert ws.recv() == "héllo ✓"
        ws.send(b"\x00\x01\xff")
        assert ws.recv() == b"\x00\x01\xff"
        ws.send(["frag", "mented", " ✓"])  # a fragmented text message
        assert ws.recv() == "fragmented ✓"
        big = os.urandom(3 * 1024 * 1024)  # spans many receive buffers and short sends
        ws.send(big)
        assert ws.recv() == big
        pong = ws.ping(b"p")
        assert pong.wait(5)
    # Many clients at once, spread over both loops.
    clients = [connect(hub.url()) for _ in range(50)]
    for i, c in enumerate(clients):
        c.send(f"m{i}")
    for i, c in enumerate(clients):
        assert c.recv() == f"m{i}"
        c.close()


@pytest.mark.parametrize("backend", BACKENDS)
def test_handshake_errors_and_routes(hub_factory, backend):
    hub = hub_factory("--echo", "--io", backend, "--allowed-origin", "https://app.example")
    ok = raw_request(hub.port, upgrade_request(extra="Origin: https://app.example\r\n"), timeout=1, read_all=False)
    assert ok.startswith(b"HTTP/1.1 101 ")
    assert b"s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" in ok

    wrong_version = raw_request(hub.port, upgrade_request(version="12", extra="Origin: https://app.example\r\n"))
    assert wrong_version.startswith(b"HTTP/1.1 426 ")
    assert b"sec-websocket-version: 13" in wrong_version.lower()

    bad_key = raw_request(hub.port, upgrade_request(key="short", extra="Origin: https://app.example\r\n"))
    assert bad_key.startswith(b"HTTP/1.1 400 ")
    assert b'"error"' in bad_key

    bad_origin = raw_request(hub.port, upgrade_request(extra="Origin: https://evil.example\r\n"))
    assert bad_origin.startswith(b"HTTP/1.1 403 ")

    missing = raw_request(hub.port, b"GET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert missing.startswith(b"HTTP/1.1 404 ")

    health = raw_request(hub.port, b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert health.startswith(b"HTTP/1.1 200 ") and health.endswith(b'{"status":"ok"}')

    # Keep-alive: two requests on one connection, pipelined.
    two = raw_request(hub.port, b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert two.count(b"HTTP/1.1 200 ") == 2

    garbage = raw_request(hub.port, b"\x16\x03\x01\x02\x00 not http\r\n\r\n")
    assert garbage.startswith(b"HTTP/1.1 400 ")

    huge_header = raw_request(hub.port, b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 20000 + b"\r\n\r\n")
    assert huge_header.startswith(b"HTTP/1.1 431 ")

    too_big_body = raw_request(hub.port, b"POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\n")
    assert too_big_body.startswith(b"HTTP/1.1 413 ")


@pytest.mark.parametrize("backend", BACKENDS)
def test_slowloris_is_cut_off(hub_factory, backend):
    hub = hub_factory("--echo", "--io", backend, "--handshake-timeout", "500ms")
    start = time.time()
    with socket.create_connection(("127.0.0.1", hub.port), timeout=5) as s:
        s.sendall(b"GET /echo HTTP/1.1\r\nHost: x\r\n")
        for _ in range(20):  # trickle a header byte every 100 ms
            try:
                s.sendall(b"X")
            except OSError:
                break
            time.sleep(0.1)
        data = s.recv(4096)
    assert data.startswith(b"HTTP/1.1 408 ")
    assert time.time() - start < 3


@pytest.mark.parametrize("backend", BACKENDS)
def test_connection_limit(hub_factory, backend):
    hub = hub_factory("--echo", "--io", backend, "--max-connections", "3")
    held = [connect(hub.url()) for _ in range(3)]
    # Over the limit the server answers at once, without waiting for the request.
    refused = raw_request(hub.port, upgrade_request())
    assert refused.startswith(b"HTTP/1.1 503 "), refused
    assert b"too_many_connections" in refused
    held[0].close()
    time.sleep(0.2)
    again = connect(hub.url())  # a place was freed
    again.send("x")
    assert again.recv() == "x"
    again.close()
    for c in held[1:]:
        c.close()


@pytest.mark.parametrize("backend", BACKENDS)
def test_connection_limit_per_address(hub_factory, backend):
    hub = hub_factory("--echo", "--io", backend, "--max-connections-per-ip", "2")
    held = [connect(hub.url()) for _ in range(2)]
    refused = raw_request(hub.port, upgrade_request())
    assert refused.startswith(b"HTTP/1.1 429 "), refused
    assert b"too_many_connections_from_address" in refused
    # Another address is not affected (127.0.0.2 is loopback too).
    with socket.create_connection(("127.0.0.1", hub.port), source_address=("127.0.0.2", 0), timeout=5) as other:
        other.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        assert other.recv(4096).startswith(b"HTTP/1.1 200 ")
    held[0].close()
    time.sleep(0.2)
    again = connect(hub.url())  # its slot was released
    again.send("x")
    assert again.recv() == "x"
    again.close()
    held[1].close()


@pytest.mark.parametrize("backend", BACKENDS)
def test_limits_close_with_1009_and_1002(hub_factory, backend):
    hub = hub_factory("--echo", "--io", backend, "--echo-max-message-size", "1KiB")
    with connect(hub.url(), max_size=None) as ws:
        ws.send(b"x" * 1024)
        assert len(ws.recv()) == 1024
        ws.send(b"x" * 1025)
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv()
        assert closed.value.rcvd.code == 1009
    # An unmasked client frame is a protocol error: 1002.
    with socket.create_connection(("127.0.0.1", hub.port), timeout=5) as s:
        s.sendall(upgrade_request())
        assert s.recv(4096).startswith(b"HTTP/1.1 101")
        s.sendall(b"\x81\x02hi")
        frame = s.recv(4096)
        assert frame[0] == 0x88 and struct.unpack("!H", frame[2:4])[0] == 1002


@pytest.mark.parametrize("backend", BACKENDS)
def test_dead_peer_dropped_live_peer_kept(hub_factory, backend):
    hub = hub_factory("--echo", "--io", backend, "--ping-interval", "200ms", "--idle-timeout", "800ms")
    live = connect(hub.url())  # the websockets client answers pings by itself
    with socket.create_connection(("127.0.0.1", hub.port), timeout=5) as s:
        s.sendall(upgrade_request())
        assert s.recv(4096).startswith(b"HTTP/1.1 101")
        start = time.time()
        got_ping = False
        while True:
            data = s.recv(4096)
            if not data:
                break
            got_ping = got_ping or data[0] == 0x89
        elapsed = time.time() - start
    assert got_ping
    assert 0.6 < elapsed < 3
    time.sleep(0.5)
    live.send("still here")
    assert live.recv() == "still here"
    live.close()


@pytest.mark.parametrize("backend", BACKENDS)
def test_slow_consumer_is_closed_and_memory_bounded(hub_factory, backend):
    hub = hub_factory("--echo", "--io", backend, "--max-send-queue", "256KiB", "--close-timeout", "1s")
    with socket.create_connection(("127.0.0.1", hub.port), timeout=10) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.sendall(upgrade_request())
        assert s.recv(4096).startswith(b"HTTP/1.1 101")
        payload = b"y" * 65536
        mask = b"\x00\x00\x00\x00"
        frame = b"\x82\xff" + struct.pack("!Q", len(payload)) + mask + payload
        # Never read: the echoes pile up in the server's send queue. Keep
        # writing (kernel buffers absorb several MB first) until the server
        # gives up on us or 15 s pass.
        s.setblocking(False)
        deadline = time.time() + 15
        pending = memoryview(frame)
        while time.time() < deadline and not re.search("slow consumer", hub.log):
            if not select.select([], [s], [], 0.2)[1]:
                continue
            try:
                pending = pending[s.send(pending):]
            except BlockingIOError:
                continue
            except OSError:
                break
            if not pending:
                pending = memoryview(frame)
    assert hub.wait_for_log(r"slow consumer", timeout=10), hub.log


@pytest.mark.parametrize("backend", BACKENDS)
def test_graceful_shutdown_closes_clients_with_1001(hub_factory, backend):
    hub = hub_factory("--echo", "--io", backend, "--shutdown-timeout", "5s")
    clients = [connect(hub.url()) for _ in range(5)]
    start = time.time()
    hub.proc.send_signal(signal.SIGTERM)
    for c in clients:
        with pytest.raises(ConnectionClosed) as closed:
            c.recv(timeout=5)
        assert closed.value.rcvd.code == 1001
    assert hub.proc.wait(10) == 0
    assert time.time() - start < 5
    assert "shutdown complete" in hub.log
    # New connections are refused once it stopped listening.
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", hub.port), timeout=1)


@pytest.mark.parametrize("backend", BACKENDS)
def test_shutdown_gives_up_after_its_timeout(hub_factory, backend):
    hub = hub_factory("--echo", "--io", backend, "--shutdown-timeout", "1s", "--close-timeout", "30s")
    # A raw client that never answers the close frame.
    s = socket.create_connection(("127.0.0.1", hub.port), timeout=5)
    s.sendall(upgrade_request())
    assert s.recv(4096).startswith(b"HTTP/1.1 101")
    start = time.time()
    hub.proc.send_signal(signal.SIGINT)
    assert hub.proc.wait(10) == 0
    assert time.time() - start < 4
    assert "forced_closes=1" in hub.log
    s.close()


def _deny_io_uring_setup():
    """preexec_fn: a seccomp filter that makes io_uring_setup fail with EPERM,
    as Docker's default profile does. Everything else is allowed."""
    libc = ctypes.CDLL(None, use_errno=True)
    PR_SET_NO_NEW_PRIVS, PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 38, 22, 2
    NR_IO_URING_SETUP = 425
    SECCOMP_RET_ALLOW, SECCOMP_RET_ERRNO, EPERM = 0x7FFF0000, 0x00050000, 1
    # BPF: load seccomp_data.nr; if == io_uring_setup return ERRNO|EPERM else ALLOW
    insns = [
        (0x20, 0, 0, 0),  # ld [0]
        (0x15, 0, 1, NR_IO_URING_SETUP),  # jeq
        (0x06, 0, 0, SECCOMP_RET_ERRNO | EPERM),
        (0x06, 0, 0, SECCOMP_RET_ALLOW),
    ]
    prog = b"".join(struct.pack("HBBI", *i) for i in insns)
    buf = ctypes.create_string_buffer(prog)

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    fprog = SockFprog(len(insns), ctypes.cast(buf, ctypes.c_void_p))
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(NO_NEW_PRIVS)")
    if libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(SECCOMP)")


@pytest.mark.skipif(platform.machine() != "x86_64", reason="syscall number is x86_64's")
def test_epoll_fallback_when_io_uring_is_refused(hub_factory):
    hub = hub_factory("--echo", preexec_fn=_deny_io_uring_setup)
    assert "io=epoll" in hub.log
    fallback = [l for l in hub.log_lines if "io_uring unavailable" in l]
    assert len(fallback) == 1 and "Operation not permitted" in fallback[0], hub.log
    with connect(hub.url()) as ws:
        ws.send("works")
        assert ws.recv() == "works"
    # Forcing uring where it is refused is a clear start-up error, not a hang.
    from conftest import HUBBUB
    import subprocess
    forced = subprocess.run(
        [HUBBUB, "serve", "--io", "uring", "--listen", "127.0.0.1:0"],
        preexec_fn=_deny_io_uring_setup, capture_output=True, text=True, timeout=20,
    )
    assert forced.returncode != 0
    assert "io_uring" in forced.stderr


def test_bad_flags_are_rejected():
    from conftest import HUBBUB
    import subprocess
    for args in (["--io", "kqueue"], ["--listen", "nowhere"], ["--receive-buffers", "3"], ["--max-frame-size", "-1"]):
        r = subprocess.run([HUBBUB, "serve", *args], capture_output=True, text=True, timeout=20)
        assert r.returncode != 0
        assert "Error" in r.stderr or "error" in r.stderr


def test_token_command_mints_a_verifiable_hs256_token():
    import base64, hashlib, hmac, json, subprocess, time
    from conftest import HUBBUB
    secret = "s" * 32
    r = subprocess.run([HUBBUB, "token", "--secret", secret, "--user", "u_alice", "--name", "Alice", "--ttl", "90s"],
                       capture_output=True, text=True, timeout=20)
    assert r.returncode == 0, r.stderr
    token = r.stdout.strip()
    header, payload, signature = token.split(".")
    pad = lambda s: s + "=" * (-len(s) % 4)
    assert json.loads(base64.urlsafe_b64decode(pad(header)))["alg"] == "HS256"
    claims = json.loads(base64.urlsafe_b64decode(pad(payload)))
    assert claims["sub"] == "u_alice" and claims["name"] == "Alice"
    assert 85 <= claims["exp"] - time.time() <= 95
    expected = hmac.new(secret.encode(), f"{header}.{payload}".encode(), hashlib.sha256).digest()
    assert base64.urlsafe_b64decode(pad(signature)) == expected
    short = subprocess.run([HUBBUB, "token", "--secret", "short", "--user", "u"], capture_output=True, text=True, timeout=20)
    assert short.returncode != 0 and "32 bytes" in short.stderr
