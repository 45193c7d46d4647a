"""End-to-end tests of the e-mail queue (issue 6, docs/email.md): a real hub records
mentions of offline members in the outbox, real `hubbub mailer` processes send them
to a real SMTP server (aiosmtpd) started by the test, with a handler the test
controls (accept, 4xx, 5xx, slow)."""
import asyncio
import email
import email.policy
import os
import pathlib
import re
import signal
import socket
import sqlite3
import ssl
import subprocess
import threading
import time
from email.utils import parsedate_to_datetime

import pytest

pytest.importorskip("aiosmtpd", reason="aiosmtpd is not installed (scripts/test.sh installs it)")
from aiosmtpd.controller import Controller  # noqa: E402
from aiosmtpd.smtp import AuthResult, LoginPassword  # noqa: E402

from conftest import HUBBUB  # noqa: E402
from hubclient import APOLLO, connect_as  # noqa: E402

DOMAIN = "hubbub.test"
LINK = "https://app.example/p/{project_id}/cards/{card_id}#comment-{comment_id}"
UNSUBSCRIBE = "https://app.example/unsubscribe?user={user_id}"
# Fast timings for tests: a 1 s grace window, 3 s leases, 200 ms backoff.
FAST = ["--digest-grace", "1s", "--poll-interval", "100ms", "--lease", "3s",
        "--retry-backoff", "200ms", "--retry-backoff-max", "1s"]


# --------------------------------------------------------------------------- SMTP server


class Inbox:
    """The aiosmtpd handler. `plan` lists what to do with the next DATA commands, one
    entry per message: "accept", "tempfail" (451), "permfail" (550), "slow" (wait 30 s,
    then accept: a client that goes away meanwhile delivers nothing). Empty = accept."""

    def __init__(self):
        self.plan = []
        self.messages = []  # (envelope from, [rcpt], email.message.EmailMessage)
        self.attempts = 0
        self.slow_started = threading.Event()
        self.auth = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.attempts += 1
            step = self.plan.pop(0) if self.plan else "accept"
        if step == "tempfail":
            return "451 4.3.0 Try again later"
        if step == "permfail":
            return "550 5.1.1 No such user here"
        if step == "slow":
            self.slow_started.set()
            await asyncio.sleep(30)  # cancelled if the client disconnects
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        with self.lock:
            self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), message, envelope.original_content))
        return "250 2.0.0 OK queued"

    def to(self, address):
        with self.lock:
            return [m for m in self.messages if address in m[1]]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    """start(tls=None, auth=None, exclude_auth=()) -> (controller, inbox); stopped after the test."""
    started = []

    def start(tls=None, auth=None, exclude_auth=()):
        inbox = Inbox()
        kwargs = {}
        if tls is not None:
            kwargs.update(require_starttls=True, tls_context=tls)
        if auth is not None:
            def authenticator(server, session, envelope, mechanism, auth_data):
                def text(v):
                    return v.decode() if isinstance(v, bytes) else v
                ok = isinstance(auth_data, LoginPassword) and (text(auth_data.login), text(auth_data.password)) == auth
                inbox.auth.append((mechanism, ok))
                return AuthResult(success=ok)
            kwargs.update(authenticator=authenticator, auth_require_tls=True,
                          auth_exclude_mechanism=list(exclude_auth))
        controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), **kwargs)
        controller.start()
        started.append(controller)
        return controller, inbox

    yield start
    for controller in started:
        controller.stop()


# --------------------------------------------------------------------------- mailer processes


class MailerProcess:
    """A running `hubbub mailer`; its stderr is collected in `log`."""

    def __init__(self, data_dir, args, env=None):
        self.args = [HUBBUB, "mailer", "--data-dir", str(data_dir), "--log-level", "debug", *args]
        self.proc = subprocess.Popen(self.args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                     env={**os.environ, **(env or {})})
        self.lines = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        for line in self.proc.stderr:
            self.lines.append(line)

    @property
    def log(self):
        return "".join(self.lines)

    def stop(self, sig=signal.SIGTERM, timeout=15):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._reader.join(2)
        return self.proc.returncode


@pytest.fixture
def mailer():
    """start(data_dir, *args, env=None) -> MailerProcess; every one is stopped after the test."""
    running = []

    def start(data_dir, *args, env=None):
        m = MailerProcess(data_dir, list(args), env)
        running.append(m)
        return m

    yield start
    for m in running:
        m.stop()


def smtp_args(controller, *extra):
    return ["--smtp-host", "127.0.0.1", "--smtp-port", str(controller.port), "--mail-from", f"notify@{DOMAIN}",
            "--link-template", LINK, "--unsubscribe-template", UNSUBSCRIBE, *FAST, *extra]


