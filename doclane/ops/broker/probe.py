"""Is something listening, and is it a Kafka broker that answers?"""

from __future__ import annotations

import logging
import socket
from collections.abc import Mapping

from confluent_kafka import KafkaException
from confluent_kafka.admin import AdminClient

# librdkafka logs every refused connection; route it to logging instead of stderr.
_CLIENT_LOG = logging.getLogger("doclane.ops.broker.client")


def bootstrap_addresses(bootstrap: str) -> list[tuple[str, int]]:
    """`"h1:9092,PLAINTEXT://[::1]:9093"` -> `[("h1", 9092), ("::1", 9093)]`."""
    addresses = []
    for entry in bootstrap.split(","):
        hostport = entry.strip().rpartition("://")[2]
        host, _, port = hostport.rpartition(":")
        if not host or not port.isdigit():
            continue
        addresses.append((host.strip("[]"), int(port)))
    return addresses


def port_accepts(host: str, port: int, timeout: float = 0.5) -> bool:
    """True when a TCP connection to host:port succeeds."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def any_port_accepts(bootstrap: str, timeout: float = 0.5) -> bool:
    return any(port_accepts(host, port, timeout) for host, port in bootstrap_addresses(bootstrap))


def kafka_answers(
    bootstrap: str, timeout: float = 2.0, security: Mapping[str, object] | None = None
) -> bool:
    """True when a Kafka broker at `bootstrap` answers a metadata request within `timeout`.

    `security`: librdkafka security.protocol/sasl.*/ssl.* options (default PLAINTEXT).

    A TCP probe goes first: a closed port fails at once instead of after `timeout`,
    and librdkafka is not asked to retry a refused connection.
    """
    if not any_port_accepts(bootstrap, timeout=min(timeout, 1.0)):
        return False
    admin = AdminClient(
        {
            "bootstrap.servers": bootstrap,
            **(security or {}),
            "socket.connection.setup.timeout.ms": max(1000, int(timeout * 1000)),
            "logger": _CLIENT_LOG,
        }
    )
    try:
        metadata = admin.list_topics(timeout=timeout)
    except KafkaException:
        return False
    return bool(metadata.brokers)
