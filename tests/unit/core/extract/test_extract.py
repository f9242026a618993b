from __future__ import annotations

from doclane.core.extract import extract_fields
from doclane.core.model import DocType, DocumentText, Page, TextLine
from doclane.core.read import read_document
from tests.unit.core.documents import INVOICE_DE_LINES
from tests.unit.core.pdf_factory import make_pdf

CII = """<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
  xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
  xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
 <rsm:ExchangedDocument><ram:ID>XML-42</ram:ID><ram:TypeCode>380</ram:TypeCode>
  <ram:IssueDateTime><udt:DateTimeString format="102">20240303</udt:DateTimeString></ram:IssueDateTime>
 </rsm:ExchangedDocument>
 <rsm:SupplyChainTradeTransaction>
  <ram:IncludedSupplyChainTradeLineItem>
   <ram:SpecifiedTradeProduct><ram:Name>Bürostuhl Ergo</ram:Name></ram:SpecifiedTradeProduct>
   <ram:SpecifiedLineTradeDelivery><ram:BilledQuantity unitCode="H87">2</ram:BilledQuantity></ram:SpecifiedLineTradeDelivery>
   <ram:SpecifiedLineTradeSettlement><ram:SpecifiedTradeSettlementLineMonetarySummation>
    <ram:LineTotalAmount>300.00</ram:LineTotalAmount></ram:SpecifiedTradeSettlementLineMonetarySummation>
   </ram:SpecifiedLineTradeSettlement>
  </ram:IncludedSupplyChainTradeLineItem>
  <ram:ApplicableHeaderTradeAgreement>
   <ram:SellerTradeParty><ram:Name>Nordlicht Bürotechnik GmbH</ram:Name>
    <ram:PostalTradeAddress><ram:PostcodeCode>20095</ram:PostcodeCode><ram:LineOne>Hafenstraße 7</ram:LineOne>
     <ram:CityName>Hamburg</ram:CityName><ram:CountryID>DE</ram:CountryID></ram:PostalTradeAddress>
    <ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">DE811907980</ram:ID></ram:SpecifiedTaxRegistration>
   </ram:SellerTradeParty>
   <ram:BuyerTradeParty><ram:Name>Kunde AG</ram:Name></ram:BuyerTradeParty>
  </ram:ApplicableHeaderTradeAgreement>
  <ram:ApplicableHeaderTradeSettlement>
   <ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>
   <ram:SpecifiedTradeSettlementPaymentMeans><ram:PayeePartyCreditorFinancialAccount>
    <ram:IBANID>DE89370400440532013000</ram:IBANID></ram:PayeePartyCreditorFinancialAccount>
   </ram:SpecifiedTradeSettlementPaymentMeans>
   <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
    <ram:LineTotalAmount>300.000</ram:LineTotalAmount>
    <ram:TaxBasisTotalAmount>300.00</ram:TaxBasisTotalAmount>
    <ram:TaxTotalAmount currencyID="EUR">57.00</ram:TaxTotalAmount>
    <ram:GrandTotalAmount>357.00</ram:GrandTotalAmount>
   </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
  </ram:ApplicableHeaderTradeSettlement>
 </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>""".encode()

UBL_CREDIT_NOTE = b"""<?xml version="1.0"?>
<CreditNote xmlns="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
 xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
 xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
 <cbc:ID>CN-7</cbc:ID><cbc:IssueDate>2024-05-02</cbc:IssueDate>
 <cbc:DocumentCurrencyCode>GBP</cbc:DocumentCurrencyCode>
 <cac:AccountingSupplierParty><cac:Party><cac:PartyName><cbc:Name>Harbourside Catering Ltd</cbc:Name>
 </cac:PartyName></cac:Party></cac:AccountingSupplierParty>
 <cac:TaxTotal><cbc:TaxAmount currencyID="GBP">2.00</cbc:TaxAmount></cac:TaxTotal>
 <cac:LegalMonetaryTotal><cbc:TaxExclusiveAmount currencyID="GBP">10.00</cbc:TaxExclusiveAmount>
 <cbc:TaxInclusiveAmount currencyID="GBP">12.00</cbc:TaxInclusiveAmount></cac:LegalMonetaryTotal>
</CreditNote>"""


def _values(
    text: DocumentText, doc_type: DocType = DocType.INVOICE, **kwargs: bool
) -> dict[str, str | None]:
    return {f.name: f.normalized for f in extract_fields(text, doc_type, **kwargs).fields}


