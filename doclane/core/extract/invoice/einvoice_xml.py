"""Exact header fields from an embedded or standalone e-invoice XML.

Understands UN/CEFACT Cross Industry Invoice (ZUGFeRD 1 and 2, Factur-X,
XRechnung CII) and OASIS UBL Invoice / CreditNote (XRechnung UBL, Peppol).
Elements are found by local name, so namespace versions do not matter.
"""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from doclane.core.exceptions import UnderstandingError
from doclane.core.fields import FieldName
from doclane.core.model import DocType, ExtractedField, LineItem, Provenance
from doclane.core.normalize import (
    format_amount,
    normalize_currency,
    normalize_name,
    parse_amount,
    parse_date,
)
from doclane.core.read.safe_xml import local_name, parse_xml

_CONFIDENCE = 0.99
_AMOUNTS = frozenset(
    {
        FieldName.TOTAL,
        FieldName.NET_TOTAL,
        FieldName.TAX_TOTAL,
        FieldName.LINES_TOTAL,
        FieldName.CHARGES_TOTAL,
        FieldName.ALLOWANCES_TOTAL,
    }
)
_CREDIT_NOTE_CODES = frozenset({"381", "396", "532"})
_CII_ROOTS = frozenset({"CrossIndustryInvoice", "CrossIndustryDocument"})
_UBL_ROOTS = frozenset({"Invoice", "CreditNote"})


@dataclass(frozen=True, slots=True)
class EInvoice:
    """What the XML says, already as extracted fields."""

    doc_type: DocType
    fields: tuple[ExtractedField, ...]
    line_items: tuple[LineItem, ...]


def find_einvoice(attachments: Mapping[str, bytes]) -> EInvoice | None:
    """The first attachment that is a CII or UBL invoice, read; None when there is none."""
    for name, data in attachments.items():
        if name.lower().endswith(".xml"):
            found = _read_einvoice_once(data)
            if found is not None:
                return found
    return None


# Classification and extraction both look at the same attachment; remember a few
# readings by digest (an lru_cache keyed by the bytes would pin large attachments).
_READ_CACHE: OrderedDict[bytes, EInvoice | None] = OrderedDict()
_READ_CACHE_SIZE = 32


def _read_einvoice_once(data: bytes) -> EInvoice | None:
    digest = hashlib.sha256(data).digest()
    if digest in _READ_CACHE:
        _READ_CACHE.move_to_end(digest)
        return _READ_CACHE[digest]
    found = _read_einvoice(data)
    _READ_CACHE[digest] = found
    if len(_READ_CACHE) > _READ_CACHE_SIZE:
        _READ_CACHE.popitem(last=False)
    return found


def _read_einvoice(data: bytes) -> EInvoice | None:
    try:
        root = parse_xml(data)
    except UnderstandingError:
        return None  # an unreadable attachment leaves the page text to speak
    kind = local_name(root.tag)
    is_ubl = "oasis" in root.tag
    if kind in _CII_ROOTS or (kind in _UBL_ROOTS and not is_ubl):  # early ZUGFeRD drafts
        return _from_cii(root)
    if kind in _UBL_ROOTS:
        return _from_ubl(root)
    return None


class _Tree:
    """Lookups by local-name path: `first("SellerTradeParty", "Name")`."""

    def __init__(self, root: ET.Element) -> None:
        self.root = root

    def first(self, *path: str, under: ET.Element | None = None) -> ET.Element | None:
        start = self.root if under is None else under
        head, *rest = path
        for candidate in start.iter():
            if local_name(candidate.tag) == head:
                found = _child_path(candidate, rest)
                if found is not None:
                    return found
        return None

    def text(self, *path: str, under: ET.Element | None = None) -> str | None:
        element = self.first(*path, under=under)
        if element is None or element.text is None:
            return None
        return element.text.strip() or None

    def all(self, name: str) -> list[ET.Element]:
        return [element for element in self.root.iter() if local_name(element.tag) == name]


def _child_path(element: ET.Element, path: list[str]) -> ET.Element | None:
    current = element
    for name in path:
        current = next((c for c in current if local_name(c.tag) == name), None)
        if current is None:
            return None
    return current


