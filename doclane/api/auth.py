"""API keys on the HTTP API: `Authorization: Bearer <key>` or `X-API-Key: <key>`.

Keys come from the key store (`doclane keys create`), from DOCLANE_API_KEYS, or,
when none is configured, from the key generated at the first start and kept in
`DOCLANE_DATA_DIR/api/api-key` (mode 0600), so a local `doclane run` works at
once and the API is never open. No key or an unknown one: 401; a valid key
without the route's scope: 403. Routes receive the caller as a `Principal`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from doclane.api.errors import ForbiddenError, UnauthorizedError
from doclane.security.keys import (
    KeyChecker,
    KeyStore,
    Principal,
    generated_key_file,
    key_store_path,
    read_or_generate_key,
)
from doclane.settings import Secret, Settings


@dataclass(frozen=True)
class ApiKeys:
    keys: tuple[Secret, ...]  # the configured or generated keys (not the stored ones)
    generated: bool  # True: read from (or just written to) the key file
    path: Path | None = None
    store: KeyStore | None = None
    scopes: frozenset[str] = frozenset({"admin"})  # of `keys`

    def principal_of(self, presented: str | None) -> Principal | None:
        return KeyChecker(self.keys, self.scopes, self.store).principal_of(presented)

    def scope_of(self, presented: str | None) -> str | None:
        """The key's id (safe to store: it names the key, it is not the key) when valid."""
        principal = self.principal_of(presented)
        return principal.key_id if principal is not None else None


def key_file(settings: Settings) -> Path:
    return generated_key_file(settings)


def load_api_keys(settings: Settings) -> tuple[ApiKeys, bool]:
    """The accepted keys, and whether the first-start key was generated just now."""
    store = KeyStore(key_store_path(settings))
    scopes = frozenset(settings.api_key_scopes)
    if settings.api_keys:
        return ApiKeys(settings.api_keys, False, store=store, scopes=scopes), False
    path = key_file(settings)
    key, generated = read_or_generate_key(path)
    return ApiKeys((Secret(key),), True, path=path, store=store, scopes=scopes), generated


# Declared as security schemes so the OpenAPI document (and /docs) shows both ways.
_bearer = HTTPBearer(auto_error=False, description="Authorization: Bearer <API key>")
_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="the API key")


def authenticated(
    request: Request,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    header: Annotated[str | None, Depends(_header)],
) -> Principal:
    """FastAPI dependency: the caller, or 401."""
    keys: ApiKeys = request.app.state.api_keys
    presented = bearer.credentials if bearer is not None else header
    principal = keys.principal_of(presented)
    if principal is None:
        raise UnauthorizedError(
            "a valid API key is required (Authorization: Bearer <key> or X-API-Key)"
        )
    return principal


def require_scope(*scopes: str) -> Callable[[Principal], Principal]:
    """A dependency that admits a key holding any of `scopes` (admin holds all), else 403."""

    def check(principal: Annotated[Principal, Depends(authenticated)]) -> Principal:
        if not any(principal.allows(scope) for scope in scopes):
            raise ForbiddenError(
                f"this API key (id {principal.key_id}) lacks the scope "
                f"{' or '.join(scopes)} this route needs"
            )
        return principal

    return check


def require_api_key(principal: Annotated[Principal, Depends(authenticated)]) -> str:
    """Any valid key; returns its id (kept for callers of the former single-scope API)."""
    return principal.key_id


# Route parameters: `caller: SubmitCaller` gives the handler the Principal (key id for audit rows).
SubmitCaller = Annotated[Principal, Depends(require_scope("submit"))]
ReadCaller = Annotated[Principal, Depends(require_scope("submit", "review"))]
ReviewCaller = Annotated[Principal, Depends(require_scope("review"))]
AdminCaller = Annotated[Principal, Depends(require_scope("admin"))]
