"""Presence: user-level diffs for several tabs, the grace period, resume,
presence_update with its rate limit, counts mode and the roster, and
ephemeral relays (README 3 `ephemeral`/`presence_*`, 4, 7)."""
import asyncio
import time

from hubclient import APOLLO, HubClient, connect_as, token_for


def diff_with(room, user, kind):
    return lambda m: m["type"] == "presence_diff" and m["room"] == room and user in m.get(kind, {})


def conn_ids(entry):
    return sorted(m["conn_id"] for m in entry["metas"])


def alice_lists(client, room=APOLLO):
    """The lists of all diffs the client got that mention u_alice."""
    return [k for d in client.rooms[room].diffs for k in ("joins", "leaves", "updates") if "u_alice" in d.get(k, {})]


async def test_two_tabs_are_one_user(hubbub):
    hub = hubbub(presence_grace="10s")
    bob = await connect_as(hub, "bob")
    await bob.join(APOLLO)
    tab1 = await connect_as(hub, "alice", label="alice-tab1")
    await tab1.join(APOLLO, presence={"viewing_card": "card_1"})
    d = await bob.wait_for(diff_with(APOLLO, "u_alice", "joins"), what="alice joins")
    assert conn_ids(d["joins"]["u_alice"]) == [tab1.conn_id]
    assert d["joins"]["u_alice"]["metas"][0]["state"] == {"viewing_card": "card_1"}
    assert d["joins"]["u_alice"]["username"] == "alice" and d["joins"]["u_alice"]["name"] == "Alice Adams"
    tab2 = await connect_as(hub, "alice", label="alice-tab2")
    await tab2.join(APOLLO)
    own = tab2.rooms[APOLLO].presence
    assert conn_ids(own["u_alice"]) == sorted([tab1.conn_id, tab2.conn_id])
    assert conn_ids(own["u_bob"]) == [bob.conn_id]
    # A second tab of a present user is an update with the whole entry, for everyone (tab1 too).
    for c in (bob, tab1):
        d = await c.wait_for(diff_with(APOLLO, "u_alice", "updates"), what="alice's second tab")
        assert conn_ids(d["updates"]["u_alice"]) == sorted([tab1.conn_id, tab2.conn_id])
    # Closing one of two tabs: an update at once (no grace while another connection remains).
    await tab1.close()
    t0 = time.monotonic()
    d = await bob.wait_for(diff_with(APOLLO, "u_alice", "updates"), timeout=2, what="tab1 gone")
    assert conn_ids(d["updates"]["u_alice"]) == [tab2.conn_id]
    assert time.monotonic() - t0 < 2
    # The last tab's explicit leave: a leave at once, without grace.
    await tab2.ok("leave", room=APOLLO)
    d = await bob.wait_for(diff_with(APOLLO, "u_alice", "leaves"), timeout=2, what="alice leaves")
    assert alice_lists(bob) == ["joins", "updates", "updates", "leaves"]
    assert set(bob.rooms[APOLLO].presence) == {"u_bob"}


async def test_presence_state_is_the_whole_room_even_within_a_batch_window(hubbub):
    """presence_state is the room's whole presence, including users whose join is
    still waiting for the next batched diff (README 4 `presence_state`, 7.2)."""
    hub = hubbub(presence_batch_window="300ms")
    joined = []
    for name in ("alice", "bob", "carol", "dan"):
        cl = await connect_as(hub, name)
        await cl.join(APOLLO)
        joined.append(cl)
        state = cl.rooms[APOLLO].join_presence_state
        want = {f"u_{n.label}": [n.conn_id] for n in joined}
        got = {u: conn_ids(e) for u, e in state["presences"].items()}
        assert got == want, f"{name} joined and got presence_state {got}, the room holds {want}"


async def test_presence_state_of_a_joiner_counts_the_joiner(hubbub):
    """The joiner that takes the room over presence_full_max_users gets a counts-mode
    presence_state (a full one would list more users than full mode allows), and in
    counts mode the joiner's state includes the joiner in its totals (README 7.5)."""
    hub = hubbub(presence_full_max_users=1, presence_full_min_users=0)
    first = await connect_as(hub, "alice")
    await first.join(APOLLO)
    await asyncio.sleep(0.2)
    problems = []
    for n, name in enumerate(("bob", "carol", "dan"), start=2):
        cl = await connect_as(hub, name)
        await cl.join(APOLLO)
        state = cl.rooms[APOLLO].join_presence_state
        got = (state["mode"], state.get("total_users"), state.get("total_connections"))
        if got != ("counts", n, n):
            problems.append(f"{name} joined as user {n}: presence_state {got}, want ('counts', {n}, {n})")
        await asyncio.sleep(0.2)
    assert not problems, "\n".join(problems)


