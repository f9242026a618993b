"""Configuration shared by every confluent-kafka client doclane creates."""

from __future__ import annotations

import logging

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
