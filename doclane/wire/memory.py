"""The per-vendor memory on the wire: one `VendorHint` record per vendor and field."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from doclane.core.memory import EMPTY_MEMORY, FieldHint, VendorMemory


def hint_key(vendor_key: str, hint: FieldHint) -> bytes:
    """The compacted topic's key: a newer hint for the same vendor and field replaces the older."""
    return f"{vendor_key}|{hint.field}".encode()


def hint_record(
    vendor_key: str, hint: FieldHint, *, correction_id: str, at: datetime
) -> dict[str, Any]:
    return {
        "vendor_key": vendor_key,
        "field": hint.field,
        "value": hint.value,
        "label": hint.label,
        "correction_id": correction_id,
        "learned_at": at,
    }


def memory_from_records(records: Iterable[dict[str, Any]]) -> VendorMemory:
    memory = EMPTY_MEMORY
    for record in records:
        memory = memory.with_hint(
            record["vendor_key"],
            FieldHint(record["field"], value=record["value"], label=record["label"]),
        )
    return memory
