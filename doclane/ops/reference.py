"""Reference data on compacted topics: the vendor master and exchange rates.

`doclane vendors load FILE` and `doclane fx load FILE` publish CSV rows as
Avro records keyed by vendor id or currency; every worker reads the whole
topic into a Faust global table. `doclane run` seeds both from the bundled
files when the topics are still empty.
"""

from __future__ import annotations

import time
from pathlib import Path

from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition

from doclane.exceptions import BrokerError, SubmissionError
from doclane.settings import Settings
from doclane.wire.clients import client_config
from doclane.wire.reference import fx_records, vendor_records
from doclane.wire.topics import Codecs, TopicNames


def publish_reference(settings: Settings, kind: str, path: Path) -> int:
    """Publish a CSV of `kind` ("vendors" or "fx_rates") to its compacted topic."""
    names, codecs = TopicNames.from_prefix(settings.topic_prefix), Codecs.from_settings(settings)
    if kind == "vendors":
        topic, codec, key, records = names.vendors, codecs.vendor, "vendor_id", vendor_records(path)
    else:
        topic, codec, key, records = names.fx_rates, codecs.fx_rate, "currency", fx_records(path)
    return _publish(settings, topic, [(r[key], codec.encode(r, topic)) for r in records])


def topic_is_empty(settings: Settings, topic: str, timeout: float = 30.0) -> bool:
    """True when nothing was ever written to `topic`; waits out a just-created topic's election."""
    consumer = Consumer(client_config(settings, **{"group.id": "doclane-reference-probe"}))
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                metadata = consumer.list_topics(topic, timeout=10).topics.get(topic)
                if metadata is None or metadata.error is not None:
                    return True
                return all(
                    consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10)[1] == 0
                    for p in metadata.partitions
                )
            except KafkaException as exc:
                if time.monotonic() > deadline:
                    raise BrokerError(f"cannot read the offsets of {topic}: {exc}") from exc
                time.sleep(0.5)
    finally:
        consumer.close()


def _publish(settings: Settings, topic: str, records: list[tuple[str, bytes]]) -> int:
    producer = Producer(client_config(settings, **{"enable.idempotence": True, "acks": "all"}))
    for key, value in records:
        producer.produce(topic, key=key.encode(), value=value)
    if producer.flush(30):
        raise SubmissionError(f"not every record reached {topic}", reason_code="delivery_failed")
    return len(records)


def seed_reference_data(settings: Settings) -> dict[str, int]:
    """Publish the configured vendor and FX files to topics that are still empty."""
    names = TopicNames.from_prefix(settings.topic_prefix)
    published = {}
    if topic_is_empty(settings, names.vendors):
        published["vendors"] = publish_reference(settings, "vendors", settings.vendor_master_path)
    if topic_is_empty(settings, names.fx_rates):
        published["fx_rates"] = publish_reference(settings, "fx_rates", settings.fx_rates_path)
    return published
