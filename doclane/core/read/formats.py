"""Decide what kind of file a payload is: magic bytes first, then the caller's hints."""

from __future__ import annotations

import io
import zipfile
from enum import StrEnum

from doclane.core.exceptions import UnreadableDocumentError


class Format(StrEnum):
    PDF = "pdf"
    TEXT = "text"
    XML = "xml"
    DOCX = "docx"
    IMAGE = "image"
    XLSX = "xlsx"
    CSV = "csv"
    # Containers, unpacked into child documents before anything is read
    # (`core/read/containers`); `sniff_format` never returns them.
    ZIP = "zip"
    EML = "eml"
    MSG = "msg"


_PDF_MAGIC = b"%PDF"
# PNG, JPEG, TIFF (little- and big-endian): pictures, read by OCR; known by their bytes only.
_IMAGE_MAGICS = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Outlook .msg (an OLE compound file)
_PDF_MAGIC_WINDOW = 1024  # some producers put junk before the header; readers accept it
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")

_BY_CONTENT_TYPE = {
    "application/pdf": Format.PDF,
    "text/plain": Format.TEXT,
    "text/xml": Format.XML,
    "application/xml": Format.XML,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": Format.DOCX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": Format.XLSX,
    "text/csv": Format.CSV,
    "image/png": Format.IMAGE,
    "image/jpeg": Format.IMAGE,
    "image/tiff": Format.IMAGE,
    "application/zip": Format.ZIP,
    "message/rfc822": Format.EML,
    "application/vnd.ms-outlook": Format.MSG,
}
_BY_SUFFIX = {
    ".pdf": Format.PDF,
    ".txt": Format.TEXT,
    ".xml": Format.XML,
    ".docx": Format.DOCX,
    ".xlsx": Format.XLSX,
    ".csv": Format.CSV,
    ".png": Format.IMAGE,
    ".jpg": Format.IMAGE,
    ".jpeg": Format.IMAGE,
    ".tif": Format.IMAGE,
    ".tiff": Format.IMAGE,
    ".zip": Format.ZIP,
    ".eml": Format.EML,
    ".msg": Format.MSG,
}


def sniff_format(payload: bytes, content_type: str | None, filename: str | None) -> Format:
    if not payload:
        raise UnreadableDocumentError(
            "The document is empty (0 bytes).", reason_code="empty_document", stage="read"
        )
    if _PDF_MAGIC in payload[:_PDF_MAGIC_WINDOW]:
        return Format.PDF
    if payload.startswith(_IMAGE_MAGICS):
        return Format.IMAGE
    if payload.startswith(_ZIP_MAGIC):
        if _is_docx(payload):
            return Format.DOCX
        if _has_member(payload, "xl/workbook.xml"):
            return Format.XLSX
        raise _unsupported("a ZIP archive that is neither a Word document nor a spreadsheet")
    hinted = format_from_hints(content_type, filename)
    if hinted in (Format.TEXT, Format.XML, Format.CSV):
        return hinted
    if _looks_like_xml(payload):
        return Format.XML
    raise _unsupported(
        f"content type {content_type or 'unknown'}, file name {filename or 'unknown'}"
    )


SUPPORTED_CONTENT_TYPES = tuple(_BY_CONTENT_TYPE)
SUPPORTED_SUFFIXES = tuple(_BY_SUFFIX)


def format_from_head(head: bytes) -> Format | None:
    """The format the first bytes of a payload announce, if any (a ZIP may be a Word file).

    Callers that see a payload arrive (the HTTP API) decide with it before the
    rest is there; the reader still checks the whole payload with `sniff_format`.
    """
    if _PDF_MAGIC in head[:_PDF_MAGIC_WINDOW]:
        return Format.PDF
    if head.startswith(_IMAGE_MAGICS):
        return Format.IMAGE
    if head.startswith(_ZIP_MAGIC):
        return Format.DOCX
    if head.startswith(_OLE_MAGIC):
        return Format.MSG
    if _looks_like_xml(head):
        return Format.XML
    return None


def format_from_hints(content_type: str | None, filename: str | None) -> Format | None:
    """The format a content type (parameters ignored, `+xml` counts) or file suffix names."""
    if content_type:
        found = _BY_CONTENT_TYPE.get(content_type.split(";", 1)[0].strip().lower())
        if found is not None:
            return found
        if content_type.lower().endswith("+xml"):
            return Format.XML
    if filename and "." in filename:
        return _BY_SUFFIX.get("." + filename.rsplit(".", 1)[-1].lower())
    return None


def _looks_like_xml(payload: bytes) -> bool:
    head = payload[:64]
    for bom in _BOMS:
        head = head.removeprefix(bom)
    return head.lstrip().startswith(b"<?xml")


def _is_docx(payload: bytes) -> bool:
    """True for a Word archive; a damaged archive counts, so its reader reports the damage."""
    try:
        with zipfile.ZipFile(io.BytesIO(payload)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError):
        return True


def _has_member(payload: bytes, name: str) -> bool:
    with zipfile.ZipFile(io.BytesIO(payload)) as archive:  # opened by _is_docx already
        return name in archive.namelist()


def _unsupported(what: str) -> UnreadableDocumentError:
    return UnreadableDocumentError(
        f"This kind of file cannot be read ({what}); send a PDF, picture (PNG, JPEG, TIFF), text, CSV, XML, Word or Excel (XLSX) file.",
        reason_code="unsupported_content_type",
        stage="read",
    )
