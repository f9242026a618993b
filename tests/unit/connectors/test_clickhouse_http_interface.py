"""ClickHouse's HTTP interface without an engine: where a request's query comes from,
which statements a read-only store runs, and how refusals look to ClickHouse clients."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from doclane.connectors.clickhouse import http_interface as ch
from doclane.connectors.clickhouse.server import presented_key


def _query(
    method: str, params: dict[str, str], body: bytes = b"", **headers: str
) -> ch.ClickHouseQuery:
    request = ch.read_query(method, params, headers, body)
    assert isinstance(request, ch.ClickHouseQuery)
    return request


def test_get_takes_the_query_from_the_url_and_ignores_a_body() -> None:
    assert _query("GET", {"query": "SELECT 1"}, b"ignored").sql == "SELECT 1"


def test_post_puts_the_url_query_before_the_body() -> None:
    assert _query("POST", {}, b"SELECT 2").sql == "SELECT 2"
    assert _query("POST", {"query": "SELECT"}, b"3").sql == "SELECT\n3"


def test_parameters_settings_and_transport_options_are_told_apart() -> None:
    request = _query(
        "POST",
        {
            "param_id": "doc-1",
            "max_threads": "2",
            "database": "system",
            "query_id": "q-1",
            "session_id": "s",
            "wait_end_of_query": "1",
            "client_protocol_version": "54405",
            "password": "secret",
            "user": "default",
            "readonly": "0",
        },
        b"SELECT {id:String}",
    )
    assert request.parameters == {"id": "doc-1"}
    assert request.settings == {"max_threads": "2"}  # readonly cannot be lowered
    assert (request.database, request.query_id) == ("system", "q-1")


def test_the_result_format_is_the_clause_then_default_format_then_tab_separated() -> None:
    assert _query("GET", {"query": "SELECT 1"}).result_format == "TabSeparated"
    assert _query("GET", {"query": "SELECT 1", "default_format": "CSV"}).result_format == "CSV"
    header = _query("GET", {"query": "SELECT 1"}, **{"X-ClickHouse-Format": "JSON"})
    assert header.result_format == "JSON"
    clause = _query("GET", {"query": "SELECT 1 FORMAT JSONEachRow;", "default_format": "CSV"})
    assert clause.result_format == "JSONEachRow"


@pytest.mark.parametrize(
    ("sql", "clause"),
    [
        ("SELECT 1 FORMAT JSON", "JSON"),
        ("SELECT 1 FORMAT CSVWithNames SETTINGS max_threads = 1", "CSVWithNames"),
        ("SELECT 1 -- FORMAT JSON", None),
        ("SELECT 'FORMAT JSON'", None),
        ("SELECT * FROM file('x.csv', 'CSV')", None),
        ("SELECT formatReadableSize(1)", None),
        ("SELECT * FROM (SELECT 1 FORMAT JSON) FORMAT TSV", "TSV"),
    ],
)
def test_format_clause(sql: str, clause: str | None) -> None:
    assert ch.format_clause(sql) == clause


def test_bad_setting_names_formats_and_native_compression_are_refused() -> None:
    bad_setting = ch.read_query("GET", {"query": "SELECT 1", "max threads": "1"}, {}, b"")
    assert isinstance(bad_setting, ch.ClickHouseFailure)
    assert bad_setting.code == ch.BAD_ARGUMENTS
    bad_format = ch.read_query("GET", {"query": "SELECT 1", "default_format": "CSV;"}, {}, b"")
    assert isinstance(bad_format, ch.ClickHouseFailure)
    compressed = ch.read_query("GET", {"query": "SELECT 1", "compress": "1"}, {}, b"")
    assert isinstance(compressed, ch.ClickHouseFailure)
    assert compressed.status == 501


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT 1",
        "  -- a note\n/* and another */ select 1;",
        "(SELECT 1) UNION ALL (SELECT 2)",
        "WITH x AS (SELECT 1) SELECT * FROM x",
        "SHOW TABLES",
        "DESC documents",
        "DESCRIBE TABLE documents",
        "EXISTS TABLE documents",
        "EXPLAIN SELECT 1",
        "SELECT 'a; DROP TABLE documents'",
        "SELECT 1 AS `INTO`, 2 AS outfile",
    ],
)
def test_reading_statements_pass(sql: str) -> None:
    assert ch.refusal(sql) is None


@pytest.mark.parametrize(
    ("sql", "code"),
    [
        ("INSERT INTO documents VALUES (1)", ch.READONLY),
        ("drop table documents", ch.READONLY),
        ("ALTER TABLE documents DELETE WHERE 1", ch.READONLY),
        ("OPTIMIZE TABLE documents FINAL", ch.READONLY),
        ("SET readonly = 0", ch.READONLY),
        ("/* SELECT */ TRUNCATE TABLE documents", ch.READONLY),
        ("SELECT 1; DROP TABLE documents", ch.SYNTAX_ERROR),
        ("SELECT 1 /* ; */; SELECT 2", ch.SYNTAX_ERROR),
        ("", ch.SYNTAX_ERROR),
        ("  -- nothing\n", ch.SYNTAX_ERROR),
        ("SELECT 1 INTO OUTFILE '/tmp/x'", ch.INTO_OUTFILE_NOT_ALLOWED),
        ("select * from system.one into  outfile 'x' format CSV", ch.INTO_OUTFILE_NOT_ALLOWED),
    ],
)
def test_other_statements_are_refused_with_clickhouse_codes(sql: str, code: int) -> None:
    refused = ch.refusal(sql)
    assert refused is not None
    assert refused.code == code


def test_refusals_read_like_a_clickhouse_server_error() -> None:
    refused = ch.refusal("INSERT INTO documents VALUES (1)")
    assert refused is not None
    assert refused.body().startswith(b"Code: 164. DB::Exception: Cannot execute query in readonly")
    assert refused.body().endswith(b" (READONLY)\n")
    assert refused.status == 500  # what a server answers a READONLY exception with
    assert ch.ClickHouseFailure.of(ch.REQUIRED_PASSWORD, "x").status == 401
    assert ch.ClickHouseFailure.of(ch.AUTHENTICATION_FAILED, "x").status == 403
    assert ch.ClickHouseFailure.of(ch.ACCESS_DENIED, "x").status == 403


def test_engine_failures_keep_their_code_and_text() -> None:
    failure = ch.engine_failure(
        "query failed: Code: 60. DB::Exception: Unknown table expression identifier 'x'. "
        "(UNKNOWN_TABLE)"
    )
    assert (failure.code, failure.status) == (60, 404)
    assert failure.text.startswith("Code: 60. DB::Exception: Unknown table")
    assert ch.engine_failure("Code: 62. DB::Exception: Syntax error. (SYNTAX_ERROR)").status == 400
    codeless = ch.engine_failure("the engine went away")
    assert (codeless.code, codeless.status) == (1001, 500)
    assert codeless.body().startswith(b"Code: 1001. DB::Exception: the engine went away")


@pytest.mark.parametrize(
    ("result_format", "content_type"),
    [
        ("TabSeparated", "text/tab-separated-values; charset=UTF-8"),
        ("TSVWithNames", "text/tab-separated-values; charset=UTF-8"),
        ("CSV", "text/csv; charset=UTF-8; header=absent"),
        ("CSVWithNames", "text/csv; charset=UTF-8; header=present"),
        ("JSON", "application/json; charset=UTF-8"),
        ("JSONCompact", "application/json; charset=UTF-8"),
        ("JSONEachRow", "application/x-ndjson; charset=UTF-8"),
        ("Native", "application/octet-stream"),
        ("RowBinaryWithNamesAndTypes", "application/octet-stream"),
        ("PrettyCompact", "text/plain; charset=UTF-8"),
    ],
)
def test_content_types(result_format: str, content_type: str) -> None:
    assert ch.content_type(result_format) == content_type


def test_keys_come_as_clickhouse_clients_send_credentials() -> None:
    basic = "Basic " + base64.b64encode(b"default:the-key").decode()
    assert presented_key({"Authorization": basic}) == "the-key"
    assert presented_key({"X-ClickHouse-Key": "the-key"}) == "the-key"
    assert presented_key({}, {"password": "the-key"}) == "the-key"
    assert presented_key({"Authorization": "Bearer b"}, {"password": "p"}) == "b"
    assert presented_key({}, {"user": "default"}) is None


@given(st.text(max_size=200))
def test_any_text_is_refused_or_passed_never_raises(sql: str) -> None:
    refused = ch.refusal(sql)
    assert refused is None or refused.body().startswith(b"Code: ")
    ch.format_clause(sql)


def test_compressed_bodies_are_decoded_as_clickhouse_clients_send_them() -> None:
    import gzip
    import zlib

    import lz4.frame

    sql = b"SELECT 1"
    assert ch.decoded_body(sql, "", 100) == sql
    assert ch.decoded_body(gzip.compress(sql), "gzip", 100) == sql
    assert ch.decoded_body(zlib.compress(sql), "deflate", 100) == sql
    assert ch.decoded_body(lz4.frame.compress(sql), "lz4", 100) == sql
    unknown = ch.decoded_body(sql, "snappy", 100)
    assert isinstance(unknown, ch.ClickHouseFailure)
    assert unknown.code == ch.UNKNOWN_COMPRESSION_METHOD
    broken = ch.decoded_body(b"not gzip", "gzip", 100)
    assert isinstance(broken, ch.ClickHouseFailure)
    assert broken.status == 400
    bomb = ch.decoded_body(gzip.compress(b" " * 10_000), "gzip", 100)
    assert isinstance(bomb, ch.ClickHouseFailure)
    assert bomb.status == 413


def test_statement_kind_skips_comments_and_parentheses() -> None:
    assert ch.statement_kind("-- note\n( select 1)") == "SELECT"
    assert ch.statement_kind("insert into t format Native\n\x01\x02") == "INSERT"
    assert ch.statement_kind("  ") == ""
