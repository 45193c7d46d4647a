"""Checks the client protocol contract in protocol/ against itself.

No server is started: this validates the JSON Schemas (draft 2020-12), every
line of every example transcript in protocol/examples/, the consistency rules
the prose promises (one reply per command, in order; gapless per-room seqs;
the join boundary; idempotent retries; mentions), and that errors.md,
close-codes.md and the README agree with the schemas. Needs only pytest and
jsonschema (with referencing).
"""
import base64
import copy
import json
import pathlib
import re
import unicodedata
from datetime import datetime
from urllib.parse import urljoin

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

ROOT = pathlib.Path(__file__).resolve().parents[2]
PROTOCOL = ROOT / "protocol"
SCHEMAS = PROTOCOL / "schemas"
EXAMPLES = PROTOCOL / "examples"
INDEX = json.loads((SCHEMAS / "index.json").read_text())
BASE = INDEX["base"]
DRAFT = "https://json-schema.org/draft/2020-12/schema"

SCHEMA_DOCS = {
    p.relative_to(SCHEMAS).as_posix(): json.loads(p.read_text())
    for p in sorted(SCHEMAS.rglob("*.json"))
    if p.name != "index.json"
}
REGISTRY = Registry().with_resources(
    (doc["$id"], DRAFT202012.create_resource(doc)) for doc in SCHEMA_DOCS.values()
)
_VALIDATORS = {}


def validator(ref):
    """A validator for a schema path relative to schemas/ (a #fragment allowed)."""
    if ref not in _VALIDATORS:
        _VALIDATORS[ref] = Draft202012Validator({"$ref": BASE + ref}, registry=REGISTRY)
    return _VALIDATORS[ref]


def errors_of(ref, instance):
    return [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in validator(ref).iter_errors(instance)]


def common(name):
    return SCHEMA_DOCS["common.json"]["$defs"][name]


ERROR_CODES = set(common("error_code")["enum"])
CLOSE_CODES = set(common("close_code")["enum"])
AUTH_FAILURE_CLOSE = {"unauthorized": 4500, "forbidden": 4501, "limit_exceeded": 4503}
ROOM_SCOPED = {"leave", "board", "comment", "card_create", "card_move", "ephemeral", "presence_update", "presence_roster"}
PERSISTING = {"comment": "comment.created", "card_create": "card.created", "card_move": "card.moved"}
COMMAND_ID = re.compile(common("command_id")["pattern"])


def s2c_entry(msg_type):
    if msg_type in INDEX["s2c"]:
        return INDEX["s2c"][msg_type]
    for entry in INDEX["s2c_patterns"]:
        if re.search(entry["pattern"], msg_type):
            return entry
    return None


def is_event_type(msg_type):
    return isinstance(msg_type, str) and "." in msg_type


# --------------------------------------------------------------------------- schemas


@pytest.mark.parametrize("path", sorted(SCHEMA_DOCS))
def test_schema_is_valid_draft_2020_12(path):
    doc = SCHEMA_DOCS[path]
    assert doc.get("$schema") == DRAFT
    assert doc.get("$id") == BASE + path, "the $id must be the index base plus the file's path"
    Draft202012Validator.check_schema(doc)


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def test_every_ref_resolves_and_every_schema_is_reachable_from_the_index():
    edges = {}
    for path, doc in SCHEMA_DOCS.items():
        resolver = REGISTRY.resolver(base_uri=doc["$id"])
        targets = set()
        for ref in _refs(doc):
            resolved = resolver.lookup(ref)  # raises if it does not resolve
            assert resolved.contents is not None
            target = ref.split("#")[0]
            if target:
                targets.add(urljoin(doc["$id"], target)[len(BASE):])
        edges[path] = targets
    roots = {"common.json", INDEX["close"].split("#")[0], INDEX["handshake_error"], INDEX["transcript_line"]}
    for table in (INDEX["c2s"], INDEX["s2c"]):
        for entry in table.values():
            roots.update(v for k, v in entry.items() if k in ("schema", "result", "payload"))
    for entry in INDEX["s2c_patterns"]:
        roots.update(v for k, v in entry.items() if k in ("schema", "payload"))
    for root in roots:
        assert root in SCHEMA_DOCS, f"index.json names {root}, which does not exist"
    seen, todo = set(), list(roots)
    while todo:
        path = todo.pop()
        if path not in seen:
            seen.add(path)
            todo.extend(edges[path])
    assert seen == set(SCHEMA_DOCS), f"schemas not reachable from index.json: {set(SCHEMA_DOCS) - seen}"


