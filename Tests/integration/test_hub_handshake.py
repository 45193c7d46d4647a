"""The hub's `/ws` handshake, authentication (header, query, in-band), welcome,
ping, the per-user connection limit and in-band token refresh and expiry
(protocol/README.md sections 1, 3 `auth`/`ping`, 4 `welcome`/`token_expiring`,
close-codes.md 4001, 4002, 4500, 4503)."""
import asyncio
import json
import time

import pytest
from websockets.exceptions import InvalidStatus

from hubclient import (
    SUBPROTOCOL, USERS, HubClient, check_handshake_error, connect_as, http_upgrade, mint_token,
    new_id, parse_time, rfc3339, token_exp, token_for,
)


def test_upgrade_without_the_subprotocol_is_refused_with_400(hubbub):
    hub = hubbub()
    good = {"Authorization": f"Bearer {token_for('alice')}"}
    for offered in (None, "hubbub.v0", "chat, superchat"):
        status, headers, body = http_upgrade(hub.port, headers=good, subprotocol=offered)
        doc = check_handshake_error(status, headers, body, 400, "unsupported_subprotocol")
        assert doc["error"]["message"]
    # Offering several, hubbub.v1 among them, works and selects hubbub.v1.
    status, headers, _ = http_upgrade(hub.port, headers=good, subprotocol="hubbub.v9, hubbub.v1")
    assert status == 101 and headers.get("sec-websocket-protocol") == SUBPROTOCOL


async def test_websocket_library_sees_400_without_subprotocol(hubbub):
    hub = hubbub()
    with pytest.raises(InvalidStatus) as info:
        await HubClient.open(hub.base, token_for("alice"), subprotocols=None)
    assert info.value.response.status_code == 400


@pytest.mark.parametrize("via", ["header", "query"])
def test_bad_token_on_the_upgrade_is_refused_with_401(hubbub, via):
    hub = hubbub()
    now = time.time()
    cases = [
        (mint_token("u_alice", "Alice Adams", secret="x" * 40), "invalid_signature"),
        (mint_token("u_alice", "Alice Adams", exp=int(now) - 5, iat=int(now) - 100), "expired"),
        ("not-a-jwt", "malformed"),
        (mint_token("u_alice", None), "missing_claim"),
        (mint_token("u_alice", "Alice Adams", nbf=int(now) + 120), "not_yet_valid"),
    ]
    problems = []
    for token, reason in cases:
        if via == "header":
            status, headers, body = http_upgrade(hub.port, headers={"Authorization": f"Bearer {token}"})
        else:
            status, headers, body = http_upgrade(hub.port, path=f"/ws?token={token}")
        try:
            doc = check_handshake_error(status, headers, body, 401, "unauthorized")
            assert doc["error"].get("reason") == reason, f"reason {doc['error'].get('reason')!r}, want {reason!r}"
        except AssertionError as e:
            problems.append(f"{reason} token: {str(e)[:300]}")
    assert not problems, "\n".join(problems)


async def test_token_time_claims_leeway(hubbub):
    """README 1.4: `exp` has no leeway (just expired is refused, see the 401 test);
    `nbf` is honoured with 60 s leeway, so a token valid 45 s from now is accepted."""
    hub = hubbub()
    now = int(time.time())
    c = await HubClient.open(hub.base, mint_token("u_alice", "Alice Adams", nbf=now + 45), label="nbf+45")
    assert c.user["user_id"] == "u_alice"
    problems = []
    for exp in (now - 1, now - 20):
        status, headers, body = http_upgrade(
            hub.port, headers={"Authorization": f"Bearer {mint_token('u_alice', 'Alice Adams', exp=exp, iat=now - 60)}"})
        if status != 401:
            problems.append(f"a token that expired {now - exp} s ago got HTTP {status}, not 401")
    assert not problems, "\n".join(problems)


async def test_header_query_and_in_band_authentication(hubbub):
    hub = hubbub()
    seen = set()
    for via in ("header", "query", "inband"):
        token = token_for("alice")
        c = await HubClient.open(hub.base, token, via=via, label=via)
        assert c.user == {"user_id": "u_alice", "name": "Alice Adams"}
        assert c.welcome["expires_at"] == rfc3339(token_exp(token))
        assert c.conn_id not in seen
        seen.add(c.conn_id)
        if via == "inband":
            # The auth ack comes first, then welcome (README 1.2).
            assert [m["type"] for m in c.received[:2]] == ["ack", "welcome"]
            assert c.auth_result == {"user_id": "u_alice", "name": "Alice Adams",
                                     "expires_at": rfc3339(token_exp(token))}
        else:
            assert c.received[0]["type"] == "welcome"
        assert (await c.ok("ping"))["server_time"]
        await c.close()


