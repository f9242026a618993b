"""Contract fields: title, parties, agreement/effective/expiration dates, term, governing law.

The text is read as one string (lines joined, `contract_text`), so clauses
broken across lines and pages still match; each field points back at the line
where it starts. One module per field: `contract_title`, `contract_dates`,
`contract_term`, `contract_expiry`, `contract_law`; parties come from the
opening sentence (`contract_parties`), else from signature blocks
(`contract_signatures`, `contract_signers`). Confidence follows the strength of
the evidence: a defined "Effective Date" is surer than a date beside a signature.
"""

from __future__ import annotations

import re

from doclane.core.extract.contract.dates import (
    DatedClause,
    find_agreement_date,
    find_effective_date,
)
from doclane.core.extract.contract.expiry import find_expiration_date
from doclane.core.extract.contract.law import find_governing_law
from doclane.core.extract.contract.names import part_of, same_party
from doclane.core.extract.contract.parties import (
    find_defined_company,
    find_parties,
    full_legal_name,
)
from doclane.core.extract.contract.signatures import find_signatories
from doclane.core.extract.contract.term import Duration, find_term
from doclane.core.extract.contract.text import ContractText, join_lines
from doclane.core.extract.contract.title import find_title
from doclane.core.extract.shared.lines import Located
from doclane.core.fields import FieldName
from doclane.core.model import ExtractedField, Extraction, Provenance
from doclane.core.normalize import normalize_name
from doclane.core.party_names import canonical_party_name

_PREAMBLE_CHARS = 6000


def extract_contract(lines: tuple[Located, ...]) -> Extraction:
    flat = join_lines(lines)
    agreement = find_agreement_date(flat)
    effective = find_effective_date(flat, agreement)
    term = find_term(flat.text, flat.lowered)
    found = [
        _title(lines),
        _dated_field(flat, FieldName.AGREEMENT_DATE, agreement),
        _dated_field(flat, FieldName.EFFECTIVE_DATE, effective),
        _dated_field(flat, FieldName.EXPIRATION_DATE, find_expiration_date(flat, effective, term)),
        _term(flat, term),
        _governing_law(flat),
        *_parties(flat),
    ]
    return Extraction(fields=tuple(field for field in found if field is not None), line_items=())


def _title(lines: tuple[Located, ...]) -> ExtractedField | None:
    found = find_title(lines)
    if found is None:
        return None
    title, located, confidence = found
    return ExtractedField(
        FieldName.TITLE, title, normalize_name(title), confidence, located.provenance()
    )


def _dated_field(flat: ContractText, name: str, found: DatedClause | None) -> ExtractedField | None:
    if found is None:
        return None
    return flat.field(name, found.written, found.value.isoformat(), found.offset, found.confidence)


def _term(flat: ContractText, found: Duration | None) -> ExtractedField | None:
    if found is None:
        return None
    return flat.field(
        FieldName.TERM, found.written, found.normalized, found.offset, found.confidence
    )


def _governing_law(flat: ContractText) -> ExtractedField | None:
    found = find_governing_law(flat.text, flat.lowered)
    if found is None:
        return None
    return flat.field(
        FieldName.GOVERNING_LAW,
        found.place,
        normalize_name(found.place),
        found.offset,
        found.confidence,
    )


def _parties(flat: ContractText) -> list[ExtractedField]:
    """The opening sentence's parties; when it names fewer than two (a letter, a one-sided
    undertaking), the others from the signature blocks, and then a company the opening
    defines ("Acme, Inc. (the "Company")"). A short name ("Emerson") becomes the full legal
    name the text writes elsewhere ("Emerson Electric Co.")."""
    head = flat.text[:_PREAMBLE_CHARS]
    found = [
        flat.field(FieldName.PARTY, full, canonical_party_name(full), _offset_of(head, name), 0.7)
        for name in find_parties(head)
        for full in (full_legal_name(name, flat.text),)
    ]
    if len(found) < 2:
        signing = [
            (full_legal_name(name, flat.text), located.provenance())
            for name, located in find_signatories(flat.lines)
        ]
        _add_new(found, signing, 0.5)
    if len(found) < 2:
        defined = [
            (name, flat.at(_offset_of(head, name)).provenance())
            for name in find_defined_company(head)
            if not any(part_of(name, other.value) for other in found)
        ]
        _add_new(found, defined, 0.45)
    return found


def _offset_of(head: str, name: str) -> int:
    """Where `name` is written, its words perhaps split across lines (0 when not found)."""
    found = head.find(name)
    if found < 0:
        words = re.compile(r"\s+".join(map(re.escape, name.split())))
        match = words.search(head)
        found = match.start() if match else 0
    return found


def _add_new(
    found: list[ExtractedField], names: list[tuple[str, Provenance]], confidence: float
) -> None:
    for name, provenance in names:
        if not any(same_party(name, other.value) for other in found):
            found.append(
                ExtractedField(
                    FieldName.PARTY, name, canonical_party_name(name), confidence, provenance
                )
            )
