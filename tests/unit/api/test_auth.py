"""API keys: configured ones, or one generated and kept under the data directory."""

from __future__ import annotations

import stat
from dataclasses import replace
from pathlib import Path

from doclane.api.auth import ApiKeys, key_file, load_api_keys
from doclane.settings import Secret, Settings


def test_without_configured_keys_one_is_generated_once_and_kept_private(tmp_path: Path) -> None:
    settings = replace(Settings.from_env({}), data_dir=tmp_path)
    first, generated = load_api_keys(settings)
    assert generated
    assert len(first.keys[0]) >= 40
    assert stat.S_IMODE(key_file(settings).stat().st_mode) == 0o600
    again, generated_again = load_api_keys(settings)
    assert not generated_again
    assert again.keys == first.keys


def test_configured_keys_are_used_and_nothing_is_written(tmp_path: Path) -> None:
    settings = replace(
        Settings.from_env({"DOCLANE_API_KEYS": "k" * 20 + ",q" + "w" * 20}), data_dir=tmp_path
    )
    keys, generated = load_api_keys(settings)
    assert not generated
    assert keys.scope_of("k" * 20) is not None
    assert keys.scope_of("q" + "w" * 20) is not None
    assert not key_file(settings).exists()


def test_a_wrong_or_missing_key_has_no_scope_and_scopes_differ_per_key() -> None:
    keys = ApiKeys((Secret("a" * 20), Secret("b" * 20)), generated=False)
    assert keys.scope_of(None) is None
    assert keys.scope_of("") is None
    assert keys.scope_of("a" * 19) is None
    assert keys.scope_of("a" * 20) != keys.scope_of("b" * 20)
    assert "a" * 20 not in str(keys.scope_of("a" * 20))
