"""Topic names, their codecs, and idempotent topic creation."""

from __future__ import annotations

from dataclasses import astuple, dataclass
from typing import Any

from doclane.exceptions import BrokerError
from doclane.settings import Settings
from doclane.wire.codec import ValueCodec, build_codec
from doclane.wire.schemas import (
    CORRECTION,
    DEAD_LETTER,
    FX_RATE,
    RESULT,
    SUBMITTED,
    VENDOR,
    VENDOR_HINT,
    current_schemas,
)

# Intermediate records carry the text layer; allow them past Kafka's 1 MB default.
MAX_MESSAGE_BYTES = 10 * 1024 * 1024


# Reference data: compacted, one partition, read whole by every worker (Faust
# global tables keep to one partition, see faust.tables.globaltable).
REFERENCE_PARTITIONS = 1


@dataclass(frozen=True)
class TopicNames:
    ingest: str
    classified: str
    extracted: str
    validated: str
    results: str
    review: str
    dlq: str
    # Transient failures wait here, per stage, before going back to the stage's input.
    retry_classify: str
    retry_extract: str
    retry_validate: str
    retry_enrich: str
    vendors: str  # compacted: vendor master, key vendor_id
    fx_rates: str  # compacted: exchange rates, key currency code
    corrections: str  # what reviewers did (Correction), key document_id
    vendor_memory: str  # compacted: what corrections taught (VendorHint), key vendor|field

    @classmethod
    def from_prefix(cls, prefix: str) -> TopicNames:
        return cls(**{name: prefix + name.replace("_", "-") for name in cls.__dataclass_fields__})

    def all(self) -> tuple[str, ...]:
        return astuple(self)

    def stream_topics(self) -> tuple[str, ...]:
        """The document topics, partitioned for throughput."""
        return tuple(t for t in self.all() if t not in self.reference_topics())

    def reference_topics(self) -> tuple[str, ...]:
        return (self.vendors, self.fx_rates, self.vendor_memory)

    def by_field(self) -> dict[str, str]:
        """Topic name per field name (ingest, results, dlq, ...), as retention settings name them."""
        return {name: getattr(self, name) for name in self.__dataclass_fields__}

    def retry_topic(self, stage: str) -> str:
        topic: str = getattr(self, f"retry_{stage}")
        return topic


def published_topic(settings: Settings) -> str:
    """Markers of the documents already published to `results`, one partition per
    partition of the validated topic (see doclane.streaming.publisher)."""
    return f"{settings.topic_prefix}published"


def dead_lettered_topic(settings: Settings) -> str:
    """Markers of the input records already dead-lettered or sent to retry (doclane.streaming.publisher)."""
    return f"{settings.topic_prefix}dead-lettered"


def replayed_topic(settings: Settings) -> str:
    """Markers of the dead letters `doclane dlq replay` has sent back (doclane.connectors.replay)."""
    return f"{settings.topic_prefix}replayed"


def state_topics(settings: Settings) -> dict[str, int]:
    """The workers' compacted state topics and their partition counts: the changelog of
    the global `seen` table (named by Faust) and the published markers."""
    return {
        f"{settings.app_id}-seen-changelog": REFERENCE_PARTITIONS,
        published_topic(settings): settings.partitions,
        dead_lettered_topic(settings): settings.partitions,
        replayed_topic(settings): REFERENCE_PARTITIONS,
    }


@dataclass(frozen=True)
class Codecs:
    """One codec per record type, built once at start-up."""

    submitted: ValueCodec
    result: ValueCodec
    dead_letter: ValueCodec
    vendor: ValueCodec
    fx_rate: ValueCodec
    correction: ValueCodec
    vendor_hint: ValueCodec

    @classmethod
    def from_settings(cls, settings: Settings) -> Codecs:
        schemas = current_schemas()
        url = settings.schema_registry_url
        return cls(
            submitted=build_codec(schemas[SUBMITTED], url),
            result=build_codec(schemas[RESULT], url),
            dead_letter=build_codec(schemas[DEAD_LETTER], url),
            vendor=build_codec(schemas[VENDOR], url),
            fx_rate=build_codec(schemas[FX_RATE], url),
            correction=build_codec(schemas[CORRECTION], url),
            vendor_hint=build_codec(schemas[VENDOR_HINT], url),
        )


