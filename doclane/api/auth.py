"""API keys: `Authorization: Bearer <key>` or `X-API-Key: <key>` on every /v1 route.

Keys come from DOCLANE_API_KEYS. When none is configured, one is generated
at the first start and kept in `DOCLANE_DATA_DIR/api/api-key` (mode 0600),
so a local `doclane run` works at once and the API is never open.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from doclane.api.errors import UnauthorizedError
from doclane.settings import Secret, Settings


@dataclass(frozen=True)
class ApiKeys:
    keys: tuple[Secret, ...]
    generated: bool  # True: read from (or just written to) the key file
    path: Path | None = None

    def scope_of(self, presented: str | None) -> str | None:
        """The key's scope (a digest, safe to store) when the key is valid, else None."""
        if not presented:
            return None
        candidate = presented.encode()
        matched = None
        for key in self.keys:  # compare with every key, in constant time each
            if hmac.compare_digest(candidate, key.reveal().encode()):
                matched = key
        if matched is None:
            return None
        return hashlib.sha256(matched.reveal().encode()).hexdigest()[:16]


def key_file(settings: Settings) -> Path:
    return settings.data_dir / "api" / "api-key"


def load_api_keys(settings: Settings) -> tuple[ApiKeys, bool]:
    """The accepted keys, and whether one was generated just now."""
    if settings.api_keys:
        return ApiKeys(settings.api_keys, generated=False), False
    path = key_file(settings)
    if path.is_file():
        stored = path.read_text(encoding="utf-8").strip()
        if stored:
            return ApiKeys((Secret(stored),), generated=True, path=path), False
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(32)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        file.write(key + "\n")
    tmp.replace(path)
    return ApiKeys((Secret(key),), generated=True, path=path), True


# Declared as security schemes so the OpenAPI document (and /docs) shows both ways.
_bearer = HTTPBearer(auto_error=False, description="Authorization: Bearer <API key>")
_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="the API key")


def require_api_key(
    request: Request,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    header: Annotated[str | None, Depends(_header)],
) -> str:
    """FastAPI dependency: the caller's scope, or 401."""
    keys: ApiKeys = request.app.state.api_keys
    presented = bearer.credentials if bearer is not None else header
    scope = keys.scope_of(presented)
    if scope is None:
        raise UnauthorizedError(
            "a valid API key is required (Authorization: Bearer <key> or X-API-Key)"
        )
    return scope
