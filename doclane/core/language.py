"""A cheap language guess from stop words: en, de, fr, nl, es or it (ISO 639-1)."""

from __future__ import annotations

import re
from types import MappingProxyType

STOP_WORDS: MappingProxyType[str, frozenset[str]] = MappingProxyType(
    {
        "en": frozenset(
            [
                "the",
                "and",
                "of",
                "to",
                "for",
                "with",
                "is",
                "on",
                "by",
                "this",
                "that",
                "are",
                "from",
                "your",
                "you",
                "please",
                "thank",
                "invoice",
                "date",
                "total",
                "amount",
                "due",
                "payment",
                "order",
            ]
        ),
        "de": frozenset(
            [
                "der",
                "die",
                "das",
                "und",
                "ist",
                "mit",
                "für",
                "den",
                "von",
                "zu",
                "bitte",
                "wir",
                "sie",
                "nicht",
                "auf",
                "dem",
                "ein",
                "eine",
                "ihre",
                "rechnung",
                "datum",
                "betrag",
                "summe",
                "zahlbar",
                "gesamt",
                "netto",
                "bei",
                "nach",
                "oder",
                "über",
                "am",
                "mwst",
                "fällig",
                "nettobetrag",
                "gesamtbetrag",
            ]
        ),
        "fr": frozenset(
            [
                "le",
                "la",
                "les",
                "et",
                "des",
                "du",
                "pour",
                "avec",
                "est",
                "une",
                "un",
                "sur",
                "par",
                "vous",
                "nous",
                "pas",
                "au",
                "aux",
                "facture",
                "montant",
                "date",
                "paiement",
            ]
        ),
        "nl": frozenset(
            [
                "het",
                "en",
                "van",
                "een",
                "voor",
                "met",
                "is",
                "op",
                "dat",
                "niet",
                "zijn",
                "wij",
                "uw",
                "aan",
                "bij",
                "factuur",
                "bedrag",
                "totaal",
            ]
        ),
        "es": frozenset(
            [
                "el",
                "los",
                "las",
                "y",
                "del",
                "para",
                "con",
                "es",
                "una",
                "por",
                "que",
                "en",
                "su",
                "sus",
                "al",
                "factura",
                "importe",
                "fecha",
            ]
        ),
        "it": frozenset(
            [
                "il",
                "di",
                "della",
                "per",
                "con",
                "è",
                "una",
                "che",
                "sono",
                "non",
                "alla",
                "fattura",
                "importo",
                "totale",
                "data",
            ]
        ),
    }
)
_WORD = re.compile(r"[^\W\d_]+")
_MIN_HITS = 2
_MAX_WORDS = 5000


def detect_language(text: str) -> tuple[str, float] | None:
    """(ISO 639-1 code, share of stop-word hits it holds), or None when too little evidence."""
    words = [word.casefold() for word in _WORD.findall(text[: _MAX_WORDS * 8])][:_MAX_WORDS]
    hits = {code: sum(1 for word in words if word in stops) for code, stops in STOP_WORDS.items()}
    best = max(hits, key=lambda code: hits[code])
    total = sum(hits.values())
    if hits[best] < _MIN_HITS:
        return None
    return best, round(hits[best] / total, 3)
