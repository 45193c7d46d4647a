"""Comments: fan-out to every connection of the room including the sender,
`echo: false`, mentions and their delivery, limits, and idempotency
(README 3 `comment`, 5 `comment.created`, 4 `mention`, 8, 9)."""
import asyncio

from hubclient import APOLLO, connect_as, new_id, parse_time
from test_protocol_examples import mention_examples, mentions as grammar_mentions


def event_at(client, room, seq):
    return client.rooms[room].by_seq[seq]


async def test_comment_reaches_every_connection_of_the_room_including_the_sender(hubbub):
    hub = hubbub()
    tab1 = await connect_as(hub, "alice", label="alice-tab1")
    tab2 = await connect_as(hub, "alice", label="alice-tab2")
    bob = await connect_as(hub, "bob")
    carol = await connect_as(hub, "carol")
    dan = await connect_as(hub, "dan")  # connected, joined nowhere
    for c in (tab1, tab2, bob, carol):
        await c.join(APOLLO)
    base = tab1.rooms[APOLLO].head_seq
    cmd_id = new_id()
    result = await tab1.ok("comment", id=cmd_id, room=APOLLO, card_id="card_1", text="Hello room")
    assert result["seq"] == base + 1 and result["mentions"] == []
    for c in (tab1, tab2, bob, carol):
        await c.wait_seq(APOLLO, base + 1)
        ev = event_at(c, APOLLO, base + 1)
        assert ev["type"] == "comment.created"
        assert ev["event_id"] == result["event_id"]
        assert ev["actor"] == {"user_id": "u_alice", "name": "Alice Adams"}
        assert ev["correlation_id"] == cmd_id
        assert ev["payload"] == {"comment_id": result["comment_id"], "card_id": "card_1", "text": "Hello room",
                                 "mentions": []}
        assert ev["time"] == event_at(tab1, APOLLO, base + 1)["time"]
        parse_time(ev["time"])
    await dan.expect_none(lambda m: m["type"] == "comment.created", within=0.2)

    # echo: false: every connection but the sending one gets the event.
    quiet = await tab1.ok("comment", room=APOLLO, card_id="card_2", text="quietly", echo=False)
    assert quiet["seq"] == base + 2
    for c in (tab2, bob, carol):
        await c.wait_seq(APOLLO, base + 2)
        assert event_at(c, APOLLO, base + 2)["event_id"] == quiet["event_id"]
    # The sender's stream continues after the ack's seq without a gap.
    loud = await bob.ok("comment", room=APOLLO, card_id="card_2", text="and loudly")
    assert loud["seq"] == base + 3
    await tab1.wait_seq(APOLLO, base + 3)
    assert base + 2 not in tab1.rooms[APOLLO].by_seq
    assert [e["seq"] for e in tab1.rooms[APOLLO].events] == [base + 1, base + 3]


async def test_comment_validation_errors(hubbub):
    hub = hubbub()
    alice = await connect_as(hub, "alice")
    await alice.join(APOLLO)
    base = alice.rooms[APOLLO].head_seq
    # 3334 euro signs: 3334 code points but 10002 UTF-8 bytes, over the 10000-byte limit.
    err = await alice.fail("comment", "too_large", room=APOLLO, card_id="card_1", text="€" * 3334, validate=False)
    assert err["details"]["field"] == "/text"
    assert err["details"]["limit_bytes"] == 10000 and err["details"]["size_bytes"] == 10002
    exact = await alice.comment(APOLLO, "card_1", "€" * 3333 + "a")  # exactly 10000 bytes
    assert exact["seq"] == base + 1
    err = await alice.fail("comment", "bad_request", room=APOLLO, card_id="card_1", text=" \n\t\u3000 ")
    assert err["details"]["reason"] == "blank"
    err = await alice.fail("comment", "not_found", room=APOLLO, card_id="card_nope", text="where?")
    assert err["details"]["field"] == "/card_id"
    err = await alice.fail("comment", "not_found", room=APOLLO, card_id="card_z1", text="other project's card")
    assert err["details"]["field"] == "/card_id"
    # Errors consumed no seq.
    after = await alice.comment(APOLLO, "card_1", "next")
    assert after["seq"] == base + 2
    await alice.wait_seq(APOLLO, base + 2)


async def test_comment_byte_limit_is_configurable(hubbub):
    hub = hubbub(max_comment_bytes=10)
    alice = await connect_as(hub, "alice")
    await alice.join(APOLLO)
    await alice.comment(APOLLO, "card_1", "0123456789")
    err = await alice.fail("comment", "too_large", room=APOLLO, card_id="card_1", text="é" * 6)
    assert err["details"]["limit_bytes"] == 10 and err["details"]["size_bytes"] == 12


