"""The broker doclane runs for itself: one KRaft node on loopback, state under data_dir."""

from __future__ import annotations

import base64
import logging
import subprocess
import time
import uuid
from pathlib import Path
from string import Template

from doclane.exceptions import BrokerError
from doclane.ops.broker import process, secure
from doclane.ops.broker.distribution import (
    KAFKA_VERSION,
    OPS_DIR,
    fetch_distribution,
    file_lock,
    find_java,
    is_fetched,
)
from doclane.ops.broker.probe import any_port_accepts, kafka_answers, port_accepts
from doclane.settings import Settings
from doclane.wire.security import check_kafka_access

log = logging.getLogger(__name__)

_HOST = "127.0.0.1"
_TEMPLATE = OPS_DIR / "server.properties.template"
_LOG4J = OPS_DIR / "log4j2.properties"
# Three JVMs share the machine with the pipeline: each node gets a small heap.
CLUSTER_NODE_HEAP = "384m"
_ROTATE_LOG_BYTES = 20 * 1024 * 1024
_LOG_TAIL_LINES = 30


class LocalBroker:
    """Fetch, format, start, probe and stop doclane's own single-node Kafka broker.

    Every method is idempotent and safe to call from several processes: the pid
    file and the configuration path identify the broker, so a broker started by an
    earlier process is found and reused instead of started twice.
    """

    def __init__(self, settings: Settings, node: int = 0) -> None:
        self.settings = settings
        self.node = node  # index into settings.broker_node_ports(); node.id is node + 1
        self.broker_port, self.controller_port = settings.broker_node_ports()[node]
        self.home = node_home(settings, node)
        self.config_path = self.home / "server.properties"
        self.log_dir = self.home / "data"
        self.log_path = self.home / "broker.log"
        self.pid_path = self.home / "broker.pid"
        # Every node of a cluster is formatted with the same id, kept beside the nodes.
        self.cluster_id_path = (
            self.home / "cluster.id"
            if settings.broker_nodes == 1
            else self.home.parent / "cluster.id"
        )
        # Which client listener the storage was formatted for (SCRAM users live in it).
        self.listener_path = self.home / "listener"
        self.tls = secure.BrokerTls.for_settings(settings) if settings.broker_secure else None

    @property
    def bootstrap(self) -> str:
        return f"{_HOST}:{self.broker_port}"

    def fetch(self) -> Path:
        """The broker's jar folder, fetched from Maven Central on first use."""
        return fetch_distribution(self.settings.cache_dir)

    def is_running(self) -> bool:
        """Our broker process is alive and answers Kafka metadata requests."""
        return self._pid() is not None and self._answers(timeout=2.0)

    def start(self, timeout: float = 90.0) -> str:
        """Start the broker unless it already runs; return its bootstrap address once ready.

        A node of a three-node cluster answers only once a majority of the quorum runs:
        `LocalCluster.start` launches every node first, then waits.
        """
        started = time.monotonic()
        pid, started_here = self.launch()
        self.wait_ready(pid, timeout, started_here=started_here)
        self._create_client_user()
        if started_here:
            log.info(
                "Kafka %s broker pid %d ready at %s in %.1f s",
                KAFKA_VERSION,
                pid,
                self.bootstrap,
                time.monotonic() - started,
            )
        return self.bootstrap

    def launch(self) -> tuple[int, bool]:
        """(pid, started here): our running broker process, or one spawned now (not yet ready)."""
        if self.tls is not None:
            secure.check_client_settings(self.settings)
        self.home.mkdir(parents=True, exist_ok=True)
        with file_lock(self.home / ".lock"):
            pid = self._pid()
            if pid is not None:
                log.info("reusing Kafka broker pid %d at %s", pid, self.bootstrap)
                return pid, False
            self._refuse_taken_ports()
            lib = self.fetch()
            java = find_java()
            self.write_config()
            self._format_storage(java, lib)
            pid = process.spawn_detached(self._command(java, lib), self._fresh_log())
            self.pid_path.write_text(f"{pid}\n")
            return pid, True

    def kill(self) -> int | None:
        """SIGKILL our broker process, as a crash would stop it; its pid, or None if none ran."""
        with file_lock(self.home / ".lock"):
            pid = self._pid()
            if pid is not None:
                process.kill_now(pid)
            self.pid_path.unlink(missing_ok=True)
            return pid

    def stop(self, timeout: float = 30.0) -> bool:
        """Stop our broker (SIGTERM: controlled shutdown; SIGKILL after `timeout`).

        Returns True when a broker was running and is now stopped.
        """
        self.home.mkdir(parents=True, exist_ok=True)
        with file_lock(self.home / ".lock"):
            pid = self._pid()
            if pid is not None:
                process.terminate(pid, timeout)
                log.info("stopped Kafka broker pid %d", pid)
            self.pid_path.unlink(missing_ok=True)
            return pid is not None

    def status(self) -> dict[str, object]:
        pid = self._pid()
        return {
            "running": pid is not None and self._answers(timeout=2.0),
            "listener": "SASL_SSL" if self.tls is not None else "PLAINTEXT",
            "pid": pid,
            "bootstrap": self.bootstrap,
            "version": KAFKA_VERSION,
            "fetched": is_fetched(self.settings.cache_dir),
            "cluster_id": self.cluster_id(),
            "log": str(self.log_path),
            "data_dir": str(self.home),
        }

    def cluster_id(self) -> str | None:
        """The id the storage was formatted with, or None before the first start."""
        meta = self.log_dir / "meta.properties"
        if meta.is_file():
            for line in meta.read_text().splitlines():
                key, _, value = line.partition("=")
                if key.strip() == "cluster.id":
                    return value.strip()
        if self.cluster_id_path.is_file():
            return self.cluster_id_path.read_text().strip() or None
        return None

    # Internals ------------------------------------------------------------

    def _pid(self) -> int | None:
        """Pid of the live broker started with our configuration, if any.

        The pid file is checked against the process's command line (pids get
        reused); without a usable pid file, /proc is searched for our config path.
        """
        try:
            pid = int(self.pid_path.read_text().strip())
        except (OSError, ValueError):
            pid = None
        if pid is not None and process.is_alive(pid):
            cmdline = process.command_line(pid)
            if cmdline is None or str(self.config_path) in cmdline:
                return pid
        found = process.find_by_command_line("kafka.Kafka", str(self.config_path))
        if found is not None:
            self.pid_path.write_text(f"{found}\n")
        return found

    def _refuse_taken_ports(self) -> None:
        ports = {
            "DOCLANE_BROKER_PORT": self.broker_port,
            "DOCLANE_CONTROLLER_PORT": self.controller_port,
        }
        for variable, port in ports.items():
            if port_accepts(_HOST, port):
                raise BrokerError(
                    f"port {port} on {_HOST} is taken by another program, not doclane's broker "
                    f"(data dir {self.home}). Set {variable} to a free port, stop that program, "
                    "or set KAFKA_BOOTSTRAP_SERVERS to use a broker you already run."
                )

    def write_config(self) -> None:
        """Render server.properties for this node from the template (and TLS, if secure)."""
        text = Template(_TEMPLATE.read_text()).substitute(
            node_id=self.node + 1,
            voters=quorum_voters(self.settings),
            broker_port=self.broker_port,
            controller_port=self.controller_port,
            partitions=self.settings.partitions,
            log_dir=self.log_dir,
            replicas=self.settings.topic_replication_factor,
            min_isr=self.settings.topic_min_insync_replicas or 1,
        )
        if self.tls is not None:
            self.tls.ensure()
            overrides = secure.listener_properties(self.tls, self.broker_port, self.controller_port)
            text = secure.apply_properties(text, overrides)
        self.config_path.touch(mode=0o600)  # holds the keystore and broker passwords when secure
        self.config_path.write_text(text)

    def _listener(self) -> str:
        return "SASL_SSL" if self.tls is not None else "PLAINTEXT"

    def _format_storage(self, java: str, lib: Path) -> None:
        if (self.log_dir / "meta.properties").is_file():
            formatted_for = (
                self.listener_path.read_text().strip()
                if self.listener_path.is_file()
                else "PLAINTEXT"
            )
            if formatted_for != self._listener():
                raise BrokerError(
                    f"the broker storage in {self.log_dir} was formatted for a {formatted_for} "
                    f"listener, and DOCLANE_BROKER_SECURE asks for {self._listener()}: stop the "
                    "broker and remove that folder, or use another DOCLANE_DATA_DIR"
                )
            return
        cluster_id = self.cluster_id() or _random_cluster_id()
        self.cluster_id_path.write_text(f"{cluster_id}\n")
        argv = [java, "-cp", f"{lib}/*", "kafka.tools.StorageTool", "format"]
        argv += ["--cluster-id", cluster_id, "--config", str(self.config_path)]
        if self.tls is not None:
            argv += secure.format_scram_arguments(self.tls)
        done = subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False)
        if done.returncode != 0:
            raise BrokerError(
                f"formatting Kafka storage in {self.log_dir} failed (exit {done.returncode}):\n"
                f"{_tail(done.stdout + done.stderr)}"
            )
        self.listener_path.write_text(f"{self._listener()}\n")

    def _command(self, java: str, lib: Path) -> list[str]:
        heap = self.settings.broker_heap if self.settings.broker_nodes == 1 else CLUSTER_NODE_HEAP
        return [
            java,
            f"-Xmx{heap}",
            "-XX:+UseG1GC",
            "-XX:MaxGCPauseMillis=20",
            "-XX:+ExitOnOutOfMemoryError",
            "-Djava.awt.headless=true",
            f"-Dlog4j2.configurationFile={_LOG4J}",
            "-cp",
            f"{lib}/*",
            "kafka.Kafka",
            str(self.config_path),
        ]

    def _fresh_log(self) -> Path:
        """The broker log, rotated once (to broker.log.1) when it has grown large."""
        if self.log_path.is_file() and self.log_path.stat().st_size > _ROTATE_LOG_BYTES:
            self.log_path.replace(self.log_path.with_name(self.log_path.name + ".1"))
        return self.log_path

    def wait_ready(self, pid: int, timeout: float, *, started_here: bool) -> None:
        deadline = time.monotonic() + timeout
        while not self._answers(timeout=1.0):
            if not process.is_alive(pid):
                self.pid_path.unlink(missing_ok=True)
                raise BrokerError(
                    f"the Kafka broker (pid {pid}) exited before it was ready; "
                    f"last lines of {self.log_path}:\n{self._log_tail()}"
                )
            if time.monotonic() >= deadline:
                if started_here:
                    process.terminate(pid, 10.0)
                    self.pid_path.unlink(missing_ok=True)
                raise BrokerError(
                    f"the Kafka broker (pid {pid}) did not answer on {self.bootstrap} within "
                    f"{timeout:.0f} s{'; stopped it' if started_here else ''}. "
                    f"Last lines of {self.log_path}:\n{self._log_tail()}"
                )
            time.sleep(0.2)

    def _answers(self, timeout: float) -> bool:
        security = secure.broker_client_security(self.tls) if self.tls is not None else None
        return kafka_answers(self.bootstrap, timeout=timeout, security=security)

    def _create_client_user(self) -> None:
        if self.tls is not None:
            secure.upsert_client_user(self.bootstrap, self.tls, self.settings)

    def _log_tail(self) -> str:
        try:
            return _tail(self.log_path.read_text(errors="replace"))
        except OSError:
            return "(no log written)"