def _from_cii(root: ET.Element) -> EInvoice:
    tree = _Tree(root)
    header = tree.first("ExchangedDocument") or tree.first("HeaderExchangedDocument")
    summation = tree.first("SpecifiedTradeSettlementHeaderMonetarySummation") or tree.first(
        "SpecifiedTradeSettlementMonetarySummation"
    )
    type_code = tree.text("TypeCode", under=header) if header is not None else None
    currency = tree.text("InvoiceCurrencyCode")
    raw = {
        FieldName.INVOICE_NUMBER: tree.text("ID", under=header) if header is not None else None,
        FieldName.ISSUE_DATE: _cii_date(tree, "IssueDateTime", under=header)
        if header is not None
        else None,
        FieldName.DUE_DATE: _cii_date(tree, "SpecifiedTradePaymentTerms", "DueDateDateTime"),
        FieldName.CURRENCY: currency,
        FieldName.TOTAL: _summation(tree, summation, "GrandTotalAmount", currency),
        FieldName.NET_TOTAL: _summation(tree, summation, "TaxBasisTotalAmount", currency),
        FieldName.TAX_TOTAL: _summation(tree, summation, "TaxTotalAmount", currency),
        FieldName.VENDOR_NAME: tree.text("SellerTradeParty", "Name"),
        FieldName.VENDOR_VAT_ID: _cii_vat_id(tree),
        FieldName.CUSTOMER_NAME: tree.text("BuyerTradeParty", "Name"),
        FieldName.PURCHASE_ORDER_NUMBER: tree.text(
            "BuyerOrderReferencedDocument", "IssuerAssignedID"
        )
        or tree.text("BuyerOrderReferencedDocument", "ID"),
        FieldName.VENDOR_ADDRESS: _address(
            tree,
            tree.first("SellerTradeParty", "PostalTradeAddress"),
            ("LineOne", "LineTwo", "PostcodeCode", "CityName", "CountryID"),
        ),
        FieldName.IBAN: tree.text("PayeePartyCreditorFinancialAccount", "IBANID"),
        FieldName.LINES_TOTAL: _summation(tree, summation, "LineTotalAmount", currency),
        FieldName.CHARGES_TOTAL: _summation(tree, summation, "ChargeTotalAmount", currency),
        FieldName.ALLOWANCES_TOTAL: _summation(tree, summation, "AllowanceTotalAmount", currency),
    }
    items = tuple(
        _cii_line_item(tree, item) for item in tree.all("IncludedSupplyChainTradeLineItem")
    )
    return EInvoice(doc_type=_doc_type(type_code), fields=_fields(raw), line_items=items)


def _cii_date(tree: _Tree, *path: str, under: ET.Element | None = None) -> str | None:
    """CII dates sit in a DateTimeString child, or (ZUGFeRD drafts) in the element itself."""
    return tree.text(*path, "DateTimeString", under=under) or tree.text(*path, under=under)


def _summation(
    tree: _Tree, summation: ET.Element | None, name: str, currency: str | None
) -> str | None:
    """An amount of the totals block; the invoice-currency one when several are given."""
    if summation is None:
        return None
    candidates = [c for c in summation if local_name(c.tag) == name and c.text]
    for candidate in candidates:
        if currency is None or candidate.get("currencyID") in (None, currency):
            return candidate.text.strip() if candidate.text else None
    return tree.text(name, under=summation)


def _cii_vat_id(tree: _Tree) -> str | None:
    party = tree.first("SellerTradeParty")
    if party is None:
        return None
    for registration in (c for c in party if local_name(c.tag) == "SpecifiedTaxRegistration"):
        identifier = _child_path(registration, ["ID"])
        if identifier is not None and identifier.get("schemeID") == "VA" and identifier.text:
            return identifier.text.strip()
    return None


def _cii_line_item(tree: _Tree, item: ET.Element) -> LineItem:
    return LineItem(
        description=tree.text("SpecifiedTradeProduct", "Name", under=item),
        quantity=tree.text("BilledQuantity", under=item),
        unit_price=tree.text("NetPriceProductTradePrice", "ChargeAmount", under=item),
        amount=tree.text("LineTotalAmount", under=item),
        confidence=_CONFIDENCE,
        provenance=Provenance(source="xml"),
    )


