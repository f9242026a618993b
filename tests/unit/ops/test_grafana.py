"""The provisioned Grafana dashboard: its queries name only what doclane exports and stores."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
import yaml

from doclane.connectors.clickhouse.store import DATABASE
from tests.unit.ops.exported_metrics import (
    ROOT,
    SCRAPE_SERIES,
    doclane_metric_names,
    metric_names_in,
    recorded_names,
)

GRAFANA = ROOT / "ops" / "grafana"
DASHBOARD = GRAFANA / "dashboards" / "doclane.json"
SCHEMA = ROOT / "doclane" / "connectors" / "clickhouse" / "sql" / "schema.sql"
COMPOSE = ROOT / "docker" / "docker-compose.yml"
CLICKHOUSE_PLUGIN = "grafana-clickhouse-datasource"
SQL_WORDS = {
    "select", "as", "from", "where", "group", "by", "order", "limit", "and", "or", "not",
    "asc", "desc", "final", "having", "in", "is", "null", "interval", "with", "fill", "step",
}  # fmt: skip
# The dashboard rows the issue asks for, each by a word its title holds.
REQUIRED_PANELS = (
    "consumed per stage", "per topic and partition", "lag per topic and partition",
    "stage processing time", "submit to clickhouse", "dead letters", "review rate",
    "parse-pool restarts", "batch size", "insert time", "documents per minute by type",
)  # fmt: skip


def _dashboard() -> dict:
    return json.loads(DASHBOARD.read_text())


def _panels() -> list[dict]:
    return [panel for panel in _dashboard()["panels"] if panel["type"] != "row"]


def _targets(kind: str) -> list[tuple[str, dict]]:
    return [
        (panel["title"], target)
        for panel in _panels()
        for target in panel["targets"]
        if target["datasource"]["type"] == kind
    ]


def _datasources() -> dict[str, dict]:
    provisioned = GRAFANA / "provisioning" / "datasources" / "doclane.yml"
    return {ds["uid"]: ds for ds in yaml.safe_load(provisioned.read_text())["datasources"]}


def _schema_columns() -> dict[str, set[str]]:
    """Table (and plain view) name -> column names, from the current schema file."""
    text = re.sub(r"--[^\n]*", "", SCHEMA.read_text())
    tables: dict[str, set[str]] = {}
    for name, body in re.findall(
        r"CREATE TABLE IF NOT EXISTS (\w+)\s*\((.*?)\)\s*ENGINE", text, re.S
    ):
        lines = (line.strip() for line in body.split(",\n"))
        tables[name] = {
            line.split()[0]
            for line in lines
            if line and line.split()[0] not in ("INDEX", "PROJECTION", "CONSTRAINT")
        }
    for name, source in re.findall(
        r"CREATE VIEW IF NOT EXISTS (\w+) AS\s+SELECT \* FROM (\w+)", text
    ):
        tables[name] = tables[source]
    return tables


def _sql_names(sql: str) -> tuple[set[str], set[str]]:
    """(tables, columns) a panel's SQL names: Grafana macros kept as their arguments,
    functions, keywords and the query's own aliases left out."""
    sql = re.sub(r"'(?:[^'\\]|\\.)*'", "''", sql)
    sql = re.sub(r"\$__\w+\(([^)]*)\)", r"(\1)", sql)
    tables = set(re.findall(r"\b(?:FROM|JOIN)\s+([\w.]+)", sql, re.I))
    aliases = {alias.lower() for alias in re.findall(r"\bAS\s+(\w+)", sql, re.I)}
    columns = set()
    for match in re.finditer(r"(?<![\w.$])[A-Za-z_][\w.]*", sql):
        word = match.group()
        if sql[match.end() :].lstrip().startswith("(") or word in tables:
            continue
        if word.lower() not in SQL_WORDS | aliases:
            columns.add(word)
    return tables, columns


def test_the_dashboard_has_the_panels_operators_need() -> None:
    titles = " | ".join(panel["title"].lower() for panel in _panels())
    missing = [wanted for wanted in REQUIRED_PANELS if wanted not in titles]
    assert not missing, missing
    ids = [panel["id"] for panel in _dashboard()["panels"]]
    assert len(ids) == len(set(ids))


def test_no_two_panels_overlap_on_the_grid() -> None:
    cells: dict[tuple[int, int], str] = {}
    for panel in _dashboard()["panels"]:
        box = panel["gridPos"]
        assert box["x"] + box["w"] <= 24, panel["title"]
        for x in range(box["x"], box["x"] + box["w"]):
            for y in range(box["y"], box["y"] + box["h"]):
                assert (x, y) not in cells, f"{panel['title']} covers {cells.get((x, y))}"
                cells[x, y] = panel["title"]