def ensure_broker(settings: Settings) -> str:
    """The bootstrap address of a broker that answers: the configured one, or our own.

    Either way the configured credentials are tried once, so a wrong password or an
    untrusted certificate stops the caller here with KafkaAuthenticationError/KafkaTlsError.
    """
    if settings.kafka_bootstrap_servers:
        if not any_port_accepts(settings.kafka_bootstrap_servers, timeout=1.0):
            raise BrokerError(
                f"no Kafka broker answers at KAFKA_BOOTSTRAP_SERVERS="
                f"{settings.kafka_bootstrap_servers}; start it, or unset the variable "
                "to let doclane run its own broker"
            )
        check_kafka_access(settings)
        return settings.kafka_bootstrap_servers
    bootstrap = own_broker(settings).start()
    check_kafka_access(settings)
    return bootstrap


def own_broker(settings: Settings) -> LocalBroker | LocalCluster:
    """The broker doclane runs for these settings: one node, or DOCLANE_BROKER_NODES of them."""
    return LocalBroker(settings) if settings.broker_nodes == 1 else LocalCluster(settings)


def node_home(settings: Settings, node: int) -> Path:
    """Where a node keeps its configuration, log and storage."""
    if settings.broker_nodes == 1:
        return settings.data_dir / "kafka"
    return settings.data_dir / f"kafka-{settings.broker_nodes}-nodes" / f"node-{node + 1}"


