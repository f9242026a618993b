"""The review app as a clerk uses it, in a real headless Chromium (Debian's, driven over
the DevTools protocol): sign in, upload a PDF, open it when it lands, correct its total
in the form, and see the correction in ClickHouse and on the topics.

Screenshots of the queue, the document page (page image with boxes) and the dashboard
go to var/screenshots/; the README shows two of them (copied to docs/).
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest

from doclane.ops.reference import seed_reference_data
from doclane.ops.supervisor import Supervisor
from doclane.samples import iter_documents
from doclane.settings import PROJECT_ROOT, Secret, Settings
from doclane.wire.topics import Codecs, TopicNames, create_topics
from tests import ports
from tests.chromium import Chromium, chromium_path
from tests.kafka_tools import read_topic

pytestmark = [pytest.mark.broker, pytest.mark.e2e]

KEY = "browser-key-" + "b" * 24
SCREENSHOTS = PROJECT_ROOT / "var" / "screenshots"


@pytest.fixture(scope="module")
def pipeline(broker_bootstrap: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    unique = uuid.uuid4().hex[:10]
    slot = int(unique[:4], 16)
    web_port, sink_port = ports.per_test(slot)
    settings = replace(
        Settings.from_env({}),
        kafka_bootstrap_servers=broker_bootstrap,
        topic_prefix=f"b{unique}.",
        app_id=f"doclane-b{unique}",
        partitions=2,
        data_dir=tmp_path_factory.mktemp("browser") / "var",
        cache_dir=PROJECT_ROOT / ".cache",
        web_port=web_port,
        sink_port=sink_port,
        api_port=ports.per_test_api(slot),
        api_keys=(Secret(KEY),),
        parse_processes=1,
        sink_batch_seconds=0.3,
    )
    create_topics(settings)
    seed_reference_data(settings)
    supervisor = Supervisor(settings, api=True)
    try:
        supervisor.start()
        yield settings
    finally:
        supervisor.stop()


@pytest.fixture
def browser() -> Iterator[Chromium]:
    if chromium_path() is None:
        pytest.fail("chromium is not installed: `make browser` (make test) installs it")
    chromium = Chromium()
    try:
        yield chromium
    finally:
        chromium.close()


def _click(browser: Chromium, selector: str) -> None:
    browser.evaluate(f"document.querySelector({json.dumps(selector)}).click()")


def test_a_clerk_uploads_a_pdf_corrects_its_total_and_the_correction_lands(
    pipeline: Settings, browser: Chromium, tmp_path: Path
) -> None:
    base = f"http://127.0.0.1:{pipeline.api_port}"
    (invoice,) = iter_documents(1, seed=23, kinds=["invoice"], single_page=True)
    (letter,) = iter_documents(1, seed=59, kinds=["other"], single_page=True)
    upload = tmp_path / invoice.filename
    upload.write_bytes(invoice.payload)
    # Beside it, a letter the pipeline sends to review and a PDF it cannot read (a dead letter).
    (tmp_path / "letter.pdf").write_bytes(letter.payload)
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 50)

    browser.navigate(f"{base}/review")
    browser.wait_for("document.querySelector('input[name=key]')")
    browser.evaluate(
        f"document.querySelector('input[name=key]').value = {json.dumps(KEY)};"
        "document.querySelector('input[name=key]').form.submit()"
    )
    browser.wait_for("document.querySelector('form.upload')")
    browser.set_files(
        "form.upload input[type=file]",
        [upload, tmp_path / "letter.pdf", tmp_path / "broken.pdf"],
    )
    browser.evaluate("document.querySelector('form.upload').submit()")
    links = browser.wait_for(
        "document.querySelectorAll('ul.uploaded a').length === 3 && "
        "Object.fromEntries([...document.querySelectorAll('ul.uploaded a')]"
        ".map(a => [a.textContent, a.href]))"
    )
    href = links[invoice.filename]
    document_id = href.rsplit("/", 1)[-1]
    others = [link.rsplit("/", 1)[-1] for name, link in links.items() if name != invoice.filename]
    browser.navigate(href)
    # The page reloads itself until the document is stored, then shows the form.
    browser.wait_for("document.querySelector('button[value=correct]')", timeout=120)
    browser.wait_for(
        "[...document.querySelectorAll('img.page')].every(i => i.complete && i.naturalWidth > 0)"
        " && document.querySelectorAll('img.page').length > 0"
    )
    browser.screenshot(SCREENSHOTS / "review-document.png")

    if browser.evaluate("!!document.querySelector('input[name=\"field.total\"]')"):
        browser.evaluate("document.querySelector('input[name=\"field.total\"]').value = '4321,09'")
    else:
        browser.evaluate(
            "document.querySelector('select[name=new_field]').value = 'total';"
            "document.querySelector('input[name=new_value]').value = '4321,09'"
        )
    browser.evaluate("document.querySelector('input[name=comment]').value = 'total misread'")
    _click(browser, "button[value=correct]")
    browser.wait_for(f"!location.pathname.endsWith({json.dumps(document_id)})")

    client = httpx.Client(base_url=base, headers={"X-API-Key": KEY}, timeout=30)
    deadline = time.monotonic() + 60
    result: dict[str, Any] = {}
    while time.monotonic() < deadline:
        result = client.get(f"/v1/documents/{document_id}").json().get("result") or {}
        if result.get("result_version") == 2:
            break
        time.sleep(0.3)
    assert result.get("result_version") == 2, result
    total = next(f for f in result["fields"] if f["name"] == "total")
    assert (total["normalized_value"], total["source"]) == ("4321.09", "reviewer")
    assert result["status"] == "accepted"

    names, codecs = TopicNames.from_prefix(pipeline.topic_prefix), Codecs.from_settings(pipeline)
    (correction,) = [
        codecs.correction.decode(value)
        for key, value in read_topic(pipeline.bootstrap_servers, names.corrections)
        if key.decode() == document_id
    ]
    assert correction["comment"] == "total misread"
    assert [c["new_value"] for c in correction["changes"]] == ["4321.09"]
    published = [
        codecs.result.decode(value)["version"]
        for key, value in read_topic(pipeline.bootstrap_servers, names.results)
        if key.decode() == document_id
    ]
    assert sorted(published) == [1, 2]

    browser.navigate(f"{base}/review/{document_id}")
    browser.wait_for("document.body.textContent.includes('version 2')")
    for other in others:  # the letter in review and the dead letter, for the dashboard
        deadline = time.monotonic() + 60
        while not client.get(f"/v1/documents/{other}").json().get("done"):
            assert time.monotonic() < deadline, f"{other} never landed"
            time.sleep(0.3)
    browser.navigate(f"{base}/dashboard")
    browser.wait_for("document.body.textContent.includes('Reviewer decisions')")
    assert browser.evaluate("document.body.textContent.includes('correct')")
    browser.screenshot(SCREENSHOTS / "dashboard.png")
    assert browser.evaluate("document.body.textContent.includes('corrupt')")  # a DLQ reason
    browser.navigate(f"{base}/review")
    assert browser.evaluate(
        f"document.body.textContent.includes({json.dumps(others[0])}) || "
        f"document.body.textContent.includes({json.dumps(others[1])})"
    )
    assert not browser.evaluate(f"document.body.textContent.includes({json.dumps(document_id)})")
    browser.screenshot(SCREENSHOTS / "review-queue.png", full_page=False)
    client.close()
