"""Per-vendor memory: what reviewers taught about a vendor, used on its next documents.

Plain data in, plain data out. A reviewer's correction teaches one of two things:
- a value that is the same on every document of the vendor (its name as it
  should be stored, its VAT id, IBAN, default currency): remembered as is;
- where a varying field is printed (the total, a date): remembered as the label
  on the line where the reviewer's value stands in that document's text, e.g.
  "settlement amount", and read next to that label on the vendor's next documents.

Vendors are known by what extraction sees before any master data: the VAT id
when one is printed, else the printed vendor name as extraction read it (so a
name the reviewer corrected is still recognised by its usual misreading).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from doclane.core.corrections import AMOUNT_FIELDS, DATE_FIELDS
from doclane.core.fields import FieldName
from doclane.core.model import DocumentText, ExtractedField, Extraction, Provenance
from doclane.core.normalize import find_dates, format_amount, normalize_text, parse_amount

# Fields whose right value is the same on every document of one vendor.
CONSTANT_FIELDS = frozenset(
    {FieldName.VENDOR_NAME, FieldName.VENDOR_VAT_ID, FieldName.IBAN, FieldName.CURRENCY}
)
# Of those, fields a remembered value only fills in: a vendor may bill in another currency.
_FILL_ONLY = frozenset({FieldName.CURRENCY})
REMEMBERED_CONFIDENCE = 0.9
SOURCE = "vendor_memory"

_AMOUNT_TOKEN = re.compile(r"(?<![\w.,])-?\d[\d.,']*\d(?![\w])|(?<![\w.,])\d(?![\w.,])")
_LABEL_WORD = re.compile(r"[^\W\d_]{2,}")


@dataclass(frozen=True, slots=True)
class FieldHint:
    """One thing remembered about a field of one vendor: its value, or its label."""

    field: str
    value: str | None = None  # the normalised value, for a constant field
    label: str | None = None  # folded words printed before the value, for a varying field


@dataclass(frozen=True, slots=True)
class VendorMemory:
    """Hints by vendor key (see `vendor_key`), then by field name."""

    # Plain dicts (picklable: the knowledge travels to the parse processes); never
    # mutated, `with_hint` returns a new memory.
    hints: Mapping[str, Mapping[str, FieldHint]] = field(default_factory=dict)

    def for_vendor(self, key: str | None) -> Mapping[str, FieldHint]:
        return self.hints.get(key, {}) if key else {}

    def with_hint(self, key: str, hint: FieldHint) -> VendorMemory:
        vendor = {**self.for_vendor(key), hint.field: hint}
        return VendorMemory({**self.hints, key: vendor})

    def __len__(self) -> int:
        return sum(len(fields) for fields in self.hints.values())


EMPTY_MEMORY = VendorMemory()


def vendor_key(extraction: Extraction) -> str | None:
    """How the memory knows the vendor of an extraction: VAT id, else the printed name."""
    vat = extraction.get(FieldName.VENDOR_VAT_ID)
    if vat is not None:
        code = re.sub(r"[\s.\-]", "", vat.normalized or vat.value).upper()
        if code:
            return f"vat:{code}"
    name = extraction.get(FieldName.VENDOR_NAME)
    if name is not None and normalize_text(name.value):
        return f"name:{normalize_text(name.value)}"
    return None


def learn(
    memory: VendorMemory, key: str, field_name: str, value: str, text: DocumentText | None
) -> VendorMemory:
    """The memory after a reviewer set `field_name` to the normalised `value` on a document
    of vendor `key` (whose text, when given, shows where the value is printed)."""
    if field_name in CONSTANT_FIELDS:
        return memory.with_hint(key, FieldHint(field_name, value=value))
    if text is None or (field_name not in AMOUNT_FIELDS and field_name not in DATE_FIELDS):
        return memory
    label = _label_of(text, field_name, value)
    if label is None:
        return memory
    return memory.with_hint(key, FieldHint(field_name, label=label))


def apply_vendor_memory(
    text: DocumentText, extraction: Extraction, memory: VendorMemory
) -> Extraction:
    """The extraction with what the memory knows of its vendor applied; unchanged without."""
    hints = memory.for_vendor(vendor_key(extraction))
    if not hints:
        return extraction
    fields = list(extraction.fields)
    for hint in hints.values():
        found = _remembered(hint) if hint.value is not None else _read_at_label(text, hint)
        if found is None:
            continue
        existing = [i for i, f in enumerate(fields) if f.name == hint.field]
        if not existing:
            fields.append(found)
        elif hint.field not in _FILL_ONLY:
            fields[existing[0]] = found
    return replace(extraction, fields=tuple(fields))


def _remembered(hint: FieldHint) -> ExtractedField:
    value = hint.value or ""
    return ExtractedField(hint.field, value, value, REMEMBERED_CONFIDENCE, Provenance(SOURCE))


def _values_on(line: str, field_name: str) -> list[tuple[str, int]]:
    """(normalised value, where it starts) for each amount or date written on the line."""
    if field_name in DATE_FIELDS:
        return [(m.value.isoformat(), m.start) for m in find_dates(line)]
    found = []
    for match in _AMOUNT_TOKEN.finditer(line):
        amount = parse_amount(match.group().strip())
        if amount is not None:
            found.append((format_amount(amount), match.start()))
    return found


def _label_words(text: str) -> str:
    return " ".join(_LABEL_WORD.findall(normalize_text(text)))


def _label_of(text: DocumentText, field_name: str, value: str) -> str | None:
    """The words before the first printing of `value` on its line (or on the line above,
    when the value stands alone)."""
    previous = ""
    for _page, _number, line in text.iter_lines():
        for found, start in _values_on(line.text, field_name):
            if found == value:
                label = _label_words(line.text[:start]) or _label_words(previous)
                return label or None
        previous = line.text
    return None


def _read_at_label(text: DocumentText, hint: FieldHint) -> ExtractedField | None:
    """The value printed after the remembered label: on its line, else on the next one."""
    lines = text.iter_lines()
    for index, (page, number, line) in enumerate(lines):
        if not hint.label or hint.label not in _label_words(line.text):
            continue
        candidates = [(line, number)]
        if index + 1 < len(lines) and lines[index + 1][0] == page:
            candidates.append((lines[index + 1][2], lines[index + 1][1]))
        for candidate, line_number in candidates:
            values = _values_on(candidate.text, hint.field)
            if values:
                value, start = values[-1] if hint.field in AMOUNT_FIELDS else values[0]
                printed = candidate.text[start:].split("  ")[0].strip() or value
                where = Provenance(SOURCE, page, line_number, candidate.bbox)
                return ExtractedField(hint.field, printed, value, REMEMBERED_CONFIDENCE, where)
    return None
