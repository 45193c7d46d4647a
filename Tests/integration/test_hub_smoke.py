"""A smoke pass over the whole protocol on each I/O backend (`--io uring`,
`--io epoll`): handshake and the three ways to authenticate, join with a
board, comment fan-out with a mention, presence, ephemeral, card moves,
catch-up after a drop, and a graceful shutdown (1001)."""
import asyncio

import pytest

from conftest import BACKENDS
from hubclient import APOLLO, HubClient, check_handshake_error, connect_as, http_upgrade, token_for


@pytest.mark.parametrize("backend", BACKENDS)
async def test_smoke_session(hubbub, backend):
    hub = hubbub(io=backend, presence_grace="5s")
    assert f"io={backend}" in hub.log
    status, headers, body = http_upgrade(hub.port, headers={"Authorization": f"Bearer {token_for('alice')}"},
                                         subprotocol=None)
    check_handshake_error(status, headers, body, 400, "unsupported_subprotocol")
    status, headers, body = http_upgrade(hub.port, headers={"Authorization": "Bearer nope"})
    check_handshake_error(status, headers, body, 401, "unauthorized")

    alice = await connect_as(hub, "alice", via="inband")
    bob = await connect_as(hub, "bob", via="query")
    bob_phone = await connect_as(hub, "bob", label="bob-phone")  # in no room
    joined = await alice.join(APOLLO, presence={"viewing_card": "card_1"})
    assert len(joined["board"]["columns"]) == 3
    await bob.join(APOLLO)
    d = await alice.wait_for(lambda m: m["type"] == "presence_diff" and "u_bob" in m["joins"], what="bob joins")
    assert d["joins"]["u_bob"]["metas"][0]["conn_id"] == bob.conn_id

    c1 = await alice.comment(APOLLO, "card_1", "hi @bob")
    for cl in (alice, bob):
        await cl.wait_seq(APOLLO, c1["seq"])
    for cl in (bob, bob_phone):
        m = await cl.wait_type("mention")
        assert m["payload"]["comment_seq"] == c1["seq"]
    await alice.ok("ephemeral", room=APOLLO, key="typing", data={"card_id": "card_1", "active": True})
    e = await bob.wait_type("ephemeral", APOLLO)
    assert e["conn_id"] == alice.conn_id
    mv = await bob.ok("card_move", room=APOLLO, card_id="card_1", to_column_id="col_done", to_position=0,
                      expected_version=1)
    await alice.fail("card_move", "conflict", room=APOLLO, card_id="card_1", to_column_id="col_doing",
                     to_position=0, expected_version=1)
    await alice.wait_seq(APOLLO, mv["seq"])

    # Bob drops; Alice posts; Bob resumes and catches up.
    last, board, old = bob.rooms[APOLLO].last_seq, bob.rooms[APOLLO].board, bob.conn_id
    bob.drop()
    posted = [await alice.comment(APOLLO, "card_2", f"while away {i}") for i in range(3)]
    bob2 = await HubClient.open(hub.base, token_for("bob"), resume=old, label="bob-2")
    assert bob2.welcome["resumed"] is True and bob2.conn_id == old
    res = await bob2.join(APOLLO, since_seq=last, board=board)
    assert res["head_seq"] == posted[-1]["seq"]
    await bob2.wait_seq(APOLLO, res["head_seq"])
    assert [e["event_id"] for e in bob2.rooms[APOLLO].events] == [p["event_id"] for p in posted]
    await alice.expect_none(lambda m: m["type"] == "presence_diff" and "u_bob" in m.get("leaves", {}), within=0.2)
    fresh = await alice.ok("board", room=APOLLO)
    assert fresh["board"] == alice.rooms[APOLLO].board == bob2.rooms[APOLLO].board

    # Graceful shutdown: every connection gets 1001.
    await asyncio.to_thread(hub.hub.stop)
    for cl in (alice, bob2, bob_phone):
        code, _ = await cl.wait_closed(5)
        assert code == 1001, (cl.label, code)
