"""The compiled label alternations find exactly what the plain alternation of `LABELS` finds."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from doclane.core.extract.labels.hits import _COMPILED, HEADER_FIELDS
from doclane.core.extract.labels.keywords import KeywordFinder
from doclane.core.extract.labels.patterns import _top_level_bar, starts_at_boundary
from doclane.core.extract.labels.table import LABEL_KEYWORDS, LABELS

_PHRASES = (
    "Invoice No.", "Rechnungsnummer", "Rechnungsdatum", "N° de facture", "Date d'échéance",
    "Total TTC", "Gesamtbetrag", "Zwischensumme", "MwSt 19%", "Net total", "Subtotal",
    "Due date", "Fällig am", "PO-Nr.", "Bestellnummer", "Order date", "vom", "du", "of",
    "Datum", "date", "Amount due", "Summe inkl. USt", "Total HT", "TVA 20 %", "Bill to",
)  # fmt: skip
_TEXT = st.lists(
    st.one_of(st.sampled_from(_PHRASES), st.text(alphabet="aeinrtTdD0123 .:-#°/", max_size=6)),
    max_size=6,
).map(" ".join)


def _plain(field: str) -> re.Pattern[str]:
    parts = (f"(?P<{field}_{i}>{pattern})" for i, (pattern, _) in enumerate(LABELS[field]))
    return re.compile("|".join(parts), re.IGNORECASE)


_PLAIN = {field: _plain(field) for field in HEADER_FIELDS}


@settings(max_examples=300, deadline=None)
@given(text=_TEXT)
def test_compiled_labels_match_like_the_plain_alternation(text: str) -> None:
    for field in HEADER_FIELDS:
        compiled = [(m.span(), m.lastgroup) for m in _COMPILED[field][0].finditer(text)]
        plain = [(m.span(), m.lastgroup) for m in _PLAIN[field].finditer(text)]
        assert compiled == plain, field


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"\binvoice\s*no", True),
        (r"(?<!-)\bdatum\b", True),
        (r"(?<!sub)(?<!sub )\btotal\b", True),
        (r"\bfoo|bar", False),  # "bar" may match anywhere
        (r"total\b", False),
        (r"(?:\bfoo)", False),  # not recognised: merely left as it is
    ],
)
def test_starts_at_boundary(pattern: str, expected: bool) -> None:
    assert starts_at_boundary(pattern) is expected


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("a|b", True),
        ("(a|b)", False),
        ("[|]", False),
        (r"\|", False),
        ("[]|]", False),
        ("[^]|]x", False),
        ("[^]]|x", True),
        ("(?:a)|b", True),
        (r"a(?<!x|y)", False),
        (r"\\|a", True),
    ],
)
def test_top_level_bar(pattern: str, expected: bool) -> None:
    assert _top_level_bar(pattern) is expected


_FINDER = KeywordFinder(HEADER_FIELDS)
_KEYWORD_TEXT = st.lists(
    st.one_of(
        st.sampled_from([k for field in HEADER_FIELDS for k in LABEL_KEYWORDS[field]]),
        st.text(alphabet="abdeilnoprstuy .-#:", max_size=4),
    ),
    max_size=6,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(text=_KEYWORD_TEXT)
def test_keyword_finder_finds_every_field_whose_keyword_occurs(text: str) -> None:
    expected = {f for f in HEADER_FIELDS if any(k in text for k in LABEL_KEYWORDS[f])}
    assert _FINDER.fields_in(text) == expected
