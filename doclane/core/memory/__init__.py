"""What reviewers' corrections teach, kept as plain data and applied by extraction."""

from doclane.core.memory.vendor_memory import (
    CONSTANT_FIELDS,
    EMPTY_MEMORY,
    FieldHint,
    VendorMemory,
    apply_vendor_memory,
    learn,
    vendor_key,
)

__all__ = [
    "CONSTANT_FIELDS",
    "EMPTY_MEMORY",
    "FieldHint",
    "VendorMemory",
    "apply_vendor_memory",
    "learn",
    "vendor_key",
]