def create_topics(
    settings: Settings, names: TopicNames | None = None, timeout: float = 30.0
) -> None:
    """Create the pipeline's topics if absent; existing ones are left as they are."""
    from confluent_kafka import KafkaError, KafkaException
    from confluent_kafka.admin import AdminClient, NewTopic

    names = names or TopicNames.from_prefix(settings.topic_prefix)
    from doclane.wire.clients import client_config

    admin = AdminClient(client_config(settings))
    retention = stream_retention(settings, names)
    durability = replica_config(settings)
    wanted = [
        NewTopic(
            topic,
            num_partitions=settings.partitions,
            replication_factor=settings.topic_replication_factor,
            config={
                "max.message.bytes": str(MAX_MESSAGE_BYTES),
                "retention.ms": str(ms),
                **durability,
            },
        )
        for topic, ms in retention.items()
    ]
    compacted = {
        **dict.fromkeys(names.reference_topics(), REFERENCE_PARTITIONS),
        **state_topics(settings),
    }
    wanted += [
        NewTopic(
            topic,
            num_partitions=partitions,
            replication_factor=settings.topic_replication_factor,
            config={"cleanup.policy": "compact", **durability},
        )
        for topic, partitions in compacted.items()
    ]
    futures = admin.create_topics(wanted, request_timeout=timeout)
    existing = []
    for topic, future in futures.items():
        try:
            future.result(timeout=timeout)
        except TimeoutError as exc:  # the future itself timed out
            raise BrokerError(
                f"cannot create topic {topic}: the broker at {settings.bootstrap_servers} did "
                f"not answer within {timeout:.0f} s"
            ) from exc
        except KafkaException as exc:
            if exc.args and exc.args[0].code() == KafkaError.TOPIC_ALREADY_EXISTS:
                existing.append(topic)
                continue
            raise BrokerError(f"cannot create topic {topic}: {exc}") from exc
    _set_retention(admin, {t: ms for t, ms in retention.items() if t in existing}, timeout)


def replica_config(settings: Settings) -> dict[str, str]:
    """Topic options about replicas: min.insync.replicas where the settings ask for one."""
    minimum = settings.topic_min_insync_replicas
    return {} if minimum is None else {"min.insync.replicas": str(minimum)}


def stream_retention(settings: Settings, names: TopicNames) -> dict[str, int]:
    """retention.ms of each document topic (the compacted ones keep the latest per key)."""
    streams = set(names.stream_topics())
    return {
        topic: settings.retention_ms(field)
        for field, topic in names.by_field().items()
        if topic in streams
    }


def _set_retention(admin: Any, retention: dict[str, int], timeout: float) -> None:
    """Existing topics take the configured retention too (only that key is changed)."""
    from confluent_kafka import KafkaException
    from confluent_kafka.admin import (
        AlterConfigOpType,
        ConfigEntry,
        ConfigResource,
        ResourceType,
    )

    if not retention:
        return
    resources = [
        ConfigResource(
            ResourceType.TOPIC,
            topic,
            incremental_configs=[
                ConfigEntry("retention.ms", str(ms), incremental_operation=AlterConfigOpType.SET)
            ],
        )
        for topic, ms in retention.items()
    ]
    for resource, future in admin.incremental_alter_configs(
        resources, request_timeout=timeout
    ).items():
        try:
            future.result(timeout=timeout)
        except (KafkaException, TimeoutError) as exc:
            raise BrokerError(f"cannot set retention.ms of {resource.name}: {exc}") from exc
