"""Invoices, credit notes and purchase orders from their page text and layout.

The flow: find every printed label once (`label_hits`), read each label's
value where the layout puts it (`label_values`), pick the best candidate per
field, choose total/net/tax together so they add up (`totals`), read the
item table (`line_items`), and name the parties (`invoice_parties`,
`identifiers` for VAT id and IBAN). Confidence follows the evidence: a
labelled value right after its label, amounts that add up, a name printed
in several places.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal

from doclane.core.extract.invoice.parties import (
    NameCandidate,
    Parties,
    find_parties,
    party_address,
)
from doclane.core.extract.invoice.payment_terms import payment_term_days
from doclane.core.extract.invoice.registrations import issuer_iban, issuer_vat_id
from doclane.core.extract.invoice.totals import Totals, choose_totals
from doclane.core.extract.labels.hits import AMOUNT_FIELDS, LabelHit, find_label_hits
from doclane.core.extract.labels.values import (
    Candidate,
    Reader,
    announced_values,
    date_reader,
    read_amounts,
    read_charge_amounts,
    read_identifier,
)
from doclane.core.extract.shared.currency import extract_currency
from doclane.core.extract.shared.layout import DocumentLayout
from doclane.core.extract.shared.line_items import extract_table_items
from doclane.core.extract.shared.lines import AMOUNT_TOKEN, Located
from doclane.core.fields import FieldName
from doclane.core.language import detect_language
from doclane.core.model import (
    DocType,
    DocumentText,
    ExtractedField,
    Extraction,
)
from doclane.core.normalize import format_amount, normalize_name, parse_amount

FALLBACK_DATE_CONFIDENCE = 0.4
DERIVED_CONFIDENCE = 0.4
FALLBACK_TOTAL_SCORE = 0.3
_SLASHED = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(?:\d{4}|\d{2})(?![\d/])")
_AMOUNT_BELOW = 4  # a totals column may hold a row per tax rate, then the sum


def extract_business_document(
    text: DocumentText, lines: tuple[Located, ...], doc_type: DocType
) -> Extraction:
    """Header fields and line items of an invoice, credit note or purchase order."""
    layout = DocumentLayout(lines, {page.number: page.height for page in text.pages})
    is_order = doc_type is DocType.PURCHASE_ORDER
    number_field = FieldName.PURCHASE_ORDER_NUMBER if is_order else FieldName.INVOICE_NUMBER
    labels = find_label_hits(lines, number_field)
    hits, by_line = labels.by_field, labels.by_line
    currency = extract_currency(lines)
    month_first = _month_first(text, lines, currency)
    reader = _Reader(layout, by_line, month_first=month_first)
    fields: list[ExtractedField] = []
    number = _best(reader.candidates(hits[number_field], read_identifier))
    _add(fields, lines, number, number_field)
    if not is_order:
        reference = _best(
            c
            for c in reader.candidates(hits[FieldName.PURCHASE_ORDER_NUMBER], read_identifier)
            if number is None or c.normalized != number.normalized
        )
        _add(fields, lines, reference, FieldName.PURCHASE_ORDER_NUMBER)

    issue_hits = hits[FieldName.ISSUE_DATE] + (hits[FieldName.ORDER_DATE] if is_order else [])
    issue = _best(reader.candidates(issue_hits, reader.dates))
    issue_field = _add(fields, lines, issue, FieldName.ISSUE_DATE) or _first_date(
        layout, reader, hits
    )
    if issue is None and issue_field is not None:
        fields.append(issue_field)
    if not is_order:
        _due_date(fields, lines, reader, hits, issue_field)
    if currency is not None:
        fields.append(currency)

    stops = frozenset(
        hit.position
        for field in AMOUNT_FIELDS
        for hit in hits[field]
        if not any(map(str.isdigit, lines[hit.position].line.text[: hit.start]))
    )
    items = extract_table_items(lines, labels.table_headers, stops)
    items_sum = _items_sum(items)
    totals = choose_totals(_amount_candidates(reader, hits, lines), items_sum)
    _add_totals(fields, lines, totals)

    label_positions = frozenset(by_line)
    parties = find_parties(layout, label_positions, is_order=is_order)
    _add_parties(fields, layout, parties, is_order=is_order)
    if not is_order:
        _add_registrations(fields, lines, parties)
    return Extraction(fields=tuple(fields), line_items=items)


class _Reader:
    """Reads the candidates of label hits with one document's layout and date order."""

    def __init__(
        self, layout: DocumentLayout, by_line: dict[int, list[LabelHit]], *, month_first: bool
    ) -> None:
        self.layout = layout
        self.by_line = by_line
        self.dates: Reader = date_reader(month_first=month_first)

    def candidates(
        self, hits: list[LabelHit], reader: Reader, *, take_last: bool = False, below: int = 1
    ) -> list[Candidate]:
        found: list[Candidate] = []
        for hit in hits:
            found += announced_values(
                self.layout,
                hit,
                reader,
                self.by_line.get(hit.position, [hit]),
                take_last=take_last,
                max_below=below,
            )
        return found


