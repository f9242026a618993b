"""Contract fields: title, effective date, governing law."""

from __future__ import annotations

import re

from doclane.understanding.extract.candidates import Located
from doclane.understanding.model import ExtractedField, Extraction
from doclane.understanding.normalize import normalize_name, parse_date

_TITLE_WORD = re.compile(
    r"\b(?:agreement|contract|lease|licen[cs]e|memorandum|vertrag|vereinbarung|contrat|convention)\b",
    re.IGNORECASE,
)
_DAY_OF = re.compile(
    r"(\d{1,2})(?:st|nd|rd|th)?\s+day\s+of\s+([A-Za-zäéû]+),?\s+(\d{4})", re.IGNORECASE
)
_EFFECTIVE = re.compile(
    r"(?:effective\s+(?:as\s+of|date|on)|dated\s+(?:as\s+of)?|entered\s+into\s+(?:as\s+of|on)"
    r"|made\s+(?:as\s+of|on)|as\s+of|with\s+effect\s+from|mit\s+wirkung\s+(?:zum|vom)"
    r"|gültig\s+ab|en\s+vigueur\s+(?:le|à\s+compter\s+du))[\s:,\"“”()a-z]*?(.{6,40})",
    re.IGNORECASE,
)
_GOVERNING = (
    re.compile(
        r"(?:governed\s+by|construed\s+(?:and\s+enforced\s+)?in\s+accordance\s+with|subject\s+to)"
        r"[^.]{0,80}?(?i:laws?\s+of\s+(?:the\s+)?(?:state\s+of\s+|commonwealth\s+of\s+|province\s+of\s+)?)"
        r"([A-Z][A-Za-z]+(?:\s+[A-Z][A-Za-z]+)?)",
    ),
    re.compile(
        r"(deutsche[mn]?|französische[mn]?|schweizer(?:ische[mn]?)?|österreichische[mn]?)\s+recht",
        re.IGNORECASE,
    ),
    re.compile(r"droit\s+(français|belge|suisse|luxembourgeois|allemand)", re.IGNORECASE),
)
_SCAN_CHARS = 20000  # the header clauses sit at the start; governing law anywhere


def extract_contract(lines: tuple[Located, ...]) -> Extraction:
    found = (extract_title(lines), extract_effective_date(lines), extract_governing_law(lines))
    return Extraction(fields=tuple(field for field in found if field is not None), line_items=())


def extract_title(lines: tuple[Located, ...]) -> ExtractedField | None:
    head = [located for located in lines if located.page <= 2][:40]
    for located in head:
        text = located.line.text.strip()
        if _TITLE_WORD.search(text) and len(text) <= 100 and not text.endswith((".", ",", ";")):
            confidence = 0.8 if text.isupper() else 0.6
            return ExtractedField(
                "title", text, normalize_name(text), confidence, located.provenance()
            )
    return None


def extract_effective_date(lines: tuple[Located, ...]) -> ExtractedField | None:
    for located, text in _joined_window(lines, 120):
        for match in _EFFECTIVE.finditer(text):
            candidate = _DAY_OF.sub(
                r"\1 \2 \3", match.group(1) + text[match.end() : match.end() + 30]
            )
            found = parse_date(candidate)
            if found is not None:
                return ExtractedField(
                    "effective_date",
                    match.group(0).strip()[:80],
                    found.isoformat(),
                    0.6,
                    located.provenance(),
                )
    return None


def extract_governing_law(lines: tuple[Located, ...]) -> ExtractedField | None:
    for located, text in _joined_window(lines, len(lines)):
        for pattern in _GOVERNING:
            match = pattern.search(text)
            if match is not None:
                value = match.group(1)
                return ExtractedField(
                    "governing_law", value, normalize_name(value), 0.6, located.provenance()
                )
    return None


def _joined_window(lines: tuple[Located, ...], limit: int) -> list[tuple[Located, str]]:
    """Each line joined with the next two, so clauses broken across lines still match."""
    window = []
    for position, located in enumerate(lines[:limit]):
        text = " ".join(item.line.text for item in lines[position : position + 3])
        window.append((located, text[:_SCAN_CHARS]))
    return window
