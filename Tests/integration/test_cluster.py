"""Several hub nodes sharing one redis-server and one PostgreSQL database, all started by
the tests on loopback: cross-node fan-out and mentions, one order per room under
concurrent publishes from every node, presence from any node, a node killed with
SIGKILL, a reconnect to another node inside the grace period, and a Redis restart
mid-stream (docs/redis.md)."""
import asyncio
import hashlib
import http.client
import json
import secrets
import signal
import time

import pytest

from conftest import HUB_DEFAULTS, seed_data_dir
from hubclient import APOLLO, SECRET, WORLD, connect_as
from pgcluster import PostgresCluster
from redisserver import RedisServer


@pytest.fixture(scope="module")
def pg():
    cluster = PostgresCluster()
    yield cluster
    cluster.destroy()


@pytest.fixture
def redis():
    server = RedisServer()
    yield server
    server.destroy()


class Node:
    def __init__(self, hub):
        self.hub = hub

    @property
    def base(self):
        return f"ws://127.0.0.1:{self.hub.port}"

    @property
    def log(self):
        return self.hub.log


@pytest.fixture
def cluster(pg, redis, hub_factory, tmp_path):
    """start(n, **flags) -> [Node]: n nodes on one seeded database and one Redis."""
    database = pg.new_database()
    seed_data_dir(tmp_path / "seed", WORLD, database)

    key = "hbk_" + secrets.token_urlsafe(30)

    def start(n=3, **flags):
        merged = dict(HUB_DEFAULTS)
        merged["api-key"] = f"pm-app:admin:{hashlib.sha256(key.encode()).hexdigest()}"
        merged.update({"presence-grace": "5s", "cluster-node-ttl": "1s", "cluster-heartbeat": "250ms"})
        merged.update({k.replace("_", "-"): v for k, v in flags.items()})
        nodes = []
        for i in range(n):
            args = ["--data-dir", str(tmp_path / f"node{i}"), "--jwt-secret", SECRET, "--database-url", database,
                    "--redis-url", redis.url, "--node-id", f"node-{i}"]
            for k, v in merged.items():
                args += [f"--{k}", str(v)]
            nodes.append(Node(hub_factory(*args)))
        return nodes

    start.api_key = key
    start.database = database
    start.pg = pg
    start.redis = redis
    return start


