"""Shared helpers of the sample generator's tests."""

from __future__ import annotations

import pytest

from doclane.samples import GeneratedDocument, iter_documents


@pytest.fixture(scope="session")
def mixed_documents() -> list[GeneratedDocument]:
    """A few hundred documents in the default mix; generated once per session."""
    return list(iter_documents(300, seed=11))
