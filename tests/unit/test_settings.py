from __future__ import annotations

from pathlib import Path

import pytest

from doclane.core.review import ReviewPolicy
from doclane.exceptions import ConfigurationError
from doclane.settings import Settings


def test_defaults_use_embedded_clickhouse_and_own_broker() -> None:
    settings = Settings.from_env({})
    assert settings.starts_own_broker
    assert settings.bootstrap_servers == "127.0.0.1:19092"
    assert settings.clickhouse_dsn.startswith("chdb://")
    assert settings.partitions == 6
    assert settings.topic_prefix == "doclane."


def test_environment_overrides_are_typed() -> None:
    settings = Settings.from_env(
        {
            "KAFKA_BOOTSTRAP_SERVERS": "kafka:9092",
            "DOCLANE_PARTITIONS": "12",
            "DOCLANE_LOG_JSON": "false",
            "DOCLANE_REVIEW_THRESHOLD": "0.75",
            "DOCLANE_DATA_DIR": "/tmp/doclane-x",
            "CLICKHOUSE_URL": "http://user:pw@ch:8123",
        }
    )
    assert not settings.starts_own_broker
    assert settings.bootstrap_servers == "kafka:9092"
    assert settings.partitions == 12
    assert settings.log_json is False  # "false" really is false
    assert settings.review_threshold == 0.75
    assert settings.data_dir == Path("/tmp/doclane-x")
    assert not settings.uses_embedded_clickhouse


def test_secrets_do_not_print() -> None:
    settings = Settings.from_env({"CLICKHOUSE_URL": "http://user:hunter2@ch:8123"})
    assert "hunter2" not in repr(settings)
    assert "hunter2" not in str(settings.describe())
    assert "hunter2" in settings.clickhouse_dsn


@pytest.mark.parametrize(
    ("name", "value"),
    [("DOCLANE_PARTITIONS", "many"), ("DOCLANE_PARTITIONS", "0"), ("DOCLANE_LOG_JSON", "perhaps"),
     ("DOCLANE_PDF_ENGINE", "tesseract"), ("DOCLANE_PARSE_CPU_SECONDS", "0"),
     ("DOCLANE_PARSE_CPU_SECONDS", "1.5"), ("DOCLANE_PARSE_MEMORY_MB", "64"),
     ("DOCLANE_PARSE_MEMORY_MB", "1G"), ("DOCLANE_RETRY_DELAYS", "1,soon"),
     ("DOCLANE_RETRY_DELAYS", "-1"), ("DOCLANE_TAXONOMY", "invoice,memo")],
)  # fmt: skip
def test_bad_values_are_rejected_with_the_variable_named(name: str, value: str) -> None:
    with pytest.raises(ConfigurationError, match=name):
        Settings.from_env({name: value})


def test_empty_prefix_is_allowed() -> None:
    assert Settings.from_env({"DOCLANE_TOPIC_PREFIX": ""}).topic_prefix == ""


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"topic_prefix": "", "workers": 3, "log_json": False, "sink_batch_seconds": 0.25},
        {
            "kafka_bootstrap_servers": "k1:9092,k2:9092",
            "schema_registry_url": "mock://registry",
            "review_threshold": 0.123456789,
            "data_dir": Path("/tmp/doclane-roundtrip"),
            "vendor_master": Path("/tmp/vendors.csv"),
            "pdf_engine": "pdfminer",
        },
        {"parse_cpu_seconds": 5, "parse_memory_mb": 256},
        {"retry_delays": ()},
        {"blob_store_url": "s3://claims/doclane", "s3_endpoint_url": "http://minio:9000"},
        {"taxonomy": ("invoice", "receipt", "other")},
        {"review_field_threshold": 0.8, "review_on_warnings": True},
        {"retry_delays": (0.25, 2.0)},
    ],
)
def test_to_env_rebuilds_the_same_settings(overrides: dict[str, object]) -> None:
    from dataclasses import replace

    settings = replace(Settings.from_env({}), **overrides)
    assert Settings.from_env(settings.to_env()) == settings


def test_to_env_carries_the_clickhouse_url_without_showing_it() -> None:
    settings = Settings.from_env({"CLICKHOUSE_URL": "http://user:pw@ch:8123"})
    rebuilt = Settings.from_env(settings.to_env())
    assert rebuilt.clickhouse_dsn == "http://user:pw@ch:8123"
    assert "pw" not in repr(rebuilt)


def test_parse_limits_default_to_protect_a_small_machine() -> None:
    settings = Settings.from_env({})
    assert settings.parse_cpu_seconds == 30
    assert settings.parse_memory_bytes == 1024 * 1024 * 1024
    custom = Settings.from_env({"DOCLANE_PARSE_CPU_SECONDS": "5", "DOCLANE_PARSE_MEMORY_MB": "256"})
    assert (custom.parse_cpu_seconds, custom.parse_memory_bytes) == (5, 256 * 1024 * 1024)


