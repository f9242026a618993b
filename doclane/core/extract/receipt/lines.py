"""What a line at the top of a till slip is: the words and patterns that tell, as data.

The header of a receipt mixes the shop's name, its registration and tax
numbers, its address and contact details, a document title and the sale's
details (cashier, table, date). The vendor and address extractors read the
header with these patterns; `tests/unit/understanding/test_receipt_lines.py`
checks each of them on invented examples.
"""

from __future__ import annotations

import re

from doclane.core.normalize import find_dates

LEGAL_FORM = re.compile(
    r"\b(?:S[DBN]N\.?(?:\s*B[HN][DO]\.?)?|SENDIRIAN\s+BERHAD|BERHAD|BHD\.?|S/B|GMBH\s*&\s*CO\.?\s*KG(?:AA)?"
    r"|GMBH|OHG|E\.\s?K\.|SARL|SASU?|EURL|LTD\.?|LIMITED|PLC|LLC|INC\.?|CORP\.?|CORPORATION"
    r"|PTE\.?\s+LTD\.?|PLT|LLP|S\.L\.|S\.A\.S?\.?|S\.R\.L\.|SRL|S\.P\.A\.|B\.V\.|N\.V\.)(?!\w)"
    r"|(?<=[^\W\d_]\s)(?:SB|AG|KG|UG)\b",  # short forms only after a word: not "5 KG" of rice
    re.IGNORECASE,
)
"""A company's legal form: the line carrying it names the legal entity that issued the slip."""

TRADE_WORD = re.compile(
    r"\b(?:ENTERPRISES?|TRADING|STORES?|STATIONERY|STATIONER|RESTAURANTS?|RESTORAN|RESTAURANT"
    r"|MART|MARKET|MINIMARKET|SUPERMARKET|HYPERMARKET|PASARAYA|HARDWARE|COMPANY|CO\."
    r"|CAFE|CAFÉ|BISTRO|BAKERY|BAKERIES|PHARMACY|FARMASI|FOODS?|MOTORS?|MACHINERY|HOLDINGS"
    r"|INDUSTRIES|SERVICES?|CENTRE|CENTER|SHOP|KEDAI|PERNIAGAAN|SYARIKAT|GIFT|BOOKS?"
    r"|BOOKSTORES?|ELECTRICAL|AUTO|PETROL|KITCHEN|MARKETING|DISTRIBUTORS?|RESOURCES|RETAIL"
    r"|CASH\s*&\s*CARRY|BOULANGERIE|PATISSERIE|PÂTISSERIE|LIBRAIRIE|PHARMACIE|TABAC"
    r"|BÄCKEREI|BAECKEREI|METZGEREI|APOTHEKE|MARKT|GETRÄNKEMARKT|DROGERIE|BUCHHANDLUNG)\b",
    re.IGNORECASE,
)
"""Words of a shop's trade: weaker evidence of its name than a legal form."""

GENERIC_NAME_WORD = re.compile(
    r"(?:SDN|BHD|BERHAD|S/B|SB|CO|COMPANY|M|MALAYSIA|ENTERPRISES?|TRADING|STATIONERY|STATIONER"
    r"|RESTAURANTS?|RESTORAN|HARDWARE|MARKETING|SERVICES?|FOODS?|RETAIL|HOLDINGS|INDUSTRIES"
    r"|BOOKS?|BOOKSTORES?|ELECTRICAL|TRADERS?|&|AND|-)",
    re.IGNORECASE,
)
"""Words that cannot name a company on their own ("STATIONERY SDN BHD", "CO. (M) SDN BHD")."""

OWNER_PREFIX = re.compile(
    r"^\s*(?:(?:OWNED|OWN|OPERATED|MANAGED)\s+BY|DIMILIKI(?:\s+OLEH)?|A\s+(?:DIVISION|MEMBER)"
    r"\s+OF|EXPLOITÉ\s+PAR|BETRIEBEN\s+VON)\s*:?\s*",
    re.IGNORECASE,
)
"""The lead-in of a line naming the company behind a brand ("OWNED BY: ACME SDN BHD")."""

REGISTRATION = re.compile(
    r"[(<\[]?\s*(?:(?:CO(?:MPANY)?[.\-]?\s*(?:REG(?:ISTRATION)?|RFG|NO)|ROC|REG(?:ISTRATION)?|BRN?"
    r"|COMPANY)\.?\s*(?:NO\.?)?\s*:?\s*[(<\[]?)?[A-Z]{0,3}\d{3,}(?:\s\d+)*\s?-?\s?[A-Z]\b\s?[)>\]]?",
    re.IGNORECASE,
)
"""A company registration number such as "(CO. REG : 933109-X)" or "519537-X"."""

