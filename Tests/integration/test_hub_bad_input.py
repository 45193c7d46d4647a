"""Bad input: frames that are not JSON objects, unknown types, bad fields,
ids that cannot be read, the malformed-run close (1008), oversize (1009),
binary (1003) and invalid UTF-8 (1007), and the command rate limit
(README 2.1, 2.3, 12; errors.md; close-codes.md)."""
import asyncio
import base64
import os
import socket
import struct

from hubclient import APOLLO, HubClient, connect_as, new_id, token_for


async def test_malformed_messages_get_the_right_error(hubbub):
    hub = hubbub()
    c = await connect_as(hub, "alice")
    await c.join(APOLLO)

    async def raw(text):
        return await c.reply(await c.send_raw(text))

    async def bad(msg):
        return await c.reply(await c.send(msg, validate=False))

    for text in ("hello", "[1, 2]", '"a string"', "", "{\"type\": \"ping\", \"id\": \"x\""):
        err = await raw(text)
        assert (err["type"], err["code"], err["id"]) == ("error", "invalid_message", None), (text, err)
        assert err["retryable"] is False
    await c.ok("ping")

    err = await bad({"type": "nope", "id": "bad-1"})
    assert (err["code"], err["id"], err["details"]["type"]) == ("unknown_type", "bad-1", "nope")
    err = await bad({"id": "bad-2", "room": APOLLO})
    assert (err["code"], err["id"]) == ("unknown_type", "bad-2")
    err = await bad({"type": "join", "id": "bad-3"})
    assert (err["code"], err["id"], err["details"]["field"]) == ("bad_request", "bad-3", "/room")
    err = await bad({"type": "comment", "id": "bad-4", "room": APOLLO, "card_id": "card_1", "text": 5})
    assert (err["code"], err["details"]["field"]) == ("bad_request", "/text")
    await c.ok("ping")

    err = await bad({"type": "join", "id": "bad-5", "room": "p_r1", "since_seq": -1})
    assert (err["code"], err["details"]["field"]) == ("bad_request", "/since_seq")
    err = await bad({"type": "card_move", "id": "bad-6", "room": APOLLO, "card_id": "card_1",
                     "to_column_id": "col_done", "to_position": 0, "expected_version": 0})
    assert (err["code"], err["details"]["field"]) == ("bad_request", "/expected_version")
    err = await bad({"type": "presence_roster", "id": "bad-7", "room": APOLLO, "limit": 0})
    assert (err["code"], err["details"]["field"]) == ("bad_request", "/limit")
    await c.ok("ping")

    # Ids that cannot be read: the reply has id null.
    for msg in ({"type": "ping"}, {"type": "ping", "id": 42}, {"type": "ping", "id": "x" * 65},
                {"type": "ping", "id": "has space"}, {"type": "ping", "id": ""}):
        err = await bad(msg)
        assert err["type"] == "error" and err["id"] is None, (msg, err)
        assert err["code"] == "bad_request" and err["details"]["field"] == "/id", (msg, err)
    await c.ok("ping")

    # Unknown members are ignored, never an error (README 2.1).
    assert (await c.cmd("ping", validate=False, future_field={"x": 1}))["type"] == "ack"
    r = await c.cmd("comment", room=APOLLO, card_id="card_1", text="hi", ech0=False, validate=False)
    assert r["type"] == "ack"
    await c.wait_seq(APOLLO, r["result"]["seq"])  # the misspelled echo is ignored: the event comes
    assert not c.closed.is_set()


async def test_ten_malformed_messages_in_a_row_close_1008(hubbub):
    hub = hubbub()
    c = await connect_as(hub, "alice")
    kinds = ["nonsense", '{"type": "frobnicate", "id": "k1"}', '{"type": "join", "id": "k2"}']
    # Nine in a row, then a good one: the run is broken, the connection stays.
    for i in range(9):
        await c.send_raw(kinds[i % 3])
    await c.ok("ping")
    await c.settle()
    # Ten in a row: ten errors, then close 1008.
    pend = [await c.send_raw(kinds[i % 3]) for i in range(10)]
    code, reason = await c.wait_closed(3)
    assert code == 1008, (code, reason)
    answered = [p for p in pend if p.future.done() and not p.future.exception()]
    assert len(answered) == 10, f"only {len(answered)} of the 10 malformed messages were answered before 1008"
    assert [p.future.result()["code"] for p in answered] == [
        ["invalid_message", "unknown_type", "bad_request"][i % 3] for i in range(10)]


