"""PostgreSQL unreachable and back (issue 4): commands get the documented retryable
error `unavailable`, presence and ephemeral keep working, /readyz says 503 meanwhile
and 200 after, the hub reconnects by itself, and nothing acknowledged is lost."""
import asyncio
import json
import os
import time

import pytest

from hubclient import APOLLO, connect_as, new_id
from test_hub_http import http_exchange

pytestmark = pytest.mark.skipif(
    os.environ.get("HUBBUB_TEST_STORE") != "postgres", reason="runs with HUBBUB_TEST_STORE=postgres")


def readyz(port):
    [(status, body)] = http_exchange(port, b"GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 1, timeout=10)
    return status, json.loads(body)


async def test_commands_fail_retryably_while_postgres_is_down_and_nothing_acked_is_lost(hubbub, postgres_cluster):
    hub = hubbub()
    alice = await connect_as(hub, "alice")
    bob = await connect_as(hub, "bob")
    await alice.join(APOLLO)
    await bob.join(APOLLO)
    base = alice.rooms[APOLLO].head_seq
    before = await alice.ok("comment", room=APOLLO, card_id="card_1", text="before the outage")
    assert before["seq"] == base + 1
    assert readyz(hub.port)[0] == 200

    postgres_cluster.stop(immediate=True)
    try:
        retry_id = new_id()
        err = await alice.fail("comment", "unavailable", id=retry_id, room=APOLLO, card_id="card_1", text="during")
        assert err["retryable"] is True
        # Presence and ephemeral do not need the store.
        await alice.ok("presence_update", room=APOLLO, state={"viewing_card": "card_2"})
        await alice.ok("ephemeral", room=APOLLO, key="typing", data={"card_id": "card_1", "active": True})
        await bob.wait_type("ephemeral", timeout=3)
        status, body = readyz(hub.port)
        assert status == 503 and body["status"] == "unavailable"
    finally:
        postgres_cluster.start()

    # The hub reconnects with backoff: /readyz recovers, the same command now applies once.
    deadline = time.time() + 30
    while readyz(hub.port)[0] != 200:
        assert time.time() < deadline, "the hub did not become ready again"
        await asyncio.sleep(0.2)
    # Once ready, the pool has reconnected: the retried command applies at once.
    after = await alice.ok("comment", id=retry_id, room=APOLLO, card_id="card_1", text="during")
    assert after["seq"] == base + 2
    again = await alice.ok("comment", id=retry_id, room=APOLLO, card_id="card_1", text="during")
    assert again == after
    # Everything acknowledged is there, in order, for a client that catches up.
    carol = await connect_as(hub, "carol")
    await carol.join(APOLLO, since_seq=base)
    await carol.wait_seq(APOLLO, base + 2)
    assert [e["event_id"] for e in carol.rooms[APOLLO].events] == [before["event_id"], after["event_id"]]
