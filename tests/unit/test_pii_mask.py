"""The log mask: personal data that slips into a line is redacted, ids and counts stay."""

from __future__ import annotations

import io
import logging

import pytest

from doclane.logs import JsonFormatter, PiiMask, mask_pii

PII = [
    "jane.doe@example.com",
    "DE89 3704 0044 0532 0130 00",
    "DE89370400440532013000",
    "GB82WEST12345698765432",
    "4111 1111 1111 1111",
    "5500-0000-0000-0004",
    "+49 30 1234567",
    "+1 (555) 123-4567",
    "030/1234567",
]


@pytest.mark.parametrize("value", PII)
def test_personal_data_is_masked_inside_a_sentence(value: str) -> None:
    masked = mask_pii(f"customer {value} paid")
    assert value not in masked
    assert masked.startswith("customer ")
    assert masked.endswith(" paid")


@pytest.mark.parametrize(
    "text",
    [
        "document 3f2a9c1e0b7d4a6f8e5c2b1a0d9e8f7c took 1234 ms",
        "partition 3 offset 1234567890123 committed",  # not Luhn-valid, no separator
        "batch of 500 rows in 2026-12-03T23:40:00",
        "reason_code=missing_total attempt 2",
    ],
)
def test_ids_counts_offsets_and_times_are_left_alone(text: str) -> None:
    assert mask_pii(text) == text


def test_the_filter_masks_arguments_extras_and_tracebacks() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(PiiMask())
    logger = logging.getLogger("doclane.test.pii")
    logger.handlers, logger.propagate = [handler], False
    logger.warning(
        "vendor %s", "billing@acme.example", extra={"detail": "IBAN DE89370400440532013000"}
    )
    try:
        raise ValueError("card 4111111111111111 declined")
    except ValueError:
        logger.exception("failed")
    text = stream.getvalue()
    for value in ("billing@acme.example", "DE89370400440532013000", "4111111111111111"):
        assert value not in text
    assert text.count("[redacted]") == 4  # the traceback shows the raising line and the message


def test_access_log_paths_lose_their_query_string() -> None:
    record = logging.LogRecord(
        "uvicorn.access", logging.INFO, "", 0, '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "POST", "/v1/documents?filename=Jane_Doe_payslip.pdf", "1.1", 202),
        None,
    )  # fmt: skip
    PiiMask().filter(record)
    assert "Jane_Doe" not in record.getMessage()
    assert "/v1/documents" in record.getMessage()
