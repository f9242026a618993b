"""Typed settings, read once at start-up from the environment.

Every variable is documented in the README's configuration table. Booleans
are parsed explicitly ("false" is false), numbers are validated, and secrets
are wrapped so they never print.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path

from doclane.core.review import ReviewPolicy
from doclane.exceptions import ConfigurationError

PROJECT_ROOT = Path(__file__).resolve().parent.parent  # the checkout, when run from one


def running_from_checkout() -> bool:
    """True in a clone of the repository (`make run`), false for an installed wheel."""
    return (PROJECT_ROOT / "pyproject.toml").is_file() and (PROJECT_ROOT / "schemas").is_dir()


def _default_data_dir() -> Path:
    """The checkout's `var/`; for an installed package, `./var` in the working directory."""
    return (PROJECT_ROOT if running_from_checkout() else Path.cwd()) / "var"


def _default_cache_dir() -> Path:
    """The checkout's `.cache/`; for an installed package, the user's cache directory."""
    if running_from_checkout():
        return PROJECT_ROOT / ".cache"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "doclane"


_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off", ""})


class Secret(str):
    """A string that hides itself in reprs and logs."""

    def __repr__(self) -> str:
        return "Secret('***')"

    def reveal(self) -> str:
        return str.__str__(self)


def _parse_bool(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigurationError(f"{name} must be true or false, got {raw!r}")


def _parse_int(name: str, raw: str, minimum: int = 0) -> int:
    try:
        value = int(raw)
    except ValueError as exc:
        raise ConfigurationError(f"{name} must be an integer, got {raw!r}") from exc
    if value < minimum:
        raise ConfigurationError(f"{name} must be >= {minimum}, got {value}")
    return value


def _parse_float(name: str, raw: str) -> float:
    try:
        return float(raw)
    except ValueError as exc:
        raise ConfigurationError(f"{name} must be a number, got {raw!r}") from exc


_MAX_SWEEP_HOURS = 24 * 365 * 10  # a sane upper bound; also keeps NaN and infinity out

# The document types doclane can tell apart (doclane.core.model.DocType).
TAXONOMY = (
    "invoice", "credit_note", "receipt", "purchase_order", "contract", "bank_statement", "other",
)  # fmt: skip


def _parse_taxonomy(name: str, raw: str) -> tuple[str, ...]:
    wanted = [part.strip().lower() for part in raw.split(",") if part.strip()]
    unknown = [part for part in wanted if part not in TAXONOMY]
    if unknown or not wanted:
        raise ConfigurationError(f"{name} must list types among {', '.join(TAXONOMY)}, got {raw!r}")
    return tuple(t for t in TAXONOMY if t in wanted or t == "other")


def _parse_delays(name: str, raw: str) -> tuple[float, ...]:
    """Comma-separated seconds, each in 0..3600; empty means no retries."""
    delays = tuple(_parse_float(name, part) for part in raw.split(",") if part.strip())
    if any(not 0 <= delay <= 3600 for delay in delays):
        raise ConfigurationError(f"{name} must list seconds between 0 and 3600, got {raw!r}")
    return delays


# An API key must be long enough not to be guessed; a generated one has 43 characters.
MIN_API_KEY_LENGTH = 16


def _parse_keys(name: str, raw: str) -> tuple[Secret, ...]:
    keys = tuple(Secret(part.strip()) for part in raw.split(",") if part.strip())
    short = [key for key in keys if len(key) < MIN_API_KEY_LENGTH or any(c.isspace() for c in key)]
    if short:
        raise ConfigurationError(
            f"{name}: each key needs at least {MIN_API_KEY_LENGTH} characters and no spaces "
            f"({len(short)} do not)"
        )
    return keys


# What an API key may do (doclane.security.keys); admin may do everything.
API_SCOPES = ("submit", "review", "query", "admin")


def _parse_scopes(name: str, raw: str) -> tuple[str, ...]:
    wanted = [part.strip() for part in raw.split(",") if part.strip()]
    if not wanted or any(part not in API_SCOPES for part in wanted):
        raise ConfigurationError(
            f"{name} must list scopes among {', '.join(API_SCOPES)}, got {raw!r}"
        )
    return tuple(s for s in API_SCOPES if s in wanted)


def _parse_per_name(name: str, raw: str) -> tuple[tuple[str, int], ...]:
    """`a=1,b=2` as ((a, 1), (b, 2)); values are non-negative integers."""
    pairs = []
    for part in (p.strip() for p in raw.split(",")):
        if not part:
            continue
        key, sep, value = part.partition("=")
        if not sep or not key.strip():
            raise ConfigurationError(f"{name} must read name=number,..., got {raw!r}")
        pairs.append((key.strip(), _parse_int(name, value.strip(), 0)))
    return tuple(pairs)


def _governance_values(env: Mapping[str, str]) -> dict[str, object]:
    """Key scopes, metrics access and retention, from their variables."""
    values: dict[str, object] = {}

    def text(name: str) -> str | None:
        raw = env.get(name)
        return raw.strip() if raw and raw.strip() else None

    if (raw := text("DOCLANE_API_KEY_SCOPES")) is not None:
        values["api_key_scopes"] = _parse_scopes("DOCLANE_API_KEY_SCOPES", raw)
    if (raw := env.get("DOCLANE_METRICS_AUTH")) is not None:
        values["metrics_auth"] = _parse_bool("DOCLANE_METRICS_AUTH", raw)
    if (raw := text("DOCLANE_TOPIC_RETENTION")) is not None:
        values["topic_retention"] = _parse_per_name("DOCLANE_TOPIC_RETENTION", raw)
    if (raw := text("DOCLANE_CLICKHOUSE_TTL")) is not None:
        values["clickhouse_ttl"] = _parse_per_name("DOCLANE_CLICKHOUSE_TTL", raw)
    return values


# Kafka client security (README "Kafka security"): the values librdkafka and aiokafka share.
KAFKA_SECURITY_PROTOCOLS = ("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL")
KAFKA_SASL_MECHANISMS = ("SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN")


def _parse_choice(name: str, raw: str, choices: tuple[str, ...]) -> str:
    value = raw.strip().upper()
    if value not in choices:
        raise ConfigurationError(f"{name} must be one of {', '.join(choices)}, got {raw!r}")
    return value


def local_broker_ca_file(data_dir: Path) -> Path:
    """The CA certificate doclane's own secure broker generates (under its data dir)."""
    return data_dir / "kafka" / "tls" / "ca.pem"


BROKER_NODE_COUNTS = (1, 3)  # DOCLANE_BROKER_NODES: one node, or a three-voter quorum
CLUSTER_REPLICATION = 3  # replicas per topic on doclane's own three-node broker


@dataclass(frozen=True)
class Settings:
    """Everything doclane reads from its environment. Build with `Settings.from_env()`."""

    # Kafka
    kafka_bootstrap_servers: str | None = (
        None  # KAFKA_BOOTSTRAP_SERVERS: use this broker, start none
    )
    broker_port: int = 19092  # DOCLANE_BROKER_PORT: port of the broker doclane starts itself
    controller_port: int = 19093  # DOCLANE_CONTROLLER_PORT
    broker_heap: str = "768m"  # DOCLANE_BROKER_HEAP
    # DOCLANE_BROKER_NODES: 1, or 3 KRaft nodes on loopback (each broker+controller, node i on
    # broker_port+2i / controller_port+2i); with 3, topics get replication 3, min ISR 2
    broker_nodes: int = 1
    topic_prefix: str = "doclane."  # DOCLANE_TOPIC_PREFIX
    partitions: int = 6  # DOCLANE_PARTITIONS
    replication_factor: int = 1  # DOCLANE_REPLICATION_FACTOR
    schema_registry_url: str | None = None  # SCHEMA_REGISTRY_URL: Confluent wire format when set
    app_id: str = "doclane"  # DOCLANE_APP_ID: Faust app id = consumer group prefix
    # Kafka security, shared by every client (wire/security.py turns it into client options)
    kafka_security_protocol: str = "PLAINTEXT"  # DOCLANE_KAFKA_SECURITY_PROTOCOL
    kafka_sasl_mechanism: str = "SCRAM-SHA-512"  # DOCLANE_KAFKA_SASL_MECHANISM
    kafka_sasl_username: str | None = None  # DOCLANE_KAFKA_SASL_USERNAME
    kafka_sasl_password: Secret | None = None  # DOCLANE_KAFKA_SASL_PASSWORD
    kafka_ssl_ca_file: Path | None = None  # DOCLANE_KAFKA_SSL_CA_FILE: PEM; default system CAs
    kafka_ssl_cert_file: Path | None = None  # DOCLANE_KAFKA_SSL_CERT_FILE: client cert (mTLS)
    kafka_ssl_key_file: Path | None = None  # DOCLANE_KAFKA_SSL_KEY_FILE: its private key
    kafka_ssl_key_password: Secret | None = None  # DOCLANE_KAFKA_SSL_KEY_PASSWORD
    # DOCLANE_KAFKA_SSL_CHECK_HOSTNAME: the broker certificate must name the host dialled
    kafka_ssl_check_hostname: bool = True
    # DOCLANE_KAFKA_CONNECT_TIMEOUT: seconds a process waits at start for the broker to accept it
    kafka_connect_timeout: float = 15.0
    # DOCLANE_BROKER_SECURE: the broker doclane starts listens SASL_SSL only (certificates
    # generated, the DOCLANE_KAFKA_SASL_USERNAME user created)
    broker_secure: bool = False
    # ClickHouse
    clickhouse_url: Secret | None = (
        None  # CLICKHOUSE_URL / CLICKHOUSE_DSN: a server; default embedded chDB
    )
    # Processing
    workers: int = 1  # DOCLANE_WORKERS: Faust worker processes started by `doclane run`
    parse_processes: int = (
        0  # DOCLANE_PARSE_PROCESSES: parse pool size per worker (0 = cores/workers)
    )
    agent_concurrency: int = 0  # DOCLANE_AGENT_CONCURRENCY: in-flight docs per agent (0 = 2*pool)
    pdf_engine: str = "pdfium"  # DOCLANE_PDF_ENGINE: pdfium | pdfminer
    # DOCLANE_TAXONOMY: the document types to tell apart (comma-separated); others are "other"
    taxonomy: tuple[str, ...] = TAXONOMY
    parse_cpu_seconds: int = 30  # DOCLANE_PARSE_CPU_SECONDS: CPU time per document in the pool
    parse_memory_mb: int = 1024  # DOCLANE_PARSE_MEMORY_MB: address space of one parse process
    vendor_master: Path | None = None  # DOCLANE_VENDOR_MASTER: CSV; default the bundled list
    review_threshold: float = 0.6  # DOCLANE_REVIEW_THRESHOLD: type confidence below this -> review
    # DOCLANE_REVIEW_FIELD_THRESHOLD: a required field's confidence below this -> review
    review_field_threshold: float = 0.6
    review_on_warnings: bool = (
        False  # DOCLANE_REVIEW_ON_WARNINGS: warnings route too, not only errors
    )
    base_currency: str = "EUR"  # DOCLANE_BASE_CURRENCY: totals are converted into it
    fx_rates: Path | None = None  # DOCLANE_FX_RATES: CSV seeded at start; default the bundled one
    max_document_bytes: int = 20 * 1024 * 1024  # DOCLANE_MAX_DOCUMENT_BYTES
    # DOCLANE_RETRY_DELAYS: seconds before each retry of a transient failure ("" = none)
    retry_delays: tuple[float, ...] = (1.0, 5.0, 25.0)
    blob_store_url: str | None = None  # DOCLANE_BLOB_STORE: s3://bucket/prefix; default local
    s3_endpoint_url: str | None = None  # DOCLANE_S3_ENDPOINT_URL: an S3-compatible service
    claim_check_threshold: int = (
        512 * 1024
    )  # DOCLANE_CLAIM_CHECK_BYTES: larger payloads go by reference
    # Sink
    sink_batch_size: int = 500  # DOCLANE_SINK_BATCH_SIZE
    sink_batch_seconds: float = 1.0  # DOCLANE_SINK_BATCH_SECONDS
    # Ports and paths
    web_port: int = 6066  # DOCLANE_WEB_PORT: first worker's metrics/health port (+1 per worker)
    sink_port: int = 6065  # DOCLANE_SINK_PORT: sink's query, metrics and health port
    # Addresses those ports listen on: loopback unless set (containers use 0.0.0.0)
    web_host: str = "127.0.0.1"  # DOCLANE_WEB_HOST
    sink_host: str = "127.0.0.1"  # DOCLANE_SINK_HOST
    # HTTP ingest API (`doclane api`; `doclane run` starts it too)
    api_host: str = "127.0.0.1"  # DOCLANE_API_HOST: address the API listens on
    api_port: int = 6064  # DOCLANE_API_PORT
    # DOCLANE_API_KEYS: comma-separated keys the API accepts; none: one is generated under data_dir
    api_keys: tuple[Secret, ...] = ()
    # DOCLANE_API_KEY_SCOPES: scopes of the DOCLANE_API_KEYS keys and of the generated key
    api_key_scopes: tuple[str, ...] = ("admin",)
    # DOCLANE_API_UPLOAD_IDLE_SECONDS: an upload sending nothing this long is refused (408)
    api_upload_idle_seconds: float = 30.0
    metrics_auth: bool = False  # DOCLANE_METRICS_AUTH: /metrics needs a key (query scope) too
    # Retention (README "Security"). DOCLANE_TOPIC_RETENTION_MS: document topics' retention.ms
    topic_retention_ms: int = 7 * 24 * 3600 * 1000
    # DOCLANE_TOPIC_RETENTION: per-topic overrides, e.g. "dlq=2592000000,ingest=86400000"
    topic_retention: tuple[tuple[str, int], ...] = ()
    clickhouse_ttl_days: int = 365  # DOCLANE_CLICKHOUSE_TTL_DAYS: rows older go (0 = keep)
    # DOCLANE_CLICKHOUSE_TTL: per-table days, e.g. "pipeline_events=30,dead_letters=90"
    clickhouse_ttl: tuple[tuple[str, int], ...] = ()
    # DOCLANE_BLOB_SWEEP_HOURS: the sink removes blobs past the documents' TTL this often (0 = never)
    blob_sweep_hours: float = 24.0
    data_dir: Path = field(default_factory=_default_data_dir)  # DOCLANE_DATA_DIR
    cache_dir: Path = field(default_factory=_default_cache_dir)  # DOCLANE_CACHE_DIR
    log_level: str = "info"  # DOCLANE_LOG_LEVEL
    log_json: bool = True  # DOCLANE_LOG_JSON

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:  # noqa: PLR0912 - one flat pass over the variables reads clearest
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}

        def text(name: str) -> str | None:
            raw = env.get(name)
            return raw.strip() if raw and raw.strip() else None

        if (raw := text("KAFKA_BOOTSTRAP_SERVERS")) is not None:
            values["kafka_bootstrap_servers"] = raw
        if (raw := text("SCHEMA_REGISTRY_URL")) is not None:
            values["schema_registry_url"] = raw
        if (raw := text("DOCLANE_BLOB_STORE")) is not None:
            values["blob_store_url"] = raw
        if (raw := text("DOCLANE_S3_ENDPOINT_URL")) is not None:
            values["s3_endpoint_url"] = raw
        if (raw := text("CLICKHOUSE_URL") or text("CLICKHOUSE_DSN")) is not None:
            values["clickhouse_url"] = Secret(raw)
        ints = {
            "DOCLANE_BROKER_PORT": ("broker_port", 1),
            "DOCLANE_CONTROLLER_PORT": ("controller_port", 1),
            "DOCLANE_BROKER_NODES": ("broker_nodes", 1),
            "DOCLANE_PARTITIONS": ("partitions", 1),
            "DOCLANE_REPLICATION_FACTOR": ("replication_factor", 1),
            "DOCLANE_WORKERS": ("workers", 1),
            "DOCLANE_PARSE_PROCESSES": ("parse_processes", 0),
            "DOCLANE_AGENT_CONCURRENCY": ("agent_concurrency", 0),
            "DOCLANE_PARSE_CPU_SECONDS": ("parse_cpu_seconds", 1),
            # A parse process needs ~70 MB of address space before reading anything.
            "DOCLANE_PARSE_MEMORY_MB": ("parse_memory_mb", 128),
            "DOCLANE_MAX_DOCUMENT_BYTES": ("max_document_bytes", 1),
            "DOCLANE_CLAIM_CHECK_BYTES": ("claim_check_threshold", 1),
            "DOCLANE_SINK_BATCH_SIZE": ("sink_batch_size", 1),
            "DOCLANE_WEB_PORT": ("web_port", 1),
            "DOCLANE_SINK_PORT": ("sink_port", 1),
            "DOCLANE_API_PORT": ("api_port", 1),
            "DOCLANE_TOPIC_RETENTION_MS": ("topic_retention_ms", 1),
            "DOCLANE_CLICKHOUSE_TTL_DAYS": ("clickhouse_ttl_days", 0),
        }
        for var, (attr, minimum) in ints.items():
            if (raw := text(var)) is not None:
                values[attr] = _parse_int(var, raw, minimum)
        for var, attr in {
            "DOCLANE_REVIEW_THRESHOLD": "review_threshold",
            "DOCLANE_REVIEW_FIELD_THRESHOLD": "review_field_threshold",
            "DOCLANE_SINK_BATCH_SECONDS": "sink_batch_seconds",
            "DOCLANE_API_UPLOAD_IDLE_SECONDS": "api_upload_idle_seconds",
            "DOCLANE_BLOB_SWEEP_HOURS": "blob_sweep_hours",
        }.items():
            if (raw := text(var)) is not None:
                values[attr] = _parse_float(var, raw)
        sweep_hours = values.get("blob_sweep_hours")
        if isinstance(sweep_hours, float) and not 0 <= sweep_hours <= _MAX_SWEEP_HOURS:
            raise ConfigurationError(
                f"DOCLANE_BLOB_SWEEP_HOURS must be 0 (never) to {_MAX_SWEEP_HOURS}, "
                f"got {sweep_hours!r}"
            )
        for var, attr in {
            "DOCLANE_TOPIC_PREFIX": "topic_prefix",
            "DOCLANE_APP_ID": "app_id",
            "DOCLANE_BROKER_HEAP": "broker_heap",
            "DOCLANE_LOG_LEVEL": "log_level",
            "DOCLANE_API_HOST": "api_host",
            "DOCLANE_WEB_HOST": "web_host",
            "DOCLANE_SINK_HOST": "sink_host",
        }.items():
            if (raw := text(var)) is not None:
                values[attr] = raw
        if (raw := text("DOCLANE_BASE_CURRENCY")) is not None:
            if len(raw) != 3 or not raw.isalpha():
                raise ConfigurationError(
                    f"DOCLANE_BASE_CURRENCY must be an ISO 4217 code like EUR, got {raw!r}"
                )
            values["base_currency"] = raw.upper()
        if (raw := env.get("DOCLANE_TOPIC_PREFIX")) is not None and not raw.strip():
            values["topic_prefix"] = ""
        if (raw := text("DOCLANE_PDF_ENGINE")) is not None:
            if raw not in ("pdfium", "pdfminer"):
                raise ConfigurationError(
                    f"DOCLANE_PDF_ENGINE must be pdfium or pdfminer, got {raw!r}"
                )
            values["pdf_engine"] = raw
        for var, attr in {
            "DOCLANE_DATA_DIR": "data_dir",
            "DOCLANE_CACHE_DIR": "cache_dir",
            "DOCLANE_VENDOR_MASTER": "vendor_master",
            "DOCLANE_FX_RATES": "fx_rates",
        }.items():
            if (raw := text(var)) is not None:
                values[attr] = Path(raw).expanduser().resolve()
        if (raw := env.get("DOCLANE_LOG_JSON")) is not None:
            values["log_json"] = _parse_bool("DOCLANE_LOG_JSON", raw)
        if (raw := env.get("DOCLANE_REVIEW_ON_WARNINGS")) is not None:
            values["review_on_warnings"] = _parse_bool("DOCLANE_REVIEW_ON_WARNINGS", raw)
        if (raw := text("DOCLANE_TAXONOMY")) is not None:
            values["taxonomy"] = _parse_taxonomy("DOCLANE_TAXONOMY", raw)
        if (raw := env.get("DOCLANE_RETRY_DELAYS")) is not None:
            values["retry_delays"] = _parse_delays("DOCLANE_RETRY_DELAYS", raw)
        if (raw := text("DOCLANE_API_KEYS")) is not None:
            values["api_keys"] = _parse_keys("DOCLANE_API_KEYS", raw)
        values.update(_governance_values(env))
        values.update(_kafka_security_from_env(env, values))
        settings = cls(**values)  # type: ignore[arg-type]
        settings.check_broker_nodes()
        return settings

    def to_env(self) -> dict[str, str]:
        """The environment variables that make `from_env` rebuild exactly these settings.

        The supervisor hands this to every child process, so a worker or sink
        started for settings built in code (tests, `make bench`) agrees with
        its parent on topics, ports and paths.
        """
        env = {
            "DOCLANE_BROKER_PORT": str(self.broker_port),
            "DOCLANE_CONTROLLER_PORT": str(self.controller_port),
            "DOCLANE_BROKER_HEAP": self.broker_heap,
            "DOCLANE_BROKER_NODES": str(self.broker_nodes),
            "DOCLANE_TOPIC_PREFIX": self.topic_prefix,
            "DOCLANE_PARTITIONS": str(self.partitions),
            "DOCLANE_REPLICATION_FACTOR": str(self.replication_factor),
            "DOCLANE_APP_ID": self.app_id,
            "DOCLANE_WORKERS": str(self.workers),
            "DOCLANE_PARSE_PROCESSES": str(self.parse_processes),
            "DOCLANE_AGENT_CONCURRENCY": str(self.agent_concurrency),
            "DOCLANE_PDF_ENGINE": self.pdf_engine,
            "DOCLANE_PARSE_CPU_SECONDS": str(self.parse_cpu_seconds),
            "DOCLANE_PARSE_MEMORY_MB": str(self.parse_memory_mb),
            "DOCLANE_BASE_CURRENCY": self.base_currency,
            "DOCLANE_REVIEW_THRESHOLD": repr(self.review_threshold),
            "DOCLANE_REVIEW_FIELD_THRESHOLD": repr(self.review_field_threshold),
            "DOCLANE_REVIEW_ON_WARNINGS": "true" if self.review_on_warnings else "false",
            "DOCLANE_MAX_DOCUMENT_BYTES": str(self.max_document_bytes),
            "DOCLANE_TAXONOMY": ",".join(self.taxonomy),
            "DOCLANE_RETRY_DELAYS": ",".join(repr(delay) for delay in self.retry_delays),
            "DOCLANE_CLAIM_CHECK_BYTES": str(self.claim_check_threshold),
            "DOCLANE_SINK_BATCH_SIZE": str(self.sink_batch_size),
            "DOCLANE_SINK_BATCH_SECONDS": repr(self.sink_batch_seconds),
            "DOCLANE_WEB_PORT": str(self.web_port),
            "DOCLANE_SINK_PORT": str(self.sink_port),
            "DOCLANE_API_HOST": self.api_host,
            "DOCLANE_WEB_HOST": self.web_host,
            "DOCLANE_SINK_HOST": self.sink_host,
            "DOCLANE_API_PORT": str(self.api_port),
            "DOCLANE_DATA_DIR": str(self.data_dir),
            "DOCLANE_CACHE_DIR": str(self.cache_dir),
            "DOCLANE_LOG_LEVEL": self.log_level,
            "DOCLANE_LOG_JSON": "true" if self.log_json else "false",
            "DOCLANE_API_KEY_SCOPES": ",".join(self.api_key_scopes),
            "DOCLANE_METRICS_AUTH": "true" if self.metrics_auth else "false",
            "DOCLANE_API_UPLOAD_IDLE_SECONDS": repr(self.api_upload_idle_seconds),
            "DOCLANE_TOPIC_RETENTION_MS": str(self.topic_retention_ms),
            "DOCLANE_TOPIC_RETENTION": ",".join(f"{k}={v}" for k, v in self.topic_retention),
            "DOCLANE_CLICKHOUSE_TTL_DAYS": str(self.clickhouse_ttl_days),
            "DOCLANE_CLICKHOUSE_TTL": ",".join(f"{k}={v}" for k, v in self.clickhouse_ttl),
            "DOCLANE_BLOB_SWEEP_HOURS": repr(self.blob_sweep_hours),
            "DOCLANE_KAFKA_SECURITY_PROTOCOL": self.kafka_security_protocol,
            "DOCLANE_KAFKA_SASL_MECHANISM": self.kafka_sasl_mechanism,
            "DOCLANE_KAFKA_SSL_CHECK_HOSTNAME": "true"
            if self.kafka_ssl_check_hostname
            else "false",
            "DOCLANE_KAFKA_CONNECT_TIMEOUT": repr(self.kafka_connect_timeout),
            "DOCLANE_BROKER_SECURE": "true" if self.broker_secure else "false",
        }
        optional = {
            "KAFKA_BOOTSTRAP_SERVERS": self.kafka_bootstrap_servers,
            "SCHEMA_REGISTRY_URL": self.schema_registry_url,
            "CLICKHOUSE_URL": self.clickhouse_url.reveal() if self.clickhouse_url else None,
            "DOCLANE_VENDOR_MASTER": str(self.vendor_master) if self.vendor_master else None,
            "DOCLANE_FX_RATES": str(self.fx_rates) if self.fx_rates else None,
            "DOCLANE_BLOB_STORE": self.blob_store_url,
            "DOCLANE_S3_ENDPOINT_URL": self.s3_endpoint_url,
            "DOCLANE_API_KEYS": ",".join(key.reveal() for key in self.api_keys) or None,
            "DOCLANE_KAFKA_SASL_USERNAME": self.kafka_sasl_username,
            "DOCLANE_KAFKA_SASL_PASSWORD": _revealed(self.kafka_sasl_password),
            "DOCLANE_KAFKA_SSL_CA_FILE": _path_text(self.kafka_ssl_ca_file),
            "DOCLANE_KAFKA_SSL_CERT_FILE": _path_text(self.kafka_ssl_cert_file),
            "DOCLANE_KAFKA_SSL_KEY_FILE": _path_text(self.kafka_ssl_key_file),
            "DOCLANE_KAFKA_SSL_KEY_PASSWORD": _revealed(self.kafka_ssl_key_password),
        }
        env.update({name: value for name, value in optional.items() if value is not None})
        return env

    # Derived values -------------------------------------------------------

    @property
    def bootstrap_servers(self) -> str:
        """The broker to talk to: the configured one, or every node of the one doclane starts."""
        if self.kafka_bootstrap_servers:
            return self.kafka_bootstrap_servers
        return ",".join(f"127.0.0.1:{broker}" for broker, _ in self.broker_node_ports())

    def broker_node_ports(self) -> list[tuple[int, int]]:
        """(broker port, controller port) of each node of the broker doclane starts."""
        return [
            (self.broker_port + 2 * node, self.controller_port + 2 * node)
            for node in range(self.broker_nodes)
        ]

    def check_broker_nodes(self) -> None:
        """DOCLANE_BROKER_NODES is 1 or 3, and the nodes' ports do not overlap."""
        if self.broker_nodes not in BROKER_NODE_COUNTS:
            raise ConfigurationError(
                f"DOCLANE_BROKER_NODES must be 1 or 3, got {self.broker_nodes}"
            )
        if self.broker_nodes > 1 and self.broker_secure:
            raise ConfigurationError(
                "DOCLANE_BROKER_SECURE starts one node only: set DOCLANE_BROKER_NODES=1"
            )
        ports = [port for pair in self.broker_node_ports() for port in pair]
        if len(set(ports)) != len(ports):
            raise ConfigurationError(
                f"the {self.broker_nodes} broker nodes would share ports {sorted(ports)}: "
                "node i listens on DOCLANE_BROKER_PORT+2i and DOCLANE_CONTROLLER_PORT+2i, so "
                "set DOCLANE_CONTROLLER_PORT to DOCLANE_BROKER_PORT+1 or far from it"
            )

    @property
    def topic_replication_factor(self) -> int:
        """Replicas of every topic doclane creates: DOCLANE_REPLICATION_FACTOR, raised to
        3 with DOCLANE_BROKER_NODES=3. Not tied to starting the broker: the supervisor's
        children get KAFKA_BOOTSTRAP_SERVERS (the nodes) and must agree with their parent."""
        if self.broker_nodes >= CLUSTER_REPLICATION:
            return max(self.replication_factor, CLUSTER_REPLICATION)
        return self.replication_factor

    @property
    def topic_min_insync_replicas(self) -> int | None:
        """min.insync.replicas of the topics doclane creates (None: the broker's default).
        With 3 replicas, 2 must have a write before acks=all answers: one node may be down."""
        return 2 if self.topic_replication_factor >= CLUSTER_REPLICATION else None

    @property
    def starts_own_broker(self) -> bool:
        return self.kafka_bootstrap_servers is None

    @property
    def kafka_uses_sasl(self) -> bool:
        return self.kafka_security_protocol in ("SASL_PLAINTEXT", "SASL_SSL")

    @property
    def kafka_uses_tls(self) -> bool:
        return self.kafka_security_protocol in ("SSL", "SASL_SSL")

    @property
    def clickhouse_dsn(self) -> str:
        if self.clickhouse_url is not None:
            return self.clickhouse_url.reveal()
        return f"chdb://{self.data_dir / 'clickhouse'}"

    @property
    def uses_embedded_clickhouse(self) -> bool:
        return self.clickhouse_dsn.startswith("chdb://")

    @property
    def blob_dir(self) -> Path:
        return self.data_dir / "blobs"

    @property
    def fx_rates_path(self) -> Path:
        return self.fx_rates or Path(__file__).resolve().parent / "data" / "fx_rates.csv"

    @property
    def vendor_master_path(self) -> Path:
        return self.vendor_master or Path(__file__).resolve().parent / "data" / "vendors.csv"

    @property
    def review_policy(self) -> ReviewPolicy:
        return ReviewPolicy(
            type_confidence=self.review_threshold,
            field_confidence=self.review_field_threshold,
            on_warnings=self.review_on_warnings,
        )

    def ttl_days(self, table: str) -> int:
        """Days a ClickHouse table keeps rows (0: no TTL)."""
        return dict(self.clickhouse_ttl).get(table, self.clickhouse_ttl_days)

    def retention_ms(self, topic_field: str) -> int:
        """retention.ms of a document topic, by its TopicNames field (ingest, dlq, ...)."""
        return dict(self.topic_retention).get(topic_field, self.topic_retention_ms)

    @property
    def parse_memory_bytes(self) -> int:
        return self.parse_memory_mb * 1024 * 1024

    def effective_parse_processes(self, cpu_count: int | None = None) -> int:
        if self.parse_processes:
            return self.parse_processes
        cores = cpu_count or os.cpu_count() or 1
        return max(1, cores // self.workers)

    def describe(self) -> dict[str, object]:
        """Settings as printable data, secrets masked."""
        return {f.name: _masked(getattr(self, f.name)) for f in fields(self)}


def _kafka_security_from_env(  # noqa: PLR0912 - one flat pass, as in from_env
    env: Mapping[str, str], known: Mapping[str, object]
) -> dict[str, object]:
    """The Kafka security fields, checked together: SASL needs credentials, mTLS a cert and key.

    With DOCLANE_BROKER_SECURE and doclane's own broker, the protocol defaults to SASL_SSL
    and the CA to the one that broker generates.
    """

    def text(name: str) -> str | None:
        raw = env.get(name)
        return raw.strip() if raw and raw.strip() else None

    values: dict[str, object] = {}
    if (raw := text("DOCLANE_KAFKA_SECURITY_PROTOCOL")) is not None:
        values["kafka_security_protocol"] = _parse_choice(
            "DOCLANE_KAFKA_SECURITY_PROTOCOL", raw, KAFKA_SECURITY_PROTOCOLS
        )
    if (raw := text("DOCLANE_KAFKA_SASL_MECHANISM")) is not None:
        values["kafka_sasl_mechanism"] = _parse_choice(
            "DOCLANE_KAFKA_SASL_MECHANISM", raw, KAFKA_SASL_MECHANISMS
        )
    if (raw := text("DOCLANE_KAFKA_SASL_USERNAME")) is not None:
        values["kafka_sasl_username"] = raw
    for var, attr in {
        "DOCLANE_KAFKA_SASL_PASSWORD": "kafka_sasl_password",
        "DOCLANE_KAFKA_SSL_KEY_PASSWORD": "kafka_ssl_key_password",
    }.items():
        if (raw := env.get(var)) is not None and raw != "":
            values[attr] = Secret(raw)  # passwords are taken as they are, spaces included
    for var, attr in {
        "DOCLANE_KAFKA_SSL_CA_FILE": "kafka_ssl_ca_file",
        "DOCLANE_KAFKA_SSL_CERT_FILE": "kafka_ssl_cert_file",
        "DOCLANE_KAFKA_SSL_KEY_FILE": "kafka_ssl_key_file",
    }.items():
        if (raw := text(var)) is not None:
            values[attr] = Path(raw).expanduser().resolve()
    if (raw := env.get("DOCLANE_KAFKA_SSL_CHECK_HOSTNAME")) is not None:
        values["kafka_ssl_check_hostname"] = _parse_bool("DOCLANE_KAFKA_SSL_CHECK_HOSTNAME", raw)
    if (raw := text("DOCLANE_KAFKA_CONNECT_TIMEOUT")) is not None:
        timeout = _parse_float("DOCLANE_KAFKA_CONNECT_TIMEOUT", raw)
        if not 0.5 <= timeout <= 600:
            raise ConfigurationError(
                f"DOCLANE_KAFKA_CONNECT_TIMEOUT must be 0.5..600 seconds, got {raw!r}"
            )
        values["kafka_connect_timeout"] = timeout
    if (raw := env.get("DOCLANE_BROKER_SECURE")) is not None:
        values["broker_secure"] = _parse_bool("DOCLANE_BROKER_SECURE", raw)
    if values.get("broker_secure") and "kafka_bootstrap_servers" not in known:
        values.setdefault("kafka_security_protocol", "SASL_SSL")
        data_dir = known.get("data_dir") or _default_data_dir()
        values.setdefault("kafka_ssl_ca_file", local_broker_ca_file(Path(str(data_dir))))
        if values["kafka_security_protocol"] != "SASL_SSL":
            raise ConfigurationError(
                "DOCLANE_BROKER_SECURE starts a SASL_SSL broker: "
                "DOCLANE_KAFKA_SECURITY_PROTOCOL must be SASL_SSL or unset"
            )
    _check_kafka_security(values)
    return values


def _check_kafka_security(values: Mapping[str, object]) -> None:
    protocol = values.get("kafka_security_protocol", "PLAINTEXT")
    if str(protocol).startswith("SASL_") and not (
        values.get("kafka_sasl_username") and values.get("kafka_sasl_password")
    ):
        raise ConfigurationError(
            f"DOCLANE_KAFKA_SECURITY_PROTOCOL={protocol} needs DOCLANE_KAFKA_SASL_USERNAME "
            "and DOCLANE_KAFKA_SASL_PASSWORD"
        )
    if ("kafka_ssl_cert_file" in values) != ("kafka_ssl_key_file" in values):
        raise ConfigurationError(
            "DOCLANE_KAFKA_SSL_CERT_FILE and DOCLANE_KAFKA_SSL_KEY_FILE go together (mTLS)"
        )


def _revealed(secret: Secret | None) -> str | None:
    return secret.reveal() if secret is not None else None


def _path_text(path: Path | None) -> str | None:
    return str(path) if path is not None else None


def _masked(value: object) -> object:
    if isinstance(value, Secret):
        return "***"
    if isinstance(value, tuple) and value and all(isinstance(item, Secret) for item in value):
        return tuple("***" for _ in value)
    return value
