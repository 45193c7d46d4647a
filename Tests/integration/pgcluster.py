"""A throw-away PostgreSQL cluster for the end-to-end tests: initdb into a temporary
directory, `postgres` on a free loopback port, one fresh database per hub. Debian's
postgresql package provides the binaries; as root they run as the `postgres` user
(initdb refuses root)."""
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid


def _bindir():
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))
    if not candidates:
        raise RuntimeError("PostgreSQL binaries not found under /usr/lib/postgresql (apt-get install postgresql)")
    return candidates[-1]


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresCluster:
    def __init__(self):
        self.bin = _bindir()
        self.root = tempfile.mkdtemp(prefix="hubbub-pg-")
        os.chmod(self.root, 0o755)
        self.data = os.path.join(self.root, "data")
        self.port = _free_port()
        self.as_root = os.geteuid() == 0
        if self.as_root:
            shutil.chown(self.root, "postgres", "postgres")
        self._run([os.path.join(self.bin, "initdb"), "-D", self.data, "-A", "trust", "-U", "hubbub", "-E", "UTF8"],
                  quiet=True)
        self.proc = None
        self.start()

    def _cmd(self, argv):
        # setpriv execs the program itself (no intermediate process), so signals reach postgres.
        if not self.as_root:
            return argv
        return ["setpriv", "--reuid", "postgres", "--regid", "postgres", "--init-groups", "--"] + argv

    def _run(self, argv, quiet=False):
        r = subprocess.run(self._cmd(argv), capture_output=True, text=True, timeout=120)
        if r.returncode != 0:
            raise RuntimeError(f"{' '.join(argv)} failed:\n{r.stdout}{r.stderr}")
        return r.stdout

    def start(self):
        log = open(os.path.join(self.root, "postgres.log"), "a")
        self.proc = subprocess.Popen(
            self._cmd([os.path.join(self.bin, "postgres"), "-D", self.data, "-p", str(self.port), "-k", self.root,
                       "-c", "listen_addresses=127.0.0.1", "-c", "fsync=on", "-c", "max_connections=200"]),
            stdout=log, stderr=log)
        deadline = time.time() + 30
        while time.time() < deadline:
            r = subprocess.run([os.path.join(self.bin, "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port)],
                               capture_output=True)
            if r.returncode == 0:
                return
            time.sleep(0.1)
        raise RuntimeError("postgres did not start:\n" + open(os.path.join(self.root, "postgres.log")).read())

    def stop(self, immediate=False):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(3 if immediate else 2)  # SIGQUIT: immediate shutdown; SIGINT: fast shutdown
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def url(self, database):
        return f"postgres://hubbub@127.0.0.1:{self.port}/{database}"

    def new_database(self):
        name = "t_" + uuid.uuid4().hex[:16]
        self.psql("postgres", f"CREATE DATABASE {name}")
        return self.url(name)

    def psql(self, database, sql):
        """Runs `sql` and returns its rows as lists of strings (tab-separated output)."""
        r = subprocess.run([os.path.join(self.bin, "psql"), "-X", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1",
                            "-h", "127.0.0.1", "-p", str(self.port), "-U", "hubbub", "-d", database, "-c", sql],
                           capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            raise RuntimeError(f"psql failed: {r.stderr}")
        return [line.split("\t") for line in r.stdout.splitlines() if line]

    def destroy(self):
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)