def quorum_voters(settings: Settings) -> str:
    """controller.quorum.voters: every node votes (node.id is its index + 1)."""
    return ",".join(
        f"{node + 1}@{_HOST}:{controller}"
        for node, (_, controller) in enumerate(settings.broker_node_ports())
    )


class LocalCluster:
    """DOCLANE_BROKER_NODES KRaft nodes on loopback, each broker and controller, one quorum.

    The same operations as LocalBroker, over every node; `nodes[i]` manages node i alone
    (the broker-node-kill chaos scenario kills and restarts one that way).
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.nodes = [LocalBroker(settings, node) for node in range(settings.broker_nodes)]
        self.home = self.nodes[0].home.parent

    @property
    def bootstrap(self) -> str:
        return ",".join(node.bootstrap for node in self.nodes)

    def fetch(self) -> Path:
        return self.nodes[0].fetch()

    def is_running(self) -> bool:
        return all(node.is_running() for node in self.nodes)

    def start(self, timeout: float = 90.0) -> str:
        """Launch every node that is down, then wait until each answers (the quorum needs a
        majority running before any node serves clients)."""
        self.home.mkdir(parents=True, exist_ok=True)
        with file_lock(self.home / ".lock"):
            cluster_id = self.nodes[0].cluster_id_path
            if not cluster_id.is_file():
                cluster_id.write_text(f"{_random_cluster_id()}\n")
        started = time.monotonic()
        launched = [node.launch() for node in self.nodes]
        for node, (pid, started_here) in zip(self.nodes, launched, strict=True):
            left = max(5.0, timeout - (time.monotonic() - started))
            node.wait_ready(pid, left, started_here=started_here)
        log.info(
            "Kafka %s cluster of %d nodes ready at %s in %.1f s",
            KAFKA_VERSION,
            len(self.nodes),
            self.bootstrap,
            time.monotonic() - started,
        )
        return self.bootstrap

    def stop(self, timeout: float = 30.0) -> bool:
        """Stop every node; True when at least one was running."""
        stopped = [node.stop(timeout) for node in self.nodes]
        return any(stopped)

    def status(self) -> dict[str, object]:
        nodes = [node.status() for node in self.nodes]
        return {
            "running": all(node["running"] for node in nodes),
            "nodes": len(nodes),
            "nodes_up": sum(1 for node in nodes if node["running"]),
            "pids": " ".join(str(node["pid"] or "-") for node in nodes),
            "bootstrap": self.bootstrap,
            "replication": f"{self.settings.topic_replication_factor} replicas, "
            f"min.insync.replicas {self.settings.topic_min_insync_replicas or 1}",
            "version": KAFKA_VERSION,
            "fetched": is_fetched(self.settings.cache_dir),
            "cluster_id": self.nodes[0].cluster_id(),
            "data_dir": str(self.home),
        }


def _random_cluster_id() -> str:
    """A cluster id as `kafka-storage random-uuid` makes one, without starting a JVM."""
    while True:
        text = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        if not text.startswith("-"):  # Kafka rejects ids that would read as an option
            return text


def _tail(text: str) -> str:
    return "\n".join(text.rstrip().splitlines()[-_LOG_TAIL_LINES:])
