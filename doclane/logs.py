"""JSON log lines carrying document and correlation ids.

Pass ids with ``logger.info("...", extra={"document_id": ..., "correlation_id": ...})``;
any such extra attribute lands as a top-level key of the JSON line.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

import orjson

_STANDARD_ATTRS = frozenset(
    vars(logging.LogRecord("", 0, "", 0, "", (), None)).keys() | {"message", "asctime"}
)


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
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "default",
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
