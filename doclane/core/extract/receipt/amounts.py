"""The money printed on a till slip and what each line says about it, as data.

Every line gets a role: the kind of summary label it carries (a total, a
subtotal, tax, a rounding, the cash tendered, the change, ...), or filler
(":", "RM"), or nothing. Amounts are read with the shared amount parser, so
decimal commas, grouping and currency marks work as elsewhere in doclane.
`tests/unit/understanding/test_receipt_amounts.py` checks the label table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache

from doclane.core.extract.shared.lines import Located
from doclane.core.normalize import parse_amount


class Role(StrEnum):
    TOTAL_DUE = "total_due"  # rounded, grand, payable, due: the most final total
    TOTAL_WITH_TAX = "total_with_tax"  # incl. tax (before a rounding, perhaps)
    TOTAL = "total"  # a plain TOTAL / SUMME / JUMLAH
    SUBTOTAL = "subtotal"  # before tax, discount or rounding
    TAX = "tax"
    DISCOUNT = "discount"
    ROUNDING = "rounding"
    QUANTITY = "quantity"  # item and quantity counts
    TENDER = "tender"  # cash or card handed over
    CHANGE = "change"
    COLUMN = "column"  # a column or section heading: AMOUNT, GST SUMMARY, PRICE
    FILLER = "filler"  # ":" or a currency alone
    NONE = "none"


_ROLES: tuple[tuple[Role, str, str], ...] = (
    # (role, the word beginnings that can start a match, pattern); the first match wins
    (
        Role.COLUMN,
        "SUMMARY INFO ANALYSIS DETAIL MODE CODE TAX GST VAT AMT AMOUNT PRICE",
        r"\bSUMMARY\b|\bINFO\b|\bANALYSIS\b|\bDETAILS?\b|\bMODE\b|\bCODE\b"
        r"|\b(?:TAX|GST|VAT|AMT|AMOUNT|PRICE)\s*\(\s*(?:RM|MYR|\$|€|EUR|£)\s*\)",  # "TAX (RM)"
    ),
    (
        Role.QUANTITY,
        "QTY QUANT ITEM NO STAMP ANZAHL ARTICLE PCS",
        r"\b(?:QTY|QUANTITY|QUANTUTY|NO\.?\s+OF|STAMPS?|ANZAHL|ARTICLES?|PCS)\b"
        r"|\bITEMS?\b(?!\s*(?:AMT|AMOUNT|TOTAL|PRICE|DISC|VALUE))",
    ),
    (
        Role.DISCOUNT,
        "DISC SAVING RABATT REMISE COUPON VOUCHER REDEEM PROMO",
        r"\bDISC|\bSAVING|RABATT|REMISE|COUPON|VOUCHER|REDEEM|PROMO",
    ),
    (
        Role.SUBTOTAL,
        "SUB EXC W BEFORE GROSS TAXABLE SUPPLIES ZWISCHENSUMME SOUS TOTAL NETTO HT",
        r"SUB\s*-?\s*TOTAL|\bEXCL|EXCLUDING|\bEXC\.?\b|\bW/?O\s+(?:GST|TAX)|\bBEFORE\s+(?:GST|TAX)"
        r"|\bGROSS\b|\bTAXABLE|\bSUPPLIES\b(?!.*\bINC)|ZWISCHENSUMME|SOUS-?\s*TOTAL|TOTAL\s+HT\b"
        r"|\bNETTO\b|\bHT\b",
    ),
    (
        Role.TAX,
        "INCLUDE ENTHALTEN DONT",
        r"\bINCLUDE[SD]\b|\bENTHALTEN\b|\bDONT\b",
    ),  # the tax in it
    (
        Role.TOTAL_DUE,
        "ROUN TOTAL TTL GRAND FINAL NET AMOUNT BALANCE TO ZU PAYER GESAMT MONTANT PAGAR PAGARE"
        " BETALEN",
        r"ROUN\w*\s*\w?\s*TOTAL|T(?:OTAL|TL)\s*(?:AMT\s*|AMOUNT\s*)?(?:AFTE?R?\.?\s+)?(?:ROUND|ADJ|RND)"
        r"|GRAND\s*TOTAL|FINAL\s+TOTAL|NETT?\s*TOTAL|\bNETT\b|TOTAL\s*(?:AMT\s*|AMOUNT\s*)?(?:PAYABLE|DUE)"
        r"|AMOUNT\s+(?:DUE|PAYABLE)|BALANCE\s+DUE|TO\s+BE\s+PAID|TO\s+PAY\b|ZU\s+ZAHLEN|[ÀA]\s+PAYER"
        r"|\bGESAMT\w*|MONTANT\s+(?:TOTAL|D[UÛ])|\bA\s+PAGAR\b|\bDA\s+PAGARE\b|\bTE\s+BETALEN\b",
    ),
    (
        Role.TOTAL_WITH_TAX,
        "TOTAL AMOUNT INC TTC BRUTTO",
        r"TOTAL.*\bINC|\bINC\w*\.?\s*(?:OF\s+)?(?:GST|TAX|VAT)|AMOUNT\s+INCL|TOTAL\s+TTC|\bTTC\b"
        r"|BRUTTO|\bTOTAL\s+SALES?\b",
    ),
    (
        Role.ROUNDING,
        "ROUND ADJ RUNDUNG ARRONDI",
        r"\bROUND|\bADJ(?:USTMENT)?\b|RUNDUNG|ARRONDI",
    ),
    (
        Role.TAX,
        "GST SST TAX VAT MWST TVA UST STEUER SERV SVC SRV SC IVA BTW",
        r"\bGST\b|\bSST\b|\bTAX\b|\bVAT\b|MWST|\bTVA\b|\bUST\b|STEUER|SERVICE\s*(?:TAX|CHARGE)"
        r"|\bIVA\b|\bBTW\b"
        r"|\bSVC\b|\bSE?RV\w*\.?\s*(?:CHARGE|CHRG|CHG|TAX)|\bSC\s*\d",
    ),
    (
        Role.CHANGE,
        "CHANGE BALANCE RUCKGELD RÜCKGELD WECHSELGELD RENDU MONNAIE KEMBALI ZUR CAMBIO RESTO"
        " VUELTO WISSELGELD",
        r"\bCHANGE\b|\bBALANCE\b|R[UÜ]CKGELD|WECHSELGELD|\bRENDU|MONNAIE|\bKEMBALI|\bZUR(?:Ü|UE)CK\b"
        r"|\bCAMBIO\b|\bRESTO\b|\bVUELTO\b|WISSELGELD",
    ),
    (
        Role.TENDER,
        "CASH TENDER PAID PAYMENT VISA MASTER CARD CREDIT DEBIT AMEX BAR GEGEBEN ESP CARTE EC"
        " KARTE RECEIVED ACCEPTED TUNAI CB GIRO MAESTRO EFECTIVO TARJETA CONTANT BANCOMAT",
        r"\bCASH\b|TENDER|\bPAID\b|PAYMENT|\bVISA\b|MASTER\w*|\bCARD\b|CREDIT|DEBIT|\bAMEX\b"
        r"|\bBAR\b|GEGEBEN|ESP[EÈ]CES|\bCARTE\b|EC-?KARTE|\bRECEIVED\b|\bACCEPTED\b|\bTUNAI\b"
        r"|\bCB\b|GIROCARD|MAESTRO|\bEFECTIVO\b|\bTARJETA\b|\bCONTANTI?\b|BANCOMAT",
    ),
    (
        Role.TOTAL,
        "TOTAL TTL JUMLAH SUMME MONTANT BETRAG TOTAAL NET IMPORTE",
        r"\bTOTALE?\b|\bTTL\b|\bJUMLAH\b|\bSUMME\b|\bMONTANT\b|\bBETRAG\b|\bTOTAAL\b|\bIMPORTE\b"
        r"|\bNETT?\s+(?:AMT|AMOUNT)\b|TOTAL\s*\(RM\)",
    ),
    (
        Role.COLUMN,
        "AMOUNT AMT PRICE SUMMARY DESC U UP RSP PRIX PREIS CODE RATE",
        r"\bAMOUNT\b|\bAMT\b|\bPRICE\b|\bSUMMARY\b|\bDESC|\bU/?P\b|\bRSP\b|\bPRIX\b|\bPREIS\b"
        r"|\bCODE\b|\bRATE\b",
    ),
)
ROLE_PATTERNS: tuple[tuple[Role, tuple[str, ...], re.Pattern[str]], ...] = tuple(
    (role, tuple(stems.split()), re.compile(pattern, re.IGNORECASE))
    for role, stems, pattern in _ROLES
)
"""Roles in order of precedence, each tried only on a line with a word starting with a stem
(most lines have none, and the patterns are too slow to try on every line)."""


def _rules_by_stem() -> dict[str, frozenset[int]]:
    found: dict[str, set[int]] = {}
    for index, (_, stems, _) in enumerate(ROLE_PATTERNS):
        for stem in stems:
            found.setdefault(stem, set()).add(index)
    return {stem: frozenset(indexes) for stem, indexes in found.items()}


_RULES_BY_STEM = _rules_by_stem()
_LONGEST_STEM = max(map(len, _RULES_BY_STEM))
_NO_RULES: frozenset[int] = frozenset()
_WORDS = re.compile(r"[^\W\d_]+")

_MONEY = re.compile(
    r"(?<![\w.,/:])(-)?(?:RM|S?\$|€|£|EUR|USD|GBP|CHF|MYR)?\s?(-)?"
    r"(\d{1,3}(?:[.,]\d{3})+[.,]\d{2}|\d*[.,]\d{2})(-(?!\d))?(?![\d%]|[.,]\d|\s?%|:\d)",
    re.IGNORECASE,
)
_FILLER = re.compile(r"^[\s:.=*\-]*(?:\(?(?:RM|MYR|EUR|USD|GBP|CHF|\$|€|£)\)?)?[\s:.=*\-]*$", re.I)
_AMOUNT_ONLY = re.compile(
    r"[: ]?(?:RM|MYR|EUR|USD|\$|€|£)? ?-? ?(?:RM|\$)? ?[\d.,]+-? ?(?:RM|MYR|EUR|€|\$|£)?"
    r" ?(?:[A-Z]{1,2}|\*)?",
    re.IGNORECASE,
)  # matched in full against the line without its outer spaces

_ENDS_IN_NUMBER = re.compile(r"[\s:]\d+\s*$")
_CENTS = re.compile(r"[.,]\d\d")


@dataclass(frozen=True, slots=True)
class PrintedAmount:
    value: Decimal
    raw: str
    position: int  # index of its line
    alone: bool  # the line holds nothing but this amount (and a currency or tax code)


@dataclass(frozen=True, slots=True)
class SlipLine:
    role: Role
    amounts: tuple[PrintedAmount, ...]
    counted: bool = False  # ends in a number that is no money ("QTY : 13"): its own value
    aside: bool = False  # a word or two without digits or role ("INCLUSIVE", "REASON:")

    @property
    def has_value(self) -> bool:
        return bool(self.amounts) or self.counted


def read_slip(lines: tuple[Located, ...]) -> tuple[SlipLine, ...]:
    """Each line's role and the amounts printed on it."""
    return tuple(_read_line(located.line.text, position) for position, located in enumerate(lines))


