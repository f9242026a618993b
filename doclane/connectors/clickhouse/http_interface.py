"""ClickHouse's HTTP interface, read-only, as the sink's query port speaks it for chDB.

Pure functions over a request's parts: where the SQL, the settings, the
parameters and the default format come from (URL, headers, body), whether a
statement may run on a read-only store, and how a failure looks to a
ClickHouse client (``Code: NNN. DB::Exception: ... (NAME)``, the code in
``X-ClickHouse-Exception-Code``, the HTTP status ClickHouse gives that code).
The engine itself formats results, in any format it knows.
"""

from __future__ import annotations

import importlib
import itertools
import re
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

DEFAULT_FORMAT = "TabSeparated"  # what ClickHouse answers in when nothing names a format
READ_ONLY_KINDS = frozenset({"SELECT", "WITH", "SHOW", "DESCRIBE", "DESC", "EXISTS", "EXPLAIN"})

# URL parameters that steer the HTTP exchange itself; every other one is a setting.
_TRANSPORT_PARAMETERS = frozenset(
    {
        "query",
        "database",
        "default_format",
        "user",
        "password",
        "quota_key",
        "query_id",
        "session_id",
        "session_timeout",
        "session_check",
        "compress",
        "decompress",
        "buffer_size",
        "wait_end_of_query",
        "enable_http_compression",
        "send_progress_in_http_headers",
        "http_headers_progress_interval_ms",
        "cancel_http_readonly_queries_on_client_close",
        "client_protocol_version",
        "role",
        "readonly",  # the session is always readonly=1; a request cannot lower it
    }
)
_SETTING_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

# ClickHouse error codes this module answers with, and their names.
REQUIRED_PASSWORD = 194
AUTHENTICATION_FAILED = 516
ACCESS_DENIED = 497
READONLY = 164
SYNTAX_ERROR = 62
INTO_OUTFILE_NOT_ALLOWED = 358
QUERY_IS_TOO_LARGE = 229
NOT_IMPLEMENTED = 48
BAD_ARGUMENTS = 36
UNKNOWN_COMPRESSION_METHOD = 89
_NAMES = {
    UNKNOWN_COMPRESSION_METHOD: "UNKNOWN_COMPRESSION_METHOD",
    REQUIRED_PASSWORD: "REQUIRED_PASSWORD",
    AUTHENTICATION_FAILED: "AUTHENTICATION_FAILED",
    ACCESS_DENIED: "ACCESS_DENIED",
    READONLY: "READONLY",
    SYNTAX_ERROR: "SYNTAX_ERROR",
    INTO_OUTFILE_NOT_ALLOWED: "INTO_OUTFILE_NOT_ALLOWED",
    QUERY_IS_TOO_LARGE: "QUERY_IS_TOO_LARGE",
    NOT_IMPLEMENTED: "NOT_IMPLEMENTED",
    BAD_ARGUMENTS: "BAD_ARGUMENTS",
}

# The HTTP status a ClickHouse server gives an exception code; any other code is a 500.
_STATUS_OF_CODE = {
    REQUIRED_PASSWORD: 401,
    **dict.fromkeys((192, 193, AUTHENTICATION_FAILED, ACCESS_DENIED), 403),
    # parse errors, bad arguments, syntax, type mismatch, bad data
    **dict.fromkeys((6, 25, 26, 27, 36, 38, 41, 44, 53, 62, 72, 117, 167, 168), 400),
    # unknown table, function, identifier, type, database, setting, format, aggregate
    **dict.fromkeys((46, 47, 50, 60, 63, 73, 81, 115), 404),
    QUERY_IS_TOO_LARGE: 413,
    NOT_IMPLEMENTED: 501,
    159: 408,  # TIMEOUT_EXCEEDED
    381: 411,  # HTTP_LENGTH_REQUIRED
}
_ENGINE_CODE = re.compile(r"Code: (\d+)\.")


