"""The ClickHouse sink: results, review, corrections and dead-letter topics into tables, in batches.

A batch closes on a record count or a time limit, whichever comes first. Its
rows are inserted, and only then are its offsets committed, so a crash before
the commit replays the batch (the tables keep one logical row per key). The
process owns the store; it also serves queries, metrics and health over HTTP
so analytics work while the pipeline runs (an embedded chDB path can be open
in one process only).
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import signal
import sys
import threading
import time
from datetime import UTC, datetime
from typing import Any

from confluent_kafka import (
    Consumer,
    KafkaError,
    KafkaException,
    Message,
    Producer,
    TopicPartition,
)

from doclane.connectors.clickhouse.admin import register_admin_actions
from doclane.connectors.clickhouse.governance import apply_ttl
from doclane.connectors.clickhouse.health import SinkHealth
from doclane.connectors.clickhouse.rows import (
    COLUMNS,
    Rows,
    correction_rows,
    dead_letter_rows,
    result_rows,
)
from doclane.connectors.clickhouse.server import serve_store
from doclane.connectors.clickhouse.store import ClickHouseStore
from doclane.exceptions import BrokerError, CodecError, StoreError
from doclane.logs import configure_logging
from doclane.metrics import (
    SINK_BATCH_RECORDS,
    SINK_BATCH_SECONDS,
    SINK_BATCHES,
    SINK_FAILURES,
    SINK_PAUSED,
    SINK_ROWS,
    SINK_STALLED_SECONDS,
    SUBMIT_TO_STORED_SECONDS,
)
from doclane.security.keys import open_key_checker
from doclane.settings import Settings
from doclane.streaming.blobs.sweep import PeriodicBlobSweep
from doclane.wire.clients import client_config
from doclane.wire.records import dead_letter
from doclane.wire.security import check_kafka_access
from doclane.wire.topics import Codecs, TopicNames

log = logging.getLogger("doclane.sink")

RETRY_BACKOFF_SECONDS = (0.5, 1.0, 2.0, 5.0, 10.0, 30.0)  # then every 30 s, for as long as it takes
COMMIT_BACKOFF_SECONDS = (0.5, 1.0, 2.0, 4.0, 8.0, 15.0)  # about half a minute of broker outage
_STALL_ERROR_ATTEMPTS = 4  # after this many failed attempts (about 4 s) a stall logs as an error


class ClickHouseSink:
    def __init__(
        self, settings: Settings, store: ClickHouseStore, health: SinkHealth | None = None
    ) -> None:
        self.settings = settings
        self.store = store
        self.health = health or SinkHealth()
        SINK_STALLED_SECONDS.set_function(self.health.stalled_seconds)
        self.names = TopicNames.from_prefix(settings.topic_prefix)
        self.codecs = Codecs.from_settings(settings)
        self.consumer = Consumer(
            client_config(
                settings,
                **{
                    "group.id": f"{settings.app_id}-clickhouse-sink",
                    "enable.auto.commit": False,
                    "auto.offset.reset": "earliest",
                    "isolation.level": "read_committed",
                    "fetch.message.max.bytes": 10 * 1024 * 1024,
                    # A killed sink holds its partitions until the session expires
                    # (45 s by default); its replacement waits that long.
                    "session.timeout.ms": 10000,
                    "heartbeat.interval.ms": 2000,
                },
            )
        )
        self.producer = Producer(client_config(settings))
        self.stopping = threading.Event()
        self.topics = [
            self.names.results,
            self.names.review,
            self.names.dlq,
            self.names.corrections,
        ]
        self.consumer.subscribe(self.topics)

    def run(self) -> None:
        log.info("sink consuming", extra={"topics": self.topics})
        try:
            while not self.stopping.is_set():
                batch = self._collect_batch()
                if batch:
                    self._write_with_retry(batch)
        finally:
            self.consumer.close()
            self.producer.flush(10)

    def stop(self) -> None:
        self.stopping.set()

    def _collect_batch(self) -> list[Message]:
        batch: list[Message] = []
        deadline = time.monotonic() + self.settings.sink_batch_seconds
        while len(batch) < self.settings.sink_batch_size and not self.stopping.is_set():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            messages = self.consumer.consume(
                num_messages=self.settings.sink_batch_size - len(batch), timeout=min(remaining, 0.5)
            )
            for message in messages:
                error = message.error()
                if error is None:
                    batch.append(message)
                elif error.code() != KafkaError._PARTITION_EOF:
                    log.warning("consumer error: %s", error)
        return batch

    def _write_with_retry(self, batch: list[Message]) -> None:
        """Insert the batch, then commit. While ClickHouse refuses, hold consumption.

        Backpressure: the sink pauses its partitions and keeps polling (so the
        group keeps it as a member) while it retries with a capped backoff;
        memory stays bounded by this one batch, and nothing is committed until
        the insert succeeded. A stop request while failing exits without
        committing: the batch is replayed, and deduplicated, on restart.
        """
        rows = self._rows_of(batch)
        token = _batch_token(batch)
        attempt = 0
        paused: list[Any] = []
        try:
            while True:
                attempt += 1
                try:
                    with SINK_BATCH_SECONDS.time():
                        self._insert(rows, token)
                    break
                except StoreError as exc:
                    SINK_FAILURES.inc()
                    self.health.insert_failed(exc.message)
                    if not paused:
                        paused = list(self.consumer.assignment())
                        self.consumer.pause(paused)
                        SINK_PAUSED.set(1)
                    pause = RETRY_BACKOFF_SECONDS[min(attempt - 1, len(RETRY_BACKOFF_SECONDS) - 1)]
                    log.log(
                        logging.ERROR if attempt >= _STALL_ERROR_ATTEMPTS else logging.WARNING,
                        "insert failed (attempt %d, stalled %.0f s), consumption paused, "
                        "retrying in %.1fs: %s",
                        attempt,
                        self.health.stalled_seconds(),
                        pause,
                        exc,
                        extra={"reason_code": exc.reason_code},
                    )
                    if self._idle(pause):
                        log.warning("stopping with an unwritten batch; it is replayed on restart")
                        return
            self.health.batch_written()
            _observe_written(batch, rows)
            self._commit()
            SINK_BATCHES.inc()
        finally:
            if paused:
                self.consumer.resume(self.consumer.assignment())
                SINK_PAUSED.set(0)

    def _commit(self) -> None:
        """Commit what was consumed, retrying while the broker is away (restarting, a
        coordinator moving). A batch left uncommitted is covered by the next commit or,
        after a restart, replayed and deduplicated by its token: never lost."""
        for pause in COMMIT_BACKOFF_SECONDS:
            try:
                self.consumer.commit(asynchronous=False)
                return
            except KafkaException as exc:
                log.warning("commit failed, retrying in %.1fs: %s", pause, exc)
                # Wait without polling: a poll here would consume records past the batch.
                if self.stopping.wait(pause):
                    return
        log.warning("leaving this batch uncommitted; the next commit covers it")

    def _idle(self, seconds: float) -> bool:
        """Wait while serving the consumer (it stays in the group); True if asked to stop.

        Consumption is paused, but a partition assigned meanwhile is not: a record
        polled from one is put back (seek) and its partition paused too."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.stopping.is_set():
                return True
            message = self.consumer.poll(min(0.2, max(0.0, deadline - time.monotonic())))
            if message is not None and message.error() is None:
                self.consumer.seek(
                    TopicPartition(message.topic(), message.partition(), message.offset())
                )
                self.consumer.pause([TopicPartition(message.topic(), message.partition())])
        return self.stopping.is_set()

    def _insert(self, rows: Rows, token: str) -> None:
        for table, table_rows in rows.tables.items():
            self.store.insert(table, table_rows, COLUMNS[table], token=f"{token}:{table}")
            SINK_ROWS.labels(table).inc(len(table_rows))

    def _rows_of(self, batch: list[Message]) -> Rows:
        rows = Rows()
        for message in batch:
            topic = message.topic()
            try:
                if topic == self.names.dlq:
                    rows.extend(
                        dead_letter_rows(self.codecs.dead_letter.decode(message.value(), topic))
                    )
                elif topic == self.names.corrections:
                    rows.extend(
                        correction_rows(self.codecs.correction.decode(message.value(), topic))
                    )
                else:
                    record = self.codecs.result.decode(message.value(), topic)
                    rows.extend(result_rows(record, review=topic == self.names.review))
            except (CodecError, KeyError, TypeError, ValueError) as exc:
                self._reject(message, exc)
        return rows

    def _reject(self, message: Message, exc: Exception) -> None:
        """A record the sink cannot read goes to the dead-letter topic, never silently away."""
        key = message.key()
        log.warning(
            "sink cannot read a record from %s: %s",
            message.topic(),
            exc,
            extra={
                "document_id": key.decode("utf-8", "replace")[:200] if key else None,
                "reason_code": getattr(exc, "reason_code", "unstorable_record"),
            },
        )
        if message.topic() == self.names.dlq:
            return  # never loop a broken dead letter back into its own topic
        letter = dead_letter(
            stage="sink",
            reason_code=getattr(exc, "reason_code", "unstorable_record"),
            message=str(exc),
            original_topic=message.topic(),
            original_partition=message.partition(),
            original_offset=message.offset(),
            original_key=message.key(),
            original_value=message.value(),
        )
        self.producer.produce(
            self.names.dlq,
            key=message.key(),
            value=self.codecs.dead_letter.encode(letter, self.names.dlq),
        )
        self.producer.flush(10)


