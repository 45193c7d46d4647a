"""deploy/local: one command starts PostgreSQL, Redis, three hub nodes and HAProxy on
loopback, another stops them; clients going through the load balancer land on
different nodes and see one hub."""
import asyncio
import json
import os
import subprocess
import urllib.request

import pytest

from conftest import HUBBUB
from hubclient import HubClient, mint_token
from pgcluster import _free_port

ROOT = os.path.join(os.path.dirname(__file__), "../..")


def run(script, env, *args, timeout=120):
    r = subprocess.run([os.path.join(ROOT, "deploy/local", script), *args], env=env, capture_output=True, text=True,
                       timeout=timeout)
    assert r.returncode == 0, f"{script} failed ({r.returncode}):\n{r.stdout}\n{r.stderr}"
    return r.stdout


def connections(port):
    """hubbub_connections of the node on `port`."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as r:
        for line in r.read().decode().splitlines():
            if line.startswith("hubbub_connections "):
                return int(float(line.split()[1]))
    raise AssertionError("no hubbub_connections metric")


@pytest.fixture
def local_cluster(tmp_path):
    # The nodes take the port given and the two after it.
    env = dict(os.environ, HUBBUB_BIN=HUBBUB, HUBBUB_LOCAL_DIR=str(tmp_path / "local"),
               HUBBUB_LOCAL_PORT=str(_free_port()), HUBBUB_LOCAL_NODE_PORT=str(_free_port()),
               HUBBUB_LOCAL_PG_PORT=str(_free_port()), HUBBUB_LOCAL_REDIS_PORT=str(_free_port()))
    out = run("up.sh", env)
    try:
        yield env, out
    finally:
        run("down.sh", env, "--purge")


async def test_clients_through_the_load_balancer_see_one_hub(local_cluster):
    env, out = local_cluster
    assert "Hubbub cluster up" in out
    lb = int(env["HUBBUB_LOCAL_PORT"])
    nodes = [int(env["HUBBUB_LOCAL_NODE_PORT"]) + i for i in range(3)]
    with urllib.request.urlopen(f"http://127.0.0.1:{lb}/readyz", timeout=5) as r:
        assert json.loads(r.read()) == {"status": "ready", "checks": {"store": "ok", "broker": "ok"}}
    secret = open(os.path.join(env["HUBBUB_LOCAL_DIR"], "jwt-secret")).read().strip()
    users = [("u_alice", "Alice Adams"), ("u_bob", "Bob Baker"), ("u_carol", "Carol Chen")]
    clients = []
    for user_id, name in users:
        client = await HubClient.open(f"ws://127.0.0.1:{lb}", mint_token(user_id, name, secret=secret), label=user_id)
        await client.join("p_demo")
        clients.append(client)
    # Round robin: one connection on each node.
    assert sorted(connections(port) for port in nodes) == [1, 1, 1]
    alice, bob, carol = clients
    result = await alice.ok("comment", room="p_demo", card_id="card_mention", text="Hello @bob, from behind HAProxy")
    for client in (bob, carol):
        event = await client.wait_for(lambda m: m.get("type") == "comment.created", timeout=5, what="the comment")
        assert event["seq"] == result["seq"]
    mention = await bob.wait_type("mention", timeout=5)
    assert mention["payload"]["card"]["id"] == "card_mention"
    everyone = {"u_alice", "u_bob", "u_carol"}
    deadline = asyncio.get_running_loop().time() + 5
    while any(set(c.rooms["p_demo"].presence) != everyone for c in clients):
        assert asyncio.get_running_loop().time() < deadline, [sorted(c.rooms["p_demo"].presence) for c in clients]
        await asyncio.sleep(0.02)
    for client in clients:
        client.check()
        await client.close()


def test_down_stops_everything_and_up_starts_again_on_the_same_data(tmp_path):
    env = dict(os.environ, HUBBUB_BIN=HUBBUB, HUBBUB_LOCAL_DIR=str(tmp_path / "local"),
               HUBBUB_LOCAL_PORT=str(_free_port()), HUBBUB_LOCAL_NODE_PORT=str(_free_port()),
               HUBBUB_LOCAL_PG_PORT=str(_free_port()), HUBBUB_LOCAL_REDIS_PORT=str(_free_port()))
    run("up.sh", env)
    pids = [int(line.split()[1]) for line in open(tmp_path / "local" / "pids")]
    second = subprocess.run([os.path.join(ROOT, "deploy/local/up.sh")], env=env, capture_output=True, text=True, timeout=60)
    assert second.returncode == 1 and "already runs" in second.stderr
    run("down.sh", env)
    for pid in pids:
        assert not os.path.exists(f"/proc/{pid}") or open(f"/proc/{pid}/stat").read().split()[2] == "Z", pid
    out = run("up.sh", env)  # the same database, seeded once
    assert "Hubbub cluster up" in out
    run("down.sh", env, "--purge")
    assert not (tmp_path / "local").exists()
