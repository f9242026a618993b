"""`doclane status` counts records, not offsets: transaction markers take offsets too."""

from __future__ import annotations

import pytest
from confluent_kafka import Consumer, Producer, TopicPartition

from doclane.ops.status import stage_lags
from doclane.settings import Settings
from doclane.wire.topics import TopicNames, create_topics

pytestmark = pytest.mark.broker


def test_status_counts_each_document_once_although_each_was_its_own_transaction(
    pipeline_settings: Settings,
) -> None:
    settings = pipeline_settings
    names = TopicNames.from_prefix(settings.topic_prefix)
    create_topics(settings)
    producer = Producer(
        {"bootstrap.servers": settings.bootstrap_servers, "transactional.id": settings.app_id}
    )
    producer.init_transactions(30)
    for n in range(24):  # as the enrich stage publishes: one transaction per document
        producer.begin_transaction()
        producer.produce(names.results, key=f"doc-{n}".encode(), value=b"r", partition=n % 2)
        producer.commit_transaction(30)
    # The sink has consumed the first 5 records of partition 0 (offsets 0..9 with markers).
    sink = Consumer(
        {
            "bootstrap.servers": settings.bootstrap_servers,
            "group.id": f"{settings.app_id}-clickhouse-sink",
        }
    )
    sink.commit(offsets=[TopicPartition(names.results, 0, 10)], asynchronous=False)
    sink.close()

    (results,) = [lag for lag in stage_lags(settings) if lag.stage == "sink results"]
    assert results.exact
    assert results.produced == 24  # 48 offsets: a record and a commit marker each
    assert results.committed == 5
    assert results.lag == 19
