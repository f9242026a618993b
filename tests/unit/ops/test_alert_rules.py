"""The Prometheus alert rules: valid, unit-tested with promtool, and naming only real metrics."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import yaml

from tests.unit.ops.exported_metrics import (
    ROOT,
    RULES,
    SCRAPE_SERIES,
    doclane_metric_names,
    metric_names_in,
    recorded_names,
    rules,
)

PROMETHEUS_DIR = ROOT / "ops" / "prometheus"
RULE_TESTS = PROMETHEUS_DIR / "rule-tests" / "doclane_test.yml"


def _promtool(*args: str | Path) -> subprocess.CompletedProcess[str]:
    promtool = shutil.which("promtool")
    assert promtool, (
        "promtool is not on PATH: `make test` installs Debian's prometheus package for it "
        "(or run: apt-get install prometheus)"
    )
    return subprocess.run(
        [promtool, *map(str, args)],
        cwd=RULE_TESTS.parent,  # the tests name their rule files relative to themselves
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_promtool_accepts_every_file_prometheus_loads_as_rules() -> None:
    # prometheus.yml loads rules/*.yml whole: a test file there would stop Prometheus starting.
    loaded = sorted((PROMETHEUS_DIR / "rules").glob("*.yml"))
    assert loaded == [RULES]
    checked = _promtool("check", "rules", *loaded)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_every_alert_fires_and_stays_silent_as_its_promtool_test_says() -> None:
    tested = _promtool("test", "rules", RULE_TESTS.name)
    assert tested.returncode == 0, tested.stdout + tested.stderr


def test_every_alert_has_a_firing_case_in_the_promtool_tests() -> None:
    alerts = {rule["alert"] for rule in rules() if "alert" in rule}
    cases = yaml.safe_load(RULE_TESTS.read_text())["tests"]
    firing = {
        case["alertname"]
        for test in cases
        for case in test.get("alert_rule_test", [])
        if case["exp_alerts"]
    }
    assert alerts == firing
    assert {
        "DoclaneConsumerLagGrowing",
        "DoclaneNoThroughputWithLag",
        "DoclaneDeadLetterRateHigh",
        "DoclaneSinkStalled",
        "DoclaneTargetDown",
        "DoclaneParseProcessesRestarting",
    } <= alerts


def test_the_rules_name_only_metrics_the_code_exports() -> None:
    exported = doclane_metric_names()
    recorded = recorded_names()
    used = set().union(*(metric_names_in(rule["expr"]) for rule in rules()))
    assert "doclane_faust_topic_partition_offset_commited" in used  # the parser finds names
    unknown = used - exported - recorded - SCRAPE_SERIES
    assert not unknown, f"the rules name metrics nothing exports: {sorted(unknown)}"


def test_the_name_parser_skips_functions_keywords_and_labels() -> None:
    expr = 'sum by (stage) (rate(a_total{job="x"}[5m])) / on (stage) b unless c offset 1m > 0.5e3'
    assert metric_names_in(expr) == {"a_total", "b", "c"}


def test_compose_mounts_this_rules_folder_and_prometheus_loads_it() -> None:
    compose = yaml.safe_load((ROOT / "docker" / "docker-compose.yml").read_text())
    volumes = compose["services"]["prometheus"]["volumes"]
    assert "../ops/prometheus/rules:/etc/prometheus/rules:ro" in volumes
    scrape = yaml.safe_load((ROOT / "ops" / "prometheus" / "prometheus.yml").read_text())
    assert "/etc/prometheus/rules/*.yml" in scrape["rule_files"]
