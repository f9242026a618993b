"""Which fields' keywords a line holds, found in one pass over the line.

A field's label patterns only run on lines that hold one of its keywords
(`labels.LABEL_KEYWORDS`, matched in the case-folded line). One alternation
of every keyword, longest first, finds where a keyword starts and the longest
one starting there; the keywords starting at that position are exactly that
one and its prefixes. Searching on from the next position, not from the end
of the match, also finds keywords that overlap it ("rechnungsdatum").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from types import MappingProxyType

from doclane.core.extract.labels.table import LABEL_KEYWORDS


def _fields_by_keyword(fields: Iterable[str]) -> MappingProxyType[str, frozenset[str]]:
    """Keyword -> the fields of it and of every keyword that is a prefix of it."""
    owners = [(keyword, field) for field in fields for keyword in LABEL_KEYWORDS[field]]
    return MappingProxyType(
        {
            keyword: frozenset(field for prefix, field in owners if keyword.startswith(prefix))
            for keyword, _ in owners
        }
    )


class KeywordFinder:
    """The fields among `fields` whose keywords occur in a case-folded text."""

    def __init__(self, fields: Iterable[str]) -> None:
        self._fields_at = _fields_by_keyword(fields)
        longest_first = sorted(self._fields_at, key=lambda keyword: (-len(keyword), keyword))
        self._any = re.compile("|".join(re.escape(keyword) for keyword in longest_first))

    def fields_in(self, folded: str) -> frozenset[str]:
        search = self._any.search
        match = search(folded)
        if match is None:
            return frozenset()
        found = self._fields_at[match.group()]
        while (match := search(folded, match.start() + 1)) is not None:
            found = found | self._fields_at[match.group()]
        return found
