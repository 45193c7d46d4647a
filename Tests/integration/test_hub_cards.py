"""Cards: card_create and card_move with optimistic concurrency, conflict
with `details.card`, the idempotent retry of a move, and many concurrent
movers converging on one board (README 3 `card_create`/`card_move`, 5, 6.2, 9)."""
import asyncio
import random

from hubclient import APOLLO, HubClient, board_find, connect_as, new_id


async def test_card_create_inserts_and_clamps(hubbub):
    hub = hubbub()
    alice = await connect_as(hub, "alice")
    bob = await connect_as(hub, "bob")
    await alice.join(APOLLO)
    await bob.join(APOLLO)
    base = alice.rooms[APOLLO].head_seq
    cid = new_id()
    top = await alice.ok("card_create", id=cid, room=APOLLO, column_id="col_backlog", position=0, title="On top")
    card = top["card"]
    assert (card["column_id"], card["position"], card["title"], card["version"]) == ("col_backlog", 0, "On top", 1)
    assert card["created_at"] == card["updated_at"]
    assert top["seq"] == base + 1
    await bob.wait_seq(APOLLO, base + 1)
    ev = bob.rooms[APOLLO].by_seq[base + 1]
    assert ev["type"] == "card.created" and ev["payload"]["card"] == card and ev["correlation_id"] == cid
    assert [c["id"] for c in bob.rooms[APOLLO].board["columns"][0]["cards"]] == [card["id"], "card_1", "card_2", "card_3"]
    # Past the end means last, with the actual position reported.
    last = await bob.ok("card_create", room=APOLLO, column_id="col_doing", position=999, title="At the end")
    assert last["card"]["position"] == 1 and last["card"]["column_id"] == "col_doing"
    middle = await bob.ok("card_create", room=APOLLO, column_id="col_backlog", position=2, title="Middle")
    assert middle["card"]["position"] == 2
    # Errors.
    err = await alice.fail("card_create", "not_found", room=APOLLO, column_id="col_nope", position=0, title="x")
    assert err["details"]["field"] == "/column_id"
    err = await alice.fail("card_create", "too_large", room=APOLLO, column_id="col_done", position=0,
                           title="é" * 251, validate=False)
    assert err["details"]["field"] == "/title"
    assert err["details"]["limit_bytes"] == 500 and err["details"]["size_bytes"] == 502
    await alice.ok("card_create", room=APOLLO, column_id="col_done", position=0, title="é" * 250)
    await alice.wait_seq(APOLLO, base + 4)
    await bob.wait_seq(APOLLO, base + 4)
    fresh = await alice.ok("board", room=APOLLO)
    assert fresh["head_seq"] == base + 4
    assert fresh["board"] == alice.rooms[APOLLO].board == bob.rooms[APOLLO].board


async def test_card_move_conflict_and_retry(hubbub):
    hub = hubbub()
    alice = await connect_as(hub, "alice")
    bob = await connect_as(hub, "bob")
    await alice.join(APOLLO)
    await bob.join(APOLLO)
    move_id = new_id()
    move = dict(room=APOLLO, card_id="card_1", to_column_id="col_done", to_position=0, expected_version=1)
    first = await alice.ok("card_move", id=move_id, **move)
    assert (first["card"]["column_id"], first["card"]["position"], first["card"]["version"]) == ("col_done", 0, 2)
    await bob.wait_seq(APOLLO, first["seq"])
    ev = bob.rooms[APOLLO].by_seq[first["seq"]]
    assert ev["type"] == "card.moved"
    assert ev["payload"]["from"] == {"column_id": "col_backlog", "position": 0}
    assert ev["payload"]["to"] == {"column_id": "col_done", "position": 0}
    assert ev["payload"]["card"] == first["card"]
    # Bob moves with the version he saw before: conflict, with the card as it is now.
    conflict = await bob.fail("card_move", "conflict", room=APOLLO, card_id="card_1", to_column_id="col_doing",
                              to_position=0, expected_version=1)
    assert conflict["details"]["card"] == first["card"]
    assert conflict["retryable"] is False
    # Retrying Alice's applied move with the same id: the original ack, not conflict, no new event.
    assert await alice.ok("card_move", id=move_id, **move) == first
    # The redo with the current version works.
    redo = await bob.ok("card_move", room=APOLLO, card_id="card_1", to_column_id="col_doing", to_position=0,
                        expected_version=2)
    assert redo["seq"] == first["seq"] + 1 and redo["card"]["version"] == 3
    # Moving within a column; past the end clamps (the index is after taking the card out).
    within = await alice.ok("card_move", room=APOLLO, card_id="card_2", to_column_id="col_backlog", to_position=50,
                            expected_version=1)
    assert (within["card"]["column_id"], within["card"]["position"]) == ("col_backlog", 1)
    await alice.wait_seq(APOLLO, within["seq"])
    ev = alice.rooms[APOLLO].by_seq[within["seq"]]
    assert ev["payload"]["from"] == {"column_id": "col_backlog", "position": 0}
    assert ev["payload"]["to"] == {"column_id": "col_backlog", "position": 1}
    # Same place: still a move, the version goes up.
    same = await alice.ok("card_move", room=APOLLO, card_id="card_4", to_column_id="col_doing", to_position=1,
                          expected_version=1)
    assert same["card"]["version"] == 2
    # Errors.
    err = await alice.fail("card_move", "not_found", room=APOLLO, card_id="card_nope", to_column_id="col_done",
                           to_position=0, expected_version=1)
    assert err["details"]["field"] == "/card_id"
    err = await alice.fail("card_move", "not_found", room=APOLLO, card_id="card_3", to_column_id="col_nope",
                           to_position=0, expected_version=1)
    assert err["details"]["field"] == "/to_column_id"
    await alice.fail("card_move", "duplicate", id=move_id, room=APOLLO, card_id="card_1", to_column_id="col_done",
                     to_position=1, expected_version=1)
    await bob.wait_seq(APOLLO, same["seq"])
    fresh = await bob.ok("board", room=APOLLO)
    assert fresh["head_seq"] == same["seq"]
    assert fresh["board"] == alice.rooms[APOLLO].board == bob.rooms[APOLLO].board
    assert [e["seq"] for e in bob.rooms[APOLLO].events] == list(range(bob.rooms[APOLLO].boundary + 1, same["seq"] + 1))


