"""The parse pool under small limits, shared by the tests that try to break it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from doclane.streaming.pool import ParsePool

# Small enough that a test can exceed them quickly, large enough for real documents.
CPU_SECONDS = 3
MEMORY_BYTES = 256 * 1024 * 1024
MAX_INPUT_BYTES = 8 * 1024 * 1024


@pytest.fixture(scope="package")
def pool() -> Iterator[ParsePool]:
    """Two parse processes for the whole package; each test runs on its own event loop."""
    parse_pool = ParsePool(
        2,
        cpu_seconds=CPU_SECONDS,
        memory_bytes=MEMORY_BYTES,
        max_input_bytes=MAX_INPUT_BYTES,
        wall_seconds=30,
    )
    try:
        yield parse_pool
    finally:
        parse_pool.shutdown(wait=True)
