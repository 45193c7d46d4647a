"""The HTTP API for services (`/v1`, protocol/openapi.json) against the real
release binary, with real WebSocket clients where the API reaches them.

Every HTTP response is validated against the OpenAPI document: the status must
be documented for the route (an undocumented status fails), the body must match
the response's schema (the OpenAPI components and the protocol's JSON Schemas,
loaded into one `referencing` registry), required headers must be present, and a
request the server accepted must match the documented request body. The
WebSocket side is checked by hubclient.py (schemas, seq order, the board model).
"""
import asyncio
import hashlib
import http.client
import itertools
import json
import pathlib
import re
import secrets
import socket
import sqlite3
import time
from urllib.parse import quote, urlencode

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

import hubclient
from conftest import HUB_DEFAULTS, HubServer, seed_data_dir
from hubclient import (
    APOLLO,
    SECRET,
    SEEDED_HEAD,
    WORLD,
    HubClient,
    board_find,
    connect_as,
    mint_token,
    new_id,
    token_for,
)

ROOT = pathlib.Path(__file__).resolve().parents[2]
OPENAPI_PATH = ROOT / "protocol" / "openapi.json"
OPENAPI = json.loads(OPENAPI_PATH.read_text())
OPENAPI_URI = OPENAPI_PATH.as_uri()


def _registry():
    """The OpenAPI document (at its file URI, so that its relative `$ref`s to
    `schemas/...` resolve to files) and every protocol schema, both by `$id` and by
    file URI."""
    resources = [(OPENAPI_URI, DRAFT202012.create_resource(OPENAPI))]
    for rel, doc in hubclient.SCHEMA_DOCS.items():
        resource = DRAFT202012.create_resource(doc)
        resources.append((doc["$id"], resource))
        resources.append(((hubclient.SCHEMAS / rel).as_uri(), resource))
    return Registry().with_resources(resources)


REGISTRY = _registry()
_VALIDATORS = {}
HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


def pointer(*segments):
    return "#" + "".join("/" + quote(str(s).replace("~", "~0").replace("/", "~1"), safe="") for s in segments)


def validator(ptr):
    if ptr not in _VALIDATORS:
        _VALIDATORS[ptr] = Draft202012Validator({"$ref": OPENAPI_URI + ptr}, registry=REGISTRY)
    return _VALIDATORS[ptr]


def schema_errors(ptr, instance):
    return [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in validator(ptr).iter_errors(instance)]


def resolve(obj):
    """A local `$ref` of the OpenAPI document (components) resolved; (pointer segments, object)."""
    segments = None
    while isinstance(obj, dict) and "$ref" in obj and obj["$ref"].startswith("#/"):
        segments = obj["$ref"][2:].split("/")
        obj = OPENAPI
        for s in segments:
            obj = obj[s.replace("~1", "/").replace("~0", "~")]
    return segments, obj


def route_of(method, path):
    """(template, operation) for a request as the hub routes it: (None, None) when no
    template matches the path (404), (template, None) when one matches but not with
    this method (405)."""
    segments = path.split("?")[0].split("/")[1:]
    matched = None
    for template, item in OPENAPI["paths"].items():
        parts = template.split("/")[1:]
        if len(parts) != len(segments):
            continue
        if all((p.startswith("{") and s) or p == s for p, s in zip(parts, segments)):
            if method.lower() in item:
                return template, item[method.lower()]
            matched = template
    return matched, None


class Resp:
    def __init__(self, method, path, status, headers, body):
        self.method, self.path, self.status, self.headers, self.body = method, path, status, headers, body
        self.json = None
        if body:
            try:
                self.json = json.loads(body)
            except ValueError:
                pass

    @property
    def code(self):
        return (self.json or {}).get("error", {}).get("code")

    @property
    def event(self):
        return self.json["event"]

    def __repr__(self):
        return f"{self.method} {self.path} -> {self.status} {self.body[:400]!r}"


def check_response(method, path, status, headers, body, request_body=None):
    """Fails unless the response is what protocol/openapi.json documents for the route."""
    template, operation = route_of(method, path)
    where = f"{method} {path} -> {status}"
    if operation is None:
        name = "NoRoute" if template is None else "MethodNotAllowed"
        assert status == (404 if template is None else 405), f"{where}: expected {name}"
        if not path.startswith("/v1/") and status == 404:
            name = "NoRoute"  # the router's own 404 for paths outside every endpoint
        segments = ["components", "responses", name]
        spec = OPENAPI["components"]["responses"][name]
    else:
        responses = operation["responses"]
        assert str(status) in responses, f"{where}: status {status} is not documented for {method} {template} " \
                                         f"(documented: {sorted(responses)}); body {body[:300]!r}"
        segments = ["paths", template, method.lower(), "responses", str(status)]
        ref_segments, spec = resolve(responses[str(status)])
        if ref_segments is not None:
            segments = ref_segments
    content = spec.get("content")
    if content is None:
        assert body == b"", f"{where}: the document has no body for this response, got {body[:200]!r}"
    else:
        assert headers.get("content-type", "").startswith("application/json"), f"{where}: Content-Type {headers}"
        try:
            doc = json.loads(body)
        except ValueError:
            raise AssertionError(f"{where}: the body is not JSON: {body[:300]!r}") from None
        errors = schema_errors(pointer(*segments, "content", "application/json", "schema"), doc)
        assert not errors, f"{where}: the body does not match the documented schema:\n  " + "\n  ".join(errors) + \
                           f"\n  body: {json.dumps(doc)[:1500]}"
    for name, header in (spec.get("headers") or {}).items():
        _, header = resolve(header)
        value = headers.get(name.lower())
        if header.get("required"):
            assert value is not None, f"{where}: no {name} header"
        if value is not None and header.get("schema", {}).get("type") == "integer":
            assert re.fullmatch(r"[0-9]+", value) and int(value) >= header["schema"].get("minimum", 0), f"{where}: {name}: {value}"
    if operation is not None and 200 <= status < 300 and isinstance(request_body, dict) and "requestBody" in operation:
        # What the server accepted, the document accepts too (for a batch: the items it accepted).
        accepted = request_body
        ptr = pointer("paths", template, method.lower(), "requestBody", "content", "application/json", "schema")
        if template == "/v1/events":
            results = json.loads(body)["results"]
            accepted = [item for item, result in zip(request_body["events"], results) if result["status"] < 300]
            ptr = pointer("components", "schemas", "BatchItem")
        for instance in (accepted if isinstance(accepted, list) else [accepted]):
            errors = schema_errors(ptr, instance)
            assert not errors, f"{where}: the server accepted a body the document rejects: {errors}\n  {json.dumps(instance)[:500]}"