# --------------------------------------------------------------------------- helpers


def outbox(data_dir):
    db = sqlite3.connect(f"file:{pathlib.Path(data_dir) / 'hubbub.sqlite3'}?mode=ro", uri=True, timeout=10)
    try:
        db.row_factory = sqlite3.Row
        return [dict(r) for r in db.execute("SELECT * FROM outbox ORDER BY id")]
    finally:
        db.close()


async def wait_until(cond, timeout=15.0, what="condition", interval=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = cond()
        if value:
            return value
        await asyncio.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


async def mention_offline(hubbub, texts, card="card_1"):
    """Starts a hub on a seeded data directory; alice (the only one online) posts each
    comment of `texts`. Returns (hub, [ack results])."""
    hub = hubbub(no_embedded_mailer=True)  # the test runs its own `hubbub mailer` processes
    alice = await connect_as(hub, "alice")
    await alice.join(APOLLO)
    results = [await alice.comment(APOLLO, card, text) for text in texts]
    return hub, results


def parts(message):
    """{content type: decoded text} of a multipart/alternative message."""
    return {p.get_content_type(): p.get_content() for p in message.iter_parts()}


# --------------------------------------------------------------------------- tests


async def test_a_digest_of_several_mentions_is_one_email(hubbub, smtp_server, mailer):
    controller, inbox = smtp_server()
    hub, results = await mention_offline(hubbub, [
        "@carol.chen first: <b>bold</b> & \"quoted\"",
        "@carol.chen second, with ünïcödé ✓",
        "@carol.chen third\n. a line starting with a dot",
        "@dan-d only one for Dan",
    ])
    rows = outbox(hub.data_dir)
    assert [r["user_id"] for r in rows] == ["u_carol"] * 3 + ["u_dan"]
    assert all(r["state"] == "pending" for r in rows)

    m = mailer(hub.data_dir, *smtp_args(controller))
    await wait_until(lambda: len(inbox.messages) >= 2, what="two e-mails")
    await asyncio.sleep(0.5)
    assert len(inbox.messages) == 2, "one e-mail per recipient"
    (mail_from, rcpts, carol, raw), = inbox.to("carol.chen@people.example")
    assert mail_from == f"notify@{DOMAIN}" and rcpts == ["carol.chen@people.example"]

    # Headers.
    assert carol["Subject"] == "3 new mentions in Apollo launch"
    assert carol["From"].addresses[0].addr_spec == f"notify@{DOMAIN}"
    assert carol["From"].addresses[0].display_name == "Hubbub"
    assert carol["To"] == "carol.chen@people.example"
    assert re.fullmatch(rf"<[0-9a-f]{{32}}\.3@{re.escape(DOMAIN)}>", carol["Message-ID"])
    assert abs(parsedate_to_datetime(carol["Date"]).timestamp() - time.time()) < 60
    assert carol["MIME-Version"] == "1.0"
    assert carol["List-Unsubscribe"] == "<https://app.example/unsubscribe?user=u_carol>"
    assert carol.get_content_type() == "multipart/alternative"
    # Wire format: CRLF everywhere, no line over 998 characters, 7-bit.
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 998 for line in raw.split(b"\r\n"))
    assert all(b < 128 for b in raw)

    # Both parts, with project, card, excerpts and links.
    body = parts(carol)
    assert set(body) == {"text/plain", "text/html"}
    text, html = body["text/plain"], body["text/html"]
    for r in results[:3]:
        link = f"https://app.example/p/{APOLLO}/cards/card_1#comment-{r['comment_id']}"
        assert link in text and link in html
    assert "Apollo launch / Launch checklist" in text
    assert "> @carol.chen first: <b>bold</b> & \"quoted\"" in text
    assert "ünïcödé ✓" in text and "ünïcödé ✓" in html
    assert "> . a line starting with a dot" in text
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;" in html and "<b>bold" not in html
    assert "Alice Adams" in text and "Alice Adams" in html

    (_, _, dan, _), = inbox.to("dan-d@people.example")
    assert dan["Subject"] == "Alice Adams mentioned you in Apollo launch"
    assert dan["Message-ID"] != carol["Message-ID"]

    await wait_until(lambda: all(r["state"] == "sent" for r in outbox(hub.data_dir)), what="rows marked sent")
    assert all(r["attempts"] == 1 for r in outbox(hub.data_dir))
    assert "digest sent" in m.log
    assert "ünïcödé" not in m.log and "bold" not in m.log, "no message content in the logs"


