"""doclane's own Kafka broker: start, reuse, stop, restart, and the ways it refuses.

Each module run gets its own data dir and free ports, so it never meets a broker
a developer runs on the default ports. The jar cache is the repository's, so the
broker is fetched once per machine.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from confluent_kafka import Consumer, Producer
from confluent_kafka.admin import AdminClient, NewTopic

from doclane.exceptions import BrokerError
from doclane.ops.broker import KAFKA_VERSION, LocalBroker, ensure_broker
from doclane.settings import Settings

pytestmark = pytest.mark.broker


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _settings(data_dir: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "broker_port": _free_port(),
        "controller_port": _free_port(),
        "data_dir": data_dir,
        "cache_dir": Settings.from_env().cache_dir,  # shared: jars are fetched once
        **overrides,
    }
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return _settings(tmp_path_factory.mktemp("broker"))


@pytest.fixture(scope="module")
def broker(settings: Settings) -> Iterator[LocalBroker]:
    local = LocalBroker(settings)
    local.start()
    yield local
    local.stop()


def _create_topic(bootstrap: str) -> str:
    topic = f"test-broker-{uuid.uuid4()}"
    admin = AdminClient({"bootstrap.servers": bootstrap})
    admin.create_topics([NewTopic(topic, num_partitions=1, replication_factor=1)])[topic].result(
        timeout=30
    )
    return topic


def _topics(bootstrap: str) -> set[str]:
    return set(AdminClient({"bootstrap.servers": bootstrap}).list_topics(timeout=10).topics)


def test_start_returns_a_bootstrap_that_carries_records(broker: LocalBroker) -> None:
    bootstrap = broker.start()
    assert bootstrap == f"127.0.0.1:{broker.settings.broker_port}"
    topic = _create_topic(bootstrap)
    value = b"x" * (2 * 1024 * 1024)  # larger than Kafka's 1 MiB default record limit

    producer = Producer({"bootstrap.servers": bootstrap, "message.max.bytes": 4 * 1024 * 1024})
    producer.produce(topic, key=b"doc-1", value=value)
    assert producer.flush(30) == 0

    consumer = Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": f"test-{uuid.uuid4()}",
            "auto.offset.reset": "earliest",
            "fetch.message.max.bytes": 4 * 1024 * 1024,
        }
    )
    try:
        consumer.subscribe([topic])
        deadline = time.monotonic() + 30
        message = None
        while message is None and time.monotonic() < deadline:
            polled = consumer.poll(1.0)
            if polled is not None and polled.error() is None:
                message = polled
    finally:
        consumer.close()
    assert message is not None
    assert (message.key(), message.value()) == (b"doc-1", value)


def test_second_start_reuses_the_running_broker(broker: LocalBroker, settings: Settings) -> None:
    pid = broker.status()["pid"]
    other_process_view = LocalBroker(settings)  # as a second doclane process would see it

    started = time.monotonic()
    assert other_process_view.start() == broker.bootstrap
    assert time.monotonic() - started < 5
    assert other_process_view.status()["pid"] == pid
    assert other_process_view.is_running()


def test_a_lost_pid_file_does_not_start_a_second_broker(broker: LocalBroker) -> None:
    pid = broker.status()["pid"]
    broker.pid_path.unlink()

    broker.start()

    assert broker.status()["pid"] == pid
    assert broker.pid_path.read_text().strip() == str(pid)


def test_status_reports_the_running_broker(broker: LocalBroker, settings: Settings) -> None:
    status = broker.status()
    assert status["running"] is True
    assert status["version"] == KAFKA_VERSION == "4.1.1"
    assert status["bootstrap"] == broker.bootstrap
    assert status["data_dir"] == str(settings.data_dir / "kafka")
    assert Path(str(status["log"])).is_file()


def test_command_line_status_exit_codes(broker: LocalBroker, settings: Settings) -> None:
    env = {
        **os.environ,
        "DOCLANE_DATA_DIR": str(settings.data_dir),
        "DOCLANE_CACHE_DIR": str(settings.cache_dir),
        "DOCLANE_BROKER_PORT": str(settings.broker_port),
        "DOCLANE_CONTROLLER_PORT": str(settings.controller_port),
    }
    env.pop("KAFKA_BOOTSTRAP_SERVERS", None)
    command = [sys.executable, "-m", "doclane.ops.broker", "status"]

    running = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert running.returncode == 0, running.stderr
    assert broker.bootstrap in running.stdout

    env["DOCLANE_DATA_DIR"] = str(settings.data_dir / "elsewhere")
    env["DOCLANE_BROKER_PORT"] = str(_free_port())
    stopped = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert stopped.returncode == 3


def test_stop_is_clean_and_restart_keeps_storage(broker: LocalBroker) -> None:
    topic = _create_topic(broker.start())
    cluster_id = broker.cluster_id()

    started = time.monotonic()
    assert broker.stop() is True
    assert time.monotonic() - started < 20  # a controlled shutdown, not the SIGKILL fallback
    assert not _port_open(broker.settings.broker_port)
    assert not broker.is_running()
    assert not broker.pid_path.exists()
    assert (broker.log_dir / ".kafka_cleanshutdown").is_file()
    assert broker.stop() is False

    broker.start()

    assert broker.cluster_id() == cluster_id
    assert topic in _topics(broker.bootstrap)


def test_port_taken_by_a_foreign_listener_is_refused(tmp_path: Path) -> None:
    with socket.socket() as foreign:
        foreign.bind(("127.0.0.1", 0))
        foreign.listen()
        port = foreign.getsockname()[1]
        settings = _settings(tmp_path, broker_port=port)

        with pytest.raises(BrokerError) as caught:
            LocalBroker(settings).start(timeout=10)

    assert caught.value.reason_code == "broker_unavailable"
    assert str(port) in str(caught.value)
    assert "DOCLANE_BROKER_PORT" in str(caught.value)
    assert "KAFKA_BOOTSTRAP_SERVERS" in str(caught.value)
    assert not (tmp_path / "kafka" / "broker.pid").exists()


def test_ensure_broker_uses_a_configured_broker_without_starting_one(
    broker: LocalBroker, tmp_path: Path
) -> None:
    settings = _settings(tmp_path, kafka_bootstrap_servers=broker.bootstrap)

    assert ensure_broker(settings) == broker.bootstrap
    assert not (tmp_path / "kafka").exists()


def test_ensure_broker_fails_fast_on_a_dead_configured_broker(tmp_path: Path) -> None:
    dead = f"127.0.0.1:{_free_port()}"
    settings = _settings(tmp_path, kafka_bootstrap_servers=dead)

    started = time.monotonic()
    with pytest.raises(BrokerError, match="KAFKA_BOOTSTRAP_SERVERS"):
        ensure_broker(settings)

    assert time.monotonic() - started < 3
    assert not (tmp_path / "kafka").exists()


def test_fetch_is_atomic_and_idempotent(tmp_path: Path) -> None:
    broker = LocalBroker(_settings(tmp_path / "data", cache_dir=tmp_path / "cache"))

    lib = broker.fetch()

    assert lib == tmp_path / "cache" / "kafka" / KAFKA_VERSION / "lib"
    assert (lib / f"kafka_2.13-{KAFKA_VERSION}.jar").is_file()
    assert (lib.parent / "COMPLETE").is_file()
    assert [p.name for p in lib.parent.iterdir() if p.name.startswith("lib")] == ["lib"]
    started = time.monotonic()
    assert broker.fetch() == lib
    assert time.monotonic() - started < 0.5
