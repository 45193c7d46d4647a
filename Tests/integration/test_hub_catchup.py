"""Catch-up with since_seq, resync_required, the slow-consumer close (4000)
and recovery, and durability across `kill -9` (README 6.1, 6.3, 6.4, 10)."""
import asyncio
import time

from hubclient import APOLLO, HubClient, connect_as, new_id, token_for


async def test_rejoin_with_since_seq_replays_exactly_the_missed_events_then_live(hubbub):
    hub = hubbub()
    alice = await connect_as(hub, "alice")
    bob = await connect_as(hub, "bob")
    await alice.join(APOLLO)
    await bob.join(APOLLO)
    r = await alice.comment(APOLLO, "card_1", "before the drop")
    await alice.wait_seq(APOLLO, r["seq"])
    last_seq = alice.rooms[APOLLO].last_seq
    board = alice.rooms[APOLLO].board
    old_conn = alice.conn_id
    alice.drop()
    missed = []
    for i in range(5):
        missed.append(await bob.comment(APOLLO, "card_2", f"missed {i}"))
    missed.append(await bob.ok("card_create", room=APOLLO, column_id="col_done", position=0, title="new"))
    missed.append(await bob.ok("card_move", room=APOLLO, card_id="card_1", to_column_id="col_done", to_position=1,
                               expected_version=1))
    again = await HubClient.open(hub.base, token_for("alice"), resume=old_conn, label="alice-again")
    # Pipelined: the comment is handled after the join (README 2.3).
    join = await again.send({"type": "join", "id": new_id(), "room": APOLLO, "since_seq": last_seq}, board=board)
    live_cmd = await again.send({"type": "comment", "id": new_id(), "room": APOLLO, "card_id": "card_3",
                                 "text": "back"})
    ack = await again.reply(join)
    assert ack["type"] == "ack", ack
    assert ack["result"]["head_seq"] == last_seq + 7
    assert "board" not in ack["result"]
    live = await again.reply(live_cmd)
    assert live["type"] == "ack" and live["result"]["seq"] == last_seq + 8
    await again.wait_seq(APOLLO, last_seq + 8)
    events = again.rooms[APOLLO].events
    assert [e["seq"] for e in events] == list(range(last_seq + 1, last_seq + 9))
    assert [e["event_id"] for e in events[:7]] == [m["event_id"] for m in missed]
    # Then live events from others.
    more = await bob.comment(APOLLO, "card_3", "live")
    await again.wait_seq(APOLLO, more["seq"])
    fresh = await bob.ok("board", room=APOLLO)
    assert again.rooms[APOLLO].board == fresh["board"]
    # since_seq == head_seq: nothing replayed.
    carol = await connect_as(hub, "carol")
    res = await carol.join(APOLLO, since_seq=more["seq"])
    assert res["head_seq"] == more["seq"]
    await carol.expect_none(lambda m: "." in m["type"], within=0.3, what="replayed event")


async def test_resync_required_ahead_of_head(hubbub):
    hub = hubbub()
    alice = await connect_as(hub, "alice")
    await alice.join(APOLLO)
    base = alice.rooms[APOLLO].head_seq
    for i in range(3):
        await alice.comment(APOLLO, "card_1", f"c{i}")
    await alice.ok("leave", room=APOLLO)
    err = await alice.fail("join", "resync_required", room=APOLLO, since_seq=base + 10)
    d = err["details"]
    assert d["reason"] == "ahead_of_head" and d["head_seq"] == base + 3
    assert d["oldest_seq"] == 1  # nothing has been pruned
    # Not joined.
    await alice.fail("board", "not_joined", room=APOLLO)
    # The remedy: join without since_seq, with a fresh board as of its head.
    err = await alice.fail("join", "resync_required", room=APOLLO, since_seq=base + 4)
    assert err["details"]["reason"] == "ahead_of_head"
    res = await alice.join(APOLLO)
    assert res["head_seq"] == base + 3 and "board" in res


async def test_resync_required_too_far_behind(hubbub):
    hub = hubbub(max_catchup_events=3)
    alice = await connect_as(hub, "alice")
    bob = await connect_as(hub, "bob")
    await alice.join(APOLLO)
    for i in range(5):
        await alice.comment(APOLLO, "card_1", f"c{i}")
    head = alice.rooms[APOLLO].head_seq + 5
    for since in (0, head - 5, head - 4):
        err = await bob.fail("join", "resync_required", room=APOLLO, since_seq=since)
        assert err["details"]["reason"] == "too_far_behind"
        assert err["details"]["head_seq"] == head
        assert err["details"]["oldest_seq"] == 1
    await bob.fail("board", "not_joined", room=APOLLO)
    res = await bob.join(APOLLO, since_seq=head - 3)  # exactly max_catchup_events missing: fine
    assert res["head_seq"] == head
    await bob.wait_seq(APOLLO, head)
    assert [e["seq"] for e in bob.rooms[APOLLO].events] == [head - 2, head - 1, head]