async def test_retry_after_a_4xx(hubbub, smtp_server, mailer):
    controller, inbox = smtp_server()
    inbox.plan = ["tempfail", "tempfail"]
    hub, _ = await mention_offline(hubbub, ["@carol.chen ping"])
    m = mailer(hub.data_dir, *smtp_args(controller))
    await wait_until(lambda: len(inbox.messages) == 1, what="the e-mail after two 451s")
    assert inbox.attempts == 3
    await wait_until(lambda: outbox(hub.data_dir)[0]["state"] == "sent", what="sent")
    row = outbox(hub.data_dir)[0]
    assert row["attempts"] == 3 and "451" in row["last_error"]
    assert m.log.count("will retry") == 2


async def test_dead_letter_after_a_5xx(hubbub, smtp_server, mailer):
    controller, inbox = smtp_server()
    inbox.plan = ["permfail"]
    hub, _ = await mention_offline(hubbub, ["@carol.chen ping"])
    m = mailer(hub.data_dir, *smtp_args(controller))
    await wait_until(lambda: outbox(hub.data_dir)[0]["state"] == "dead", what="dead letter")
    row = outbox(hub.data_dir)[0]
    assert row["attempts"] == 1 and "550" in row["last_error"]
    await asyncio.sleep(1.0)
    assert inbox.messages == [] and inbox.attempts == 1, "never tried again"
    assert "dead-lettered" in m.log


async def test_dead_letter_after_max_attempts(hubbub, smtp_server, mailer):
    controller, inbox = smtp_server()
    inbox.plan = ["tempfail"] * 10
    hub, _ = await mention_offline(hubbub, ["@carol.chen ping"])
    mailer(hub.data_dir, *smtp_args(controller, "--max-attempts", "3"))
    await wait_until(lambda: outbox(hub.data_dir)[0]["state"] == "dead", what="dead letter")
    row = outbox(hub.data_dir)[0]
    assert row["attempts"] == 3 and "gave up after 3 attempts" in row["last_error"]
    assert inbox.attempts == 3 and inbox.messages == []


async def test_two_mailers_send_each_digest_once(hubbub, smtp_server, mailer):
    controller, inbox = smtp_server()
    texts = [f"@carol.chen @dan-d @bob note {i}" for i in range(5)]
    hub, _ = await mention_offline(hubbub, texts)
    assert len(outbox(hub.data_dir)) == 15
    # Both start before the grace window closes, so they race for the same digests.
    first = mailer(hub.data_dir, *smtp_args(controller))
    second = mailer(hub.data_dir, *smtp_args(controller))
    await wait_until(lambda: all(r["state"] == "sent" for r in outbox(hub.data_dir)), what="all sent")
    await asyncio.sleep(1.5)
    recipients = sorted(r for m in inbox.messages for r in m[1])
    assert recipients == ["bob@people.example", "carol.chen@people.example", "dan-d@people.example"]
    for _, _, message, _ in inbox.messages:
        assert message["Subject"] == "5 new mentions in Apollo launch"
    assert "lease lost" not in first.log + second.log


async def test_a_mailer_killed_mid_send_is_replaced_after_its_lease(hubbub, smtp_server, mailer):
    controller, inbox = smtp_server()
    inbox.plan = ["slow"]
    hub, _ = await mention_offline(hubbub, ["@carol.chen ping", "@carol.chen pong"])
    doomed = mailer(hub.data_dir, *smtp_args(controller))
    await wait_until(inbox.slow_started.is_set, what="the first mailer in DATA")
    rows = outbox(hub.data_dir)
    assert {r["state"] for r in rows} == {"leased"}
    doomed.stop(signal.SIGKILL)
    killed_at = time.monotonic()
    survivor = mailer(hub.data_dir, *smtp_args(controller))
    await wait_until(lambda: len(inbox.messages) == 1, timeout=20, what="the survivor's e-mail")
    assert time.monotonic() - killed_at > 1.0, "sent only after the dead mailer's lease expired"
    await wait_until(lambda: all(r["state"] == "sent" for r in outbox(hub.data_dir)), what="sent")
    await asyncio.sleep(1.0)
    assert len(inbox.messages) == 1, "one e-mail in total"
    assert inbox.messages[0][2]["Subject"] == "2 new mentions in Apollo launch"
    assert "digest sent" in survivor.log


def self_signed(tmp_path):
    """A certificate for 127.0.0.1 made with the openssl CLI: (server TLS context, cert file)."""
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(cert), str(key))
    return context, cert


