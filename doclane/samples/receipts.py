"""Till receipts as OCR text lines, in the manner of the SROIE receipts.

Most are Malaysian shops paid in ringgit (`RM`), with company registration and
GST numbers, cash and change, and sometimes a rounding adjustment to 5 sen;
their summary is printed label and amount on one line, on two lines, or (as
SROIE's OCR often reads it) as a column of labels followed by the amounts.
The rest are European shops in German, French or English with their own
number and date formats.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from doclane.samples import locales

_MY_SHOP_NAMES = (
    "AH HOCK",
    "SRI MURNI",
    "BOON HUAT",
    "LIAN HENG",
    "SENG HUAT",
    "MEI LING",
    "KIM ANN",
)
_MY_SHOP_KINDS = ("HARDWARE", "TRADING", "STATIONERY", "RESTORAN", "MINI MARKET", "BOOKSTORE")
_MY_SUFFIXES = ("SDN BHD", "SDN. BHD.", "(M) SDN BHD", "ENTERPRISE", "TRADING")
_MY_STREETS = ("JALAN MERANTI", "JALAN SAGU", "JALAN PUTRA", "JALAN KENARI", "JALAN MEWAH")
_MY_TAMAN = ("TAMAN DAYA", "TAMAN SRI BAHAGIA", "TAMAN MOLEK", "TAMAN UNIVERSITI", "BANDAR BARU")
_MY_CITIES = (
    ("81100", "JOHOR BAHRU", "JOHOR"),
    ("43300", "SERI KEMBANGAN", "SELANGOR"),
    ("50450", "KUALA LUMPUR", "WILAYAH PERSEKUTUAN"),
    ("47301", "PETALING JAYA", "SELANGOR"),
    ("10200", "GEORGETOWN", "PULAU PINANG"),
)
_MY_ITEMS = (
    "KF MODELLING CLAY KIDDY FISH",
    "WD40 27ML",
    "HANDKERCHIEF 2PCS",
    "NASI LEMAK AYAM",
    "TEH TARIK",
    "MILO AIS",
    "A4 PAPER 70GSM",
    "PVC TAPE 18MM",
    "BATTERY AA 4S",
    "MINERAL WATER 1.5L",
    "ROTI CANAI",
    "KOPI O",
    "EXTENSION CORD 3M",
    "BROOM",
)
_EU_SHOPS = {
    "de": (("Bäckerei", "Schmidt"), ("Getränkemarkt", "Krause"), ("Schreibwaren", "Vogel")),
    "fr": (("Boulangerie", "Martin"), ("Café", "du Marché"), ("Librairie", "Dubois")),
    "en": (("Corner", "Shop"), ("Station", "Café"), ("Market", "Stores")),
}
_EU_ITEMS = {
    "de": ("Brötchen", "Kaffee groß", "Laugenbrezel", "Mineralwasser 1,5l", "Notizblock A5"),
    "fr": ("Baguette", "Café crème", "Croissant", "Eau minérale 1,5l", "Cahier A5"),
    "en": ("Sandwich", "Flat white", "Croissant", "Still water 500ml", "Notebook A5"),
}
_EU_WORDS = {
    "de": {
        "total": "SUMME",
        "cash": "BAR",
        "change": "RÜCKGELD",
        "tax": "MwSt",
        "thanks": "Vielen Dank!",
    },
    "fr": {
        "total": "TOTAL TTC",
        "cash": "ESPECES",
        "change": "RENDU",
        "tax": "TVA",
        "thanks": "Merci de votre visite",
    },
    "en": {
        "total": "TOTAL",
        "cash": "CASH",
        "change": "CHANGE",
        "tax": "VAT",
        "thanks": "Thank you!",
    },
}
_EU_PLACES = {
    "de": (("Hauptstraße", "10115 Berlin"), ("Marktplatz", "79098 Freiburg")),
    "fr": (("rue de la République", "69002 Lyon"), ("place du Marché", "44000 Nantes")),
    "en": (("High Street", "Reading RG1 1AA"), ("Station Road", "Leeds LS1 4AP")),
}
_EU_CURRENCIES = {"de": ("EUR",), "fr": ("EUR", "CHF"), "en": ("GBP", "USD", "EUR")}


@dataclass(frozen=True)
class Receipt:
    text: str
    fields: dict[str, str]
    language: str
    layout: str
    sroie: dict[str, str] | None  # the four SROIE fields as printed, for SROIE-style scoring
    line_items: list[dict[str, str]]


def make_receipt(rng: random.Random) -> Receipt:
    return _malaysian(rng) if rng.random() < 0.7 else _european(rng)


def _when(rng: random.Random) -> datetime:
    day = date(2017, 1, 1) + timedelta(days=rng.randint(0, 3 * 365))
    return datetime(
        day.year, day.month, day.day, rng.randint(8, 21), rng.randint(0, 59), rng.randint(0, 59)
    )


def _items(rng: random.Random, names: tuple[str, ...]) -> list[tuple[str, int, Decimal]]:
    chosen = rng.sample(names, rng.randint(1, min(6, len(names))))
    return [
        (name, rng.choice((1, 1, 1, 2, 3)), Decimal(rng.randint(50, 3000)) / 100) for name in chosen
    ]


def _line_item(name: str, qty: int, price: Decimal) -> dict[str, str]:
    return {
        "description": name,
        "quantity": str(qty),
        "unit_price": f"{price:.2f}",
        "amount": f"{price * qty:.2f}",
    }


def _cash(total: Decimal, rng: random.Random) -> Decimal:
    for note in (1, 5, 10, 20, 50, 100):
        if total <= note and rng.random() < 0.6:
            return Decimal(note)
    return (total + 50).quantize(Decimal(1)) // 50 * 50 if total > 100 else Decimal(100)


def _malaysian(rng: random.Random) -> Receipt:
    name = f"{rng.choice(_MY_SHOP_NAMES)} {rng.choice(_MY_SHOP_KINDS)} {rng.choice(_MY_SUFFIXES)}"
    postcode, city, state = rng.choice(_MY_CITIES)
    address = [
        f"NO. {rng.randint(1, 99)}, {rng.choice(_MY_STREETS)} {rng.randint(1, 30)},",
        f"{rng.choice(_MY_TAMAN)},",
        f"{postcode} {city},",
        f"{state}.",
    ]
    when = _when(rng)
    date_text = rng.choice(
        (when.strftime("%d/%m/%Y"), when.strftime("%d-%m-%Y"), when.strftime("%d/%m/%y"))
    )
    time_text = rng.choice((when.strftime("%I:%M:%S %p"), when.strftime("%H:%M")))
    lines = [name]
    lines.append(f"(CO. REG : {rng.randint(100000, 999999)}-{rng.choice('ADKPTVWX')})")
    lines.extend(address)
    if rng.random() < 0.7:
        lines.append(f"GST ID NO : {rng.randint(10**11, 10**12 - 1):012d}")
    lines.append(rng.choice(("TAX INVOICE", "CASH BILL", "-INVOICE-", "SIMPLIFIED TAX INVOICE")))
    lines.append(f"DOCUMENT NO : {rng.choice(('CS', 'TD', 'INV'))}{rng.randint(10**6, 10**8)}")
    split = rng.random() < 0.5  # SROIE's OCR often gives every cell its own line
    if split:
        lines += ["DATE:", f"{date_text} {time_text}"]
    else:
        lines.append(f"DATE : {date_text} TIME : {time_text}")
    lines += (
        ["CASHIER:", rng.choice(("MANIS", "ANIS", "SITI", "01"))] if split else ["CASHIER : 01"]
    )
    lines += (
        ["DESCRIPTION", "QTY", "PRICE", "AMOUNT"] if split else ["DESCRIPTION  QTY  PRICE  AMOUNT"]
    )
    subtotal = Decimal("0.00")
    bought = _items(rng, _MY_ITEMS)
    for item, qty, price in bought:
        amount = price * qty
        subtotal += amount
        if split:
            lines += [item, f"{qty}", "X", f"{price:.2f}", f"{amount:.2f}"]
        else:
            lines.append(f"{item} {qty} X {price:.2f} {amount:.2f}")
    summary, total, columns = _summary(rng, subtotal, split=split)
    lines += summary
    lines += [_ocr_noise("GOODS SOLD ARE NOT RETURNABLE", rng), _ocr_noise("THANK YOU", rng)]
    lines.append(_ocr_noise("PLEASE COME AGAIN !", rng))
    printed_address = " ".join(address)
    fields = {
        "vendor_name": name,
        "vendor_address": printed_address,
        "issue_date": when.date().isoformat(),
        "total": f"{total:.2f}",
        "currency": "MYR",
    }
    sroie = {
        "company": name,
        "date": date_text,
        "address": printed_address,
        "total": f"{total:.2f}",
    }
    text = "\n".join(lines) + "\n"
    layout = "sroie_columns" if columns else "sroie_split" if split else "sroie_joined"
    return Receipt(text, fields, "en", layout, sroie, [_line_item(*item) for item in bought])


def _summary(
    rng: random.Random, subtotal: Decimal, *, split: bool
) -> tuple[list[str], Decimal, bool]:
    """The total, tax, cash and change lines of a Malaysian slip; the total; printed in columns?"""
    total = subtotal
    currency_tag = rng.choice(("RM", "RM ", ""))
    summary: list[tuple[str, str, bool]] = []  # label, amount, printed on one line
    if rng.random() < 0.4:
        total = (subtotal * 20).quantize(Decimal(1), rounding=ROUND_HALF_UP) / 20
        total = total.quantize(locales.CENT)
        summary.append(("TOTAL", f"{currency_tag}{subtotal:.2f}", False))
        summary.append(("ROUNDING ADJUSTMENT", f"{currency_tag}{total - subtotal:.2f}", False))
        summary.append(("TOTAL ROUNDED", f"{currency_tag}{total:.2f}", False))
    else:
        label = rng.choice(("TOTAL:", "TOTAL (RM):", "TOTAL AMOUNT", "GRAND TOTAL", "TOTAL RM"))
        summary.append((label, f"{total:.2f}", not split))
    if rng.random() < 0.5:
        tax = (total * 6 / 106).quantize(locales.CENT)
        summary.append(("GST 6% INCLUDED :", f"{tax:.2f}", True))
    cash = _cash(total, rng)
    summary.append(("CASH", f"{currency_tag}{cash:.2f}", False))
    summary.append(("CHANGE", f"{currency_tag}{cash - total:.2f}", False))
    # SROIE's OCR often reads the summary as a column of labels, then the column of amounts.
    columns = split and rng.random() < 0.5
    if columns:
        return (
            [label for label, _, _ in summary] + [amount for _, amount, _ in summary],
            total,
            True,
        )
    lines: list[str] = []
    for label, amount, one_line in summary:
        lines += [f"{label} {amount}"] if one_line else [label, amount]
    return lines, total, False


def _european(rng: random.Random) -> Receipt:
    language = rng.choice(locales.LANGUAGES)
    words = _EU_WORDS[language]
    trade, owner = rng.choice(_EU_SHOPS[language])
    name = f"{trade} {owner}"
    street, city = rng.choice(_EU_PLACES[language])
    address = (
        [f"{street} {rng.randint(1, 80)}", city]
        if language != "fr"
        else [
            f"{rng.randint(1, 80)} {street}",
            city,
        ]
    )
    currency = rng.choice(_EU_CURRENCIES[language])
    symbol = locales.CURRENCY_SYMBOLS[currency]
    when = _when(rng)
    date_style = {"de": "dotted", "fr": "slashed", "en": rng.choice(("iso", "slashed"))}[language]
    date_text = locales.format_date(when.date(), language, date_style)

    def number(value: Decimal) -> str:
        return locales.format_number(value, language)

    lines = [name.upper(), *address]
    if rng.random() < 0.5:
        lines.append(f"Tel. 0{rng.randint(100, 999)} {rng.randint(100000, 999999)}")
    lines.append(f"{date_text} {when.strftime('%H:%M')}")
    total = Decimal("0.00")
    bought = _items(rng, _EU_ITEMS[language])
    for item, qty, price in bought:
        amount = price * qty
        total += amount
        prefix = f"{qty} x {number(price)}  " if qty > 1 else ""
        lines.append(f"{prefix}{item}  {number(amount)}")
    lines.append("-" * 24)
    lines.append(f"{words['total']} {currency} {number(total)}")
    rate = {"de": Decimal(7), "fr": Decimal("5.5"), "en": Decimal(20)}[language]
    tax = (total * rate / (100 + rate)).quantize(locales.CENT)
    lines.append(f"{words['tax']} {locales.format_rate(rate, language)} {number(tax)}")
    cash = _cash(total, rng)
    lines += [
        f"{words['cash']} {number(cash)} {symbol}",
        f"{words['change']} {number(cash - total)} {symbol}",
    ]
    lines.append(words["thanks"])
    fields = {
        "vendor_name": name.upper(),
        "vendor_address": ", ".join(address),
        "issue_date": when.date().isoformat(),
        "total": f"{total:.2f}",
        "currency": currency,
    }
    items = [_line_item(*item) for item in bought]
    return Receipt("\n".join(lines) + "\n", fields, language, "till", None, items)


_OCR_CONFUSIONS = {"O": "0", "I": "1", "S": "5", "E": "F", "B": "8"}


def _ocr_noise(text: str, rng: random.Random) -> str:
    """Boilerplate as a cheap OCR reads it: now and then one letter confused."""
    if rng.random() > 0.3:
        return text
    positions = [i for i, char in enumerate(text) if char in _OCR_CONFUSIONS]
    if not positions:
        return text
    at = rng.choice(positions)
    return text[:at] + _OCR_CONFUSIONS[text[at]] + text[at + 1 :]
