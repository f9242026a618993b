"""Generated English contracts state their term, expiry, parties' formation and law in the
several ways real filings do; the extractor reads every one back to its label."""

from __future__ import annotations

import random

from doclane.core.model import DocType
from doclane.core.pipeline import Knowledge, understand
from doclane.samples import generate_document

_SEEDS = range(48)
_CLAUSE_FIELDS = ("effective_date", "expiration_date", "term", "governing_law")


def test_every_phrasing_of_term_expiry_and_law_is_read_back_to_its_label() -> None:
    phrasings: set[str] = set()
    for seed in _SEEDS:
        document = generate_document("contract", random.Random(seed))
        payload = document.payload
        understood = understand(
            payload, Knowledge(), filename=document.filename, extract_as=DocType.CONTRACT
        )
        text = " ".join(line.text for page in understood.text.pages for line in page.lines)
        if " the Parties have executed" not in text:  # German and French samples
            continue
        phrasings |= {phrase for phrase in _PHRASES if phrase in " ".join(text.split())}
        found = {field.name: field.normalized for field in understood.extraction.fields}
        label = document.label["fields"]
        for name in _CLAUSE_FIELDS:
            if name in label:  # an expiry the text does not state is unknown, not scored
                assert found.get(name) == label[name], (document.filename, name)
    assert phrasings == set(_PHRASES)


_PHRASES = (
    "expiring on",
    "commencing on the Effective Date and ending on",
    '(the "Initial Term")',
    "shall expire on",
    "a Delaware corporation",
    "organised under the laws of England and Wales",
    "New York law",
)
