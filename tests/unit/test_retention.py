"""Retention settings and the blob sweep: blobs go once their documents' TTL has passed."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from doclane.exceptions import ConfigurationError
from doclane.ops.retention import DAY_SECONDS, sweep_blobs
from doclane.settings import Settings
from doclane.streaming.blobs import BlobStore
from doclane.streaming.blobs import sweep as sweep_module
from doclane.streaming.blobs.references import digest_of
from doclane.streaming.blobs.sweep import PeriodicBlobSweep
from doclane.wire.topics import TopicNames, stream_retention
from tests.kafka_tools import child_env


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


def _age(store: BlobStore, uri: str, days: float) -> None:
    path = store.root / digest_of(uri)[:2] / digest_of(uri)
    then = time.time() - days * DAY_SECONDS
    os.utime(path, (then, then))


def test_the_same_bytes_sent_again_keep_their_blob_for_the_new_documents_retention(
    tmp_path: Path,
) -> None:
    """Blobs are shared by content: the second sender's document must not lose its blob
    when the first one's retention ends."""
    settings = replace(Settings.from_env({"DOCLANE_CLICKHOUSE_TTL_DAYS": "10"}), data_dir=tmp_path)
    store = BlobStore(settings.blob_dir)
    put_again, streamed_again = store.put(b"sent twice"), store.put(b"streamed twice")
    _age(store, put_again, days=11)
    _age(store, streamed_again, days=11)
    assert store.put(b"sent twice") == put_again
    writer = store.writer()
    writer.write(b"streamed ")
    writer.write(b"twice")
    assert writer.commit() == streamed_again
    assert sweep_blobs(settings).blobs_removed == 0
    assert store.get(put_again) == b"sent twice"
    assert store.get(streamed_again) == b"streamed twice"


def test_a_link_where_a_blob_belongs_is_replaced_by_the_real_bytes(tmp_path: Path) -> None:
    store = BlobStore(tmp_path / "blobs")
    uri = store.put(b"real bytes")
    path = store.root / digest_of(uri)[:2] / digest_of(uri)
    path.unlink()
    path.symlink_to(tmp_path / "elsewhere")
    assert store.put(b"real bytes") == uri
    assert not path.is_symlink()
    assert store.get(uri) == b"real bytes"


def _wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_the_periodic_sweep_runs_at_start_and_again_on_its_interval(tmp_path: Path) -> None:
    settings = replace(
        Settings.from_env(
            {"DOCLANE_CLICKHOUSE_TTL_DAYS": "10", "DOCLANE_BLOB_SWEEP_HOURS": "0.0001"}
        ),
        data_dir=tmp_path,
    )  # every 0.36 s
    store = BlobStore(settings.blob_dir)
    first, fresh = store.put(b"expired before start"), store.put(b"fresh")
    _age(store, first, days=30)
    sweep = PeriodicBlobSweep(settings)
    sweep.start()
    try:
        assert _wait_until(lambda: not store.exists(digest_of(first)))
        later = store.put(b"expires while running")
        _age(store, later, days=11)
        assert _wait_until(lambda: not store.exists(digest_of(later)))
        assert store.get(fresh) == b"fresh"
    finally:
        started = time.monotonic()
        sweep.stop()
    assert time.monotonic() - started < 2  # stop does not wait out an interval


def test_a_failed_sweep_is_logged_and_the_next_one_still_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    settings = replace(
        Settings.from_env(
            {"DOCLANE_CLICKHOUSE_TTL_DAYS": "10", "DOCLANE_BLOB_SWEEP_HOURS": "0.0001"}
        ),
        data_dir=tmp_path,
    )
    store = BlobStore(settings.blob_dir)
    old = store.put(b"old")
    _age(store, old, days=11)
    calls = []

    class FlakyStore:
        def sweep(self, older_than: float) -> int:
            calls.append(older_than)
            if len(calls) == 1:
                raise OSError("the disk went away for a moment")
            return store.sweep(older_than)

    monkeypatch.setattr(sweep_module, "open_blob_store", lambda _settings: FlakyStore())
    sweep = PeriodicBlobSweep(settings)
    sweep.start()
    try:
        assert _wait_until(lambda: not store.exists(digest_of(old)))
    finally:
        sweep.stop()
    assert len(calls) >= 2
    failures = [r for r in caplog.records if r.name == "doclane.blobs.sweep" and r.exc_info]
    assert failures
    assert "blob sweep failed" in failures[0].getMessage()


@pytest.mark.parametrize(
    ("env", "enabled"),
    [
        ({}, True),  # every 24 h, documents kept 365 days
        ({"DOCLANE_BLOB_SWEEP_HOURS": "0"}, False),
        ({"DOCLANE_CLICKHOUSE_TTL_DAYS": "0"}, False),  # nothing expires
        ({"DOCLANE_CLICKHOUSE_TTL": "documents=0"}, False),
    ],
)
def test_the_periodic_sweep_is_off_without_an_interval_or_a_ttl(
    env: dict[str, str], enabled: bool
) -> None:
    settings = Settings.from_env(env)
    assert PeriodicBlobSweep(settings).enabled is enabled
    assert Settings.from_env(settings.to_env()).blob_sweep_hours == settings.blob_sweep_hours


@pytest.mark.parametrize("raw", ["-1", "nan", "inf", "daily"])
def test_a_bad_sweep_interval_is_refused(raw: str) -> None:
    with pytest.raises(ConfigurationError, match="DOCLANE_BLOB_SWEEP_HOURS"):
        Settings.from_env({"DOCLANE_BLOB_SWEEP_HOURS": raw})


def test_doclane_retention_sweep_from_the_command_line(tmp_path: Path) -> None:
    settings = replace(Settings.from_env({"DOCLANE_CLICKHOUSE_TTL_DAYS": "10"}), data_dir=tmp_path)
    store = BlobStore(settings.blob_dir)
    old, fresh = store.put(b"old"), store.put(b"fresh")
    _age(store, old, days=12)
    done = subprocess.run(
        [sys.executable, "-m", "doclane", "retention", "sweep"],
        env=child_env(settings),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "removed 1 blobs older than 10 days"
    assert not store.exists(digest_of(old))
    assert store.exists(digest_of(fresh))