def http_request(port, method, path, body=None, headers=None, raw=None, timeout=10):
    """One request on a fresh connection; (status, headers (lower-case names), body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        hdrs = dict(headers or {})
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
            hdrs.setdefault("Content-Type", "application/json")
        conn.request(method, path, body=data, headers=hdrs)
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        conn.close()


# --------------------------------------------------------------------------- keys and the hub


def make_key(name, scopes):
    key = "hbk_" + secrets.token_urlsafe(30)
    return {"key": key, "name": name, "scopes": scopes,
            "line": f"{name}:{scopes}:{hashlib.sha256(key.encode()).hexdigest()}"}


LONG_NAME = "s" + "x" * 63  # the longest service name a key may have
KEYS = {
    "admin": ("pm-app", "admin"),
    "admin2": ("pm-app", "admin"),  # a second key of the same service (rotation)
    "pub": ("ci-bridge", "publish"),
    "read": ("dash", "read"),
    "pubread": ("deploy-bot", "publish+read"),
    "long": (LONG_NAME, "publish"),
}


class Api:
    """A hub started with API keys; `await api(method, path, ...)` sends one request
    (in a thread, so WebSocket clients keep reading) and checks the answer against the
    OpenAPI document."""

    def __init__(self, server, keys):
        self.server, self.keys = server, keys

    @property
    def base(self):
        return self.server.base

    @property
    def port(self):
        return self.server.port

    @property
    def data_dir(self):
        return self.server.data_dir

    def call(self, method, path, body=None, key="admin", headers=None, raw=None, expect=None, code=None, query=None,
             timeout=10):
        hdrs = dict(headers or {})
        if key is not None:
            hdrs.setdefault("Authorization", f"Bearer {self.keys[key]['key'] if key in self.keys else key}")
        if query:
            path += "?" + urlencode(query)
        status, rheaders, rbody = http_request(self.port, method, path, body=body, headers=hdrs, raw=raw, timeout=timeout)
        check_response(method, path, status, rheaders, rbody, request_body=body)
        r = Resp(method, path, status, rheaders, rbody)
        if expect is not None:
            assert r.status == expect, f"expected {expect}: {r!r}"
        if code is not None:
            assert r.code == code, f"expected error {code}: {r!r}"
        return r

    async def __call__(self, method, path, **kw):
        return await asyncio.to_thread(self.call, method, path, **kw)

    def outbox(self):
        db = sqlite3.connect(f"file:{self.data_dir / 'hubbub.sqlite3'}?mode=ro", uri=True)
        try:
            return db.execute(
                "SELECT user_id, email, kind, event_id, seq, payload, state FROM outbox ORDER BY id").fetchall()
        finally:
            db.close()


@pytest.fixture
def api_hub(hub_factory, tmp_path):
    """start(keys=KEYS, world=WORLD, **flags) -> Api: a seeded hub with those API keys."""
    counter = itertools.count()

    def start(keys=KEYS, world=None, **flags):
        data_dir = tmp_path / f"api{next(counter)}"
        seed_data_dir(data_dir, WORLD if world is None else world)
        made = {label: make_key(name, scopes) for label, (name, scopes) in keys.items()}
        merged = dict(HUB_DEFAULTS)
        merged.update({k.replace("_", "-"): v for k, v in flags.items()})
        args = ["--data-dir", str(data_dir), "--jwt-secret", SECRET]
        for k, v in merged.items():
            if v is not None:
                args += [f"--{k}", str(v)]
        for m in made.values():
            args += ["--api-key", m["line"]]
        hub = hub_factory(*args)
        return Api(HubServer(hub, data_dir, args), made)

    return start


def rooms_path(room, tail="events"):
    return f"/v1/rooms/{quote(room, safe='')}/{tail}"


def publish_body(n=0, **kw):
    body = {"type": "custom.ci.build_finished", "payload": {"pipeline": "web", "run": n}}
    body.update(kw)
    return body


# --------------------------------------------------------------------------- the document itself


def _all_refs(node, path=()):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "$ref" and isinstance(v, str):
                yield path, v
            else:
                yield from _all_refs(v, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _all_refs(v, path + (i,))


def test_openapi_document_refs_resolve_and_examples_validate():
    assert OPENAPI["openapi"] == "3.1.0"
    resolver = REGISTRY.resolver(base_uri=OPENAPI_URI)
    for path, ref in _all_refs(OPENAPI):
        assert resolver.lookup(ref).contents is not None, f"{'/'.join(map(str, path))}: {ref}"
    checked = 0
    for template, item in OPENAPI["paths"].items():
        for method, operation in item.items():
            if method not in HTTP_METHODS:
                continue
            assert operation.get("description") and operation.get("summary"), f"{method} {template}"
            request = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if request and "example" in request:
                errors = schema_errors(pointer("paths", template, method, "requestBody", "content", "application/json", "schema"),
                                       request["example"])
                assert not errors, f"{method} {template} request example: {errors}"
                checked += 1
            for status, response in operation["responses"].items():
                segments, spec = resolve(response)
                segments = segments or ["paths", template, method, "responses", status]
                media = (spec.get("content") or {}).get("application/json")
                if media is None:
                    assert status == "204", f"{method} {template} {status}: no body documented"
                    continue
                validator(pointer(*segments, "content", "application/json", "schema"))  # compiles
                if "example" in media:
                    errors = schema_errors(pointer(*segments, "content", "application/json", "schema"), media["example"])
                    assert not errors, f"{method} {template} {status} example: {errors}"
                    checked += 1
    for name, spec in OPENAPI["components"]["responses"].items():
        media = spec["content"]["application/json"]
        if "example" in media:
            assert not schema_errors(pointer("components", "responses", name, "content", "application/json", "schema"),
                                     media["example"]), name
    assert checked >= 20


def test_openapi_document_passes_the_openapi_validator():
    validate = pytest.importorskip("openapi_spec_validator").validate
    validate(OPENAPI, base_uri=OPENAPI_URI)


def test_docs_describe_every_route():
    docs = (ROOT / "docs" / "http-api.md").read_text()
    for template, item in OPENAPI["paths"].items():
        for method in item:
            if method in HTTP_METHODS:
                assert f"{method.upper()} {template}" in docs, f"docs/http-api.md does not describe {method.upper()} {template}"


# --------------------------------------------------------------------------- auth and routing


def test_auth_scopes_and_routing(api_hub):
    api = api_hub()
    # No key, an unknown key, another scheme: 401 with WWW-Authenticate.
    for key, headers in ((None, {}), ("hbk_not-a-configured-key", {}), (None, {"Authorization": f"Basic {api.keys['admin']['key']}"}),
                         (None, {"Authorization": "Bearer"})):
        r = api.call("GET", "/v1/projects", key=key, headers=headers, expect=401, code="unauthorized")
        assert r.headers.get("www-authenticate") == "Bearer"
    # Scopes: publish only publishes, read only reads, admin does everything.
    api.call("GET", "/v1/projects", key="pub", expect=403, code="forbidden")
    api.call("GET", "/v1/projects", key="read", expect=403, code="forbidden")
    api.call("GET", "/v1/projects", key="pubread", expect=403, code="forbidden")
    api.call("GET", rooms_path(APOLLO), key="pub", expect=403, code="forbidden")
    api.call("GET", rooms_path(APOLLO, "presence"), key="pub", expect=403, code="forbidden")
    api.call("POST", rooms_path(APOLLO), key="read", body=publish_body(), expect=403, code="forbidden")
    api.call("POST", "/v1/events", key="read", body={"events": [dict(publish_body(), room=APOLLO)]}, expect=403)
    api.call("POST", "/v1/users/u_bob/disconnect", key="pubread", body={}, expect=403)
    api.call("GET", rooms_path(APOLLO), key="read", expect=200)
    api.call("GET", rooms_path(APOLLO, "presence"), key="pubread", expect=200)
    api.call("POST", rooms_path(APOLLO), key="pub", body=publish_body(), expect=201)
    api.call("GET", rooms_path(APOLLO), key="admin", expect=200)
    api.call("POST", rooms_path(APOLLO), key="admin", body=publish_body(), expect=201)
    api.call("GET", "/v1/projects", key="admin2", expect=200)
    # 403 is decided before anything about the request is read.
    api.call("PUT", "/v1/projects/-bad-", key="pub", raw=b"not json", expect=403)
    # Routing comes before the key: 404 for no template, 405 for another method.
    for path in ("/v1/nope", "/v1/projects/p/nope", "/v1/", "/v1/projects/", "/v1/rooms//events"):
        api.call("GET", path, key=None, expect=404, code="not_found")
    r = api.call("DELETE", "/v1/events", key=None, expect=405, code="method_not_allowed")
    assert "POST" in r.json["error"]["message"]
    r = api.call("POST", f"/v1/projects/{APOLLO}", key="admin", body={}, expect=405)
    assert all(m in r.json["error"]["message"] for m in ("DELETE", "GET", "PUT"))
    api.call("PATCH", "/v1/projects", expect=405)
    # Outside /v1: the router's 404.
    api.call("GET", "/v2/projects", key=None, expect=404, code="not_found")
    # Health needs no key.
    assert api.call("GET", "/healthz", key=None, expect=200).json == {"status": "ok"}
    assert api.call("GET", "/readyz", key=None, expect=200).json == {"status": "ready", "checks": {"store": "ok"}}


def test_a_hub_without_keys_refuses_every_api_request(api_hub):
    api = api_hub(keys={})
    api.call("GET", "/v1/projects", key="hbk_anything", expect=401, code="unauthorized")
    api.call("GET", "/v1/projects", key=None, expect=401)


def test_405_carries_allow(api_hub):
    api = api_hub()
    r = api.call("DELETE", "/v1/events", key=None, expect=405)
    assert r.headers.get("allow") == "POST"


# --------------------------------------------------------------------------- publishing


async def test_durable_publish_reaches_joined_clients_in_seq_order(api_hub):
    api = api_hub()
    alice = await connect_as(api, "alice")
    bob = await connect_as(api, "bob")
    await alice.join(APOLLO)
    await bob.join(APOLLO)
    head = alice.rooms[APOLLO].head_seq
    assert head == SEEDED_HEAD[APOLLO]
    published = []
    for n in range(3):
        r = await api("POST", rooms_path(APOLLO), key="pub",
                      body=publish_body(n, correlation_id=f"gh-run-{n}", notify=[]), expect=201)
        published.append(r.event)
        # A user's comment in between takes the next seq of the same stream.
        if n == 1:
            c = await alice.comment(APOLLO, "card_1", "between two builds")
            published.append(("comment", c["seq"]))
    seqs = [e["seq"] if isinstance(e, dict) else e[1] for e in published]
    assert seqs == list(range(head + 1, head + 5))
    for client in (alice, bob):
        await client.wait_seq(APOLLO, head + 4)
        room = client.rooms[APOLLO]
        for e in published:
            if isinstance(e, dict):
                got = room.by_seq[e["seq"]]
                assert got == e, f"{client.label}: the client's event differs from the response's"
                assert got["actor"] == {"service": "ci-bridge"}
                assert got["type"] == "custom.ci.build_finished"
        assert [e["correlation_id"] for e in published if isinstance(e, dict)] == ["gh-run-0", "gh-run-1", "gh-run-2"]
    # Without a correlation_id, one is generated (a UUIDv7); the payload defaults to {}.
    r = await api("POST", rooms_path(APOLLO), key="admin", body={"type": "custom.ping"}, expect=201)
    assert r.event["payload"] == {} and r.event["actor"] == {"service": "pm-app"}
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}", r.event["correlation_id"])
    await bob.wait_seq(APOLLO, r.event["seq"])
    # A client joining later replays the published events from its since_seq.
    carol = await connect_as(api, "carol")
    await carol.join(APOLLO, since_seq=head)
    await carol.wait_seq(APOLLO, r.event["seq"])
    assert [carol.rooms[APOLLO].by_seq[e["seq"]] for e in published if isinstance(e, dict)] == \
        [e for e in published if isinstance(e, dict)]


async def test_idempotency_key(api_hub):
    api = api_hub()
    bob = await connect_as(api, "bob")
    await bob.join(APOLLO)
    body = publish_body(1, correlation_id="job-1")
    first = await api("POST", rooms_path(APOLLO), key="pub", body=body, headers={"Idempotency-Key": "build-1"}, expect=201)
    again = await api("POST", rooms_path(APOLLO), key="pub", body=body, headers={"Idempotency-Key": "build-1"}, expect=200)
    assert again.event == first.event
    # The event was stored once: the room advanced by one, and the client got it once.
    await bob.wait_seq(APOLLO, first.event["seq"])
    await bob.expect_none(lambda m: m.get("type") == "custom.ci.build_finished" and m["seq"] != first.event["seq"], 0.3)
    page = await api("GET", rooms_path(APOLLO), key="read", query={"since": first.event["seq"] - 1})
    assert page.json["head_seq"] == first.event["seq"] and page.json["events"] == [first.event]
    # Another request with the key: 409, nothing stored.
    for other in (publish_body(2, correlation_id="job-1"), dict(body, type="custom.ci.other"),
                  dict(body, notify=["u_carol"])):
        await api("POST", rooms_path(APOLLO), key="pub", body=other, headers={"Idempotency-Key": "build-1"},
                  expect=409, code="idempotency_key_reused")
    await api("POST", rooms_path("p_zeus"), key="pub", body=body, headers={"Idempotency-Key": "build-1"},
              expect=409, code="idempotency_key_reused")
    # The correlation id is not part of the request's identity.
    same = await api("POST", rooms_path(APOLLO), key="pub", body=dict(body, correlation_id="job-1-retry"),
                     headers={"Idempotency-Key": "build-1"}, expect=200)
    assert same.event == first.event
    # Keys are per service: another service may use the same key; a second key of the
    # same service (a rotation) shares them.
    other = await api("POST", rooms_path(APOLLO), key="admin", body=body, headers={"Idempotency-Key": "build-1"}, expect=201)
    assert other.event["seq"] == first.event["seq"] + 1 and other.event["actor"] == {"service": "pm-app"}
    rotated = await api("POST", rooms_path(APOLLO), key="admin2", body=body, headers={"Idempotency-Key": "build-1"}, expect=200)
    assert rotated.event == other.event
    # Errors are not remembered: a key whose request failed may be used again.
    await api("POST", rooms_path(APOLLO), key="pub", body={"type": "nope"}, headers={"Idempotency-Key": "build-2"}, expect=422)
    await api("POST", rooms_path(APOLLO), key="pub", body=body, headers={"Idempotency-Key": "build-2"}, expect=201)
    # An invalid key is 422 naming the header.
    for bad in ("x" * 129, "with space"):
        r = await api("POST", rooms_path(APOLLO), key="pub", body=body, headers={"Idempotency-Key": bad}, expect=422)
        assert r.json["error"]["details"]["field"] == "Idempotency-Key"
    # An ephemeral publish is never stored, key or not.
    await api("POST", rooms_path(APOLLO), key="pub", body=dict(body, durable=False), headers={"Idempotency-Key": "build-1"},
              expect=202)


async def test_idempotent_retry_after_a_notified_user_came_online(api_hub):
    api = api_hub()
    body = publish_body(7, notify=["u_bob"])
    first = await api("POST", rooms_path(APOLLO), key="pub", body=body, headers={"Idempotency-Key": "k-notify"}, expect=201)
    bob = await connect_as(api, "bob")  # online now
    await bob.join(APOLLO, since_seq=first.event["seq"])
    retry = await api("POST", rooms_path(APOLLO), key="pub", body=body, headers={"Idempotency-Key": "k-notify"})
    assert retry.status == 200 and retry.event == first.event, retry


async def test_publish_validation(api_hub):
    api = api_hub()
    alice = await connect_as(api, "alice")
    await alice.join(APOLLO)
    head = alice.rooms[APOLLO].head_seq

    def field(r):
        return r.json["error"].get("details", {}).get("field")

    # Payload size: 16 KiB as compact JSON is the limit.
    filler = "x" * (16384 - len('{"a":""}'))
    ok = await api("POST", rooms_path(APOLLO), key="pub", body=publish_body(payload={"a": filler}), expect=201)
    assert len(json.dumps(ok.event["payload"], separators=(",", ":"))) == 16384
    r = await api("POST", rooms_path(APOLLO), key="pub", body=publish_body(payload={"a": filler + "x"}),
                  expect=413, code="too_large")
    assert field(r) == "/payload"
    r = await api("POST", rooms_path(APOLLO), key="pub", body=publish_body(payload={"a": "y" * 20000}, durable=False),
                  expect=413, code="too_large")
    # Types: custom.<segments> of a-z 0-9 _, at most 64 characters.
    for bad in ("ci.build", "custom", "custom.", "custom..x", "custom.Build", "custom.a-b", "custom.x.", "comment.created",
                "card.created", "custom." + "a" * 58, 7, None, ""):
        r = await api("POST", rooms_path(APOLLO), key="pub", body={"type": bad, "payload": {}}, expect=422, code="invalid_field")
        assert field(r) == "/type", r
    await api("POST", rooms_path(APOLLO), key="pub", body={"type": "custom." + "a" * 57}, expect=201)
    await api("POST", rooms_path(APOLLO), key="pub", body={"type": "custom.a.b_1.c9"}, expect=201)
    for bad_field, body in (
        ("/payload", publish_body(payload=[1])), ("/payload", publish_body(payload="x")), ("/payload", publish_body(payload=None)),
        ("/durable", publish_body(durable="yes")), ("/notify", publish_body(notify="u_bob")),
        ("/notify", publish_body(notify=[1])), ("/notify", publish_body(notify=["u\u0001x"])),
        ("/notify", publish_body(notify=["u"] * 1001)),
        ("/correlation_id", publish_body(correlation_id="has space")), ("/correlation_id", publish_body(correlation_id="")),
        ("/correlation_id", publish_body(correlation_id="x" * 129)),
    ):
        r = await api("POST", rooms_path(APOLLO), key="pub", body=body, expect=422, code="invalid_field")
        assert field(r) == bad_field, r
    # Not JSON, or not an object: 400.
    for raw in (b"{", b"[1]", b"\"x\"", b"null", b"{\"type\": \"custom.x\",}"):
        await api("POST", rooms_path(APOLLO), key="pub", raw=raw, headers={"Content-Type": "application/json"},
                  expect=400, code="invalid_json")
    # An empty body is {}: the type is missing.
    await api("POST", rooms_path(APOLLO), key="pub", raw=b"", expect=422, code="invalid_field")
    # Rooms: an invalid id is 422, an unknown project 404 (durable or not).
    r = await api("POST", rooms_path("-bad"), key="pub", body=publish_body(), expect=422)
    assert field(r) == "/room"
    await api("POST", rooms_path("x" * 65), key="pub", body=publish_body(), expect=422)
    await api("POST", rooms_path("p_nowhere"), key="pub", body=publish_body(), expect=404, code="not_found")
    await api("POST", rooms_path("p_nowhere"), key="pub", body=publish_body(durable=False), expect=404, code="not_found")
    # Unknown members are ignored.
    await api("POST", rooms_path(APOLLO), key="pub", body=publish_body(extra={"x": 1}), expect=201)
    # Only the accepted publishes reached the room.
    await alice.wait_seq(APOLLO, head + 4)
    await alice.expect_none(lambda m: "." in m.get("type", "") and m.get("seq", 0) > head + 4, 0.3)


def test_a_body_over_the_http_limit_is_413(api_hub):
    api = api_hub(max_body_size="64KiB")
    big = {"events": [dict(publish_body(i, payload={"a": "x" * 10000}), room=APOLLO) for i in range(10)]}
    status, headers, body = raw_exchange(api, "POST", "/v1/events", json.dumps(big).encode(), api.keys["pub"]["key"])
    check_response("POST", "/v1/events", status, headers, body)
    assert status == 413 and json.loads(body)["error"]["code"] == "bad_request"
    assert "close" in headers.get("connection", "")


def raw_exchange(api, method, path, data, key):
    head = (f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {key}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n\r\n").encode()
    with socket.create_connection(("127.0.0.1", api.port), timeout=5) as s:
        s.sendall(head)
        try:
            s.sendall(data)
        except OSError:
            pass  # the server may answer and close before reading the body
        buf = b""
        while True:
            try:
                chunk = s.recv(65536)
            except (socket.timeout, ConnectionResetError):
                break
            if not chunk:
                break
            buf += chunk
    head, _, body = buf.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip().lower() if k.strip().lower() == "connection" else v.strip()
    return status, headers, body[: int(headers.get("content-length", len(body)))]


async def test_ephemeral_publish_is_relayed_not_stored(api_hub):
    api = api_hub()
    alice = await connect_as(api, "alice")
    bob = await connect_as(api, "bob")
    bob2 = await connect_as(api, "bob")
    dan = await connect_as(api, "dan")  # a member, connected but not joined
    await alice.join(APOLLO)
    await bob.join(APOLLO)
    await bob2.join(APOLLO)
    head = alice.rooms[APOLLO].head_seq
    body = {"type": "custom.ci.progress", "payload": {"pipeline": "web", "percent": 40}, "durable": False,
            "notify": ["u_carol"], "correlation_id": "ignored"}
    r = await api("POST", rooms_path(APOLLO), key="pub", body=body, expect=202)
    assert r.json == {}
    for client in (alice, bob, bob2):
        msg = await client.wait_type("ephemeral", APOLLO)
        assert msg["key"] == "custom.ci.progress" and msg["data"] == body["payload"]
        assert msg["actor"] == {"service": "ci-bridge"} and msg["conn_id"] == "svc_ci-bridge"
        assert abs(hubclient.parse_time(msg["time"]) - time.time()) < 60
    await dan.expect_none(lambda m: m["type"] == "ephemeral", 0.3)
    # Nothing stored: no seq used, no event, no outbox row.
    page = await api("GET", rooms_path(APOLLO), key="read", query={"since": head})
    assert page.json["head_seq"] == head and page.json["events"] == []
    assert api.outbox() == []
    c = await alice.comment(APOLLO, "card_1", "next")
    assert c["seq"] == head + 1


async def test_ephemeral_relay_of_a_long_service_name_is_valid(api_hub):
    api = api_hub()
    alice = await connect_as(api, "alice")
    await alice.join(APOLLO)
    await api("POST", rooms_path(APOLLO), key="long", body={"type": "custom.x", "durable": False}, expect=202)
    msg = await alice.wait_type("ephemeral", APOLLO)
    assert msg["actor"] == {"service": LONG_NAME}


async def test_batch_with_mixed_results(api_hub):
    api = api_hub()
    alice = await connect_as(api, "alice")
    await alice.join(APOLLO)
    eve = await connect_as(api, "eve")
    await eve.join("p_zeus")
    head = alice.rooms[APOLLO].head_seq
    zeus_head = eve.rooms["p_zeus"].head_seq
    big = {"a": "x" * 17000}
    items = [
        dict(publish_body(1), room=APOLLO, correlation_id="b-1"),
        dict(publish_body(2), room=APOLLO, durable=False),
        dict(publish_body(3), room=APOLLO, type="custom.Bad"),
        dict(publish_body(4), room="p_nowhere"),
        dict(publish_body(5), room=APOLLO, payload=big),
        dict(publish_body(6), room=APOLLO, idempotency_key="batch-k"),
        dict(publish_body(6), room=APOLLO, idempotency_key="batch-k"),
        dict(publish_body(7), room=APOLLO, idempotency_key="batch-k"),
        dict(publish_body(8), room="p_zeus"),
        "not an object",
        {"type": "custom.no_room"},
        dict(publish_body(9), room="-bad"),
        dict(publish_body(10), room=APOLLO, idempotency_key="has space"),
        dict(publish_body(11), room=APOLLO),
    ]
    r = await api("POST", "/v1/events", key="pub", body={"events": items}, expect=200)
    results = r.json["results"]
    assert [x["status"] for x in results] == [201, 202, 422, 404, 413, 201, 200, 409, 201, 422, 422, 422, 422, 201]
    codes = [x.get("error", {}).get("code") for x in results]
    assert codes == [None, None, "invalid_field", "not_found", "too_large", None, None, "idempotency_key_reused", None,
                     "invalid_field", "invalid_field", "invalid_field", "invalid_field", None]
    stored = [x["event"] for x in results if x["status"] == 201]
    assert [e["seq"] for e in stored if e["room"] == APOLLO] == [head + 1, head + 2, head + 3]
    assert results[6]["event"] == results[5]["event"]
    assert stored[2]["room"] == "p_zeus" and stored[2]["seq"] == zeus_head + 1
    assert stored[0]["correlation_id"] == "b-1"
    assert all(e["actor"] == {"service": "ci-bridge"} for e in stored)
    # The clients got them, in order, the same envelopes; and the ephemeral one.
    await alice.wait_seq(APOLLO, head + 3)
    assert [alice.rooms[APOLLO].by_seq[s] for s in (head + 1, head + 2, head + 3)] == \
        [e for e in stored if e["room"] == APOLLO]
    eph = await alice.wait_type("ephemeral", APOLLO)
    assert eph["data"] == items[1]["payload"]
    await eve.wait_seq("p_zeus", zeus_head + 1)
    assert eve.rooms["p_zeus"].by_seq[zeus_head + 1] == stored[2]
    # The batch itself must be well-formed.
    for bad in ({}, {"events": []}, {"events": "x"}, {"events": [dict(publish_body(), room=APOLLO)] * 101}):
        r = await api("POST", "/v1/events", key="pub", body=bad, expect=422, code="invalid_field")
        assert r.json["error"]["details"]["field"] == "/events"
    await api("POST", "/v1/events", key="pub", raw=b"[]", expect=400, code="invalid_json")
    # 100 items is the limit.
    r = await api("POST", "/v1/events", key="pub",
                  body={"events": [dict(publish_body(i), room="p_r1", durable=False) for i in range(100)]}, expect=200)
    assert [x["status"] for x in r.json["results"]] == [202] * 100


async def test_notify_writes_an_outbox_row_for_offline_members_only(api_hub):
    api = api_hub()
    bob = await connect_as(api, "bob")  # online, in no room
    r = await api("POST", rooms_path(APOLLO), key="pub",
                  body=publish_body(1, notify=["u_bob", "u_carol", "u_eve", "u_nobody", "u_carol"]), expect=201)
    ev = r.event
    rows = api.outbox()
    assert [row[:5] + (row[6],) for row in rows] == [
        ("u_carol", "carol.chen@people.example", "custom.ci.build_finished", ev["event_id"], ev["seq"], "pending")]
    payload = json.loads(rows[0][5])
    assert payload["event_id"] == ev["event_id"] and payload["seq"] == ev["seq"] and payload["type"] == ev["type"]
    assert payload["payload"] == ev["payload"] and payload["actor"] == {"service": "ci-bridge"}
    assert payload["project"]["id"] == APOLLO
    # Once bob is offline he gets a row too; ephemeral publishes never write rows.
    await bob.close()
    await asyncio.sleep(0.2)
    r2 = await api("POST", rooms_path(APOLLO), key="pub", body=publish_body(2, notify=["u_bob"]), expect=201)
    await api("POST", rooms_path(APOLLO), key="pub", body=publish_body(3, notify=["u_dan"], durable=False), expect=202)
    rows = api.outbox()
    assert [(row[0], row[3]) for row in rows] == [("u_carol", ev["event_id"]), ("u_bob", r2.event["event_id"])]


async def test_events_paging(api_hub):
    api = api_hub()
    head = SEEDED_HEAD[APOLLO]
    bob = await connect_as(api, "bob")
    await bob.join(APOLLO)
    for n in range(7):
        await api("POST", rooms_path(APOLLO), key="pub", body=publish_body(n), expect=201)
    await bob.wait_seq(APOLLO, head + 7)
    everything = []
    since = 0
    pages = 0
    while True:
        r = await api("GET", rooms_path(APOLLO), key="read", query={"since": since, "limit": 3}, expect=200)
        page = r.json
        assert page["room"] == APOLLO and page["head_seq"] == head + 7
        assert len(page["events"]) <= 3
        everything += page["events"]
        pages += 1
        if not page["events"]:
            assert page["next_since"] == since
            break
        assert page["next_since"] == page["events"][-1]["seq"]
        since = page["next_since"]
        if since >= page["head_seq"]:
            break
    assert pages == -(-(head + 7) // 3)
    assert [e["seq"] for e in everything] == list(range(1, head + 8))
    # The seeded cards are card.created events; the published ones are what bob received.
    assert all(e["type"] == "card.created" for e in everything[:head])
    assert everything[head:] == [bob.rooms[APOLLO].by_seq[s] for s in range(head + 1, head + 8)]
    # Defaults: since 0, limit 100.
    r = await api("GET", rooms_path(APOLLO), key="read", expect=200)
    assert r.json["events"] == everything
    # Past the head: empty, next_since = since.
    r = await api("GET", rooms_path(APOLLO), key="read", query={"since": head + 50}, expect=200)
    assert r.json["events"] == [] and r.json["next_since"] == head + 50
    r = await api("GET", rooms_path(APOLLO), key="read", query={"since": head + 7, "limit": 1000}, expect=200)
    assert r.json["events"] == [] and r.json["next_since"] == head + 7
    # A room without events.
    await api("PUT", "/v1/projects/p_empty", body={"name": "Empty"}, expect=201)
    r = await api("GET", rooms_path("p_empty"), key="read", expect=200)
    assert r.json == {"room": "p_empty", "head_seq": 0, "events": [], "next_since": 0}
    # Bad parameters, unknown rooms.
    for query, name in (({"since": -1}, "since"), ({"since": "x"}, "since"), ({"since": ""}, "since"),
                        ({"limit": 0}, "limit"), ({"limit": 1001}, "limit"), ({"limit": "ten"}, "limit")):
        r = await api("GET", rooms_path(APOLLO), key="read", query=query, expect=422, code="invalid_field")
        assert r.json["error"]["details"]["field"] == name
    await api("GET", rooms_path("p_nowhere"), key="read", expect=404, code="not_found")
    await api("GET", rooms_path("bad id"), key="read", expect=422)


async def test_presence_reflects_joined_clients(api_hub):
    api = api_hub(presence_grace="0.2s")
    r = await api("GET", rooms_path(APOLLO, "presence"), key="read", expect=200)
    assert r.json == {"room": APOLLO, "mode": "full", "presences": {}, "total_users": 0, "total_connections": 0}
    alice = await connect_as(api, "alice")
    bob1 = await connect_as(api, "bob")
    bob2 = await connect_as(api, "bob")
    await alice.join(APOLLO, presence={"viewing_card": "card_1"})
    await bob1.join(APOLLO)
    await bob2.join(APOLLO, presence={"x": 1})
    r = await api("GET", rooms_path(APOLLO, "presence"), key="read", expect=200)
    p = r.json
    assert p["mode"] == "full" and p["total_users"] == 2 and p["total_connections"] == 3
    assert set(p["presences"]) == {"u_alice", "u_bob"}
    assert p["presences"]["u_alice"]["name"] == "Alice Adams" and p["presences"]["u_alice"]["username"] == "alice"
    assert [(m["conn_id"], m["state"]) for m in p["presences"]["u_alice"]["metas"]] == [(alice.conn_id, {"viewing_card": "card_1"})]
    assert sorted((m["conn_id"], json.dumps(m["state"])) for m in p["presences"]["u_bob"]["metas"]) == \
        sorted([(bob1.conn_id, "{}"), (bob2.conn_id, '{"x": 1}')])
    # It is what a client's presence model says.
    await alice.until(lambda: set(alice.rooms[APOLLO].presence or {}) == {"u_alice", "u_bob"}
                      and len(alice.rooms[APOLLO].presence["u_bob"]["metas"]) == 2, 3, "bob in alice's presence")
    def normal(presences):
        return {u: dict(e, metas=sorted(e["metas"], key=lambda m: m["conn_id"])) for u, e in presences.items()}

    assert normal(alice.rooms[APOLLO].presence) == normal(p["presences"])
    await alice.ok("presence_update", room=APOLLO, state={"viewing_card": "card_2"})
    await bob1.ok("leave", room=APOLLO)
    await bob2.close()

    async def settled():
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            r = await api("GET", rooms_path(APOLLO, "presence"), key="read", expect=200)
            if r.json["total_users"] == 1:
                return r.json
            await asyncio.sleep(0.1)
        raise AssertionError(f"bob still present: {r.json}")

    p = await settled()
    assert p["presences"]["u_alice"]["metas"][0]["state"] == {"viewing_card": "card_2"}
    await api("GET", rooms_path("p_nowhere", "presence"), key="read", expect=404, code="not_found")
    await api("GET", rooms_path("-x", "presence"), key="read", expect=422)


async def test_presence_in_counts_mode(api_hub):
    api = api_hub(presence_full_max_users=1, presence_full_min_users=0)
    clients = [await connect_as(api, u) for u in ("alice", "bob", "carol")]
    for c in clients:
        await c.join(APOLLO)
    r = await api("GET", rooms_path(APOLLO, "presence"), key="read", expect=200)
    assert r.json == {"room": APOLLO, "mode": "counts", "total_users": 3, "total_connections": 3}


# --------------------------------------------------------------------------- projects, members, columns


async def test_projects_members_and_columns(api_hub):
    api = api_hub()
    r = await api("GET", "/v1/projects", expect=200)
    assert [p["id"] for p in r.json["projects"]] == sorted(p["id"] for p in WORLD["projects"])
    assert {"id": APOLLO, "name": "Apollo launch"} in r.json["projects"]
    # Projects.
    assert (await api("GET", f"/v1/projects/{APOLLO}", expect=200)).json == {"id": APOLLO, "name": "Apollo launch"}
    await api("GET", "/v1/projects/p_new", expect=404, code="not_found")
    r = await api("PUT", "/v1/projects/p_new", body={"name": "New one"}, expect=201)
    assert r.json == {"id": "p_new", "name": "New one"}
    r = await api("PUT", "/v1/projects/p_new", body={"name": "Renamed"}, expect=200)
    assert (await api("GET", "/v1/projects/p_new", expect=200)).json == {"id": "p_new", "name": "Renamed"}
    for path, body, name in (("/v1/projects/p_new", {}, "/name"), ("/v1/projects/p_new", {"name": ""}, "/name"),
                             ("/v1/projects/p_new", {"name": 5}, "/name"), ("/v1/projects/p_new", {"name": "x" * 201}, "/name"),
                             ("/v1/projects/-x", {"name": "x"}, "/id"), (f"/v1/projects/{'p' * 65}", {"name": "x"}, "/id")):
        r = await api("PUT", path, body=body, expect=422, code="invalid_field")
        assert r.json["error"]["details"]["field"] == name
    await api("PUT", "/v1/projects/p_new", raw=b"nope", expect=400, code="invalid_json")
    await api("GET", "/v1/projects/-x", expect=422)
    # Members: the seeded ones, with e-mail, ordered by username.
    r = await api("GET", f"/v1/projects/{APOLLO}/members", expect=200)
    assert [m["username"] for m in r.json["members"]] == ["alice", "bob", "carol.chen", "dan-d"]
    assert r.json["members"][1] == {"user_id": "u_bob", "name": "Bob Baker", "username": "bob", "email": "bob@people.example"}
    await api("GET", "/v1/projects/p_nowhere/members", expect=404)
    # A new member can join at once; a non-member cannot.
    frank = await HubClient.open(api.base, mint_token("u_frank", "Frank Fox"), label="frank")
    await frank.fail("join", "forbidden", room="p_new")
    member = {"name": "Frank Fox", "email": "frank@people.example", "username": "frank"}
    r = await api("PUT", "/v1/projects/p_new/members/u_frank", body=member, expect=201)
    assert r.json == {"user_id": "u_frank", **member}
    result = await frank.join("p_new")
    assert result["members"] == [{"user_id": "u_frank", "name": "Frank Fox", "username": "frank"}]
    r = await api("PUT", "/v1/projects/p_new/members/u_frank", body=dict(member, email="f@x.example"), expect=200)
    # A user id with characters that need percent-encoding.
    odd = "auth0|user 42/é"
    r = await api("PUT", f"/v1/projects/p_new/members/{quote(odd, safe='')}", body={"name": "Odd", "email": "o@x.example",
                                                                                        "username": "odd"}, expect=201)
    assert r.json["user_id"] == odd
    r = await api("GET", "/v1/projects/p_new/members", expect=200)
    assert [m["user_id"] for m in r.json["members"]] == ["u_frank", odd]
    # Username conflicts (case-insensitive) are 409; the same user keeping theirs is fine.
    await api("PUT", f"/v1/projects/{APOLLO}/members/u_zed", body={"name": "Zed", "email": "z@x.example", "username": "BOB"},
              expect=409, code="conflict")
    await api("PUT", f"/v1/projects/{APOLLO}/members/u_bob", body={"name": "Bob B.", "email": "bob@people.example",
                                                                   "username": "Bob"}, expect=200)
    for body, name in (({"name": "Z", "email": "z@x.example"}, None), ({"name": "Z", "email": "nope", "username": "z"}, "/email"),
                       ({"name": "Z", "email": "a@b@c", "username": "z"}, "/email"),
                       ({"name": "Z", "email": "z@x.example", "username": "-z"}, "/username"),
                       ({"name": "Z", "email": "z@x.example", "username": "z" * 33}, "/username"),
                       ({"name": "", "email": "z@x.example", "username": "z"}, "/name")):
        r = await api("PUT", f"/v1/projects/{APOLLO}/members/u_zed", body=body, expect=422, code="invalid_field")
        if name:
            assert r.json["error"]["details"]["field"] == name
    await api("PUT", "/v1/projects/p_nowhere/members/u_zed", body=member, expect=404)
    await api("PUT", f"/v1/projects/{APOLLO}/members/{quote('a' * 129)}", body=member, expect=422)
    # Removing: 204, then 404.
    await api("DELETE", f"/v1/projects/p_new/members/{quote(odd, safe='')}", expect=204)
    await api("DELETE", f"/v1/projects/p_new/members/{quote(odd, safe='')}", expect=404, code="not_found")
    await api("DELETE", "/v1/projects/p_nowhere/members/u_bob", expect=404)
    # Columns: seeded order, new ones at the end unless placed.
    r = await api("GET", f"/v1/projects/{APOLLO}/columns", expect=200)
    assert [(c["id"], c["name"]) for c in r.json["columns"]] == [("col_backlog", "Backlog"), ("col_doing", "Doing"), ("col_done", "Done")]
    last = max(c["position"] for c in r.json["columns"])
    r = await api("PUT", f"/v1/projects/{APOLLO}/columns/col_review", body={"name": "Review"}, expect=201)
    assert r.json == {"id": "col_review", "name": "Review", "position": last + 1}
    r = await api("PUT", f"/v1/projects/{APOLLO}/columns/col_review", body={"name": "In review"}, expect=200)
    assert r.json["position"] == last + 1
    r = await api("PUT", f"/v1/projects/{APOLLO}/columns/col_first", body={"name": "First", "position": 0}, expect=201)
    for body, name in (({}, "/name"), ({"name": "x", "position": -1}, "/position"), ({"name": "x", "position": 1.5}, "/position"),
                       ({"name": "x", "position": "1"}, "/position"), ({"name": "x", "position": 1000001}, "/position")):
        r = await api("PUT", f"/v1/projects/{APOLLO}/columns/col_x", body=body, expect=422, code="invalid_field")
        assert r.json["error"]["details"]["field"] == name
    await api("PUT", f"/v1/projects/{APOLLO}/columns/-x", body={"name": "x"}, expect=422)
    await api("PUT", "/v1/projects/p_nowhere/columns/col_x", body={"name": "x"}, expect=404)
    # The board shows the columns in order; a joining client sees them.
    board = (await api("GET", f"/v1/projects/{APOLLO}/board", expect=200)).json
    assert [c["id"] for c in board["board"]["columns"]][-1] == "col_review"
    assert board["head_seq"] == SEEDED_HEAD[APOLLO] and board["project"] == APOLLO
    alice = await connect_as(api, "alice")
    result = await alice.join(APOLLO)
    assert result["board"] == board["board"]
    # Deleting: an empty column 204; one with cards 409; an unknown one 404.
    await api("DELETE", f"/v1/projects/{APOLLO}/columns/col_review", expect=204)
    await api("DELETE", f"/v1/projects/{APOLLO}/columns/col_review", expect=404, code="not_found")
    r = await api("DELETE", f"/v1/projects/{APOLLO}/columns/col_backlog", expect=409, code="conflict")
    assert "3" in r.json["error"]["message"]
    await api("DELETE", "/v1/projects/p_nowhere/columns/col_backlog", expect=404)
    r = await api("GET", f"/v1/projects/{APOLLO}/columns", expect=200)
    assert sorted(c["id"] for c in r.json["columns"]) == ["col_backlog", "col_doing", "col_done", "col_first"]
    positions = [c["position"] for c in r.json["columns"]]
    assert positions == sorted(positions), "columns are listed in display order"
    # Deleting a project: 204, then it is gone everywhere.
    await api("DELETE", "/v1/projects/p_new", expect=204)
    await api("GET", "/v1/projects/p_new", expect=404)
    await api("DELETE", "/v1/projects/p_new", expect=404)
    await api("GET", "/v1/projects/p_new/members", expect=404)
    await api("GET", "/v1/projects/p_new/columns", expect=404)
    await api("GET", "/v1/projects/p_new/board", expect=404)
    assert "p_new" not in [p["id"] for p in (await api("GET", "/v1/projects", expect=200)).json["projects"]]


async def test_removing_a_member_sends_room_left(api_hub):
    api = api_hub(presence_grace="5s")
    alice = await connect_as(api, "alice")
    bob1 = await connect_as(api, "bob")
    bob2 = await connect_as(api, "bob")
    await alice.join(APOLLO)
    await bob1.join(APOLLO)
    await bob2.join(APOLLO)
    await bob2.join("p_r1")
    await alice.until(lambda: "u_bob" in (alice.rooms[APOLLO].presence or {}), 3, "bob present")
    await api("DELETE", f"/v1/projects/{APOLLO}/members/u_bob", expect=204)
    for bob in (bob1, bob2):
        msg = await bob.wait_type("room_left", APOLLO)
        assert msg == {"type": "room_left", "room": APOLLO, "reason": "membership_revoked"}
    # Their presence ends at once (no grace), and nothing more of the room reaches them.
    await alice.until(lambda: "u_bob" not in (alice.rooms[APOLLO].presence or {}), 3, "bob gone from presence")
    r = await api("GET", rooms_path(APOLLO, "presence"), key="read", expect=200)
    assert set(r.json["presences"]) == {"u_alice"}
    # (hubclient records a violation for anything of a room after its room_left.)
    c = await alice.comment(APOLLO, "card_1", "after bob left")
    await alice.wait_seq(APOLLO, c["seq"])
    await asyncio.sleep(0.3)
    # Joining again is refused; the other room and the connections are unaffected.
    await bob1.fail("join", "forbidden", room=APOLLO)
    r = await api("POST", rooms_path("p_r1"), key="pub", body=publish_body(), expect=201)
    await bob2.wait_seq("p_r1", r.event["seq"])
    assert not bob1.closed.is_set() and not bob2.closed.is_set()
    # Adding him back lets him join again.
    await api("PUT", f"/v1/projects/{APOLLO}/members/u_bob", body={"name": "Bob Baker", "email": "bob@people.example",
                                                                   "username": "bob"}, expect=201)
    await bob1.join(APOLLO)


async def test_deleting_a_project_sends_room_left(api_hub):
    api = api_hub()
    alice = await connect_as(api, "alice")
    eve = await connect_as(api, "eve")
    await alice.join("p_zeus")
    await alice.join(APOLLO)
    await eve.join("p_zeus")
    await api("POST", rooms_path("p_zeus"), key="pub", body=publish_body(notify=["u_alice"]), expect=201)
    await api("DELETE", "/v1/projects/p_zeus", expect=204)
    for client in (alice, eve):
        msg = await client.wait_type("room_left", "p_zeus")
        assert msg["reason"] == "project_deleted"
        await client.fail("join", "forbidden", room="p_zeus")
    await api("GET", rooms_path("p_zeus"), key="read", expect=404)
    await api("GET", rooms_path("p_zeus", "presence"), key="read", expect=404)
    await api("POST", rooms_path("p_zeus"), key="pub", body=publish_body(), expect=404)
    await api("POST", rooms_path("p_zeus"), key="pub", body=publish_body(durable=False), expect=404)
    await api("POST", "/v1/projects/p_zeus/cards", body={"column_id": "col_z", "title": "x"}, expect=404)
    # Alice's other room goes on.
    c = await alice.comment(APOLLO, "card_1", "still here")
    await alice.wait_seq(APOLLO, c["seq"])


async def test_a_project_created_again_starts_a_fresh_room(api_hub):
    api = api_hub()
    eve = await connect_as(api, "eve")
    await eve.join("p_zeus")
    await api("DELETE", "/v1/projects/p_zeus", expect=204)
    await eve.wait_type("room_left", "p_zeus")
    await api("PUT", "/v1/projects/p_zeus", body={"name": "Zeus again"}, expect=201)
    await api("PUT", "/v1/projects/p_zeus/members/u_eve", body={"name": "Eve", "email": "eve@people.example",
                                                                "username": "eve"}, expect=201)
    r = await api("POST", rooms_path("p_zeus"), key="pub", body=publish_body(), expect=201)
    assert r.event["seq"] == 1
    result = await eve.join("p_zeus")
    assert result["head_seq"] == 1 and result["board"] == {"columns": []}


# --------------------------------------------------------------------------- cards


async def test_cards_through_the_api_reach_clients_as_events(api_hub):
    api = api_hub()
    alice = await connect_as(api, "alice")
    bob = await connect_as(api, "bob")
    await alice.join(APOLLO)
    await bob.join(APOLLO)
    cards = f"/v1/projects/{APOLLO}/cards"
    events = []

    async def write(method, path, body=None, expect=200, **kw):
        r = await api(method, path, body=body, expect=expect, **kw)
        ev = r.event
        assert ev["actor"] == {"service": "pm-app"} and ev["room"] == APOLLO
        events.append(ev)
        return ev

    created = await write("POST", cards, {"column_id": "col_doing", "title": "From the app", "id": "card_app", "position": 0},
                          expect=201, headers={"X-Correlation-ID": "pm-1"})
    assert created["type"] == "card.created" and created["correlation_id"] == "pm-1"
    card = created["payload"]["card"]
    assert (card["id"], card["column_id"], card["position"], card["version"], card["title"]) == \
        ("card_app", "col_doing", 0, 1, "From the app")
    gen = await write("POST", cards, {"column_id": "col_done", "title": "Generated id"}, expect=201)
    assert gen["payload"]["card"]["position"] == 0 and re.fullmatch(r"[0-9a-f-]{36}", gen["payload"]["card"]["id"])
    end = await write("POST", cards, {"column_id": "col_backlog", "title": "Clamped", "position": 999}, expect=201)
    assert end["payload"]["card"]["position"] == 3
    updated = await write("PATCH", f"{cards}/card_app", {"title": "Renamed", "expected_version": 1})
    assert updated["type"] == "card.updated"
    assert (updated["payload"]["card"]["title"], updated["payload"]["card"]["version"]) == ("Renamed", 2)
    free = await write("PATCH", f"{cards}/card_2", {"title": "No version check"})
    assert free["payload"]["card"]["version"] == 2
    moved = await write("POST", f"{cards}/card_app/move", {"to_column_id": "col_backlog", "to_position": 1, "expected_version": 2})
    assert moved["type"] == "card.moved" and moved["payload"]["from"] == {"column_id": "col_doing", "position": 0}
    assert moved["payload"]["to"] == {"column_id": "col_backlog", "position": 1} and moved["payload"]["card"]["version"] == 3
    # A user's own move interleaves in the same stream.
    mine = await alice.ok("card_move", room=APOLLO, card_id="card_4", to_column_id="col_done", to_position=5, expected_version=1)
    deleted = await write("DELETE", f"{cards}/card_1", query={"expected_version": 1})
    assert deleted["type"] == "card.deleted" and deleted["payload"]["card"]["id"] == "card_1"
    deleted2 = await write("DELETE", f"{cards}/{gen['payload']['card']['id']}")
    seqs = [e["seq"] for e in events]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    last = max(seqs[-1], mine["seq"])
    for client in (alice, bob):
        await client.wait_seq(APOLLO, last)
        for e in events:
            assert client.rooms[APOLLO].by_seq[e["seq"]] == e
    # The board each client built from the events is the server's board.
    board = (await api("GET", f"/v1/projects/{APOLLO}/board", expect=200)).json
    assert board["head_seq"] == last
    assert alice.rooms[APOLLO].board == board["board"] == bob.rooms[APOLLO].board
    fresh = await bob.ok("board", room=APOLLO)
    assert fresh["board"] == board["board"] and fresh["head_seq"] == last
    # After a card.deleted, the card is gone for clients too.
    await bob.fail("comment", "not_found", room=APOLLO, card_id="card_1", text="where did it go")
    # Errors, none of which stores anything.
    await api("POST", cards, body={"column_id": "col_nope", "title": "x"}, expect=404, code="not_found")
    await api("POST", cards, body={"column_id": "col_doing", "title": "dup", "id": "card_app"}, expect=409, code="already_exists")
    for body, name in (({"title": "x"}, "/column_id"), ({"column_id": "col_doing"}, "/title"),
                       ({"column_id": "col_doing", "title": "   "}, "/title"), ({"column_id": "col_doing", "title": "é" * 251}, "/title"),
                       ({"column_id": "col_doing", "title": "x", "id": "-bad"}, "/id"),
                       ({"column_id": "col_doing", "title": "x", "position": -1}, "/position")):
        r = await api("POST", cards, body=body, expect=422, code="invalid_field")
        assert r.json["error"]["details"]["field"] == name, r
    r = await api("POST", cards, body={"column_id": "col_doing", "title": "x"}, headers={"X-Correlation-ID": "bad id"}, expect=422)
    assert r.json["error"]["details"]["field"] == "X-Correlation-ID"
    r = await api("PATCH", f"{cards}/card_app", body={"title": "stale", "expected_version": 1}, expect=409, code="conflict")
    col, i = board_find(board["board"], "card_app")
    assert r.json["error"]["details"]["card"] == col["cards"][i]  # the card now (moved up by card_1's deletion)
    r = await api("POST", f"{cards}/card_app/move", body={"to_column_id": "col_done", "to_position": 0, "expected_version": 1},
                  expect=409, code="conflict")
    assert r.json["error"]["details"]["card"]["version"] == 3
    r = await api("DELETE", f"{cards}/card_app", query={"expected_version": 2}, expect=409, code="conflict")
    await api("PATCH", f"{cards}/card_nope", body={"title": "x"}, expect=404)
    await api("POST", f"{cards}/card_nope/move", body={"to_column_id": "col_done", "to_position": 0, "expected_version": 1}, expect=404)
    await api("POST", f"{cards}/card_app/move", body={"to_column_id": "col_nope", "to_position": 0, "expected_version": 3}, expect=404)
    await api("DELETE", f"{cards}/card_1", expect=404)
    await api("POST", f"{cards}/card_app/move", body={"to_column_id": "col_done", "to_position": 0}, expect=422)
    await api("DELETE", f"{cards}/card_app", query={"expected_version": 0}, expect=422)
    await api("DELETE", f"{cards}/card_app", query={"expected_version": "x"}, expect=422)
    await api("PATCH", f"{cards}/-bad", body={"title": "x"}, expect=422)
    await api("POST", "/v1/projects/p_nowhere/cards", body={"column_id": "col_doing", "title": "x"}, expect=404)
    await api("GET", "/v1/projects/p_nowhere/board", expect=404)
    # Idempotent card writes: a retry answers the first event.
    body = {"column_id": "col_doing", "title": "Once"}
    once = await write("POST", cards, body, expect=201, headers={"Idempotency-Key": "card-once"})
    again = await api("POST", cards, body=body, expect=200, headers={"Idempotency-Key": "card-once"})
    assert again.event == once
    await api("POST", cards, body=dict(body, title="Twice"), expect=409, code="idempotency_key_reused",
              headers={"Idempotency-Key": "card-once"})
    mv = {"to_column_id": "col_done", "to_position": 0, "expected_version": 1}
    first = await write("POST", f"{cards}/{once['payload']['card']['id']}/move", mv, headers={"Idempotency-Key": "mv-once"})
    retry = await api("POST", f"{cards}/{once['payload']['card']['id']}/move", body=mv, expect=200, headers={"Idempotency-Key": "mv-once"})
    assert retry.event == first  # not a conflict: the key is looked up first
    await alice.wait_seq(APOLLO, first["seq"])
    board = (await api("GET", f"/v1/projects/{APOLLO}/board", expect=200)).json
    assert alice.rooms[APOLLO].board == board["board"] and board["head_seq"] == first["seq"]


async def test_card_limit_is_409(api_hub):
    api = api_hub(max_cards_per_board=5)
    r = await api("POST", f"/v1/projects/{APOLLO}/cards", body={"column_id": "col_done", "title": "5th"}, expect=201)
    assert r.event["payload"]["card"]["title"] == "5th"
    await api("POST", f"/v1/projects/{APOLLO}/cards", body={"column_id": "col_done", "title": "6th"}, expect=409,
              code="limit_exceeded")


# --------------------------------------------------------------------------- disconnect and rate limits


async def test_disconnect_closes_the_users_sessions(api_hub):
    api = api_hub()
    bob1 = await connect_as(api, "bob")
    bob2 = await connect_as(api, "bob")
    alice = await connect_as(api, "alice")
    await bob1.join(APOLLO)
    r = await api("POST", "/v1/users/u_bob/disconnect", body={}, expect=200)
    assert r.json == {"disconnected": 2}
    for bob in (bob1, bob2):
        code, reason = await bob.wait_closed()
        assert (code, reason) == (4003, "disconnected by the server") and bob.close_frame
    assert not alice.closed.is_set()
    # Reconnecting works (4003 is in the reconnect range).
    bob3 = await connect_as(api, "bob")
    await bob3.join(APOLLO)
    r = await api("POST", f"/v1/users/{quote('u_bob')}/disconnect", body={"terminal": True, "reason": "account disabled"},
                  expect=200)
    assert r.json == {"disconnected": 1}
    assert await bob3.wait_closed() == (4501, "account disabled")
    # No body at all is the default; a user without connections is 0.
    r = await api("POST", "/v1/users/u_nobody/disconnect", raw=b"", expect=200)
    assert r.json == {"disconnected": 0}
    for body, name in (({"terminal": "yes"}, "/terminal"), ({"reason": ""}, "/reason"), ({"reason": "x" * 101}, "/reason")):
        r = await api("POST", "/v1/users/u_alice/disconnect", body=body, expect=422, code="invalid_field")
        assert r.json["error"]["details"]["field"] == name
    await api("POST", "/v1/users/u_alice/disconnect", raw=b"[", expect=400, code="invalid_json")
    assert not alice.closed.is_set()


def test_rate_limit_per_key_name(api_hub):
    api = api_hub(api_requests_per_second=1, api_burst=3)
    for _ in range(3):
        api.call("GET", "/v1/projects", key="admin", expect=200)
    r = api.call("GET", "/v1/projects", key="admin", expect=429, code="rate_limited")
    assert int(r.headers["retry-after"]) >= 1
    # A second key of the same service shares the bucket; another service has its own.
    api.call("GET", "/v1/projects", key="admin2", expect=429)
    api.call("POST", rooms_path(APOLLO), key="pub", body=publish_body(), expect=201)
    # Over the limit nothing is done.
    r = api.call("POST", rooms_path(APOLLO), key="admin", body=publish_body(99), expect=429)
    time.sleep(int(r.headers["retry-after"]) + 0.1)
    page = api.call("GET", rooms_path(APOLLO), key="admin", expect=200)
    assert [e["payload"].get("run") for e in page.json["events"] if e["type"].startswith("custom.")] == [0]
    # Unknown keys and routing errors do not use a bucket.
    for _ in range(5):
        api.call("GET", "/v1/projects", key="hbk_wrong", expect=401)
        api.call("GET", "/v1/nope", key="admin", expect=404)


# --------------------------------------------------------------------------- every route alike

SAMPLE = {"room": APOLLO, "project": APOLLO, "user_id": "u_bob", "column_id": "col_done", "card_id": "card_1"}
LACKING = {"publish": "read", "read": "pub", "admin": "pubread"}  # a key without the scope
HAVING = {"publish": "pub", "read": "read", "admin": "admin"}


def operations():
    for template, item in OPENAPI["paths"].items():
        for method, operation in item.items():
            if method in HTTP_METHODS and template.startswith("/v1/"):
                path = re.sub(r"\{([a-z_]+)\}", lambda m: quote(SAMPLE[m.group(1)], safe=""), template)
                yield method.upper(), template, path, operation


def test_every_route_checks_the_key_its_scope_and_the_body(api_hub):
    api = api_hub()
    ops = list(operations())
    assert len(ops) == 20
    for method, template, path, operation in ops:
        scope = operation["x-hubbub-scope"]
        api.call(method, path, key=None, raw=b"{", expect=401, code="unauthorized")
        api.call(method, path, key="hbk_unknown", raw=b"{", expect=401, code="unauthorized")
        api.call(method, path, key=LACKING[scope], raw=b"{", expect=403, code="forbidden")
        if "requestBody" in operation:
            # The key with exactly the documented scope gets past the checks to the body.
            api.call(method, path, key=HAVING[scope], raw=b"{", expect=400, code="invalid_json")
            api.call(method, path, key=HAVING[scope], raw=b"[]", expect=400, code="invalid_json")
    # The sample values exist, so a read answers 200 with the documented scope.
    for method, template, path, operation in ops:
        if method == "GET":
            api.call(method, path, key=HAVING[operation["x-hubbub-scope"]], expect=200)


def test_every_route_is_rate_limited(api_hub):
    api = api_hub(api_requests_per_second=1, api_burst=1)
    api.call("GET", "/v1/projects", key="admin", expect=200)
    for method, template, path, operation in operations():
        r = api.call(method, path, key="admin", raw=b"{", expect=429, code="rate_limited")
        assert int(r.headers["retry-after"]) >= 1


def test_bodies_over_the_http_limit_are_413_on_every_route_that_takes_one(api_hub):
    api = api_hub(max_body_size="1KiB")
    for method, template, path, operation in operations():
        if "requestBody" in operation:
            status, headers, body = raw_exchange(api, method, path, b"{" + b" " * 2000 + b"}", api.keys["admin"]["key"])
            check_response(method, path, status, headers, body)
            assert status == 413, (method, path, status, body)


async def test_store_unavailable_is_503(api_hub):
    """An exclusive lock held on the database keeps the store from answering: /readyz
    says 503, writes wait for the store's busy timeout and answer 503 with Retry-After.
    (A long handshake timeout: see test_a_request_to_an_idle_hub_is_answered.)"""
    api = api_hub(handshake_timeout="120s")
    db = sqlite3.connect(str(api.data_dir / "hubbub.sqlite3"), timeout=1, isolation_level=None)
    try:
        db.execute("BEGIN EXCLUSIVE")
        r = await api("GET", "/readyz", key=None, expect=503)
        assert r.json["status"] == "unavailable" and r.json["checks"]["store"] != "ok"
        # (Each write waits out the store's busy timeout, queued behind the ping /readyz left behind.)
        r = await api("PUT", "/v1/projects/p_locked", body={"name": "x"}, expect=503, code="unavailable", timeout=60)
        assert int(r.headers["retry-after"]) >= 1
        await api("POST", rooms_path(APOLLO), key="pub", body=publish_body(), expect=503, code="unavailable", timeout=60)
    finally:
        db.execute("ROLLBACK")
        db.close()
    deadline = time.monotonic() + 10
    while (await api("GET", "/readyz", key=None)).status != 200:
        assert time.monotonic() < deadline, "not ready again after the lock was released"
        await asyncio.sleep(0.2)
    await api("GET", "/v1/projects/p_locked", expect=404)


def test_a_request_to_an_idle_hub_is_answered(api_hub):
    api = api_hub(handshake_timeout="1s", threads=1)
    api.call("GET", "/v1/projects", expect=200)
    time.sleep(1.5)
    status, _, body = http_request(api.port, "GET", "/healthz")
    assert status == 200, body


async def test_the_request_correlation_id_reaches_the_event_and_the_logs(api_hub):
    """Issue 7: a correlation id per request (X-Correlation-ID, generated when absent)
    tags the request's log line, comes back in the response, and becomes the event's
    correlation_id; no body and no key appears in the logs."""
    api = api_hub()
    r = await api("POST", rooms_path(APOLLO), body=publish_body(7), key="pub",
                  headers={"X-Correlation-ID": "deploy-4711"}, expect=201)
    assert r.headers.get("x-correlation-id") == "deploy-4711"
    assert r.json["event"]["correlation_id"] == "deploy-4711"
    generated = await api("POST", rooms_path(APOLLO), body=publish_body(8), key="pub", expect=201)
    assert generated.headers.get("x-correlation-id") == generated.json["event"]["correlation_id"]
    log = api.server.log
    assert re.search(r"correlation_id=deploy-4711.*api request|api request.*correlation_id=deploy-4711", log), log[-2000:]
    assert '"pipeline"' not in log and api.keys["pub"]["key"] not in log
