"""The Faust app: four thin agents wired over the Avro topics.

Each agent decodes a record, calls a `StageHandlers` method, appends its stage
timing, encodes and sends to the next topic. Any failure becomes a
dead-letter record with a reason code; the agent keeps going.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import faust
from faust.sensors.prometheus import setup_prometheus_sensors

from doclane.core.model import DocType
from doclane.core.pipeline import Knowledge
from doclane.exceptions import CodecError, DoclaneError
from doclane.logs import about_document, name_document
from doclane.metrics import (
    ERRORS,
    EVENT_LOOP_LAG,
    EVENT_LOOP_LAG_MAX,
    PROCESSING_SECONDS,
    RECORDS_IN,
    RECORDS_OUT,
    RETRIES,
)
from doclane.settings import Settings
from doclane.streaming.blobs import open_blob_store
from doclane.streaming.offsets import BrokerProbe, StallWatch, strict_consumer_class
from doclane.streaming.pool import ParsePool
from doclane.streaming.publisher import ExactlyOncePublisher, topic_partitions
from doclane.streaming.retries import (
    RetryPolicy,
    attempt_of,
    resume_headers,
    retry_at_ms,
    retry_headers,
)
from doclane.streaming.stages import StageHandlers
from doclane.streaming.tables import ReferenceData, SeenTable
from doclane.wire.codec import ValueCodec
from doclane.wire.records import dead_letter, now_micros, stage_timing
from doclane.wire.security import faust_broker_credentials
from doclane.wire.topics import (
    MAX_MESSAGE_BYTES,
    REFERENCE_PARTITIONS,
    Codecs,
    TopicNames,
    dead_lettered_topic,
    published_topic,
)

MAX_RETRY_WAIT_SECONDS = 3600.0
# Faust's Prometheus sensor names its metrics <prefix>_...; ops/prometheus/rules use them.
FAUST_METRICS_PREFIX = "doclane_faust"
# The last stage publishes its results in batches: up to this many records, or what
# arrived within this time, become one transaction per input partition.
FINAL_BATCH_SIZE = 200
FINAL_BATCH_SECONDS = 0.2
# Records sent between stages wait this long to share a produce request (fewer,
# larger requests: the broker's CPU per document falls several-fold).
PRODUCER_LINGER_SECONDS = 0.005
FAILURE_SEND_BACKOFF_SECONDS = (1.0, 2.0, 4.0, 8.0, 15.0, 30.0)
OFFSET_WATCH_SECONDS = 5.0
STAGES = ("classify", "extract", "validate", "enrich")

log = logging.getLogger("doclane.streams")

Handler = Callable[[dict[str, Any]], Awaitable[dict[str, Any]]]


@dataclass(frozen=True)
class StageSpec:
    name: str  # classify, extract, validate, enrich
    source: str  # topic consumed
    decode_with: ValueCodec
    handle: Handler
    route: Callable[[dict[str, Any]], tuple[str, ...]]  # the topics a result goes to
    final: bool = False  # the topology's exit: each result published once, in a transaction
    # Parse-pool stages keep several records in flight; inline ones run one at a
    # time, where extra concurrency would only reorder them.
    concurrent: bool = False


class Topology:
    """Builds the app and owns what its agents share: codecs, topics, pool, handlers."""

    def __init__(self, settings: Settings, *, worker_index: int = 0) -> None:
        self.settings = settings
        self.names = TopicNames.from_prefix(settings.topic_prefix)
        self.codecs = Codecs.from_settings(settings)
        self.pool = ParsePool(
            settings.effective_parse_processes(),
            cpu_seconds=settings.parse_cpu_seconds,
            memory_bytes=settings.parse_memory_bytes,
            max_input_bytes=settings.max_document_bytes,
        )
        self.retry_policy = RetryPolicy(settings.retry_delays)
        self.probe = BrokerProbe(settings, group=f"{settings.app_id}-offset-probe")
        self.stall_watch = StallWatch(
            self.probe,
            patient_topics=frozenset(self.names.retry_topic(stage) for stage in STAGES),
        )
        self.ready = False  # pool warm and the first partition assignment done
        self._pool_warm = False
        self._assigned = False
        self.assignments = 0  # partition assignments received (one per rebalance)
        self.stage_partitions = 0  # partitions of the four stage topics this worker owns
        self.app = self._build_app(worker_index)
        self._topics = {
            name: self.app.topic(
                name,
                partitions=REFERENCE_PARTITIONS
                if name in self.names.reference_topics()
                else settings.partitions,
            )
            for name in self.names.all()
        }
        self.seen = SeenTable(self.app)
        self.publisher = ExactlyOncePublisher(settings, published_topic(settings), "publish")
        self.failures = ExactlyOncePublisher(settings, dead_lettered_topic(settings), "failure")
        self.reference = ReferenceData(
            self.app,
            vendors_topic=self._topics[self.names.vendors],
            fx_topic=self._topics[self.names.fx_rates],
            vendor_codec=self.codecs.vendor,
            fx_codec=self.codecs.fx_rate,
            base_currency=settings.base_currency,
            memory_topic=self._topics[self.names.vendor_memory],
            hint_codec=self.codecs.vendor_hint,
        )
        self.handlers = StageHandlers(
            pool=self.pool,
            vendors=self.reference.vendors,
            fx_rates=self.reference.fx_rates,
            seen=self.seen,
            blobs=open_blob_store(settings),
            knowledge=Knowledge(
                review_policy=settings.review_policy,
                taxonomy=frozenset(DocType(name) for name in settings.taxonomy),
                pdf_engine=settings.pdf_engine,
            ),
            max_document_bytes=settings.max_document_bytes,
            submit_child=self._submit_child,
            claim_check_bytes=settings.claim_check_threshold,
            vendor_memory=self.reference.vendor_memory,
        )
        self._register_agents()
        self._register_web()
        self._register_lifecycle()

    # -- construction -------------------------------------------------------

    def _build_app(self, worker_index: int) -> faust.App:
        s = self.settings
        datadir = s.data_dir / "faust" / f"worker-{worker_index}"
        datadir.parent.mkdir(parents=True, exist_ok=True)
        app = faust.App(
            s.app_id,
            # Faust reads several brokers as URLs joined by ";".
            broker=";".join(f"kafka://{server}" for server in s.bootstrap_servers.split(",")),
            broker_credentials=faust_broker_credentials(s),
            value_serializer="raw",
            key_serializer="raw",
            topic_partitions=s.partitions,
            topic_replication_factor=s.topic_replication_factor,
            topic_allow_declare=False,  # `doclane` creates the topics with their settings
            consumer_auto_offset_reset="earliest",
            # A worker killed outright holds its partitions until its session
            # expires; 10 s (Faust's default is 60) bounds that pause.
            broker_session_timeout=10.0,
            broker_heartbeat_interval=2.0,
            producer_max_request_size=MAX_MESSAGE_BYTES,
            producer_linger=PRODUCER_LINGER_SECONDS,
            consumer_max_fetch_size=MAX_MESSAGE_BYTES,
            web_bind=s.web_host,
            web_host=s.web_host,
            web_port=s.web_port + worker_index,
            datadir=str(datadir),
            autodiscover=False,
            store="memory://",
        )
        setup_prometheus_sensors(app, name_prefix=FAUST_METRICS_PREFIX)
        # Commits that never pass an unhandled record (see streaming/offsets.py).
        app.transport.Consumer = strict_consumer_class(app.transport.Consumer, self.probe)
        return app

    def _register_agents(self) -> None:
        n = self.names
        c = self.codecs
        h = self.handlers
        specs = (
            StageSpec(
                "classify",
                n.ingest,
                c.submitted,
                h.classify,
                _always(n.classified),
                concurrent=True,
            ),
            StageSpec(
                "extract", n.classified, c.result, h.extract, _always(n.extracted), concurrent=True
            ),
            StageSpec(
                "validate", n.extracted, c.result, _as_async(h.validate), _always(n.validated)
            ),
            StageSpec(
                "enrich", n.validated, c.result, _as_async(h.enrich), self._route_result, final=True
            ),
        )
        concurrency = self.settings.agent_concurrency or 2 * self.pool.processes
        for spec in specs:
            self._register_agent(spec, concurrency)

    async def _submit_child(self, submission: dict[str, Any]) -> None:
        """A container's member onto the ingest topic, as any submission travels."""
        value = self.codecs.submitted.encode(submission, self.names.ingest)
        await self._topics[self.names.ingest].send(
            key=submission["document_id"].encode(), value=value
        )
        RECORDS_OUT.labels("classify", self.names.ingest).inc()

    def _route_result(self, result: dict[str, Any]) -> tuple[str, ...]:
        """Every result to the results topic; documents for a person to the review topic too."""
        if result["status"] == "REVIEW":
            return (self.names.results, self.names.review)
        return (self.names.results,)

    def _register_agent(self, spec: StageSpec, concurrency: int) -> None:
        agent_concurrency = concurrency if spec.concurrent else 1

        @self.app.agent(
            self._topics[spec.source], name=f"doclane.{spec.name}", concurrency=agent_concurrency
        )
        async def stage_agent(stream: faust.StreamT) -> None:
            # Faust acknowledges a record when the agent moves past it, even when the
            # agent raised; an unfinished record must be read again instead.
            if spec.final:  # one transaction per input partition and batch
                async for events in stream.take_events(FINAL_BATCH_SIZE, FINAL_BATCH_SECONDS):
                    messages = [event.message for event in events]
                    with _unfinished_on_error(messages):
                        await self._finish_batch(spec, messages)
            else:
                async for event in stream.events():
                    with _unfinished_on_error([event.message]):
                        await self._process(spec, event.message)

        @self.app.agent(
            self._topics[self.names.retry_topic(spec.name)], name=f"doclane.retry-{spec.name}"
        )
        async def retry_agent(stream: faust.StreamT) -> None:
            # Delays grow with the attempt and records arrive in failure order, so
            # holding the head of the topic never holds a record much past its time.
            async for event in stream.events():
                message = event.message
                wait = retry_at_ms(message.headers) / 1000 - time.time()
                if wait > 0:
                    await asyncio.sleep(min(wait, MAX_RETRY_WAIT_SECONDS))
                # Once per waiting record, like every failure output.
                with about_document(_key_text(message.key)):
                    await self._send_failure(
                        message, spec.source, message.value, resume_headers(message.headers)
                    )

    def _register_web(self) -> None:
        topology = self

        @self.app.page("/health")
        async def health(self: faust.web.View, request: faust.web.Request) -> faust.web.Response:
            return self.json(topology.health(), status=200 if topology.ready else 503)

        @self.app.page("/health/live")
        async def live(self: faust.web.View, request: faust.web.Request) -> faust.web.Response:
            return self.json({"live": True})

        @self.app.page("/health/ready")
        async def ready(self: faust.web.View, request: faust.web.Request) -> faust.web.Response:
            return self.json({"ready": topology.ready}, status=200 if topology.ready else 503)

    def _register_lifecycle(self) -> None:
        @self.app.task
        async def start_pool() -> None:
            await self.pool.warm_up()
            self._pool_warm = True
            self.ready = self._assigned
            log.info("parse pool ready", extra={"processes": self.pool.processes})

        @self.app.on_partitions_revoked.connect
        async def stop_publishing(sender: faust.App, revoked: Any, **kwargs: Any) -> None:
            self.publisher.revoke(topic_partitions(revoked))
            self.failures.revoke(topic_partitions(revoked))

        @self.app.on_partitions_assigned.connect
        async def first_assignment(sender: faust.App, assigned: Any, **kwargs: Any) -> None:
            # Ready only once the group has given this worker its partitions, so
            # documents submitted right after readiness do not wait for a rebalance.
            self._assigned = True
            self.ready = self._pool_warm
            self.assignments += 1
            sources = {self.names.ingest, self.names.classified, self.names.extracted}
            sources.add(self.names.validated)
            self.stage_partitions = sum(1 for tp in assigned if tp.topic in sources)

        @self.app.timer(interval=2.0)
        async def refresh_reference_data() -> None:
            self.reference.refresh()

        @self.app.timer(interval=OFFSET_WATCH_SECONDS)
        async def repair_waiting_partitions() -> None:
            try:
                await self.stall_watch.repair(self.app.consumer)
            except Exception:  # a failed look is tried again at the next tick
                log.exception("could not look at the partitions whose commit waits")

        @self.app.task
        async def watch_event_loop() -> None:
            interval = 0.1
            while True:
                started = time.perf_counter()
                await asyncio.sleep(interval)
                lag = max(0.0, time.perf_counter() - started - interval)
                EVENT_LOOP_LAG.set(lag)
                if lag > EVENT_LOOP_LAG_MAX._value.get():
                    EVENT_LOOP_LAG_MAX.set(lag)

        @self.app.on_before_shutdown.connect
        async def stop_pool(app: faust.App, **kwargs: Any) -> None:
            self.ready = False
            self.pool.shutdown(wait=False)
            self.publisher.close()
            self.failures.close()
            self.probe.close()

    def health(self) -> dict[str, Any]:
        return {
            "ready": self.ready,
            "rebalancing": bool(self.app.rebalancing),
            "assignments": self.assignments,
            "stage_partitions": self.stage_partitions,
            "parse_processes": self.pool.processes,
            "parse_peak_rss_bytes": self.pool.peak_rss_bytes,
            "parse_processes_replaced": self.pool.replaced_processes,
            "partitions_read_again": self.stall_watch.rewinds,
            "offset_holes_found": self.stall_watch.holes,
            "event_loop_lag_max_seconds": EVENT_LOOP_LAG_MAX._value.get(),
        }

    # -- per record -----------------------------------------------------------

    async def _process(self, spec: StageSpec, message: Any) -> None:
        with about_document(_key_text(message.key)):
            done = await self._run_stage(spec, message)
            if done is None:
                return
            for topic in done.targets:
                await self._topics[topic].send(key=message.key, value=done.value)
                RECORDS_OUT.labels(spec.name, topic).inc()
        if not spec.concurrent:
            await _let_others_run()

    async def _finish_batch(self, spec: StageSpec, messages: list[Any]) -> None:
        """The last stage: run each record, then publish the results of each input
        partition in one transaction (with a marker per document, so none twice)."""
        by_source: dict[tuple[str, int], list[tuple[Any, _Done]]] = {}
        for message in messages:
            with about_document(_key_text(message.key)):
                done = await self._run_stage(spec, message)
            await _let_others_run()
            if done is not None:
                by_source.setdefault((message.topic, message.partition), []).append((message, done))
        for source, finished in by_source.items():
            batch = [
                (
                    message.key or done.document_id.encode(),
                    [(topic, message.key, done.value, None) for topic in done.targets],
                )
                for message, done in finished
            ]
            try:
                sent = await self._publish_patiently(source, batch)
            except DoclaneError as exc:
                for message, done in finished:
                    with about_document(done.document_id, done.correlation_id):
                        failure = _Failure(
                            exc.reason_code, exc.message, attempt_of(message.headers), exc.transient
                        )
                        await self._failed(spec.name, failure, message, done.record)
                continue
            for (_message, done), published in zip(finished, sent, strict=True):
                for topic in done.targets if published else ("already-published",):
                    RECORDS_OUT.labels(spec.name, topic).inc()

    async def _publish_patiently(
        self, source: tuple[str, int], batch: list[tuple[bytes, list[Any]]]
    ) -> list[bool]:
        """Publish a batch, trying again for about a minute while the broker or the
        transaction coordinator is away: their trouble is not the documents' fault,
        and must not spend the documents' retries."""
        for pause in FAILURE_SEND_BACKOFF_SECONDS:
            try:
                return await self.publisher.publish_batch(source, batch)
            except DoclaneError as exc:
                if not exc.transient:
                    raise
                log.warning(
                    "could not publish %d results of %s[%d], trying again in %.0f s: %s",
                    len(batch),
                    source[0],
                    source[1],
                    pause,
                    exc,
                )
                await asyncio.sleep(pause)
        return await self.publisher.publish_batch(source, batch)

    async def _run_stage(self, spec: StageSpec, message: Any) -> _Done | None:
        """Decode, handle, time and encode one record; None when it failed (the failure
        has been sent to the retry topic or the dead-letter topic)."""
        started_us = now_micros()
        started = time.perf_counter()
        RECORDS_IN.labels(spec.name).inc()
        record: dict[str, Any] | None = None
        attempt = attempt_of(message.headers)
        try:
            record = spec.decode_with.decode(message.value, message.topic)
            name_document(record.get("document_id"), record.get("correlation_id"))
            result = await spec.handle(record)
        except DoclaneError as exc:
            failure = _Failure(exc.reason_code, exc.message, attempt, exc.transient)
            await self._failed(spec.name, failure, message, record)
            return None
        except Exception as exc:
            log.exception("stage %s failed unexpectedly", spec.name, extra=_ids(record))
            failure = _Failure("internal_error", f"{type(exc).__name__}: {exc}", attempt, True)
            await self._failed(spec.name, failure, message, record)
            return None
        finally:
            PROCESSING_SECONDS.labels(spec.name).observe(time.perf_counter() - started)
        result["timings"].append(stage_timing(spec.name, started_us))
        targets = spec.route(result)
        try:
            value = self.codecs.result.encode(result, targets[0])
        except CodecError as exc:
            failure = _Failure(exc.reason_code, exc.message, attempt, transient=False)
            await self._failed(spec.name, failure, message, record)
            return None
        log.debug("stage %s done", spec.name, extra=_ids(result))
        return _Done(result, targets, value)

    async def _failed(
        self, stage: str, failure: _Failure, message: Any, record: dict[str, Any] | None
    ) -> None:
        """A transient failure waits on the stage's retry topic while attempts remain;
        anything else becomes a dead letter."""
        delay = self.retry_policy.delay_after(failure.attempt) if failure.transient else None
        if delay is None:
            await self._dead_letter(stage, failure, message, record)
            return
        RETRIES.labels(stage, failure.reason_code).inc()
        log.warning(
            "stage %s will retry a record in %.1f s (attempt %d failed): [%s] %s",
            stage,
            delay,
            failure.attempt,
            failure.reason_code,
            failure.text,
            extra={**_ids(record), "reason_code": failure.reason_code},
        )
        headers = retry_headers(
            message.headers,
            attempt=failure.attempt + 1,
            retry_at=int((time.time() + delay) * 1000),
        )
        retry_topic = self.names.retry_topic(stage)
        await self._send_failure(message, retry_topic, message.value, headers)
        RECORDS_OUT.labels(stage, retry_topic).inc()

    async def _dead_letter(
        self, stage: str, failure: _Failure, message: Any, record: dict[str, Any] | None
    ) -> None:
        reason_code, text = failure.reason_code, failure.text
        ERRORS.labels(stage, reason_code).inc()
        log.warning(
            "stage %s sent a record to the dead-letter topic after %d attempt(s): [%s] %s",
            stage,
            failure.attempt,
            reason_code,
            text,
            extra={**_ids(record), "reason_code": reason_code},
        )
        # The original value is kept for replay unless it is itself too large to resend.
        original_value = (
            message.value if len(message.value or b"") <= MAX_MESSAGE_BYTES // 2 else None
        )
        letter = dead_letter(
            stage=stage,
            reason_code=reason_code,
            message=text,
            original_topic=message.topic,
            original_partition=message.partition,
            original_offset=message.offset,
            original_key=message.key,
            original_value=original_value,
            record=record if isinstance(record, dict) else None,
            attempt=failure.attempt,
        )
        value = self.codecs.dead_letter.encode(letter, self.names.dlq)
        await self._send_failure(message, self.names.dlq, value)
        RECORDS_OUT.labels(stage, self.names.dlq).inc()

    async def _send_failure(
        self, message: Any, topic: str, value: bytes, headers: list[tuple[str, bytes]] | None = None
    ) -> None:
        """A dead letter, a retry or a retried record's return, once per input record
        (marked by its offset), in a transaction. While the broker is away it tries
        again for about a minute; after that the error propagates, and the record,
        never acknowledged, is processed again after the restart."""
        marker = f"{message.topic}|{message.partition}|{message.offset}".encode()
        outputs = [(topic, message.key, value, headers)]
        for pause in FAILURE_SEND_BACKOFF_SECONDS:
            try:
                await self.failures.publish((message.topic, message.partition), marker, outputs)
                return
            except DoclaneError as exc:
                log.warning("could not record a failure, retrying in %.0f s: %s", pause, exc)
                await asyncio.sleep(pause)
        await self.failures.publish((message.topic, message.partition), marker, outputs)


