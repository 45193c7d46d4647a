"""Fixtures for the end-to-end tests: a real `hubbub` process on a free
loopback port, on each I/O backend, driven by real WebSocket clients."""
import os
import re
import signal
import socket
import subprocess
import threading
import time

import pytest

HUBBUB = os.environ.get("HUBBUB_BIN", os.path.join(os.path.dirname(__file__), "../../.build/release/hubbub"))
BACKENDS = ["uring", "epoll"]


class Hub:
    """A running `hubbub serve`; its stderr is collected in `self.log`."""

    def __init__(self, *args, preexec_fn=None):
        self.args = [HUBBUB, "serve", "--listen", "127.0.0.1:0", "--log-level", "debug", *args]
        self.proc = subprocess.Popen(
            self.args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, preexec_fn=preexec_fn
        )
        self.log_lines = []
        self._ready = threading.Event()
        self.port = None
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        if not self._ready.wait(20):
            self.stop()
            raise RuntimeError("hubbub did not start:\n" + self.log)
        if self.port is None:
            raise RuntimeError("hubbub exited at start-up:\n" + self.log)

    def _read(self):
        for line in self.proc.stderr:
            self.log_lines.append(line)
            m = re.search(r"address=127\.0\.0\.1:(\d+)", line)
            if m and "listening" in line and self.port is None:
                self.port = int(m.group(1))
                self._ready.set()
        self._ready.set()

    @property
    def log(self):
        return "".join(self.log_lines)

    def url(self, path="/echo"):
        return f"ws://127.0.0.1:{self.port}{path}"

    def wait_for_log(self, pattern, timeout=5):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if re.search(pattern, self.log):
                return True
            time.sleep(0.05)
        return False

    def stop(self, sig=signal.SIGTERM, timeout=15):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._reader.join(2)
        return self.proc.returncode


@pytest.fixture
def hub_factory():
    hubs = []

    def start(*args, **kwargs):
        hub = Hub(*args, **kwargs)
        hubs.append(hub)
        return hub

    yield start
    for hub in hubs:
        hub.stop()


def raw_request(port, data, timeout=5.0, read_all=True):
    """Sends raw bytes, returns everything the server sends until it closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(data)
        chunks = []
        while True:
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                break
            if not chunk:
                break
            chunks.append(chunk)
            if not read_all:
                break
        return b"".join(chunks)


def upgrade_request(path="/echo", key="dGhlIHNhbXBsZSBub25jZQ==", version="13", extra=""):
    return (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: {version}\r\n{extra}\r\n"
    ).encode()
