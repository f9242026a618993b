"""doclane's own local Kafka broker: a pinned Apache Kafka, fetched, started and stopped.

`ensure_broker(settings)` is what the rest of doclane calls; `python -m doclane.ops.broker`
(`doclane broker`) manages the broker by hand.
"""

from doclane.ops.broker.cli import main
from doclane.ops.broker.distribution import KAFKA_VERSION
from doclane.ops.broker.local import LocalBroker, LocalCluster, ensure_broker, own_broker

__all__ = ["KAFKA_VERSION", "LocalBroker", "LocalCluster", "ensure_broker", "main", "own_broker"]