@lru_cache(maxsize=4096)  # till slips repeat their labels: "TOTAL", "CASH", "CHANGE"
def line_role(text: str) -> Role:
    """The role of a line's words (its amounts aside)."""
    if _FILLER.match(text):
        return Role.FILLER
    tried: set[int] = set()
    for word in _WORDS.findall(text.upper()):
        for end in range(1, min(len(word), _LONGEST_STEM) + 1):
            tried |= _RULES_BY_STEM.get(word[:end], _NO_RULES)
    for index in sorted(tried):
        role, _, pattern = ROLE_PATTERNS[index]
        if pattern.search(text):
            return role
    return Role.NONE


def _read_line(text: str, position: int) -> SlipLine:
    if not _CENTS.search(text):  # most lines hold no amount: skip the slower search
        role = line_role(text)
        aside = role is Role.NONE and len(text.split()) <= 2 and not any(c.isdigit() for c in text)
        return SlipLine(role, (), bool(_ENDS_IN_NUMBER.search(text)), aside)
    amounts = []
    alone = bool(_AMOUNT_ONLY.fullmatch(text.strip()))
    for match in _MONEY.finditer(text):
        number = match.group(3)
        value = parse_amount("0" + number if number[0] in ".," else number)  # "RM.50"
        if value is None:
            continue
        if match.group(1) or match.group(2) or match.group(4):  # "-0.01", "RM-0.01", "0.01-"
            value = -value
        amounts.append(PrintedAmount(value, match.group(0).strip(), position, alone))
    words = _MONEY.sub(" ", text) if amounts else text
    counted = not amounts and bool(_ENDS_IN_NUMBER.search(text))
    return SlipLine(line_role(words), tuple(amounts), counted)
