"""Payment terms: how many days an invoice gives, from which a due date follows."""

from __future__ import annotations

import re

from doclane.core.extract.shared.lines import Located

_TERM_DAYS = re.compile(
    r"\b(?:within|in|net|innerhalb(?:\s+von)?|binnen|à|a|sous|payable\s+à)\s+(\d{1,3})\s*"
    r"(?:days?|tagen?|jours?)\b(?![^.]*\b(?:skonto|discount|escompte)\b)"
    r"|\b(\d{1,3})\s+(?:days?|tage|jours)\s+(?:net|netto)\b"
    r"|\bnet\s*(\d{1,3})\b",
    re.IGNORECASE,
)


def payment_term_days(lines: tuple[Located, ...]) -> tuple[int, Located] | None:
    """Days to pay from "within 30 days", "30 Tage netto", "à 30 jours", "Net 30"; no discount terms."""
    for located in lines:
        text = located.line.text
        for match in _TERM_DAYS.finditer(text):
            preceding = text[max(0, match.start() - 25) : match.start()].casefold()
            if "skonto" in preceding or "discount" in preceding or "escompte" in preceding:
                continue
            days = int(next(group for group in match.groups() if group))
            if 0 < days <= 180:
                return days, located
    return None
