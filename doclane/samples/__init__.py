"""Realistic sample documents with ground-truth labels, in the corpus format.

Invoices, credit notes, purchase orders and contracts as PDFs; till receipts as
OCR-like text. English, German and French, each with its own number and date
formats. Reproducible: the same seed gives the same bytes.
"""

from doclane.samples.corpus import generate_corpus
from doclane.samples.exceptions import SampleRequestError
from doclane.samples.generator import (
    KIND_WEIGHTS,
    KINDS,
    GeneratedDocument,
    generate_document,
    iter_documents,
)

__all__ = [
    "KINDS",
    "KIND_WEIGHTS",
    "GeneratedDocument",
    "SampleRequestError",
    "generate_corpus",
    "generate_document",
    "iter_documents",
]