def test_every_query_uses_a_provisioned_data_source() -> None:
    datasources = _datasources()
    for panel in _panels():
        for target in [panel, *panel["targets"]]:
            ref = target["datasource"]
            assert ref["uid"] in datasources, panel["title"]
            assert datasources[ref["uid"]]["type"] == ref["type"], panel["title"]


def test_the_prometheus_queries_name_only_metrics_the_code_exports() -> None:
    exported = doclane_metric_names() | recorded_names() | SCRAPE_SERIES
    used: dict[str, set[str]] = {}
    for title, target in _targets("prometheus"):
        for name in metric_names_in(target["expr"]):
            used.setdefault(name, set()).add(title)
    assert {"doclane_submit_to_stored_seconds_bucket", "doclane_parse_processes_replaced_total",
            "doclane_faust_topic_partition_end_offset"} <= set(used)  # fmt: skip
    unknown = {name: sorted(titles) for name, titles in used.items() if name not in exported}
    assert not unknown, f"panels name metrics nothing exports: {unknown}"


def test_promtool_parses_every_prometheus_query(tmp_path) -> None:  # type: ignore[no-untyped-def]
    promtool = shutil.which("promtool")
    assert promtool, "promtool is not on PATH (apt-get install prometheus; `make test` does)"
    # Each query as a recording rule; Grafana's range variables as the range they stand for.
    rules = [
        {"record": f"dashboard:query_{i}", "expr": target["expr"].replace("$__rate_interval", "1m")}
        for i, (_title, target) in enumerate(_targets("prometheus"))
    ]
    path = tmp_path / "dashboard.yml"
    path.write_text(yaml.safe_dump({"groups": [{"name": "dashboard", "rules": rules}]}))
    checked = subprocess.run(
        [promtool, "check", "rules", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_clickhouse_queries_name_only_tables_and_columns_of_the_schema() -> None:
    schema = _schema_columns()
    assert {"submitted_at", "doc_type"} <= schema["documents"]  # the schema parser works
    assert schema["documents_per_minute"] == {"minute", "doc_type", "status", "documents"}
    targets = _targets(CLICKHOUSE_PLUGIN)
    assert targets, "the by-type panel reads ClickHouse"
    for title, target in targets:
        tables, columns = _sql_names(target["rawSql"])
        assert tables, title
        for table in tables:
            database, _, name = table.rpartition(".")
            assert database in ("", DATABASE), f"{title}: {table}"
            assert name in schema, f"{title}: no table {name}"
            unknown = columns - schema[name]
            assert not unknown, f"{title}: {name} has no column {sorted(unknown)}"


@pytest.mark.parametrize(
    ("sql", "tables", "columns"),
    [
        (
            "SELECT minute AS time, sum(documents) AS n FROM doclane.documents_per_minute "
            "WHERE $__timeFilter(minute) AND status = 'review' GROUP BY time ORDER BY time",
            {"doclane.documents_per_minute"},
            {"minute", "documents", "status"},
        ),
        ("SELECT count() FROM documents FINAL WHERE doc_typ = 'x'", {"documents"}, {"doc_typ"}),
    ],
)
def test_the_sql_name_parser_finds_tables_and_columns(sql, tables, columns) -> None:  # type: ignore[no-untyped-def]
    assert _sql_names(sql) == (tables, columns)


def test_compose_serves_the_provisioning_and_the_clickhouse_plugin() -> None:
    compose = yaml.safe_load(COMPOSE.read_text())
    grafana = compose["services"]["grafana"]
    mounts = {
        v.split(":")[1]: (COMPOSE.parent / v.split(":")[0]).resolve() for v in grafana["volumes"]
    }
    assert mounts["/etc/grafana/provisioning"] == GRAFANA / "provisioning"
    provider = yaml.safe_load((GRAFANA / "provisioning" / "dashboards" / "doclane.yml").read_text())
    (dashboards_path,) = [p["options"]["path"] for p in provider["providers"]]
    assert mounts[dashboards_path] == DASHBOARD.parent
    assert grafana["environment"]["GF_PLUGINS_PREINSTALL"].split("@")[0] == CLICKHOUSE_PLUGIN
    datasources = {ds["type"]: ds for ds in _datasources().values()}
    assert datasources["prometheus"]["url"] == "http://prometheus:9090"
    assert compose["services"]["prometheus"]["ports"] == ["9090:9090"]
    clickhouse = datasources[CLICKHOUSE_PLUGIN]
    server = compose["services"]["clickhouse"]["environment"]
    assert clickhouse["jsonData"]["host"] in compose["services"]
    assert clickhouse["jsonData"]["username"] == server["CLICKHOUSE_USER"]
    assert clickhouse["secureJsonData"]["password"] == server["CLICKHOUSE_PASSWORD"]
    assert clickhouse["jsonData"]["defaultDatabase"] == DATABASE