def test_event_payload_schemas_in_index_match_event_json():
    event = SCHEMA_DOCS["server/event.json"]
    by_type = {}
    for clause in event["allOf"]:
        cond = clause["if"]["properties"]["type"]
        ref = clause["then"]["properties"]["payload"]["$ref"]
        by_type[cond.get("const", "custom")] = "server/" + ref
    for msg_type, entry in INDEX["s2c"].items():
        if is_event_type(msg_type):
            assert entry["schema"] == "server/event.json"
            assert by_type[msg_type] == entry["payload"]
    assert by_type["custom"] == INDEX["s2c_patterns"][0]["payload"]
    assert set(common("builtin_event_type")["enum"]) == {t for t in INDEX["s2c"] if is_event_type(t)}


# Deliberately invalid messages: each must FAIL its schema, so this suite can fail.
VALID_EVENT = {
    "type": "comment.created",
    "event_id": "01973f2a-5c00-7abc-8def-0123456789ab",
    "room": "p_apollo",
    "seq": 42,
    "time": "2025-06-02T09:00:00.123Z",
    "actor": {"user_id": "u_alice", "name": "Alice Adams"},
    "correlation_id": "a7c3f19e-9",
    "payload": {"comment_id": "cm_1", "card_id": "card_12", "text": "hi @bob", "mentions": [{"user_id": "u_bob", "username": "bob"}]},
}
VALID_ERROR = {"type": "error", "id": "x-1", "code": "not_found", "message": "no such card", "retryable": False}
CARD = {"id": "card_12", "column_id": "col_doing", "position": 0, "title": "Launch checklist", "version": 4,
        "created_at": "2025-05-28T09:10:10.979Z", "updated_at": "2025-06-02T12:00:10.125Z"}


def _with(base, **changes):
    out = copy.deepcopy(base)
    for key, value in changes.items():
        if value is ...:
            out.pop(key, None)
        else:
            out[key] = value
    return out


VALID = [
    ("server/event.json", VALID_EVENT),
    ("server/event.json", _with(VALID_EVENT, type="custom.ci.build_finished", actor={"service": "ci-bridge"}, payload={"any": [1, 2]})),
    ("server/error.json", VALID_ERROR),
    ("server/error.json", _with(VALID_ERROR, code="conflict", details={"card": CARD})),
    ("server/error.json", _with(VALID_ERROR, code="rate_limited", retryable=True, retry_after_ms=250)),
    ("server/error.json", _with(VALID_ERROR, id=None, code="invalid_message")),
    ("client/join.json", {"type": "join", "id": "x-1", "room": "p_apollo", "since_seq": 0}),
    ("client/card_move.json", {"type": "card_move", "id": "x-2", "room": "p_apollo", "card_id": "card_12",
                               "to_column_id": "col_done", "to_position": 0, "expected_version": 3, "future_field": True}),
    ("server/presence_diff.json", {"type": "presence_diff", "room": "p_apollo", "mode": "counts", "total_users": 3, "total_connections": 4}),
]

