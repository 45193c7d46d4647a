"""HTTP endpoints of the hub besides /ws: /healthz, /readyz, and responses that come
from async endpoints keeping their order on a keep-alive connection."""
import json
import os
import signal
import socket


def http_exchange(port, raw, expect_responses, timeout=5):
    """Sends `raw` bytes and reads until `expect_responses` complete responses arrived."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    s.sendall(raw)
    data = b""
    responses = []
    while len(responses) < expect_responses:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
        while b"\r\n\r\n" in data:
            head, rest = data.split(b"\r\n\r\n", 1)
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value.strip())
            if len(rest) < length:
                break
            status = int(head.split(b" ")[1])
            responses.append((status, rest[:length]))
            data = rest[length:]
    s.close()
    return responses


def test_readyz_answers_200_when_the_store_is_reachable(hub_factory):
    hub = hub_factory()
    [(status, body)] = http_exchange(hub.port, b"GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 1)
    assert status == 200
    assert json.loads(body) == {"status": "ready", "checks": {"store": "ok"}}


def test_pipelined_requests_keep_their_order_across_async_endpoints(hub_factory):
    hub = hub_factory()
    raw = (b"GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n"
           b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
           b"GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n"
           b"GET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    responses = http_exchange(hub.port, raw, 4)
    assert [status for status, _ in responses] == [200, 200, 200, 404]
    assert json.loads(responses[0][1])["status"] == "ready"
    assert json.loads(responses[1][1]) == {"status": "ok"}


def test_readyz_answers_503_when_the_store_does_not_answer(hub_factory, tmp_path):
    """A store that cannot answer (its writer is stuck behind another process's write
    lock) makes /readyz say 503 with the reason, within the readiness timeout."""
    import sqlite3
    import time

    data = tmp_path / "data"
    hub = hub_factory("--data-dir", str(data))
    db = sqlite3.connect(str(data / "hubbub.sqlite3"), timeout=1, isolation_level=None)
    db.execute("BEGIN EXCLUSIVE")
    try:
        started = time.time()
        [(status, body)] = http_exchange(hub.port, b"GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 1,
                                         timeout=10)
        assert status == 503, body
        assert json.loads(body)["status"] == "unavailable"
        assert time.time() - started < 6
    finally:
        db.execute("ROLLBACK")
        db.close()
    # Ready again once the lock is gone (the stuck ping may still hold the writer briefly).
    deadline = time.time() + 10
    while True:
        [(status, _)] = http_exchange(hub.port, b"GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 1)
        if status == 200 or time.time() > deadline:
            break
        time.sleep(0.2)
    assert status == 200


def test_metrics_are_exposed_in_prometheus_text_format(hubbub):
    """/metrics (issue 7): the hub's own series and the process's, updated as clients come."""
    import asyncio

    from hubclient import APOLLO, connect_as

    hub = hubbub()

    def scrape():
        [(status, body)] = http_exchange(hub.port, b"GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 1)
        assert status == 200
        series = {}
        for line in body.decode().splitlines():
            if line and not line.startswith("#"):
                name, _, value = line.rpartition(" ")
                series[name] = float(value)
        return series

    before = scrape()
    assert before["hubbub_connections"] == 0
    assert any(k.startswith("hubbub_io_backend{") for k in before)
    assert "process_resident_memory_bytes" in before

    async def session():
        alice = await connect_as(hub, "alice")
        await alice.join(APOLLO)
        await alice.ok("comment", room=APOLLO, card_id="card_1", text="counted")
        during = scrape()
        assert during["hubbub_connections"] == 1
        assert during["hubbub_rooms"] >= 1
        assert during["hubbub_messages_received_total"] >= 2
        assert during["hubbub_fanout_seconds_count"] >= 1
        await alice.close()

    asyncio.run(session())


def test_head_gets_headers_without_a_body_and_the_connection_stays_usable(hub_factory):
    hub = hub_factory()
    s = socket.create_connection(("127.0.0.1", hub.port), timeout=5)
    s.sendall(b"HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    data = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    s.close()
    head, rest = data.split(b"\r\n\r\n", 1)
    assert head.startswith(b"HTTP/1.1 200") and b"Content-Length: 15" in head
    # The next bytes are the GET's response, not the HEAD's body.
    assert rest.startswith(b"HTTP/1.1 200"), rest[:40]
    assert rest.endswith(b'{"status":"ok"}')