async def test_grace_period_hides_a_short_drop_and_ends_with_a_leave(hubbub):
    hub = hubbub(presence_grace="1s")
    bob = await connect_as(hub, "bob")
    await bob.join(APOLLO)
    alice = await connect_as(hub, "alice")
    await alice.join(APOLLO)
    await bob.wait_for(diff_with(APOLLO, "u_alice", "joins"), what="alice joins")
    alice.drop()
    await asyncio.sleep(0.3)
    # Back within the grace period, without resume: the new connection replaces the
    # held meta, one update with the new conn_id, never a leave and a join.
    alice2 = await connect_as(hub, "alice", label="alice-2")
    assert alice2.conn_id != alice.conn_id
    await alice2.join(APOLLO)
    d = await bob.wait_for(diff_with(APOLLO, "u_alice", "updates"), timeout=2, what="the replaced meta")
    assert conn_ids(d["updates"]["u_alice"]) == [alice2.conn_id]
    await asyncio.sleep(1.3)  # past the first connection's grace period: nothing more
    assert alice_lists(bob) == ["joins", "updates"]
    # Now the last connection drops for good: present for the grace period, then a leave.
    alice2.drop()
    t0 = time.monotonic()
    d = await bob.wait_for(diff_with(APOLLO, "u_alice", "leaves"), timeout=3, what="the leave after grace")
    elapsed = time.monotonic() - t0
    assert elapsed >= 0.85, f"left after {elapsed:.2f}s, before the 1s grace period"
    assert conn_ids(d["leaves"]["u_alice"]) == [alice2.conn_id]
    assert alice_lists(bob) == ["joins", "updates", "leaves"]


async def test_resume_keeps_the_conn_id_and_sends_nothing(hubbub):
    hub = hubbub(presence_grace="2s")
    bob = await connect_as(hub, "bob")
    await bob.join(APOLLO)
    alice = await connect_as(hub, "alice")
    await alice.join(APOLLO, presence={"viewing_card": "card_2"})
    joined = await bob.wait_for(diff_with(APOLLO, "u_alice", "joins"), what="alice joins")
    meta = joined["joins"]["u_alice"]["metas"][0]
    old = alice.conn_id
    last = alice.rooms[APOLLO].last_seq
    alice.drop()
    await asyncio.sleep(0.3)
    a2 = await HubClient.open(hub.base, token_for("alice"), resume=old, label="alice-resumed")
    assert a2.welcome["resumed"] is True and a2.conn_id == old
    await a2.join(APOLLO, since_seq=last)
    held = a2.rooms[APOLLO].presence["u_alice"]["metas"]
    assert held == [meta], "the held meta keeps its conn_id, state and joined_at"
    await bob.expect_none(lambda m: m["type"] == "presence_diff", within=0.6, what="diff after a resume")
    # A resumed rejoin with a different presence is an update (same conn_id).
    a2.drop()
    await asyncio.sleep(0.2)
    a3 = await HubClient.open(hub.base, token_for("alice"), resume=old, label="alice-resumed-2")
    assert a3.welcome["resumed"] is True and a3.conn_id == old
    await a3.join(APOLLO, since_seq=last, presence={"viewing_card": "card_3"})
    d = await bob.wait_for(diff_with(APOLLO, "u_alice", "updates"), what="the new state")
    assert [(m["conn_id"], m["state"], m["joined_at"]) for m in d["updates"]["u_alice"]["metas"]] == [
        (old, {"viewing_card": "card_3"}, meta["joined_at"])]
    # Resumes that cannot be honoured are ignored: another user's connection, an unknown id.
    carol = await HubClient.open(hub.base, token_for("carol"), resume=bob.conn_id, label="carol")
    assert carol.welcome["resumed"] is False and carol.conn_id != bob.conn_id
    other = await HubClient.open(hub.base, token_for("dan"), resume="cn_no_such_conn", label="dan")
    assert other.welcome["resumed"] is False
    # After the grace period has ended, the old conn_id cannot be resumed.
    a3.drop()
    await bob.wait_for(diff_with(APOLLO, "u_alice", "leaves"), timeout=4, what="the leave after grace")
    late = await HubClient.open(hub.base, token_for("alice"), resume=old, label="alice-late")
    assert late.welcome["resumed"] is False and late.conn_id != old
    assert alice_lists(bob) == ["joins", "updates", "leaves"]


