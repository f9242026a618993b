"""The key store: keys are shown once, kept as digests, scoped, revocable."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from doclane.exceptions import ConfigurationError
from doclane.security.keys import (
    KeyChecker,
    KeyStore,
    parse_scopes,
    read_or_generate_key,
)
from doclane.settings import Secret


def test_a_created_key_authenticates_with_its_scopes_and_is_stored_only_as_a_digest(
    tmp_path: Path,
) -> None:
    store = KeyStore(tmp_path / "keys.sqlite3")
    record, key = store.create("clerk", ["review"])
    principal = store.principal_of(key)
    assert principal is not None
    assert principal.key_id == record.key_id
    assert principal.name == "clerk"
    assert principal.allows("review")
    assert not principal.allows("submit")
    dump = "\n".join(sqlite3.connect(tmp_path / "keys.sqlite3").iterdump())
    assert key not in dump
    assert key.split("_", 2)[2] not in dump


def test_a_wrong_secret_for_a_real_key_id_and_a_revoked_key_are_refused(tmp_path: Path) -> None:
    store = KeyStore(tmp_path / "keys.sqlite3")
    record, key = store.create("bot", ["submit"])
    assert store.principal_of(key[:-1] + ("A" if key[-1] != "A" else "B")) is None
    assert store.revoke(record.key_id)
    assert store.principal_of(key) is None
    assert not store.revoke(record.key_id)  # already revoked
    assert [k.revoked_at is not None for k in store.list()] == [True]


def test_admin_holds_every_scope_and_unknown_scopes_are_refused() -> None:
    checker = KeyChecker((Secret("x" * 20),), frozenset({"admin"}), None)
    principal = checker.principal_of("x" * 20)
    assert principal is not None
    assert all(principal.allows(s) for s in ("submit", "review", "query", "admin"))
    assert "x" * 20 not in principal.key_id
    with pytest.raises(ConfigurationError):
        parse_scopes("submit,root")
    with pytest.raises(ConfigurationError):
        parse_scopes("")


def test_configured_keys_take_the_configured_scopes(tmp_path: Path) -> None:
    checker = KeyChecker((Secret("y" * 20),), frozenset({"submit"}), KeyStore(tmp_path / "k.db"))
    principal = checker.principal_of("y" * 20)
    assert principal is not None
    assert principal.scopes == {"submit"}
    assert checker.principal_of("y" * 19) is None
    assert checker.principal_of(None) is None


def test_processes_starting_together_agree_on_one_generated_key(tmp_path: Path) -> None:
    path = tmp_path / "api" / "api-key"
    results: list[tuple[str, bool]] = []
    threads = [
        threading.Thread(target=lambda: results.append(read_or_generate_key(path)))
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({key for key, _ in results}) == 1
    assert sum(made for _, made in results) == 1
    assert path.read_text().strip() == results[0][0]
    assert [p.name for p in path.parent.iterdir()] == ["api-key"]  # no temporary file left