def test_retry_delays_are_read_as_seconds() -> None:
    assert Settings.from_env({}).retry_delays == (1.0, 5.0, 25.0)
    assert Settings.from_env({"DOCLANE_RETRY_DELAYS": "0.5, 2"}).retry_delays == (0.5, 2.0)
    assert Settings.from_env({"DOCLANE_RETRY_DELAYS": ""}).retry_delays == ()


def test_the_taxonomy_defaults_to_every_type_and_always_keeps_other() -> None:
    assert "bank_statement" in Settings.from_env({}).taxonomy
    chosen = Settings.from_env({"DOCLANE_TAXONOMY": "receipt, invoice"}).taxonomy
    assert chosen == ("invoice", "receipt", "other")


def test_review_policy_from_the_environment() -> None:
    settings = Settings.from_env(
        {
            "DOCLANE_REVIEW_THRESHOLD": "0.7",
            "DOCLANE_REVIEW_FIELD_THRESHOLD": "0.5",
            "DOCLANE_REVIEW_ON_WARNINGS": "yes",
        }
    )
    assert settings.review_policy == ReviewPolicy(
        type_confidence=0.7, field_confidence=0.5, on_warnings=True
    )


def test_api_keys_are_secrets_that_do_not_print_and_travel_to_children() -> None:
    settings = Settings.from_env(
        {"DOCLANE_API_KEYS": "first-key-0123456789, second-key-0123456789"}
    )
    assert [key.reveal() for key in settings.api_keys] == [
        "first-key-0123456789",
        "second-key-0123456789",
    ]
    assert "first-key" not in repr(settings)
    assert "first-key" not in str(settings.describe())
    assert Settings.from_env(settings.to_env()) == settings


def test_a_short_api_key_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="DOCLANE_API_KEYS"):
        Settings.from_env({"DOCLANE_API_KEYS": "short"})


def test_listen_addresses_default_to_loopback_and_travel_to_children() -> None:
    assert (Settings().web_host, Settings().sink_host, Settings().api_host) == ("127.0.0.1",) * 3
    settings = Settings.from_env({"DOCLANE_WEB_HOST": "0.0.0.0", "DOCLANE_SINK_HOST": "0.0.0.0"})
    assert (settings.web_host, settings.sink_host) == ("0.0.0.0", "0.0.0.0")
    rebuilt = Settings.from_env(settings.to_env())
    assert (rebuilt.web_host, rebuilt.sink_host) == ("0.0.0.0", "0.0.0.0")


def test_three_broker_nodes_list_every_node_and_replicate_topics_three_times() -> None:
    settings = Settings.from_env({"DOCLANE_BROKER_NODES": "3"})
    assert settings.broker_node_ports() == [(19092, 19093), (19094, 19095), (19096, 19097)]
    assert settings.bootstrap_servers == "127.0.0.1:19092,127.0.0.1:19094,127.0.0.1:19096"
    assert settings.topic_replication_factor == 3
    assert settings.topic_min_insync_replicas == 2
    assert Settings.from_env(settings.to_env()) == settings


def test_one_broker_node_keeps_single_replicas() -> None:
    settings = Settings.from_env({})
    assert settings.broker_nodes == 1
    assert settings.topic_replication_factor == 1
    assert settings.topic_min_insync_replicas is None


def test_an_external_broker_takes_the_replication_factor_as_set() -> None:
    settings = Settings.from_env(
        {"KAFKA_BOOTSTRAP_SERVERS": "kafka:9092", "DOCLANE_REPLICATION_FACTOR": "2"}
    )
    assert settings.topic_replication_factor == 2
    assert settings.topic_min_insync_replicas is None
    assert settings.bootstrap_servers == "kafka:9092"


def test_a_child_of_a_three_node_run_replicates_as_its_parent_does() -> None:
    parent = Settings.from_env({"DOCLANE_BROKER_NODES": "3"})
    child = Settings.from_env(
        {**parent.to_env(), "KAFKA_BOOTSTRAP_SERVERS": parent.bootstrap_servers}
    )
    assert child.bootstrap_servers == parent.bootstrap_servers
    assert child.topic_replication_factor == 3
    assert child.topic_min_insync_replicas == 2


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"DOCLANE_BROKER_NODES": "2"}, "must be 1 or 3"),
        (
            {"DOCLANE_BROKER_NODES": "3", "DOCLANE_CONTROLLER_PORT": "19094"},
            "would share ports",
        ),
    ],
)
def test_broker_nodes_are_checked(environ: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        Settings.from_env(environ)
