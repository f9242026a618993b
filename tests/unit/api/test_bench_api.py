"""The API benchmark's own arithmetic: percentiles and distinct 1 MB payloads."""

from __future__ import annotations

import hashlib

from doclane.core.read.formats import Format, sniff_format
from doclane.ops.bench.api import FILE_BYTES, percentile, unique_pdf
from doclane.samples import iter_documents


def test_percentiles_are_nearest_rank() -> None:
    values = [float(n) for n in range(1, 101)]
    assert percentile(values, 0.5) == 50.0
    assert percentile(values, 0.99) == 99.0
    assert percentile(values, 1.0) == 100.0
    assert percentile([7.0], 0.99) == 7.0


def test_every_upload_is_a_distinct_one_megabyte_pdf() -> None:
    (invoice,) = iter_documents(1, seed=5, kinds=["invoice"], single_page=True)
    first, second = unique_pdf(invoice.payload, 0), unique_pdf(invoice.payload, 1)
    assert len(first) == len(second) == FILE_BYTES
    assert hashlib.sha256(first).digest() != hashlib.sha256(second).digest()  # no blob dedup
    assert sniff_format(first, "application/pdf", "bench-0.pdf") == Format.PDF