INVALID = [
    ("client/join.json", {"id": "x-1", "room": "p_apollo"}, "missing type"),
    ("client/join.json", {"type": "join", "room": "p_apollo"}, "missing id"),
    ("client/join.json", {"type": "join", "id": "", "room": "p_apollo"}, "empty id"),
    ("client/join.json", {"type": "join", "id": "x" * 65, "room": "p_apollo"}, "id longer than 64"),
    ("client/join.json", {"type": "join", "id": "x-1", "room": "p_apollo", "since_seq": -1}, "negative since_seq"),
    ("client/comment.json", {"type": "comment", "id": "x-1", "room": "p_apollo", "card_id": "card_12", "text": ""}, "empty comment"),
    ("client/card_move.json", {"type": "card_move", "id": "x-2", "room": "p_apollo", "card_id": "card_12",
                               "to_column_id": "col_done", "to_position": 0}, "card_move without expected_version"),
    ("server/event.json", _with(VALID_EVENT, type=...), "event without type"),
    ("server/event.json", _with(VALID_EVENT, seq=0), "seq 0"),
    ("server/event.json", _with(VALID_EVENT, seq="42"), "seq as a string"),
    ("server/event.json", _with(VALID_EVENT, seq=4.5), "fractional seq"),
    ("server/event.json", _with(VALID_EVENT, event_id="not-a-uuid"), "event_id not a UUID"),
    ("server/event.json", _with(VALID_EVENT, time="2025-06-02T09:00:00Z"), "time without milliseconds"),
    ("server/event.json", _with(VALID_EVENT, time="2025-06-02T09:00:00.123+02:00"), "time not UTC"),
    ("server/event.json", _with(VALID_EVENT, correlation_id=...), "missing correlation_id"),
    ("server/event.json", _with(VALID_EVENT, actor={"service": "ci"}), "a comment by a service"),
    ("server/event.json", _with(VALID_EVENT, actor={"user_id": "u_a", "name": "A", "service": "ci"}), "actor both user and service"),
    ("server/event.json", _with(VALID_EVENT, type="card.deleted"), "unknown event type"),
    ("server/event.json", _with(VALID_EVENT, type="custom."), "empty custom type"),
    ("server/event.json", _with(VALID_EVENT, payload={"comment_id": "cm_1", "card_id": "card_12", "text": "hi"}), "payload without mentions"),
    ("server/error.json", _with(VALID_ERROR, code="teapot"), "unknown error code"),
    ("server/error.json", _with(VALID_ERROR, retryable=True), "not_found marked retryable"),
    ("server/error.json", _with(VALID_ERROR, code="rate_limited", retryable=True), "rate_limited without retry_after_ms"),
    ("server/error.json", _with(VALID_ERROR, code="conflict"), "conflict without the current card"),
    ("server/error.json", _with(VALID_ERROR, code="resync_required", details={"head_seq": 9}), "resync_required without oldest_seq"),
    ("server/error.json", _with(VALID_ERROR, code="invalid_message"), "invalid_message with an id"),
    ("server/error.json", _with(VALID_ERROR, retryable=...), "missing retryable"),
    ("server/ack.json", {"type": "ack", "result": {}}, "ack without id"),
    ("server/ack.json", {"type": "ack", "id": "x-1"}, "ack without result"),
    ("server/presence_diff.json", {"type": "presence_diff", "room": "p_apollo", "mode": "counts", "total_users": 3,
                                   "total_connections": 4, "joins": {}}, "counts-mode diff with lists"),
    ("server/presence_diff.json", {"type": "presence_diff", "room": "p_apollo", "mode": "full", "joins": {}, "leaves": {}}, "full diff without updates"),
    ("server/presence_state.json", {"type": "presence_state", "room": "p_apollo", "mode": "full", "presences": {
        "u_a": {"name": "A", "username": "a", "metas": []}}}, "a user without metas"),
    ("close.json", {"code": 4999}, "undocumented close code"),
    ("close.json", {"code": 1006}, "1006 is never sent"),
    ("server/results/join.json", {"room": "p_apollo", "head_seq": -1, "project": {"id": "p_apollo", "name": "A"}, "members": []}, "negative head_seq"),
]


@pytest.mark.parametrize("ref,instance", VALID, ids=[f"{r}-{i}" for i, (r, _) in enumerate(VALID)])
def test_valid_messages_pass(ref, instance):
    assert errors_of(ref, instance) == []


@pytest.mark.parametrize("ref,instance,why", INVALID, ids=[w for _, _, w in INVALID])
def test_invalid_messages_fail(ref, instance, why):
    assert errors_of(ref, instance), f"should be rejected: {why}"


# --------------------------------------------------------------------------- documents