async def test_presence_update_and_its_rate_limit(hubbub):
    hub = hubbub(presence_updates_per_second=1, presence_updates_burst=2)
    bob = await connect_as(hub, "bob")
    await bob.join(APOLLO)
    alice = await connect_as(hub, "alice")
    await alice.join(APOLLO)
    await bob.wait_for(diff_with(APOLLO, "u_alice", "joins"), what="alice joins")
    assert await alice.ok("presence_update", room=APOLLO, state={"viewing_card": "card_1"}) == {}
    assert await alice.ok("presence_update", room=APOLLO, state={"viewing_card": "card_2"}) == {}
    err = await alice.fail("presence_update", "rate_limited", room=APOLLO, state={"viewing_card": "card_3"})
    assert err["retryable"] is True
    assert err["details"]["bucket"] == "presence_update"
    assert 0 < err["retry_after_ms"] <= 1100
    # Others see the last applied state (coalesced or not), never the refused one.
    await bob.until(lambda: bob.rooms[APOLLO].presence["u_alice"]["metas"][0]["state"] == {"viewing_card": "card_2"},
                    2, "alice's state card_2")
    await asyncio.sleep(err["retry_after_ms"] / 1000 + 0.05)
    assert all(m["state"] != {"viewing_card": "card_3"}
               for d in bob.rooms[APOLLO].diffs for e in d["updates"].values() for m in e["metas"])
    await alice.ok("presence_update", room=APOLLO, state={"viewing_card": "card_3"})
    d = await bob.wait_for(lambda m: m["type"] == "presence_diff" and "u_alice" in m["updates"] and
                           m["updates"]["u_alice"]["metas"][0]["state"] == {"viewing_card": "card_3"},
                           what="the retried update")
    assert d["joins"] == {} and d["leaves"] == {}
    # Limits are per connection; a state over 1024 bytes is too_large.
    tab2 = await connect_as(hub, "alice", label="alice-tab2")
    await tab2.join(APOLLO)
    err = await tab2.fail("presence_update", "too_large", room=APOLLO, state={"note": "x" * 1100})
    assert err["details"]["field"] == "/state" and err["details"]["limit_bytes"] == 1024


async def test_counts_mode_and_the_roster(hubbub):
    hub = hubbub(presence_full_max_users=3, presence_full_min_users=2)
    room = "p_big"
    c = {}
    for i in (1, 2, 3):
        name = f"big{i:02d}"
        c[i] = await connect_as(hub, name)
        await c[i].join(room)
        await asyncio.sleep(0.1)  # past the batch window (see test_presence_state_is_the_whole_room...)
        assert c[i].rooms[room].presence_mode == "full"
    await c[3].until(lambda: set(c[3].rooms[room].presence) == {"u_big01", "u_big02", "u_big03"}, 1,
                     "big03 to see all three users")
    # Full mode roster works too.
    page = await c[1].ok("presence_roster", room=room)
    assert sorted(page["presences"]) == ["u_big01", "u_big02", "u_big03"] and page["next_cursor"] is None
    # The fourth user takes the room over presence_full_max_users: counts mode for everyone.
    c[4] = await connect_as(hub, "big04")
    await c[4].join(room)
    await c[4].until(lambda: c[4].rooms[room].counts == (4, 4), 1, "counts 4/4")
    for i in (1, 2, 3):
        s = await c[i].wait_for(lambda m: m["type"] == "presence_state" and m["mode"] == "counts",
                                what="presence_state counts")
        assert (s["total_users"], s["total_connections"]) == (4, 4), s
    c[5] = await connect_as(hub, "big05")
    await c[5].join(room)
    await c[5].until(lambda: c[5].rooms[room].counts == (5, 5), 1, "counts 5/5")
    for i in (1, 2, 3, 4):
        await c[i].wait_for(lambda m: m["type"] == "presence_diff" and m["mode"] == "counts" and
                            (m["total_users"], m["total_connections"]) == (5, 5), what="counts diff 5/5")
    c["5b"] = await connect_as(hub, "big05", label="big05-tab2")
    await c["5b"].join(room)
    for i in (1, 2, 3, 4, 5):
        await c[i].wait_for(lambda m: m["type"] == "presence_diff" and m["mode"] == "counts" and
                            (m["total_users"], m["total_connections"]) == (5, 6), what="counts diff 5/6")
    # Updates are accepted and announced to nobody; the totals do not change.
    await asyncio.sleep(0.1)
    for cl in c.values():
        cl.consume_all()
    await c[1].ok("presence_update", room=room, state={"hand": "raised"})
    for i in (1, 2, 3, 4, 5):
        await c[i].expect_none(lambda m: m["type"] in ("presence_diff", "presence_state"), within=0.3 if i == 1 else 0)
    # The roster, page by page, in user_id order, no one twice.
    seen, cursor, pages = [], None, 0
    while True:
        fields = {"room": room, "limit": 2}
        if cursor is not None:
            fields["cursor"] = cursor
        page = await c[3].ok("presence_roster", **fields)
        pages += 1
        assert page["room"] == room and page["total_users"] == 5 and page["total_connections"] == 6
        assert len(page["presences"]) <= 2
        seen += sorted(page["presences"])
        for uid, entry in page["presences"].items():
            if uid == "u_big05":
                assert len(entry["metas"]) == 2
            if uid == "u_big01":
                assert entry["metas"][0]["state"] == {"hand": "raised"}
        cursor = page["next_cursor"]
        if cursor is None:
            break
        assert pages < 10
    assert seen == [f"u_big0{i}" for i in range(1, 6)]
    assert pages == 3
    err = await c[3].fail("presence_roster", "bad_request", room=room, limit=501, validate=False)
    assert err["details"]["field"] == "/limit"
    # Back down: still counts until 2 users or fewer (presence_full_min_users), then full again.
    await c["5b"].ok("leave", room=room)
    await c[5].ok("leave", room=room)
    await c[1].until(lambda: c[1].rooms[room].counts == (4, 4), 2, "counts 4/4")
    await c[4].ok("leave", room=room)
    await c[1].until(lambda: c[1].rooms[room].counts == (3, 3), 2, "counts 3/3")
    assert c[1].rooms[room].presence_mode == "counts"
    await c[3].ok("leave", room=room)
    for i in (1, 2):
        s = await c[i].wait_for(lambda m: m["type"] == "presence_state" and m["mode"] == "full", timeout=2,
                                what="presence_state back in full mode")
        assert sorted(s["presences"]) == ["u_big01", "u_big02"]


