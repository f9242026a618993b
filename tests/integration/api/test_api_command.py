"""`doclane api` with no key configured: it makes one, says so once, and is never open."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from doclane.settings import PROJECT_ROOT, Settings
from doclane.wire.topics import create_topics
from tests import ports

pytestmark = pytest.mark.broker


def _start(settings: Settings, log: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "DOCLANE_API_KEYS"}
    env.update(settings.to_env())
    env["KAFKA_BOOTSTRAP_SERVERS"] = settings.bootstrap_servers
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "doclane.cli", "api"],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )


def _wait_ready(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()
        try:
            if httpx.get(f"{url}/health/ready").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise AssertionError(log.read_text())


def test_a_generated_key_is_printed_once_kept_and_required(
    broker_bootstrap: str, tmp_path: Path
) -> None:
    unique = uuid.uuid4().hex[:10]
    slot = int(unique[:4], 16)
    _, sink_port = ports.per_test(slot)
    settings = replace(
        Settings.from_env({}),
        kafka_bootstrap_servers=broker_bootstrap,
        topic_prefix=f"t{unique}.",
        data_dir=tmp_path / "var",
        cache_dir=PROJECT_ROOT / ".cache",
        sink_port=sink_port,
        api_port=ports.per_test_api(slot),
        log_json=False,
    )
    create_topics(settings)
    url = f"http://127.0.0.1:{settings.api_port}"
    key_file = settings.data_dir / "api" / "api-key"
    for run in (1, 2):  # the second start reuses the key and does not print it
        log = tmp_path / f"api-{run}.log"
        process = _start(settings, log)
        try:
            _wait_ready(url, process, log)
            key = key_file.read_text().strip()
            upload = {"content": b"%PDF-1.4 tiny", "params": {"filename": "a.pdf"}}
            assert httpx.post(f"{url}/v1/documents", **upload).status_code == 401
            authorised = httpx.post(
                f"{url}/v1/documents", headers={"Authorization": f"Bearer {key}"}, **upload
            )
            assert authorised.status_code == 202
        finally:
            process.terminate()
            process.wait(30)
        output = log.read_text()
        assert (f"generated API key {key}" in output) == (run == 1), output
        assert f"key in {key_file}" in output or f"new key stored in {key_file}" in output
