"""Starts, watches and stops the pipeline's processes: the sink and N Faust workers.

Children run in their own sessions so a Ctrl-C reaches only the supervisor,
which then stops them in order: workers first (they finish in-flight records
and commit), the sink last (it flushes its batch).
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from doclane.exceptions import DoclaneError
from doclane.settings import Settings

log = logging.getLogger("doclane.ops.supervisor")


class PipelineError(DoclaneError):
    reason_code = "pipeline_failed"


@dataclass
class Child:
    name: str
    argv: list[str]
    health_port: int
    log_path: Path
    process: subprocess.Popen[bytes] | None = None
    restarts: int = 0

    def start(self, env: dict[str, str]) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log_file:
            self.process = subprocess.Popen(
                self.argv,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,
            )

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def ready(self) -> bool:
        url = f"http://127.0.0.1:{self.health_port}/health/ready"
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                return response.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def health(self) -> dict[str, Any] | None:
        """The child's /health document, or None when it does not answer."""
        url = f"http://127.0.0.1:{self.health_port}/health"
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return dict(json.loads(response.read()))
        except urllib.error.HTTPError as exc:  # 503 while not ready still carries the document
            try:
                return dict(json.loads(exc.read()))
            except ValueError:
                return None
        except (urllib.error.URLError, OSError, ValueError):
            return None

    def signal(self, signum: int) -> None:
        if self.alive and self.process is not None:
            self.process.send_signal(signum)

    def wait(self, timeout: float) -> bool:
        if self.process is None:
            return True
        try:
            self.process.wait(timeout=max(0.1, timeout))
        except subprocess.TimeoutExpired:
            return False
        return True


@dataclass
class Supervisor:
    settings: Settings
    children: list[Child] = field(default_factory=list)
    api: bool = False  # also run the HTTP API (`doclane run` does; tests and benches choose)

    def __post_init__(self) -> None:
        logs = self.settings.data_dir / "logs"
        python = sys.executable
        self.sink = Child(
            "sink",
            [python, "-m", "doclane.connectors.clickhouse.sink"],
            self.settings.sink_port,
            logs / "sink.log",
        )
        self.workers = [
            Child(
                f"worker-{i}",
                [python, "-m", "doclane.streaming.worker", "--index", str(i)],
                self.settings.web_port + i,
                logs / f"worker-{i}.log",
            )
            for i in range(self.settings.workers)
        ]
        self.api_server = (
            Child(
                "api",
                [python, "-m", "doclane.api"],
                self.settings.api_port,
                logs / "api.log",
            )
            if self.api
            else None
        )
        self.children = [self.sink, *self.workers]
        if self.api_server is not None:
            self.children.append(self.api_server)

    def _env(self) -> dict[str, str]:
        # Children must see exactly the parent's settings, including ones built in
        # code; unset optional variables are removed so the environment cannot
        # contradict them. The broker address is pinned: children never start one.
        env = {
            name: value
            for name, value in os.environ.items()
            if name
            not in (
                "KAFKA_BOOTSTRAP_SERVERS",
                "SCHEMA_REGISTRY_URL",
                "CLICKHOUSE_URL",
                "CLICKHOUSE_DSN",
                "DOCLANE_VENDOR_MASTER",
                "DOCLANE_BLOB_STORE",
                "DOCLANE_S3_ENDPOINT_URL",
                "DOCLANE_FX_RATES",
                "DOCLANE_API_KEYS",
            )
        }
        env.update(self.settings.to_env())
        env["KAFKA_BOOTSTRAP_SERVERS"] = self.settings.bootstrap_servers
        return env

    def start(self, timeout: float = 120.0, children: list[Child] | None = None) -> None:
        """Start `children` (default: the sink and every worker) and wait until each is ready."""
        env = self._env()
        starting = list(self.children if children is None else children)
        for child in starting:
            child.start(env)
        deadline = time.monotonic() + timeout
        pending = list(starting)
        while pending:
            for child in list(pending):
                if not child.alive:
                    raise PipelineError(
                        f"{child.name} exited during start-up; see {child.log_path}"
                    )
                if child.ready():
                    pending.remove(child)
            if time.monotonic() > deadline:
                names = ", ".join(c.name for c in pending)
                raise PipelineError(
                    f"{names} not ready after {timeout:.0f}s; see {self.settings.data_dir / 'logs'}"
                )
            time.sleep(0.3)

    def restart_dead(self) -> list[str]:
        """Restart any child that died; returns their names."""
        restarted = []
        for child in self.children:
            if child.process is not None and not child.alive:
                log.warning("%s exited with %s; restarting", child.name, child.process.returncode)
                child.restarts += 1
                child.start(self._env())
                restarted.append(child.name)
        return restarted

    def stop(self, timeout: float = 30.0) -> None:
        # The API first (no new uploads), then the workers, the sink last.
        front = [self.api_server] if self.api_server is not None else []
        for group in (front, self.workers, [self.sink]):
            for child in group:
                child.signal(signal.SIGTERM)
            deadline = time.monotonic() + timeout
            for child in group:
                if not child.wait(deadline - time.monotonic()):
                    log.warning("%s did not stop in %.0fs; killing it", child.name, timeout)
                    child.signal(signal.SIGKILL)
                    child.wait(5)
