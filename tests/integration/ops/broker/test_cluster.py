"""doclane's own three-node broker: one node killed -9 while records flow loses none of them.

Three KRaft nodes (each broker and controller) start on loopback, the topic gets three
replicas with min.insync.replicas 2, an acks=all idempotent producer writes before,
during and after one node is down, and a read_committed consumer reads every record once.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from confluent_kafka import Consumer, KafkaError, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, ConfigResource, ResourceType

from doclane.ops.broker import LocalCluster, own_broker
from doclane.settings import PROJECT_ROOT, Settings
from doclane.wire.topics import TopicNames, create_topics
from tests import ports

pytestmark = [pytest.mark.broker, pytest.mark.slow]

RECORDS_PER_PHASE = 2000
PARTITIONS = 3


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[LocalCluster]:
    settings = replace(
        Settings.from_env({}),
        data_dir=tmp_path,
        cache_dir=PROJECT_ROOT / ".cache",
        broker_port=ports.CLUSTER_BROKER,
        controller_port=ports.CLUSTER_BROKER + 1,
        broker_nodes=3,
        partitions=PARTITIONS,
        topic_prefix="cluster.",
    )
    broker = own_broker(settings)
    assert isinstance(broker, LocalCluster)
    try:
        broker.start(timeout=180.0)
        yield broker
    finally:
        broker.stop()


def _wait_until_every_node_knows(cluster: LocalCluster, topic: str) -> None:
    """Metadata reaches each node on its own: ask every node until it lists the topic."""
    deadline = time.monotonic() + 60
    for node in cluster.nodes:
        admin = AdminClient({"bootstrap.servers": node.bootstrap})
        while topic not in admin.list_topics(timeout=10).topics:
            assert time.monotonic() < deadline, f"node {node.node + 1} never listed {topic}"
            time.sleep(0.2)


def _topic_config(admin: AdminClient, topic: str) -> dict[str, Any]:
    """The topic's configuration, asked again while the answering node has not heard of it."""
    resource = ConfigResource(ResourceType.TOPIC, topic)
    deadline = time.monotonic() + 30
    while True:
        try:
            return dict(admin.describe_configs([resource])[resource].result(timeout=10))
        except KafkaException as exc:
            unknown = exc.args[0].code() == KafkaError.UNKNOWN_TOPIC_OR_PART
            if not unknown or time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def _produce(producer: Producer, topic: str, first: int, count: int) -> None:
    failures: list[str] = []

    def delivered(error: object, _message: object) -> None:
        if error is not None:
            failures.append(str(error))

    for n in range(first, first + count):
        producer.produce(
            topic, key=str(n).encode(), value=f"record {n}".encode(), on_delivery=delivered
        )
        producer.poll(0)
    assert producer.flush(120) == 0, "records still undelivered after 120 s"
    assert failures == []


def test_records_survive_one_node_killed_while_they_flow(cluster: LocalCluster) -> None:
    settings = cluster.settings
    bootstrap = cluster.bootstrap
    assert bootstrap == settings.bootstrap_servers
    create_topics(settings)
    topic = TopicNames.from_prefix(settings.topic_prefix).ingest
    _wait_until_every_node_knows(cluster, topic)
    admin = AdminClient({"bootstrap.servers": bootstrap})
    partitions = admin.list_topics(topic, timeout=10).topics[topic].partitions
    assert {len(p.replicas) for p in partitions.values()} == {3}
    assert _topic_config(admin, topic)["min.insync.replicas"].value == "2"

    producer = Producer({"bootstrap.servers": bootstrap, "acks": "all", "enable.idempotence": True})
    _produce(producer, topic, 0, RECORDS_PER_PHASE)
    # The node leading partition 0 goes, so a leader must move while records flow.
    leader = admin.list_topics(topic, timeout=10).topics[topic].partitions[0].leader
    victim = cluster.nodes[leader - 1]
    assert victim.kill() is not None
    _produce(producer, topic, RECORDS_PER_PHASE, RECORDS_PER_PHASE)  # two of three replicas
    victim.start(timeout=180.0)
    _produce(producer, topic, 2 * RECORDS_PER_PHASE, RECORDS_PER_PHASE)
    assert cluster.is_running()

    expected = 3 * RECORDS_PER_PHASE
    consumer = Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": f"cluster-reader-{time.time_ns()}",
            "enable.auto.commit": False,
            "isolation.level": "read_committed",
        }
    )
    seen: Counter[bytes] = Counter()
    try:
        consumer.assign([TopicPartition(topic, p, 0) for p in partitions])
        deadline = time.monotonic() + 120
        while sum(seen.values()) < expected and time.monotonic() < deadline:
            for message in consumer.consume(1000, timeout=1.0):
                if message.error() is None:
                    seen[message.key()] += 1
    finally:
        consumer.close()
    assert len(seen) == expected, f"{expected - len(seen)} records lost"
    assert all(count == 1 for count in seen.values()), "a record was read twice"
    back = admin.list_topics(topic, timeout=10).topics[topic].partitions
    deadline = time.monotonic() + 60
    while any(len(p.isrs) < 3 for p in back.values()) and time.monotonic() < deadline:
        time.sleep(1.0)
        back = admin.list_topics(topic, timeout=10).topics[topic].partitions
    assert {len(p.isrs) for p in back.values()} == {3}, "the restarted node did not catch up"
