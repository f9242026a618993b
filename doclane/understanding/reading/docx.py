"""Word (.docx) files: paragraphs of word/document.xml become lines."""

from __future__ import annotations

import io
import zipfile

from doclane.understanding.exceptions import UnreadableDocumentError
from doclane.understanding.model import DocumentText, Page, TextLine
from doclane.understanding.reading.safe_xml import local_name, parse_xml

ENGINE = "docx"
_BODY = "word/document.xml"
# Refuse zip bombs: a real letter or contract is far below this uncompressed.
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
_MAX_MEMBERS = 5000


def read_docx(payload: bytes) -> DocumentText:
    try:
        with zipfile.ZipFile(io.BytesIO(payload)) as archive:
            _check_size(archive)
            body = archive.read(_BODY)
    except UnreadableDocumentError:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, ValueError, RuntimeError) as exc:
        raise UnreadableDocumentError(
            f"The Word file is damaged ({exc}).", reason_code="corrupt_archive", stage="read"
        ) from exc
    lines = tuple(TextLine(text=text) for text in _paragraphs(body))
    return DocumentText(pages=(Page(number=1, lines=lines),), engine=ENGINE)


def _check_size(archive: zipfile.ZipFile) -> None:
    members = archive.infolist()
    if len(members) > _MAX_MEMBERS or sum(m.file_size for m in members) > MAX_UNCOMPRESSED_BYTES:
        raise UnreadableDocumentError(
            "The archive would unpack to more than 50 MB; it is refused as a likely zip bomb.",
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
