"""Rooms: join (members only), the board snapshot, already_joined, the room
limit, leave, board, not_joined (README 3 `join`/`leave`/`board`, 6.1, 6.2)."""
import asyncio

from hubclient import APOLLO, APOLLO_COLUMNS, SEEDED_HEAD, USERS, WORLD, connect_as, parse_time


def expected_members(project_id):
    project = next(p for p in WORLD["projects"] if p["id"] == project_id)
    return sorted(({"user_id": m["user_id"], "name": m["name"], "username": m["username"]}
                   for m in project["members"]), key=lambda m: m["user_id"])


async def test_join_gives_board_members_and_presence_state(hubbub):
    hub = hubbub()
    alice = await connect_as(hub, "alice")
    result = await alice.join(APOLLO, presence={"viewing_card": "card_1"})
    assert result["room"] == APOLLO
    assert result["head_seq"] == SEEDED_HEAD[APOLLO]  # the seeded cards are card.created events
    assert result["project"] == {"id": APOLLO, "name": "Apollo launch"}
    assert sorted(result["members"], key=lambda m: m["user_id"]) == expected_members(APOLLO)
    board = result["board"]
    assert [c["id"] for c in board["columns"]] == [c["id"] for c in APOLLO_COLUMNS]
    for got, want in zip(board["columns"], APOLLO_COLUMNS):
        assert got["name"] == want["name"]
        assert [(c["id"], c["title"], c["position"], c["column_id"], c["version"]) for c in got["cards"]] == [
            (c["id"], c["title"], i, want["id"], 1) for i, c in enumerate(want["cards"])]
        for card in got["cards"]:
            assert parse_time(card["created_at"]) <= parse_time(card["updated_at"])
    state = [m for m in alice.received if m["type"] == "presence_state"]
    assert len(state) == 1
    assert state[0]["mode"] == "full"
    me = state[0]["presences"]["u_alice"]
    assert me["name"] == "Alice Adams" and me["username"] == "alice"
    assert [(m["conn_id"], m["state"]) for m in me["metas"]] == [(alice.conn_id, {"viewing_card": "card_1"})]
    # The order for one join: ack, then presence_state (README 6.1).
    types = [m["type"] for m in alice.received]
    assert types.index("presence_state") > types.index("ack")


async def test_join_is_for_members_only(hubbub):
    hub = hubbub()
    bob = await connect_as(hub, "bob")
    eve = await connect_as(hub, "eve")
    not_member = await bob.fail("join", "forbidden", room="p_zeus")
    unknown = await bob.fail("join", "forbidden", room="p_does_not_exist")
    # The two cases are not told apart (errors.md, forbidden).
    assert not_member.get("details", {}).keys() == unknown.get("details", {}).keys()
    assert not_member["retryable"] is False
    await eve.fail("join", "forbidden", room=APOLLO)
    await eve.join("p_zeus")
    # A refused join did not join: room commands answer not_joined.
    err = await bob.fail("board", "not_joined", room="p_zeus")
    assert err["details"]["room"] == "p_zeus"
    await bob.join(APOLLO)


async def test_join_twice_is_already_joined(hubbub):
    hub = hubbub()
    alice = await connect_as(hub, "alice")
    await alice.join(APOLLO)
    err = await alice.fail("join", "bad_request", room=APOLLO)
    assert err["details"]["reason"] == "already_joined"
    err = await alice.fail("join", "bad_request", room=APOLLO, since_seq=0)
    assert err["details"]["reason"] == "already_joined"
    # Still joined, and exactly one presence_state was sent.
    result = await alice.comment(APOLLO, "card_1", "still joined")
    await alice.wait_seq(APOLLO, result["seq"])
    assert len([m for m in alice.received if m["type"] == "presence_state"]) == 1


