"""Where the repository's files are, for tests that read them directly."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = REPO_ROOT / "schemas"
BUNDLED_VENDORS = REPO_ROOT / "doclane" / "data" / "vendors.csv"
BUNDLED_FX_RATES = REPO_ROOT / "doclane" / "data" / "fx_rates.csv"
CORE_GOLDEN = REPO_ROOT / "tests" / "unit" / "core" / "golden"
