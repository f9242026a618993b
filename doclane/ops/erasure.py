"""Erasure of documents by id (GDPR Art. 17): `doclane forget` and the API's admin route.

Where a document lives, and how each place forgets it:

- ClickHouse: every row naming the id, in every table that has an id column
  (found in system.tables). With embedded chDB the sink owns the store, so the
  deletes go through its admin port; with a server, or no sink running, directly.
- Blobs: the claim-check blob of its content, unless another document that is
  kept has the same bytes (blobs are content-addressed).
- Kafka, compacted topics: a tombstone for every key whose latest record names
  the id: the published markers (keyed by the id) and the `seen` changelog (the
  duplicate table: content hash or business key -> first id). The document topics
  (ingest ... results, dlq) are not compacted: single records cannot be removed
  from them, they go when `retention.ms` passes (README "Retention").
- The API ledger (documents accepted, idempotency answers).

Then one audit row per document: its SHA-256, the actor's key id, the counts.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from doclane.api.ledger import Ledger
from doclane.api.lookup import valid_document_id
from doclane.connectors.clickhouse.admin import erase_in_store, write_audit
from doclane.connectors.clickhouse.store import ClickHouseStore
from doclane.exceptions import DoclaneError, StoreError
from doclane.ops.analytics import sink_answers
from doclane.security.keys import client_key
from doclane.settings import Settings
from doclane.streaming.blobs import open_blob_store
from doclane.wire.clients import client_config
from doclane.wire.security import check_kafka_access
from doclane.wire.topics import state_topics


@dataclass
class Erased:
    document_id: str
    rows_by_table: dict[str, int] = field(default_factory=dict)
    blobs_deleted: int = 0
    tombstones: int = 0
    ledger_entries: int = 0

    @property
    def rows_deleted(self) -> int:
        return sum(self.rows_by_table.values())

    def audit_entry(self) -> dict[str, Any]:
        return {
            "document_id": self.document_id,
            "rows_deleted": self.rows_deleted,
            "tables_touched": sum(1 for n in self.rows_by_table.values() if n),
            "blobs_deleted": self.blobs_deleted,
            "tombstones": self.tombstones,
            "ledger_entries": self.ledger_entries,
        }


class _StoreAccess:
    """The store side: through the sink's admin port, or on a store opened here."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.store: ClickHouseStore | None = None
        self.via_sink = settings.uses_embedded_clickhouse and sink_answers(settings.sink_port)
        if not self.via_sink:
            self.store = ClickHouseStore(settings.clickhouse_dsn)
            self.store.apply_ddl()

    def erase(self, document_ids: list[str]) -> dict[str, Any]:
        if self.store is not None:
            return erase_in_store(self.store, document_ids)
        return self._post("/admin/forget", {"document_ids": document_ids})

    def audit(self, entries: list[dict[str, Any]], actor: str) -> None:
        if self.store is not None:
            write_audit(self.store, entries, actor)
        else:
            self._post("/admin/erasures", {"entries": entries, "actor": actor})

    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.settings.sink_port}{path}",
            data=json.dumps(body).encode(),
            headers={"Authorization": f"Bearer {client_key(self.settings)}"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
                answer: dict[str, Any] = json.loads(response.read())
                return answer
        except urllib.error.HTTPError as exc:
            detail = json.loads(exc.read() or b"{}").get("error", str(exc))
            raise StoreError(f"the sink refused {path}: {detail}") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise StoreError(f"the sink did not answer {path}: {exc}") from exc

    def close(self) -> None:
        if self.store is not None:
            self.store.close()


def forget_documents(settings: Settings, document_ids: list[str], *, actor: str) -> list[Erased]:
    """Remove the documents everywhere doclane keeps them; returns what went, per id."""
    ids = list(dict.fromkeys(document_ids))
    if bad := [i for i in ids if not valid_document_id(i)]:
        raise DoclaneError(f"not document ids: {', '.join(repr(i[:40]) for i in bad)}")
    # The tombstones need Kafka: a wrong password or CA must stop here, before anything
    # is erased, not half-way with the rows gone and the compacted topics untouched.
    check_kafka_access(settings)
    erased = {i: Erased(i) for i in ids}
    digests: dict[str, str] = {}
    ledger = Ledger(settings.data_dir / "api" / "ledger.sqlite3")
    try:
        for document_id in ids:
            erased[document_id].ledger_entries, digest = ledger.forget(document_id)
            if digest:
                digests[document_id] = digest
    finally:
        ledger.close()
    store = _StoreAccess(settings)
    try:
        kept: set[str] = set()
        for document_id in ids:  # one at a time: exact counts per document for its audit row
            answer = store.erase([document_id])
            erased[document_id].rows_by_table = dict(answer["rows_by_table"])
            digests.update(answer["blob_digests"])
            kept |= set(answer["digests_still_used"])
        blobs = open_blob_store(settings)
        for document_id, digest in digests.items():
            if digest not in kept and blobs.delete(digest):
                erased[document_id].blobs_deleted += 1
        for document_id, count in tombstone_documents(settings, ids).items():
            erased[document_id].tombstones = count
        store.audit([e.audit_entry() for e in erased.values()], actor)
    finally:
        store.close()
    return list(erased.values())


def tombstone_documents(
    settings: Settings, document_ids: list[str], timeout: float = 30.0
) -> dict[str, int]:
    """A tombstone per (partition, key) of the compacted state topics whose latest record
    names one of the ids in its key or value; returns tombstones written per id."""
    from confluent_kafka import Producer

    live = _live_records_naming(settings, list(state_topics(settings)), document_ids, timeout)
    counts = dict.fromkeys(document_ids, 0)
    if not live:
        return counts
    producer = Producer(client_config(settings, **{"enable.idempotence": True, "acks": "all"}))
    for (topic, partition, key), document_id in live.items():
        producer.produce(topic, key=key, value=None, partition=partition)
        counts[document_id] += 1
    if producer.flush(timeout) != 0:
        raise DoclaneError("the broker did not acknowledge every tombstone in time")
    return counts


def _live_records_naming(
    settings: Settings, topics: list[str], document_ids: list[str], timeout: float
) -> dict[tuple[str, int, bytes], str]:
    """(topic, partition, key) -> id, for keys whose latest committed record names an id."""
    from confluent_kafka import Consumer, KafkaError, TopicPartition

    needles = {i.encode(): i for i in document_ids}
    consumer = Consumer(
        client_config(
            settings,
            **{
                "group.id": "doclane-forget",
                "enable.auto.commit": False,
                "isolation.level": "read_committed",
                "enable.partition.eof": True,
            },
        )
    )
    latest: dict[tuple[str, int, bytes], str | None] = {}
    try:
        metadata = consumer.list_topics(timeout=timeout).topics
        assignment = []
        for topic in topics:
            if topic not in metadata:
                continue
            for partition in metadata[topic].partitions:
                low, high = consumer.get_watermark_offsets(
                    TopicPartition(topic, partition), timeout=timeout
                )
                if high > low:
                    assignment.append(TopicPartition(topic, partition, low))
        if not assignment:
            return {}
        consumer.assign(assignment)
        remaining = {(tp.topic, tp.partition) for tp in assignment}
        while remaining:
            message = consumer.poll(timeout)
            if message is None:
                raise DoclaneError("reading the compacted topics timed out")
            if message.error() is not None:
                if message.error().code() == KafkaError._PARTITION_EOF:
                    remaining.discard((message.topic(), message.partition()))
                    continue
                raise DoclaneError(f"reading {message.topic()}: {message.error()}")
            key = message.key() or b""
            place = (message.topic(), message.partition(), key)
            value = message.value()
            named = next(
                (i for n, i in needles.items() if n in key or (value is not None and n in value)),
                None,
            )
            latest[place] = named if value is not None else None
    finally:
        consumer.close()
    return {place: named for place, named in latest.items() if named is not None}
