"""Only typed errors, with known reason codes, escape `read_document` for every kind of input.

test_reading_properties.py feeds random and mutated bytes with a few hints;
this adds every declared content type, text in many encodings, random Word
archives, random XML (entities and DOCTYPEs included) and random PDF content.
"""

from __future__ import annotations

import io
import zipfile
import zlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from doclane.core.exceptions import UnderstandingError
from doclane.core.model import DocumentText
from doclane.core.read import read_document
from tests.hostile.pdf_builder import one_page_pdf

# Every reason code the readers use: each is something a person can act on in the DLQ.
KNOWN_REASONS = frozenset(
    {
        "empty_document",
        "unsupported_content_type",
        "corrupt_pdf",
        "encrypted_pdf",
        "no_text_layer",
        "decompression_bomb",
        "invalid_text_encoding",
        "malformed_xml",
        "unsafe_xml",
        "xml_too_large",
        "corrupt_archive",
        "archive_too_large",
        "corrupt_document",
        "memory_exceeded",
        "corrupt_image",
        "image_too_large",
        "too_many_pages",
        "sheet_too_large",
        "malformed_csv",
    }
)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_CONTENT_TYPES = st.sampled_from(
    [
        None,
        "application/pdf",
        "text/plain",
        "text/plain; charset=utf-16",
        "application/xml",
        "text/xml",
        "application/vnd.peppol+xml",
        DOCX,
        "application/octet-stream",
        "image/png",
        ";;garbage\x00/",
    ]
)
_FILENAMES = st.sampled_from(
    [None, "a.pdf", "a.txt", "a.xml", "a.docx", "a.png", "noext", "../../etc/passwd", ".docx"]
)
_FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _read(payload: bytes, **hints: str | None) -> str | None:
    """The reason code, or None when the document was read."""
    try:
        text = read_document(payload, **hints)  # type: ignore[arg-type]
    except UnderstandingError as exc:
        reason = exc.reason_code
    else:
        assert isinstance(text, DocumentText)
        return None
    assert reason in KNOWN_REASONS
    return reason


@_FAST
@given(payload=st.binary(max_size=4096), content_type=_CONTENT_TYPES, filename=_FILENAMES)
def test_any_bytes_with_any_declared_type(
    payload: bytes, content_type: str | None, filename: str | None
) -> None:
    _read(payload, content_type=content_type, filename=filename)


@_FAST
@given(
    text=st.text(max_size=500),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-32", "cp1252"]),
)
def test_text_in_any_encoding_is_read_or_refused_as_text(text: str, encoding: str) -> None:
    payload = text.encode(encoding, errors="replace")
    reason = _read(payload, content_type="text/plain")
    assert reason in {None, "empty_document", "invalid_text_encoding", "corrupt_pdf",
                      "no_text_layer", "unsupported_content_type", "corrupt_archive",
                      "malformed_xml", "unsafe_xml", "decompression_bomb"}  # fmt: skip


_NAMES = st.sampled_from(["a", "Invoice", "w:p", "w:t", "x:y", "ID"])
_TEXTS = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=20)
_XML = st.recursive(
    st.one_of(
        _TEXTS.map(lambda t: t.replace("&", "&amp;").replace("<", "&lt;")),
        st.sampled_from(["&amp;", "&lt;", "&#x41;", "&#0;", "&undefined;", "&", "<", "]]>"]),
    ),
    lambda children: st.tuples(_NAMES, st.lists(children, max_size=4)).map(
        lambda node: f"<{node[0]}>{''.join(node[1])}</{node[0]}>"
    ),
    max_leaves=30,
)
_PROLOGS = st.sampled_from(
    [
        "",
        "<?xml version='1.0'?>",
        "<?xml version='1.0' encoding='utf-16'?>",
        '<!DOCTYPE a [<!ENTITY e "x">]>',
        '<!DOCTYPE a SYSTEM "file:///etc/passwd">',
    ]
)


@_FAST
@given(prolog=_PROLOGS, body=_XML, content_type=st.sampled_from(["application/xml", DOCX]))
def test_random_xml_as_an_einvoice_or_a_word_body(
    prolog: str, body: str, content_type: str
) -> None:
    xml = (prolog + body).encode()
    if content_type == DOCX:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("word/document.xml", xml)
        xml = buffer.getvalue()
    reason = _read(xml, content_type=content_type)
    if "DOCTYPE" in prolog:
        assert reason == "unsafe_xml"


@_FAST
@given(
    members=st.dictionaries(
        st.sampled_from(["word/document.xml", "[Content_Types].xml", "word/media/a.bin", "x"]),
        st.binary(max_size=300),
        max_size=4,
    ),
    method=st.sampled_from(
        [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA]
    ),
    cut=st.integers(0, 4096),
)
def test_random_word_archives_whole_or_cut(
    members: dict[str, bytes], method: int, cut: int
) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    payload = buffer.getvalue()
    _read(payload, content_type=DOCX)
    _read(payload[: cut % (len(payload) + 1)], content_type=DOCX)


@_FAST
@given(
    content=st.binary(max_size=600),
    filters=st.sampled_from(
        [
            b"",
            b"/Filter /FlateDecode",
            b"/Filter [/FlateDecode /FlateDecode]",
            b"/Filter /ASCIIHexDecode",
            b"/Filter /ASCII85Decode",
            b"/Filter /LZWDecode",
            b"/Filter /RunLengthDecode",
            b"/Filter /Unknown",
        ]
    ),
    compress=st.booleans(),
    engine=st.sampled_from(["pdfium", "pdfminer"]),
)
def test_random_page_content_behind_any_filter(
    content: bytes, filters: bytes, compress: bool, engine: str
) -> None:
    data = zlib.compress(content) if compress else content
    _read(one_page_pdf(data, content_entries=filters), pdf_engine=engine)
