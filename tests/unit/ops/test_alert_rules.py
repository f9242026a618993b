"""The Prometheus alert rules: valid, unit-tested with promtool, and naming only real metrics."""

from __future__ import annotations

import importlib
import pkgutil
import re
import shutil
import subprocess
from pathlib import Path

import yaml
from faust.sensors.prometheus import FaustMetrics
from prometheus_client import REGISTRY, CollectorRegistry

import doclane.connectors.clickhouse
from doclane.streaming.app import FAUST_METRICS_PREFIX

ROOT = Path(__file__).resolve().parents[3]
PROMETHEUS_DIR = ROOT / "ops" / "prometheus"
RULES = PROMETHEUS_DIR / "rules" / "doclane.yml"
RULE_TESTS = PROMETHEUS_DIR / "rule-tests" / "doclane_test.yml"
# The series Prometheus writes itself for every scrape target.
SCRAPE_SERIES = {"up"}
SUFFIXES = {
    "counter": ("_total", "_created"),
    "histogram": ("_bucket", "_count", "_sum", "_created"),
    "summary": ("_count", "_sum", "_created"),
    "gauge": ("",),
}
PROMQL_WORDS = {
    "and", "or", "unless", "by", "without", "on", "ignoring", "group_left", "group_right",
    "offset", "bool", "sum", "max", "min", "avg", "count",
}  # fmt: skip


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


def _rules() -> list[dict]:
    groups = yaml.safe_load(RULES.read_text())["groups"]
    return [rule for group in groups for rule in group["rules"]]


def _exported_names(registry: CollectorRegistry) -> set[str]:
    names = set()
    for metric in registry.collect():
        names.update(metric.name + suffix for suffix in SUFFIXES.get(metric.type, ("",)))
    return names


def _doclane_metric_names() -> set[str]:
    """Every series name doclane's own modules and Faust's sensor (with our prefix) export."""
    importlib.import_module("doclane.metrics")
    importlib.import_module("doclane.api.metrics")
    for module in pkgutil.iter_modules(doclane.connectors.clickhouse.__path__):
        importlib.import_module(f"doclane.connectors.clickhouse.{module.name}")
    faust_registry = CollectorRegistry()
    FaustMetrics.create(faust_registry, FAUST_METRICS_PREFIX)
    return _exported_names(REGISTRY) | _exported_names(faust_registry)


def _metric_names_in(expr: str) -> set[str]:
    """Series names a PromQL expression selects (not functions, keywords or label names)."""
    expr = re.sub(r'"(?:[^"\\]|\\.)*"', "", expr)  # strings
    expr = re.sub(r"\{[^}]*\}", "", expr)  # label matchers
    expr = re.sub(r"\[[^\]]*\]", "", expr)  # ranges and subqueries
    expr = re.sub(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", "", expr)
    names = set()
    for match in re.finditer(r"(?<![\w:.])[A-Za-z_:][\w:]*", expr):
        following = expr[match.end() :].lstrip()
        if following.startswith("(") or match.group() in PROMQL_WORDS:
            continue  # a function or an aggregation
        names.add(match.group())
    return names


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
    alerts = {rule["alert"] for rule in _rules() if "alert" in rule}
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
    exported = _doclane_metric_names()
    recorded = {rule["record"] for rule in _rules() if "record" in rule}
    used = set().union(*(_metric_names_in(rule["expr"]) for rule in _rules()))
    assert "doclane_faust_topic_partition_offset_commited" in used  # the parser finds names
    unknown = used - exported - recorded - SCRAPE_SERIES
    assert not unknown, f"the rules name metrics nothing exports: {sorted(unknown)}"


def test_the_name_parser_skips_functions_keywords_and_labels() -> None:
    expr = 'sum by (stage) (rate(a_total{job="x"}[5m])) / on (stage) b unless c offset 1m > 0.5e3'
    assert _metric_names_in(expr) == {"a_total", "b", "c"}


def test_compose_mounts_this_rules_folder_and_prometheus_loads_it() -> None:
    compose = yaml.safe_load((ROOT / "docker" / "docker-compose.yml").read_text())
    volumes = compose["services"]["prometheus"]["volumes"]
    assert "../ops/prometheus/rules:/etc/prometheus/rules:ro" in volumes
    scrape = yaml.safe_load((ROOT / "ops" / "prometheus" / "prometheus.yml").read_text())
    assert "/etc/prometheus/rules/*.yml" in scrape["rule_files"]
