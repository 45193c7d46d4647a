"""The checks of hubclient.HubClient can fail: each test feeds a client a
scripted server stream (no server, no socket) that breaks one rule, and
expects exactly that violation; a conforming stream records none."""
import copy
import json

import pytest

from hubclient import APOLLO, HubClient, _CLIENTS, new_id

T = "2025-06-02T09:00:00.000Z"
CARD = {"id": "card_1", "column_id": "col_a", "position": 0, "title": "One", "version": 1, "created_at": T,
        "updated_at": T}
BOARD = {"columns": [{"id": "col_a", "name": "A", "cards": [CARD]}, {"id": "col_b", "name": "B", "cards": []}]}
MEMBERS = [{"user_id": "u_alice", "name": "Alice Adams", "username": "alice"}]
WELCOME = {"type": "welcome", "protocol": "hubbub.v1", "conn_id": "cn_A", "resumed": False,
           "user": {"user_id": "u_alice", "name": "Alice Adams"}, "expires_at": T, "server_time": T,
           "limits": {"max_message_bytes": 65536, "max_comment_bytes": 10000, "max_title_bytes": 500,
                      "max_presence_state_bytes": 1024, "max_ephemeral_bytes": 4096, "max_rooms_per_connection": 50,
                      "commands_per_second": 10, "commands_burst": 30, "presence_updates_per_second": 5,
                      "presence_updates_burst": 10, "ephemeral_per_second": 30, "ephemeral_burst": 60,
                      "presence_grace_ms": 15000, "idempotency_window_s": 86400}}
STATE = {"type": "presence_state", "room": APOLLO, "mode": "full", "presences": {}}


class FakeWS:
    def __init__(self):
        self.sent = []

    async def send(self, text):
        self.sent.append(text)


def comment_event(seq, text="hi", corr="x-1", user="u_alice"):
    return {"type": "comment.created", "event_id": f"01972f1e-aab0-7d7c-8fd1-{seq:012d}", "room": APOLLO, "seq": seq,
            "time": T, "actor": {"user_id": user, "name": "Alice Adams"}, "correlation_id": corr,
            "payload": {"comment_id": f"cm_{seq}", "card_id": "card_1", "text": text, "mentions": []}}


def moved_event(seq, frm, to, version):
    card = dict(CARD, column_id=to[0], position=to[1], version=version)
    return {"type": "card.moved", "event_id": f"01972f1e-aab0-7d7c-8fd1-{seq:012d}", "room": APOLLO, "seq": seq,
            "time": T, "actor": {"user_id": "u_bob", "name": "Bob"}, "correlation_id": f"b-{seq}",
            "payload": {"card": card, "from": {"column_id": frm[0], "position": frm[1]},
                        "to": {"column_id": to[0], "position": to[1]}}}


async def joined_client(head=5):
    c = scripted()
    feed(c, WELCOME)
    p = await c.send({"type": "join", "id": "j-1", "room": APOLLO})
    feed(c, {"type": "ack", "id": "j-1", "result": {"room": APOLLO, "head_seq": head, "project": {"id": APOLLO, "name": "A"},
                                                     "members": MEMBERS, "board": copy.deepcopy(BOARD)}})
    feed(c, STATE)
    assert p.future.done()
    return c


def feed(client, msg):
    """What HubClient._read does with a message from the server."""
    client.received.append(msg)
    client._handle(msg)


def scripted():
    """A client with no socket, left out of the test runner's teardown checks."""
    c = HubClient("scripted")
    registry = _CLIENTS.get()
    if registry is not None:
        registry.remove(c)
    c.ws = FakeWS()
    return c


def violations_of(c):
    return "\n".join(c.violations)


async def test_a_conforming_stream_has_no_violation():
    c = await joined_client()
    feed(c, comment_event(6))
    feed(c, moved_event(7, ("col_a", 0), ("col_b", 0), 2))
    p = await c.send({"type": "comment", "id": "x-9", "room": APOLLO, "card_id": "card_1", "text": "q", "echo": False})
    feed(c, {"type": "ack", "id": "x-9", "result": {"event_id": "01972f1e-aab0-7d7c-8fd1-000000000008", "seq": 8,
                                                     "comment_id": "cm_8", "mentions": []}})
    feed(c, comment_event(9))
    assert c.violations == []
    assert c.rooms[APOLLO].last_seq == 9
    assert c.rooms[APOLLO].board["columns"][1]["cards"][0]["version"] == 2


@pytest.mark.parametrize("seqs, words", [
    ([7], "where 6 was expected"),  # a gap
    ([6, 6], "where 7 was expected"),  # a duplicate
    ([6, 8, 7], "where 7 was expected"),  # out of order
    ([5], "where 6 was expected"),  # at or before the boundary
])
async def test_gaps_duplicates_and_reordering_are_caught(seqs, words):
    c = await joined_client()
    for s in seqs:
        feed(c, comment_event(s))
    assert words in violations_of(c)


async def test_replies_out_of_order_missing_or_extra_are_caught():
    c = await joined_client()
    await c.send({"type": "ping", "id": "p-1"})
    await c.send({"type": "ping", "id": "p-2"})
    feed(c, {"type": "ack", "id": "p-2", "result": {"server_time": T}})
    assert "in command order" in violations_of(c)
    c2 = await joined_client()
    feed(c2, {"type": "ack", "id": "p-3", "result": {"server_time": T}})
    assert "without an outstanding command" in violations_of(c2)


async def test_schema_violations_are_caught():
    c = await joined_client()
    await c.send({"type": "ping", "id": "p-1"})
    feed(c, {"type": "ack", "id": "p-1", "result": {"server_time": "yesterday"}})
    assert "ack result of ping" in violations_of(c)
    c2 = await joined_client()
    bad = comment_event(6)
    del bad["correlation_id"]
    feed(c2, bad)
    assert "schema: comment.created" in violations_of(c2)
    c3 = await joined_client()
    feed(c3, {"type": "surprise"})
    assert "unknown server message type" in violations_of(c3)