@pytest.mark.parametrize("mechanism", ["PLAIN", "LOGIN"])
async def test_starttls_and_auth(hubbub, smtp_server, mailer, tmp_path, mechanism):
    context, cert = self_signed(tmp_path)
    other = {"PLAIN": "LOGIN", "LOGIN": "PLAIN"}[mechanism]
    controller, inbox = smtp_server(tls=context, auth=("mailer", "s3cret"), exclude_auth=[other])
    hub, _ = await mention_offline(hubbub, ["@carol.chen over TLS", "@dan-d over TLS too"])

    # Verified against the test's CA file, AUTH with the password from the environment.
    m = mailer(hub.data_dir, *smtp_args(controller, "--smtp-starttls", "--smtp-ca-file", str(cert),
                                         "--smtp-username", "mailer"),
               env={"HUBBUB_SMTP_PASSWORD": "s3cret"})
    try:
        await wait_until(lambda: len(inbox.messages) == 2, what="two e-mails over STARTTLS")
    except AssertionError as e:
        e.add_note(m.log[-3000:])
        raise
    assert inbox.auth and all(ok and mech == mechanism for mech, ok in inbox.auth)
    assert "s3cret" not in m.log


async def test_starttls_refuses_an_unverified_certificate(hubbub, smtp_server, mailer, tmp_path):
    context, _ = self_signed(tmp_path)
    controller, inbox = smtp_server(tls=context)
    hub, _ = await mention_offline(hubbub, ["@carol.chen secret"])
    # The system store does not know the self-signed certificate: transient, retried.
    m = mailer(hub.data_dir, *smtp_args(controller, "--smtp-starttls"))
    await wait_until(lambda: "certificate verification failed" in m.log, what="a verification failure")
    assert inbox.messages == []
    assert outbox(hub.data_dir)[0]["state"] in ("pending", "leased")
    m.stop()
    # Skipping verification (tests only) gets it through.
    mailer(hub.data_dir, *smtp_args(controller, "--smtp-starttls", "--smtp-insecure-skip-verify"))
    await wait_until(lambda: len(inbox.messages) == 1, what="the e-mail without verification")


async def test_without_smtp_emails_are_eml_files(hubbub, mailer, tmp_path):
    hub, _ = await mention_offline(hubbub, ["@carol.chen one", "@carol.chen two", "@dan-d three"])
    mail_dir = tmp_path / "outgoing"
    m = mailer(hub.data_dir, "--mail-dir", str(mail_dir), "--link-template", LINK, *FAST)
    await wait_until(lambda: mail_dir.is_dir() and len(list(mail_dir.glob("*.eml"))) == 2, what="two .eml files")
    await wait_until(lambda: all(r["state"] == "sent" for r in outbox(hub.data_dir)), what="sent")
    assert sorted(p.name for p in mail_dir.iterdir() if not p.name.endswith(".eml")) == [], "no temporary files left"
    messages = {}
    for path in mail_dir.glob("*.eml"):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        assert path.name == message["Message-ID"].strip("<>") + ".eml"
        messages[message["To"]] = message
    assert set(messages) == {"carol.chen@people.example", "dan-d@people.example"}
    assert messages["carol.chen@people.example"]["Subject"] == "2 new mentions in Apollo launch"
    assert set(parts(messages["dan-d@people.example"])) == {"text/plain", "text/html"}
    assert "written as .eml files" in m.log
    assert m.stop() == 0, "SIGTERM stops the mailer cleanly"


async def test_the_embedded_mailer_sends_and_a_user_who_comes_back_in_time_gets_nothing(hubbub, smtp_server):
    """`hubbub serve` runs the mailer itself by default. Carol, mentioned while offline,
    comes back and joins the room inside the grace window: her notification is
    cancelled (she received the comment) and never e-mailed; Dan, who stays away, gets
    his digest from the hub's own mailer."""
    controller, inbox = smtp_server()
    hub = hubbub(
        smtp_host="127.0.0.1", smtp_port=controller.port, mail_from=f"notify@{DOMAIN}", link_template=LINK,
        unsubscribe_template=UNSUBSCRIBE, digest_grace="3s", poll_interval="100ms")
    alice = await connect_as(hub, "alice")
    await alice.join(APOLLO)
    await alice.comment(APOLLO, "card_1", "@carol.chen and @dan-d, have a look")
    carol = await connect_as(hub, "carol")
    await carol.join(APOLLO)
    await wait_until(lambda: len(inbox.messages) >= 1, what="Dan's digest")
    await asyncio.sleep(1.0)
    assert [rcpts for _, rcpts, _, _ in inbox.messages] == [["dan-d@people.example"]]
    states = {r["user_id"]: r["state"] for r in outbox(hub.data_dir)}
    assert states == {"u_carol": "cancelled", "u_dan": "sent"}
