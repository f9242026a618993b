"""Configuration shared by every confluent-kafka client doclane creates."""

from __future__ import annotations

import logging

from doclane.settings import Settings

# librdkafka writes its own warnings straight to stderr unless given a logger;
# routed here they become ordinary (JSON) log records like everything else.
KAFKA_CLIENT_LOGGER = logging.getLogger("doclane.kafka")


def client_config(settings: Settings, **overrides: object) -> dict[str, object]:
    """Bootstrap servers plus log routing, with client-specific settings on top."""
    return {
        "bootstrap.servers": settings.bootstrap_servers,
        "logger": KAFKA_CLIENT_LOGGER,
        **overrides,
    }