def api(node, key, method, path, body=None):
    """One HTTP API request to a node: (status, decoded JSON body or None)."""
    conn = http.client.HTTPConnection("127.0.0.1", node.hub.port, timeout=10)
    try:
        headers = {"Authorization": f"Bearer {key}"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        conn.request(method, path, body=data, headers=headers)
        r = conn.getresponse()
        raw = r.read()
        return r.status, (json.loads(raw) if raw else None)
    finally:
        conn.close()


def comment_ids(client, room=APOLLO):
    return [e["event_id"] for e in client.rooms[room].events if e["type"] == "comment.created"]


async def wait_until(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


async def test_events_and_mentions_reach_every_node(cluster):
    nodes = cluster(3)
    alice = await connect_as(nodes[0], "alice")
    bob = await connect_as(nodes[1], "bob")
    carol = await connect_as(nodes[2], "carol")
    for client in (alice, bob, carol):
        await client.join(APOLLO)
    result = await alice.ok("comment", room=APOLLO, card_id="card_1", text="Hello from node 0, @bob")
    for client in (bob, carol):
        event = await client.wait_for(lambda m: m.get("type") == "comment.created", timeout=5, what="the comment")
        assert event["seq"] == result["seq"] and event["event_id"] == result["event_id"]
    mention = await bob.wait_type("mention", timeout=5)
    assert mention["payload"]["card"] == {"id": "card_1", "title": "Launch checklist"}
    assert mention["payload"]["comment"]["excerpt"] == "Hello from node 0, @bob"
    await carol.expect_none(lambda m: m["type"] == "mention", within=0.3)
    # Bob is online on another node: no e-mail row for him.
    rows = cluster.pg.psql(cluster.database.rsplit("/", 1)[1], "SELECT count(*) FROM outbox WHERE user_id = 'u_bob'")
    assert rows == [["0"]]
    for client in (alice, bob, carol):
        client.check()
        await client.close()


async def test_one_order_per_room_under_concurrent_publishes_from_every_node(cluster):
    nodes = cluster(3)
    writers = [await connect_as(node, user) for node, user in zip(nodes, ("alice", "bob", "carol"))]
    readers = [await connect_as(node, "dan", label=f"dan@{i}") for i, node in enumerate(nodes)]
    for client in writers + readers:
        await client.join(APOLLO)
    per_writer = 40

    async def write(client, index):
        for n in range(per_writer):
            await client.ok("comment", room=APOLLO, card_id="card_1", text=f"w{index} #{n}")

    await asyncio.gather(*(write(c, i) for i, c in enumerate(writers)))
    total = per_writer * len(writers)
    for reader in readers + writers:
        await wait_until(lambda r=reader: len(comment_ids(r)) >= total, 15, f"{reader.label} to see {total} comments")
    # The client checks seqs as they arrive (no gap, no duplicate); every connection on
    # every node saw the same events in the same order.
    reference = comment_ids(readers[0])
    assert len(reference) == total == len(set(reference))
    for client in readers + writers:
        assert comment_ids(client) == reference, client.label
        seqs = [e["seq"] for e in client.rooms[APOLLO].events]
        assert seqs == sorted(seqs) and len(seqs) == len(set(seqs))
        client.check()
        await client.close()


async def test_presence_is_the_same_from_every_node_and_a_killed_node_leaves(cluster):
    nodes = cluster(3)
    alice = await connect_as(nodes[0], "alice")
    bob = await connect_as(nodes[1], "bob")
    await alice.join(APOLLO)
    await bob.join(APOLLO)
    await wait_until(lambda: set(alice.rooms[APOLLO].presence) == {"u_alice", "u_bob"}, 5, "alice to see bob")
    carol = await connect_as(nodes[2], "carol")
    await carol.join(APOLLO)
    # A node joining the room late gets the others' presence in its snapshot.
    assert set(carol.rooms[APOLLO].presence) == {"u_alice", "u_bob", "u_carol"}
    for client in (alice, bob):
        await wait_until(lambda c=client: "u_carol" in c.rooms[APOLLO].presence, 5, f"{client.label} to see carol")

    nodes[2].hub.stop(__import__("signal").SIGKILL)
    killed = time.monotonic()
    for client in (alice, bob):
        await wait_until(lambda c=client: "u_carol" not in c.rooms[APOLLO].presence, 10, "carol's leave")
    converged = time.monotonic() - killed
    print(f"presence converged {converged:.2f} s after kill -9 (node ttl 1 s)")
    assert converged < 3.0
    for client in (alice, bob):
        client.check()
        await client.close()


async def test_reconnecting_to_another_node_inside_the_grace_period_is_no_leave(cluster):
    nodes = cluster(3, presence_grace="5s")
    bob = await connect_as(nodes[2], "bob")
    await bob.join(APOLLO)
    alice = await connect_as(nodes[0], "alice")
    await alice.join(APOLLO)
    await wait_until(lambda: "u_alice" in bob.rooms[APOLLO].presence, 5, "bob to see alice")
    await alice.close()
    await asyncio.sleep(0.3)
    again = await connect_as(nodes[1], "alice", label="alice-again")
    await again.join(APOLLO)
    await asyncio.sleep(1.0)
    kinds = [k for d in bob.rooms[APOLLO].diffs for k in ("joins", "leaves") if "u_alice" in d.get(k, {})]
    assert kinds == ["joins"], kinds  # the first join only: no leave, no second join
    assert "u_alice" in bob.rooms[APOLLO].presence
    for client in (bob, again):
        client.check()
        await client.close()


async def test_a_redis_restart_mid_stream_loses_and_duplicates_nothing(cluster):
    nodes = cluster(3)
    writer0 = await connect_as(nodes[0], "alice")
    writer1 = await connect_as(nodes[1], "bob")
    reader = await connect_as(nodes[2], "dan")
    for client in (writer0, writer1, reader):
        await client.join(APOLLO)
    stop = asyncio.Event()
    sent = []

    async def write(client, tag):
        n = 0
        while not stop.is_set():
            result = await client.ok("comment", room=APOLLO, card_id="card_2", text=f"{tag} {n}", timeout=10)
            sent.append(result["event_id"])
            n += 1
            await asyncio.sleep(0.01)

    tasks = [asyncio.create_task(write(writer0, "a")), asyncio.create_task(write(writer1, "b"))]
    await asyncio.sleep(0.7)
    cluster.redis.kill()
    await asyncio.sleep(1.0)
    cluster.redis.start()
    await asyncio.sleep(1.5)
    stop.set()
    await asyncio.gather(*tasks)
    total = len(sent)
    for client in (reader, writer0, writer1):
        await wait_until(lambda c=client: len(comment_ids(c)) >= total, 15, f"{client.label} to see all {total} comments")
        ids = comment_ids(client)
        assert sorted(ids) == sorted(sent) and len(ids) == len(set(ids))
        client.check()
    assert total > 20
    assert all("cluster broker link back" in node.log for node in nodes)
    for client in (reader, writer0, writer1):
        await client.close()


async def test_membership_revoked_and_disconnect_over_the_api_reach_every_node(cluster):
    nodes = cluster(3)
    bob = await connect_as(nodes[1], "bob")
    carol = await connect_as(nodes[2], "carol")
    alice = await connect_as(nodes[0], "alice")
    for client in (bob, carol, alice):
        await client.join(APOLLO)
    # Revoked on node 0's API: bob, on node 1, is taken out of the room there.
    status, _ = await asyncio.to_thread(api, nodes[0], cluster.api_key, "DELETE", f"/v1/projects/{APOLLO}/members/u_bob")
    assert status == 204
    left = await bob.wait_type("room_left", timeout=5)
    assert left["room"] == APOLLO and left["reason"] == "membership_revoked"
    await wait_until(lambda: "u_bob" not in carol.rooms[APOLLO].presence, 5, "bob's leave on node 2")
    # Later events no longer reach him.
    await alice.ok("comment", room=APOLLO, card_id="card_1", text="after bob left")
    await carol.wait_for(lambda m: m.get("type") == "comment.created", timeout=5, what="the comment")
    await bob.expect_none(lambda m: m.get("type") == "comment.created", within=0.5)
    # A disconnect asked of node 2 closes carol's connection there and on node 0 too.
    carol_elsewhere = await connect_as(nodes[0], "carol", label="carol@0")
    status, body = await asyncio.to_thread(api, nodes[2], cluster.api_key, "POST", "/v1/users/u_carol/disconnect", {})
    assert status == 200 and body == {"disconnected": 1}  # the one on the answering node
    for client in (carol, carol_elsewhere):
        await wait_until(lambda c=client: c.closed.is_set(), 5, f"{client.label} to be closed")
        assert client.close_code == 4003
    for client in (alice, bob):
        client.check()
        await client.close()


async def test_a_node_stopped_with_sigterm_hands_its_users_a_grace_period(cluster):
    """A rolling restart: the stopped node's users leave with the grace period, so one who
    reconnects to another node inside it causes no leave and no join."""
    nodes = cluster(2, presence_grace="5s")
    bob = await connect_as(nodes[1], "bob")
    await bob.join(APOLLO)
    alice = await connect_as(nodes[0], "alice")
    await alice.join(APOLLO)
    await wait_until(lambda: "u_alice" in bob.rooms[APOLLO].presence, 5, "bob to see alice")
    status = await asyncio.to_thread(nodes[0].hub.stop, signal.SIGTERM)
    assert status == 0, nodes[0].log[-4000:]
    again = await connect_as(nodes[1], "alice", label="alice-again")
    await again.join(APOLLO)
    await asyncio.sleep(2.5)  # past the dead-node check: her old connection must not flap
    kinds = [k for d in bob.rooms[APOLLO].diffs for k in ("joins", "leaves") if "u_alice" in d.get(k, {})]
    assert kinds == ["joins"], kinds
    for client in (bob, again):
        client.check()
        await client.close()
