"""International bank account numbers: length per country and the ISO 7064 mod-97 check."""

from __future__ import annotations

import re
from enum import StrEnum

# Country -> IBAN length, from the SWIFT IBAN registry.
IBAN_LENGTHS: dict[str, int] = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28,
    "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23,
    "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26,
    "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20,
    "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30,
    "NL": 18, "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22,
    "SA": 24, "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "ST": 25, "SV": 28,
    "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
}  # fmt: skip

_SEPARATORS = re.compile(r"[\s.\-]")
_SHAPE = re.compile(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}")


class IbanStatus(StrEnum):
    VALID = "valid"
    BAD_FORMAT = "bad_format"  # not two letters, two digits and 11-30 letters or digits
    UNKNOWN_COUNTRY = "unknown_country"
    BAD_LENGTH = "bad_length"  # the country's IBANs have another length
    BAD_CHECKSUM = "bad_checksum"  # mod 97 is not 1: a digit is wrong or two are swapped


def compact_iban(raw: str) -> str:
    """Upper case without the spaces, dots or dashes it was printed with."""
    return _SEPARATORS.sub("", raw).upper()


def iban_checksum_ok(compact: str) -> bool:
    """ISO 7064 mod 97-10: the country code and check digits moved to the end, letters as 10-35."""
    rearranged = compact[4:] + compact[:4]
    if not rearranged.isascii() or not rearranged.isalnum():
        return False
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1


def check_iban(raw: str) -> IbanStatus:
    compact = compact_iban(raw)
    if not _SHAPE.fullmatch(compact):
        return IbanStatus.BAD_FORMAT
    length = IBAN_LENGTHS.get(compact[:2])
    if length is None:
        return IbanStatus.UNKNOWN_COUNTRY
    if len(compact) != length:
        return IbanStatus.BAD_LENGTH
    return IbanStatus.VALID if iban_checksum_ok(compact) else IbanStatus.BAD_CHECKSUM
