"""Document type from weighted keyword evidence plus a few layout cues.

Each type collects evidence (see `keywords`); `other` starts from a fixed prior
so a document that only mentions "total" once stays `other`. Scores go through
a softmax, so `confidence` is the share of evidence the winner holds.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from doclane.core.classify.keywords import (
    KEYWORDS,
    OTHER_KEYWORDS,
    OTHER_TITLES,
    POINT_OF_SALE_CUES,
    TITLE_BOOST,
    TITLE_LINES,
    TITLE_MAX_CHARS,
)
from doclane.core.extract.invoice.einvoice_xml import find_einvoice
from doclane.core.model import Classification, DocType, DocumentText
from doclane.core.normalize import normalize_text
from doclane.core.read.layout import COLUMN_GAP

CREDIT_NOTE_TITLE_MARGIN = 3.0  # a credit note's title outweighs its invoice references
OTHER_PRIOR = 4.0  # evidence a business type must beat to win
_TEMPERATURE = 2.0  # higher spreads probability over more types
_MAX_COUNTED = 8  # repetitions beyond this add nothing
_EINVOICE_EVIDENCE = 20.0

_PRICE = re.compile(r"(?<![\d.,])\d{1,6}[.,]\d{2}(?![\d.,])")
# A heading followed only by its number or year: "quote no 17", "angebot nr 2024 5",
# "devis n d 42", "annual report 2023".
_NUMBERED_HEADING = re.compile(r"(.+?)\s+(?:((?:no|nr|n|number|nummer|numéro)\b.*\d.*)|\d[\d ]*)")
_OF_WORDS = frozenset({"of", "for", "de", "du", "des", "der", "über", "zur", "zum"})
# A till's date with the time of sale: "30/05/18 11:01", "25.12.2018 20:13:39".
_TIME_STAMP = re.compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{2,4}\s+\d{1,2}:\d{2}(?::\d{2})?\b")
# A bank statement's transaction row: a booking date first, then at least two amounts
# (the movement and the running balance): "03/03 Card payment 45.20 954.80".
_TRANSACTION_ROW = re.compile(
    r"^\s*(?:\d{1,2}[./-]\d{1,2}(?:[./-]\d{2,4})?|\d{4}-\d{2}-\d{2}|\d{1,2}\s+[A-Za-zÀ-ÿ]{3,9}\.?)\s"
    r"(?:.*?(?<![\d.,])-?\d{1,3}(?:[.,' ]?\d{3})*[.,]\d{2}(?![\d.,])){2}"
)
_SECTION_NUMBER = re.compile(
    r"^(?:section|article|artikel|§)?\s*\d{1,2}(?:\.\d{1,2})*\.?\s+[A-Za-z]", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class _Views:
    """The document as the scorer looks at it, computed once."""

    body: str  # every normalised line, padded so phrases match whole words
    title: str  # the same for the title area of page 1
    headings: tuple[str, ...]  # normalised cells of the title area
    lines: tuple[str, ...]  # raw line texts


def classify_document(
    text: DocumentText, taxonomy: Collection[DocType] | None = None
) -> Classification:
    """The document's type with a confidence (a probability over the types).

    With a `taxonomy`, types outside it are not answers: their probability goes
    to `other`, so a document of an unwanted kind comes out as `other`, never
    forced into another business class.
    """
    views = _views(text)
    scores = {doc_type: _phrase_score(views, phrases) for doc_type, phrases in KEYWORDS.items()}
    scores[DocType.OTHER] = (
        OTHER_PRIOR + _phrase_score(views, OTHER_KEYWORDS) + _other_title_score(views)
    )
    scores[DocType.RECEIPT] += _receipt_layout_score(views.lines) + _point_of_sale_score(views)
    scores[DocType.CONTRACT] += _contract_layout_score(views.lines)
    scores[DocType.BANK_STATEMENT] += _transaction_rows_score(views)
    _credit_note_by_title(views, scores)
    _add_einvoice_evidence(text, scores)  # the XML's own type code has the last word
    probabilities = _softmax(scores)
    if taxonomy is not None:
        probabilities = _within(probabilities, taxonomy)
    best = max(probabilities, key=lambda doc_type: probabilities[doc_type])
    return Classification(
        doc_type=best,
        confidence=round(probabilities[best], 4),
        scores={str(doc_type): round(p, 4) for doc_type, p in probabilities.items()},
    )


def _views(text: DocumentText) -> _Views:
    lines = tuple(line.text for _, _, line in text.iter_lines())
    normalised = [normalize_text(line) for line in lines]
    first_page = text.pages[0].lines if text.pages else ()
    title = [  # cells, so a title printed beside the letterhead counts
        folded
        for line in first_page[:TITLE_LINES]
        for cell in line.text.split(COLUMN_GAP)
        if len(folded := normalize_text(cell)) <= TITLE_MAX_CHARS
    ]
    return _Views(
        body=_padded(normalised), title=_padded(title), headings=tuple(title), lines=lines
    )


def _padded(lines: list[str]) -> str:
    return "".join(f" {line} \n" for line in lines)


def _phrase_score(views: _Views, phrases: Mapping[str, float]) -> float:
    score = 0.0
    body, title = views.body, views.title
    for phrase, weight in phrases.items():
        needle = f" {phrase} "
        if needle not in body:
            continue
        count = min(_occurrences(body, phrase), _MAX_COUNTED)
        if count:
            score += weight * (1.0 + math.log(count))
            if needle in title and _occurrences(title, phrase):
                score += weight * (TITLE_BOOST - 1.0)
    return score


def _occurrences(text: str, phrase: str) -> int:
    """Whole-word occurrences of `phrase`, except those inside a longer phrase of another type
    ("invoice" in a till's "tax invoice", "facture" in "facture d'avoir")."""
    count = text.count(f" {phrase} ")
    for longer in _MASKED_BY.get(phrase, ()):
        count -= text.count(f" {longer} ")
    return max(count, 0)


def _masking_phrases() -> dict[str, tuple[str, ...]]:
    """Phrase -> the phrases of other types that contain it, computed once from the tables."""
    owners = [(phrase, doc_type) for doc_type, table in KEYWORDS.items() for phrase in table]
    return {
        phrase: longer
        for phrase, owner in owners
        if (
            longer := tuple(
                other
                for other, other_owner in owners
                if other_owner is not owner and other != phrase and f" {phrase} " in f" {other} "
            )
        )
    }


_MASKED_BY = _masking_phrases()
_ANY_OTHER_TITLE = re.compile("|".join(rf" {re.escape(phrase)} " for phrase in OTHER_TITLES))


def _other_title_score(views: _Views) -> float:
    """Headings of kinds outside the taxonomy (`OTHER_TITLES`); the strongest one counts.

    The heading must be the phrase, end with it ("quarterly report"), or start
    with it and say of what ("minutes of the board meeting"); a trailing year
    is ignored ("annual report 2023"). Followed by "No." and a number it counts
    half: "Lieferschein-Nr. 8812" on an invoice refers to another document.
    """
    if not _ANY_OTHER_TITLE.search(views.title):
        return 0.0
    best = 0.0
    for cell in views.headings:
        heading, share = _heading_of(cell)
        words = heading.split()
        for size in (1, 2, 3):
            for phrase in (" ".join(words[-size:]), _phrase_before_of(words, size)):
                best = max(best, share * OTHER_TITLES.get(phrase, 0.0))
    return TITLE_BOOST * best


def _heading_of(cell: str) -> tuple[str, float]:
    """The cell without a trailing number, and how much it counts as a heading:
    "annual report 2023" -> ("annual report", 1.0), "devis n d 42" -> ("devis", 0.5)."""
    match = _NUMBERED_HEADING.fullmatch(cell)
    if match is None:
        return cell, 1.0
    return match.group(1), 0.5 if match.group(2) else 1.0


def _phrase_before_of(words: list[str], size: int) -> str:
    if len(words) > size and words[size] in _OF_WORDS:
        return " ".join(words[:size])
    return ""


def _receipt_layout_score(lines: tuple[str, ...]) -> float:
    """Receipts: few, short lines with many prices."""
    if not lines or len(lines) > 200:
        return 0.0
    short_share = sum(1 for line in lines if len(line) <= 32) / len(lines)
    prices = sum(1 for line in lines if _PRICE.search(line))
    if prices < 3:
        return 0.0
    return 4.0 * max(0.0, short_share - 0.5) * 2 + min(prices, 20) * 0.1


def _point_of_sale_score(views: _Views) -> float:
    """Tills print several of: cashier, cash, change, rounding, ...; invoices rarely do."""
    distinct = sum(1 for cue in POINT_OF_SALE_CUES if f" {cue} " in views.body)
    distinct += _TIME_STAMP.search("\n".join(views.lines)) is not None
    return 2.5 * max(0, distinct - 1)


def _transaction_rows_score(views: _Views) -> float:
    """Bank statements: rows of booking date, text, amount and running balance, on a page
    that speaks of a balance; an invoice's dated service rows rarely name one."""
    if not any(f" {word} " in views.body for word in _BALANCE_WORDS):
        return 0.0
    rows = sum(1 for line in views.lines if _TRANSACTION_ROW.match(line))
    return min(max(0, rows - 2) * 0.6, 4.0)


_BALANCE_WORDS = ("balance", "saldo", "solde", "kontostand")


def _contract_layout_score(lines: tuple[str, ...]) -> float:
    """Contracts: long prose lines, numbered sections, few prices."""
    if len(lines) < 20:
        return 0.0
    long_share = sum(1 for line in lines if len(line) >= 60) / len(lines)
    sections = sum(1 for line in lines if _SECTION_NUMBER.match(line))
    price_share = sum(1 for line in lines if _PRICE.search(line)) / len(lines)
    score = 4.0 * long_share + min(sections, 20) * 0.15
    return score * max(0.0, 1.0 - 4.0 * price_share)


def _add_einvoice_evidence(text: DocumentText, scores: dict[DocType, float]) -> None:
    einvoice = find_einvoice(text.attachments)
    if einvoice is not None:
        scores[einvoice.doc_type] = scores.get(einvoice.doc_type, 0.0) + _EINVOICE_EVIDENCE


def _within(
    probabilities: dict[DocType, float], taxonomy: Collection[DocType]
) -> dict[DocType, float]:
    kept = {t: p for t, p in probabilities.items() if t in taxonomy and t is not DocType.OTHER}
    kept[DocType.OTHER] = 1.0 - sum(kept.values())
    return kept


def _credit_note_by_title(views: _Views, scores: dict[DocType, float]) -> None:
    """A credit note names the invoice it corrects ("Original invoice", "Invoice date"),
    so invoice words count for it too once its title says what it is."""
    if any(f" {phrase} " in views.title for phrase in KEYWORDS[DocType.CREDIT_NOTE]):
        scores[DocType.CREDIT_NOTE] = max(
            scores[DocType.CREDIT_NOTE], scores[DocType.INVOICE] + CREDIT_NOTE_TITLE_MARGIN
        )


def _softmax(scores: dict[DocType, float]) -> dict[DocType, float]:
    top = max(scores.values())
    exps = {doc_type: math.exp((score - top) / _TEMPERATURE) for doc_type, score in scores.items()}
    total = sum(exps.values())
    return {doc_type: value / total for doc_type, value in exps.items()}
