"""Faults while documents flow (the short form of `make chaos`): nothing lost, nothing doubled.

Each case runs on a broker of its own (it may be restarted), two workers and
the sink under the same supervisor `doclane run` uses, then reads the results
topic (read_committed) and ClickHouse and counts every submitted document.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from doclane.ops.chaos import run_scenario
from doclane.settings import PROJECT_ROOT, Settings
from tests import ports

pytestmark = [pytest.mark.broker, pytest.mark.slow]

# Enough that every fault lands while documents still flow: 300 passed through in
# about 6 s on a quiet machine, before a fault at a random share could hit.
DOCUMENTS = 1000


@pytest.mark.parametrize("scenario", ["worker-kill", "sink-kill", "broker-restart"])
def test_every_document_lands_exactly_once_despite_the_fault(scenario: str, tmp_path: Path) -> None:
    base = replace(
        Settings.from_env({}),
        data_dir=tmp_path,
        cache_dir=PROJECT_ROOT / ".cache",
        broker_port=ports.CHAOS_BROKER,
        controller_port=ports.CHAOS_BROKER + 1,
        web_port=ports.CHAOS_WEB,
        sink_port=ports.CHAOS_SINK,
        workers=2,
        retry_delays=(0.5, 1.0),
    )
    result = run_scenario(base, scenario, DOCUMENTS, kills=2, seed=3, timeout=300)
    assert result.faults, "no fault was injected"
    assert result.results_missing == 0
    assert result.results_doubled == 0
    assert result.results_distinct == DOCUMENTS
    assert result.clickhouse_final == DOCUMENTS
    assert result.clickhouse_distinct == DOCUMENTS
    assert result.clickhouse_latest_view == DOCUMENTS
    assert result.dead_letters == 0
    assert all(fault.recovered_after_seconds is not None for fault in result.faults)


def test_every_document_lands_exactly_once_when_one_of_three_broker_nodes_dies(
    tmp_path: Path,
) -> None:
    base = replace(
        Settings.from_env({}),
        data_dir=tmp_path,
        cache_dir=PROJECT_ROOT / ".cache",
        broker_port=ports.CHAOS_BROKER,  # the nodes take CHAOS_BROKER .. + 5
        controller_port=ports.CHAOS_BROKER + 1,
        web_port=ports.CHAOS_WEB,
        sink_port=ports.CHAOS_SINK,
        workers=2,
        retry_delays=(0.5, 1.0),
    )
    result = run_scenario(base, "broker-node-kill", 300, kills=1, seed=3, timeout=300)
    assert result.faults, "no fault was injected"
    assert (result.results_missing, result.results_doubled) == (0, 0)
    assert result.results_distinct == 300
    assert result.clickhouse_final == result.clickhouse_distinct == 300
    assert result.dead_letters == 0