def test_pdf_invoice_fields_carry_page_line_and_box(invoice_pdf: bytes) -> None:
    extraction = extract_fields(read_document(invoice_pdf), DocType.INVOICE)
    number = extraction.get("invoice_number")
    assert number is not None
    assert number.normalized == "RE-2024-0815"
    assert number.provenance.source == "text"
    assert (number.provenance.page, number.provenance.line) == (1, 4)
    assert number.provenance.bbox is not None
    total = extraction.get("total")
    assert total is not None
    assert (total.value, total.normalized) == ("357,00", "357.00")


def test_embedded_xml_wins_and_can_be_switched_off() -> None:
    text = read_document(make_pdf([INVOICE_DE_LINES], attachments={"factur-x.xml": CII}))
    with_xml = extract_fields(text, DocType.INVOICE)
    number = with_xml.get("invoice_number")
    assert number is not None
    assert (number.normalized, number.provenance.source) == ("XML-42", "xml")
    assert _values(text)["vendor_vat_id"] == "DE811907980"
    assert _values(text)["issue_date"] == "2024-03-03"
    assert [(i.description, i.amount) for i in with_xml.line_items] == [
        ("Bürostuhl Ergo", "300.00")
    ]
    assert _values(text, use_xml=False)["invoice_number"] == "RE-2024-0815"


def test_xml_gives_the_sellers_address_iban_and_the_sum_of_the_lines() -> None:
    text = read_document(make_pdf([INVOICE_DE_LINES], attachments={"factur-x.xml": CII}))
    values = _values(text)
    assert values["vendor_address"] == "Hafenstraße 7, 20095, Hamburg, DE"
    assert values["iban"] == "DE89370400440532013000"
    assert values["lines_total"] == "300.00"  # XML decimals: "300.000" is three hundred


def test_ubl_credit_note_fields() -> None:
    text = read_document(UBL_CREDIT_NOTE, filename="cn.xml")
    values = _values(text, DocType.CREDIT_NOTE)
    assert values["invoice_number"] == "CN-7"
    assert values["total"] == "12.00"
    assert values["net_total"] == "10.00"
    assert values["tax_total"] == "2.00"
    assert values["vendor_name"] == "Harbourside Catering Ltd"


def _text(*lines: str) -> DocumentText:
    return DocumentText(pages=(Page(1, tuple(TextLine(line) for line in lines)),), engine="test")


def test_labelled_grand_total_beats_larger_amounts() -> None:
    text = _text("Invoice", "Total 100.00", "Deposit paid 900.00", "Grand Total 80.00")
    assert _values(text)["total"] == "80.00"


def test_total_falls_back_to_largest_amount_near_bottom_with_low_confidence() -> None:
    extraction = extract_fields(
        _text("Invoice", "Widgets", "12.00", "Summe", "250.00"), DocType.INVOICE
    )
    total = extraction.get("total")
    assert total is not None
    assert total.normalized == "250.00"
    assert total.confidence < 0.5


def test_label_value_on_next_line() -> None:
    assert _values(_text("Rechnung", "Rechnungsnummer:", "A-1234"))["invoice_number"] == "A-1234"


def test_subtotal_is_not_the_total() -> None:
    values = _values(_text("Invoice", "Subtotal 50.00", "Tax 5.00", "Total 55.00"))
    assert (values["total"], values["net_total"], values["tax_total"]) == ("55.00", "50.00", "5.00")


def test_line_items_from_table_rows() -> None:
    items = extract_fields(
        _text("Invoice", "Widget large   3   10.00   30.00", "Total 30.00"), DocType.INVOICE
    ).line_items
    assert [(i.description, i.quantity, i.unit_price, i.amount) for i in items] == [
        ("Widget large", "3", "10.00", "30.00")
    ]


def test_other_documents_get_no_fields() -> None:
    assert extract_fields(_text("Dear Sir"), DocType.OTHER).fields == ()


def test_freight_and_handling_after_tax_are_charges_that_complete_the_total() -> None:
    text = _text(
        "PURCHASE ORDER",
        "SHIPPING TERMS   Freight Collect, Net 45",
        "Subtotal   5,760.00",
        "Tax   512.64",
        "SHIP/INS   250.91",
        "HANDLING   24",
        "TOTAL   $6,547.55",
    )
    values = _values(text)
    assert (values["net_total"], values["tax_total"], values["total"]) == (
        "5760.00",
        "512.64",
        "6547.55",
    )
    assert values["charges_total"] == "274.91"


def test_charges_are_only_reported_when_they_make_the_totals_add_up() -> None:
    text = _text("Invoice", "Subtotal 100.00", "VAT 20.00", "Shipping 5.00", "Total 120.00")
    assert "charges_total" not in _values(text)
