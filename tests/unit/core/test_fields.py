"""Every field name the core and its tables speak of is a `FieldName`."""

from __future__ import annotations

import json

from doclane.core.extract.labels.table import LABELS
from doclane.core.fields import FieldName
from doclane.core.validate.required import REQUIRED_FIELDS
from tests.paths import CORE_GOLDEN


def test_labelled_and_required_fields_are_field_names() -> None:
    named = set(LABELS) | {name for names in REQUIRED_FIELDS.values() for name in names}
    assert named <= set(FieldName)


def test_golden_extractions_use_only_field_names() -> None:
    emitted = set()
    for expected in CORE_GOLDEN.glob("*.expected.json"):
        emitted |= set(json.loads(expected.read_text())["fields"])
    assert emitted
    assert emitted <= set(FieldName)


def test_members_are_their_plain_names() -> None:
    assert FieldName.INVOICE_NUMBER == "invoice_number"
    assert json.dumps({FieldName.TOTAL: "1.00"}) == '{"total": "1.00"}'
