"""The evaluation as plain-text tables for a terminal."""

from __future__ import annotations

from collections.abc import Sequence

from doclane.evaluation.calibration import Calibration, ConfidenceReport
from doclane.evaluation.fields import FUZZY_THRESHOLD, LINE_ITEMS, PARTIES
from doclane.evaluation.scoring import ClassificationScores, Counts
from doclane.evaluation.summary import CorpusEvaluation, GroupScores, Throughput

_RULE = "=" * 100


def render(evaluation: CorpusEvaluation) -> str:
    """Header, throughput, classification, fields (and fields from the text layer), errors."""
    parts = [
        _header(evaluation),
        _render_throughput(evaluation.throughput),
        render_classification(evaluation.classification),
        render_fields(evaluation.fields, _fields_title(evaluation)),
    ]
    if evaluation.text_layer_fields:
        parts.append(
            render_fields(
                evaluation.text_layer_fields,
                f"Fields with embedded XML switched OFF (text layer; "
                f"{evaluation.documents_with_attachments} documents carry attachments)",
            )
        )
    parts.append(render_confidence(evaluation.confidence))
    parts.append(_render_errors(evaluation))
    return "\n\n".join(part for part in parts if part) + "\n"


def _header(evaluation: CorpusEvaluation) -> str:
    options = evaluation.options
    extracted = "the TRUE doc type (--oracle-type)" if options.oracle_type else "the predicted type"
    xml = "embedded e-invoice XML read" if options.use_xml else "embedded XML ignored (--no-xml)"
    return "\n".join(
        (
            _RULE,
            evaluation.name
            if evaluation.name == str(evaluation.root)
            else f"{evaluation.name}  ({evaluation.root})",
            f"{evaluation.throughput.documents} documents; fields extracted with {extracted}; "
            f"{xml}; PDF engine {options.pdf_engine}",
            _RULE,
        )
    )


def _fields_title(evaluation: CorpusEvaluation) -> str:
    if evaluation.options.use_xml:
        return "Fields (embedded XML read where present)"
    return "Fields (embedded XML switched off: text layer only)"


def _render_throughput(throughput: Throughput) -> str:
    rates = ", ".join(_num(rate, 1) for rate in throughput.per_process().values())
    processes = f"{throughput.processes} process{'es' if throughput.processes > 1 else ''}"
    return (
        f"Throughput: {_num(throughput.total_per_second, 1)} docs/s total "
        f"({throughput.documents} documents in {throughput.wall_seconds:.1f} s wall, {processes}); "
        f"{_num(throughput.core_per_second, 1)} docs/s per process "
        f"(read+classify+extract time; by process: {rates})"
    )


def render_classification(scores: ClassificationScores) -> str:
    lines = [
        f"Classification: accuracy {_num(scores.accuracy)}, macro-F1 {_num(scores.macro_f1)} "
        f"over {len(scores.labels)} classes (true and predicted), {_num(scores.macro_f1_true)} "
        f"over the {len(scores.true_labels)} true classes",
    ]
    if scores.scored_as_other:
        mapped = ", ".join(f"{label} ({count})" for label, count in scores.scored_as_other)
        lines.append(f"label types outside the taxonomy, scored as other: {mapped}")
    lines += [
        "",
        f"{'class':<22}{'precision':>10}{'recall':>8}{'f1':>8}{'support':>9}",
    ]
    for score in scores.per_class:
        counts = score.counts
        lines.append(
            f"{score.label:<22}{_num(counts.precision):>10}{_num(counts.recall):>8}"
            f"{_num(counts.f1):>8}{score.support:>9}"
        )
    lines += ["", "Confusion matrix (rows: true type, columns: predicted type by number)"]
    width = max(5, *(len(str(cell)) + 1 for row in scores.confusion for cell in row))
    lines.append(
        " " * 26 + "".join(f"{index:>{width}}" for index in range(1, len(scores.labels) + 1))
    )
    for index, (label, row) in enumerate(zip(scores.labels, scores.confusion, strict=True), 1):
        lines.append(f"{index:>3} {label:<22}" + "".join(f"{cell:>{width}}" for cell in row))
    return "\n".join(lines)


