from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from doclane.core.standards.vat_ids import VAT_ID_COUNTRIES, VatIdStatus, check_vat_id

# Published example ids of each algorithm (tax administrations' and VIES documentation).
VALID = [
    "ATU13585627",
    "BE 0403.019.261",
    "CHE-107.787.577 IVA",
    "DE 136 695 976",
    "DK 13 58 56 28",
    "FI20774740",
    "FR 40 303 265 045",
    "GB 980 7806 84",
    "IE6433435F",
    "IE8D79739I",
    "IT00743110157",
    "LU15027442",
    "NL004495445B01",
    "NO 995 525 828 MVA",
    "PL8567346215",
    "PT501964843",
    "SE123456789701",
]


@pytest.mark.parametrize("vat_id", VALID)
def test_published_examples_are_valid(vat_id: str) -> None:
    assert check_vat_id(vat_id).status is VatIdStatus.VALID


def test_one_wrong_digit_is_a_bad_check_digit() -> None:
    assert check_vat_id("DE136695977").status is VatIdStatus.BAD_CHECK_DIGIT
    assert check_vat_id("IT00743110158").status is VatIdStatus.BAD_CHECK_DIGIT
    assert check_vat_id("ATU13585628").status is VatIdStatus.BAD_CHECK_DIGIT


def test_wrong_shape_and_unknown_country() -> None:
    assert check_vat_id("DE12345678").status is VatIdStatus.BAD_FORMAT
    assert check_vat_id("NL004495445").status is VatIdStatus.BAD_FORMAT
    assert check_vat_id("ZZ123456789").status is VatIdStatus.UNKNOWN_COUNTRY


def test_countries_without_an_algorithm_are_judged_on_format() -> None:
    check = check_vat_id("EL094259216")
    assert (check.status, check.acceptable) == (VatIdStatus.FORMAT_ONLY, True)
    assert check_vat_id("GR094259216").country == "EL"


def test_every_country_has_a_rule() -> None:
    assert {
        "AT",
        "BE",
        "DE",
        "FR",
        "IT",
        "NL",
        "ES",
        "PL",
        "SE",
        "CH",
        "GB",
        "XI",
    } <= VAT_ID_COUNTRIES


@given(st.integers(min_value=0, max_value=8), st.integers(min_value=1, max_value=9))
def test_any_single_digit_change_of_a_german_id_is_caught(position: int, shift: int) -> None:
    digits = list("136695976")
    digits[position] = str((int(digits[position]) + shift) % 10)
    assert check_vat_id("DE" + "".join(digits)).status is VatIdStatus.BAD_CHECK_DIGIT


@given(st.text(max_size=40))
def test_any_text_gets_a_status_never_an_exception(raw: str) -> None:
    assert check_vat_id(raw).status in VatIdStatus
