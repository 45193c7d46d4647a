"""A strict asyncio client for the hub's client protocol (`hubbub.v1`), for
the end-to-end tests (`test_hub_*.py`).

It is deliberately pedantic. Every message it sends and every message it
receives is validated against `protocol/schemas` (through `index.json`; an
ack's `result` against the schema of the command it answers, an error reply
against `server/error.json`), and every promise of the README it can check
from one connection's point of view is checked as messages arrive:

- every command gets exactly one reply, replies arrive in command order and
  carry the command's `id` (`null` for frames without a readable id);
- nothing about rooms before `welcome`, exactly one `welcome`;
- per room, the join boundary of 6.1 (`ack`, then `presence_state`, then
  events), and durable events gapless, in order and once from the boundary
  on (`echo: false` events replaced by their ack), nothing after a `leave`
  ack;
- an ack and the event it reports agree (event_id, seq, mentions, card);
- two acks for the same command id on one connection are identical;
- the client's own board (the join snapshot with every `card.*` event
  applied as in README 6.2) stays dense, and card data stays consistent
  with the events' `from` positions;
- presence: `presence_state` before diffs, a user in at most one list of a
  diff, ephemeral relays never come back to their sender;
- mentions de-duplicated by `event_id` never repeat on one connection;
- close frames from the server carry a code of `close.json`.

A violation is recorded on the client (`client.violations`) and raised from
the next call the test makes on that client; the test runner
(`run_async_test`, used by conftest.py for `async def` tests) also fails the
test if any client of the test recorded one, even when the test itself passed.
"""
import asyncio
import base64
import contextvars
import copy
import hashlib
import hmac
import itertools
import json
import os
import pathlib
import re
import socket
import time
import uuid
from datetime import datetime, timezone
from urllib.parse import urlencode

from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012
from websockets.asyncio.client import connect as ws_connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "protocol" / "schemas"
INDEX = json.loads((SCHEMAS / "index.json").read_text())
BASE = INDEX["base"]
SCHEMA_DOCS = {
    p.relative_to(SCHEMAS).as_posix(): json.loads(p.read_text())
    for p in sorted(SCHEMAS.rglob("*.json"))
    if p.name != "index.json"
}
REGISTRY = Registry().with_resources(
    (doc["$id"], DRAFT202012.create_resource(doc)) for doc in SCHEMA_DOCS.values()
)
_VALIDATORS = {}
COMMAND_ID = re.compile(SCHEMA_DOCS["common.json"]["$defs"]["command_id"]["pattern"])
SUBPROTOCOL = INDEX["protocol"]
PERSISTING = {"comment": "comment.created", "card_create": "card.created", "card_move": "card.moved"}
ROOM_MESSAGES = {"presence_state", "presence_diff", "ephemeral", "room_left"}
MAX_SERVER_MESSAGE = 4 * 1024 * 1024  # README 2.1: clients MUST accept up to 4 MiB

SECRET = "hubbub-integration-secret-0123456789abcdef"  # >= 32 bytes


class ProtocolViolation(AssertionError):
    """The server broke the contract in protocol/ (or the test sent something invalid)."""


class ClosedBeforeReply(Exception):
    """The connection closed while the command waited for its reply."""

    def __init__(self, code, reason):
        super().__init__(f"connection closed ({code} {reason!r}) before the reply")
        self.code, self.reason = code, reason


class ErrorReply(AssertionError):
    def __init__(self, reply):
        super().__init__(f"expected an ack, got error {json.dumps(reply)}")
        self.reply = reply


# --------------------------------------------------------------------------- schemas


def validator(ref):
    if ref not in _VALIDATORS:
        _VALIDATORS[ref] = Draft202012Validator({"$ref": BASE + ref}, registry=REGISTRY)
    return _VALIDATORS[ref]


def schema_errors(ref, instance):
    return [
        f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}"
        for e in validator(ref).iter_errors(instance)
    ]


def s2c_entry(msg_type):
    if msg_type in INDEX["s2c"]:
        return INDEX["s2c"][msg_type]
    for entry in INDEX["s2c_patterns"]:
        if re.search(entry["pattern"], msg_type):
            return entry
    return None


def c2s_errors(msg):
    if not isinstance(msg, dict) or msg.get("type") not in INDEX["c2s"]:
        return [f"not a known command: {msg!r}"]
    return schema_errors(INDEX["c2s"][msg["type"]]["schema"], msg)


def s2c_errors(msg):
    entry = s2c_entry(msg.get("type")) if isinstance(msg.get("type"), str) else None
    if entry is None:
        return [f"unknown server message type {msg.get('type')!r}"]
    return schema_errors(entry["schema"], msg)


def result_errors(command_type, result):
    entry = INDEX["c2s"].get(command_type)
    if entry is None:
        return []
    return schema_errors(entry["result"], result)


# --------------------------------------------------------------------------- tokens and times


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def mint_token(user_id, name, ttl=3600.0, exp=None, secret=SECRET, iat=None, alg="HS256", **claims):
    """An HS256 JWT; `exp` (integer NumericDate) wins over `ttl`."""
    now = time.time()
    payload = {"sub": user_id, "name": name, "iat": int(now) if iat is None else iat,
               "exp": int(now + ttl) if exp is None else exp}
    payload.update(claims)
    payload = {k: v for k, v in payload.items() if v is not None}
    header = b64url(json.dumps({"alg": alg, "typ": "JWT"}, separators=(",", ":")).encode())
    body = b64url(json.dumps(payload, separators=(",", ":")).encode())
    signature = hmac.new(secret.encode(), f"{header}.{body}".encode(), hashlib.sha256).digest()
    return f"{header}.{body}.{b64url(signature)}"


