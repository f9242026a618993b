"""`doclane keys create/list/revoke` as a user runs them, checked against what the HTTP
surfaces use to accept a key (`KeyChecker`)."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from doclane.security.keys import key_store_path, open_key_checker
from doclane.settings import Settings
from tests.kafka_tools import child_env

_CREATED = re.compile(
    r"^created key (?P<id>[0-9a-f]{12}) \((?P<name>[^;]+); (?P<scopes>[a-z,]+)\)$"
)
_SHOWN = re.compile(r"^API key \(shown once, only its hash is kept\): (?P<key>dlk_\S+)$")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return replace(Settings.from_env({}), data_dir=tmp_path / "var")


def _keys(settings: Settings, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "doclane", "keys", *argv],
        env=child_env(settings),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _create(settings: Settings, name: str, scopes: str) -> tuple[str, str]:
    done = _keys(settings, "create", name, "--scopes", scopes)
    assert done.returncode == 0, done.stderr
    created, shown = done.stdout.strip().splitlines()
    header, key = _CREATED.match(created), _SHOWN.match(shown)
    assert header is not None, created
    assert key is not None, shown
    assert header["name"] == name
    assert key["key"].startswith(f"dlk_{header['id']}_")
    return header["id"], key["key"]


def test_a_created_key_is_accepted_with_its_scopes_and_listed_without_its_secret(
    settings: Settings,
) -> None:
    key_id, key = _create(settings, "billing-clerk", "query,review")
    principal = open_key_checker(settings, generate=False).principal_of(key)
    assert principal is not None
    assert principal.key_id == key_id
    assert principal.name == "billing-clerk"
    assert principal.allows("review")
    assert principal.allows("query")
    assert not principal.allows("submit")
    assert not principal.allows("admin")

    listed = _keys(settings, "list")
    assert listed.returncode == 0, listed.stderr
    (line,) = listed.stdout.strip().splitlines()
    assert line.split()[:3] == [key_id, "active", "review,query"]
    assert line.endswith("billing-clerk")
    secret = key.split("_", 2)[2]
    assert secret not in listed.stdout
    dump = "\n".join(sqlite3.connect(key_store_path(settings)).iterdump())
    assert secret not in dump  # only the digest is kept


def test_a_revoked_key_is_refused_at_once_and_the_others_keep_working(
    settings: Settings,
) -> None:
    revoked_id, revoked_key = _create(settings, "laptop-lost", "submit")
    kept_id, kept_key = _create(settings, "scanner", "submit")
    checker = open_key_checker(settings, generate=False)  # one long-lived checker, as the API has
    assert checker.principal_of(revoked_key) is not None

    done = _keys(settings, "revoke", revoked_id)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"revoked key {revoked_id}"
    assert checker.principal_of(revoked_key) is None
    kept = checker.principal_of(kept_key)
    assert kept is not None
    assert kept.key_id == kept_id

    states = {
        line.split()[0]: line.split()[1]
        for line in _keys(settings, "list").stdout.strip().splitlines()
    }
    assert states == {revoked_id: "revoked", kept_id: "active"}

    again = _keys(settings, "revoke", revoked_id)
    assert again.returncode == 1
    assert again.stderr.strip() == f"doclane: [error] no active key {revoked_id}"


def test_unknown_scopes_are_refused_and_create_nothing(settings: Settings) -> None:
    done = _keys(settings, "create", "intruder", "--scopes", "submit,root")
    assert done.returncode == 1
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("doclane: [bad_configuration] scopes must be among ")
    assert "root" in line
    assert "dlk_" not in done.stdout
    assert _keys(settings, "list").stdout.strip() == ""
