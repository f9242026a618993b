"""Classification: which kind of document a text is, with a probability per type."""

from __future__ import annotations

from doclane.core.classify.classifier import classify_document

__all__ = ["classify_document"]
