"""Real processes for the delivery tests: a private Redis, an aiosmtpd server, Celery workers and sweeps."""

import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from email import message_from_bytes
from pathlib import Path

from aiosmtpd.controller import Controller

BASE_DIR = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, timeout: float, what: str, interval: float = 0.2):
    """Poll until `condition()` is true; every wait in these tests is bounded."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise AssertionError(f"Timed out after {timeout} s waiting for {what}")


class PrivateRedis:
    """A redis-server of our own (never the shared one), with append-only persistence so a restart keeps the queue."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = free_port()
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(  # noqa: S603
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "yes",
                "--appendfsync",
                "always",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
        )
        wait_for(self._answers, 10, "Redis to start")

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # a clean shutdown flushes the append-only file
            self.process.wait(timeout=10)


class RecordingHandler:
    """Records every accepted message; can answer DATA with 4xx, refuse a recipient with 550, or stall."""

    def __init__(self):
        self.lock = threading.Lock()
        self.messages = []
        self.rcpt_attempts = Counter()
        self.data_answers: list[str] = []
        self.bounce: set[str] = set()
        self.stall_seconds = 0.0
        self.in_data = threading.Event()
        self.peers: set = set()  # the client address of each connection that delivered a message
        self.drop_after_data = False  # close each connection just after accepting a message, as an idle timeout would
        self.dropped = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        self.rcpt_attempts[address] += 1
        if address in self.bounce:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.in_data.set()
        stall, self.stall_seconds = self.stall_seconds, 0.0
        if stall:
            await asyncio.sleep(stall)
        with self.lock:
            if self.data_answers:
                return self.data_answers.pop(0)
            self.messages.append(message_from_bytes(envelope.content))
            self.peers.add(session.peer)
        if self.drop_after_data:
            asyncio.get_running_loop().call_later(0.1, self._drop, server)
        return "250 Message accepted for delivery"

    def _drop(self, server):
        server.transport.close()
        self.dropped.set()

    def connections(self) -> int:
        """How many SMTP connections delivered the messages accepted so far."""
        with self.lock:
            return len(self.peers)

    def message_ids(self) -> Counter:
        with self.lock:
            return Counter(message["Message-ID"] for message in self.messages)


class SMTPServer:
    def __init__(self):
        self.handler = RecordingHandler()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=free_port())

    def start(self):
        self.controller.start()

    def stop(self):
        self.controller.stop()


class Processes:
    """Starts workers and sweeps as separate processes against the test database."""

    def __init__(self, folder: Path, database_url: str, redis: PrivateRedis, smtp: SMTPServer):
        self.folder = folder
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "golive.settings.local",
            "DEBUG": "false",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis.url,
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp.controller.port),
            "EMAIL_TIMEOUT": "10",
            "GOLIVE_VAR_DIR": str(folder),
            "CONN_MAX_AGE": "0",
            "REMINDER_SEND_FROM_HOUR": "0",
            # Short staleness, so the tests see the sweep pick up what a dead worker or broker left behind.
            "REMINDER_SENDING_STALE_SECONDS": "4",
            "REMINDER_REQUEUE_AFTER_SECONDS": "4",
            "REMINDER_RETRY_BASE_SECONDS": "1",
        }
        self.workers: list[subprocess.Popen] = []
        self.logs: list[Path] = []

    def start_worker(self) -> subprocess.Popen:
        log = self.folder / f"worker-{len(self.workers)}.log"
        worker = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "golive",
                "worker",
                "--concurrency=1",
                "--pool=prefork",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--hostname",
                f"test-{len(self.workers)}@%h",
            ],
            cwd=BASE_DIR,
            env=self.env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )
        self.workers.append(worker)
        self.logs.append(log)
        wait_for(lambda: "ready." in log.read_text(), 30, "the Celery worker to be ready")
        return worker

    def pool_child(self, worker: subprocess.Popen) -> int:
        children = Path(f"/proc/{worker.pid}/task/{worker.pid}/children").read_text().split()
        assert len(children) == 1, children
        return int(children[0])

    def stop_worker(self, worker: subprocess.Popen):
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait(timeout=5)

    def sweep(self, count: int = 1) -> list[str]:
        """Run `manage.py sweep_reminders` `count` times at once; returns what each printed."""
        sweeps = [
            subprocess.Popen(  # noqa: S603
                [sys.executable, "manage.py", "sweep_reminders"],
                cwd=BASE_DIR,
                env=self.env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(count)
        ]
        outputs = [sweep.communicate(timeout=60) for sweep in sweeps]
        assert all(sweep.returncode == 0 for sweep in sweeps), outputs
        return [stdout for stdout, _ in outputs]

    def stop_all(self):
        for worker in self.workers:
            self.stop_worker(worker)