def token_exp(token):
    body = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))["exp"]


def rfc3339(epoch_seconds):
    dt = datetime.fromtimestamp(epoch_seconds, tz=timezone.utc)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


def parse_time(text):
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc).timestamp()


_ids = itertools.count(1)
_prefix = uuid.uuid4().hex[:8]


def new_id():
    """A command id unique per user across the whole test run (README 2.3)."""
    return f"{_prefix}-{next(_ids)}"


# --------------------------------------------------------------------------- board model (README 6.2)


def board_find(board, card_id):
    for col in board["columns"]:
        for i, card in enumerate(col["cards"]):
            if card["id"] == card_id:
                return col, i
    return None, None


def board_column(board, column_id):
    for col in board["columns"]:
        if col["id"] == column_id:
            return col
    return None


def board_renumber(board):
    for col in board["columns"]:
        for i, card in enumerate(col["cards"]):
            card["position"] = i
            card["column_id"] = col["id"]


def board_problems(board):
    out = []
    seen = set()
    for col in board["columns"]:
        for i, card in enumerate(col["cards"]):
            if card["position"] != i:
                out.append(f"card {card['id']} at index {i} of {col['id']} says position {card['position']}")
            if card["column_id"] != col["id"]:
                out.append(f"card {card['id']} in column {col['id']} says column_id {card['column_id']}")
            if card["id"] in seen:
                out.append(f"card {card['id']} appears twice")
            seen.add(card["id"])
    return out


def board_apply(board, event):
    """Applies a card.* event as README 5 says; returns a list of inconsistencies."""
    problems = []
    payload = event["payload"]
    if event["type"] == "card.created":
        card = copy.deepcopy(payload["card"])
        col = board_column(board, card["column_id"])
        if col is None:
            return [f"card.created seq {event['seq']} names unknown column {card['column_id']}"]
        if board_find(board, card["id"])[0] is not None:
            return [f"card.created seq {event['seq']} for a card already on the board: {card['id']}"]
        if card["version"] != 1:
            problems.append(f"card.created seq {event['seq']} with version {card['version']}")
        if card["position"] > len(col["cards"]):
            problems.append(f"card.created seq {event['seq']} at position {card['position']} past the end ({len(col['cards'])})")
        col["cards"].insert(card["position"], card)
    elif event["type"] == "card.moved":
        card = copy.deepcopy(payload["card"])
        src, i = board_find(board, card["id"])
        if src is None:
            return [f"card.moved seq {event['seq']} of a card not on the board: {card['id']}"]
        old = src["cards"][i]
        if (src["id"], i) != (payload["from"]["column_id"], payload["from"]["position"]):
            problems.append(f"card.moved seq {event['seq']}: from {payload['from']} but the card was at {src['id']}[{i}]")
        if card["version"] != old["version"] + 1:
            problems.append(f"card.moved seq {event['seq']}: version {old['version']} -> {card['version']}")
        if (card["column_id"], card["position"]) != (payload["to"]["column_id"], payload["to"]["position"]):
            problems.append(f"card.moved seq {event['seq']}: card says {card['column_id']}[{card['position']}], to says {payload['to']}")
        del src["cards"][i]
        dst = board_column(board, payload["to"]["column_id"])
        if dst is None:
            return problems + [f"card.moved seq {event['seq']} to unknown column"]
        if payload["to"]["position"] > len(dst["cards"]):
            problems.append(f"card.moved seq {event['seq']}: to.position {payload['to']['position']} past the end (not clamped)")
        dst["cards"].insert(payload["to"]["position"], card)
        for key in ("title", "created_at"):
            if card[key] != old[key]:
                problems.append(f"card.moved seq {event['seq']} changed {key}")
    elif event["type"] == "card.updated":
        # README 5: replace the card's data in place; its column and position do not change.
        card = copy.deepcopy(payload["card"])
        col, i = board_find(board, card["id"])
        if col is None:
            return [f"card.updated seq {event['seq']} of a card not on the board: {card['id']}"]
        old = col["cards"][i]
        if (card["column_id"], card["position"]) != (col["id"], i):
            problems.append(f"card.updated seq {event['seq']}: card says {card['column_id']}[{card['position']}] "
                            f"but it is at {col['id']}[{i}] (an update does not move)")
        if card["version"] != old["version"] + 1:
            problems.append(f"card.updated seq {event['seq']}: version {old['version']} -> {card['version']}")
        if card["created_at"] != old["created_at"]:
            problems.append(f"card.updated seq {event['seq']} changed created_at")
        col["cards"][i] = card
    elif event["type"] == "card.deleted":
        # README 5: remove it from card.column_id; the cards after it move up by one.
        card = payload["card"]
        col, i = board_find(board, card["id"])
        if col is None:
            return [f"card.deleted seq {event['seq']} of a card not on the board: {card['id']}"]
        old = col["cards"][i]
        if (card["column_id"], card["position"]) != (col["id"], i):
            problems.append(f"card.deleted seq {event['seq']}: card says {card['column_id']}[{card['position']}] "
                            f"but it was at {col['id']}[{i}]")
        if card != old:
            problems.append(f"card.deleted seq {event['seq']}: the card as it was {card} differs from the board's {old}")
        del col["cards"][i]
    else:
        return []
    board_renumber(board)
    return problems + board_problems(board)