@contextlib.contextmanager
def _unfinished_on_error(messages: list[Any]) -> Iterator[None]:
    """Records an agent raised on (or was cancelled on) count as never handled: the
    worker's consumer then neither commits past them nor forgets them (see
    streaming/offsets.py), and whoever owns the partition reads them again."""
    try:
        yield
    except BaseException:
        for message in messages:
            if not message.acked:
                message.tracked = False
        raise


async def _let_others_run() -> None:
    """Yield to the event loop after an inline record. With records buffered, an
    inline stage would otherwise run thousands back to back without yielding, and
    the parse pool's finished work (and the heartbeats) would wait for the loop."""
    await asyncio.sleep(0)


@dataclass(frozen=True)
class _Done:
    """A record a stage finished: the result, where it goes, and its encoded value."""

    record: dict[str, Any]
    targets: tuple[str, ...]
    value: bytes

    @property
    def document_id(self) -> str:
        return str(self.record["document_id"])

    @property
    def correlation_id(self) -> str | None:
        return self.record.get("correlation_id")


@dataclass(frozen=True)
class _Failure:
    reason_code: str
    text: str
    attempt: int
    transient: bool


def _always(*topics: str) -> Callable[[dict[str, Any]], tuple[str, ...]]:
    return lambda _result: topics


def _as_async(fn: Callable[[dict[str, Any]], dict[str, Any]]) -> Handler:
    async def call(record: dict[str, Any]) -> dict[str, Any]:
        return fn(record)

    return call


def _key_text(key: bytes | None) -> str | None:
    """The record key is the document id (UTF-8), as far as it can be read."""
    return key.decode("utf-8", "replace")[:200] if key else None


def _ids(record: dict[str, Any] | None) -> dict[str, Any]:
    if not isinstance(record, dict):
        return {}
    return {
        "document_id": record.get("document_id"),
        "correlation_id": record.get("correlation_id"),
    }
