from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from doclane.core.party_names import canonical_party_name


@pytest.mark.parametrize(
    ("printed", "canonical"),
    [
        ("Escalade, Incorporated", "Escalade, Inc."),
        ("Z Capital Partners, L.L.C.", "Z Capital Partners, LLC"),
        ("Heidrick & Struggles, Inc.", "Heidrick and Struggles, Inc."),
        ("  Wynn Resorts,   Limited ", "Wynn Resorts, Limited"),
        ("Incorporated Holdings Corp", "Incorporated Holdings Corp"),  # not a trailing form
    ],
)
def test_one_spelling_per_company(printed: str, canonical: str) -> None:
    assert canonical_party_name(printed) == canonical


@given(st.text(max_size=60))
def test_any_text_gives_a_name_or_none(raw: str) -> None:
    name = canonical_party_name(raw)
    assert name is None or (name.strip() == name and name)