def board_apply_own_move(board, card):
    """Applies the effect of our own echo:false card_move/card_create from its ack's card."""
    src, i = board_find(board, card["id"])
    if src is not None:
        del src["cards"][i]
    dst = board_column(board, card["column_id"])
    if dst is not None:
        dst["cards"].insert(card["position"], copy.deepcopy(card))
    board_renumber(board)


def board_comparable(board):
    """A board without timestamps that legitimately differ by representation only (none do): identity."""
    return json.loads(json.dumps(board, sort_keys=True))


# --------------------------------------------------------------------------- per-room state


class Room:
    def __init__(self, room_id):
        self.id = room_id
        self.state = "joining"  # joining -> joined -> leaving -> gone
        self.join_id = None
        self.since_seq = None
        self.head_seq = None
        self.last_seq = None
        self.board = None
        self.board_base = None
        self.members = None
        self.project = None
        self.events = []  # applied durable events, in seq order
        self.skip = {}  # seq -> ack result of our own echo:false commands
        self.by_seq = {}  # seq -> event
        self.arrival = {}  # seq -> index of the event in HubClient.received
        self.boundary = None  # last_seq at the join ack
        self.own_acks = {}  # seq -> (command type, result)
        self.got_presence_state = False
        self.join_presence_state = None  # consumed from the inbox by HubClient.join
        self.presence = None  # full mode: user_id -> entry
        self.presence_mode = None
        self.counts = None  # counts mode: (total_users, total_connections)
        self.diffs = []


class Pending:
    def __init__(self, msg, expect_id, command_type):
        self.msg = msg
        self.expect_id = expect_id
        self.type = command_type
        self.future = asyncio.get_running_loop().create_future()
        self.sent_at = time.monotonic()
        self.sent_index = 0  # len(HubClient.received) when sent


_CLIENTS = contextvars.ContextVar("hubclient_clients", default=None)