@dataclass(frozen=True)
class ClickHouseFailure:
    """An exception as a ClickHouse server reports it over HTTP."""

    code: int
    text: str  # "Code: NNN. DB::Exception: ... (NAME)"

    @classmethod
    def of(cls, code: int, message: str) -> ClickHouseFailure:
        return cls(code, f"Code: {code}. DB::Exception: {message}. ({_NAMES[code]})")

    @property
    def status(self) -> int:
        return _STATUS_OF_CODE.get(self.code, 500)

    def body(self) -> bytes:
        return f"{self.text}\n".encode()


@dataclass(frozen=True)
class ClickHouseQuery:
    """One statement as a ClickHouse HTTP request asks for it."""

    sql: str
    default_format: str = DEFAULT_FORMAT
    database: str | None = None
    settings: dict[str, str] = field(default_factory=dict)
    parameters: dict[str, str] = field(default_factory=dict)  # from param_<name>
    query_id: str | None = None

    @property
    def result_format(self) -> str:
        """The format the answer comes in: the statement's FORMAT clause, else the default."""
        return format_clause(self.sql) or self.default_format


def read_query(
    method: str, params: Mapping[str, str], headers: Mapping[str, str], body: bytes
) -> ClickHouseQuery | ClickHouseFailure:
    """The query of a request: `?query=` on GET; on POST the body, after `?query=` if both."""
    if params.get("compress") == "1":
        return ClickHouseFailure.of(
            NOT_IMPLEMENTED,
            "compress=1 (ClickHouse-compressed responses) is not served; turn client compression off",
        )
    sql = params.get("query", "")
    if method == "POST" and body:
        sql = (
            f"{sql}\n{body.decode('utf-8', 'replace')}" if sql else body.decode("utf-8", "replace")
        )
    settings: dict[str, str] = {}
    parameters: dict[str, str] = {}
    for name, value in params.items():
        if name.startswith("param_"):
            parameters[name.removeprefix("param_")] = value
        elif name not in _TRANSPORT_PARAMETERS:
            if not _SETTING_NAME.fullmatch(name):
                return ClickHouseFailure.of(BAD_ARGUMENTS, f"Invalid setting name {name!r}")
            settings[name] = value
    default_format = (
        params.get("default_format") or headers.get("X-ClickHouse-Format") or DEFAULT_FORMAT
    )
    if not _SETTING_NAME.fullmatch(default_format):
        return ClickHouseFailure.of(BAD_ARGUMENTS, f"Invalid format name {default_format!r}")
    return ClickHouseQuery(
        sql=sql,
        default_format=default_format,
        database=params.get("database") or headers.get("X-ClickHouse-Database") or None,
        settings=settings,
        parameters=parameters,
        query_id=params.get("query_id") or None,
    )


def decoded_body(body: bytes, encoding: str, limit: int) -> bytes | ClickHouseFailure:
    """A request body as sent with Content-Encoding `encoding` (clickhouse-connect
    compresses inserts with lz4), decoded up to `limit` bytes."""
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return body
    decompressor = _decompressor(encoding)
    if decompressor is None:
        return ClickHouseFailure.of(
            UNKNOWN_COMPRESSION_METHOD, f"Unknown Content-Encoding {encoding!r}"
        )
    try:
        decoded = decompressor.decompress(body, limit + 1)
    except Exception as exc:  # noqa: BLE001 - zlib, lz4 and zstd each raise their own type
        return ClickHouseFailure.of(BAD_ARGUMENTS, f"Cannot decode the {encoding} body: {exc}")
    if len(decoded) > limit:
        return ClickHouseFailure.of(QUERY_IS_TOO_LARGE, f"the query is larger than {limit} bytes")
    return bytes(decoded)


def _decompressor(encoding: str) -> Any:
    if encoding == "gzip":
        return zlib.decompressobj(wbits=31)
    if encoding == "deflate":
        return zlib.decompressobj()
    # The codecs clickhouse-connect itself depends on, when they are installed.
    module_name, class_name = {
        "lz4": ("lz4.frame", "LZ4FrameDecompressor"),
        "zstd": ("backports.zstd", "ZstdDecompressor"),
    }.get(encoding, ("", ""))
    try:
        return getattr(importlib.import_module(module_name), class_name)() if module_name else None
    except ImportError:
        return None


