"""The series names doclane exports, and the names a PromQL expression selects.

Shared by the alert-rule and dashboard tests: both fail on a query naming a
metric no code exports.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import yaml
from faust.sensors.prometheus import FaustMetrics
from prometheus_client import REGISTRY, CollectorRegistry

import doclane.connectors.clickhouse
from doclane.streaming.app import FAUST_METRICS_PREFIX

ROOT = Path(__file__).resolve().parents[3]
RULES = ROOT / "ops" / "prometheus" / "rules" / "doclane.yml"
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


def _exported_names(registry: CollectorRegistry) -> set[str]:
    names = set()
    for metric in registry.collect():
        names.update(metric.name + suffix for suffix in SUFFIXES.get(metric.type, ("",)))
    return names


def doclane_metric_names() -> set[str]:
    """Every series name doclane's own modules and Faust's sensor (with our prefix) export."""
    importlib.import_module("doclane.metrics")
    importlib.import_module("doclane.api.metrics")
    for module in pkgutil.iter_modules(doclane.connectors.clickhouse.__path__):
        importlib.import_module(f"doclane.connectors.clickhouse.{module.name}")
    faust_registry = CollectorRegistry()
    FaustMetrics.create(faust_registry, FAUST_METRICS_PREFIX)
    return _exported_names(REGISTRY) | _exported_names(faust_registry)


def rules() -> list[dict]:
    groups = yaml.safe_load(RULES.read_text())["groups"]
    return [rule for group in groups for rule in group["rules"]]


def recorded_names() -> set[str]:
    """The series the recording rules write: queries may use them like exported ones."""
    return {rule["record"] for rule in rules() if "record" in rule}


def metric_names_in(expr: str) -> set[str]:
    """Series names a PromQL expression selects (not functions, keywords or label names)."""
    expr = re.sub(r'"(?:[^"\\]|\\.)*"', "", expr)  # strings
    expr = re.sub(r"\{[^}]*\}", "", expr)  # label matchers
    expr = re.sub(r"\[[^\]]*\]", "", expr)  # ranges and subqueries
    expr = re.sub(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", "", expr)
    names = set()
    for match in re.finditer(r"(?<![\w:.$])[A-Za-z_:][\w:]*", expr):
        following = expr[match.end() :].lstrip()
        if following.startswith("(") or match.group() in PROMQL_WORDS:
            continue  # a function or an aggregation
        names.add(match.group())
    return names
