"""Word (.docx) files: paragraphs of word/document.xml become lines."""

from __future__ import annotations

import io
import lzma
import zipfile
import zlib

from doclane.core.exceptions import UnreadableDocumentError
from doclane.core.model import DocumentText, Page, TextLine
from doclane.core.read.safe_xml import local_name, parse_xml

ENGINE = "docx"
_BODY = "word/document.xml"
# Refuse zip bombs before unpacking anything: a real letter or contract is far
# below this uncompressed, and its XML compresses about 10:1, never 200:1 (a
# megabyte of one repeated byte does; deflate tops out near 1000:1).
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
_MAX_MEMBERS = 5000
_MAX_RATIO = 200
_RATIO_FROM_BYTES = 1024 * 1024
# zipfile passes on its decompressors' own errors for damaged members.
ARCHIVE_ERRORS = (
    zipfile.BadZipFile,
    KeyError,
    OSError,
    EOFError,
    ValueError,
    RuntimeError,
    zlib.error,
    lzma.LZMAError,
)


def read_docx(payload: bytes) -> DocumentText:
    try:
        with zipfile.ZipFile(io.BytesIO(payload)) as archive:
            check_archive_size(archive)
            body = archive.read(_BODY)
    except UnreadableDocumentError:
        raise
    except ARCHIVE_ERRORS as exc:
        raise UnreadableDocumentError(
            f"The Word (ZIP) archive is damaged ({exc}).",
            reason_code="corrupt_archive",
            stage="read",
        ) from exc
    lines = tuple(TextLine(text=text) for text in _paragraphs(body))
    if not lines:
        raise UnreadableDocumentError(
            "The Word document contains no text.", reason_code="empty_document", stage="read"
        )
    return DocumentText(pages=(Page(number=1, lines=lines),), engine=ENGINE)


def check_archive_size(archive: zipfile.ZipFile) -> None:
    """Refuse an Office archive (DOCX, XLSX) that would unpack to a zip bomb."""
    members = archive.infolist()
    if len(members) > _MAX_MEMBERS or sum(m.file_size for m in members) > MAX_UNCOMPRESSED_BYTES:
        raise _zip_bomb("would unpack to more than 50 MB")
    for member in members:
        if member.file_size > max(_RATIO_FROM_BYTES, _MAX_RATIO * member.compress_size):
            raise _zip_bomb(f"has a member compressed more than {_MAX_RATIO}:1")


def _zip_bomb(what: str) -> UnreadableDocumentError:
    return UnreadableDocumentError(
        f"The archive {what}; it is refused as a likely zip bomb.",
        reason_code="archive_too_large",
        stage="read",
    )


def _paragraphs(body: bytes) -> list[str]:
    paragraphs = []
    for element in parse_xml(body).iter():
        if local_name(element.tag) != "p":
            continue
        parts = []
        for node in element.iter():
            name = local_name(node.tag)
            if name == "t" and node.text:
                parts.append(node.text)
            elif name == "tab":
                parts.append("\t")
        text = " ".join("".join(parts).split())
        if text:
            paragraphs.append(text)
    return paragraphs
