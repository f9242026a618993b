"""Retry policy and the headers that carry a record's attempt."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from doclane.streaming.retries import (
    ATTEMPT_HEADER,
    RETRY_AT_HEADER,
    RetryPolicy,
    attempt_of,
    resume_headers,
    retry_at_ms,
    retry_headers,
)


def test_delays_grow_per_attempt_then_the_policy_gives_up() -> None:
    policy = RetryPolicy((1.0, 5.0, 25.0))
    assert [policy.delay_after(n) for n in (1, 2, 3, 4)] == [1.0, 5.0, 25.0, None]
    assert policy.max_attempts == 4
    assert RetryPolicy(()).delay_after(1) is None


def test_a_fresh_record_is_on_its_first_attempt() -> None:
    assert attempt_of(None) == 1
    assert attempt_of([]) == 1
    assert attempt_of([("other", b"x")]) == 1
    assert retry_at_ms(None) == 0


def test_retry_headers_replace_attempt_and_time_and_keep_the_rest() -> None:
    first = retry_headers([("trace", b"abc")], attempt=2, retry_at=1000)
    second = retry_headers(first, attempt=3, retry_at=2000)
    assert dict(second) == {"trace": b"abc", ATTEMPT_HEADER: b"3", RETRY_AT_HEADER: b"2000"}
    assert (attempt_of(second), retry_at_ms(second)) == (3, 2000)
    resumed = resume_headers(second)
    assert dict(resumed) == {"trace": b"abc", ATTEMPT_HEADER: b"3"}
    assert attempt_of({ATTEMPT_HEADER: b"4"}) == 4


@given(st.lists(st.tuples(st.text(max_size=20), st.binary(max_size=20)), max_size=6))
def test_garbage_headers_never_raise(headers: list[tuple[str, bytes]]) -> None:
    assert attempt_of(headers) >= 1
    assert isinstance(retry_at_ms(headers), int)
