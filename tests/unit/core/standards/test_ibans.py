from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from doclane.core.standards.ibans import IbanStatus, check_iban

VALID = "DE89 3704 0044 0532 0130 00"


def test_valid_ibans_as_printed() -> None:
    assert check_iban(VALID) is IbanStatus.VALID
    assert check_iban("GB82 WEST 1234 5698 7654 32") is IbanStatus.VALID
    assert check_iban("fr14 2004 1010 0505 0001 3m02 606") is IbanStatus.VALID


def test_each_kind_of_wrong_iban_has_its_own_status() -> None:
    assert check_iban("DE89 3704 0044 0532 0130 01") is IbanStatus.BAD_CHECKSUM
    assert check_iban("DE89 3704 0044 0532 0130 0") is IbanStatus.BAD_LENGTH
    assert check_iban("XX89 3704 0044 0532 0130 00") is IbanStatus.UNKNOWN_COUNTRY
    assert check_iban("not an iban") is IbanStatus.BAD_FORMAT


@given(st.integers(min_value=4, max_value=21), st.integers(min_value=1, max_value=9))
def test_mod_97_catches_every_single_digit_error(position: int, shift: int) -> None:
    compact = list(VALID.replace(" ", ""))
    compact[position] = str((int(compact[position]) + shift) % 10)
    assert check_iban("".join(compact)) is IbanStatus.BAD_CHECKSUM


@given(st.text(max_size=50))
def test_any_text_gets_a_status_never_an_exception(raw: str) -> None:
    assert check_iban(raw) in IbanStatus
