"""The parties a contract's opening sentence names.

"This Agreement is made … by and between ACME, INC., a Delaware corporation
("Acme"), and Beta LLC ("Beta")": a party is the name before its descriptors
(", a Delaware corporation", ", having its office at …") and before its
defined term in parentheses. Without defined terms the names are split on
"and".
"""

from __future__ import annotations

import re

_OPENING = re.compile(
    r"\b(?:by\s+and\s+(?:between|among)|between|among|by)\s+(?P<rest>.{10,1500}?)"
    r"(?=\bWHEREAS\b|\bRECITALS\b|\bW\s?I\s?T\s?N\s?E\s?S\s?S\s?E\s?T\s?H\b|\bNOW,?\s+THEREFORE\b"
    r"|\bBACKGROUND\b|\bPreamble\b|\.\s+(?:[A-Z][a-z]+\s){0,3}(?:The|This|Each|In)\s|$)",
    re.DOTALL,
)
_DEFINED_TERM = re.compile(
    r"\(\s*(?:the\s+|each\s+|hereinafter\s+)?[\"“”'‘][^)]{0,120}\)", re.IGNORECASE
)
_DESCRIPTOR = re.compile(
    r",?\s+(?:a|an)\s+(?=[A-Za-z])|,\s+(?:having|with|whose|located|organized|incorporated"
    r"|existing|acting|doing|residing|on\s+behalf)\b|,\s+(?:its|their)\s|\s+\(|,?\s+individually\b",
    re.IGNORECASE,
)
_LEADING = re.compile(r"^[\s,;:]*(?:and|&)?\s*(?:the\s+undersigned\s+)?", re.IGNORECASE)
_SPLIT_AND = re.compile(r"\s*(?:,\s*|;\s*)?\band\b\s*", re.IGNORECASE)
_AND_NAME = re.compile(r"\band\s+(?=[A-Z0-9])")
_MAX_PARTIES = 6


def find_parties(text: str) -> list[str]:
    """Party names from the first opening sentence in `text` (the document's start)."""
    match = _OPENING.search(text)
    if match is None:
        return []
    rest = match.group("rest")
    terms = list(_DEFINED_TERM.finditer(rest))
    if terms:
        pieces, start = [], 0
        for term in terms:
            pieces.append(rest[start : term.start()])
            start = term.end()
    else:
        pieces = _SPLIT_AND.split(rest, maxsplit=_MAX_PARTIES)
    names = []
    for piece in pieces:
        name = _name_of(piece)
        if name and name.lower() not in (n.lower() for n in names):
            names.append(name)
    return names[:_MAX_PARTIES]


def _name_of(piece: str) -> str | None:
    piece = _LEADING.sub("", piece)
    if piece[:1].islower():  # the previous party's address or descriptors run on
        joined = _AND_NAME.search(piece)
        piece = piece[joined.end() :] if joined else piece
    cut = _DESCRIPTOR.search(piece)
    name = (piece[: cut.start()] if cut else piece).strip(" ,;:\"“”'")
    name = re.sub(r"\s+", " ", name)
    letters = sum(ch.isalpha() for ch in name)
    if letters < 3 or len(name) > 90 or not (name[:1].isupper() or name[:1].isdigit()):
        return None
    return name
