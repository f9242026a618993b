"""`make eval`'s OCR figure: the same documents read from their text layer and from a scan.

Generated invoices and receipts (the same generator and labels as the main
evaluation) are rendered to pictures at 200 dpi, turned by up to 1.5 degrees
and speckled (`doclane.samples.scans`), and understood again as PNGs. Each
labelled field is compared exactly (after the evaluation's normalisation) in
both versions, so the table shows what OCR costs field by field. Both
versions are understood as the type they were labelled, so a classification
slip does not blur the field comparison.
"""

from __future__ import annotations

import random
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from doclane.core.model import DocType
from doclane.core.pipeline import Knowledge, understand
from doclane.evaluation.scoring import compare_field
from doclane.exceptions import DoclaneError
from doclane.samples.generator import document_rng, generate_document
from doclane.samples.scans import SCAN_DPI, scan

DEFAULT_OCR_DOCUMENTS = 12
_KINDS = ("invoice", "receipt")


@dataclass
class OcrComparison:
    """Right values per field, from the text layer and from the scan, over the labelled ones."""

    documents: int = 0
    labelled: Counter[str] = field(default_factory=Counter)
    from_text: Counter[str] = field(default_factory=Counter)
    from_scan: Counter[str] = field(default_factory=Counter)
    unread_scans: int = 0

    def add(self, other: OcrComparison) -> None:
        self.documents += other.documents
        self.labelled += other.labelled
        self.from_text += other.from_text
        self.from_scan += other.from_scan
        self.unread_scans += other.unread_scans

    def describe(self) -> str:
        rows = [
            f"OCR: {self.documents} generated invoices and receipts as {SCAN_DPI:.0f} dpi scans "
            "(turned up to 1.5 degrees, speckled) vs their text layer; field accuracy",
            f"  {'field':<22}{'labelled':>9}{'text layer':>12}{'scan (OCR)':>12}",
        ]
        for name in sorted(self.labelled):
            n = self.labelled[name]
            rows.append(
                f"  {name:<22}{n:>9}{self.from_text[name] / n:>12.3f}"
                f"{self.from_scan[name] / n:>12.3f}"
            )
        n = sum(self.labelled.values())
        if n:
            rows.append(
                f"  {'all fields':<22}{n:>9}{sum(self.from_text.values()) / n:>12.3f}"
                f"{sum(self.from_scan.values()) / n:>12.3f}"
            )
        if self.unread_scans:
            rows.append(f"  scans that could not be read: {self.unread_scans}")
        return "\n".join(rows)


def compare_ocr(
    count: int = DEFAULT_OCR_DOCUMENTS, *, seed: int = 5, processes: int = 1
) -> OcrComparison:
    """Scan `count` generated documents (half invoices, half receipts) and compare."""
    indexes = list(range(count))
    total = OcrComparison()
    if processes <= 1:
        for index in indexes:
            total.add(_compare_one(seed, index))
        return total
    with ProcessPoolExecutor(processes) as pool:
        for one in pool.map(_compare_one, [seed] * count, indexes):
            total.add(one)
    return total


def _compare_one(seed: int, index: int) -> OcrComparison:
    kind = _KINDS[index % len(_KINDS)]
    document = generate_document(kind, document_rng(seed, index), index=index, seed=seed)
    scanned = scan(document, random.Random(f"{seed}:{index}"))  # noqa: S311 - reproducible noise
    labels: dict[str, str] = document.label["fields"]
    result = OcrComparison(documents=1)
    text_fields = _read(document.payload, document.filename, kind)
    scan_fields = _read(scanned.payload, scanned.filename, kind)
    if scan_fields is None:
        result.unread_scans = 1
    for name, label in labels.items():
        result.labelled[name] += 1
        for found, counter in ((text_fields, result.from_text), (scan_fields, result.from_scan)):
            value = (found or {}).get(name)
            if compare_field(name, label, value).exact.tp:
                counter[name] += 1
    return result


def _read(payload: bytes, filename: str, kind: str) -> dict[str, str] | None:
    try:
        understood = understand(payload, Knowledge(), filename=filename, extract_as=DocType(kind))
    except DoclaneError:
        return None
    return {f.name: f.normalized or f.value for f in understood.extraction.fields}