def _best(candidates: Iterable[Candidate]) -> Candidate | None:
    """Highest score; the earlier one in the document on a tie."""
    return max(candidates, key=lambda c: (c.score, -c.position), default=None)


def _confidence(score: float) -> float:
    return round(min(0.45 + 0.45 * score, 0.95), 3)


def _add(
    fields: list[ExtractedField],
    lines: tuple[Located, ...],
    candidate: Candidate | None,
    name: str,
    confidence: float | None = None,
) -> ExtractedField | None:
    if candidate is None:
        return None
    field = ExtractedField(
        name,
        candidate.raw,
        candidate.normalized,
        confidence if confidence is not None else _confidence(candidate.score),
        lines[candidate.position].provenance(),
    )
    fields.append(field)
    return field


def _month_first(
    text: DocumentText, lines: tuple[Located, ...], currency: ExtractedField | None
) -> bool:
    """Whether numeric slashed dates are written month first (US) in this document."""
    day_first = month_first = 0
    for located in lines:
        if "/" not in located.line.text:
            continue  # no slashed date; saves the regex scan
        for match in _SLASHED.finditer(located.line.text):
            first, second = int(match[1]), int(match[2])
            day_first += first > 12 >= second
            month_first += second > 12 >= first
    if day_first or month_first:
        return month_first > day_first
    if currency is None or currency.normalized != "USD":
        return False
    language = detect_language(text.text)
    return language is not None and language[0] == "en"


def _first_date(
    layout: DocumentLayout, reader: _Reader, hits: dict[str, list[LabelHit]]
) -> ExtractedField | None:
    """No labelled issue date: the first date printed in the upper part of page 1."""
    claimed = {h.position for field in (FieldName.DUE_DATE,) for h in hits[field]}
    for position, located in enumerate(layout.lines):
        share = layout.vertical_share(position)
        if (
            located.page != 1
            or (share is not None and share > 0.45)
            or (share is None and position > 25)
        ):
            break
        if position in claimed:
            continue
        found = reader.dates(located.line.text)
        if found:
            return ExtractedField(
                FieldName.ISSUE_DATE,
                found[0].raw,
                found[0].normalized,
                FALLBACK_DATE_CONFIDENCE,
                located.provenance(),
            )
    return None


def _due_date(
    fields: list[ExtractedField],
    lines: tuple[Located, ...],
    reader: _Reader,
    hits: dict[str, list[LabelHit]],
    issue: ExtractedField | None,
) -> None:
    """A labelled due date on or after the issue date, else issue date + payment term days."""
    issued = date.fromisoformat(issue.normalized) if issue and issue.normalized else None
    candidates = [
        c
        for c in reader.candidates(hits[FieldName.DUE_DATE], reader.dates)
        if issued is None or date.fromisoformat(c.normalized) >= issued
    ]
    due = _best(candidates)
    if due is not None:
        _add(fields, lines, due, FieldName.DUE_DATE)
        return
    terms = payment_term_days(lines)
    if terms is None or issued is None:
        return
    days, located = terms
    value = (issued + timedelta(days=days)).isoformat()
    fields.append(
        ExtractedField(FieldName.DUE_DATE, value, value, DERIVED_CONFIDENCE, located.provenance())
    )


def _amount_candidates(
    reader: _Reader, hits: dict[str, list[LabelHit]], lines: tuple[Located, ...]
) -> dict[str, list[Candidate]]:
    pools = {
        field: reader.candidates(hits[field], read_amounts, take_last=True, below=_AMOUNT_BELOW)
        for field in (FieldName.TOTAL, FieldName.NET_TOTAL, FieldName.TAX_TOTAL)
    }
    pools[FieldName.TAX_TOTAL] += _tax_sums(pools[FieldName.TAX_TOTAL])
    pools[FieldName.CHARGES_TOTAL] = reader.candidates(
        hits[FieldName.CHARGES_TOTAL], read_charge_amounts, take_last=True
    )
    if not pools[FieldName.TOTAL]:
        fallback = _largest_amount_near_bottom(lines)
        if fallback is not None:
            pools[FieldName.TOTAL].append(fallback)
    return pools