class HubClient:
    """One WebSocket connection to `/ws`. Create with `await HubClient.open(...)`."""

    def __init__(self, label):
        self.label = label
        self.ws = None
        self.violations = []
        self.outstanding = []  # FIFO of Pending: replies come in command order
        self.inbox = []  # [msg, consumed] for every non-reply server message
        self.received = []  # every server message, in order
        self.rooms = {}
        self.welcome = None
        self.conn_id = None
        self.user = None
        self.mentions = {}
        self.acks = {}  # command id -> result (persisting commands)
        self.token_expiring = []
        self.close_code = None
        self.close_reason = None
        self.close_frame = False
        self.closed = asyncio.Event()
        self._changed = asyncio.Condition()
        self._reader = None
        self._we_closed = False
        self.sent_by_id = {}  # command id -> the last command sent with it
        registry = _CLIENTS.get()
        if registry is not None:
            registry.append(self)

    # ----------------------------------------------------------------- opening

    @classmethod
    async def open(cls, base_url, token=None, via="header", resume=None, label=None, wait_welcome=True,
                   subprotocols=(SUBPROTOCOL,), extra_query=None, rcvbuf=None, timeout=5.0):
        """Connects to base_url + /ws. via: 'header', 'query' or 'inband' (send auth first)."""
        self = cls(label or f"client-{next(_ids)}")
        query = {}
        headers = {}
        if resume is not None:
            query["resume"] = resume
        if token is not None and via == "query":
            query["token"] = token
        if token is not None and via == "header":
            headers["Authorization"] = f"Bearer {token}"
        if extra_query:
            query.update(extra_query)
        url = base_url.rstrip("/") + "/ws" + (("?" + urlencode(query)) if query else "")
        sock = None
        if rcvbuf is not None:
            host, port = re.match(r"ws://([^:/]+):(\d+)", base_url).groups()
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
            sock.setblocking(False)
            await asyncio.get_running_loop().sock_connect(sock, (host, int(port)))
        self.ws = await ws_connect(
            url, subprotocols=list(subprotocols) if subprotocols else None, additional_headers=headers,
            max_size=MAX_SERVER_MESSAGE, ping_interval=None, open_timeout=timeout, close_timeout=2,
            compression=None, sock=sock, max_queue=None,
        )
        if subprotocols and self.ws.subprotocol != SUBPROTOCOL:
            self._violation(f"the server selected subprotocol {self.ws.subprotocol!r}, not {SUBPROTOCOL}")
        self._reader = asyncio.create_task(self._read())
        if token is not None and via == "inband":
            result = await self.ok("auth", token=token, timeout=timeout)
            self.auth_result = result
        if wait_welcome and (token is not None):
            await self.wait_for(lambda m: m["type"] == "welcome", timeout=timeout, what="welcome")
        return self

    # ----------------------------------------------------------------- bookkeeping

    def _violation(self, text):
        self.violations.append(f"[{self.label}] {text}")

    def check(self):
        if self.violations:
            raise ProtocolViolation("protocol violations:\n  " + "\n  ".join(self.violations))

    async def _notify(self):
        async with self._changed:
            self._changed.notify_all()

    async def _read(self):
        try:
            async for raw in self.ws:
                if isinstance(raw, bytes):
                    self._violation(f"binary message from the server ({len(raw)} bytes)")
                    continue
                try:
                    msg = json.loads(raw)
                except ValueError:
                    self._violation(f"non-JSON text from the server: {raw[:200]!r}")
                    continue
                if not isinstance(msg, dict):
                    self._violation(f"server message is not an object: {raw[:200]!r}")
                    continue
                self.received.append(msg)
                try:
                    self._handle(msg)
                except Exception as e:  # a bug in the checks must not hang the test
                    self._violation(f"client error handling {raw[:200]}: {e!r}")
                await self._notify()
        except ConnectionClosed:
            pass
        except Exception as e:
            self._violation(f"reader failed: {e!r}")
        finally:
            rcvd = self.ws.protocol.close_rcvd
            self.close_frame = rcvd is not None
            self.close_code = rcvd.code if rcvd is not None else 1006
            self.close_reason = rcvd.reason if rcvd is not None else ""
            if rcvd is not None and not self._we_closed:
                for e in schema_errors(INDEX["close"], {"code": rcvd.code, "reason": rcvd.reason}):
                    self._violation(f"close frame {rcvd.code} {rcvd.reason!r}: {e}")
            for p in self.outstanding:
                if not p.future.done():
                    p.future.set_exception(ClosedBeforeReply(self.close_code, self.close_reason))
                    p.future.exception()  # mark retrieved
            self.closed.set()
            await self._notify()

    def _handle(self, msg):
        mtype = msg.get("type")
        for e in s2c_errors(msg):
            self._violation(f"schema: {mtype}: {e} in {json.dumps(msg)[:600]}")
        if mtype in ("ack", "error"):
            self._reply(msg)
            return
        self.inbox.append([msg, False])
        if mtype == "welcome":
            if self.welcome is not None:
                self._violation("a second welcome")
            self.welcome = msg
            self.conn_id = msg.get("conn_id")
            self.user = msg.get("user")
            return
        if self.welcome is None:
            self._violation(f"{mtype} before welcome")
        if mtype == "token_expiring":
            self.token_expiring.append(msg)
        elif mtype == "mention":
            if msg["event_id"] in self.mentions:
                self._violation(f"mention {msg['event_id']} delivered twice to one connection")
            self.mentions[msg["event_id"]] = msg
        elif isinstance(mtype, str) and "." in mtype:
            self._event(msg)
        elif mtype in ROOM_MESSAGES:
            self._room_message(msg)

    def _reply(self, msg):
        if not self.outstanding:
            self._violation(f"reply without an outstanding command: {json.dumps(msg)[:300]}")
            return
        p = self.outstanding.pop(0)
        if msg.get("id") != p.expect_id:
            self._violation(
                f"reply {json.dumps(msg)[:300]} but the oldest outstanding command is {p.expect_id!r} "
                f"({json.dumps(p.msg)[:200] if not isinstance(p.msg, str) else p.msg[:100]}): replies must come "
                f"once per command, in command order (README 2.3)")
        if msg["type"] == "ack":
            if p.expect_id is None:
                self._violation(f"an ack for a message without a valid id: {json.dumps(msg)[:300]}")
            for e in result_errors(p.type, msg.get("result")):
                self._violation(f"schema: ack result of {p.type}: {e} in {json.dumps(msg)[:600]}")
            self._after_ack(p, msg.get("result") or {})
        else:
            self._after_error(p, msg)
        if not p.future.done():
            p.future.set_result(msg)

    def _after_ack(self, p, result):
        cmd = p.msg if isinstance(p.msg, dict) else {}
        ctype = p.type
        if ctype in PERSISTING:
            prior = self.acks.get(p.expect_id)
            if prior is not None and prior != result:
                self._violation(f"two different acks for command {p.expect_id}: {prior} then {result} (README 9)")
            self.acks[p.expect_id] = result
        if ctype == "join":
            room = self.rooms.get(cmd.get("room"))
            if room is None or room.join_id != p.expect_id:
                return  # a join of a room already joined cannot be acked; reported by the test
            if result.get("room") != room.id:
                self._violation(f"join ack for room {result.get('room')} answers a join of {room.id}")
            room.state = "joined"
            room.head_seq = result["head_seq"]
            room.members = result["members"]
            room.project = result["project"]
            since = cmd.get("since_seq")
            if since is None:
                if "board" not in result:
                    self._violation("join without since_seq: the ack has no board (README 3 join)")
                else:
                    room.board = copy.deepcopy(result["board"])
                    for e in board_problems(room.board):
                        self._violation(f"join board: {e}")
                room.last_seq = result["head_seq"]
            else:
                if "board" in result:
                    self._violation("join with since_seq: the ack carries a board (README 6.1)")
                if since > result["head_seq"]:
                    self._violation(f"join since_seq {since} acked with head_seq {result['head_seq']} (should be resync_required)")
                room.last_seq = since
                room.board = room.board_base
            room.boundary = room.last_seq
            for m in result["members"]:
                if "email" in m:
                    self._violation("members carry an email (README 1.4: never sent)")
        elif ctype == "leave":
            room = self.rooms.get(cmd.get("room"))
            if room is not None:
                room.state = "gone"
        elif ctype in PERSISTING:
            room = self.rooms.get(cmd.get("room"))
            if room is None or room.state not in ("joined", "leaving"):
                self._violation(f"{ctype} acked for a room not joined: {cmd.get('room')}")
                return
            seq = result["seq"]
            known = room.own_acks.get(seq)
            if known is not None:
                if known != (ctype, result):
                    self._violation(f"seq {seq} acked twice with different results: {known} / {result}")
                return  # an idempotent retry
            room.own_acks[seq] = (ctype, result)
            ev = room.by_seq.get(seq)
            if ev is not None:
                self._match_ack_event(ctype, cmd, result, ev)
            if cmd.get("echo") is False:
                if ev is not None:
                    if room.arrival[seq] > p.sent_index:
                        self._violation(f"{ctype} with echo:false but its event seq {seq} was delivered to the sender")
                    # else: a retry of a command applied before (its event came earlier): nothing to skip
                elif seq <= room.boundary:
                    pass  # a retry of a command applied before this connection joined
                elif seq <= room.last_seq:
                    self._violation(f"echo:false ack seq {seq} arrived after the stream passed it (last_seq {room.last_seq}); "
                                    f"the ack stands in for the event in the stream (README 2.5, 6.3)")
                else:
                    room.skip[seq] = (ctype, result)
                    self._advance(room)

    def _after_error(self, p, msg):
        cmd = p.msg if isinstance(p.msg, dict) else {}
        if p.type == "join":
            room = self.rooms.get(cmd.get("room"))
            if room is not None and room.join_id == p.expect_id and room.state == "joining":
                del self.rooms[room.id]
        if msg.get("code") == "invalid_message" and msg.get("id") is not None:
            self._violation("invalid_message with a non-null id")

    def _match_ack_event(self, ctype, cmd, result, ev):
        if ev["type"] != PERSISTING[ctype]:
            self._violation(f"{ctype} ack seq {result['seq']} but that event is {ev['type']}")
            return
        if ev["event_id"] != result["event_id"]:
            self._violation(f"ack event_id {result['event_id']} != event's {ev['event_id']} at seq {result['seq']}")
        if ev["correlation_id"] != (cmd.get("id")):
            self._violation(f"event seq {ev['seq']} correlation_id {ev['correlation_id']} != command id {cmd.get('id')}")
        if self.user and ev["actor"].get("user_id") != self.user["user_id"]:
            self._violation(f"own event seq {ev['seq']} has actor {ev['actor']}")
        if ctype == "comment":
            if ev["payload"]["comment_id"] != result["comment_id"] or ev["payload"]["mentions"] != result["mentions"]:
                self._violation(f"comment ack {result} disagrees with its event {ev['payload']}")
            if ev["payload"]["text"] != cmd.get("text") or ev["payload"]["card_id"] != cmd.get("card_id"):
                self._violation(f"comment event payload {ev['payload']} is not the command {cmd}")
        else:
            if ev["payload"]["card"] != result["card"]:
                self._violation(f"{ctype} ack card {result['card']} != event card {ev['payload']['card']}")

    def _event(self, ev):
        room = self.rooms.get(ev["room"])
        seq = ev["seq"]
        if room is None or room.state not in ("joined", "leaving"):
            state = "not joined" if room is None else room.state
            self._violation(f"durable event {ev['type']} seq {seq} for room {ev['room']} which is {state} "
                            f"(README 6.1: nothing before the join ack, nothing after the leave ack)")
            return
        if not room.got_presence_state:
            self._violation(f"event seq {seq} before the join's presence_state (README 6.1: ack, presence_state, events)")
        if seq in room.skip:
            self._violation(f"event seq {seq} delivered although it was our own echo:false command")
            return
        expected = room.last_seq + 1
        if seq != expected:
            self._violation(f"room {room.id}: event seq {seq} ({ev['type']}) where {expected} was expected: "
                            f"not gapless/in order/once (README 2.5.1)")
            room.last_seq = max(room.last_seq, seq)
            room.board = None  # the local board cannot follow an out-of-order stream; stop checking it
            return
        room.last_seq = seq
        room.by_seq[seq] = ev
        room.arrival[seq] = len(self.received)
        room.events.append(ev)
        if room.board is not None:
            for e in board_apply(room.board, ev):
                self._violation(f"room {room.id}: {e}")
        own = room.own_acks.get(seq)
        if own is not None:
            ctype, result = own
            self._match_ack_event(ctype, self.sent_by_id.get(ev["correlation_id"], {}), result, ev)
        self._advance(room)

    def _advance(self, room):
        while room.last_seq + 1 in room.skip:
            ctype, result = room.skip[room.last_seq + 1]
            room.last_seq += 1
            if room.board is not None and ctype in ("card_create", "card_move"):
                board_apply_own_move(room.board, result["card"])

    def _room_message(self, msg):
        mtype = msg["type"]
        room = self.rooms.get(msg["room"])
        if room is None or room.state not in ("joined", "leaving"):
            state = "not joined" if room is None else room.state
            self._violation(f"{mtype} for room {msg['room']} which is {state}")
            return
        if mtype == "presence_state":
            room.got_presence_state = True
            room.presence_mode = msg["mode"]
            if msg["mode"] == "full":
                room.presence = copy.deepcopy(msg["presences"])
                room.counts = None
            else:
                room.presence = None
                room.counts = (msg["total_users"], msg["total_connections"])
        elif mtype == "presence_diff":
            room.diffs.append(msg)
            if not room.got_presence_state:
                self._violation(f"presence_diff before presence_state in {room.id}")
                return
            if msg["mode"] != room.presence_mode:
                self._violation(f"presence_diff in mode {msg['mode']} while the room's presence_state was {room.presence_mode}")
            if msg["mode"] == "full":
                users = [u for k in ("joins", "leaves", "updates") for u in msg[k]]
                if len(users) != len(set(users)):
                    self._violation(f"a user in more than one list of a diff: {msg}")
                if room.presence is not None:
                    for u in msg["leaves"]:
                        room.presence.pop(u, None)
                    for k in ("joins", "updates"):
                        for u, entry in msg[k].items():
                            room.presence[u] = copy.deepcopy(entry)
            else:
                room.counts = (msg["total_users"], msg["total_connections"])
        elif mtype == "ephemeral":
            if msg["conn_id"] == self.conn_id:
                self._violation(f"ephemeral relay came back to its sending connection: {msg}")
        elif mtype == "room_left":
            room.state = "gone"

    # ----------------------------------------------------------------- sending

    async def send(self, msg, validate=True, board=None):
        """Sends a command; returns its Pending (`await client.reply(pending)`).
        board: for a join with since_seq, the board the client holds as of since_seq;
        replayed card events are applied to it."""
        self.check()
        if validate:
            errors = c2s_errors(msg)
            if errors:
                raise ProtocolViolation(f"the test is about to send an invalid {msg.get('type')}: {errors}")
        mid = msg.get("id") if isinstance(msg, dict) else None
        expect_id = mid if isinstance(mid, str) and COMMAND_ID.fullmatch(mid) else None
        ctype = msg.get("type") if isinstance(msg, dict) and msg.get("type") in INDEX["c2s"] else None
        if ctype == "join" and validate:
            room = self.rooms.get(msg["room"])
            if room is None or room.state == "gone":
                room = self.rooms[msg["room"]] = Room(msg["room"])
                room.join_id = expect_id
                room.since_seq = msg.get("since_seq")
                room.board_base = copy.deepcopy(board) if board is not None else None
        if ctype == "leave":
            room = self.rooms.get(msg.get("room"))
            if room is not None and room.state == "joined":
                room.state = "leaving"
        p = Pending(msg, expect_id, ctype)
        p.sent_index = len(self.received)
        self.outstanding.append(p)
        if expect_id is not None:
            self.sent_by_id[expect_id] = msg
        await self.ws.send(json.dumps(msg, ensure_ascii=False, separators=(",", ":")))
        return p

    async def send_raw(self, text, expect_reply=True):
        """Sends a text frame as it is; the reply (if expected) must carry id null."""
        self.check()
        try:
            parsed = json.loads(text)
        except ValueError:
            parsed = None
        mid = parsed.get("id") if isinstance(parsed, dict) else None
        p = Pending(text, mid if isinstance(mid, str) and COMMAND_ID.fullmatch(mid) else None, None)
        p.sent_index = len(self.received)
        if expect_reply:
            self.outstanding.append(p)
        await self.ws.send(text)
        return p

    async def send_binary(self, data):
        await self.ws.send(data)

    async def reply(self, pending, timeout=5.0):
        try:
            return await asyncio.wait_for(asyncio.shield(pending.future), timeout)
        except asyncio.TimeoutError:
            raise AssertionError(f"[{self.label}] no reply within {timeout}s to {json.dumps(pending.msg)[:300]}") from None

    async def cmd(self, ctype, *, id=None, timeout=5.0, validate=True, **fields):
        """Sends a command and returns its reply (ack or error)."""
        msg = {"type": ctype, "id": id or new_id(), **fields}
        p = await self.send(msg, validate=validate)
        reply = await self.reply(p, timeout)
        self.check()
        return reply

    async def ok(self, ctype, *, timeout=5.0, **fields):
        reply = await self.cmd(ctype, timeout=timeout, **fields)
        if reply["type"] != "ack":
            raise ErrorReply(reply)
        return reply["result"]

    async def fail(self, ctype, code, *, timeout=5.0, validate=True, **fields):
        reply = await self.cmd(ctype, timeout=timeout, validate=validate, **fields)
        assert reply["type"] == "error", f"[{self.label}] expected error {code} for {ctype} {fields}, got {json.dumps(reply)}"
        assert reply["code"] == code, f"[{self.label}] expected error {code}, got {json.dumps(reply)}"
        return reply

    # ----------------------------------------------------------------- convenience commands

    async def join(self, room, since_seq=None, presence=None, board=None, timeout=5.0):
        """Joins and waits for the join's presence_state. `board`: the board the client
        holds as of since_seq (for rejoins), to keep applying events to it."""
        fields = {"room": room}
        if since_seq is not None:
            fields["since_seq"] = since_seq
        if presence is not None:
            fields["presence"] = presence
        p = await self.send({"type": "join", "id": new_id(), **fields}, board=board)
        reply = await self.reply(p, timeout)
        self.check()
        if reply["type"] != "ack":
            raise ErrorReply(reply)
        result = reply["result"]
        r = self.rooms[room]
        await self.until(lambda: r.got_presence_state, timeout, f"presence_state after joining {room}")
        r.join_presence_state = await self.wait_for(
            lambda m: m["type"] == "presence_state" and m["room"] == room, 0, "the join's presence_state")
        return result

    async def comment(self, room, card_id, text, **kw):
        return await self.ok("comment", room=room, card_id=card_id, text=text, **kw)

    # ----------------------------------------------------------------- waiting

    async def until(self, cond, timeout=3.0, what="condition", check=True):
        deadline = time.monotonic() + timeout
        async with self._changed:
            while True:
                if check:
                    self.check()
                if cond():
                    return
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"[{self.label}] timed out after {timeout}s waiting for {what}")
                try:
                    await asyncio.wait_for(self._changed.wait(), left)
                except asyncio.TimeoutError:
                    pass

    def _find(self, pred):
        for item in self.inbox:
            if not item[1] and pred(item[0]):
                return item
        return None

    async def wait_for(self, pred, timeout=3.0, what="a message"):
        """The first not yet consumed server message (not a reply) matching pred; consumes it."""
        found = []

        def cond():
            item = self._find(pred)
            if item is not None:
                item[1] = True
                found.append(item[0])
                return True
            if self.closed.is_set():
                raise AssertionError(f"[{self.label}] closed ({self.close_code} {self.close_reason!r}) "
                                     f"while waiting for {what}")
            return False

        await self.until(cond, timeout, what)
        return found[0]

    async def wait_type(self, mtype, room=None, timeout=3.0):
        return await self.wait_for(lambda m: m["type"] == mtype and (room is None or m.get("room") == room),
                                   timeout, f"{mtype}" + (f" in {room}" if room else ""))

    async def expect_none(self, pred, within=0.5, what="message"):
        await asyncio.sleep(within)
        self.check()
        item = self._find(pred)
        if item is not None:
            raise AssertionError(f"[{self.label}] unexpected {what}: {json.dumps(item[0])[:500]}")

    def pending_messages(self, pred=lambda m: True):
        return [m for m, consumed in self.inbox if not consumed and pred(m)]

    def consume_all(self, pred=lambda m: True):
        out = []
        for item in self.inbox:
            if not item[1] and pred(item[0]):
                item[1] = True
                out.append(item[0])
        return out

    async def wait_seq(self, room, seq, timeout=5.0):
        r = self.rooms[room]

        def reached():
            if r.last_seq is not None and r.last_seq >= seq:
                return True
            if self.closed.is_set():
                raise AssertionError(f"[{self.label}] closed ({self.close_code} {self.close_reason!r}) at seq "
                                     f"{r.last_seq} of {room}, waiting for seq {seq}")
            return False

        await self.until(reached, timeout, f"{room} to reach seq {seq} (at {r.last_seq})")

    async def wait_closed(self, timeout=5.0):
        try:
            await asyncio.wait_for(self.closed.wait(), timeout)
        except asyncio.TimeoutError:
            raise AssertionError(f"[{self.label}] still open after {timeout}s") from None
        return self.close_code, self.close_reason

    async def settle(self, timeout=5.0, check=True):
        """Waits until every command sent has its reply."""
        await self.until(lambda: not self.outstanding or self.closed.is_set(), timeout,
                         f"replies to {[p.expect_id for p in self.outstanding]}", check=check)

    # ----------------------------------------------------------------- closing

    async def close(self, code=1000, check_replies=True):
        if self.closed.is_set():
            return
        if check_replies:
            try:
                await self.settle(3.0, check=False)
            except AssertionError as e:
                self._violation(f"commands without a reply at close: {e}")
        self._we_closed = True
        await self.ws.close(code)
        await self.wait_closed(5)

    def drop(self):
        """Ends the connection without a close frame (a lost network)."""
        self._we_closed = True
        self.ws.transport.abort()

    def pause_reading(self):
        self.ws.transport.pause_reading()

    def resume_reading(self):
        self.ws.transport.resume_reading()

    async def _teardown(self):
        if self.ws is None:
            return
        if not self.closed.is_set():
            try:
                await self.close(check_replies=not self._we_closed)
            except Exception as e:  # noqa: BLE001
                self._violation(f"close at teardown failed: {e!r}")
        if self._reader is not None:
            try:
                await asyncio.wait_for(self._reader, 3)
            except Exception:  # noqa: BLE001
                pass


