"""doclane's own local Kafka broker: a pinned Apache Kafka, fetched, started and stopped.

`ensure_broker(settings)` is what the rest of doclane calls; `python -m doclane.ops.broker`
(`doclane broker`) manages the broker by hand.
"""

from doclane.ops.broker.cli import main
from doclane.ops.broker.distribution import KAFKA_VERSION
from doclane.ops.broker.local import LocalBroker, ensure_broker

__all__ = ["KAFKA_VERSION", "LocalBroker", "ensure_broker", "main"]
