"""The issuer's VAT id and IBAN, told apart from the customer's on the same page."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from doclane.core.extract.labels.table import CUSTOMER_OWNED, VAT_ID_LABEL
from doclane.core.extract.shared.lines import (
    Located,
)
from doclane.core.standards.ibans import IBAN_LENGTHS, compact_iban, iban_checksum_ok

_VAT_ID = re.compile(
    r"\b(?:ATU\d{8}|BE\s?[01]\d{3}\.?\d{3}\.?\d{3}|CHE[-\s]?\d{3}[.\s]?\d{3}[.\s]?\d{3}"
    r"|DE\s?\d{3}\s?\d{3}\s?\d{3}|FR\s?[0-9A-HJ-NP-Z]{2}\s?\d{3}\s?\d{3}\s?\d{3}"
    r"|GB\s?\d{3}\s?\d{4}\s?\d{2}(?:\s?\d{3})?|IT\d{11}|ES[A-Z0-9]\d{7}[A-Z0-9]|NL\d{9}B\d{2}"
    r"|LU\d{8}|PL\d{10}|IE\d{7}[A-WY][A-I]?|DK\d{8}|SE\d{12}|FI\d{8}|PT\d{9}|CZ\d{8,10}"
    r"|SK\d{10}|SI\d{8}|HU\d{8}|EL\d{9}|RO\d{2,10}|BG\d{9,10}|HR\d{11}|LT\d{9,12}|LV\d{11}"
    r"|EE\d{9}|MT\d{8}|CY\d{8}[A-Z]|XI\d{9}|NO\s?\d{3}\s?\d{3}\s?\d{3}(?:\s?MVA)?)\b"
)
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b")
_CUSTOMER_OWNED = re.compile(CUSTOMER_OWNED, re.IGNORECASE)
_VAT_LABEL = re.compile(VAT_ID_LABEL, re.IGNORECASE)
_COMPACT = re.compile(r"[\s.\-]")


@dataclass(frozen=True, slots=True)
class Registration:
    """A VAT id or IBAN printed in the document, with how sure we are it is the issuer's."""

    raw: str
    normalized: str
    located: Located
    score: float


def issuer_vat_id(
    lines: tuple[Located, ...], excluded_positions: frozenset[int]
) -> Registration | None:
    """The issuer's VAT id: labelled, repeated, never one marked as the customer's."""
    return _best_registration(_registrations(lines, _VAT_ID, excluded_positions, _vat_normalized))


def issuer_iban(
    lines: tuple[Located, ...], excluded_positions: frozenset[int]
) -> Registration | None:
    """The issuer's bank account: a checksum-valid IBAN not marked as the customer's."""
    return _best_registration(_registrations(lines, _IBAN, excluded_positions, valid_iban))


def valid_iban(raw: str) -> str | None:
    """The compact IBAN at the start of `raw` if its mod-97 check holds, else None."""
    compact = compact_iban(raw)
    country = compact[:2]
    lengths = [IBAN_LENGTHS[country]] if country in IBAN_LENGTHS else range(len(compact), 14, -1)
    for length in lengths:
        candidate = compact[:length]
        if len(candidate) == length and iban_checksum_ok(candidate):
            return candidate
    return None


def _vat_normalized(raw: str) -> str | None:
    return _COMPACT.sub("", raw).upper()


def _registrations(
    lines: tuple[Located, ...],
    pattern: re.Pattern[str],
    excluded_positions: frozenset[int],
    normalize: Callable[[str], str | None],
) -> list[Registration]:
    found = []
    for position, located in enumerate(lines):
        text = located.line.text
        for match in pattern.finditer(text):
            normalized = normalize(match.group())
            if normalized is None:
                continue
            before = text[max(0, match.start() - 40) : match.start()]
            owned = _CUSTOMER_OWNED.search(before.split("   ")[-1] if "   " in before else before)
            if owned or position in excluded_positions:
                continue
            score = 1.0 + (0.5 if _VAT_LABEL.search(before) else 0.0)
            found.append(Registration(match.group(), normalized, located, score))
    return found


def _best_registration(found: list[Registration]) -> Registration | None:
    if not found:
        return None
    counts = Counter(r.normalized for r in found)
    return max(
        found, key=lambda r: (r.score + 0.3 * min(counts[r.normalized] - 1, 2), -r.located.index)
    )
