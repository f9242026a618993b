"""Content of invoices, credit notes and purchase orders, before any layout.

All amounts are `Decimal` and consistent: line amount = quantity x unit price,
net = sum of lines, tax = net x rate, total = net + tax, each rounded to cents.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from doclane.samples import locales
from doclane.samples.parties import (
    Company,
    has_iban,
    pick_vendor,
    random_company,
    random_iban,
)
from doclane.samples.vocab import ITEMS

BUSINESS_KINDS = ("invoice", "credit_note", "purchase_order")

# Tax rates vendors of each country charge; the rest use the general list.
_TAX_RATES = {
    "DE": ("19", "19", "19", "7"),
    "AT": ("20",),
    "FR": ("20", "20", "5.5"),
    "GB": ("20", "20", "0"),
    "CH": ("8.1",),
    "US": ("0",),
    "CA": ("0",),
    "AU": ("0",),
}
_GENERAL_RATES = ("19", "20", "7", "5.5", "8.1", "0")
_CURRENCIES = {"GB": "GBP", "CH": "CHF", "US": "USD", "CA": "USD", "AU": "USD"}
_LANGUAGES = {"DE": "de", "AT": "de", "FR": "fr"}


@dataclass(frozen=True)
class LineItem:
    description: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal


@dataclass(frozen=True)
class BusinessDocument:
    """An invoice, credit note or purchase order, as content."""

    kind: str
    language: str
    number: str
    issue_date: date
    due_date: date | None  # invoices only
    currency: str
    vendor: Company
    customer: Company
    purchase_order_number: str | None
    invoice_reference: str | None  # credit notes: the invoice they correct
    items: tuple[LineItem, ...]
    tax_rate: Decimal
    net_total: Decimal
    tax_total: Decimal
    total: Decimal
    iban: str | None
    date_style: str
    money_style: str

    @property
    def payment_days(self) -> int | None:
        return (self.due_date - self.issue_date).days if self.due_date else None


def choose_language(vendor: Company, rng: random.Random) -> str:
    """Mostly the vendor's own language, sometimes any."""
    if rng.random() < 0.15:
        return rng.choice(locales.LANGUAGES)
    if vendor.country == "CH":
        return "fr" if "Genève" in vendor.address else "de"
    return _LANGUAGES.get(vendor.country, "en")


def make_line_items(language: str, count: int, rng: random.Random) -> tuple[LineItem, ...]:
    items = []
    for _ in range(count):
        description = rng.choice(ITEMS[language])
        if "(" in description and rng.random() < 0.7:
            quantity = Decimal(rng.randint(1, 80)) / 4  # hours in quarter steps
        else:
            quantity = Decimal(rng.choice((1, 1, 1, 2, 3, 4, 5, 10, 12, 20, 25, 50, 100)))
        unit_price = Decimal(round(rng.lognormvariate(3.5, 1.3) * 100)) / 100 + Decimal("0.50")
        items.append(
            LineItem(description, quantity, unit_price, locales.cents(quantity * unit_price))
        )
    return tuple(items)


def _number(kind: str, issue: date, rng: random.Random) -> str:
    serial = rng.randint(1, 99999)
    patterns = {
        "invoice": (
            f"RE-{issue.year}-{serial:05d}",
            f"INV-{serial + 100000}",
            f"{issue.year}/{serial:04d}",
            f"F{issue.year}{serial:05d}",
            f"R{rng.randint(10**7, 10**8 - 1)}",
        ),
        "credit_note": (f"GS-{issue.year}-{serial:04d}", f"CN-{serial:05d}", f"AV{serial:06d}"),
        "purchase_order": (f"PO-{serial + 4500000}", f"BE-{issue.year}-{serial:04d}", f"{serial}"),
    }
    return rng.choice(patterns[kind])


def make_business_document(kind: str, item_count: int, rng: random.Random) -> BusinessDocument:
    """Random but consistent content for `kind` with `item_count` line items."""
    vendor = pick_vendor(rng)
    language = choose_language(vendor, rng)
    customer = random_company(rng, language, name_variant="customer")
    currency = _CURRENCIES.get(vendor.country, "EUR")
    if rng.random() < 0.1:
        currency = rng.choice(("EUR", "USD", "GBP", "CHF"))
    tax_rate = Decimal(rng.choice(_TAX_RATES.get(vendor.country, _GENERAL_RATES)))
    items = make_line_items(language, item_count, rng)
    net_total = sum((item.amount for item in items), Decimal("0.00"))
    tax_total = locales.cents(net_total * tax_rate / 100)
    issue = date(2019, 1, 1) + timedelta(days=rng.randint(0, 6 * 365))
    due = issue + timedelta(days=rng.choice((14, 30, 30, 45, 60))) if kind == "invoice" else None
    number = _number(kind, issue, rng)
    if kind == "purchase_order":
        po_number: str | None = number
    else:
        po_number = _number("purchase_order", issue, rng) if rng.random() < 0.4 else None
    with_iban = kind != "purchase_order" and has_iban(vendor.country) and rng.random() < 0.6
    return BusinessDocument(
        kind=kind,
        language=language,
        number=number,
        issue_date=issue,
        due_date=due,
        currency=currency,
        vendor=vendor,
        customer=customer,
        purchase_order_number=po_number,
        invoice_reference=_number("invoice", issue, rng) if kind == "credit_note" else None,
        items=items,
        tax_rate=tax_rate,
        net_total=net_total,
        tax_total=tax_total,
        total=net_total + tax_total,
        iban=random_iban(vendor.country, rng) if with_iban else None,
        date_style=rng.choice(locales.DATE_STYLES[language]),
        money_style=rng.choice(locales.MONEY_STYLES),
    )


def business_label(doc: BusinessDocument) -> tuple[dict[str, str], list[dict[str, str]]]:
    """Canonical label fields and line items of `doc`."""
    fields: dict[str, str] = {}
    if doc.kind == "purchase_order":
        fields["purchase_order_number"] = doc.number
    else:
        fields["invoice_number"] = doc.number
    fields["issue_date"] = doc.issue_date.isoformat()
    if doc.due_date:
        fields["due_date"] = doc.due_date.isoformat()
    fields |= {
        "currency": doc.currency,
        "total": f"{doc.total:.2f}",
        "net_total": f"{doc.net_total:.2f}",
        "tax_total": f"{doc.tax_total:.2f}",
        "vendor_name": doc.vendor.name,
    }
    if doc.vendor.vat_id and doc.kind != "purchase_order":
        fields["vendor_vat_id"] = doc.vendor.vat_id
    fields["vendor_address"] = doc.vendor.address
    fields["customer_name"] = doc.customer.name
    if doc.purchase_order_number and doc.kind != "purchase_order":
        fields["purchase_order_number"] = doc.purchase_order_number
    items = [
        {
            "description": item.description,
            "quantity": format(item.quantity.normalize(), "f"),
            "unit_price": f"{item.unit_price:.2f}",
            "amount": f"{item.amount:.2f}",
        }
        for item in doc.items
    ]
    return fields, items
