"""The per-vendor memory: learned from a correction, applied to the vendor's next document."""

from __future__ import annotations

import pickle

from doclane.core.memory import EMPTY_MEMORY, learn, vendor_key
from doclane.core.pipeline import Knowledge, understand
from doclane.evaluation.vendor_memory import evaluate_vendor_memory

_INVOICE = """Nordlicht Werkzeuge GmbH · Lieferschein und Rechnung
Hafenstr. 3, 20457 Hamburg
USt-IdNr. DE287361004
Invoice No. NW-2026-{number}
Date: 14.11.2026
Bolts M8                      2 x 12,50       25,00
Nuts M8                       4 x 2,50        10,00
Zu begleichen                 {total}
Umsatz laufendes Jahr         9.999,00
"""


def _read(total: str, knowledge: Knowledge, number: str = "0042"):  # type: ignore[no-untyped-def]
    text = _INVOICE.format(total=total, number=number).encode()
    return understand(text, knowledge, content_type="text/plain")


def test_a_corrected_total_teaches_its_label_and_the_next_document_is_read_there() -> None:
    first = _read("41,65", Knowledge())
    assert first.extraction.get("total").normalized != "41.65"  # the layout defeats extraction
    key = vendor_key(first.extraction)
    assert key == "vat:DE287361004"
    memory = learn(EMPTY_MEMORY, key, "total", "41.65", first.text)
    assert memory.for_vendor(key)["total"].label == "zu begleichen"

    second = _read("1.210,00", Knowledge(vendor_memory=memory), number="0043")
    total = second.extraction.get("total")
    assert (total.normalized, total.provenance.source, total.provenance.line) == (
        "1210.00",
        "vendor_memory",
        8,
    )


def test_constant_values_replace_a_misread_name_and_fill_a_missing_currency() -> None:
    first = _read("41,65", Knowledge())
    key = vendor_key(first.extraction)
    assert first.extraction.get("currency") is None
    memory = learn(EMPTY_MEMORY, key, "vendor_name", "Nordlicht Werkzeuge GmbH", None)
    memory = learn(memory, key, "currency", "EUR", None)
    second = _read("12,00", Knowledge(vendor_memory=memory)).extraction
    assert second.get("vendor_name").value == "Nordlicht Werkzeuge GmbH"
    assert second.get("currency").normalized == "EUR"
    # The knowledge, memory included, travels to the parse processes.
    assert pickle.loads(pickle.dumps(Knowledge(vendor_memory=memory))).vendor_memory == memory


def test_another_vendors_documents_and_unlearnable_values_are_left_alone() -> None:
    first = _read("41,65", Knowledge())
    memory = learn(EMPTY_MEMORY, "vat:DE000000000", "vendor_name", "Someone Else", None)
    assert _read("41,65", Knowledge(vendor_memory=memory)).extraction == first.extraction
    key = vendor_key(first.extraction)
    assert key is not None
    assert learn(EMPTY_MEMORY, key, "total", "77.77", first.text) == EMPTY_MEMORY  # not printed
    assert learn(EMPTY_MEMORY, key, "total", "41.65", None) == EMPTY_MEMORY  # no text to look at


def test_one_corrected_document_per_vendor_lifts_accuracy_on_an_unseen_layout() -> None:
    evaluation = evaluate_vendor_memory(documents_per_vendor=3, seed=5)
    assert evaluation.documents == 10
    for field in ("vendor_name", "currency", "total"):
        assert evaluation.after[field] == 1.0, field
    assert evaluation.before["total"] < 0.5
    assert evaluation.before["vendor_name"] < 0.5
    assert "before" in evaluation.render()