def render_fields(groups: Sequence[GroupScores], title: str) -> str:
    if not groups:
        return f"{title}: no labelled fields."
    lines = [
        title,
        "exact = equal after normalisation (dates ISO, amounts two decimals, currency ISO 4217, "
        "text case-folded, whitespace and punctuation collapsed);",
        f"fuzzy = rapidfuzz token_set_ratio >= {FUZZY_THRESHOLD:g} after folding (names and "
        "addresses only; it is 100 when one side's words are a subset of the other's, so a "
        "partial address counts as a fuzzy match);",
        f"labelled = tp+fn, predicted = tp+fp; {PARTIES} counted per name, defined terms in "
        f"parentheses dropped; {LINE_ITEMS} counted per row (exact: amount, quantity and unit "
        "price equal, description fuzzy-equal; fuzzy: the amount alone), not in the micro-average;",
        "header fields = invoice number, issue and due date, currency, total, net, tax, vendor name.",
    ]
    overall = Counts()
    for group in groups:
        lines += ["", *_group_table(group)]
        overall += group.micro
    lines += [
        "",
        f"All fields, micro-average (exact): precision {_num(overall.precision)}, "
        f"recall {_num(overall.recall)}, F1 {_num(overall.f1)}",
    ]
    return "\n".join(lines)


def _group_table(group: GroupScores) -> list[str]:
    lines = [
        f"[{group.doc_type}] {group.documents} documents (by label type)",
        f"{'field':<24}{'labelled':>9}{'predicted':>10}{'tp':>6}{'fp':>6}{'fn':>6}"
        f"{'prec':>8}{'recall':>8}{'f1':>8}   |{'fuzzy prec':>11}{'recall':>8}{'f1':>8}",
    ]
    for score in group.fields:
        lines.append(_counts_row(score.name, score.exact) + _fuzzy_cells(score.fuzzy))
    lines.append(_counts_row("micro-average (exact)", group.micro) + "   |")
    if group.header is not None and group.header != group.micro:
        lines.append(_counts_row("header fields (exact)", group.header) + "   |")
    if any(group.mismatches.values()):
        lines.append("  examples of misses (normalised):")
    for name, mismatches in group.mismatches.items():
        for mismatch in mismatches:
            match = mismatch.match
            lines.append(
                f"    {name}: label {match.label!r} predicted {match.predicted!r}  ({mismatch.path})"
            )
    return lines


def _counts_row(name: str, counts: Counts) -> str:
    return (
        f"{name:<24}{counts.labelled:>9}{counts.predicted:>10}{counts.tp:>6}{counts.fp:>6}"
        f"{counts.fn:>6}{_num(counts.precision):>8}{_num(counts.recall):>8}{_num(counts.f1):>8}"
    )


def _fuzzy_cells(counts: Counts | None) -> str:
    if counts is None:
        return "   |"
    return f"   |{_num(counts.precision):>11}{_num(counts.recall):>8}{_num(counts.f1):>8}"


def render_confidence(report: ConfidenceReport) -> str:
    routing = report.routing
    share = routing.routed_share
    lines = [
        "Confidence calibration (expected calibration error = sum over bins of the share of "
        "items x |accuracy - mean confidence|; 0 is perfect)",
        *_calibration_table("document type", report.doc_type),
        *_calibration_table("fields (exact, labelled fields that were predicted)", report.fields),
        "",
        f"Review routing (type threshold {routing.threshold:.2f}, required fields, error-level "
        f"checks): {routing.routed} of {routing.documents} documents routed "
        f"({_num(share * 100 if share is not None else None, 1)}%)",
        f"  let through: type accuracy {_num(routing.accepted_type_accuracy)}, "
        f"field accuracy {_num(routing.accepted_field_accuracy)}",
        f"  routed:      type accuracy {_num(routing.routed_type_accuracy)}, "
        f"field accuracy {_num(routing.routed_field_accuracy)}",
    ]
    return "\n".join(lines)


def _calibration_table(name: str, calibration: Calibration) -> list[str]:
    lines = [
        "",
        f"{name}: {calibration.count} items, accuracy {_num(calibration.accuracy)}, "
        f"mean confidence {_num(calibration.mean_confidence)}, "
        f"ECE {_num(calibration.expected_calibration_error)}",
        f"  {'confidence':<14}{'items':>7}{'mean conf':>11}{'accuracy':>10}",
    ]
    for row in calibration.bins:
        if row.count:
            lines.append(
                f"  {f'{row.lower:.2f}-{row.upper:.2f}':<14}{row.count:>7}"
                f"{_num(row.mean_confidence):>11}{_num(row.accuracy):>10}"
            )
    return lines


def _render_errors(evaluation: CorpusEvaluation) -> str:
    if not evaluation.errors:
        return "Errors: none."
    lines = [
        f"Errors ({len(evaluation.errors)}): a document failing to load, read or classify counts "
        "as 'other' with confidence 0; one failing to extract keeps its type, with no fields."
    ]
    lines += [f"  {path}: [{error.stage}] {error.reason}" for path, error in evaluation.errors]
    return "\n".join(lines)


def _num(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"
