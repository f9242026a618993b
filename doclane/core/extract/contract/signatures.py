"""The parties a contract's signature blocks name.

A company signs under its name: "ACME, INC." on a line, then "By: /s/ Jane Roe"
and "Title: …". A person signing for themselves writes "/s/ John Doe" with no
"By:". Side-by-side blocks come as one line with columns ("ACME, INC.   BETA
LLC"), sometimes with one space only, so a line is also split after a legal
form. Letter agreements sign this way too ("Very truly yours, ACME, INC. By: …",
"Accepted and agreed: BETA LLC By: …"), which is where their parties are found.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from doclane.core.extract.contract.names import (
    LEGAL_FORM,
    looks_like_name,
    signs_as_title,
    tidy_name,
)
from doclane.core.extract.contract.signers import find_signing_people, is_company_name
from doclane.core.extract.shared.lines import Located

_BY_LINE = re.compile(r"^\s*(?:By|BY)\b\s*[:.]?")
_COLUMNS = re.compile(r"\s{3,}")
_LABEL_PREFIX = re.compile(r"^[A-Za-z][\w ]{0,25}:\s+(?=\S)")
_FORM_FIELD = re.compile(
    r"^(?:Name|Title|Date|Its|Print(?:ed)?\s+Name|Signature|Address|E-?mail|Phone|Telephone|Fax"
    r"|Witness|Attest|Dated)\b",
    re.IGNORECASE,
)
_AFTER_FORM = re.compile(rf"\b{LEGAL_FORM}(?:,?\s+{LEGAL_FORM})*:?\s+(?=[A-Z0-9])")
_NOT_A_NAME = re.compile(
    r"^\d+\s|\d{4,}|@|www\.|\bpage\b|^source\b|^(?:d/b/a|c/o|for\s+and\s+on)\b|/.*/"
    r"|\b[A-Z]+\d+[A-Z]*\b.*\d",  # a postal code or reference: "L8S 4K1"
    re.IGNORECASE,
)
_LOOK_BACK = 3
_MAX_PER_DOCUMENT = 24


def find_signatories(lines: tuple[Located, ...]) -> list[tuple[str, Located]]:
    """Names of the parties signing, in order, each with the line it is written on."""
    companies = [
        company
        for index, located in enumerate(lines)
        if _BY_LINE.match(located.line.text)
        for company in _company_above(lines, index)
    ]
    found = sorted([*companies, *find_signing_people(lines)], key=lambda item: item[1].index)
    return found[:_MAX_PER_DOCUMENT]


def _company_above(lines: tuple[Located, ...], index: int) -> list[tuple[str, Located]]:
    """The name line just above a "By:" line: the first line above that holds names."""
    for back in range(index - 1, max(-1, index - 1 - _LOOK_BACK), -1):
        located = lines[back]
        if _BY_LINE.match(located.line.text):
            return []
        names = [name for name in _names_on_line(located.line.text) if _acceptable(name)]
        names = [name for name in names if is_company_name(name)]
        if names:
            return [(name, located) for name in names]
    return []


def _names_on_line(text: str) -> Iterator[str]:
    for column in _COLUMNS.split(text.strip()):
        if _FORM_FIELD.match(column):
            continue
        names = _LABEL_PREFIX.sub("", column)
        start = 0
        for form in _AFTER_FORM.finditer(names):
            yield tidy_name(names[start : form.end()].rstrip(": "))
            start = form.end()
        yield tidy_name(names[start:].rstrip(":"))


def _acceptable(name: str) -> bool:
    return (
        bool(name)
        and _NOT_A_NAME.search(name) is None
        and looks_like_name(name)
        and not signs_as_title(name)
    )