def refusal(sql: str) -> ClickHouseFailure | None:
    """Why `sql` may not run on the read-only store; None when it may.

    One statement, of a reading kind, writing no file (chDB honours ``INTO
    OUTFILE`` even in readonly mode). The tokenizer errs on the strict side:
    anything it cannot tell is a string or a comment counts as code.
    """
    tokens = _tokens(sql)
    if not tokens:
        return ClickHouseFailure.of(SYNTAX_ERROR, "Empty query")
    if ";" in tokens and any(t != ";" for t in tokens[tokens.index(";") :]):
        return ClickHouseFailure.of(SYNTAX_ERROR, "Multi-statements are not allowed")
    kind = statement_kind(sql)
    if kind not in READ_ONLY_KINDS:
        return ClickHouseFailure.of(
            READONLY,
            f"Cannot execute query in readonly mode: {kind or 'this statement'} is not one of "
            + ", ".join(sorted(READ_ONLY_KINDS)),
        )
    words = [t.upper() for t in tokens]
    if any(a == "INTO" and b == "OUTFILE" for a, b in itertools.pairwise(words)):
        return ClickHouseFailure.of(
            INTO_OUTFILE_NOT_ALLOWED, "INTO OUTFILE is not allowed on the query port"
        )
    return None


def statement_kind(sql: str) -> str:
    """The statement's first word, upper case (SELECT, INSERT...); "" when it has none."""
    return next((t.upper() for t in _tokens(sql) if t != "("), "")


def format_clause(sql: str) -> str | None:
    """The format a statement's own ``FORMAT name`` clause asks for, if it has one."""
    depth = 0
    found = None
    tokens = _tokens(sql)
    for word, following in itertools.pairwise([*tokens, ""]):
        if word == "(":
            depth += 1
        elif word == ")":
            depth -= 1
        elif depth == 0 and word.upper() == "FORMAT" and _SETTING_NAME.fullmatch(following):
            found = following
    return found


def engine_failure(message: str) -> ClickHouseFailure:
    """A failure the engine reported, with its own code (1001, STD_EXCEPTION, if it has none)."""
    start = message.find("Code: ")
    text = message[start:].strip() if start >= 0 else message.strip()
    match = _ENGINE_CODE.match(text)
    if match is None:
        return ClickHouseFailure(1001, f"Code: 1001. DB::Exception: {text}. (STD_EXCEPTION)")
    return ClickHouseFailure(int(match.group(1)), text)


def content_type(result_format: str) -> str:
    """The Content-Type ClickHouse gives a result in `result_format`."""
    if result_format.startswith(("TabSeparated", "TSV")):
        return "text/tab-separated-values; charset=UTF-8"
    if result_format.startswith("CSV"):
        header = "present" if "WithNames" in result_format else "absent"
        return f"text/csv; charset=UTF-8; header={header}"
    if result_format.startswith("JSON"):
        if result_format.endswith("EachRow"):
            return "application/x-ndjson; charset=UTF-8"
        return "application/json; charset=UTF-8"
    if result_format.startswith(_BINARY_FORMATS):
        return "application/octet-stream"
    return "text/plain; charset=UTF-8"


_BINARY_FORMATS = (
    "Native",
    "RowBinary",
    "Parquet",
    "Arrow",
    "ORC",
    "Avro",
    "MsgPack",
    "Protobuf",
    "CapnProto",
    "BSON",
    "Npy",
)

_TOKEN = re.compile(
    r"""
      (?P<space>\s+)
    | (?P<comment>--[^\n]*|/\*.*?(?:\*/|\Z))
    | (?P<string>'(?:[^'\\]|\\.|'')*(?:'|\Z))
    | (?P<quoted>"(?:[^"\\]|\\.|"")*(?:"|\Z)|`(?:[^`\\]|\\.|``)*(?:`|\Z))
    | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


def _tokens(sql: str) -> list[str]:
    """Words and punctuation outside strings and comments; a string or quoted name is `'`."""
    tokens = []
    for match in _TOKEN.finditer(sql):
        kind = match.lastgroup
        if kind in ("space", "comment"):
            continue
        tokens.append("'" if kind in ("string", "quoted") else match.group())
    return tokens
