"""Does the per-vendor memory help? Field accuracy before and after one corrected document.

Invoices of vendors in a layout the extractors were not written for: the
header prints the vendor's name with words around it, the amount payable has
a label of the vendor's own followed by a line with a larger amount (turnover, credit limit), and some
vendors never print their currency. For each vendor the first document is
"reviewed": every wrong field is corrected to the truth and the memory learns
from it, exactly as a reviewer's correction teaches. The vendor's other
documents are then read with no memory and with the learned one.

`python -m doclane.evaluation.vendor_memory` (and `make eval`) prints the table.
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass
from decimal import Decimal

from doclane.core.fields import FieldName
from doclane.core.memory import EMPTY_MEMORY, VendorMemory, learn, vendor_key
from doclane.core.pipeline import Knowledge, understand

FIELDS = (FieldName.VENDOR_NAME, FieldName.CURRENCY, FieldName.TOTAL)


@dataclass(frozen=True)
class _Vendor:
    name: str
    vat_id: str
    city: str
    currency: str
    prints_currency: bool
    header_words: str  # printed after the name on the first line
    total_label: str
    after_total: str  # a line with another amount after the total


_VENDORS = (
    _Vendor("Nordlicht Werkzeuge GmbH", "DE287361004", "20457 Hamburg", "EUR", False,
            "· Lieferschein und Rechnung", "Zu begleichen", "Umsatz laufendes Jahr"),
    _Vendor("Atelier Lumière SARL", "FR40303265045", "69002 Lyon", "EUR", True,
            "— facture détaillée", "Montant à régler", "Encours autorisé"),
    _Vendor("Harbour Marine Supplies Ltd", "GB123456789", "Bristol BS1 4DJ", "GBP", False,
            "| statement & invoice", "Balance to remit", "Account turnover"),
    _Vendor("Bergkristall Treuhand AG", "CHE116281710", "8001 Zürich", "CHF", False,
            "· Honorarnote", "Schlussbetrag", "Kreditlimite"),
    _Vendor("Polder Logistics B.V.", "NL859123456B01", "3011 Rotterdam", "EUR", True,
            "- freight invoice", "Settlement amount", "Year to date"),
)  # fmt: skip

_ITEMS = ("Service hours", "Bolts M8", "Transport", "Consulting", "Cable 3x1.5", "Pallet rent")


@dataclass(frozen=True)
class VendorDocument:
    text: str
    truth: dict[str, str]


def _document(vendor: _Vendor, number: int, rng: random.Random) -> VendorDocument:
    lines = [f"{vendor.name} {vendor.header_words}", vendor.city, f"VAT {vendor.vat_id}"]
    lines.append(f"Invoice {vendor.name[:2].upper()}-{2026}-{number:04d}")
    lines.append(f"Date {rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.2026")
    total = Decimal(0)
    for _ in range(rng.randint(2, 4)):
        amount = Decimal(rng.randint(500, 90000)) / 100
        total += amount
        lines.append(f"{rng.choice(_ITEMS):<28}{_printed(amount):>12}")
    currency = f" {vendor.currency}" if vendor.prints_currency else ""
    lines.append(f"{vendor.total_label:<28}{_printed(total):>12}{currency}")
    lines.append(f"{vendor.after_total:<28}{_printed(total * 3 + 100):>12}")
    truth = {
        FieldName.VENDOR_NAME: vendor.name,
        FieldName.CURRENCY: vendor.currency,
        FieldName.TOTAL: f"{total.quantize(Decimal('0.01'))}",
    }
    return VendorDocument("\n".join(lines) + "\n", truth)


def vendor_documents(vendor_index: int, count: int, seed: int) -> list[VendorDocument]:
    """`count` documents of one of the evaluation's vendors, as plain text with their truth."""
    rng = random.Random(seed)  # noqa: S311 - reproducible documents, not security
    return [_document(_VENDORS[vendor_index], n, rng) for n in range(count)]


def _printed(amount: Decimal) -> str:
    return f"{amount.quantize(Decimal('0.01'))}".replace(".", ",")


def _found(document: VendorDocument, knowledge: Knowledge) -> tuple[dict[str, str | None], object]:
    understood = understand(document.text.encode(), knowledge, content_type="text/plain")
    fields = {}
    for name in FIELDS:
        got = understood.extraction.get(name)
        fields[name] = None if got is None else (got.normalized or got.value)
    return fields, understood


@dataclass(frozen=True)
class MemoryEvaluation:
    documents: int  # read twice each: without and with the memory
    vendors: int
    before: dict[str, float]  # field → share of documents with the right value
    after: dict[str, float]
    hints: int  # what the memory holds after one corrected document per vendor

    def render(self) -> str:
        rows = [
            f"Per-vendor memory: {self.documents} documents of {self.vendors} vendors "
            f"in an unseen layout, after one corrected document per vendor ({self.hints} hints)",
            f"{'field':<14}{'before':>8}{'after':>8}",
        ]
        rows += [
            f"{name:<14}{self.before[name]:>8.0%}{self.after[name]:>8.0%}" for name in self.before
        ]
        return "\n".join(rows)


def evaluate_vendor_memory(documents_per_vendor: int = 6, seed: int = 14) -> MemoryEvaluation:
    rng = random.Random(seed)  # noqa: S311 - reproducible documents, not security
    memory: VendorMemory = EMPTY_MEMORY
    held_out: list[VendorDocument] = []
    for vendor in _VENDORS:
        reviewed, *rest = [_document(vendor, n, rng) for n in range(documents_per_vendor)]
        memory = _correct(reviewed, memory)
        held_out += rest
    plain, taught = Knowledge(), Knowledge(vendor_memory=memory)
    right_before = dict.fromkeys(FIELDS, 0)
    right_after = dict.fromkeys(FIELDS, 0)
    for document in held_out:
        before, _ = _found(document, plain)
        after, _ = _found(document, taught)
        for name in FIELDS:
            right_before[name] += before[name] == document.truth[name]
            right_after[name] += after[name] == document.truth[name]
    count = len(held_out)
    return MemoryEvaluation(
        documents=count,
        vendors=len(_VENDORS),
        before={str(k): v / count for k, v in right_before.items()},
        after={str(k): v / count for k, v in right_after.items()},
        hints=len(memory),
    )


def _correct(document: VendorDocument, memory: VendorMemory) -> VendorMemory:
    """What a reviewer's correction of this document teaches: each wrong field set right."""
    found, understood = _found(document, Knowledge(vendor_memory=memory))
    key = vendor_key(understood.extraction)  # type: ignore[attr-defined]
    if key is None:
        return memory
    for name in FIELDS:
        if found[name] != document.truth[name]:
            memory = learn(memory, key, name, document.truth[name], understood.text)  # type: ignore[attr-defined]
    return memory


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents-per-vendor", type=int, default=6)
    parser.add_argument("--seed", type=int, default=14)
    options = parser.parse_args(argv)
    print(evaluate_vendor_memory(options.documents_per_vendor, options.seed).render())
    return 0


if __name__ == "__main__":
    sys.exit(main())
