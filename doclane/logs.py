"""JSON log lines carrying document and correlation ids.

Code handling one document runs inside ``about_document(document_id,
correlation_id)``; every line logged meanwhile, by doclane or by a library,
carries both ids (the `DocumentContext` filter adds them). Other extras are
passed as usual, ``logger.info("...", extra={"reason_code": ...})``, and land as
top-level keys of the JSON line.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

import orjson

from doclane.core.standards.luhn import luhn_valid

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


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}\b")
# International (+49 30 1234567) and national numbers with a separator (030/1234567).
_PHONE = re.compile(
    r"(?<![\w+])(?:\+\d{1,3}[ .-]?(?:\(0?\d{1,4}\)[ .-]?)?\d[\d .-]{5,14}\d"
    r"|\(?0\d{2,5}\)?[ /-]\d{3,}(?:[ -]\d{2,})*)(?![\w])"
)
_CARD_CANDIDATE = re.compile(r"(?<!\d)\d(?:[ -]?\d){12,18}(?!\d)")
_MASK = "[redacted]"


def _mask_card(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return _MASK if luhn_valid(digits) else match.group(0)


def mask_pii(text: str) -> str:
    """Text with e-mail addresses, IBANs, card numbers (Luhn-valid) and phone numbers masked."""
    text = _EMAIL.sub(_MASK, text)
    text = _IBAN.sub(_MASK, text)
    text = _CARD_CANDIDATE.sub(_mask_card, text)
    return _PHONE.sub(_MASK, text)


class PiiMask(logging.Filter):
    """Masks personal data that slipped into a log line: message, string extras, traceback.

    Log lines are meant to carry ids, reason codes and counts only; this is the
    net under that rule, not the rule. Access-log paths lose their query string
    (a raw upload names its file there).
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if (
            record.name == "uvicorn.access"
            and isinstance(record.args, tuple)
            and len(record.args) == 5
        ):
            path = str(record.args[2]).split("?", 1)[0]
            record.args = (*record.args[:2], path, *record.args[3:])
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed call: keep what it had, masked
            message = f"{record.msg} {record.args}"
        record.msg, record.args = mask_pii(message), ()
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRS and isinstance(value, str) and not key.startswith("_"):
                setattr(record, key, mask_pii(value))
        if record.exc_info and not record.exc_text:
            record.exc_text = mask_pii(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = mask_pii(record.exc_text)
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
        if record.exc_text:  # set (masked) by PiiMask
            entry["exception"] = record.exc_text
        elif record.exc_info:
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
        "filters": {
            "document": {"()": f"{__name__}.DocumentContext"},
            "pii": {"()": f"{__name__}.PiiMask"},
        },
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "default",
                "filters": ["document", "pii"],
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"level": level.upper(), "handlers": ["stderr"]},
        "loggers": {
            # Chatty at INFO and not about documents.
            "aiokafka": {"level": "WARNING"},
            "faust.transport": {"level": "WARNING"},
            # At DEBUG it prints every record it sends, key and value: document text.
            "faust.topics": {"level": "INFO"},
        },
    }


def configure_logging(level: str = "info", *, json_lines: bool = True) -> None:
    import logging.config

    logging.config.dictConfig(logging_config(level, json_lines=json_lines))