async def test_ephemeral_relay(hubbub):
    hub = hubbub()
    tab1 = await connect_as(hub, "alice", label="alice-tab1")
    tab2 = await connect_as(hub, "alice", label="alice-tab2")
    bob = await connect_as(hub, "bob")
    carol = await connect_as(hub, "carol")  # not joined
    for cl in (tab1, tab2, bob):
        await cl.join(APOLLO)
    data = {"card_id": "card_1", "active": True}
    assert await tab1.ok("ephemeral", room=APOLLO, key="typing", data=data) == {}
    for cl in (tab2, bob):
        m = await cl.wait_type("ephemeral", APOLLO)
        assert (m["key"], m["data"], m["conn_id"]) == ("typing", data, tab1.conn_id)
        assert m["actor"] == {"user_id": "u_alice", "name": "Alice Adams"}
    await tab1.expect_none(lambda m: m["type"] == "ephemeral", within=0.3, what="relay back to the sender")
    await carol.expect_none(lambda m: m["type"] == "ephemeral", within=0)
    # Not persisted: no seq consumed.
    r = await bob.comment(APOLLO, "card_1", "first durable event")
    assert r["seq"] == bob.rooms[APOLLO].head_seq + 1
    err = await tab1.fail("ephemeral", "too_large", room=APOLLO, key="cursor", data={"blob": "x" * 5000})
    assert err["details"]["field"] == "/data" and err["details"]["limit_bytes"] == 4096
    err = await carol.fail("ephemeral", "not_joined", room=APOLLO, key="typing", data={})
    assert err["details"]["room"] == APOLLO
    err = await tab1.fail("ephemeral", "bad_request", room=APOLLO, key="Not A Key!", data={}, validate=False)
    assert err["details"]["field"] == "/key"


async def test_ephemeral_rate_limit(hubbub):
    hub = hubbub(ephemeral_per_second=1, ephemeral_burst=2)
    alice = await connect_as(hub, "alice")
    await alice.join(APOLLO)
    await alice.ok("ephemeral", room=APOLLO, key="cursor", data={"x": 1, "y": 1})
    await alice.ok("ephemeral", room=APOLLO, key="cursor", data={"x": 2, "y": 1})
    err = await alice.fail("ephemeral", "rate_limited", room=APOLLO, key="cursor", data={"x": 3, "y": 1})
    assert err["details"]["bucket"] == "ephemeral" and err["retry_after_ms"] > 0
    await asyncio.sleep(err["retry_after_ms"] / 1000 + 0.05)
    await alice.ok("ephemeral", room=APOLLO, key="cursor", data={"x": 3, "y": 1})