async def test_mentions_reach_every_connection_of_the_mentioned_user(hubbub):
    hub = hubbub()
    alice = await connect_as(hub, "alice")
    bob_room = await connect_as(hub, "bob", label="bob-in-room")
    bob_idle = await connect_as(hub, "bob", label="bob-no-room")
    carol = await connect_as(hub, "carol")  # joined nowhere
    dan = await connect_as(hub, "dan")
    eve = await connect_as(hub, "eve")  # not a member of the project
    await alice.join(APOLLO)
    await bob_room.join(APOLLO)
    await dan.join(APOLLO)
    text = "@bob and @Carol.Chen please look; cc @zed @eve @alice and again @BOB"
    cmd_id = new_id()
    result = await alice.ok("comment", id=cmd_id, room=APOLLO, card_id="card_1", text=text)
    assert result["mentions"] == [{"user_id": "u_bob", "username": "bob"},
                                  {"user_id": "u_carol", "username": "carol.chen"}]
    got = {}
    for c in (bob_room, bob_idle, carol):
        m = await c.wait_type("mention", timeout=3)
        got[c.label] = m
        assert m["room"] == APOLLO
        assert m["actor"] == {"user_id": "u_alice", "name": "Alice Adams"}
        assert m["correlation_id"] == cmd_id
        assert m["payload"] == {
            "project": {"id": APOLLO, "name": "Apollo launch"},
            "card": {"id": "card_1", "title": "Launch checklist"},
            "comment": {"id": result["comment_id"], "excerpt": text},
            "comment_event_id": result["event_id"],
            "comment_seq": result["seq"],
        }
        assert "seq" not in m
    # One notification per user: the same event_id on all of Bob's connections, its own id.
    assert got["bob-in-room"]["event_id"] == got["bob-no-room"]["event_id"]
    assert got["bob-in-room"]["event_id"] != got["carol"]["event_id"]
    assert got["bob-in-room"]["event_id"] != result["event_id"]
    # Not the author, not a non-member, not an unmentioned member.
    for c in (alice, dan, eve):
        await c.expect_none(lambda m: m["type"] == "mention", within=0.3 if c is alice else 0.0)
    await bob_room.wait_seq(APOLLO, result["seq"])
    assert event_at(bob_room, APOLLO, result["seq"])["payload"]["mentions"] == result["mentions"]


async def test_mention_excerpt_is_cut_at_200_code_points(hubbub):
    hub = hubbub()
    alice = await connect_as(hub, "alice")
    bob = await connect_as(hub, "bob")
    await alice.join(APOLLO)
    text = "@bob " + "😀" * 100 + "ß" * 150  # 255 code points, non-BMP ones included
    await alice.comment(APOLLO, "card_3", text)
    m = await bob.wait_type("mention")
    assert m["payload"]["comment"]["excerpt"] == text[:200] + "…"
    short = "@bob " + "x" * 195  # exactly 200: not cut
    await alice.comment(APOLLO, "card_3", short)
    m = await bob.wait_type("mention")
    assert m["payload"]["comment"]["excerpt"] == short
    assert m["payload"]["card"] == {"id": "card_3", "title": "Venue"}


async def test_mention_grammar_examples_of_the_readme(hubbub):
    """Every row of the README's mention table (8.2), posted by its author."""
    hub = hubbub()
    usernames, author, rows = mention_examples()
    assert author == "dan-d" and set(usernames) == {"alice", "bob", "carol.chen", "dan-d"}
    dan = await connect_as(hub, "dan")
    await dan.join(APOLLO)
    ids = {"alice": "u_alice", "bob": "u_bob", "carol.chen": "u_carol", "dan-d": "u_dan"}
    mismatches = []
    for text, want in rows:
        assert grammar_mentions(text, usernames, author) == want
        result = await dan.comment(APOLLO, "card_1", text)
        expected = [{"user_id": ids[u], "username": u} for u in want]
        if result["mentions"] != expected:
            mismatches.append(f"{text!r}: got {result['mentions']}, want {expected}")
    assert not mismatches, "\n".join(mismatches)


