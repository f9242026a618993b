"""The label table compiled: one alternation per field, each label a named group.

A match's group name says which label it was and hence its weight. When
every label of a field starts at a word boundary, one `\\b` before the
alternation turns most positions of a line down at once instead of label by
label; the matches (span and label) are the same as the plain alternation's.
"""

from __future__ import annotations

import re

from doclane.core.extract.labels.table import LABELS

# A label pattern whose every match starts where a word starts or ends: `\b` first, or
# after lookbehinds (zero-width, so the boundary is at the same position).
_STARTS_AT_BOUNDARY = re.compile(r"(?:\(\?<[!=][^()]*\))*\\b")


def compile_labels(field: str) -> tuple[re.Pattern[str], dict[str, float]]:
    """The field's alternation, and the weight of each label by its group name."""
    weights = {}
    parts = []
    for index, (pattern, weight) in enumerate(LABELS[field]):
        name = f"{field}_{index}"
        weights[name] = weight
        parts.append(f"(?P<{name}>{pattern})")
    alternation = "|".join(parts)
    if all(starts_at_boundary(pattern) for pattern, _ in LABELS[field]):
        alternation = rf"\b(?:{alternation})"
    return re.compile(alternation, re.IGNORECASE), weights


def starts_at_boundary(pattern: str) -> bool:
    """Whether every match of `pattern` starts at a word boundary."""
    return _STARTS_AT_BOUNDARY.match(pattern) is not None and not _top_level_bar(pattern)


def _top_level_bar(pattern: str) -> bool:
    """Whether `pattern` is an alternation itself ("a|b"), outside any group or set."""
    depth, index, in_set = 0, 0, False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 1  # the escaped char is skipped below
        elif in_set:
            in_set = char != "]"
        elif char == "[":
            in_set = True
            index += pattern.startswith("^", index + 1)  # a negated set
            index += pattern.startswith("]", index + 1)  # "]" first in a set is a literal
        elif char in "()":
            depth += 1 if char == "(" else -1
        elif char == "|" and depth == 0:
            return True
        index += 1
    return False
