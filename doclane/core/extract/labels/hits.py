"""Find every printed field label of a document in one pass per line.

The label table (`labels.LABELS`) is compiled once into one alternation per
field; each alternative is a named group, so a match says which label it was
and hence its weight. A label inside a longer label of another field ("USt"
in "Summe inkl. USt") is dropped, as are amount labels in an item table's
header row, tax words qualified as "incl."/"excl.", and number labels that
belong to another reference ("Original invoice no.").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from types import MappingProxyType

from doclane.core.extract.labels.keywords import KeywordFinder
from doclane.core.extract.labels.patterns import compile_labels
from doclane.core.extract.labels.table import (
    OTHER_REFERENCES,
    TABLE_COLUMNS,
    TAX_QUALIFIERS,
)
from doclane.core.extract.shared.lines import Located
from doclane.core.fields import FieldName

AMOUNT_FIELDS = frozenset({FieldName.TOTAL, FieldName.NET_TOTAL, FieldName.TAX_TOTAL})
HEADER_FIELDS = (
    FieldName.INVOICE_NUMBER,
    FieldName.PURCHASE_ORDER_NUMBER,
    FieldName.ISSUE_DATE,
    FieldName.ORDER_DATE,
    FieldName.DUE_DATE,
    FieldName.TOTAL,
    FieldName.NET_TOTAL,
    FieldName.TAX_TOTAL,
    FieldName.CHARGES_TOTAL,
)


@dataclass(frozen=True, slots=True)
class LabelHit:
    field: str
    position: int  # index of the line in the document
    start: int  # label span in the line's text
    end: int
    weight: float


_COMPILED = MappingProxyType({field: compile_labels(field) for field in HEADER_FIELDS})
_MATCHERS = tuple((field, pattern, weights) for field, (pattern, weights) in _COMPILED.items())
_KEYWORDS = KeywordFinder(HEADER_FIELDS)
_OTHER_REFERENCE = re.compile(OTHER_REFERENCES, re.IGNORECASE)
_TAX_QUALIFIER = re.compile(TAX_QUALIFIERS, re.IGNORECASE)
_TABLE_COLUMNS = tuple(re.compile(pattern, re.IGNORECASE) for pattern in TABLE_COLUMNS)
_HAS_LETTER = re.compile(r"[^\W\d_]{2}")
_KERNED = re.compile(r"[^\W\d_] [^\W\d_]")
_AMOUNT = re.compile(r"\d[.,]\d\d(?!\d)")
# Words that announce a date only right after a document number ("Rechnung Nr. 42 vom ...").
_NUMBER_FOLLOWERS = frozenset({"vom", "von", "du", "dated", "of"})


@dataclass(frozen=True, slots=True)
class DocumentLabels:
    """Every label hit of a document, by field and by line, and its item-table header rows."""

    by_field: dict[str, list[LabelHit]]
    by_line: dict[int, list[LabelHit]]
    table_headers: list[int]


def is_table_header(text: str) -> bool:
    """A row naming at least three item-table columns (description, quantity, price, amount)."""
    if text.count(" ") < 2 or _AMOUNT.search(text):
        return False
    found = 0
    for index, column in enumerate(_TABLE_COLUMNS):
        if column.search(text):
            found += 1
            if found == 3:
                return True
        elif found + len(_TABLE_COLUMNS) - index - 1 < 3:
            return False  # too few columns left to reach three
    return False


def find_label_hits(
    lines: tuple[Located, ...], own_number: str = FieldName.INVOICE_NUMBER
) -> DocumentLabels:
    """All label hits of the header fields, in document order.

    `own_number` is the field of the document's own number: a date right after
    it ("Rechnung Nr. 42 vom 05.03.2024") is the issue date.
    """
    by_field: dict[str, list[LabelHit]] = {field: [] for field in HEADER_FIELDS}
    by_line: dict[int, list[LabelHit]] = {}
    headers: list[int] = []
    numbered = -1  # the last line with a hit of the document's own number
    for position, located in enumerate(lines):
        text = located.line.text
        if _HAS_LETTER.search(text) is None:
            continue
        table_header = is_table_header(text)
        if table_header:
            headers.append(position)
        found = line_hits(position, text, own_number, numbered == position - 1, table_header)
        if not found and _may_be_kerned_label(text):
            found = _kerned_line_hits(position, text, own_number)
        if found:
            by_line[position] = found
        for hit in found:
            by_field[hit.field].append(hit)
            if hit.field == own_number:
                numbered = position
    return DocumentLabels(by_field, by_line, headers)


def line_hits(
    position: int,
    text: str,
    own_number: str = FieldName.INVOICE_NUMBER,
    after_number: bool = False,
    table_header: bool = False,
) -> list[LabelHit]:
    """The label hits of one line, after dropping shadowed and misleading ones.

    `after_number` says the previous line ends with the document's own number,
    so a "vom"/"du" opening this line still dates the document.
    """
    found: list[LabelHit] = []
    with_keywords = _KEYWORDS.fields_in(text.casefold())
    if not with_keywords and not after_number:
        return found
    for field, pattern, weights in _MATCHERS:
        if field not in with_keywords and not (
            field == FieldName.ISSUE_DATE
            and (after_number or any(h.field == own_number for h in found))
        ):
            continue
        for match in pattern.finditer(text):
            name = match.lastgroup
            start, end = match.span()
            if name is not None and end > start:
                found.append(LabelHit(field, position, start, end, weights[name]))
    if not found:
        return found
    references = (
        [m.span() for m in _OTHER_REFERENCE.finditer(text)]
        if any(hit.field == FieldName.INVOICE_NUMBER for hit in found)
        else []
    )
    return [
        hit
        for hit in found
        if not _shadowed(hit, found)
        and not (table_header and hit.field in AMOUNT_FIELDS)
        and not (hit.field == FieldName.TAX_TOTAL and _TAX_QUALIFIER.search(text, 0, hit.start))
        and not (hit.field == FieldName.INVOICE_NUMBER and _near_reference(hit, references))
        and not (
            text[hit.start : hit.end].casefold() in _NUMBER_FOLLOWERS
            and not any(h.field == own_number and h.end <= hit.start for h in found)
            and not (after_number and not text[: hit.start].strip())
        )
    ]


def _may_be_kerned_label(text: str) -> bool:
    """A short label split by a stray space, then one or two amounts: "Br uttosumme   18310,63"."""
    amount = _AMOUNT.search(text)
    if amount is None or _KERNED.search(text, 0, amount.start()) is None:
        return False
    return len(text[: amount.start()].split()) <= 4 and len(_AMOUNT.findall(text)) <= 2


def _kerned_line_hits(position: int, text: str, own_number: str) -> list[LabelHit]:
    """Hits in a line whose words the PDF split by kerning ("Br uttosumme   18310,63").

    Single spaces between letters are dropped, and the hits mapped back to
    the original text.
    """
    kept = [i for i, ch in enumerate(text) if not (ch == " " and _is_kerning_space(text, i))]
    squeezed = "".join(text[i] for i in kept)
    return [
        LabelHit(h.field, h.position, kept[h.start], kept[h.end - 1] + 1, h.weight * 0.95)
        for h in line_hits(position, squeezed, own_number, table_header=is_table_header(squeezed))
    ]


def _is_kerning_space(text: str, index: int) -> bool:
    return 0 < index < len(text) - 1 and text[index - 1].isalpha() and text[index + 1].isalpha()


def _shadowed(hit: LabelHit, hits: list[LabelHit]) -> bool:
    return any(
        other.field != hit.field
        and other.start <= hit.start
        and hit.end <= other.end
        and other.end - other.start > hit.end - hit.start
        for other in hits
    )


def _near_reference(hit: LabelHit, references: list[tuple[int, int]]) -> bool:
    return any(
        start <= hit.start <= end + 2 or start <= hit.end <= end for start, end in references
    )