async def test_rooms_per_connection_limit(hubbub):
    hub = hubbub(max_rooms_per_connection=3)
    alice = await connect_as(hub, "alice")
    assert alice.welcome["limits"]["max_rooms_per_connection"] == 3
    for room in ("p_r1", "p_r2", "p_r3"):
        await alice.join(room)
    err = await alice.fail("join", "limit_exceeded", room="p_r4")
    assert err["details"]["limit"] == "max_rooms_per_connection" and err["details"]["max"] == 3
    await alice.fail("board", "not_joined", room="p_r4")
    # The limit is per connection.
    other = await connect_as(hub, "alice", label="alice-2")
    await other.join("p_r4")
    await alice.ok("leave", room="p_r1")
    await alice.join("p_r4")


async def test_leave_ends_events_and_presence_at_once(hubbub):
    hub = hubbub(presence_grace="10s")
    alice = await connect_as(hub, "alice")
    bob = await connect_as(hub, "bob")
    await bob.join(APOLLO)
    await alice.join(APOLLO)
    await bob.wait_for(lambda m: m["type"] == "presence_diff" and "u_alice" in m["joins"], what="alice joins")
    assert await alice.ok("leave", room=APOLLO) == {"room": APOLLO}
    alice.consume_all()
    diff = await bob.wait_for(lambda m: m["type"] == "presence_diff" and "u_alice" in m["leaves"], timeout=1.5,
                              what="alice leaves at once, without grace")
    assert diff["leaves"]["u_alice"]["metas"][0]["conn_id"] == alice.conn_id
    # After the leave ack nothing about the room arrives (the client flags any event).
    r = await bob.comment(APOLLO, "card_1", "alice will not see this")
    await bob.wait_seq(APOLLO, r["seq"])
    await alice.expect_none(lambda m: m.get("room") == APOLLO, within=0.3, what="message about a left room")
    err = await alice.fail("leave", "not_joined", room=APOLLO)
    assert err["details"]["room"] == APOLLO
    await alice.fail("board", "not_joined", room=APOLLO)
    await alice.fail("comment", "not_joined", room=APOLLO, card_id="card_1", text="x")
    # Rejoining works and starts a new stream at the new head.
    result = await alice.join(APOLLO)
    assert result["head_seq"] == r["seq"]


async def test_room_commands_need_the_room_joined(hubbub):
    hub = hubbub()
    alice = await connect_as(hub, "alice")
    await alice.join(APOLLO)
    for ctype, fields in [
        ("board", {}), ("leave", {}), ("presence_roster", {}),
        ("comment", {"card_id": "card_z1", "text": "hi"}),
        ("card_create", {"column_id": "col_z", "position": 0, "title": "t"}),
        ("card_move", {"card_id": "card_z1", "to_column_id": "col_z", "to_position": 0, "expected_version": 1}),
        ("ephemeral", {"key": "typing", "data": {}}),
        ("presence_update", {"state": {}}),
    ]:
        err = await alice.fail(ctype, "not_joined", room="p_zeus", **fields)
        assert err["details"]["room"] == "p_zeus", err


async def test_board_command_reflects_head_seq(hubbub):
    hub = hubbub()
    alice = await connect_as(hub, "alice")
    bob = await connect_as(hub, "bob")
    await alice.join(APOLLO)
    await bob.join(APOLLO)
    created = await alice.ok("card_create", room=APOLLO, column_id="col_done", position=0, title="Ship it")
    moved = await bob.ok("card_move", room=APOLLO, card_id="card_1", to_column_id="col_doing", to_position=1,
                         expected_version=1)
    await alice.wait_seq(APOLLO, moved["seq"])
    result = await alice.ok("board", room=APOLLO)
    assert result["room"] == APOLLO
    assert result["head_seq"] == moved["seq"] == created["seq"] + 1
    assert sorted(result["members"], key=lambda m: m["user_id"]) == expected_members(APOLLO)
    assert result["board"] == alice.rooms[APOLLO].board
    assert result["board"] == bob.rooms[APOLLO].board
    done = result["board"]["columns"][2]["cards"]
    assert [c["id"] for c in done] == [created["card"]["id"]]
    doing = result["board"]["columns"][1]["cards"]
    assert [c["id"] for c in doing] == ["card_4", "card_1"] and doing[1]["version"] == 2