# --------------------------------------------------------------------------- raw HTTP upgrades


def http_upgrade(port, path="/ws", headers=None, subprotocol=SUBPROTOCOL, timeout=3.0):
    """A hand-written upgrade request; returns (status, headers dict (lower-case), body bytes)."""
    lines = [f"GET {path} HTTP/1.1", "Host: 127.0.0.1", "Upgrade: websocket", "Connection: Upgrade",
             f"Sec-WebSocket-Key: {base64.b64encode(os.urandom(16)).decode()}", "Sec-WebSocket-Version: 13"]
    if subprotocol:
        lines.append(f"Sec-WebSocket-Protocol: {subprotocol}")
    for k, v in (headers or {}).items():
        lines.append(f"{k}: {v}")
    data = ("\r\n".join(lines) + "\r\n\r\n").encode()
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(data)
        buf = b""
        while b"\r\n\r\n" not in buf:
            chunk = s.recv(65536)
            if not chunk:
                break
            buf += chunk
        head, _, body = buf.partition(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        status = int(status_line.split(" ")[1])
        hdrs = {}
        for line in header_lines:
            k, _, v = line.partition(":")
            hdrs[k.strip().lower()] = v.strip()
        if status != 101:
            length = int(hdrs.get("content-length", "-1"))
            s.settimeout(timeout)
            while length < 0 or len(body) < length:
                try:
                    chunk = s.recv(65536)
                except socket.timeout:
                    break
                if not chunk:
                    break
                body += chunk
        return status, hdrs, body


def check_handshake_error(status, headers, body, want_status, want_code):
    """Asserts a refused upgrade per README 1.3: status, Connection: close, a JSON body per the schema."""
    assert status == want_status, f"expected HTTP {want_status}, got {status} {headers} {body[:300]!r}"
    assert "close" in headers.get("connection", "").lower(), f"no Connection: close on a refused upgrade: {headers}"
    doc = json.loads(body)
    errors = schema_errors(INDEX["handshake_error"], doc)
    assert not errors, f"handshake error body {doc}: {errors}"
    assert doc["error"]["code"] == want_code, doc
    return doc


# --------------------------------------------------------------------------- running async tests


def run_async_test(fn, kwargs, timeout=90.0):
    """Runs `async def` test `fn` in a fresh event loop; afterwards closes every
    HubClient it opened and fails on any protocol violation they recorded."""

    async def main():
        clients = []
        _CLIENTS.set(clients)
        failure = None
        try:
            await asyncio.wait_for(fn(**kwargs), timeout)
        except BaseException as e:  # noqa: BLE001
            failure = e
        for c in clients:
            await c._teardown()
        violations = [v for c in clients for v in c.violations]
        if failure is not None:
            if violations and isinstance(failure, Exception):
                failure.add_note("protocol violations recorded:\n  " + "\n  ".join(violations))
            raise failure
        if violations:
            raise ProtocolViolation("protocol violations:\n  " + "\n  ".join(violations))

    asyncio.run(main())


# --------------------------------------------------------------------------- the seeded world


def _member(user_id, name, username):
    return {"user_id": user_id, "name": name, "email": f"{username}@people.example", "username": username}


USERS = {
    "alice": ("u_alice", "Alice Adams", "alice"),
    "bob": ("u_bob", "Bob Baker", "bob"),
    "carol": ("u_carol", "Carol Chen", "carol.chen"),
    "dan": ("u_dan", "Dan Diaz", "dan-d"),
    "eve": ("u_eve", "Eve Evans", "eve"),
}
BIG_USERS = {f"big{i:02d}": (f"u_big{i:02d}", f"Big User {i:02d}", f"big{i:02d}") for i in range(1, 9)}
ALL_USERS = {**USERS, **BIG_USERS}

APOLLO = "p_apollo"
APOLLO_COLUMNS = [
    {"id": "col_backlog", "name": "Backlog", "cards": [
        {"id": "card_1", "title": "Launch checklist"},
        {"id": "card_2", "title": "Press kit"},
        {"id": "card_3", "title": "Venue"}]},
    {"id": "col_doing", "name": "Doing", "cards": [{"id": "card_4", "title": "Budget"}]},
    {"id": "col_done", "name": "Done", "cards": []},
]
ROOM_LIMIT_PROJECTS = [f"p_r{i}" for i in range(1, 5)]
# `hubbub admin seed` stores each seeded card as a card.created event of the
# project's room (docs/admin.md), so a seeded room starts at this head_seq.


WORLD = {"projects": [
    {"id": APOLLO, "name": "Apollo launch",
     "members": [_member(*USERS[u]) for u in ("alice", "bob", "carol", "dan")],
     "columns": APOLLO_COLUMNS},
    {"id": "p_zeus", "name": "Zeus",
     "members": [_member(*USERS[u]) for u in ("alice", "eve")],
     "columns": [{"id": "col_z", "name": "Todo", "cards": [{"id": "card_z1", "title": "Zap"}]}]},
    *[{"id": p, "name": f"Room {p}", "members": [_member(*USERS[u]) for u in ("alice", "bob")],
       "columns": [{"id": f"col_{p}", "name": "Todo", "cards": [{"id": f"card_{p}", "title": "Thing"}]}]}
      for p in ROOM_LIMIT_PROJECTS],
    {"id": "p_big", "name": "Town hall",
     "members": [_member(*USERS["alice"])] + [_member(*u) for u in BIG_USERS.values()],
     "columns": [{"id": "col_big", "name": "Agenda", "cards": [{"id": "card_big1", "title": "Welcome"}]}]},
]}


SEEDED_HEAD = {p["id"]: sum(len(c["cards"]) for c in p["columns"]) for p in WORLD["projects"]}


def token_for(user, ttl=3600.0, exp=None, **kw):
    user_id, name, _ = ALL_USERS[user]
    return mint_token(user_id, name, ttl=ttl, exp=exp, **kw)


async def connect_as(hub, user, via="header", **kw):
    """Opens an authenticated connection of a seeded user (label: the user name)."""
    kw.setdefault("label", user)
    return await HubClient.open(hub.base, token_for(user), via=via, **kw)
