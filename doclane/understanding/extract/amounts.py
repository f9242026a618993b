"""Totals, net and tax amounts, and the document currency."""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal

from doclane.understanding.extract.candidates import (
    AMOUNT_TOKEN,
    Located,
    read_amount,
    read_last_amount,
    search_labelled,
)
from doclane.understanding.extract.labels import LABELS
from doclane.understanding.model import ExtractedField
from doclane.understanding.normalize import format_amount, normalize_currency, parse_amount

FALLBACK_TOTAL_CONFIDENCE = 0.35
_CURRENCY_TOKEN = re.compile(
    r"(?<![A-Za-z])(EUR|USD|GBP|CHF|MYR|RM|SGD|AUD|CAD|JPY|PLN|SEK|NOK|DKK|CZK|HUF)(?![A-Za-z])|([€$£])"
)


def extract_total(lines: tuple[Located, ...]) -> ExtractedField | None:
    labelled = search_labelled(lines, "total", LABELS["total"], read_amount, prefer_last=True)
    return labelled or _largest_amount_near_bottom(lines)


def extract_net_total(lines: tuple[Located, ...]) -> ExtractedField | None:
    return search_labelled(lines, "net_total", LABELS["net_total"], read_amount, prefer_last=True)


def extract_tax_total(lines: tuple[Located, ...]) -> ExtractedField | None:
    return search_labelled(
        lines, "tax_total", LABELS["tax_total"], read_last_amount, prefer_last=True
    )


def _largest_amount_near_bottom(lines: tuple[Located, ...]) -> ExtractedField | None:
    """No labelled total: the largest amount in the lower half is usually the total."""
    best: tuple[Decimal, str, Located] | None = None
    for located in lines[len(lines) // 2 :]:
        for match in AMOUNT_TOKEN.finditer(located.line.text):
            amount = parse_amount(match.group())
            if amount is not None and (best is None or amount >= best[0]):
                best = (amount, match.group(), located)
    if best is None:
        return None
    amount, raw, located = best
    return ExtractedField(
        "total", raw, format_amount(amount), FALLBACK_TOTAL_CONFIDENCE, located.provenance()
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
    return ExtractedField("currency", raw, code, confidence, located.provenance())
