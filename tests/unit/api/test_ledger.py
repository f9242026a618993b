"""Idempotency keys and accepted documents survive a restart of the API process."""

from __future__ import annotations

import time
from pathlib import Path

from doclane.api.ledger import KEY_TTL_SECONDS, AcceptedDocument, Ledger


def _document(document_id: str) -> AcceptedDocument:
    return AcceptedDocument(document_id, "a.pdf", "application/pdf", 10, "0" * 64, time.time())


def test_a_done_key_returns_its_response_after_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    ledger = Ledger(path)
    assert ledger.claim("scope", "k1").claimed
    response = {"documents": [{"document_id": "d1"}]}
    ledger.record([_document("d1")], idempotency=("scope", "k1"), response=response)
    ledger.close()

    reopened = Ledger(path)
    assert reopened.recover() == 0
    again = reopened.claim("scope", "k1")
    assert not again.claimed
    assert again.response == response
    found = reopened.document("d1")
    assert found is not None
    assert (found.filename, found.content_type, found.size_bytes) == (
        "a.pdf",
        "application/pdf",
        10,
    )
    assert reopened.document("never-submitted") is None
    assert reopened.claim("other-caller", "k1").claimed  # keys are per API key


def test_a_key_in_progress_is_not_claimed_twice_and_a_failed_one_is_freed(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path / "ledger.sqlite3")
    assert ledger.claim("s", "k").claimed
    second = ledger.claim("s", "k")
    assert not second.claimed
    assert second.response is None  # in progress: the route answers 409
    ledger.release("s", "k")
    assert ledger.claim("s", "k").claimed


def test_keys_left_pending_by_a_dead_process_and_expired_keys_are_dropped_at_start(
    tmp_path: Path,
) -> None:
    path = tmp_path / "ledger.sqlite3"
    ledger = Ledger(path)
    ledger.claim("s", "pending")
    ledger.claim("s", "old")
    ledger.record([], idempotency=("s", "old"), response={"documents": []})
    ledger.close()
    reopened = Ledger(path)
    assert reopened.recover(now=time.time() + KEY_TTL_SECONDS + 1) == 2
    assert reopened.claim("s", "pending").claimed
    assert reopened.claim("s", "old").claimed
