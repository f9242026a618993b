"""Per-topic retention lands on the broker, at creation and on topics that already exist."""

from __future__ import annotations

import time
import uuid
from dataclasses import replace

import pytest
from confluent_kafka.admin import AdminClient, ConfigResource, ResourceType

from doclane.settings import Settings
from doclane.wire.topics import TopicNames, create_topics, state_topics

pytestmark = pytest.mark.broker


def _retention(admin: AdminClient, topic: str) -> tuple[str, str]:
    resource = ConfigResource(ResourceType.TOPIC, topic)
    configs = admin.describe_configs([resource])[resource].result(timeout=30)
    return configs["retention.ms"].value, configs["cleanup.policy"].value


def test_retention_per_topic_is_applied_and_updated(broker_bootstrap: str) -> None:
    unique = uuid.uuid4().hex[:10]
    settings = replace(
        Settings.from_env({}),
        kafka_bootstrap_servers=broker_bootstrap,
        topic_prefix=f"r{unique}.",
        app_id=f"doclane-r{unique}",
        partitions=1,
        topic_retention_ms=3_600_000,
        topic_retention=(("dlq", 86_400_000),),
    )
    names = TopicNames.from_prefix(settings.topic_prefix)
    admin = AdminClient({"bootstrap.servers": broker_bootstrap})
    create_topics(settings)
    assert _retention(admin, names.ingest) == ("3600000", "delete")
    assert _retention(admin, names.dlq) == ("86400000", "delete")
    published = next(iter(state_topics(settings)))
    assert _retention(admin, published)[1] == "compact"  # keyed state: compacted, not aged
    create_topics(replace(settings, topic_retention=(("dlq", 7_200_000),)))
    deadline = time.monotonic() + 15  # the controller's change reaches the broker shortly after
    while _retention(admin, names.dlq)[0] != "7200000" and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _retention(admin, names.dlq) == ("7200000", "delete")
    assert _retention(admin, names.ingest) == ("3600000", "delete")
