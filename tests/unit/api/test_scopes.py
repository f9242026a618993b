"""Every HTTP route of the API checks the key and its scope: 401 without, 403 with the wrong one."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest

from doclane.api.app import create_app
from doclane.api.auth import load_api_keys
from doclane.api.errors import UploadTooLargeError
from doclane.api.pages import COOKIE
from doclane.settings import Secret, Settings

ADMIN = "admin-key-" + "a" * 20


class _Client:
    """Requests straight into the ASGI app (no server, no lifespan)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        async def send() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(
                transport=transport, base_url="http://api", cookies=self.cookies
            ) as client:
                return await client.request(method, path, **kwargs)

        return asyncio.run(send())

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("get", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("post", path, **kwargs)


def _no_spool() -> Any:
    raise UploadTooLargeError("this test keeps no uploads")


class _Queue:
    def read(self, _filters: Any) -> dict[str, Any]:
        return {"total": 0, "by_type": [], "by_reason": [], "documents": []}


@pytest.fixture
def api(tmp_path: Path) -> Any:
    settings = replace(
        Settings.from_env({}), data_dir=tmp_path, api_keys=(Secret(ADMIN),), metrics_auth=True
    )
    keys, _ = load_api_keys(settings)
    app = create_app(settings, keys)
    # No lifespan (no broker): routes reached after the key check find these.
    app.state.services = SimpleNamespace(
        review=_Queue(), settings=settings, new_spool=_no_spool, ledger=None
    )
    assert keys.store is not None
    made = {scope: keys.store.create(scope, [scope])[1] for scope in ("submit", "review", "query")}
    return SimpleNamespace(client=_Client(app), keys=made)


def _bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


ROUTES = [  # (method, path, the scopes that open it; admin opens all)
    ("post", "/v1/documents", {"submit"}),
    ("get", "/v1/documents/no-such-id!", {"submit", "review"}),
    ("get", "/v1/documents/no-such-id!/events", {"submit", "review"}),
    ("get", "/v1/review", {"review"}),
    ("delete", "/v1/documents/no-such-id!", set()),
    ("post", "/v1/admin/forget", set()),
    ("get", "/metrics", {"query"}),
]


@pytest.mark.parametrize(("method", "path", "scopes"), ROUTES)
def test_no_key_is_401_with_a_json_error(
    api: Any, method: str, path: str, scopes: set[str]
) -> None:
    response = api.client.request(method, path)
    assert response.status_code == 401
    assert response.json()["error"] == "unauthorized"
    response = api.client.request(method, path, headers=_bearer("dlk_0000_wrong"))
    assert response.status_code == 401


@pytest.mark.parametrize(("method", "path", "scopes"), ROUTES)
def test_a_key_without_the_scope_is_403_and_one_with_it_passes(
    api: Any, method: str, path: str, scopes: set[str]
) -> None:
    for other, key in api.keys.items():
        response = api.client.request(method, path, headers={"X-API-Key": key})
        if other in scopes:
            assert response.status_code not in (401, 403), (other, path, response.text)
        else:
            assert response.status_code == 403, (other, path)
            assert response.json()["error"] == "forbidden"
    response = api.client.request(method, path, headers=_bearer(ADMIN))
    assert response.status_code not in (401, 403)


def test_the_review_page_signs_in_review_keys_only(api: Any) -> None:
    client = api.client
    assert client.get("/review").status_code == 401
    refused = client.post("/review/login", data={"key": api.keys["submit"]})
    assert refused.status_code == 403
    signed_in = client.post(
        "/review/login", data={"key": api.keys["review"]}, follow_redirects=False
    )
    assert signed_in.status_code == 303
    client.cookies[COOKIE] = api.keys["review"]
    assert client.get("/review").status_code == 200
    client.cookies[COOKIE] = api.keys["query"]
    assert client.get("/review").status_code == 403


def test_health_and_docs_stay_open(api: Any) -> None:
    assert api.client.get("/health/live").status_code == 200
    assert api.client.get("/docs").status_code == 200
