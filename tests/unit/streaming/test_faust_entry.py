"""`faust -A streams.app`: the repository's thin entry finds the real topology."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

from tests.paths import REPO_ROOT


def test_importing_the_entry_builds_nothing() -> None:
    module = importlib.import_module("streams.app")
    assert "app" not in vars(module)


def test_fausts_own_command_line_lists_the_four_stages(tmp_path: Path) -> None:
    env = {**os.environ, "DOCLANE_DATA_DIR": str(tmp_path), "DOCLANE_TOPIC_PREFIX": "entry."}
    done = subprocess.run(
        [str(Path(sys.executable).with_name("faust")), "-A", "streams.app", "agents"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    for stage, topic in (
        ("classify", "entry.ingest"),
        ("extract", "entry.classified"),
        ("validate", "entry.extracted"),
        ("enrich", "entry.validated"),
    ):
        assert f"@doclane.{stage} " in done.stdout
        assert topic in done.stdout