async def test_welcome_announces_the_limits_in_force(hubbub):
    hub = hubbub(presence_grace="1500ms", max_rooms_per_connection=7, max_comment_bytes=777,
                 max_message_bytes="32KiB", commands_per_second=50, commands_burst=70,
                 presence_updates_per_second=3, presence_updates_burst=4, ephemeral_per_second=20,
                 ephemeral_burst=25)
    before = time.time()
    token = token_for("bob", ttl=1800)
    c = await HubClient.open(hub.base, token)
    w = c.welcome
    assert w["protocol"] == "hubbub.v1"
    assert w["resumed"] is False
    assert w["user"] == {"user_id": "u_bob", "name": "Bob Baker"}
    assert w["expires_at"] == rfc3339(token_exp(token))
    assert before - 2 <= parse_time(w["server_time"]) <= time.time() + 2
    limits = w["limits"]
    assert limits["presence_grace_ms"] == 1500
    assert limits["max_rooms_per_connection"] == 7
    assert limits["max_comment_bytes"] == 777
    assert limits["max_message_bytes"] == 32 * 1024
    assert limits["commands_per_second"] == 50 and limits["commands_burst"] == 70
    assert limits["presence_updates_per_second"] == 3 and limits["presence_updates_burst"] == 4
    assert limits["ephemeral_per_second"] == 20 and limits["ephemeral_burst"] == 25
    # Defaults for what was not set (README 12).
    assert limits["max_title_bytes"] == 500
    assert limits["max_presence_state_bytes"] == 1024
    assert limits["max_ephemeral_bytes"] == 4096
    assert limits["idempotency_window_s"] == 86400


async def test_ping_before_and_after_auth(hubbub):
    hub = hubbub()
    c = await HubClient.open(hub.base, None, label="anon")
    r = await c.ok("ping")
    assert abs(parse_time(r["server_time"]) - time.time()) < 5
    await c.ok("auth", token=token_for("alice"))
    await c.wait_type("welcome")
    r = await c.ok("ping")
    assert abs(parse_time(r["server_time"]) - time.time()) < 5


async def test_commands_before_auth_are_unauthorized_and_the_connection_stays(hubbub):
    hub = hubbub()
    c = await HubClient.open(hub.base, None, label="anon")
    for ctype, fields in [("join", {"room": "p_apollo"}), ("board", {"room": "p_apollo"}),
                          ("comment", {"room": "p_apollo", "card_id": "card_1", "text": "hi"}),
                          ("presence_roster", {"room": "p_apollo"})]:
        err = await c.fail(ctype, "unauthorized", **fields)
        assert err["details"]["reason"] == "not_authenticated"
        assert err["retryable"] is False
    await c.ok("ping")
    await c.ok("auth", token=token_for("alice"))
    await c.wait_type("welcome")
    result = await c.join("p_apollo")
    assert result["room"] == "p_apollo"


async def test_auth_timeout_closes_with_4002(hubbub):
    hub = hubbub(auth_timeout="1s")
    start = time.monotonic()
    silent = await HubClient.open(hub.base, None, label="silent")
    pinger = await HubClient.open(hub.base, None, label="pinger")
    while not pinger.closed.is_set() and time.monotonic() - start < 4:
        try:
            await pinger.ok("ping")  # ping is allowed before auth but does not authenticate
        except Exception:  # noqa: BLE001 - the close races the ping
            break
        await asyncio.sleep(0.2)
    for c in (silent, pinger):
        code, _ = await c.wait_closed(4)
        assert code == 4002, (c.label, code, c.close_reason)
    assert time.monotonic() - start >= 0.8
    assert silent.welcome is None
    # A connection that authenticates in time is not affected.
    ok = await HubClient.open(hub.base, token_for("bob"), via="inband")
    await asyncio.sleep(1.3)
    await ok.ok("ping")