async def test_mentions_are_capped_at_50_members(hubbub):
    members = [{"user_id": f"u_m{i:02d}", "name": f"M {i}", "email": f"m{i}@x.example", "username": f"m{i:02d}"}
               for i in range(60)]
    world = {"projects": [{"id": "p_many", "name": "Many", "members": members,
                           "columns": [{"id": "col_m", "name": "M", "cards": [{"id": "card_m", "title": "M"}]}]}]}
    hub = hubbub(world=world)
    from hubclient import HubClient, mint_token
    c = await HubClient.open(hub.base, mint_token("u_m00", "M 0"))
    await c.join("p_many")
    text = " ".join(f"@m{i:02d}" for i in range(59, -1, -1))
    result = await c.comment("p_many", "card_m", text)
    assert [m["username"] for m in result["mentions"]] == [f"m{i:02d}" for i in range(59, 9, -1)]


async def test_idempotent_retry_returns_the_same_ack_and_no_second_event(hubbub):
    hub = hubbub()
    tab1 = await connect_as(hub, "alice", label="alice-tab1")
    tab2 = await connect_as(hub, "alice", label="alice-tab2")
    bob = await connect_as(hub, "bob")
    for c in (tab1, tab2, bob):
        await c.join(APOLLO)
    cid = new_id()
    fields = dict(room=APOLLO, card_id="card_1", text="only once @bob")
    first = await tab1.ok("comment", id=cid, **fields)
    again = await tab1.ok("comment", id=cid, **fields)
    assert again == first
    # echo and unknown members do not count; another connection of the same user gets it too.
    other = await tab2.ok("comment", id=cid, echo=False, **fields)
    assert other == first
    # Pipelined retries while the first may still be in flight.
    cid2 = new_id()
    p = [await tab1.send({"type": "comment", "id": cid2, **fields}) for _ in range(3)]
    replies = [await tab1.reply(x) for x in p]
    assert all(r["type"] == "ack" for r in replies) and replies[0] == replies[1] == replies[2]
    # A different command with a used id: duplicate, nothing applied.
    dup = await tab1.fail("comment", "duplicate", id=cid, room=APOLLO, card_id="card_1", text="something else")
    assert dup["details"]["reason"] == "id_reused"
    await tab1.fail("card_create", "duplicate", id=cid, room=APOLLO, column_id="col_done", position=0, title="x")
    # Ids are per user: Bob may use the same id for his own command.
    bobs = await bob.ok("comment", id=cid, room=APOLLO, card_id="card_2", text="bob's own")
    assert bobs["seq"] == replies[0]["result"]["seq"] + 1
    for c in (tab1, tab2, bob):
        await c.wait_seq(APOLLO, bobs["seq"])
        events = c.rooms[APOLLO].events
        assert [e["seq"] for e in events] == list(range(c.rooms[APOLLO].boundary + 1, bobs["seq"] + 1))
        assert len([e for e in events if e["correlation_id"] == cid]) == 2  # alice's once, bob's once
        assert len([e for e in events if e["correlation_id"] == cid2]) == 1
    # The retry did not notify again.
    await asyncio.sleep(0.2)
    mentions = [m for m in bob.received if m["type"] == "mention"]
    assert len(mentions) == 2  # one for cid, one for cid2


async def test_errors_are_not_remembered_for_idempotency(hubbub):
    hub = hubbub()
    alice = await connect_as(hub, "alice")
    await alice.join(APOLLO)
    base = alice.rooms[APOLLO].head_seq
    cid = new_id()
    await alice.fail("comment", "not_found", id=cid, room=APOLLO, card_id="card_missing", text="first try")
    ok = await alice.ok("comment", id=cid, room=APOLLO, card_id="card_1", text="second try")
    assert ok["seq"] == base + 1
    assert await alice.ok("comment", id=cid, room=APOLLO, card_id="card_1", text="second try") == ok


async def test_mention_of_an_offline_member_is_recorded_in_the_outbox(hubbub):
    """README 8.3: a mentioned member with no live connection gets an outbox row (for the
    e-mail queue), written with the event; a connected one gets `mention` and no row."""
    hub = hubbub()
    alice = await connect_as(hub, "alice")
    bob = await connect_as(hub, "bob")  # online, in no room
    await alice.join(APOLLO)
    result = await alice.ok("comment", room=APOLLO, card_id="card_1", text="@bob and @carol.chen, see this")
    assert [m["user_id"] for m in result["mentions"]] == ["u_bob", "u_carol"]
    await bob.wait_type("mention", timeout=3)
    rows = hub.query("SELECT user_id, email, kind, event_id, seq, state FROM outbox ORDER BY id")
    assert rows == [("u_carol", "carol.chen@people.example", "mention", result["event_id"], result["seq"], "pending")]
