"""A reviewer's typed value is normalised like extraction's, or refused with a sentence."""

from __future__ import annotations

import pytest

from doclane.core.corrections import normalize_corrected_value
from doclane.core.exceptions import CorrectionRefusedError


@pytest.mark.parametrize(
    ("field", "typed", "stored"),
    [
        ("total", "1.234,50", "1234.50"),
        ("total", "EUR 12", "12.00"),
        ("issue_date", "3 March 2026", "2026-03-03"),
        ("due_date", "2026-04-01", "2026-04-01"),
        ("currency", "€", "EUR"),
        ("vendor_name", "  ACME   GmbH ", "ACME GmbH"),
    ],
)
def test_typed_values_are_stored_in_the_fields_normal_form(
    field: str, typed: str, stored: str
) -> None:
    assert normalize_corrected_value(field, typed) == stored


@pytest.mark.parametrize(
    ("field", "typed", "code"),
    [("total", "twelve", "not_an_amount"), ("issue_date", "soon", "not_a_date"),
     ("currency", "gold", "not_a_currency"), ("iban", "   ", "empty_value")],
)  # fmt: skip
def test_values_that_do_not_read_as_their_field_are_refused(
    field: str, typed: str, code: str
) -> None:
    with pytest.raises(CorrectionRefusedError) as refused:
        normalize_corrected_value(field, typed)
    assert refused.value.reason_code == code
