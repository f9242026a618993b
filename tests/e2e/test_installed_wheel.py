"""A built wheel runs on its own: installed into a fresh virtualenv outside the repository,
`doclane run --exit-when-idle` from another directory starts its broker, workers and sink,
submits its generated samples and reports them from ClickHouse.

This is what a Docker image or a `pip install` user gets: the Avro schemas, the
ClickHouse migrations, the broker's configuration and the models must all come
from the package, never from the checkout.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from tests import ports
from tests.paths import REPO_ROOT

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

PACKAGE_DATA = (
    "doclane/wire/avsc/DocumentResult.avsc",
    "doclane/wire/avsc/history/DocumentResult/v1.avsc",
    "doclane/connectors/clickhouse/sql/schema.sql",
    "doclane/connectors/clickhouse/sql/migrations/001_documents.sql",
    "doclane/ops/broker/kafka/pom.xml",
    "doclane/ops/broker/kafka/server.properties.template",
    "doclane/core/extract/receipt/total_model.json",
    "doclane/data/vendors.csv",
)


def _run(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(command, capture_output=True, text=True, check=False, **kwargs)  # type: ignore[call-overload]
    assert done.returncode == 0, (
        f"{command[:3]} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    )
    return done


def test_the_wheel_runs_outside_the_repository(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(dist), str(REPO_ROOT)])
    (wheel,) = dist.glob("doclane-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert set(PACKAGE_DATA) <= names
    assert not any(name.startswith(("tests/", "streams/", "samples/")) for name in names)

    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    _run([str(env_dir / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel)], timeout=900)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DOCLANE_", "KAFKA_", "CLICKHOUSE_", "PYTHON", "VIRTUAL_ENV"))
    }
    env.update(
        {
            # The jars this checkout already fetched; the installed package would fetch
            # the same pinned version from Maven Central into the user's cache.
            "DOCLANE_CACHE_DIR": str(REPO_ROOT / ".cache"),
            "DOCLANE_BROKER_PORT": str(ports.WHEEL_BROKER),
            "DOCLANE_CONTROLLER_PORT": str(ports.WHEEL_BROKER + 1),
            "DOCLANE_WEB_PORT": str(ports.WHEEL_WEB),
            "DOCLANE_SINK_PORT": str(ports.WHEEL_SINK),
            "DOCLANE_API_PORT": str(ports.WHEEL_API),
            "DOCLANE_PARSE_PROCESSES": "1",
        }
    )
    done = _run(
        [str(env_dir / "bin" / "doclane"), "run", "--exit-when-idle", "--timeout", "240"],
        cwd=elsewhere,
        env=env,
        timeout=600,
    )
    output = done.stdout + done.stderr
    assert "submitted 24 documents" in output
    assert (elsewhere / "var" / "clickhouse").is_dir()  # ./var of the working directory
    assert (elsewhere / "var" / "samples" / "manifest.csv").is_file()  # generated, not bundled
    assert "FileNotFoundError" not in output
