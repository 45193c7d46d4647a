"""Fixtures for the end-to-end tests: a real `hubbub` process on a free
loopback port, on each I/O backend, driven by real WebSocket clients."""
import os
import re
import signal
import socket
import subprocess
import tempfile
import threading
import time

import pytest

HUBBUB = os.environ.get("HUBBUB_BIN", os.path.join(os.path.dirname(__file__), "../../.build/release/hubbub"))
BACKENDS = ["uring", "epoll"]


class Hub:
    """A running `hubbub serve`; its stderr is collected in `self.log`."""

    def __init__(self, *args, preexec_fn=None):
        if "--data-dir" not in args:
            # Each server gets its own throw-away database (and development secret).
            args = ("--data-dir", tempfile.mkdtemp(prefix="hubbub-test-"), *args)
        self.args = [HUBBUB, "serve", "--listen", "127.0.0.1:0", "--log-level", "debug", *args]
        self.proc = subprocess.Popen(
            self.args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, preexec_fn=preexec_fn
        )
        self.log_lines = []
        self._ready = threading.Event()
        self.port = None
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        if not self._ready.wait(20):
            self.stop()
            raise RuntimeError("hubbub did not start:\n" + self.log)
        if self.port is None:
            raise RuntimeError("hubbub exited at start-up:\n" + self.log)

    def _read(self):
        for line in self.proc.stderr:
            self.log_lines.append(line)
            m = re.search(r"address=127\.0\.0\.1:(\d+)", line)
            if m and "listening" in line and self.port is None:
                self.port = int(m.group(1))
                self._ready.set()
        self._ready.set()

    @property
    def log(self):
        return "".join(self.log_lines)

    def url(self, path="/echo"):
        return f"ws://127.0.0.1:{self.port}{path}"

    def wait_for_log(self, pattern, timeout=5):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if re.search(pattern, self.log):
                return True
            time.sleep(0.05)
        return False

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
def hub_factory():
    hubs = []

    def start(*args, **kwargs):
        hub = Hub(*args, **kwargs)
        hubs.append(hub)
        return hub

    yield start
    for hub in hubs:
        hub.stop()


def raw_request(port, data, timeout=5.0, read_all=True):
    """Sends raw bytes, returns everything the server sends until it closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(data)
        chunks = []
        while True:
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                break
            if not chunk:
                break
            chunks.append(chunk)
            if not read_all:
                break
        return b"".join(chunks)


def upgrade_request(path="/echo", key="dGhlIHNhbXBsZSBub25jZQ==", version="13", extra=""):
    return (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: {version}\r\n{extra}\r\n"
    ).encode()


# --------------------------------------------------------------------------- the hub (/ws) end-to-end tests
# Additions for test_hub_*.py: `async def` tests run through hubclient.run_async_test
# (a fresh event loop per test; every HubClient the test opened is closed and
# checked for protocol violations afterwards), and the `hubbub` fixture, which
# seeds a data directory with `hubbub admin seed` and starts `hubbub serve` on it.
import inspect
import json
import pathlib


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    if inspect.iscoroutinefunction(pyfuncitem.obj):
        from hubclient import run_async_test

        kwargs = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
        run_async_test(pyfuncitem.obj, kwargs)
        return True
    return None


class HubServer:
    """A `hubbub serve` on a seeded data directory (or PostgreSQL database, with
    HUBBUB_TEST_STORE=postgres); `base` is its ws:// origin."""

    def __init__(self, hub, data_dir, args, database_url=None, cluster=None):
        self.hub, self.data_dir, self.args = hub, data_dir, args
        self.database_url, self.cluster = database_url, cluster

    def query(self, sql):
        """Rows of `sql` against the hub's store, as tuples of strings/ints."""
        if self.database_url:
            database = self.database_url.rsplit("/", 1)[1]
            return [tuple(int(v) if v.lstrip("-").isdigit() else v for v in row) for row in self.cluster.psql(database, sql)]
        import sqlite3

        db = sqlite3.connect(f"file:{self.data_dir / 'hubbub.sqlite3'}?mode=ro", uri=True)
        try:
            return [tuple(row) for row in db.execute(sql).fetchall()]
        finally:
            db.close()

    @property
    def base(self):
        return f"ws://127.0.0.1:{self.hub.port}"

    @property
    def port(self):
        return self.hub.port

    @property
    def log(self):
        return self.hub.log

    def kill9(self):
        return self.hub.stop(signal.SIGKILL)


