"""The compact text layer: exact round trips, and only typed errors from bad bytes."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from doclane.core.model import BoundingBox, DocumentText, Page, TextLine
from doclane.exceptions import CodecError
from doclane.wire.text_layer import decode_text_layer, encode_text_layer

_floats = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
_lines = st.builds(
    TextLine,
    st.text(max_size=80),
    st.none() | st.builds(BoundingBox, _floats, _floats, _floats, _floats),
    st.none() | st.floats(min_value=0.0, max_value=1.0),
)
_texts = st.builds(
    DocumentText,
    pages=st.lists(
        st.builds(
            Page,
            st.integers(min_value=1, max_value=500),
            st.lists(_lines, max_size=20).map(tuple),
            _floats,
            _floats,
        ),
        max_size=4,
    ).map(tuple),
    engine=st.sampled_from(["pdfium", "pdfminer", "text", "docx"]),
    attachments=st.dictionaries(st.text(min_size=1, max_size=20), st.binary(max_size=200)),
)


@given(_texts)
def test_every_text_layer_comes_back_as_it_went(text: DocumentText) -> None:
    assert decode_text_layer(encode_text_layer(text)) == text


@given(st.binary(max_size=300))
def test_only_codec_errors_escape_decoding_arbitrary_bytes(data: bytes) -> None:
    with contextlib.suppress(CodecError):
        decode_text_layer(data)


@pytest.mark.parametrize(
    "data",
    [b'{"v": 3, "engine": "x", "pages": []}',
     b'{"v": 2, "engine": "x", "pages": [[1, 0, 0, [["a", 1, 2, 3, 4, 0.5, 9]]]]}', b'{"v": 1, "engine": "x", "pages": [[1]]}',
     b'{"v": 1, "engine": "x", "pages": [], "attachments": {"a": "!!"}}', b"[]"],
)  # fmt: skip
def test_malformed_layouts_are_codec_errors(data: bytes) -> None:
    with pytest.raises(CodecError):
        decode_text_layer(data)


def test_a_text_layer_without_ocr_stays_readable_by_workers_that_know_only_version_1() -> None:
    exact = DocumentText((Page(1, (TextLine("Total 10.00", BoundingBox(1, 2, 3, 4)),)),), "pdfium")
    scanned = DocumentText(
        (Page(1, (TextLine("Total 10.00", BoundingBox(1, 2, 3, 4), 0.91),)),), "tesseract"
    )
    assert encode_text_layer(exact).startswith(b'{"v":1,')
    assert encode_text_layer(scanned).startswith(b'{"v":2,')
    assert decode_text_layer(encode_text_layer(scanned)).pages[0].lines[0].confidence == 0.91
