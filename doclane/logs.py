"""JSON log lines carrying document and correlation ids.

Code handling one document runs inside ``about_document(document_id,
correlation_id)``; every line logged meanwhile, by doclane or by a library,
carries both ids (the `DocumentContext` filter adds them). Other extras are
passed as usual, ``logger.info("...", extra={"reason_code": ...})``, and land as
top-level keys of the JSON line.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

import orjson

_STANDARD_ATTRS = frozenset(
    vars(logging.LogRecord("", 0, "", 0, "", (), None)).keys() | {"message", "asctime"}
)


_DOCUMENT: ContextVar[tuple[str | None, str | None] | None] = ContextVar(
    "doclane_document", default=None
)


@contextmanager
def about_document(document_id: str | None, correlation_id: str | None = None) -> Iterator[None]:
    """Every log line inside carries these ids (asyncio tasks keep their own)."""
    token = _DOCUMENT.set((document_id, correlation_id))
    try:
        yield
    finally:
        _DOCUMENT.reset(token)


def name_document(document_id: str | None, correlation_id: str | None) -> None:
    """Refine the ids of the enclosing `about_document` once the record is decoded."""
    if _DOCUMENT.get() is not None:
        _DOCUMENT.set((document_id, correlation_id))


class DocumentContext(logging.Filter):
    """Adds the ids of the document being handled to records that do not name one."""

    def filter(self, record: logging.LogRecord) -> bool:
        ids = _DOCUMENT.get()
        if ids is not None:
            if getattr(record, "document_id", None) is None:
                record.document_id = ids[0]
            if getattr(record, "correlation_id", None) is None:
                record.correlation_id = ids[1]
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, and every extra."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRS and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(entry, default=str).decode("utf-8")


def logging_config(level: str = "info", *, json_lines: bool = True) -> dict[str, Any]:
    """A `logging.config.dictConfig` dict for doclane processes (Faust workers take it too)."""
    formatter = (
        {"()": f"{__name__}.JsonFormatter"}
        if json_lines
        else {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"default": formatter},
        "filters": {"document": {"()": f"{__name__}.DocumentContext"}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "default",
                "filters": ["document"],
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"level": level.upper(), "handlers": ["stderr"]},
        "loggers": {
            # Chatty at INFO and not about documents.
            "aiokafka": {"level": "WARNING"},
            "faust.transport": {"level": "WARNING"},
        },
    }


def configure_logging(level: str = "info", *, json_lines: bool = True) -> None:
    import logging.config

    logging.config.dictConfig(logging_config(level, json_lines=json_lines))
