"""VAT ids and IBANs: a well-formed id with the right check digit, or a clear reason why not."""

from __future__ import annotations

from doclane.core.fields import FieldName
from doclane.core.model import ExtractedField, Extraction, Severity, ValidationIssue
from doclane.core.standards.ibans import IbanStatus, check_iban
from doclane.core.standards.vat_ids import VatIdStatus, check_vat_id
from doclane.core.validate.values import field_words

_VAT_PROBLEMS = {
    VatIdStatus.BAD_CHECK_DIGIT: (
        "vat_id_check_digit",
        Severity.WARNING,
        "has a wrong check digit: it is probably mistyped or misread",
    ),
    VatIdStatus.BAD_FORMAT: (
        "vat_id_format",
        Severity.WARNING,
        "does not have the format of a {country} VAT id",
    ),
    VatIdStatus.UNKNOWN_COUNTRY: (
        "vat_id_unknown_country",
        Severity.INFO,
        "does not start with the prefix of a country whose VAT ids we check",
    ),
}
_IBAN_PROBLEMS = {
    IbanStatus.BAD_CHECKSUM: "fails the IBAN check (mod 97): a digit is wrong or two are swapped",
    IbanStatus.BAD_LENGTH: "has the wrong number of characters for its country",
    IbanStatus.UNKNOWN_COUNTRY: "does not start with the code of a country that issues IBANs",
    IbanStatus.BAD_FORMAT: "is not shaped like an IBAN",
}


def vat_id_issues(extraction: Extraction) -> list[ValidationIssue]:
    issues = []
    for field in _named_like(extraction, "vat_id"):
        check = check_vat_id(field.normalized or field.value)
        if check.status not in _VAT_PROBLEMS:
            continue
        code, severity, problem = _VAT_PROBLEMS[check.status]
        issues.append(
            ValidationIssue(
                code=code,
                severity=severity,
                message=f"The {field_words(field.name)} {check.compact} "
                + problem.format(country=check.country)
                + ".",
                field=field.name,
            )
        )
    return issues


def iban_issues(extraction: Extraction) -> list[ValidationIssue]:
    """A payment to a wrong IBAN goes astray, so every IBAN problem is an error."""
    issues = []
    for field in _named_like(extraction, FieldName.IBAN):
        status = check_iban(field.normalized or field.value)
        if status is IbanStatus.VALID:
            continue
        issues.append(
            ValidationIssue(
                code=f"iban_{status}",
                severity=Severity.ERROR,
                message=f"The {field_words(field.name)} {field.value} {_IBAN_PROBLEMS[status]}.",
                field=field.name,
            )
        )
    return issues


def _named_like(extraction: Extraction, suffix: str) -> list[ExtractedField]:
    return [f for f in extraction.fields if f.name == suffix or f.name.endswith(f"_{suffix}")]
