"""The hostile-input corpus: every file the tests generate, with the outcome each must have.

Nothing is stored on disk: the same seed gives the same bytes, so a failure
names a case that can be rebuilt exactly (`build_corpus()` and its `name`).
"""

from __future__ import annotations

from dataclasses import dataclass

OK = None  # the expected outcome of a case that must be read, not refused


@dataclass(frozen=True)
class HostileCase:
    name: str
    category: str
    payload: bytes
    expected: str | None  # the reason code it must fail with, or OK
    content_type: str | None = None
    filename: str | None = None
    pdf_engine: str = "pdfium"
    # Only safe behind the parse pool's limits: it exhausts memory or CPU, or is oversized.
    needs_limits: bool = False

    def __repr__(self) -> str:  # pytest ids and failure messages without megabytes of payload
        return f"HostileCase({self.name!r}, {len(self.payload)} bytes, expected={self.expected!r})"


def build_corpus(max_input_bytes: int) -> list[HostileCase]:
    from tests.hostile import archives, pdfs, texts

    cases = [
        *pdfs.truncated(),
        *pdfs.encrypted(),
        *pdfs.deeply_nested(),
        *pdfs.decompression_bombs(),
        *pdfs.resource_exhaustion(),
        *archives.zip_bombs(),
        *archives.damaged(),
        *texts.empty_and_oversized(max_input_bytes),
        *texts.wrong_content_types(),
        *texts.binary_noise(seed=20240311),
        *texts.invalid_text(),
        *texts.xml_attacks(),
        *pdfs.xml_attacks_as_attachments(),
    ]
    names = [case.name for case in cases]
    duplicates = {name for name in names if names.count(name) > 1}
    assert not duplicates, f"corpus case names must be unique: {sorted(duplicates)}"
    return cases
