"""Which payloads are containers: known by their bytes, e-mails also by their hints."""

from __future__ import annotations

import io
import re
import zipfile
from enum import StrEnum

_ZIP_MAGIC = b"PK\x03\x04"
_EMPTY_ZIP = b"PK\x05\x06"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Office documents are ZIP archives too; they are read, not unpacked.
_OFFICE_PARTS = ("word/document.xml", "xl/workbook.xml")
_MAIL_HEADERS = re.compile(
    rb"^(?:From|To|Subject|Date|Message-ID|MIME-Version|Received|Return-Path):", re.I | re.M
)
_MAIL_TYPES = frozenset({"message/rfc822"})
_MSG_TYPES = frozenset({"application/vnd.ms-outlook", "application/x-msg"})


class ContainerKind(StrEnum):
    ZIP = "zip"
    EML = "eml"
    MSG = "msg"


def container_kind(
    payload: bytes, content_type: str | None, filename: str | None
) -> ContainerKind | None:
    """ZIP (not an Office document, not damaged), EML or MSG; None for anything else."""
    declared = (content_type or "").split(";", 1)[0].strip().lower()
    suffix = (filename or "").rsplit(".", 1)[-1].lower() if "." in (filename or "") else ""
    if payload.startswith((_ZIP_MAGIC, _EMPTY_ZIP)):
        return ContainerKind.ZIP if _is_plain_zip(payload) else None
    if payload.startswith(_OLE_MAGIC):
        return ContainerKind.MSG if suffix == "msg" or declared in _MSG_TYPES else None
    if declared in _MAIL_TYPES or suffix == "eml" or _looks_like_mail(payload):
        return ContainerKind.EML
    return None


def _is_plain_zip(payload: bytes) -> bool:
    """A readable archive that is not a Word or Excel file (a damaged one is left to the
    readers, which report the damage)."""
    try:
        with zipfile.ZipFile(io.BytesIO(payload)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError):
        return False
    return not any(part in names for part in _OFFICE_PARTS)


def _looks_like_mail(payload: bytes) -> bool:
    """At least three RFC 5322 headers before the first blank line, From among them."""
    head = payload[:8192].split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    found = {match.group(0).lower() for match in _MAIL_HEADERS.finditer(head)}
    return b"from:" in found and len(found) >= 3