def table_rows(path, first_cell, section):
    """Rows of the markdown tables under the heading `section` (up to the next
    heading of that level) whose first cell matches `first_cell`."""
    text = path.read_text()
    level = section.split(" ")[0]
    assert section in text, f"{path.name} has no section {section!r}"
    body = text.split(section, 1)[1].split("\n" + level + " ")[0]
    rows = []
    for line in body.splitlines():
        if not line.startswith("|"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        m = re.fullmatch(first_cell, cells[0])
        if m:
            rows.append((m.group(1), cells))
    return rows


def test_errors_md_matches_the_schemas():
    rows = table_rows(PROTOCOL / "errors.md", r"`([a-z_]+)`", "## The codes")
    documented = {code: cells for code, cells in rows}
    assert len(documented) == len(rows), "an error code is listed twice"
    assert set(documented) == ERROR_CODES
    retryable_in_schema = {}
    for clause in SCHEMA_DOCS["server/error.json"]["allOf"]:
        code = clause["if"]["properties"]["code"]["const"]
        retryable_in_schema[code] = clause["then"]["properties"]["retryable"]["const"]
    assert set(retryable_in_schema) == ERROR_CODES
    for code, cells in documented.items():
        assert cells[1] in ("yes", "no"), f"{code}: retryable column must be yes or no"
        assert (cells[1] == "yes") == retryable_in_schema[code], f"{code}: errors.md and error.json disagree on retryable"


def test_close_codes_md_matches_the_schemas():
    rows = table_rows(PROTOCOL / "close-codes.md", r"`(\d{4})`", "# WebSocket close codes")
    documented = {int(code): cells for code, cells in rows}
    assert len(documented) == len(rows), "a close code is listed twice"
    assert set(documented) == CLOSE_CODES
    for code, cells in documented.items():
        reconnect = cells[2].lower()
        if 4000 <= code <= 4499:
            assert not reconnect.startswith("no"), f"{code} is in the reconnect range"
        if 4500 <= code <= 4999:
            assert reconnect.startswith("no"), f"{code} is in the terminal range"
    # the README's reconnect policy covers exactly the documented codes (plus those only seen locally)
    readme = (PROTOCOL / "README.md").read_text()
    policy = readme.split("### 11.1 ")[1].split("\n### ")[0]
    mentioned = {int(c) for c in re.findall(r"(?<![\d-])([14]\d{3})(?![\d-])", policy)}
    assert mentioned - {1005, 1006, 1015} == CLOSE_CODES


def test_readme_documents_every_message_type_and_limit():
    readme = (PROTOCOL / "README.md").read_text()
    headings = set(re.findall(r"^#{2,5} `([^`]+)`", readme, flags=re.M))
    for msg_type in INDEX["c2s"]:
        assert msg_type in headings, f"README has no section for command {msg_type}"
    for msg_type in INDEX["s2c"]:
        assert msg_type in headings, f"README has no section for {msg_type}"
    assert "custom.*" in headings
    for name in common("limits")["required"]:
        assert f"`{name}`" in readme, f"README does not describe limit {name}"
    for code in ERROR_CODES:
        assert f"`{code}`" in readme, f"README never mentions error {code}"


def readme_json_examples():
    """Every JSON object in the README's ```json blocks."""
    readme = (PROTOCOL / "README.md").read_text()
    decoder = json.JSONDecoder()
    found = []
    for block in re.findall(r"```json\n(.*?)```", readme, flags=re.S):
        pos = 0
        while True:
            while pos < len(block) and block[pos].isspace():
                pos += 1
            if pos >= len(block):
                break
            obj, pos = decoder.raw_decode(block, pos)
            found.append(obj)
    return found


def test_readme_json_examples_are_valid():
    examples = readme_json_examples()
    assert len(examples) >= 30
    for msg in examples:
        if "type" not in msg:
            assert errors_of(INDEX["handshake_error"], msg) == [], msg
            continue
        if msg["type"] in INDEX["c2s"] and "id" in msg:
            ref = INDEX["c2s"][msg["type"]]["schema"]
        else:
            ref = s2c_entry(msg["type"])["schema"]
        assert errors_of(ref, msg) == [], msg


# --------------------------------------------------------------------------- mentions

USERNAME_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")
USERNAME = re.compile(common("username")["pattern"])


def mention_candidates(text):
    """The reference implementation of the mention grammar (README, 'Mentions')."""
    out, i = [], 0
    while i < len(text):
        if text[i] != "@":
            i += 1
            continue
        if i > 0:
            before = text[i - 1]
            if unicodedata.category(before)[0] in "LMN" or before in "_.-+@/":
                i += 1
                continue
        j = i + 1
        while j < len(text) and text[j] in USERNAME_CHARS:
            j += 1
        run = text[i + 1:j]
        i = j
        if j < len(text) and text[j] == "@":
            continue
        name = run.rstrip(".-")
        if USERNAME.fullmatch(name):
            out.append(name)
    return out


def mentions(text, usernames, author=None):
    """Mentioned usernames (the member's spelling), first occurrence order, no author, at most 50."""
    by_key = {u.lower(): u for u in usernames}
    out = []
    for cand in mention_candidates(text):
        member = by_key.get(cand.lower())
        if member and member != author and member not in out:
            out.append(member)
    return out[:50]


def mention_examples():
    readme = (PROTOCOL / "README.md").read_text()
    block = readme.split("<!-- mention-examples -->")[1].split("<!-- /mention-examples -->")[0]
    members = re.search(r"members: ([^;]+); author: ([^ )]+)", block)
    usernames = [u.strip(" `") for u in members.group(1).split(",")]
    author = members.group(2).strip("`")
    rows = []
    for line in block.splitlines():
        m = re.fullmatch(r"\| `(.+)` \| (.+) \|", line.strip())
        if m:
            want = [] if m.group(2).strip() == "none" else [u.strip(" `") for u in m.group(2).split(",")]
            rows.append((m.group(1), want))
    assert len(rows) >= 15
    return usernames, author, rows


def test_mention_grammar_examples():
    usernames, author, rows = mention_examples()
    for text, want in rows:
        assert mentions(text, usernames, author) == want, text


# --------------------------------------------------------------------------- transcripts


def jwt_claims(token):
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def time_ms(stamp):
    return datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%f%z").timestamp() * 1000


class Conn:
    def __init__(self, label, request):
        self.label = label
        self.request = request
        self.state = "upgrading"  # upgrading -> open -> closing -> ended
        self.user = None
        self.conn_id = None
        self.welcomed = False
        self.token_exp = None
        self.pending = []  # [command dict], in order sent
        self.rooms = {}  # room -> {"next": next seq, "skip": seqs from echo:false acks, "presence": bool, "view": presences}
        self.expect_close = None  # the close code a failed first auth must lead to
        self.client_close = None  # the code of the client's close frame, which the server echoes


def fingerprint(cmd):
    return json.dumps({k: v for k, v in cmd.items() if k not in ("id", "echo")}, sort_keys=True)


def check_transcript(path):
    problems = []
    conns = {}
    ended_conn_ids = set()
    room_events = {}  # room -> {seq: event}
    members = {}  # room -> {user_id: username}, from join acks
    idem = {}  # (user_id, id) -> (fingerprint, result)
    stored_by_corr = {}  # (user_id, correlation_id) -> event
    mention_receivers = {}  # mention event_id -> (expected conns, got conns)
    error_codes, close_codes = set(), set()
    last_t = -1

    def bad(n, text):
        problems.append(f"{path.name}:{n}: {text}")

    lines = path.read_text().splitlines()
    for n, raw in enumerate(lines, 1):
        try:
            line = json.loads(raw)
        except ValueError as e:
            bad(n, f"not JSON: {e}")
            continue
        for err in errors_of(INDEX["transcript_line"], line):
            bad(n, f"transcript line: {err}")
        if line.get("t", 0) < last_t:
            bad(n, "t goes backwards")
        last_t = line.get("t", last_t)
        label = line.get("conn")
        conn = conns.get(label)
        direction = line.get("dir")

        if "http" in line:
            http = line["http"]
            if direction == "c2s":
                if conn is not None:
                    bad(n, f"connection label {label} reused")
                conns[label] = Conn(label, http)
            else:
                if conn is None or conn.state != "upgrading":
                    bad(n, "upgrade response without a request")
                    continue
                offered = [p.strip() for p in conn.request.get("headers", {}).get("Sec-WebSocket-Protocol", "").split(",")]
                if http["status"] == 101:
                    if "hubbub.v1" not in offered:
                        bad(n, "101 although hubbub.v1 was not offered")
                    if http.get("headers", {}).get("Sec-WebSocket-Protocol") != "hubbub.v1":
                        bad(n, "101 must select the subprotocol hubbub.v1")
                    conn.state = "open"
                else:
                    for err in errors_of(INDEX["handshake_error"], http.get("body")):
                        bad(n, f"handshake error body: {err}")
                    if "hubbub.v1" not in offered and (http["status"], http["body"]["error"]["code"]) != (400, "unsupported_subprotocol"):
                        bad(n, "a missing subprotocol must answer 400 unsupported_subprotocol")
                    conn.state = "ended"
            continue

        if conn is None:
            bad(n, f"unknown connection {label}")
            continue

        def end(reason):
            for cmd in conn.pending:
                if not cmd.get("__lost"):
                    bad(n, f"command {cmd.get('id')!r} got no reply before {reason}")
            for cmd in conn.pending:
                if cmd.get("__lost"):
                    cmd["__lost_ok"] = True
            conn.pending = []
            conn.state = "ended"
            if conn.conn_id:
                ended_conn_ids.add(conn.conn_id)

        if "drop" in line:
            if conn.state not in ("open", "closing"):
                bad(n, "drop of a connection that is not open")
            end("the drop")
            continue

        if "close" in line:
            close = line["close"]
            if direction == "s2c":
                for err in errors_of(INDEX["close"], close):
                    bad(n, f"close: {err}")
                close_codes.add(close.get("code"))
                if conn.expect_close and close.get("code") != conn.expect_close:
                    bad(n, f"after a failed first auth the server must close with {conn.expect_close}")
                conn.expect_close = None
                if conn.state == "closing" and close.get("code") != conn.client_close:
                    bad(n, "the server's close must echo the client's code")
                if conn.state not in ("open", "closing"):
                    bad(n, "close of a connection that is not open")
                end(f"close {close.get('code')}")
            else:
                for err in errors_of(INDEX["client_close"], close):
                    bad(n, f"client close: {err}")
                conn.state = "closing"
                conn.client_close = close.get("code")
            continue

        if conn.state == "ended":
            bad(n, "traffic on an ended connection")
            continue
        if conn.state == "upgrading":
            bad(n, "traffic before the upgrade completed")
            continue

        if conn.expect_close and direction == "s2c":
            bad(n, f"after a failed first auth the server must close with {conn.expect_close}")

        if direction == "c2s":
            if conn.state == "closing":
                bad(n, "client message after its close frame")
            if "raw" in line:
                conn.pending.append({"id": None, "__raw": True})
                continue
            msg = line["msg"]
            entry = INDEX["c2s"].get(msg.get("type"))
            errs = errors_of(entry["schema"], msg) if entry else ["no schema for this type"]
            if line.get("invalid"):
                if not errs:
                    bad(n, "marked invalid but passes its schema")
            elif errs:
                for err in errs:
                    bad(n, f"{msg.get('type')}: {err}")
            cmd = dict(msg)
            if not (isinstance(msg.get("id"), str) and COMMAND_ID.fullmatch(msg["id"])):
                cmd["id"] = None
            elif any(p["id"] == cmd["id"] for p in conn.pending):
                bad(n, f"id {cmd['id']} reused while still pending")
            if line.get("lost"):
                cmd["__lost"] = True
            cmd["__invalid"] = bool(line.get("invalid"))
            conn.pending.append(cmd)
            continue

        # ---------------------------------------------------------------- server to client
        msg = line["msg"]
        mtype = msg.get("type")
        entry = s2c_entry(mtype) if isinstance(mtype, str) else None
        if entry is None:
            bad(n, f"no schema for server message type {mtype!r}")
            continue
        schema_errors = errors_of(entry["schema"], msg)
        for err in schema_errors:
            bad(n, f"{mtype}: {err}")
        if schema_errors:
            continue

        if mtype in ("ack", "error"):
            if not conn.pending:
                bad(n, f"{mtype} without a pending command")
                continue
            cmd = conn.pending.pop(0)
            if cmd["id"] != msg.get("id"):
                bad(n, f"reply id {msg.get('id')!r} does not answer the oldest pending command {cmd['id']!r} (replies come in order)")
            if cmd.get("__lost"):
                bad(n, "a command marked lost got a reply")
            ctype = cmd.get("type")
            if cmd.get("__raw") or cmd.get("__invalid"):
                if mtype != "error":
                    bad(n, "an invalid message must get an error")
            if not conn.welcomed and ctype not in ("auth", "ping") and mtype == "ack":
                bad(n, f"{ctype} acknowledged before authentication")
            if mtype == "error":
                code = msg.get("code")
                error_codes.add(code)
                if cmd.get("__raw") and code != "invalid_message":
                    bad(n, "a frame that is not JSON gets invalid_message")
                if ctype == "auth" and not conn.welcomed:
                    conn.expect_close = AUTH_FAILURE_CLOSE.get(code, "4500/4501/4503")
                if code == "not_joined" and cmd.get("room") in conn.rooms:
                    bad(n, "not_joined for a joined room")
                if code == "duplicate":
                    key = (conn.user and conn.user["user_id"], cmd["id"])
                    if key not in idem or idem[key][0] == fingerprint(cmd):
                        bad(n, "duplicate must answer a reused id with a different command")
                if code == "resync_required" and ctype != "join":
                    bad(n, "resync_required answers join")
                continue
            # ack
            result = msg.get("result", {})
            c_entry = INDEX["c2s"].get(ctype)
            if c_entry is None:
                bad(n, f"ack for an unknown command {ctype!r}")
                continue
            result_errors = errors_of(c_entry["result"], result)
            for err in result_errors:
                bad(n, f"{ctype} result: {err}")
            if result_errors or cmd.get("__invalid"):
                continue
            if ctype in ROOM_SCOPED and cmd["room"] not in conn.rooms:
                bad(n, f"{ctype} acknowledged for a room this connection has not joined (not_joined)")
            if ctype == "auth":
                claims = jwt_claims(cmd["token"])
                if result.get("user_id") != claims["sub"] or result.get("name") != claims["name"]:
                    bad(n, "auth result must carry the token's sub and name")
                if time_ms(result["expires_at"]) != claims["exp"] * 1000:
                    bad(n, "auth result expires_at must be the token's exp")
                if conn.user and conn.user["user_id"] != claims["sub"]:
                    bad(n, "a refresh must keep the user")
                conn.token_exp = result["expires_at"]
            elif ctype == "join":
                room = cmd["room"]
                if room in conn.rooms:
                    bad(n, "joined twice")
                head = result["head_seq"]
                since = cmd.get("since_seq")
                if since is None:
                    if "board" not in result:
                        bad(n, "a join without since_seq must return the board")
                elif "board" in result:
                    bad(n, "a join with since_seq returns no board")
                elif since > head:
                    bad(n, "since_seq beyond head_seq must answer resync_required")
                conn.rooms[room] = {"next": (head if since is None else since) + 1, "head": head, "skip": set(), "presence": False}
                members[room] = {m["user_id"]: m["username"] for m in result["members"]}
                if "board" in result:
                    check_board(result["board"], lambda text: bad(n, text))
            elif ctype == "leave":
                conn.rooms.pop(cmd["room"], None)
            elif ctype == "board":
                check_board(result["board"], lambda text: bad(n, text))
            elif ctype in PERSISTING:
                key = (conn.user["user_id"], cmd["id"])
                if key in idem:
                    if idem[key] != (fingerprint(cmd), result):
                        bad(n, "a retried command must get the same ack")
                idem[key] = (fingerprint(cmd), result)
                room = cmd["room"]
                known = room_events.get(room, {}).get(result["seq"])
                if known and known["event_id"] != result["event_id"]:
                    bad(n, "ack seq/event_id differ from the stored event")
                stored = stored_by_corr.get(key)
                if stored and (stored["event_id"], stored["seq"]) != (result["event_id"], result["seq"]):
                    bad(n, "the ack must name the event stored for this command")
                if cmd.get("echo") is False and room in conn.rooms:
                    conn.rooms[room]["skip"].add(result["seq"])
                    while conn.rooms[room]["next"] in conn.rooms[room]["skip"]:
                        conn.rooms[room]["next"] += 1
            continue

        if mtype == "welcome":
            if conn.welcomed:
                bad(n, "welcome sent twice")
            if msg["resumed"] and msg["conn_id"] not in ended_conn_ids:
                bad(n, "resumed a conn_id that was not a previous, ended connection")
            if not msg["resumed"] and any(c.conn_id == msg["conn_id"] for c in conns.values()):
                bad(n, "a fresh conn_id must be new")
            conn.welcomed, conn.user, conn.conn_id = True, msg["user"], msg["conn_id"]
            conn.token_exp = msg["expires_at"]
            auth = conn.request.get("headers", {}).get("Authorization", "")
            query_token = re.search(r"[?&]token=([^&]+)", conn.request.get("path", ""))
            token = auth[7:] if auth.startswith("Bearer ") else query_token.group(1) if query_token else None
            if token:
                claims = jwt_claims(token)
                if claims["sub"] != msg["user"]["user_id"] or time_ms(msg["expires_at"]) != claims["exp"] * 1000:
                    bad(n, "welcome must reflect the upgrade token")
            continue

        if not conn.welcomed:
            bad(n, f"{mtype} before welcome")
            continue

        if mtype == "token_expiring":
            if msg["expires_at"] != conn.token_exp:
                bad(n, "token_expiring must name the connection's current expiry")
            continue

        if mtype == "mention":
            expected = {c.label for c in conns.values()
                        if c.state in ("open", "closing") and c.user and c.user["user_id"] == conn.user["user_id"]}
            rec = mention_receivers.setdefault(msg["event_id"], (expected, set(), n))
            rec[1].add(label)
            comment = room_events.get(msg["room"], {}).get(msg["payload"]["comment_seq"])
            if comment:
                if comment["event_id"] != msg["payload"]["comment_event_id"]:
                    bad(n, "mention names another event than the comment")
                if conn.user["user_id"] not in [m["user_id"] for m in comment["payload"]["mentions"]]:
                    bad(n, "mention sent to a user the comment does not mention")
                text = comment["payload"]["text"]
                want = text if len(text) <= 200 else text[:200] + "\u2026"
                if msg["payload"]["comment"]["excerpt"] != want:
                    bad(n, "excerpt must be the first 200 code points (+ U+2026 when cut)")
                if msg["correlation_id"] != comment["correlation_id"] or msg["actor"] != comment["actor"]:
                    bad(n, "a mention carries the comment's actor and correlation_id")
            continue

        room = msg.get("room")
        joined = conn.rooms.get(room)
        if joined is None:
            bad(n, f"{mtype} for room {room} which this connection has not joined")
            continue

        if mtype == "presence_state":
            joined["presence"] = True
            joined["view"] = copy.deepcopy(msg["presences"]) if msg["mode"] == "full" else None
            if msg["mode"] == "full":
                mine = msg["presences"].get(conn.user["user_id"], {}).get("metas", [])
                if conn.conn_id not in [m["conn_id"] for m in mine]:
                    bad(n, "presence_state must include the joiner's own meta")
            continue
        if not joined["presence"]:
            bad(n, f"{mtype} before the room's presence_state")
        if mtype == "presence_diff":
            if msg["mode"] == "full":
                users = [u for part in ("joins", "leaves", "updates") for u in msg[part]]
                if len(users) != len(set(users)):
                    bad(n, "a user appears in more than one list of one diff")
                view = joined.get("view")
                if view is not None:
                    for user_id in msg["joins"]:
                        if user_id in view and view[user_id] != msg["joins"][user_id]:
                            bad(n, f"{user_id} joins but is already present: that is an update")
                    for user_id in msg["leaves"]:
                        view.pop(user_id, None)
                    for part in ("joins", "updates"):
                        view.update(msg[part])
            continue
        if mtype == "ephemeral":
            if msg["conn_id"] == conn.conn_id:
                bad(n, "ephemeral relayed back to its sender")
            continue
        if mtype == "room_left":
            conn.rooms.pop(room)
            continue

        # durable event
        seq = msg["seq"]
        if seq != joined["next"]:
            bad(n, f"room {room}: seq {seq}, expected {joined['next']} (gapless, in order, no duplicates)")
        joined["next"] = seq + 1
        while joined["next"] in joined["skip"]:
            joined["next"] += 1
        events = room_events.setdefault(room, {})
        if seq in events and events[seq] != msg:
            bad(n, f"room {room}: two different events with seq {seq}")
        for other_seq, other in events.items():
            if other["event_id"] == msg["event_id"] and other_seq != seq:
                bad(n, "one event_id with two seqs")
            if other_seq < seq and other["time"] > msg["time"]:
                bad(n, "event times go backwards with seq")
        events[seq] = msg
        if "user_id" in msg["actor"]:
            key = (msg["actor"]["user_id"], msg["correlation_id"])
            stored_by_corr[key] = msg
            if key in idem and (idem[key][1]["event_id"], idem[key][1]["seq"]) != (msg["event_id"], seq):
                bad(n, "event differs from the ack of its command")
            if key in idem and mtype == "comment.created" and idem[key][1]["mentions"] != msg["payload"]["mentions"]:
                bad(n, "the comment ack and event disagree on mentions")
        if mtype == "comment.created" and room in members:
            author = members[room].get(msg["actor"]["user_id"])
            want = mentions(msg["payload"]["text"], members[room].values(), author)
            got = [m["username"] for m in msg["payload"]["mentions"]]
            if got != want:
                bad(n, f"mentions {got}, the grammar gives {want}")

    for conn in conns.values():
        if conn.expect_close and conn.state != "ended":
            bad(len(lines), f"{conn.label}: a failed first auth must be followed by close {conn.expect_close}")
        if conn.state in ("open", "closing"):
            for cmd in conn.pending:
                bad(len(lines), f"{conn.label}: command {cmd.get('id')!r} never got a reply")
        for cmd in conn.pending:
            if cmd.get("__lost") and not cmd.get("__lost_ok"):
                bad(len(lines), f"{conn.label}: lost command {cmd.get('id')!r} but the connection did not end")
    for event_id, (expected, got, n) in mention_receivers.items():
        if expected != got:
            bad(n, f"mention {event_id} reached {sorted(got)}, the user's open connections are {sorted(expected)}")
    return problems, error_codes, close_codes


def check_board(board, bad):
    for column in board["columns"]:
        for i, card in enumerate(column["cards"]):
            if card["position"] != i or card["column_id"] != column["id"]:
                bad(f"board: card {card['id']} has position {card['position']} in {card['column_id']}, listed at {i} in {column['id']}")


TRANSCRIPTS = sorted(EXAMPLES.glob("*.jsonl"))


@pytest.mark.parametrize("path", TRANSCRIPTS, ids=[p.name for p in TRANSCRIPTS])
def test_transcript(path):
    problems, _, _ = check_transcript(path)
    assert not problems, "\n".join(problems)


def test_transcripts_cover_every_error_code_and_the_main_close_codes():
    assert len(TRANSCRIPTS) >= 8
    codes, closes = set(), set()
    for path in TRANSCRIPTS:
        _, e, c = check_transcript(path)
        codes |= e
        closes |= c
    assert codes == ERROR_CODES, f"error codes without an example: {ERROR_CODES - codes}"
    assert {1000, 1001, 4000, 4001, 4002, 4500, 4501, 4503} <= closes


def test_the_checker_catches_a_gap(tmp_path):
    """The transcript checker itself must fail on a broken stream."""
    src = (EXAMPLES / "04-catch-up-since-seq.jsonl").read_text().splitlines()
    broken = [line for line in src if '"seq": 62, "time"' not in line or '"bob-web#2"' not in line]
    assert len(broken) == len(src) - 1
    path = tmp_path / "gap.jsonl"
    path.write_text("\n".join(broken) + "\n")
    problems, _, _ = check_transcript(path)
    assert any("expected 62" in p for p in problems), problems