async def test_echo_false_moves_keep_the_local_board_right(hubbub):
    hub = hubbub()
    alice = await connect_as(hub, "alice")
    bob = await connect_as(hub, "bob")
    await alice.join(APOLLO)
    await bob.join(APOLLO)
    base = alice.rooms[APOLLO].head_seq
    a = await alice.ok("card_create", room=APOLLO, column_id="col_done", position=0, title="quiet", echo=False)
    b = await bob.ok("card_move", room=APOLLO, card_id="card_3", to_column_id="col_done", to_position=0,
                     expected_version=1)
    c = await alice.ok("card_move", room=APOLLO, card_id=a["card"]["id"], to_column_id="col_backlog", to_position=0,
                       expected_version=1, echo=False)
    d = await bob.ok("comment", room=APOLLO, card_id="card_3", text="done")
    assert [a["seq"], b["seq"], c["seq"], d["seq"]] == [base + 1, base + 2, base + 3, base + 4]
    await alice.wait_seq(APOLLO, base + 4)
    await bob.wait_seq(APOLLO, base + 4)
    assert sorted(alice.rooms[APOLLO].by_seq) == [base + 2, base + 4]
    fresh = await alice.ok("board", room=APOLLO)
    assert fresh["board"] == alice.rooms[APOLLO].board == bob.rooms[APOLLO].board


async def test_concurrent_moves_from_many_clients_converge(hubbub):
    """Eight connections move cards at random at the same time, each from its own
    view of the board; conflicts are expected. Applying the events in seq order
    (README 6.2) must give every client the server's board."""
    hub = hubbub()
    users = ["alice", "bob", "carol", "dan"] * 2
    clients = [await connect_as(hub, u, label=f"{u}-{i}") for i, u in enumerate(users)]
    for c in clients:
        await c.join(APOLLO)
    base = clients[0].rooms[APOLLO].head_seq
    # More cards, so that moves have something to shuffle.
    for i in range(6):
        await clients[0].ok("card_create", room=APOLLO, column_id=["col_backlog", "col_doing", "col_done"][i % 3],
                            position=i, title=f"extra {i}")
    columns = ["col_backlog", "col_doing", "col_done"]
    stats = {"acks": 0, "conflicts": 0}

    async def mover(c, seed):
        rng = random.Random(seed)
        for _ in range(15):
            board = c.rooms[APOLLO].board
            cards = [card for col in board["columns"] for card in col["cards"]]
            card = rng.choice(cards)
            reply = await c.cmd("card_move", room=APOLLO, card_id=card["id"], to_column_id=rng.choice(columns),
                                to_position=rng.randint(0, 6), expected_version=card["version"])
            if reply["type"] == "ack":
                stats["acks"] += 1
            else:
                assert reply["code"] == "conflict", reply
                stats["conflicts"] += 1
                current = reply["details"]["card"]
                assert current["id"] == card["id"] and current["version"] > card["version"]
            await asyncio.sleep(rng.random() * 0.01)

    await asyncio.gather(*(mover(c, i) for i, c in enumerate(clients)))
    assert stats["acks"] > 0
    head = base + 6 + stats["acks"]
    for c in clients:
        await c.wait_seq(APOLLO, head, timeout=10)
    watcher = await connect_as(hub, "carol", label="late")
    fresh = await watcher.join(APOLLO)
    assert fresh["head_seq"] == head
    for c in clients:
        assert c.rooms[APOLLO].last_seq == head
        assert c.rooms[APOLLO].board == fresh["board"], f"{c.label}'s board differs from the server's"
    versions = {card["id"]: card["version"] for col in fresh["board"]["columns"] for card in col["cards"]}
    assert sum(v - 1 for v in versions.values()) == stats["acks"], "every applied move is one version step"


async def test_echo_false_acks_take_their_events_place_under_concurrency(hubbub):
    """With echo:false the ack replaces the event in the sender's stream (README 2.5.1):
    a client following README 6.3 treats a later event arriving before that ack as a
    gap. Four connections post concurrently, half of the commands with echo:false;
    the client checks every stream (HubClient: 'echo:false ack ... arrived after the
    stream passed it')."""
    hub = hubbub()
    clients = [await connect_as(hub, u, label=f"{u}-{i}") for i, u in enumerate(["alice", "bob", "carol", "dan"])]
    for c in clients:
        await c.join(APOLLO)
    base = clients[0].rooms[APOLLO].head_seq

    async def poster(c, seed):
        rng = random.Random(seed)
        for i in range(25):
            if rng.random() < 0.5:
                await c.ok("card_create", room=APOLLO, column_id="col_done", position=rng.randint(0, 3),
                           title=f"{c.label} {i}", echo=rng.random() < 0.5)
            else:
                await c.ok("comment", room=APOLLO, card_id="card_1", text=f"{c.label} {i}", echo=rng.random() < 0.5)

    await asyncio.gather(*(poster(c, i) for i, c in enumerate(clients)))
    for c in clients:
        await c.wait_seq(APOLLO, base + 100, timeout=10)
    fresh = await clients[0].ok("board", room=APOLLO)
    for c in clients:
        assert c.rooms[APOLLO].board == fresh["board"], c.label
