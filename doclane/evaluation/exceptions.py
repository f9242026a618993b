"""Errors of the evaluation harness."""

from __future__ import annotations

from doclane.exceptions import DoclaneError


class EvaluationError(DoclaneError):
    """A corpus cannot be evaluated: missing manifest, unreadable label, no documents."""

    reason_code = "bad_corpus"