TAX_ID = re.compile(
    r"\bGST\b|\bSST\b|\bTAX\s*(?:ID|NO|REG)|\bVAT\s*(?:NO|REG|ID)|\bUST-?ID|\bUID\b|\bSTEUER-?NR"
    r"|\bSIRET\b|\bSIREN\b|\bTVA\s*INTRA|\bID\s*NO\b|\bBR\s*NO\b|\bCO\.?\s*NO\b|\bCOMPANY\s*NO\b"
    r"|\bREG(?:ISTRATION)?\.?\s*NO\b|\bSITE\s*:|^\(?[A-Z]{0,4}\d{6,}[-A-Z]*\)?\.?$",
    re.IGNORECASE,
)
"""Tax and company identifiers: not part of the name or address."""

CONTACT = re.compile(
    r"\b(?:TEL|TELEPHONE|PHONE|FAX|H/?P|HANDPHONE|MOBILE|WHATSAPP|EMAIL|E-MAIL|WWW|HTTPS?"
    r"|TÉL|TELEFON|TELEFAX|HOTLINE|CARELINE)\b|CARELINE|@|\.COM\b|\.MY\b"
    r"|\b0\d{1,2}-?\s?\d{3,4}\s?\d{4}\b",
    re.IGNORECASE,
)
"""Phone numbers, e-mail and web addresses."""

SALE_DETAIL = re.compile(
    r"\b(?:INVOICE|TAXINVOICE|RECEIPT|BILL|CASHIER|DATE|TIME|TABLE|DOC(?:UMENT)?|ORDER|QTY|ITEM|MEMBER"
    r"|TERMINAL|COUNTER|POS|SALESPERSON|SERVER|GUEST|PAX|TRN|REG\s*#|SLIP|FACTURE|QUITTUNG"
    r"|RECHNUNG|BELEG|KASSE|KASSIER|TICKET|BON|CAISSE|CAISSIER|TRANSACTION|SHIFT|CHECK|PAY"
    r"|CARRY\s+OUT|DINE\s+IN|TAKE\s*AWAY)\b",
    re.IGNORECASE,
)
"""Document titles and the sale's details: the header's end, never a name."""

BOILERPLATE = re.compile(
    r"\b(?:THANK|THANKS|WELCOME|PLEASE|GOODS\s+SOLD|NOT\s+RETURNABLE|YOUR\s+ORDER|DANKE?"
    r"|MERCI|BIENVENUE|WILLKOMMEN|COPY|DUPLICATE|REPRINT|CUSTOMER)\b",
    re.IGNORECASE,
)
"""Greetings and notices printed around the header."""

_REGION_WORD = (
    r"(?:NEGERI|JOHOR|KEDAH|KELANTAN|MELAKA|MALACCA|SEMBILAN|PAHANG|PERAK|PERLIS|PULAU|PINANG"
    r"|PENANG|SABAH|SARAWAK|SELANGOR|TERENGGANU|KUALA|LUMPUR|KL|PUTRAJAYA|LABUAN|WILAYAH"
    r"|PERSEKUTUAN|W\.?\s?P|D\.?\s?E|DARUL\s+\w+|MALAYSIA|SINGAPORE|DEUTSCHLAND|GERMANY|FRANCE"
    r"|ÖSTERREICH|AUSTRIA|SCHWEIZ|SUISSE|SWITZERLAND|BELGIQUE|BELGIUM|LUXEMBOURG|UNITED|KINGDOM"
    r"|UK|ENGLAND|SCOTLAND|WALES|USA)"
)
REGION = re.compile(rf"^\W*(?:{_REGION_WORD}\b\W*){{1,4}}$", re.IGNORECASE)
"""A state or country line, printed under the postcode line of an address."""

POSTCODE = re.compile(r"(?<![\d-])\d{5}(?![\d-])|\b[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}\b")
"""A five-digit postcode (Malaysia, Germany, France, ...) or a British one."""


def is_identifier_line(text: str) -> bool:
    """A registration or tax-id line (or only such a number)."""
    stripped = text.strip()
    return bool(REGISTRATION.fullmatch(stripped) or TAX_ID.search(stripped))


def is_name_like(text: str) -> bool:
    """Mostly letters, and no identifier, contact, notice, sale detail or date: a name could be."""
    text = REGISTRATION.sub(" ", text).strip()
    if text.startswith("(") and text.endswith(")"):
        return False  # a remark such as "(SELAYANG MALL)"
    letters = sum(ch.isalpha() for ch in text)
    visible = sum(not ch.isspace() for ch in text)
    if letters < 3 or letters < visible / 2:
        return False
    if is_identifier_line(text) or CONTACT.search(text) or BOILERPLATE.search(text):
        return False
    return not (SALE_DETAIL.search(text) or find_dates(text))