async def test_join_boundary_rules_are_caught():
    c = scripted()
    feed(c, STATE)
    assert "before welcome" in violations_of(c)
    c = scripted()
    feed(c, WELCOME)
    await c.send({"type": "join", "id": "j-1", "room": APOLLO})
    feed(c, comment_event(1))  # before the ack
    assert "which is joining" in violations_of(c)
    c = scripted()
    feed(c, WELCOME)
    await c.send({"type": "join", "id": "j-1", "room": APOLLO})
    feed(c, {"type": "ack", "id": "j-1", "result": {"room": APOLLO, "head_seq": 0, "project": {"id": APOLLO, "name": "A"},
                                                     "members": MEMBERS, "board": copy.deepcopy(BOARD)}})
    feed(c, comment_event(1))  # before presence_state
    assert "before the join's presence_state" in violations_of(c)


async def test_events_after_the_leave_ack_are_caught():
    c = await joined_client()
    await c.send({"type": "leave", "id": "l-1", "room": APOLLO})
    feed(c, comment_event(6))  # in flight: fine
    feed(c, {"type": "ack", "id": "l-1", "result": {"room": APOLLO}})
    assert c.violations == []
    feed(c, comment_event(7))
    assert "which is gone" in violations_of(c)


async def test_echo_false_rules_are_caught():
    c = await joined_client()
    await c.send({"type": "comment", "id": "x-1", "room": APOLLO, "card_id": "card_1", "text": "hi", "echo": False})
    feed(c, comment_event(6, corr="x-1"))
    feed(c, {"type": "ack", "id": "x-1", "result": {"event_id": comment_event(6)["event_id"], "seq": 6,
                                                     "comment_id": "cm_6", "mentions": []}})
    assert "was delivered to the sender" in violations_of(c)
    c = await joined_client()
    await c.send({"type": "comment", "id": "x-2", "room": APOLLO, "card_id": "card_1", "text": "hi", "echo": False})
    feed(c, comment_event(7))  # someone else's later event before our ack
    feed(c, {"type": "ack", "id": "x-2", "result": {"event_id": comment_event(6)["event_id"], "seq": 6,
                                                     "comment_id": "cm_6", "mentions": []}})
    assert "after the stream passed it" in violations_of(c)


async def test_ack_and_event_must_agree_and_retries_must_repeat_the_ack():
    c = await joined_client()
    await c.send({"type": "comment", "id": "x-1", "room": APOLLO, "card_id": "card_1", "text": "hi"})
    feed(c, comment_event(6, corr="x-1"))
    feed(c, {"type": "ack", "id": "x-1", "result": {"event_id": comment_event(9)["event_id"], "seq": 6,
                                                     "comment_id": "cm_6", "mentions": []}})
    assert "!= event's" in violations_of(c)
    c = await joined_client()
    for seq in (6, 7):
        await c.send({"type": "comment", "id": "x-1", "room": APOLLO, "card_id": "card_1", "text": "hi"})
        feed(c, {"type": "ack", "id": "x-1", "result": {"event_id": comment_event(seq)["event_id"], "seq": seq,
                                                         "comment_id": f"cm_{seq}", "mentions": []}})
    assert "two different acks" in violations_of(c)


async def test_board_inconsistencies_are_caught():
    c = await joined_client()
    feed(c, moved_event(6, ("col_b", 0), ("col_b", 0), 2))  # `from` is not where the card is
    assert "from" in violations_of(c)
    c = await joined_client()
    feed(c, moved_event(6, ("col_a", 0), ("col_b", 0), 3))  # version jumps by two
    assert "version 1 -> 3" in violations_of(c)


async def test_presence_mention_and_ephemeral_rules_are_caught():
    c = await joined_client()
    entry = {"name": "Bob", "username": "bob", "metas": [{"conn_id": "cn_B", "state": {}, "joined_at": T}]}
    feed(c, {"type": "presence_diff", "room": APOLLO, "mode": "full", "joins": {"u_bob": entry}, "leaves": {},
               "updates": {"u_bob": entry}})
    assert "more than one list" in violations_of(c)
    c = await joined_client()
    m = {"type": "mention", "event_id": "01972f1e-aab4-7c10-9b2e-77aa3c0de911", "room": APOLLO, "time": T,
         "actor": {"user_id": "u_bob", "name": "Bob"}, "correlation_id": "b-1",
         "payload": {"project": {"id": APOLLO, "name": "A"}, "card": {"id": "card_1", "title": "One"},
                     "comment": {"id": "cm_1", "excerpt": "@alice"},
                     "comment_event_id": "01972f1e-aab0-7d7c-8fd1-5e4b1e4f0c2a", "comment_seq": 3}}
    feed(c, m)
    feed(c, m)
    assert "delivered twice" in violations_of(c)
    c = await joined_client()
    feed(c, {"type": "ephemeral", "room": APOLLO, "key": "typing", "data": {}, "actor": {"user_id": "u_alice",
               "name": "Alice Adams"}, "conn_id": "cn_A", "time": T})
    assert "came back to its sending connection" in violations_of(c)


async def test_a_violation_fails_the_next_call():
    c = await joined_client()
    feed(c, comment_event(9))
    with pytest.raises(AssertionError, match="protocol violations"):
        await c.send({"type": "ping", "id": new_id()})
    with pytest.raises(AssertionError, match="invalid"):
        d = await joined_client()
        await d.send({"type": "comment", "id": new_id(), "room": APOLLO, "card_id": "card_1", "text": ""})
    assert json.dumps(c.violations)