def _observe_written(batch: list[Message], rows: Rows) -> None:
    """Batch size and each document's time from submission to ClickHouse, once inserted."""
    SINK_BATCH_RECORDS.observe(len(batch))
    for seconds in rows.seconds_since_submitted(datetime.now(UTC)):
        SUBMIT_TO_STORED_SECONDS.observe(max(seconds, 0.0))


def _batch_token(batch: list[Message]) -> str:
    """A deterministic id for the batch: its topic-partition-offset ranges."""
    ranges: dict[tuple[str, int], list[int]] = {}
    for message in batch:
        ranges.setdefault((message.topic(), message.partition()), []).append(message.offset())
    spec = ";".join(
        f"{topic}/{partition}/{min(offsets)}-{max(offsets)}"
        for (topic, partition), offsets in sorted(ranges.items())
    )
    return hashlib.sha256(spec.encode()).hexdigest()[:32]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Run the doclane ClickHouse sink.")
    parser.parse_args(argv)
    settings = Settings.from_env()
    configure_logging(settings.log_level, json_lines=settings.log_json)
    try:
        check_kafka_access(settings)
    except BrokerError as exc:
        print(f"doclane sink: {exc}", file=sys.stderr)
        raise SystemExit(1) from exc
    store = ClickHouseStore(settings.clickhouse_dsn)
    store.apply_ddl()
    ttl = apply_ttl(store, settings)
    log.info("table retention applied", extra={"ttl_days": ttl})
    health = SinkHealth()
    server = serve_store(
        store,
        settings.sink_port,
        health,
        open_key_checker(settings),
        metrics_auth=settings.metrics_auth,
        host=settings.sink_host,
    )
    register_admin_actions(server, store)
    sink = ClickHouseSink(settings, store, health)
    sweep = PeriodicBlobSweep(settings)  # blobs expire with the rows this process keeps
    server.ready = True

    def _stop(signum: int, frame: Any) -> None:
        log.info("sink stopping on signal %d", signum)
        sink.stop()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    sweep.start()
    try:
        sink.run()
    finally:
        sweep.stop()
        server.shutdown()
        store.close()
        log.info("sink stopped")


if __name__ == "__main__":
    main()
