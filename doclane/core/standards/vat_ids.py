"""VAT identification numbers: the format of each country and its check digit where one exists.

`check_vat_id` tells a well-formed id from a mistyped one. Formats follow the EU
VIES rules (plus Switzerland, Norway and Northern Ireland's XI prefix); check
digits are computed for the countries that publish an algorithm. An id of a
country with no published algorithm is judged on its format only.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from doclane.core.standards.luhn import luhn_valid


class VatIdStatus(StrEnum):
    VALID = "valid"  # format and check digit hold
    FORMAT_ONLY = "format_only"  # format holds; the country has no check digit we compute
    BAD_CHECK_DIGIT = "bad_check_digit"
    BAD_FORMAT = "bad_format"
    UNKNOWN_COUNTRY = "unknown_country"


@dataclass(frozen=True, slots=True)
class VatIdCheck:
    compact: str  # upper case, no spaces, dots or dashes
    country: str  # the two-letter prefix (EL for Greece, XI for Northern Ireland, CHE -> CH)
    status: VatIdStatus

    @property
    def acceptable(self) -> bool:
        return self.status in (VatIdStatus.VALID, VatIdStatus.FORMAT_ONLY)


_SEPARATORS = re.compile(r"[\s.\-]")


def _weighted(digits: str, weights: tuple[int, ...]) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights, strict=False))


def _mod11_check(digits: str, weights: tuple[int, ...]) -> int | None:
    """11 - (weighted sum mod 11), with 11 -> 0; None when the result is 10 (never issued)."""
    check = 11 - _weighted(digits, weights) % 11
    return None if check == 10 else check % 11


def _at(body: str) -> bool:  # U + 8 digits
    digits = body[1:]
    total = 0
    for index, char in enumerate(digits[:7]):
        product = int(char) * (2 if index % 2 else 1)
        total += product // 10 + product % 10
    return (10 - (total + 4) % 10) % 10 == int(digits[7])


def _be(body: str) -> bool:
    return 97 - int(body[:8]) % 97 == int(body[8:])


def _de(body: str) -> bool:  # ISO 7064 MOD 11,10
    product = 10
    for char in body[:8]:
        total = (int(char) + product) % 10 or 10
        product = total * 2 % 11
    return (11 - product) % 10 == int(body[8])


def _dk(body: str) -> bool:
    return _weighted(body, (2, 7, 6, 5, 4, 3, 2, 1)) % 11 == 0


def _fi(body: str) -> bool:
    return _mod11_check(body[:7], (7, 9, 10, 5, 8, 4, 2)) == int(body[7])


def _fr(body: str) -> bool:
    key, siren = body[:2], body[2:]
    if not key.isdigit():
        return True  # alphanumeric keys (new-style) have no published algorithm
    return int(key) == (12 + 3 * (int(siren) % 97)) % 97


def _gb(body: str) -> bool:
    if not body.isdigit():
        return True  # GD/HA government and health-authority numbers
    total = _weighted(body[:7], (8, 7, 6, 5, 4, 3, 2)) + int(body[7:9])
    return total % 97 in (0, 42)  # 42: the 9755 series (old and new algorithm)


def _it(body: str) -> bool:
    return luhn_valid(body)


def _lu(body: str) -> bool:
    return int(body[:6]) % 89 == int(body[6:])


def _nl(body: str) -> bool:
    digits = body[:9]
    if (_weighted(digits[:8], (9, 8, 7, 6, 5, 4, 3, 2)) - int(digits[8])) % 11 == 0:
        return True
    # Since 2020 sole traders get an id checked by ISO 7064 mod 97-10 over "NL" + id.
    numeric = "".join(str(int(char, 36)) for char in "NL" + body)
    return int(numeric) % 97 == 1


def _no(body: str) -> bool:
    return _mod11_check(body[:8], (3, 2, 7, 6, 5, 4, 3, 2)) == int(body[8])


def _ch(body: str) -> bool:
    return _mod11_check(body[:8], (5, 4, 3, 2, 7, 6, 5, 4)) == int(body[8])


def _pl(body: str) -> bool:
    return _weighted(body[:9], (6, 5, 7, 2, 3, 4, 5, 6, 7)) % 11 == int(body[9])


def _pt(body: str) -> bool:
    check = 11 - _weighted(body[:8], (9, 8, 7, 6, 5, 4, 3, 2)) % 11
    return (0 if check > 9 else check) == int(body[8])


def _se(body: str) -> bool:
    return body.endswith("01") and luhn_valid(body[:10])


def _ie(body: str) -> bool:
    if not body[1].isdigit():
        return True  # the old format with a letter second: no check computed
    letters = "WABCDEFGHIJKLMNOPQRSTUV"
    total = _weighted(body[:7], (8, 7, 6, 5, 4, 3, 2))
    if len(body) == 9:
        total += 9 * letters.index(body[8])
    return letters[total % 23] == body[7]


# Country -> (format of what follows the prefix, check-digit test or None).
_RULES: dict[str, tuple[re.Pattern[str], Callable[[str], bool] | None]] = {
    "AT": (re.compile(r"U\d{8}"), _at),
    "BE": (re.compile(r"[01]\d{9}"), _be),
    "BG": (re.compile(r"\d{9,10}"), None),
    "CH": (re.compile(r"\d{9}(?:MWST|TVA|IVA)?"), _ch),
    "CY": (re.compile(r"\d{8}[A-Z]"), None),
    "CZ": (re.compile(r"\d{8,10}"), None),
    "DE": (re.compile(r"\d{9}"), _de),
    "DK": (re.compile(r"\d{8}"), _dk),
    "EE": (re.compile(r"\d{9}"), None),
    "EL": (re.compile(r"\d{9}"), None),
    "ES": (re.compile(r"[A-Z0-9]\d{7}[A-Z0-9]"), None),
    "FI": (re.compile(r"\d{8}"), _fi),
    "FR": (re.compile(r"[0-9A-HJ-NP-Z]{2}\d{9}"), _fr),
    "GB": (re.compile(r"\d{9}(?:\d{3})?|GD[0-4]\d{2}|HA[5-9]\d{2}"), _gb),
    "HR": (re.compile(r"\d{11}"), None),
    "HU": (re.compile(r"\d{8}"), None),
    "IE": (re.compile(r"\d{7}[A-W][A-I]?|\d[A-Z+*]\d{5}[A-W]"), _ie),
    "IT": (re.compile(r"\d{11}"), _it),
    "LT": (re.compile(r"\d{9}|\d{12}"), None),
    "LU": (re.compile(r"\d{8}"), _lu),
    "LV": (re.compile(r"\d{11}"), None),
    "MT": (re.compile(r"\d{8}"), None),
    "NL": (re.compile(r"\d{9}B\d{2}"), _nl),
    "NO": (re.compile(r"\d{9}(?:MVA)?"), _no),
    "PL": (re.compile(r"\d{10}"), _pl),
    "PT": (re.compile(r"\d{9}"), _pt),
    "RO": (re.compile(r"\d{2,10}"), None),
    "SE": (re.compile(r"\d{12}"), _se),
    "SI": (re.compile(r"\d{8}"), None),
    "SK": (re.compile(r"\d{10}"), None),
    "XI": (re.compile(r"\d{9}(?:\d{3})?|GD[0-4]\d{2}|HA[5-9]\d{2}"), _gb),
}
VAT_ID_COUNTRIES: frozenset[str] = frozenset(_RULES)


def check_vat_id(raw: str) -> VatIdCheck:
    """Format and check digit of a VAT id as printed ("DE 123 456 789", "CHE-123.456.788 MWST")."""
    compact = _SEPARATORS.sub("", raw).upper()
    if compact.startswith("CHE"):
        country, body = "CH", compact[3:]
    else:
        country, body = compact[:2], compact[2:]
    if country == "GR":
        country = "EL"  # Greece's VAT prefix is EL, not its ISO code
    rule = _RULES.get(country)
    if rule is None:
        return VatIdCheck(compact, country, VatIdStatus.UNKNOWN_COUNTRY)
    pattern, check_digit_ok = rule
    if not pattern.fullmatch(body):
        return VatIdCheck(compact, country, VatIdStatus.BAD_FORMAT)
    if check_digit_ok is None:
        return VatIdCheck(compact, country, VatIdStatus.FORMAT_ONLY)
    status = VatIdStatus.VALID if check_digit_ok(body) else VatIdStatus.BAD_CHECK_DIGIT
    return VatIdCheck(compact, country, status)
