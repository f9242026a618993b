"""Turn amounts, dates, currencies and names as written into canonical values.

Every function here returns ``None`` for input it cannot read; none raises, so
extraction can try candidates freely.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from doclane.core.standards.currencies import CURRENCY_SYMBOLS, ISO_4217_CODES

_MAX_AMOUNT_DIGITS = 18  # beyond this a "number" is an id, not money
_CENTS = Decimal("0.01")

_GROUPED = re.compile(r"\d{1,3}(?:[ '’\u00a0\u202f.,]\d{3})+")
_GROUPED_DIGITS = re.compile(r"[\d '’\u00a0\u202f.,]+")
_CURRENCY_AROUND = re.compile(r"([^\d\-+(]*)(.*?)([^\d\-)]*)")  # head, number, tail
_DIGIT = re.compile(r"\d")
_NON_DIGIT = re.compile(r"\D")


def parse_amount(raw: str) -> Decimal | None:
    """Read a money amount written the English, German, French or Swiss way.

    A single separator followed by exactly three digits is read as a thousands
    separator ("1.234" is 1234); "(12.00)", "-12.00" and "12.00-" are negative.
    """
    text = raw.strip().replace("−", "-").replace("–", "-")
    if not text or len(text) > 40:
        return None
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1].strip()
    text = _strip_currency(text)
    if text.startswith("-"):
        negative, text = not negative, text[1:].strip()
    elif text.endswith("-"):
        negative, text = not negative, text[:-1].strip()
    elif text.startswith("+"):
        text = text[1:].strip()
    text = _strip_currency(text)
    number = _canonical_number(text)
    if number is None:
        return None
    try:
        value = Decimal(number)
    except InvalidOperation:
        return None
    return -value if negative else value


def _strip_currency(text: str) -> str:
    """Drop currency symbols and codes stuck to either end of the number."""
    match = _CURRENCY_AROUND.fullmatch(text)
    if match is None:
        return text
    head, body, tail = match.groups()
    for part in (head, tail):
        if part.strip() and normalize_currency(part.strip()) is None:
            return text
    return body.strip()


def _canonical_number(text: str) -> str | None:
    """ "1.234,56" -> "1234.56"; None when `text` is not a plain grouped number."""
    if not text or not text[0].isdigit() or not text[-1].isdigit():
        return None
    if not _GROUPED_DIGITS.fullmatch(text):
        return None
    last_sep = max(text.rfind("."), text.rfind(","))
    integer, fraction = text, ""
    if last_sep != -1:
        tail = text[last_sep + 1 :]
        is_grouping = (
            len(tail) == 3 and not text.startswith("0") and _GROUPED.fullmatch(text) is not None
        )
        if not is_grouping and tail.isdigit():
            integer, fraction = text[:last_sep], tail
    if integer != text and not _valid_grouping(integer):
        return None
    if integer == text and not _valid_grouping(text):
        return None
    digits = _NON_DIGIT.sub("", integer)
    if not digits or len(digits) + len(fraction) > _MAX_AMOUNT_DIGITS:
        return None
    return f"{digits}.{fraction}" if fraction else digits


def _valid_grouping(integer: str) -> bool:
    if integer.isdigit():
        return True
    if _GROUPED.fullmatch(integer) is None:
        return False
    separators = set(_DIGIT.sub("", integer))
    return len(separators) == 1


def format_amount(value: Decimal) -> str:
    """Two decimals, half up, no grouping: the canonical amount string."""
    return str(value.quantize(_CENTS, rounding=ROUND_HALF_UP))


_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "january januar janvier jan janv jän jaen",
        "february februar février fevrier feb febr fév fev févr fevr",
        "march märz maerz marz mars mar mär mrz",
        "april avril apr avr",
        "may mai",
        "june juni juin jun",
        "july juli juillet jul juil",
        "august août aout aug aoû",
        "september septembre sep sept",
        "october oktober octobre oct okt",
        "november novembre nov",
        "december dezember décembre decembre dec dez déc",
    ),
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _number

_MONTH_WORD = r"([^\W\d_]{3,9})\.?"
_NUMERIC_ISO = re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_NUMERIC_DMY = re.compile(
    r"(?<![\d.,])(\d{1,2})\s?([./-])\s?(\d{1,2})\s?\2\s?(\d{4}|\d{2})(?!\d|[.,]\d)"
)
_DAY_MONTH_YEAR = re.compile(
    rf"(?<!\d)(\d{{1,2}})(?:er|st|nd|rd|th)?\.?[\s\-/]*{_MONTH_WORD}[\s,\-/]*(\d{{4}}|\d{{2}})(?!\d)"
)
_MONTH_DAY_YEAR = re.compile(
    rf"{_MONTH_WORD}\s*(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?!\d)", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class DateMatch:
    """A calendar date found in a text, with where it is written."""

    value: date
    start: int
    end: int


def parse_date(raw: str, *, month_first: bool = False) -> date | None:
    """The first calendar date written in `raw`, or None.

    Numeric dates are read day first (European) unless `month_first` says the
    document writes them the US way (slashes only); either way the other
    reading is taken when the preferred one is impossible (e.g. 08/25/2013).
    """
    found = find_dates(raw, month_first=month_first)
    return found[0].value if found else None


def find_dates(raw: str, *, month_first: bool = False) -> list[DateMatch]:
    """Every calendar date written in `raw`, left to right; [] for none or absurd input."""
    if not raw or len(raw) > 400 or not any(map(str.isdigit, raw)):
        return []
    found: list[DateMatch] = []
    taken: list[tuple[int, int]] = []
    for match in _NUMERIC_ISO.finditer(raw):
        _add(found, taken, match, _make_date(int(match[1]), int(match[2]), int(match[3])))
    for match in _NUMERIC_DMY.finditer(raw):
        _add(found, taken, match, _numeric_dmy(match, month_first=month_first))
    for match in _DAY_MONTH_YEAR.finditer(raw):
        month = _MONTHS.get(match[2].casefold())
        if month is not None:
            _add(found, taken, match, _make_date(_full_year(match[3]), month, int(match[1])))
    for match in _MONTH_DAY_YEAR.finditer(raw):
        month = _MONTHS.get(match[1].casefold())
        if month is not None:
            _add(found, taken, match, _make_date(int(match[3]), month, int(match[2])))
    found.sort(key=lambda m: m.start)
    return found


def _add(
    found: list[DateMatch], taken: list[tuple[int, int]], match: re.Match[str], value: date | None
) -> None:
    start, end = match.span()
    if value is None or any(start < t_end and t_start < end for t_start, t_end in taken):
        return
    taken.append((start, end))
    found.append(DateMatch(value, start, end))


def _numeric_dmy(match: re.Match[str], *, month_first: bool) -> date | None:
    first, second, year = int(match[1]), int(match[3]), _full_year(match[4])
    day_first = _make_date(year, second, first)
    us = _make_date(year, first, second)
    if month_first and match[2] == "/":
        return us if us is not None else day_first
    return day_first if day_first is not None else us


def _full_year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        return 2000 + year if year < 70 else 1900 + year
    return year


def _make_date(year: int, month: int, day: int) -> date | None:
    if not 1900 <= year <= 2199:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def normalize_currency(raw: str) -> str | None:
    """ISO 4217 code for a currency symbol, local abbreviation or code."""
    text = raw.strip()
    if not text or len(text) > 12:
        return None
    symbol = CURRENCY_SYMBOLS.get(text.casefold().rstrip("."))
    if symbol is None:
        symbol = CURRENCY_SYMBOLS.get(text.casefold())
    if symbol is not None:
        return symbol
    code = text.upper()
    return code if code in ISO_4217_CODES else None


_ALPHANUMERIC_RUN = re.compile(r"[^\W_]+")  # maximal runs of str.isalnum() characters


def normalize_text(raw: str) -> str:
    """Case-folded text with punctuation dropped and whitespace collapsed.

    Used to compare names and labels regardless of how they were typed.
    """
    folded = unicodedata.normalize("NFKC", raw).casefold()
    return " ".join(_ALPHANUMERIC_RUN.findall(folded))


def normalize_name(raw: str) -> str | None:
    """A name with outer punctuation trimmed and inner whitespace collapsed."""
    name = " ".join(raw.split()).strip(" ,;:|-*#")
    return name or None
