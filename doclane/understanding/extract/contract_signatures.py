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

from doclane.understanding.extract.candidates import Located
from doclane.understanding.extract.contract_names import (
    LEGAL_FORM,
    has_legal_form,
    looks_like_name,
    signs_as_title,
    tidy_name,
)

_BY_LINE = re.compile(r"^\s*(?:By|BY)\b\s*[:.]?")
_SIGNED = re.compile(r"^\s*/s/\s*(?P<name>[^/]{3,60}?)\s*(?:\s{3,}|$)")
_TITLE_LINE = re.compile(r"^(?:Title|Its)\s*:", re.IGNORECASE)
_PRINTED_NAME = re.compile(r"^(?:Print(?:ed)?\s+)?Name\s*:\s*", re.IGNORECASE)
_OFFICER = re.compile(
    r"\b(?i:president|officer|chairman|chair|director|manager|secretary|treasurer|ceo|cfo|coo"
    r"|vp|evp|svp|managing|member|partner|counsel)\b"
)
_PERSON = re.compile(r"^[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]*\.?){1,3}$")
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
# Words a company's name often has when it carries no legal form.
_COMPANY_WORD = re.compile(
    r"\b(?i:bank|bancorp|bancshares|group|holdings?|partners|fund|trust|university|capital"
    r"|associates|enterprises|industries|technologies|systems|solutions|stores|laboratories"
    r"|pharmaceuticals|gaming|foundation|institute|college)\b"
)
_LOOK_BACK = 3
_MAX_PER_DOCUMENT = 24


def find_signatories(lines: tuple[Located, ...]) -> list[tuple[str, Located]]:
    """Names of the parties signing, in order, each with the line it is written on."""
    found: list[tuple[str, Located]] = []
    for index, located in enumerate(lines):
        text = located.line.text
        if _BY_LINE.match(text):
            found.extend(_company_above(lines, index))
        elif _SIGNED.match(text) and not _company_above(lines, index):
            person = _person_signing(lines, index)
            if person is not None:
                found.append(person)
        if len(found) >= _MAX_PER_DOCUMENT:
            break
    return found


def _person_signing(lines: tuple[Located, ...], index: int) -> tuple[str, Located] | None:
    """A person signing for themselves: no title below ("Chief Executive Officer", "Its:").

    The name printed below the signature is preferred: it is usually the fuller one.
    """
    signed = _SIGNED.match(lines[index].line.text)
    name = tidy_name(signed["name"]) if signed else ""
    below = [located.line.text.strip() for located in lines[index + 1 : index + 1 + _LOOK_BACK]]
    if any(_TITLE_LINE.match(text) or _is_officer_title(text) for text in below):
        return None
    if below:
        printed = tidy_name(_PRINTED_NAME.sub("", _COLUMNS.split(below[0])[0]))
        if _PERSON.match(printed) and printed.split()[-1].casefold() == name.split()[-1].casefold():
            return printed, lines[index + 1]
    if _acceptable(name) and _PERSON.match(name):
        return name, lines[index]
    return None


def _is_officer_title(text: str) -> bool:
    return bool(_OFFICER.search(text)) and signs_as_title(text)


def _company_above(lines: tuple[Located, ...], index: int) -> list[tuple[str, Located]]:
    """The name line just above a "By:" line: the first line above that holds names."""
    for back in range(index - 1, max(-1, index - 1 - _LOOK_BACK), -1):
        located = lines[back]
        if _BY_LINE.match(located.line.text):
            return []
        names = [name for name in _names_on_line(located.line.text) if _acceptable(name)]
        names = [name for name in names if has_legal_form(name) or _COMPANY_WORD.search(name)]
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
