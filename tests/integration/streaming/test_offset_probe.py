"""The offset probe against the real broker: which offsets hold records, which only markers."""

from __future__ import annotations

from confluent_kafka import Producer
from confluent_kafka.admin import AdminClient, NewTopic

from doclane.settings import Settings
from doclane.streaming.offsets import BrokerProbe
from doclane.wire.clients import client_config


def test_the_probe_tells_records_from_transaction_markers(pipeline_settings: Settings) -> None:
    topic = f"{pipeline_settings.topic_prefix}probed"
    admin = AdminClient(client_config(pipeline_settings))
    admin.create_topics([NewTopic(topic, 1, 1)])[topic].result(30)
    producer = Producer(client_config(pipeline_settings, **{"transactional.id": f"{topic}-writer"}))
    producer.init_transactions(30)
    for value in (b"first", b"second"):  # record 0, marker 1, record 2, marker 3
        producer.begin_transaction()
        producer.produce(topic, value=value)
        producer.commit_transaction(30)
    probe = BrokerProbe(pipeline_settings, group=f"{topic}-probe")
    try:
        assert probe(topic, 0, 0) == 0
        assert probe(topic, 0, 1) == 2  # offset 1 holds the first transaction's marker
        assert probe(topic, 0, 3) is None  # nothing but a marker up to the end
    finally:
        probe.close()
