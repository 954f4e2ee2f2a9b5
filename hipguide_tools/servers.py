"""Start and stop HipGuide's two servers (actions, Rasa) as child processes.

Used by ``make run`` and by the end-to-end tests, so both exercise the same start-up.
The HTTP API is off unless ``HIPGUIDE_ENABLE_API=1`` and then requires
``HIPGUIDE_API_TOKEN``; both servers bind to 127.0.0.1 unless ``HIPGUIDE_HOST`` says otherwise.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Dict, List

from hipguide.paths import PROJECT_ROOT

SERVER_NAMES = ("actions", "rasa")  # the order of Servers.processes


def rasa_executable() -> str:
    """The ``rasa`` command of the running virtual environment."""
    return str(Path(sys.executable).with_name("rasa"))


def project_environment(project_dir: Path = PROJECT_ROOT, extra: Dict[str, str] | None = None) -> Dict[str, str]:
    """The environment of a Rasa or HipGuide child process: os.environ plus ``extra``, the
    project's code first on PYTHONPATH, and Rasa telemetry, TensorFlow's and SQLAlchemy's
    chatter off unless they are set."""
    env = {**os.environ, **(extra or {})}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(project_dir), env.get("PYTHONPATH")]))
    env.setdefault("RASA_TELEMETRY_ENABLED", "false")
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    return env


def rest_conversation(sender: str) -> str:
    """The stored conversation id (Rasa's ``sender_id``) of a REST ``sender``."""
    from hipguide_rasa.channels.common import conversation_id

    return conversation_id("rest", sender)


class StartupError(RuntimeError):
    """A server did not become ready; the message carries the tail of its log."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.3)
        return sock.connect_ex((host, port)) == 0


HIPGUIDE_TRACKER_STORE = "hipguide_rasa.tracker_store.EnvironmentSQLTrackerStore"
# Locks that hand a conversation on at once, not after Rasa's one-second look.
PROMPT_LOCK_STORES = {"in_memory": "hipguide_rasa.lock_store.PromptInMemoryLockStore",
                      "redis": "hipguide_rasa.lock_store.PromptRedisLockStore"}


def write_endpoints(path: Path, action_port: int, tracker_store: str | None = HIPGUIDE_TRACKER_STORE,
                    lock_store_url: str | None = None, prompt_locks: bool = True) -> Path:
    """An endpoints file pointing at the action server on ``action_port``; with
    ``lock_store_url`` (``redis://host:port/db``, from ``LOCK_STORE_URL``) conversations are
    locked in Redis, so several Rasa servers can share one tracker store. ``prompt_locks``
    False keeps Rasa's own lock stores (the plain bot `make bench` compares with)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = f"action_endpoint:\n  url: http://127.0.0.1:{action_port}/webhook\n"
    if tracker_store:
        text += f"tracker_store:\n  type: {tracker_store}\n"
    if lock_store_url:
        redis = urllib.parse.urlsplit(lock_store_url)
        if redis.scheme != "redis" or not redis.hostname:
            raise StartupError(f"LOCK_STORE_URL must look like redis://host:6379/0, not {lock_store_url!r}")
        kind = PROMPT_LOCK_STORES["redis"] if prompt_locks else "redis"
        text += (f"lock_store:\n  type: {kind}\n  url: {redis.hostname}\n"
                 f"  port: {redis.port or 6379}\n  db: {int(redis.path.strip('/') or 0)}\n  key_prefix: hipguide\n")
    elif prompt_locks:
        text += f"lock_store:\n  type: {PROMPT_LOCK_STORES['in_memory']}\n"
    path.write_text(text)
    return path


def _get(url: str, timeout: float = 2.0) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return int(response.status)
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


@dataclass
class Servers:
    """The action server and the Rasa server for one model."""

    model: Path
    rasa_port: int = 5005
    action_port: int = 5055
    run_dir: Path = PROJECT_ROOT / "var" / "run"
    env: Dict[str, str] = field(default_factory=dict)
    project_dir: Path = PROJECT_ROOT  # another Rasa project (the benchmark's baseline) works too
    credentials: Path | None = None  # default: <project_dir>/credentials.yml
    tracker_store: str | None = HIPGUIDE_TRACKER_STORE  # None: Rasa's in-memory store
    prompt_locks: bool = True  # False: Rasa's own lock stores (the benchmark's plain bot)
    processes: List[subprocess.Popen] = field(default_factory=list)
    logs: List[IO[bytes]] = field(default_factory=list)

    @property
    def rest_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}/webhooks/rest/webhook"

    def _environment(self) -> Dict[str, str]:
        env = project_environment(self.project_dir, self.env)
        # rasa_sdk binds the action server to SANIC_HOST, 0.0.0.0 unless told: keep it on loopback.
        env.setdefault("SANIC_HOST", env.get("HIPGUIDE_ACTION_HOST", "127.0.0.1"))
        return env

    def _spawn(self, name: str, args: List[str], append: bool = False) -> subprocess.Popen:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        log = (self.run_dir / f"{name}.log").open("ab" if append else "wb")
        self.logs.append(log)
        process = subprocess.Popen(
            args, cwd=self.project_dir, env=self._environment(), stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True,
        )
        self.processes.append(process)
        return process

    def action_args(self) -> List[str]:
        return [rasa_executable(), "run", "actions", "--actions", "actions", "--port", str(self.action_port)]

    def health_url(self, name: str) -> str:
        """The URL that answers 200 once the server ``name`` is ready."""
        if name == "actions":
            return f"http://127.0.0.1:{self.action_port}/health"
        return f"http://127.0.0.1:{self.rasa_port}/webhooks/rest/"

    def stop_one(self, name: str) -> None:
        """Stop only the action server ("actions") or the Rasa server ("rasa")."""
        process = self.processes[SERVER_NAMES.index(name)]
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)

    def start_one(self, name: str, timeout: float = 240.0) -> None:
        """Start one server again after ``stop_one``; returns when it answers."""
        args = self.action_args() if name == "actions" else self.rasa_args(self.run_dir / "endpoints.yml")
        process = self._spawn(name, args, append=True)
        self.processes.pop()  # _spawn appended it; put it back in its place
        self.processes[SERVER_NAMES.index(name)] = process
        deadline = time.monotonic() + timeout
        while _get(self.health_url(name)) != 200:
            if process.poll() is not None or time.monotonic() > deadline:
                raise StartupError(f"{name} server did not come back:\n{self.log_tail(name)}")
            time.sleep(0.5)

    def rasa_args(self, endpoints: Path) -> List[str]:
        host = self.env.get("HIPGUIDE_HOST", os.environ.get("HIPGUIDE_HOST", "127.0.0.1"))
        args = [rasa_executable(), "run", "--model", str(self.model), "--endpoints", str(endpoints),
                "--credentials", str(self.credentials or self.project_dir / "credentials.yml"),
                "--port", str(self.rasa_port), "--interface", host]
        environment = self._environment()
        if environment.get("HIPGUIDE_ENABLE_API") == "1":
            token = environment.get("HIPGUIDE_API_TOKEN")
            if not token:
                raise StartupError("HIPGUIDE_ENABLE_API=1 needs HIPGUIDE_API_TOKEN (the API is never open)")
            # one argument, so a token that starts with "-" (token_urlsafe makes one in 64) is
            # not read as an option
            args += ["--enable-api", f"--auth-token={token}"]
        return args

    def start(self, timeout: float = 240.0, wait: bool = True) -> Servers:
        for port in (self.rasa_port, self.action_port):
            if port_in_use(port):
                raise StartupError(f"port {port} is already in use; set RASA_PORT / ACTION_PORT")
        endpoints = write_endpoints(self.run_dir / "endpoints.yml", self.action_port, self.tracker_store,
                                    self._environment().get("LOCK_STORE_URL"),
                                    prompt_locks=self.prompt_locks)
        self._spawn("actions", self.action_args())
        self._spawn("rasa", self.rasa_args(endpoints))
        if wait:
            self.wait_ready(timeout)
        return self

    def start_actions(self, timeout: float = 120.0) -> Servers:
        """Only the action server (for `rasa interactive`, which runs its own Rasa server)."""
        if port_in_use(self.action_port):
            raise StartupError(f"port {self.action_port} is already in use; set ACTION_PORT")
        process = self._spawn("actions", self.action_args())
        deadline = time.monotonic() + timeout
        while _get(self.health_url("actions")) != 200:
            if process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise StartupError(f"the action server did not start:\n{self.log_tail('actions')}")
            time.sleep(0.5)
        return self

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        pending = {name: self.health_url(name) for name in SERVER_NAMES}
        while pending and time.monotonic() < deadline:
            for name, url in list(pending.items()):
                if _get(url) == 200:
                    pending.pop(name)
            for process, name in zip(self.processes, SERVER_NAMES, strict=True):
                if process.poll() is not None:
                    raise StartupError(f"{name} server exited early:\n{self.log_tail(name)}")
            time.sleep(0.5)
        if pending:
            self.stop()
            names = ", ".join(pending)
            raise StartupError(f"not ready after {timeout:.0f} s: {names}\n"
                               + "\n".join(self.log_tail(n) for n in pending))

    def log_tail(self, name: str, lines: int = 40) -> str:
        path = self.run_dir / f"{name}.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def send(self, sender: str, message: str, timeout: float = 60.0) -> List[dict]:
        """One user message through the REST channel; returns the bot's replies."""
        from hipguide_tools.load import send

        return send(self.rest_url, sender, message, timeout)

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        for log in self.logs:
            log.close()
        self.processes.clear()
        self.logs.clear()
