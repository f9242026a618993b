"""Retention settings and the blob sweep: blobs go once their documents' TTL has passed."""

from __future__ import annotations

import os
import time
from dataclasses import replace
from pathlib import Path

import pytest

from doclane.exceptions import ConfigurationError
from doclane.ops.retention import DAY_SECONDS, sweep_blobs
from doclane.settings import Settings
from doclane.streaming.blobs import BlobStore
from doclane.streaming.blobs.references import digest_of
from doclane.wire.topics import TopicNames, stream_retention


def test_retention_defaults_and_overrides_per_topic_and_table() -> None:
    settings = Settings.from_env(
        {
            "DOCLANE_TOPIC_RETENTION_MS": "3600000",
            "DOCLANE_TOPIC_RETENTION": "dlq=86400000",
            "DOCLANE_CLICKHOUSE_TTL_DAYS": "30",
            "DOCLANE_CLICKHOUSE_TTL": "pipeline_events=7,documents=0",
        }
    )
    names = TopicNames.from_prefix("p.")
    retention = stream_retention(settings, names)
    assert retention["p.dlq"] == 86_400_000
    assert retention["p.ingest"] == 3_600_000
    assert names.vendors not in retention  # compacted: keeps the latest per key
    assert settings.ttl_days("pipeline_events") == 7
    assert settings.ttl_days("documents") == 0
    assert settings.ttl_days("fields") == 30
    assert Settings.from_env(settings.to_env()).clickhouse_ttl == settings.clickhouse_ttl
    assert Settings.from_env(settings.to_env()).topic_retention == settings.topic_retention
    defaults = Settings.from_env({})
    assert defaults.topic_retention_ms == 7 * 24 * 3600 * 1000
    assert defaults.ttl_days("documents") == 365
    with pytest.raises(ConfigurationError):
        Settings.from_env({"DOCLANE_CLICKHOUSE_TTL": "documents"})


def test_the_sweep_removes_blobs_older_than_the_documents_ttl_only(tmp_path: Path) -> None:
    settings = replace(Settings.from_env({"DOCLANE_CLICKHOUSE_TTL_DAYS": "10"}), data_dir=tmp_path)
    store = BlobStore(settings.blob_dir)
    old, fresh = store.put(b"old document"), store.put(b"fresh document")
    old_path = settings.blob_dir / digest_of(old)[:2] / digest_of(old)
    eleven_days_ago = time.time() - 11 * DAY_SECONDS
    os.utime(old_path, (eleven_days_ago, eleven_days_ago))
    result = sweep_blobs(settings)
    assert (result.retention_days, result.blobs_removed) == (10, 1)
    assert not store.exists(digest_of(old))
    assert store.get(fresh) == b"fresh document"


def test_no_ttl_sweeps_nothing(tmp_path: Path) -> None:
    settings = replace(Settings.from_env({"DOCLANE_CLICKHOUSE_TTL_DAYS": "0"}), data_dir=tmp_path)
    uri = BlobStore(settings.blob_dir).put(b"kept")
    assert sweep_blobs(settings, now=time.time() + 10_000 * DAY_SECONDS).blobs_removed == 0
    assert BlobStore(settings.blob_dir).get(uri) == b"kept"