def _tax_sums(taxes: list[Candidate]) -> list[Candidate]:
    """Tax printed per rate on separate lines, never as a sum: their sum is a candidate."""
    by_line: dict[int, Candidate] = {}
    for candidate in taxes:
        if candidate.position not in by_line or candidate.score > by_line[candidate.position].score:
            by_line[candidate.position] = candidate
    if not 2 <= len(by_line) <= 4:
        return []
    parts = list(by_line.values())
    total = sum((Decimal(c.normalized) for c in parts), Decimal(0))
    score = min(c.score for c in parts) * 0.8
    first = min(parts, key=lambda c: c.position)
    value = format_amount(total)
    return [
        Candidate(FieldName.TAX_TOTAL, value, value, round(score, 4), first.position, first.label)
    ]


def _largest_amount_near_bottom(lines: tuple[Located, ...]) -> Candidate | None:
    best: tuple[Decimal, str, int] | None = None
    for position in range(len(lines) // 2, len(lines)):
        for match in AMOUNT_TOKEN.finditer(lines[position].line.text):
            amount = parse_amount(match.group())
            if amount is not None and (best is None or amount >= best[0]):
                best = (amount, match.group(), position)
    if best is None:
        return None
    amount, raw, position = best
    return Candidate(FieldName.TOTAL, raw, format_amount(amount), FALLBACK_TOTAL_SCORE, position)


def _items_sum(items: tuple[object, ...]) -> Decimal | None:
    amounts = [getattr(item, "amount", None) for item in items]
    if not amounts or any(a is None for a in amounts):
        return None
    return sum((Decimal(str(a)) for a in amounts), Decimal(0))


def _add_totals(fields: list[ExtractedField], lines: tuple[Located, ...], totals: Totals) -> None:
    for name, candidate in (
        (FieldName.TOTAL, totals.total),
        (FieldName.NET_TOTAL, totals.net),
        (FieldName.TAX_TOTAL, totals.tax),
    ):
        if candidate is not None:
            _add(fields, lines, candidate, name, totals.confidence(candidate))
    if totals.charges:
        first = min(totals.charges, key=lambda c: c.position)
        value = format_amount(sum((Decimal(c.normalized) for c in totals.charges), Decimal(0)))
        fields.append(
            ExtractedField(
                FieldName.CHARGES_TOTAL, value, value, totals.confidence(first),
                lines[first.position].provenance(),
            )
        )  # fmt: skip
    if totals.tax is None and totals.total is not None and totals.net is not None:
        difference = Decimal(totals.total.normalized) - Decimal(totals.net.normalized)
        if difference >= 0:
            value = format_amount(difference)
            fields.append(
                ExtractedField(
                    FieldName.TAX_TOTAL, value, value, DERIVED_CONFIDENCE,
                    lines[totals.total.position].provenance(),
                )
            )  # fmt: skip


def _add_parties(
    fields: list[ExtractedField], layout: DocumentLayout, parties: Parties, *, is_order: bool
) -> None:
    vendor = (parties.supplier or parties.addressee) if is_order else parties.issuer
    customer = parties.issuer if is_order else parties.recipient
    if vendor is not None:
        fields.append(_name_field(FieldName.VENDOR_NAME, vendor, layout))
        address = party_address(layout, vendor) if is_order else parties.issuer_address
        if address:
            fields.append(
                ExtractedField(
                    FieldName.VENDOR_ADDRESS, address, normalize_name(address),
                    round(_party_confidence(vendor) - 0.1, 3),
                    layout.lines[vendor.position].provenance(),
                )
            )  # fmt: skip
    if customer is not None:
        fields.append(_name_field(FieldName.CUSTOMER_NAME, customer, layout))


def _name_field(name: str, candidate: NameCandidate, layout: DocumentLayout) -> ExtractedField:
    return ExtractedField(
        name,
        candidate.text,
        normalize_name(candidate.text),
        _party_confidence(candidate),
        layout.lines[candidate.position].provenance(),
    )


def _party_confidence(candidate: NameCandidate) -> float:
    return round(min(0.35 + 0.5 * candidate.score, 0.95), 3)


def _add_registrations(
    fields: list[ExtractedField], lines: tuple[Located, ...], parties: Parties
) -> None:
    excluded = frozenset(parties.recipient_positions)
    for name, found, base in (
        (FieldName.VENDOR_VAT_ID, issuer_vat_id(lines, excluded), 0.5),
        (FieldName.IBAN, issuer_iban(lines, excluded), 0.55),
    ):
        if found is not None:
            confidence = round(min(base + 0.25 * found.score, 0.95), 3)
            fields.append(
                ExtractedField(
                    name, found.raw, found.normalized, confidence, found.located.provenance()
                )
            )
