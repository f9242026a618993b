"""Configuration shared by every confluent-kafka client doclane creates."""

from __future__ import annotations

import logging
import time
from typing import Any

from doclane.settings import Settings
from doclane.wire.security import librdkafka_security

# librdkafka writes its own warnings straight to stderr unless given a logger;
# routed here they become ordinary (JSON) log records like everything else.
KAFKA_CLIENT_LOGGER = logging.getLogger("doclane.kafka")


def client_config(settings: Settings, **overrides: object) -> dict[str, object]:
    """Bootstrap servers, TLS/SASL and log routing, with client-specific settings on top."""
    return {
        "bootstrap.servers": settings.bootstrap_servers,
        **librdkafka_security(settings),
        "logger": KAFKA_CLIENT_LOGGER,
        **overrides,
    }


def watermarks(consumer: Any, partition: Any, timeout: float = 60.0) -> tuple[int, int]:
    """A partition's (low, high) offsets, asked again while its leader moves: a topic
    just created, or a broker node restarted, leaves the client's metadata naming
    a broker that does not lead the partition (yet, or any more)."""
    from confluent_kafka import KafkaError, KafkaException

    deadline = time.monotonic() + timeout
    while True:
        try:
            low, high = consumer.get_watermark_offsets(partition, timeout=30)
            return int(low), int(high)
        except KafkaException as exc:
            moving = exc.args and exc.args[0].code() in (
                KafkaError.NOT_LEADER_FOR_PARTITION,
                KafkaError.LEADER_NOT_AVAILABLE,
            )
            if not moving or time.monotonic() > deadline:
                raise
            consumer.list_topics(partition.topic, timeout=30)  # refresh the metadata
            time.sleep(0.5)