def seed_data_dir(data_dir, world, database_url=None):
    """Runs `hubbub admin seed FILE --data-dir DIR` (or `--database-url URL`); skips the test while the subcommand does not exist."""
    data_dir = pathlib.Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    seed_file = data_dir.parent / f"{data_dir.name}-seed.json"
    seed_file.write_text(json.dumps(world))
    target = ["--database-url", database_url] if database_url else ["--data-dir", str(data_dir)]
    if database_url:
        subprocess.run([HUBBUB, "migrate", "--database-url", database_url], check=True, capture_output=True, timeout=60)
    r = subprocess.run([HUBBUB, "admin", "seed", str(seed_file), *target],
                       capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        out = r.stdout + r.stderr
        if re.search(r"(unexpected argument|unknown (sub)?command|invalid (sub)?command).*admin|admin.*(not (yet )?(implemented|available))",
                     out, re.I | re.S):
            pytest.skip(f"`hubbub admin seed` is not available yet: {out.strip()[:300]}")
        raise RuntimeError(f"hubbub admin seed failed ({r.returncode}):\n{out}")


# Flags every hub test starts with unless it overrides them (keyword = flag without
# the leading dashes, `_` for `-`). Generous command rates so that tests sending
# bursts measure what they mean to measure.
HUB_DEFAULTS = {
    "commands-per-second": "1000",
    "commands-burst": "1000",
    "ephemeral-per-second": "1000",
    "ephemeral-burst": "1000",
}


TEST_STORE = os.environ.get("HUBBUB_TEST_STORE", "sqlite")


@pytest.fixture(scope="session")
def postgres_cluster():
    """One PostgreSQL cluster for the session when HUBBUB_TEST_STORE=postgres."""
    if TEST_STORE != "postgres":
        yield None
        return
    from pgcluster import PostgresCluster

    cluster = PostgresCluster()
    yield cluster
    cluster.destroy()


@pytest.fixture
def hubbub(hub_factory, tmp_path, postgres_cluster):
    """start(world=hubclient.WORLD, data_dir=None, seed=True, preexec_fn=None, **flags) -> HubServer.

    Flags are keywords: start(presence_grace="1s", io="epoll"). A flag set to None is left out."""
    from hubclient import SECRET, WORLD

    counter = iter(range(1000))
    databases = {}

    def start(world=None, data_dir=None, seed=True, preexec_fn=None, **flags):
        if data_dir is None:
            data_dir = tmp_path / f"data{next(counter)}"
        database_url = None
        if postgres_cluster is not None:
            # One database per data directory, so a restarted hub finds its data again.
            if str(data_dir) not in databases:
                databases[str(data_dir)] = postgres_cluster.new_database()
            database_url = databases[str(data_dir)]
        if seed:
            seed_data_dir(data_dir, WORLD if world is None else world, database_url)
        merged = dict(HUB_DEFAULTS)
        merged.update({k.replace("_", "-"): v for k, v in flags.items()})
        args = ["--data-dir", str(data_dir), "--jwt-secret", SECRET]
        if database_url:
            args += ["--database-url", database_url]
        for k, v in merged.items():
            if v is True:
                args.append(f"--{k}")
            elif v is not None and v is not False:
                args += [f"--{k}", str(v)]
        hub = hub_factory(*args, preexec_fn=preexec_fn)
        return HubServer(hub, pathlib.Path(data_dir), args, database_url, postgres_cluster)

    return start