def _from_ubl(root: ET.Element) -> EInvoice:
    tree = _Tree(root)
    totals = tree.first("LegalMonetaryTotal")
    type_code = tree.text("InvoiceTypeCode") or tree.text("CreditNoteTypeCode")
    if type_code is None and local_name(root.tag) == "CreditNote":
        type_code = "381"
    supplier = tree.first("AccountingSupplierParty")
    raw = {
        FieldName.INVOICE_NUMBER: _direct_text(root, "ID"),
        FieldName.ISSUE_DATE: _direct_text(root, "IssueDate"),
        FieldName.DUE_DATE: _direct_text(root, "DueDate")
        or tree.text("PaymentMeans", "PaymentDueDate"),
        FieldName.CURRENCY: _direct_text(root, "DocumentCurrencyCode"),
        FieldName.TOTAL: _total(tree, totals, "TaxInclusiveAmount"),
        FieldName.NET_TOTAL: _total(tree, totals, "TaxExclusiveAmount"),
        FieldName.TAX_TOTAL: tree.text("TaxTotal", "TaxAmount"),
        FieldName.VENDOR_NAME: _ubl_party_name(tree, supplier),
        FieldName.VENDOR_VAT_ID: tree.text("PartyTaxScheme", "CompanyID", under=supplier)
        if supplier is not None
        else None,
        FieldName.CUSTOMER_NAME: _ubl_party_name(tree, tree.first("AccountingCustomerParty")),
        FieldName.PURCHASE_ORDER_NUMBER: tree.text("OrderReference", "ID"),
        FieldName.VENDOR_ADDRESS: _address(
            tree,
            tree.first("PostalAddress", under=supplier) if supplier is not None else None,
            ("StreetName", "AdditionalStreetName", "PostalZone", "CityName", "IdentificationCode"),
        ),
        FieldName.IBAN: tree.text("PayeeFinancialAccount", "ID"),
        FieldName.LINES_TOTAL: _total(tree, totals, "LineExtensionAmount"),
        FieldName.CHARGES_TOTAL: _total(tree, totals, "ChargeTotalAmount"),
        FieldName.ALLOWANCES_TOTAL: _total(tree, totals, "AllowanceTotalAmount"),
    }
    items = tuple(
        LineItem(
            description=tree.text("Item", "Name", under=line),
            quantity=tree.text("InvoicedQuantity", under=line)
            or tree.text("CreditedQuantity", under=line),
            unit_price=tree.text("Price", "PriceAmount", under=line),
            amount=tree.text("LineExtensionAmount", under=line),
            confidence=_CONFIDENCE,
            provenance=Provenance(source="xml"),
        )
        for line in tree.all("InvoiceLine") + tree.all("CreditNoteLine")
    )
    return EInvoice(doc_type=_doc_type(type_code), fields=_fields(raw), line_items=items)


def _total(tree: _Tree, totals: ET.Element | None, name: str) -> str | None:
    return tree.text(name, under=totals) if totals is not None else None


def _address(tree: _Tree, address: ET.Element | None, parts: tuple[str, ...]) -> str | None:
    """The postal address as one line, its parts in reading order (street, postcode, city, country)."""
    if address is None:
        return None
    found = [text for part in parts if (text := tree.text(part, under=address))]
    return ", ".join(found) or None


def _direct_text(root: ET.Element, name: str) -> str | None:
    element = _child_path(root, [name])
    return element.text.strip() if element is not None and element.text else None


def _ubl_party_name(tree: _Tree, party: ET.Element | None) -> str | None:
    if party is None:
        return None
    return tree.text("PartyName", "Name", under=party) or tree.text(
        "PartyLegalEntity", "RegistrationName", under=party
    )


def _doc_type(type_code: str | None) -> DocType:
    return DocType.CREDIT_NOTE if type_code in _CREDIT_NOTE_CODES else DocType.INVOICE


def _fields(raw: dict[str, str | None]) -> tuple[ExtractedField, ...]:
    return tuple(
        ExtractedField(
            name=name,
            value=value,
            normalized=_normalize(name, value),
            confidence=_CONFIDENCE,
            provenance=Provenance(source="xml"),
        )
        for name, value in raw.items()
        if value
    )


def _normalize(name: str, value: str) -> str | None:
    if name.endswith("_date"):
        return _xml_date(value)
    if name in _AMOUNTS:
        return _xml_amount(value)
    if name == FieldName.IBAN:
        return "".join(value.split()).upper()
    if name == FieldName.CURRENCY:
        return normalize_currency(value)
    return normalize_name(value)


def _xml_amount(value: str) -> str | None:
    """XML decimals are always written with a point ("1.000" is one, not a thousand)."""
    try:
        return format_amount(Decimal(value.strip()))
    except InvalidOperation:
        amount = parse_amount(value)
        return format_amount(amount) if amount is not None else None


def _xml_date(value: str) -> str | None:
    """CII format 102 (yyyymmdd) or ISO."""
    compact = value.strip()
    if len(compact) == 8 and compact.isdigit():
        compact = f"{compact[:4]}-{compact[4:6]}-{compact[6:]}"
    found = parse_date(compact)
    return found.isoformat() if found is not None else None
