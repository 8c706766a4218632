"""Throwaway servers for the fault tests: a Redis on its own port, a Celery worker process,
an SMTP sink that can stall mid-delivery, and a PostgreSQL cluster of our own.

Each is started in its own process group and stopped by that group only, so a test never
touches the machine's shared PostgreSQL (5432) or Redis (6379).
"""

import contextlib
import email
import os
import pwd
import shutil
import signal
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VENV_BIN = Path(sys.executable).parent
PG_BIN = Path("/usr/lib/postgresql/15/bin")
WORKER_APP_NAME = "faults-worker"


def free_port(start: int) -> int:
    """The first port from ``start`` nothing listens on."""
    for port in range(start, start + 200):
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError(f"no free port from {start}")


def wait_for(predicate, *, timeout: float, interval: float = 0.05, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise TimeoutError(f"timed out after {timeout} s waiting for {what}")


def _kill_group(process: subprocess.Popen, sig=signal.SIGKILL) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10)


class RedisServer:
    """A redis-server of our own (no persistence), which a test may stop and start."""

    def __init__(self, port: int):
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                *("redis-server", "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--daemonize", "no"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_for(self.is_up, timeout=10, what="redis-server")

    def is_up(self) -> bool:
        with socket.socket() as sock:
            return sock.connect_ex(("127.0.0.1", self.port)) == 0

    def stop(self) -> None:
        if self.process is not None:
            _kill_group(self.process, signal.SIGTERM)
            _kill_group(self.process)
            self.process = None
        wait_for(lambda: not self.is_up(), timeout=10, what="redis-server to stop")


class SmtpSink:
    """A minimal SMTP server that keeps every message it accepted (answered 250 to).

    ``arm("data")`` makes it stall the next message after its data arrived but before it is
    accepted (a crash there loses nothing: the message was never accepted); ``arm("quit")``
    stalls after accepting it, before answering QUIT (the message is out; a crash there must
    not make the app send it again). ``stalled`` is set when the stall begins, ``release()``
    ends it by closing the connection without an answer.
    """

    def __init__(self, port: int):
        self.port = port
        self.messages: list[email.message.Message] = []
        self.stalled = threading.Event()
        self._release = threading.Event()
        self._armed: str | None = None
        self._lock = threading.Lock()
        sink = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self):
                sink._converse(self)

        class Server(socketserver.ThreadingTCPServer):
            allow_reuse_address = True
            daemon_threads = True

        self.server = Server(("127.0.0.1", port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self._release.set()
        self.server.shutdown()
        self.server.server_close()

    def arm(self, point: str) -> None:
        assert point in {"data", "quit"}
        self.stalled.clear()
        self._release.clear()
        self._armed = point

    def release(self) -> None:
        self._release.set()

    def _take_stall(self, point: str) -> bool:
        with self._lock:
            if self._armed == point:
                self._armed = None
                return True
        return False

    def _stall(self) -> None:
        self.stalled.set()
        self._release.wait(timeout=60)

    def message_ids(self) -> list[str]:
        with self._lock:
            return [str(message["Message-ID"]) for message in self.messages]

    def _converse(self, handler) -> None:
        def reply(line: str) -> None:
            handler.wfile.write(line.encode() + b"\r\n")
            handler.wfile.flush()

        reply("220 sink ready")
        while True:
            line = handler.rfile.readline()
            if not line:
                return
            verb = line.decode(errors="replace").strip().split(" ")[0].upper()
            if verb == "EHLO":
                handler.wfile.write(b"250-sink\r\n250 8BITMIME\r\n")
                handler.wfile.flush()
            elif verb in {"HELO", "MAIL", "RCPT", "RSET", "NOOP"}:
                reply("250 ok")
            elif verb == "DATA":
                reply("354 go on")
                data = []
                while True:
                    chunk = handler.rfile.readline()
                    if not chunk:
                        return
                    if chunk in (b".\r\n", b".\n"):
                        break
                    data.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                if self._take_stall("data"):
                    self._stall()
                    return  # never accepted
                with self._lock:
                    self.messages.append(email.message_from_bytes(b"".join(data)))
                reply("250 accepted")
            elif verb == "QUIT":
                if self._take_stall("quit"):
                    self._stall()
                    return
                reply("221 bye")
                return
            else:
                reply("502 not implemented")


class CeleryWorker:
    """A real ``celery worker`` process (solo pool) on the reliability settings."""

    def __init__(self, *, env: dict[str, str], log_dir: Path):
        self.env = env
        self.log_dir = log_dir
        self.process: subprocess.Popen | None = None
        self.starts = 0

    def start(self) -> None:
        self.starts += 1
        self.log_path = self.log_dir / f"worker-{self.starts}.log"
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [
                *(str(VENV_BIN / "celery"), "-A", "mvptracker", "worker", "--pool", "solo"),
                *("--loglevel", "info", "--without-mingle", "--without-gossip"),
                *("--without-heartbeat", "--hostname", f"faults{self.starts}@localhost"),
            ],
            cwd=BASE_DIR,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        wait_for(self._ready, timeout=60, interval=0.1, what="the celery worker")

    def _ready(self) -> bool:
        if self.process.poll() is not None:
            raise RuntimeError(f"worker exited: {self.log_path.read_text()[-3000:]}")
        return b" ready." in self.log_path.read_bytes()

    def kill(self) -> None:
        """SIGKILL to the worker's whole process group: no clean-up runs."""
        if self.process is not None:
            _kill_group(self.process)
            self.process = None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


class PostgresCluster:
    """A PostgreSQL 15 cluster of our own in a temporary folder, run as the postgres user."""

    def __init__(self, port: int):
        self.port = port
        self.dir = Path(tempfile.mkdtemp(prefix="mvptracker-pg-"))
        shutil.chown(self.dir, "postgres", "postgres")
        self.data = self.dir / "data"
        self.log = self.dir / "server.log"

    @staticmethod
    def available() -> bool:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return False
        return (PG_BIN / "initdb").exists() and os.geteuid() == 0

    def _as_postgres(self, *args: str) -> None:
        subprocess.run(
            ["su", "postgres", "-c", " ".join(args)],
            check=True,
            capture_output=True,
            timeout=120,
        )

    def init(self) -> None:
        self._as_postgres(
            str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres"
        )

    def start(self) -> None:
        self._as_postgres(
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-w",
            "-o",
            f"'-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off'",
            "start",
        )

    def stop(self) -> None:
        self._as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def is_running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def destroy(self) -> None:
        if self.is_running():
            with contextlib.suppress(subprocess.SubprocessError):
                self._as_postgres(
                    str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"
                )
        shutil.rmtree(self.dir, ignore_errors=True)
