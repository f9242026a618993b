"""Run the core (read → classify → extract) over corpus documents, optionally in a process pool.

Each document becomes a `Prediction`, plain data that crosses process
boundaries and is all the scorer and the predictions file need. A document
the core fails on is a prediction too: of `other` with confidence 0 (or, when
only extraction failed, of its type with no fields), carrying the reason.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

from doclane.core import pipeline
from doclane.core.fields import FieldName
from doclane.core.model import Classification, DocType, DocumentText, Extraction
from doclane.core.pipeline import Knowledge, understand
from doclane.core.review import ReviewPolicy
from doclane.evaluation.corpus import Corpus, CorpusDocument
from doclane.evaluation.exceptions import EvaluationError
from doclane.exceptions import DoclaneError

_V = TypeVar("_V")
_CHUNKS_PER_PROCESS = 16  # small chunks even out long contracts next to short receipts
_MAX_CHUNK = 16
_TIMED_STAGES = ("read", "classify", "extract")  # what `seconds` has always measured


@dataclass(frozen=True, slots=True)
class RunOptions:
    use_xml: bool = True
    oracle_type: bool = False  # extract with the true type instead of the predicted one
    pdf_engine: str = "pdfium"
    measure_text_layer: bool = True  # with XML on, also extract with it off where it matters
    review_policy: ReviewPolicy = field(default_factory=ReviewPolicy)


@dataclass(frozen=True, slots=True)
class DocumentError:
    stage: str  # load, read, classify, extract
    reason: str


@dataclass(frozen=True, slots=True)
class Prediction:
    """What the core made of one document."""

    path: str
    true_doc_type: str
    doc_type: str
    confidence: float
    extracted_as: str  # the type extraction ran for: predicted, or true with oracle_type
    fields: dict[str, str] = field(default_factory=dict)  # canonical name -> normalised value
    values: dict[str, str] = field(default_factory=dict)  # canonical name -> as written
    field_confidences: dict[str, float] = field(default_factory=dict)  # canonical name -> 0..1
    parties: tuple[str, ...] = ()
    line_items: tuple[dict[str, str], ...] = ()  # description, quantity, unit_price, amount
    text_layer_fields: dict[str, str] | None = None  # XML off, for documents carrying attachments
    text_layer_line_items: tuple[dict[str, str], ...] = ()
    error: DocumentError | None = None
    issue_codes: tuple[str, ...] = ()  # validation issues, as the validate stage finds them
    review_reasons: tuple[str, ...] = ()  # empty: the pipeline would accept it unseen
    seconds: float = 0.0  # read + classify + extract, wall time
    worker: int = 0  # process id


@dataclass(frozen=True, slots=True)
class RunResult:
    predictions: tuple[Prediction, ...]
    wall_seconds: float
    processes: int


@dataclass(frozen=True, slots=True)
class _Task:
    root: str
    path: str
    true_doc_type: str
    options: RunOptions


def run_corpus(
    corpus: Corpus,
    documents: Sequence[CorpusDocument],
    options: RunOptions,
    *,
    processes: int = 1,
    progress: Callable[[int], None] | None = None,
) -> RunResult:
    """Predictions for `documents`, in their order; `progress(n)` after each one."""
    tasks = [_Task(str(corpus.root), doc.path, doc.doc_type, options) for doc in documents]
    processes = max(1, min(processes, len(tasks)))
    started = time.perf_counter()
    if processes == 1:
        predictions = [_advance(result, progress) for result in map(predict_document, tasks)]
    else:
        predictions = _run_in_pool(tasks, processes, progress)
    return RunResult(tuple(predictions), time.perf_counter() - started, processes)


def _run_in_pool(
    tasks: list[_Task], processes: int, progress: Callable[[int], None] | None
) -> list[Prediction]:
    chunk = max(1, min(_MAX_CHUNK, len(tasks) // (processes * _CHUNKS_PER_PROCESS)))
    context = multiprocessing.get_context("spawn")
    try:
        with ProcessPoolExecutor(max_workers=processes, mp_context=context) as pool:
            results = pool.map(predict_document, tasks, chunksize=chunk)
            return [_advance(result, progress) for result in results]
    except BrokenProcessPool as exc:
        raise EvaluationError(
            "A worker process died (a crash inside a native library?); rerun with "
            "--processes 1 to see which document kills it.",
            reason_code="worker_died",
        ) from exc


def _advance(prediction: Prediction, progress: Callable[[int], None] | None) -> Prediction:
    if progress is not None:
        progress(1)
    return prediction


def predict_document(task: _Task) -> Prediction:
    """Understand one document as the pipeline does; failures become data, never exceptions."""
    path = Path(task.root) / task.path
    try:
        payload = path.read_bytes()
    except OSError as exc:
        return _failed(task, DocumentError("load", f"cannot open the file: {exc.strerror}"), 0.0)
    knowledge = _knowledge(task.options)
    extract_as = _oracle_type(task.true_doc_type) if task.options.oracle_type else None
    started = time.perf_counter()
    try:
        understood = understand(payload, knowledge, filename=path.name, extract_as=extract_as)
    except Exception as exc:  # noqa: BLE001 - a crash in the core is a finding to list, not a reason to lose the run
        return _after_failure(task, payload, knowledge, exc, time.perf_counter() - started)
    extraction = understood.extraction
    result = replace(
        _classified(task, understood.classification, extract_as),
        fields=_normalised(extraction),
        values=_first_per_name((f.name, f.value) for f in extraction.fields),
        field_confidences=_first_per_name((f.name, f.confidence) for f in extraction.fields),
        parties=predicted_parties(extraction),
        line_items=_items(extraction),
        issue_codes=tuple(issue.code for issue in understood.issues),
        review_reasons=understood.review_reasons,
        seconds=sum(t.wall_seconds for t in understood.timings if t.stage in _TIMED_STAGES),
    )
    if task.options.use_xml and task.options.measure_text_layer and understood.text.attachments:
        doc_type = extract_as or understood.classification.doc_type
        result = _add_text_layer(result, understood.text, doc_type, knowledge)
    return result


def _knowledge(options: RunOptions) -> Knowledge:
    """What the pipeline would know; each document is judged alone (no duplicate registry)."""
    return Knowledge(
        review_policy=options.review_policy, pdf_engine=options.pdf_engine, use_xml=options.use_xml
    )


def _classified(
    task: _Task, classification: Classification, extract_as: DocType | None
) -> Prediction:
    return Prediction(
        path=task.path,
        true_doc_type=task.true_doc_type,
        doc_type=str(classification.doc_type),
        confidence=classification.confidence,
        extracted_as=str(extract_as or classification.doc_type),
        worker=os.getpid(),
    )


def _after_failure(
    task: _Task, payload: bytes, knowledge: Knowledge, error: Exception, seconds: float
) -> Prediction:
    """Which stage failed, keeping the classification when it stands: read and classify again."""
    stage = "read"
    try:
        text = pipeline.read(payload, knowledge, filename=Path(task.path).name)
        stage = "classify"
        classification = pipeline.classify(text, knowledge)
    except Exception as exc:  # noqa: BLE001 - as above
        return _failed(task, _describe(stage, exc), seconds)
    extract_as = _oracle_type(task.true_doc_type) if task.options.oracle_type else None
    base = _classified(task, classification, extract_as)
    return replace(base, error=_describe("extract", error), seconds=seconds)


def _add_text_layer(
    prediction: Prediction, text: DocumentText, doc_type: DocType, knowledge: Knowledge
) -> Prediction:
    """The fields again with embedded XML switched off (not counted in `seconds`)."""
    try:
        extraction = pipeline.extract(text, doc_type, replace(knowledge, use_xml=False))
    except Exception as exc:  # noqa: BLE001 - listed; the text layer then scores as nothing found
        return replace(prediction, text_layer_fields={}, error=_describe("extract_no_xml", exc))
    return replace(
        prediction,
        text_layer_fields=_normalised(extraction),
        text_layer_line_items=_items(extraction),
    )


def _normalised(extraction: Extraction) -> dict[str, str]:
    """Canonical name -> normalised value (as written when the core gave none); first one wins."""
    return _first_per_name((f.name, f.normalized or f.value) for f in extraction.fields)


def _items(extraction: Extraction) -> tuple[dict[str, str], ...]:
    """Item rows as the labels carry them: only the columns the extractor read."""
    return tuple(
        {
            name: value
            for name, value in (
                ("description", item.description),
                ("quantity", item.quantity),
                ("unit_price", item.unit_price),
                ("amount", item.amount),
            )
            if value is not None
        }
        for item in extraction.line_items
    )


def _first_per_name(items: Iterable[tuple[str, _V]]) -> dict[str, _V]:
    found: dict[str, _V] = {}
    for name, value in items:
        found.setdefault(name, value)
    return found


def predicted_parties(extraction: Extraction) -> tuple[str, ...]:
    """Contract parties wherever the extraction carries them: a `parties` attribute or fields.

    Items of a `parties` attribute may be strings or objects with a `name`.
    """
    names: list[str] = []
    for item in getattr(extraction, "parties", None) or ():
        name = item if isinstance(item, str) else getattr(item, "name", None)
        if isinstance(name, str):
            names.append(name)
    names.extend(
        f.normalized or f.value for f in extraction.fields if f.name in (FieldName.PARTY, "parties")
    )
    return tuple(dict.fromkeys(name for name in names if name.strip()))


def _oracle_type(true_doc_type: str) -> DocType:
    try:
        return DocType(true_doc_type)
    except ValueError:
        return DocType.OTHER


def _describe(stage: str, exc: Exception) -> DocumentError:
    if isinstance(exc, DoclaneError):
        return DocumentError(exc.stage or stage, str(exc))
    return DocumentError(stage, f"{type(exc).__name__}: {exc}")


def _failed(task: _Task, error: DocumentError, seconds: float) -> Prediction:
    return Prediction(
        path=task.path,
        true_doc_type=task.true_doc_type,
        doc_type=str(DocType.OTHER),
        confidence=0.0,
        extracted_as=str(DocType.OTHER),
        error=error,
        seconds=seconds,
        worker=os.getpid(),
    )
