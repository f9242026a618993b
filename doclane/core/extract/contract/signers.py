"""People who sign a contract for themselves: "/s/ Jane Roe" with no company and no title.

An officer signing for a company has the company's name above and a title
below ("By: /s/ John Doe", "Title: President"); a witness has "Witness:". A
person who is a party has neither. Signature blocks often stand side by side,
so each column of a line is read with the same column of the lines around it.
The name printed under the signature is preferred: it is usually the fuller one.
"""

from __future__ import annotations

import re

from doclane.core.extract.contract.names import (
    has_legal_form,
    looks_like_name,
    signs_as_title,
    tidy_name,
)
from doclane.core.extract.shared.lines import Located

_MARK = re.compile(r"/s/\s*")
_COLUMNS = re.compile(r"\s{3,}")
_BY = re.compile(r"^\s*by\b\s*[:.]?\s*$|^\s*by\s*:", re.IGNORECASE)
_WITNESS = re.compile(r"^\s*(?:witness(?:es)?|attest)\b", re.IGNORECASE)
_FIELD = re.compile(r"^(?:Title|Its|Name|Date|Print(?:ed)?\s+Name)\s*:", re.IGNORECASE)
_TITLE_LINE = re.compile(r"^(?:Title|Its)\s*:", re.IGNORECASE)
_PRINTED_NAME = re.compile(r"^(?:Print(?:ed)?\s+)?Name\s*:\s*", re.IGNORECASE)
_OFFICER = re.compile(
    r"\b(?i:president|officer|chairman|chair|director|manager|secretary|treasurer|ceo|cfo|coo"
    r"|vp|evp|svp|managing|member|partner|counsel)\b"
)
_COMPANY_WORD = re.compile(
    r"\b(?i:bank|bancorp|bancshares|group|holdings?|partners|fund|trust|university|capital"
    r"|associates|enterprises|industries|technologies|systems|solutions|stores|laboratories"
    r"|pharmaceuticals|gaming|foundation|institute|college)\b"
)
_PERSON = re.compile(r"^[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]*\.?){1,3}$")
_TRAILING_DATE = re.compile(r"\s+[\d/.\-]+$")
_AROUND = 3


def is_company_name(name: str) -> bool:
    """A name with a legal form, or with a word companies' names have ("Capital", "Bank")."""
    return has_legal_form(name) or _COMPANY_WORD.search(name) is not None


def find_signing_people(lines: tuple[Located, ...]) -> list[tuple[str, Located]]:
    """Each person signing for themselves, with the line of their name."""
    found: list[tuple[str, Located]] = []
    for index, located in enumerate(lines):
        if "/s/" not in located.line.text:
            continue
        columns = _columns(located.line.text)
        for position, column in enumerate(columns):
            if not column.startswith("/s/") or (position and _BY.match(columns[position - 1])):
                continue
            name = _TRAILING_DATE.sub("", tidy_name(column[3:]))
            person = _person(lines, index, position, len(columns), name)
            if person is not None:
                found.append(person)
    return found


def _columns(text: str) -> list[str]:
    return _COLUMNS.split(_MARK.sub("/s/ ", text.strip()))


def _cell(located: Located, position: int, width: int) -> str:
    """The same column of another line, or the whole line when its columns differ."""
    columns = _columns(located.line.text)
    return columns[position] if len(columns) == width else located.line.text.strip()


def _person(
    lines: tuple[Located, ...], index: int, position: int, width: int, name: str
) -> tuple[str, Located] | None:
    page = lines[index].page
    for located in reversed(lines[max(0, index - _AROUND) : index]):
        if located.page != page:  # the previous page's footer is not this block
            break
        cell = _cell(located, position, width)
        if _FIELD.match(cell):  # "Title: …" ends the block above
            break
        if _BY.match(cell) or _WITNESS.match(cell) or _company(cell):
            return None
    below = [located for located in lines[index + 1 : index + 1 + _AROUND] if located.page == page]
    cells = [_cell(located, position, width) for located in below]
    if any(_TITLE_LINE.match(cell) or _officer_title(cell) for cell in cells):
        return None
    surname = name.rsplit(maxsplit=1)[-1].casefold() if name.strip() else ""
    for cell, located in zip(cells, below, strict=True):
        printed = tidy_name(_PRINTED_NAME.sub("", cell))
        if _PERSON.match(printed) and printed.split()[-1].casefold() == surname:
            return printed, located
    if _PERSON.match(name) and looks_like_name(name) and not signs_as_title(name):
        return name, lines[index]
    return None


def _company(cell: str) -> bool:
    return is_company_name(cell) and looks_like_name(tidy_name(cell.rstrip(":")))


def _officer_title(cell: str) -> bool:
    return bool(_OFFICER.search(cell)) and signs_as_title(cell)