async def test_oversize_message_closes_1009(hubbub):
    hub = hubbub(max_message_bytes="16KiB")
    c = await connect_as(hub, "alice")
    assert c.welcome["limits"]["max_message_bytes"] == 16384
    # Just under the limit is fine (unknown members are ignored).
    head = '{"type":"ping","id":"%s","pad":"' % new_id()
    fits = head + "x" * (16384 - len(head) - 2) + '"}'
    assert len(fits.encode()) == 16384
    r = await c.reply(await c.send_raw(fits))
    assert r["type"] == "ack", r
    too_big = head + "x" * (16385 - len(head) - 2) + '"}'
    await c.ws.send(too_big)
    code, _ = await c.wait_closed(3)
    assert code == 1009
    # The limit is on the reassembled message too: four fragments of 5000 bytes.
    d = await connect_as(hub, "alice", label="alice-fragments")
    text = '{"type":"ping","id":"%s","pad":"%s"}' % (new_id(), "y" * 20000)
    await d.ws.send([text[i:i + 5000] for i in range(0, len(text), 5000)])
    code, _ = await d.wait_closed(3)
    assert code == 1009


async def test_binary_message_closes_1003(hubbub):
    hub = hubbub()
    c = await connect_as(hub, "alice")
    await c.send_binary(b'{"type":"ping","id":"b1"}')
    code, _ = await c.wait_closed(3)
    assert code == 1003


def _frame(opcode, payload, fin=True):
    mask = os.urandom(4)
    head = bytes([(0x80 if fin else 0) | opcode])
    n = len(payload)
    if n < 126:
        head += bytes([0x80 | n])
    elif n < 65536:
        head += bytes([0x80 | 126]) + struct.pack("!H", n)
    else:
        head += bytes([0x80 | 127]) + struct.pack("!Q", n)
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


def _read_frames(sock, until_close=True, timeout=3.0):
    sock.settimeout(timeout)
    buf, frames = b"", []
    while True:
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            return frames
        if not chunk:
            return frames
        buf += chunk
        while len(buf) >= 2:
            n = buf[1] & 0x7F
            off = 2
            if n == 126:
                if len(buf) < 4:
                    break
                n, off = struct.unpack("!H", buf[2:4])[0], 4
            elif n == 127:
                if len(buf) < 10:
                    break
                n, off = struct.unpack("!Q", buf[2:10])[0], 10
            if len(buf) < off + n:
                break
            frames.append((buf[0] & 0x0F, buf[off:off + n]))
            buf = buf[off + n:]
            if frames[-1][0] == 8 and until_close:
                return frames


def test_invalid_utf8_closes_1007(hubbub):
    hub = hubbub()
    key = base64.b64encode(os.urandom(16)).decode()
    with socket.create_connection(("127.0.0.1", hub.port), timeout=3) as s:
        s.sendall((f"GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: hubbub.v1\r\n"
                   f"Authorization: Bearer {token_for('alice')}\r\n\r\n").encode())
        buf = b""
        while b"\r\n\r\n" not in buf:
            buf += s.recv(4096)
        assert buf.startswith(b"HTTP/1.1 101 "), buf
        s.sendall(_frame(1, b'{"type":"ping","id":"u1","x":"\xff\xfe"}'))
        frames = _read_frames(s)
    closes = [p for op, p in frames if op == 8]
    assert closes, f"no close frame; got {frames}"
    assert struct.unpack("!H", closes[0][:2])[0] == 1007


async def test_command_rate_limit(hubbub):
    hub = hubbub(commands_per_second=2, commands_burst=3)
    c = await connect_as(hub, "alice")
    await c.join(APOLLO)
    await c.ok("board", room=APOLLO)
    await c.ok("board", room=APOLLO)
    err = await c.fail("board", "rate_limited", room=APOLLO)
    assert err["retryable"] is True and err["details"]["bucket"] == "commands"
    assert 0 < err["retry_after_ms"] <= 600
    await asyncio.sleep(err["retry_after_ms"] / 1000 + 0.05)
    await c.ok("board", room=APOLLO)
    # A rate-limited persisting command was not applied: its retry (same id) runs it.
    hub2 = hubbub(commands_per_second=1, commands_burst=2)
    d = await connect_as(hub2, "bob")
    await d.join(APOLLO)
    await d.comment(APOLLO, "card_1", "one")
    cid = new_id()
    err = await d.fail("comment", "rate_limited", id=cid, room=APOLLO, card_id="card_1", text="two")
    await asyncio.sleep(err["retry_after_ms"] / 1000 + 0.05)
    r = await d.ok("comment", id=cid, room=APOLLO, card_id="card_1", text="two")
    assert r["seq"] == d.rooms[APOLLO].head_seq + 2
    await d.wait_seq(APOLLO, r["seq"])
