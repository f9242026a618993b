"""The learned weights of the receipt-total evidence, shipped as JSON beside the code.

`make train` fits them (`doclane.evaluation.training.receipt_total`) and writes
`total_model.json` beside this module; extraction loads the file once, on
first use. Without the file, or with one that does not fit the current
features, extraction uses the hand-set rule weights instead.

The file also names the source collections of the documents the weights were
fitted on (the manifest's `source` without the document part, e.g. a dataset
split). Extraction never reads them: the evaluation does, to score documents
of those collections by cross-validation instead of with weights that have
seen them.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from doclane.core.extract.receipt.total_evidence import FEATURE_NAMES

MODEL_PATH = Path(str(resources.files(__package__) / "total_model.json"))
MODEL_KIND = "receipt_total_conditional_logit"
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TotalModel:
    """Weights per evidence feature: a candidate's score is their weighted sum."""

    weights: Mapping[str, float]
    training_sources: frozenset[str] = frozenset()
    description: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": MODEL_KIND,
            "description": self.description,
            "features": list(FEATURE_NAMES),
            "weights": {name: round(self.weights.get(name, 0.0), 4) for name in FEATURE_NAMES},
            "training_sources": sorted(self.training_sources),
        }


def model_from_json(raw: Any) -> TotalModel | None:
    """The model a JSON document describes; None when it does not fit the current features."""
    if not isinstance(raw, dict) or raw.get("kind") != MODEL_KIND:
        return None
    weights = raw.get("weights")
    if not isinstance(weights, dict) or set(weights) != set(FEATURE_NAMES):
        return None
    if not all(isinstance(value, int | float) for value in weights.values()):
        return None
    sources = raw.get("training_sources", [])
    return TotalModel(
        weights={name: float(value) for name, value in weights.items()},
        training_sources=frozenset(str(item) for item in sources),
        description=str(raw.get("description", "")),
    )


@cache
def shipped_total_model() -> TotalModel | None:
    """The packaged model, read once; None (rules only) when absent or stale."""
    try:
        model = model_from_json(json.loads(MODEL_PATH.read_text(encoding="utf-8")))
    except (OSError, ValueError) as exc:
        _log.info("no usable receipt total model (%s); using the rule weights", exc)
        return None
    if model is None:
        _log.warning("%s does not fit the current features; using the rule weights", MODEL_PATH)
    return model


_NOT_OVERRIDDEN = object()
_override: ContextVar[object] = ContextVar("receipt_total_model", default=_NOT_OVERRIDDEN)


def active_total_model() -> TotalModel | None:
    """The model extraction uses now: an override (see `using_total_model`), else the shipped one."""
    chosen = _override.get()
    if chosen is _NOT_OVERRIDDEN:
        return shipped_total_model()
    return chosen if isinstance(chosen, TotalModel) else None


@contextmanager
def using_total_model(model: TotalModel | None) -> Iterator[None]:
    """Extract with `model` (None: the rule weights) inside the block, e.g. per CV fold."""
    token = _override.set(model)
    try:
        yield
    finally:
        _override.reset(token)
