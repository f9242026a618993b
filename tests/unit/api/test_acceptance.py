"""Which uploads the API takes, decided from headers and first bytes."""

from __future__ import annotations

import pytest

from doclane.api.acceptance import (
    filename_from_disposition,
    format_from_declared,
    format_from_payload_head,
    recorded_content_type,
)
from doclane.api.errors import UnsupportedContentError
from doclane.core.read.formats import Format


@pytest.mark.parametrize(
    ("content_type", "filename", "expected"),
    [
        ("application/pdf", None, Format.PDF),
        ("text/plain; charset=utf-8", "notes.bin", Format.TEXT),
        ("application/xrechnung+xml", None, Format.XML),
        ("application/octet-stream", "invoice.PDF", Format.PDF),
        (None, "contract.docx", Format.DOCX),
        ("application/x-www-form-urlencoded", "receipt.txt", Format.TEXT),  # curl --data-binary
        ("application/octet-stream", "scan", None),  # only the first bytes can tell
    ],
)
def test_a_readable_format_is_named_by_the_content_type_or_else_the_suffix(
    content_type: str | None, filename: str | None, expected: Format | None
) -> None:
    assert format_from_declared(content_type, filename) == expected


@pytest.mark.parametrize("content_type", ["application/msword", "video/mp4", "image/gif"])
def test_a_specific_content_type_the_core_cannot_read_is_refused_at_once(content_type: str) -> None:
    with pytest.raises(UnsupportedContentError) as refused:
        format_from_declared(content_type, "scan.pdf")
    assert refused.value.status_code == 415
    assert "application/pdf" in refused.value.message  # says what would be taken


def test_a_generic_upload_is_decided_by_its_first_bytes() -> None:
    assert format_from_payload_head(None, "scan", b"junk\n%PDF-1.7\n") == Format.PDF
    assert format_from_payload_head(None, None, b"\xef\xbb\xbf<?xml version='1.0'?>") == Format.XML
    # Pictures are read by OCR; Outlook mails and archives are unpacked into child documents.
    assert format_from_payload_head("application/octet-stream", "photo", b"\x89PNG\r\n\x1a\n") == (
        Format.IMAGE
    )
    assert format_from_payload_head(None, "mail", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") == Format.MSG
    with pytest.raises(UnsupportedContentError):
        format_from_payload_head("application/octet-stream", "clip", b"GIF89a")


@pytest.mark.parametrize(
    ("content_type", "filename", "expected"),
    [
        ("image/png", None, Format.IMAGE),
        ("image/tiff", None, Format.IMAGE),
        ("message/rfc822", None, Format.EML),
        ("application/vnd.ms-outlook", None, Format.MSG),
        (None, "statement.xlsx", Format.XLSX),
        (None, "export.csv", Format.CSV),
        (None, "inbox.eml", Format.EML),
        (None, "scans.zip", Format.ZIP),
    ],
)
def test_scans_sheets_mails_and_archives_are_taken(
    content_type: str | None, filename: str | None, expected: Format
) -> None:
    assert format_from_declared(content_type, filename) == expected


def test_the_record_keeps_the_clients_type_unless_it_said_nothing_useful() -> None:
    assert recorded_content_type("text/plain; charset=latin-1", Format.TEXT) == (
        "text/plain; charset=latin-1"
    )
    assert recorded_content_type("application/octet-stream", Format.PDF) == "application/pdf"
    assert recorded_content_type(None, Format.XML) == "application/xml"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ('attachment; filename="invoice 42.pdf"', "invoice 42.pdf"),
        ("attachment; filename*=UTF-8''Rechnung%20M%C3%A4rz.pdf", "Rechnung März.pdf"),
        ('form-data; name="file"; filename="C:\\scans\\a.pdf"', "a.pdf"),
        ('attachment; filename="../../etc/passwd"', "passwd"),
        ("inline", None),
        (None, None),
    ],
)
def test_only_the_last_path_component_of_a_file_name_is_kept(
    header: str | None, expected: str | None
) -> None:
    assert filename_from_disposition(header) == expected
