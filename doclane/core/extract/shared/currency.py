"""The document currency, from the codes and symbols printed beside its amounts.

A code counts as evidence only where it stands for money: a code inside an
identifier ("AUD-2024-0042", "REF/USD/7") says nothing about the currency, and
a code or symbol written next to an amount ("EUR 339.15", "339,15 €") says
more than one in running text. "$" supports whichever dollar currency the
document names, USD when it names none. When two currencies both have evidence,
the stronger one is taken but its confidence falls below the review threshold
(a person should look before money is converted or paid) when the other stands
beside amounts too or is seen nearly as often; a stray code in running text
only makes it less sure.
"""

from __future__ import annotations

import re
from collections import Counter

from doclane.core.extract.shared.lines import AMOUNT_TOKEN, Located
from doclane.core.fields import FieldName
from doclane.core.model import ExtractedField
from doclane.core.normalize import normalize_currency

_CODES = "EUR|USD|GBP|CHF|MYR|RM|SGD|AUD|CAD|NZD|HKD|JPY|PLN|SEK|NOK|DKK|CZK|HUF"
# Not part of an identifier: no letter touching it, no "-", "_", "/" or "#" joining it
# to letters or digits on either side.
_CURRENCY_TOKEN = re.compile(
    rf"(?<![A-Za-z])(?<![A-Za-z0-9][-_/#])(?:{_CODES})(?![A-Za-z])(?![-_/#][A-Za-z0-9])|[€$£]"
)
_DOLLARS = frozenset({"USD", "AUD", "CAD", "NZD", "SGD", "HKD"})
_BESIDE_AMOUNT = 4  # characters between a code or symbol and its amount

SURE = 0.8  # one currency, seen beside amounts or more than once
SEEN_ONCE = 0.6
CONFLICTING = 0.4  # evidence for two currencies: below the default review threshold


def extract_currency(lines: tuple[Located, ...]) -> ExtractedField | None:
    """The currency with the most evidence; its first sighting as provenance."""
    weight: Counter[str] = Counter()
    beside_amounts: Counter[str] = Counter()
    first_seen: dict[str, tuple[str, Located]] = {}
    dollar_signs = 0
    for located in lines:
        text = located.line.text
        amounts = [m.span() for m in AMOUNT_TOKEN.finditer(text)]
        for match in _CURRENCY_TOKEN.finditer(text):
            raw = match.group()
            evidence = 2 if _beside_an_amount(match.span(), amounts) else 1
            if raw == "$":
                dollar_signs += evidence
                first_seen.setdefault("$", (raw, located))
                continue
            code = normalize_currency(raw)
            if code is None:
                continue
            weight[code] += evidence
            beside_amounts[code] += evidence == 2
            first_seen.setdefault(code, (raw, located))
    if dollar_signs:
        dollar = _named_dollar(weight)
        weight[dollar] += dollar_signs
        first_seen.setdefault(dollar, first_seen["$"])
    if not weight:
        return None
    (code, strongest), *others = weight.most_common()
    raw, located = first_seen[code]
    confidence = SURE if strongest >= 2 else SEEN_ONCE
    if any(beside_amounts[other] or 2 * count >= strongest for other, count in others):
        confidence = CONFLICTING  # another currency stands beside amounts, or nearly as often
    elif others:
        confidence = min(confidence, SEEN_ONCE)  # a stray code in running text
    return ExtractedField(FieldName.CURRENCY, raw, code, confidence, located.provenance())


def _beside_an_amount(span: tuple[int, int], amounts: list[tuple[int, int]]) -> bool:
    start, end = span
    return any(
        0 <= amount_start - end <= _BESIDE_AMOUNT or 0 <= start - amount_end <= _BESIDE_AMOUNT
        for amount_start, amount_end in amounts
    )


def _named_dollar(weight: Counter[str]) -> str:
    """The dollar currency a document names beside its "$" signs, USD when it names none."""
    named = [code for code in weight if code in _DOLLARS]
    return max(named, key=lambda code: weight[code]) if named else "USD"
