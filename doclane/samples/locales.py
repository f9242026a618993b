"""How each language writes numbers, dates and money in a document.

German `1.234,56` and `06.08.2013`, French `1 234,56` and `06/08/2013`,
English `1,234.56` and `August 6, 2013` or `2013-08-06`.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

LANGUAGES = ("en", "de", "fr")
CENT = Decimal("0.01")

_MONTHS = {
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    "de": [
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ],
    "fr": [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
}

# Numeric date styles per language; the first is the most common one.
DATE_STYLES = {
    "en": ("long_us", "iso", "long_gb"),
    "de": ("dotted", "dotted", "long"),
    "fr": ("slashed", "slashed", "long"),
}

CURRENCY_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "CHF": "CHF", "MYR": "RM"}
MONEY_STYLES = ("symbol", "code_before", "code_after")


def cents(value: Decimal) -> Decimal:
    """Round to cents the way invoices do (half up)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def format_number(value: Decimal, language: str, places: int = 2) -> str:
    """`1234.5` as `1,234.50` (en), `1.234,50` (de) or `1 234,50` (fr)."""
    quantum = Decimal(1).scaleb(-places)
    text = f"{value.quantize(quantum, rounding=ROUND_HALF_UP):,.{places}f}"
    if language == "de":
        return text.translate(_DE_SWAP)
    if language == "fr":
        return text.replace(",", " ").replace(".", ",")
    return text


_DE_SWAP = str.maketrans({",": ".", ".": ","})


def format_quantity(value: Decimal, language: str) -> str:
    """Whole quantities without decimals, others with as many as they need."""
    if value == value.to_integral_value():
        return str(int(value))
    text = format(value.normalize(), "f")
    return text if language == "en" else text.replace(".", ",")


def format_rate(rate: Decimal, language: str) -> str:
    """A tax rate as printed: `19%` (en), `19 %` (de, fr), `5,5 %`."""
    text = format_quantity(rate, language)
    return f"{text}%" if language == "en" else f"{text} %"


def format_money(value: Decimal, currency: str, language: str, style: str) -> str:
    """An amount with its currency, e.g. `€1,234.56`, `1.234,56 €` or `EUR 1.234,56`."""
    number = format_number(value, language)
    if style == "code_before":
        return f"{currency} {number}"
    if style == "code_after":
        return f"{number} {currency}"
    symbol = CURRENCY_SYMBOLS[currency]
    if language == "en" and len(symbol) == 1:
        return f"{symbol}{number}"
    if language == "en":
        return f"{symbol} {number}"
    return f"{number} {symbol}"


def format_date(value: date, language: str, style: str) -> str:
    if style == "iso":
        return value.isoformat()
    if style == "dotted":
        return value.strftime("%d.%m.%Y")
    if style == "slashed":
        return value.strftime("%d/%m/%Y")
    month = _MONTHS[language][value.month - 1]
    if style == "long_us":
        return f"{month} {value.day}, {value.year}"
    if language == "de":
        return f"{value.day}. {month} {value.year}"
    return f"{value.day} {month} {value.year}"


def long_date(value: date, language: str) -> str:
    """The date as written in prose (contracts)."""
    return format_date(value, language, "long_us" if language == "en" else "long")
