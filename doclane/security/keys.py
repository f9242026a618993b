"""API keys: scoped, stored as digests, checked in constant time.

A key made by `doclane keys create` reads ``dlk_<key id>_<secret>``; the key
store (SQLite, ``DOCLANE_DATA_DIR/api/keys.sqlite3``) keeps its id, name,
scopes and the SHA-256 of the whole key, never the key. SHA-256 and not a slow
hash (scrypt, PBKDF2): the secret is 256 random bits, so nothing is gained by
slowing down a guess, and every request pays the check. Keys from
DOCLANE_API_KEYS and the generated first-start key (``api/api-key``) keep
working, with the scopes of DOCLANE_API_KEY_SCOPES (default: admin).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from doclane.exceptions import ConfigurationError
from doclane.settings import API_SCOPES, Secret, Settings

SCOPES = API_SCOPES
KEY_PREFIX = "dlk_"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS api_keys (
    key_id     TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    scopes     TEXT NOT NULL,   -- comma-separated, among SCOPES
    digest     TEXT NOT NULL,   -- sha256 hex of the whole key
    created_at REAL NOT NULL,
    revoked_at REAL
);
"""


@dataclass(frozen=True)
class Principal:
    """The caller a valid key stands for; `key_id` is safe to store in audit rows."""

    key_id: str
    name: str
    scopes: frozenset[str]

    def allows(self, scope: str) -> bool:
        return scope in self.scopes or "admin" in self.scopes


@dataclass(frozen=True)
class StoredKey:
    key_id: str
    name: str
    scopes: tuple[str, ...]
    created_at: float
    revoked_at: float | None


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def parse_scopes(raw: str | Iterable[str]) -> tuple[str, ...]:
    wanted = [s.strip() for s in (raw.split(",") if isinstance(raw, str) else raw) if s.strip()]
    unknown = [s for s in wanted if s not in SCOPES]
    if unknown or not wanted:
        raise ConfigurationError(
            f"scopes must be among {', '.join(SCOPES)}, got {','.join(wanted) or 'none'}"
        )
    return tuple(s for s in SCOPES if s in wanted)


def key_store_path(settings: Settings) -> Path:
    return settings.data_dir / "api" / "keys.sqlite3"


class KeyStore:
    """The created keys. Every process that checks keys reads the same file."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)

    def create(self, name: str, scopes: Iterable[str]) -> tuple[StoredKey, str]:
        """A new key: its record, and the key itself (shown once, never stored)."""
        checked = parse_scopes(list(scopes))
        key_id = secrets.token_hex(6)
        key = f"{KEY_PREFIX}{key_id}_{secrets.token_urlsafe(32)}"
        record = StoredKey(key_id, name, checked, time.time(), None)
        with self._lock:
            self._db.execute(
                "INSERT INTO api_keys VALUES (?, ?, ?, ?, ?, NULL)",
                (key_id, name, ",".join(checked), digest(key), record.created_at),
            )
        return record, key

    def list(self) -> list[StoredKey]:
        with self._lock:
            rows = self._db.execute(
                "SELECT key_id, name, scopes, created_at, revoked_at FROM api_keys ORDER BY created_at"
            ).fetchall()
        return [StoredKey(r[0], r[1], tuple(r[2].split(",")), r[3], r[4]) for r in rows]

    def revoke(self, key_id: str) -> bool:
        with self._lock:
            cursor = self._db.execute(
                "UPDATE api_keys SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL",
                (time.time(), key_id),
            )
        return cursor.rowcount == 1

    def principal_of(self, presented: str) -> Principal | None:
        """The key's principal when it is a stored, unrevoked key (read afresh: revocation
        takes effect on the next request)."""
        parts = presented.split("_", 2)
        if len(parts) != 3 or f"{parts[0]}_" != KEY_PREFIX:
            return None
        with self._lock:
            row = self._db.execute(
                "SELECT name, scopes, digest FROM api_keys WHERE key_id = ? AND revoked_at IS NULL",
                (parts[1],),
            ).fetchone()
        if row is None or not hmac.compare_digest(digest(presented), row[2]):
            return None
        return Principal(parts[1], row[0], frozenset(row[1].split(",")))

    def close(self) -> None:
        with self._lock:
            self._db.close()


def generated_key_file(settings: Settings) -> Path:
    return settings.data_dir / "api" / "api-key"


def read_or_generate_key(path: Path) -> tuple[str, bool]:
    """The first-start key kept in `path` (mode 0600), and whether it was made just now.

    Several processes (API, sink) may start at once: the key is written to a
    temporary file and linked into place, so exactly one of them wins and the
    others read the winner's key.
    """
    if path.is_file() and (stored := path.read_text(encoding="utf-8").strip()):
        return stored, False
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(32)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        file.write(key + "\n")
    try:
        os.link(tmp, path)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip(), False
    finally:
        tmp.unlink()
    return key, True


@dataclass
class KeyChecker:
    """Every key a process accepts: configured (env or generated file) keys, then the store."""

    static_keys: tuple[Secret, ...]
    static_scopes: frozenset[str]
    store: KeyStore | None

    def principal_of(self, presented: str | None) -> Principal | None:
        if not presented:
            return None
        if self.store is not None and presented.startswith(KEY_PREFIX):
            found = self.store.principal_of(presented)
            if found is not None:
                return found
        candidate = digest(presented).encode()
        matched: Secret | None = None
        for key in self.static_keys:  # compare with every key, in constant time each
            if hmac.compare_digest(candidate, digest(key.reveal()).encode()):
                matched = key
        if matched is None:
            return None
        key_id = "env-" + digest(matched.reveal())[:12]
        return Principal(key_id, "configured key", self.static_scopes)


def open_key_checker(settings: Settings, *, generate: bool = True) -> KeyChecker:
    """Env keys, else the generated key file (made if absent and `generate`), plus the store."""
    if settings.api_keys:
        static: tuple[Secret, ...] = settings.api_keys
    else:
        path = generated_key_file(settings)
        if generate:
            static = (Secret(read_or_generate_key(path)[0]),)
        elif path.is_file():
            static = (Secret(path.read_text(encoding="utf-8").strip()),)
        else:
            static = ()
    return KeyChecker(
        static, frozenset(settings.api_key_scopes), KeyStore(key_store_path(settings))
    )


def client_key(settings: Settings) -> str | None:
    """The key doclane's own clients (CLI, API) present to the sink's query port."""
    if settings.api_keys:
        return settings.api_keys[0].reveal()
    return read_or_generate_key(generated_key_file(settings))[0]
