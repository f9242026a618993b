"""Shared fixtures: the real Kafka broker (started once per session) and unique names."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

# authlib (pulled in by confluent-kafka's schema registry) installs an "always"
# warning filter when first imported; import it now so pytest's filters win.
import authlib.deprecate  # noqa: F401
import pytest

from doclane.settings import PROJECT_ROOT, Settings
from tests import ports

TEST_BROKER_PORT = ports.BROKER


@pytest.fixture(scope="session")
def broker_bootstrap(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Kafka broker: KAFKA_BOOTSTRAP_SERVERS if set, else one this session starts."""
    configured = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    if configured:
        yield configured
        return
    from doclane.ops.broker import LocalBroker

    settings = Settings(
        broker_port=TEST_BROKER_PORT,
        controller_port=TEST_BROKER_PORT + 1,
        data_dir=tmp_path_factory.mktemp("broker"),
        cache_dir=PROJECT_ROOT / ".cache",
    )
    broker = LocalBroker(settings)
    bootstrap = broker.start()
    try:
        yield bootstrap
    finally:
        broker.stop()


@pytest.fixture
def unique() -> str:
    return uuid.uuid4().hex[:10]


@pytest.fixture
def pipeline_settings(broker_bootstrap: str, tmp_path: Path, unique: str) -> Settings:
    """Settings isolated per test: own topic prefix, consumer groups, data dir and ports."""
    base = Settings.from_env({})
    web_port, sink_port = ports.per_test(int(unique[:4], 16))
    return replace(
        base,
        kafka_bootstrap_servers=broker_bootstrap,
        topic_prefix=f"t{unique}.",
        app_id=f"doclane-t{unique}",
        partitions=3,
        data_dir=tmp_path / "var",
        web_port=web_port,
        sink_port=sink_port,
        log_json=True,
        sink_batch_seconds=0.3,
    )