@pytest.mark.parametrize("case", ["invalid_signature", "expired", "malformed"])
async def test_failed_first_auth_is_an_error_then_close_4500(hubbub, case):
    hub = hubbub()
    token = {
        "invalid_signature": mint_token("u_alice", "Alice Adams", secret="y" * 40),
        "expired": mint_token("u_alice", "Alice Adams", exp=int(time.time()) - 5, iat=int(time.time()) - 60),
        "malformed": "a.b.c",
    }[case]
    c = await HubClient.open(hub.base, None, label=case)
    err = await c.fail("auth", "unauthorized", token=token)
    assert err["details"]["reason"] == case
    code, _ = await c.wait_closed(3)
    assert code == 4500
    assert c.welcome is None


async def test_per_user_connection_limit(hubbub):
    hub = hubbub(max_connections_per_user=2)
    a1 = await connect_as(hub, "alice")
    a2 = await connect_as(hub, "alice", via="inband")
    # With the token on the upgrade: HTTP 429.
    status, headers, body = http_upgrade(hub.port, headers={"Authorization": f"Bearer {token_for('alice')}"})
    check_handshake_error(status, headers, body, 429, "user_connection_limit")
    # In-band: limit_exceeded, then close 4503.
    a3 = await HubClient.open(hub.base, None, label="alice-3")
    err = await a3.fail("auth", "limit_exceeded", token=token_for("alice"))
    assert err["details"]["limit"] == "max_connections_per_user" and err["details"]["max"] == 2
    assert (await a3.wait_closed(3))[0] == 4503
    # Other users are not affected; closing one of Alice's frees a place.
    await connect_as(hub, "bob")
    await a1.close()
    deadline = time.monotonic() + 3
    while True:
        try:
            a4 = await connect_as(hub, "alice", label="alice-4")
            break
        except InvalidStatus as e:
            assert e.response.status_code == 429
            assert time.monotonic() < deadline, "the closed connection still counts against the limit"
            await asyncio.sleep(0.1)
    await a4.ok("ping")
    await a2.ok("ping")


async def test_token_refresh_in_band_keeps_the_connection(hubbub):
    hub = hubbub(token_warning="2s")
    exp = int(time.time()) + 3
    alice = await HubClient.open(hub.base, mint_token("u_alice", "Alice Adams", exp=exp), label="alice")
    await alice.join("p_apollo")
    warn = await alice.wait_type("token_expiring", timeout=3)
    assert warn["expires_at"] == rfc3339(exp)
    assert 0 <= warn["seconds_left"] <= 2
    assert time.time() >= exp - 2.5, "token_expiring came earlier than token_warning before exp"
    # A refresh for another user is refused and leaves the connection as it is.
    err = await alice.fail("auth", "unauthorized", token=token_for("bob"))
    assert err["details"]["reason"] == "subject_mismatch"
    fresh = mint_token("u_alice", "Alice Adams", ttl=120)
    result = await alice.ok("auth", token=fresh)
    assert result == {"user_id": "u_alice", "name": "Alice Adams", "expires_at": rfc3339(token_exp(fresh))}
    await asyncio.sleep(max(0.0, exp + 1.2 - time.time()))
    assert not alice.closed.is_set(), f"closed {alice.close_code} despite the refresh"
    await alice.ok("ping")
    # Rooms continue: still joined, events still flow.
    await alice.comment("p_apollo", "card_1", "still here")
    assert len(alice.token_expiring) == 1, "token_expiring more than once for one token"


async def test_token_expiry_without_refresh_closes_4001(hubbub):
    hub = hubbub(token_warning="2s")
    exp = int(time.time()) + 3
    bob = await HubClient.open(hub.base, mint_token("u_bob", "Bob Baker", exp=exp), label="bob")
    # Less than token_warning left when accepted: the warning comes at once.
    exp_soon = int(time.time()) + 2
    carol = await HubClient.open(hub.base, mint_token("u_carol", "Carol Chen", exp=exp_soon), label="carol",
                                 via="inband")
    t0 = time.time()
    w = await carol.wait_type("token_expiring", timeout=1.0)
    assert w["expires_at"] == rfc3339(exp_soon)
    assert time.time() - t0 < 1.0
    await bob.wait_type("token_expiring", timeout=3)
    for c, e in ((carol, exp_soon), (bob, exp)):
        code, _ = await c.wait_closed(e - time.time() + 2.5)
        assert code == 4001, (c.label, code, c.close_reason)
        assert time.time() >= e - 0.05, f"{c.label} closed before its token's exp"