async def test_slow_consumer_is_closed_with_4000_and_catches_up(hubbub):
    hub = hubbub(max_send_queue="64KiB")
    slow = await connect_as(hub, "alice", label="slow", rcvbuf=4096)
    await slow.join(APOLLO)
    writers = [await connect_as(hub, u) for u in ("bob", "carol", "dan")]
    for w in writers:
        await w.join(APOLLO)
    slow.pause_reading()
    # About 5.4 MB: more than the server's socket buffer can hold (up to net.ipv4.tcp_wmem's
    # 4 MiB) plus the 64 KiB send queue.
    text = "flood " + "x" * 9000
    acks = []

    async def flood(w):
        for _ in range(8):
            pend = [await w.send({"type": "comment", "id": new_id(), "room": APOLLO, "card_id": "card_1",
                                  "text": text}) for _ in range(25)]
            for p in pend:
                reply = await w.reply(p, timeout=10)
                assert reply["type"] == "ack", reply
                acks.append(reply["result"])

    await asyncio.gather(*(flood(w) for w in writers))
    head = max(a["seq"] for a in acks)
    assert head == slow.rooms[APOLLO].boundary + 600
    slow.resume_reading()
    code, reason = await slow.wait_closed(10)
    assert code == 4000, f"expected close 4000 (slow consumer), got {code} {reason!r}"
    got_before = slow.rooms[APOLLO].last_seq
    assert got_before < head, "the slow client got everything: the test did not overflow the queue"
    # The writers read continuously and were not affected.
    for w in writers:
        await w.wait_seq(APOLLO, head, timeout=10)
        assert not w.closed.is_set()
    # Reconnect and catch up from the store, reading slowly at first (catch-up is
    # flow-controlled: not closed for it, README 10).
    again = await HubClient.open(hub.base, token_for("alice"), resume=slow.conn_id, label="slow-again", rcvbuf=4096)
    p = await again.send({"type": "join", "id": new_id(), "room": APOLLO, "since_seq": got_before})
    reply = await again.reply(p)
    assert reply["type"] == "ack" and reply["result"]["head_seq"] == head
    again.pause_reading()
    await asyncio.sleep(1.0)
    again.resume_reading()
    await again.wait_seq(APOLLO, head, timeout=15)
    assert not again.closed.is_set(), f"closed {again.close_code} during a flow-controlled catch-up"
    seen = [e["event_id"] for e in slow.rooms[APOLLO].events] + [e["event_id"] for e in again.rooms[APOLLO].events]
    assert sorted(seen) == sorted(a["event_id"] for a in acks)


async def test_acked_comments_survive_kill_9(hubbub, tmp_path):
    data_dir = tmp_path / "durable"
    hub = hubbub(data_dir=data_dir)
    alice = await connect_as(hub, "alice")
    await alice.join(APOLLO)
    base = alice.rooms[APOLLO].head_seq
    pend = [await alice.send({"type": "comment", "id": new_id(), "room": APOLLO, "card_id": "card_1",
                              "text": f"durable {i}"}) for i in range(40)]
    acks = []
    for p in pend:
        reply = await alice.reply(p)
        assert reply["type"] == "ack", reply
        acks.append((reply["result"], p.msg))
    move = await alice.ok("card_move", room=APOLLO, card_id="card_2", to_column_id="col_done", to_position=0,
                          expected_version=1)
    hub.kill9()
    await alice.wait_closed(5)
    hub2 = hubbub(data_dir=data_dir, seed=False)
    back = await connect_as(hub2, "alice", label="alice-after-restart")
    res = await back.join(APOLLO, since_seq=base)
    assert res["head_seq"] == move["seq"] == base + 41
    await back.wait_seq(APOLLO, base + 41)
    events = back.rooms[APOLLO].events
    for (result, cmd), ev in zip(acks, events):
        assert (ev["seq"], ev["event_id"]) == (result["seq"], result["event_id"])
        assert ev["payload"]["text"] == cmd["text"] and ev["correlation_id"] == cmd["id"]
    assert events[-1]["payload"]["card"] == move["card"]
    # Idempotency keys survived too: a retry gets the original ack.
    result, cmd = acks[7]
    assert await back.ok("comment", id=cmd["id"], room=APOLLO, card_id="card_1", text=cmd["text"]) == result
    nxt = await back.comment(APOLLO, "card_1", "after the restart")
    assert nxt["seq"] == base + 42


async def test_catch_up_is_flow_controlled(hubbub):
    """Replayed events are read from the store as the client consumes them (README 10):
    a catch-up larger than the send queue must not close the client, even one that
    stops reading for a while."""
    hub = hubbub(max_send_queue="64KiB")
    bob = await connect_as(hub, "bob")
    await bob.join(APOLLO)
    base = bob.rooms[APOLLO].head_seq
    for _ in range(6):
        pend = [await bob.send({"type": "comment", "id": new_id(), "room": APOLLO, "card_id": "card_1",
                                "text": "y" * 9000}) for _ in range(10)]
        for p in pend:
            assert (await bob.reply(p))["type"] == "ack"
    head = base + 60  # about 560 KB to replay, nine times the send queue
    for label, pause in (("reader", 0), ("pauser", 1.0)):
        c = await HubClient.open(hub.base, token_for("alice"), label=label, rcvbuf=4096)
        p = await c.send({"type": "join", "id": new_id(), "room": APOLLO, "since_seq": base})
        assert (await c.reply(p))["result"]["head_seq"] == head
        if pause:
            c.pause_reading()
            await asyncio.sleep(pause)
            c.resume_reading()
        try:
            await c.wait_seq(APOLLO, head, timeout=10)
        except AssertionError:
            raise AssertionError(f"{label}: the catch-up stopped at seq {c.rooms[APOLLO].last_seq} of {head}; "
                                 f"closed {c.close_code} {c.close_reason!r}") from None
