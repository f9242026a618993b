"""Only typed errors escape `read_document`, whatever the bytes."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from doclane.core.exceptions import UnderstandingError
from doclane.core.model import DocumentText
from doclane.core.read import read_document
from tests.unit.core.pdf_factory import make_pdf

_VALID_PDF = make_pdf(
    [["Rechnung Nr. 4711", "Gesamtbetrag: 1.234,56 EUR"]],
    attachments={"factur-x.xml": b"<x>1</x>"},
)
_HINTS = st.sampled_from(
    [
        {},
        {"content_type": "text/plain"},
        {"content_type": "application/xml"},
        {"filename": "a.docx"},
        {"filename": "a.pdf"},
        {"filename": "a.txt"},
    ]
)


def _read_or_typed_error(payload: bytes, **kwargs: str) -> None:
    try:
        result = read_document(payload, **kwargs)
    except UnderstandingError as exc:
        reason = exc.reason_code
    else:
        reason = None
        assert isinstance(result, DocumentText)
    assert reason != ""


@settings(max_examples=300, deadline=None)
@given(payload=st.binary(max_size=2048), hints=_HINTS)
def test_random_bytes_only_raise_typed_errors(payload: bytes, hints: dict[str, str]) -> None:
    _read_or_typed_error(payload, **hints)


@settings(max_examples=100, deadline=None)
@given(
    prefix=st.sampled_from([b"%PDF-1.7\n", b"PK\x03\x04", b"<?xml version='1.0'?>"]),
    rest=st.binary(max_size=1024),
)
def test_random_bytes_behind_magic_only_raise_typed_errors(prefix: bytes, rest: bytes) -> None:
    _read_or_typed_error(prefix + rest)


_mutations = st.lists(
    st.tuples(st.integers(0, len(_VALID_PDF) - 1), st.integers(0, 255)), min_size=1, max_size=12
)


@pytest.mark.parametrize(("engine", "examples"), [("pdfium", 300), ("pdfminer", 40)])
def test_mutated_pdfs_only_raise_typed_errors(engine: str, examples: int) -> None:
    @settings(max_examples=examples, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(cut=st.integers(1, len(_VALID_PDF)), flips=_mutations)
    def check(cut: int, flips: list[tuple[int, int]]) -> None:
        payload = bytearray(_VALID_PDF)
        for index, value in flips:
            payload[index] = value
        _read_or_typed_error(bytes(payload[:cut]), pdf_engine=engine)

    check()
