"""JSON log lines: one object per line, and the ids of the document being handled."""

from __future__ import annotations

import asyncio
import io
import json
import logging

from doclane.logs import DocumentContext, JsonFormatter, about_document, name_document


def _logger() -> tuple[logging.Logger, io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(DocumentContext())
    logger = logging.getLogger(f"doclane.test.{id(stream)}")
    logger.handlers = [handler]
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    return logger, stream


def _lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_each_line_is_one_json_object_with_its_extras() -> None:
    logger, stream = _logger()
    logger.warning(
        "stage %s sent a record to the DLQ", "classify", extra={"reason_code": "corrupt_pdf"}
    )
    try:
        raise ValueError("boom")
    except ValueError:
        logger.exception("failed")
    first, second = _lines(stream)
    assert first["level"] == "warning"
    assert first["message"] == "stage classify sent a record to the DLQ"
    assert first["reason_code"] == "corrupt_pdf"
    assert first["logger"].startswith("doclane.test")
    assert "time" in first
    assert "process" in first
    assert "ValueError: boom" in second["exception"]


def test_lines_inside_about_document_carry_its_ids_and_only_there() -> None:
    logger, stream = _logger()
    with about_document("doc-1"):
        logger.info("decoding")
        name_document("doc-1", "corr-9")
        logger.debug("read %d pages", 2)
        logger.warning("explicit wins", extra={"document_id": "other"})
    logger.info("after")
    decoding, read, explicit, after = _lines(stream)
    assert decoding["document_id"] == "doc-1"
    assert decoding["correlation_id"] is None
    assert (read["document_id"], read["correlation_id"]) == ("doc-1", "corr-9")
    assert explicit["document_id"] == "other"
    assert "document_id" not in after


def test_concurrent_tasks_keep_their_own_document() -> None:
    logger, stream = _logger()

    async def handle(document_id: str) -> None:
        with about_document(document_id, f"c-{document_id}"):
            await asyncio.sleep(0.01)
            logger.info("done")

    async def both() -> None:
        await asyncio.gather(handle("a"), handle("b"))

    asyncio.run(both())
    assert sorted((line["document_id"], line["correlation_id"]) for line in _lines(stream)) == [
        ("a", "c-a"),
        ("b", "c-b"),
    ]
