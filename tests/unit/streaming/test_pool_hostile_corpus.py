"""Hostile files end as typed errors with the right reason code; good documents keep flowing.

The corpus (`tests.hostile.corpus`) is generated here, not stored: truncated and
encrypted PDFs, decompression and zip bombs, deep nesting, lying content types,
noise, broken text encodings and XML attacks.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import pytest

from doclane.core.model import DocumentText
from doclane.core.pipeline import Knowledge
from doclane.core.read import read_document
from doclane.core.read.containers import Member, container_kind, unpack_container
from doclane.exceptions import DoclaneError
from doclane.samples import iter_documents
from doclane.streaming.pool import (
    ParsePool,
    WorkerCrashedError,
    extract,
    read_and_classify,
    unpack_or_read_and_classify,
)
from tests.hostile.corpus import HostileCase, build_corpus
from tests.unit.streaming.conftest import MAX_INPUT_BYTES, MEMORY_BYTES

KNOWLEDGE = Knowledge()

pytestmark = pytest.mark.slow

CATEGORIES = [
    "truncated_pdf",
    "encrypted_pdf",
    "deep_nesting",
    "decompression_bomb",
    "resource_exhaustion",
    "zip_bomb",
    "damaged_archive",
    "empty",
    "oversized",
    "wrong_content_type",
    "binary_noise",
    "invalid_text",
    "xml_attack",
    "xml_attack_in_pdf",
]
GOOD_EVERY = 5  # a good invoice after every this many hostile files


@pytest.fixture(scope="module")
def corpus() -> list[HostileCase]:
    return build_corpus(MAX_INPUT_BYTES)


def test_the_corpus_covers_every_category_with_at_least_200_files(
    corpus: list[HostileCase],
) -> None:
    counts = Counter(case.category for case in corpus)
    assert sorted(counts) == sorted(CATEGORIES)
    assert len(corpus) >= 200
    assert sum(case.expected is not None for case in corpus) >= 200


async def _hostile(pool: ParsePool, case: HostileCase) -> str | None:
    """The reason code the case ended with, None if read; anything untyped is reported."""
    try:
        outcome = await pool.run(  # what the classify stage runs: containers are unpacked
            unpack_or_read_and_classify,
            case.payload,
            case.content_type,
            case.filename,
            Knowledge(pdf_engine=case.pdf_engine),
        )
        if not outcome or isinstance(outcome[0], Member):
            return None
        text, classification = outcome
        await pool.run(extract, text, classification.doc_type, KNOWLEDGE)
    except WorkerCrashedError as exc:
        return f"uncontrolled death: {exc}"
    except DoclaneError as exc:
        return exc.reason_code
    except Exception as exc:  # noqa: BLE001 - the test reports every escape at once
        return f"escaped {type(exc).__name__}: {exc}"
    return None


async def _good(pool: ParsePool, payload: bytes, content_type: str, filename: str) -> Any:
    text, classification = await pool.run(
        read_and_classify, payload, content_type, filename, KNOWLEDGE
    )
    return text, classification, await pool.run(extract, text, classification.doc_type, KNOWLEDGE)


async def _interleaved(
    pool: ParsePool, corpus: list[HostileCase], good: list[Any]
) -> tuple[list[str | None], list[Any]]:
    """Everything at once, four in flight on two processes, good invoices between hostile files."""
    gate = asyncio.Semaphore(4)

    async def gated(job: Any) -> Any:
        async with gate:
            return await job

    hostile_jobs, good_jobs = [], []
    for index, case in enumerate(corpus):
        hostile_jobs.append(asyncio.ensure_future(gated(_hostile(pool, case))))
        if index % GOOD_EVERY == GOOD_EVERY - 1 and len(good_jobs) < len(good):
            document = good[len(good_jobs)]
            good_jobs.append(
                asyncio.ensure_future(
                    gated(_good(pool, document.payload, document.content_type, document.filename))
                )
            )
    return await asyncio.gather(*hostile_jobs), await asyncio.gather(*good_jobs)


def test_every_hostile_file_through_the_pool_ends_as_expected_and_good_documents_pass(
    pool: ParsePool, corpus: list[HostileCase]
) -> None:
    good = list(
        iter_documents(len(corpus) // GOOD_EVERY, seed=11, kinds=["invoice"], single_page=True)
    )
    replaced_before = pool.replaced_processes

    outcomes, good_results = asyncio.run(_interleaved(pool, corpus, good))

    mismatches = {
        case.name: (case.expected, outcome)
        for case, outcome in zip(corpus, outcomes, strict=True)
        if outcome != case.expected
    }
    assert not mismatches
    expected_good = []
    for document in good:
        text, classification = read_and_classify(
            document.payload, document.content_type, document.filename, KNOWLEDGE
        )
        expected_good.append(
            (text, classification, extract(text, classification.doc_type, KNOWLEDGE))
        )
    assert good_results == expected_good, "good documents must come back intact, each its own"
    # Hostile files that hit a limit cost their process, and only theirs.
    limit_hits = sum(case.expected in ("memory_exceeded", "cpu_time_exceeded") for case in corpus)
    assert pool.replaced_processes - replaced_before >= limit_hits
    assert 0 < pool.peak_rss_bytes < MEMORY_BYTES


@pytest.mark.parametrize(
    "category", [c for c in CATEGORIES if c not in ("resource_exhaustion", "oversized")]
)
def test_hostile_files_read_in_process_end_as_expected(
    corpus: list[HostileCase], category: str
) -> None:
    """Without the pool's limits too: the readers' own guards stop these."""
    outcomes = {}
    for case in corpus:
        if case.category != category or case.needs_limits:
            continue
        try:
            kind = container_kind(case.payload, case.content_type, case.filename)
            if kind is not None:  # the classify stage unpacks containers instead of reading
                unpack_container(case.payload, kind)
                outcomes[case.name] = (case.expected, None)
                continue
            text = read_document(
                case.payload,
                content_type=case.content_type,
                filename=case.filename,
                pdf_engine=case.pdf_engine,
            )
        except DoclaneError as exc:
            outcomes[case.name] = (case.expected, exc.reason_code)
        else:
            assert isinstance(text, DocumentText)
            assert any(page.lines for page in text.pages), case.name
            outcomes[case.name] = (case.expected, None)
    assert outcomes
    assert {name: pair for name, pair in outcomes.items() if pair[0] != pair[1]} == {}


def test_no_xml_attack_reads_a_local_file(corpus: list[HostileCase]) -> None:
    readable = [case for case in corpus if case.category == "xml_attack" and case.expected is None]
    assert readable
    for case in readable:
        text = read_document(case.payload, content_type=case.content_type, filename=case.filename)
        lines = [line.text for page in text.pages for line in page.lines]
        assert "INV-9" in lines
        assert not any("root:" in line for line in lines)
