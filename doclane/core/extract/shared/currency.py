"""The document currency."""

from __future__ import annotations

import re
from collections import Counter

from doclane.core.extract.shared.lines import (
    Located,
)
from doclane.core.fields import FieldName
from doclane.core.model import ExtractedField
from doclane.core.normalize import normalize_currency

_CURRENCY_TOKEN = re.compile(
    r"(?<![A-Za-z])(EUR|USD|GBP|CHF|MYR|RM|SGD|AUD|CAD|JPY|PLN|SEK|NOK|DKK|CZK|HUF)(?![A-Za-z])|([€$£])"
)


def extract_currency(lines: tuple[Located, ...]) -> ExtractedField | None:
    """The most frequent currency symbol or code; first sighting as provenance."""
    counts: Counter[str] = Counter()
    first_seen: dict[str, tuple[str, Located]] = {}
    for located in lines:
        for match in _CURRENCY_TOKEN.finditer(located.line.text):
            raw = match.group()
            code = normalize_currency(raw)
            if code is None:
                continue
            counts[code] += 1
            first_seen.setdefault(code, (raw, located))
    if not counts:
        return None
    code, count = counts.most_common(1)[0]
    raw, located = first_seen[code]
    confidence = 0.8 if count >= 2 else 0.6
    return ExtractedField(FieldName.CURRENCY, raw, code, confidence, located.provenance())
