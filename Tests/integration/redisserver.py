"""A throw-away redis-server for the end-to-end tests: a free loopback port, a temporary
directory, no persistence (so a restart loses everything, as a crashed cache does).
Debian's redis-server package provides the binary."""
import os
import shutil
import socket
import subprocess
import tempfile
import time

from pgcluster import _free_port

BINARY = "/usr/bin/redis-server"


class RedisServer:
    def __init__(self):
        if not os.path.exists(BINARY):
            raise RuntimeError(f"{BINARY} not found (apt-get install redis-server)")
        self.root = tempfile.mkdtemp(prefix="hubbub-redis-")
        self.port = _free_port()
        self.proc = None
        self.start()

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout=20):
        self.proc = subprocess.Popen(
            [BINARY, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", self.root, "--logfile", os.path.join(self.root, "redis.log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("redis-server exited:\n" + self.log_tail())
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(64).startswith(b"+PONG"):
                        return
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError("redis-server did not answer:\n" + self.log_tail())

    def kill(self):
        """SIGKILL: connections drop, everything in memory is lost."""
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)

    def log_tail(self):
        try:
            with open(os.path.join(self.root, "redis.log")) as f:
                return f.read()[-2000:]
        except OSError:
            return ""

    def destroy(self):
        self.kill()
        shutil.rmtree(self.root, ignore_errors=True)
