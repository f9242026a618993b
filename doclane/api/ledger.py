"""What the API remembers across restarts: idempotency keys and the documents it accepted.

A small SQLite file under `DOCLANE_DATA_DIR/api/`. Why SQLite and not a
compacted topic: an Idempotency-Key needs an atomic claim (two concurrent
retries must not both submit), which a primary key gives in one statement,
and it must be readable at once after a restart, not after replaying a topic.
The API process is the file's only writer. WAL with `synchronous=NORMAL`
keeps every committed transaction through a crash of the process (the
operating system crashing may lose the last ones). With several API replicas
on several hosts the map would have to move to a shared store.

The documents table lets `GET /v1/documents/{id}` answer "processing" for a
document accepted here but not yet in ClickHouse, and 404 for an id nobody
submitted through the API.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

# How long a completed key is kept: a client retries within minutes, not days.
KEY_TTL_SECONDS = 24 * 3600

_SCHEMA = """
CREATE TABLE IF NOT EXISTS idempotency_keys (
    scope      TEXT NOT NULL,   -- which API key made the request (a digest, not the key)
    key        TEXT NOT NULL,
    state      TEXT NOT NULL,   -- pending | done
    response   TEXT,            -- the 202 body, JSON, once done
    created_at REAL NOT NULL,
    PRIMARY KEY (scope, key)
);
CREATE TABLE IF NOT EXISTS documents (
    document_id  TEXT PRIMARY KEY,
    filename     TEXT,
    content_type TEXT NOT NULL,
    size_bytes   INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    submitted_at REAL NOT NULL
);
"""


@dataclass(frozen=True)
class Claim:
    """The outcome of claiming an Idempotency-Key: ours to use, or the stored response."""

    claimed: bool
    response: dict[str, object] | None = None  # set when the key was done before


@dataclass(frozen=True)
class AcceptedDocument:
    document_id: str
    filename: str | None
    content_type: str
    size_bytes: int
    sha256: str
    submitted_at: float


class Ledger:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)

    def recover(self, now: float | None = None) -> int:
        """At start: drop keys left pending by a process that died, and expired ones.

        This process is the only writer, so a pending key at start belongs to a
        request that never answered; its client retries and is served afresh.
        """
        now = time.time() if now is None else now
        with self._lock:
            cursor = self._db.execute(
                "DELETE FROM idempotency_keys WHERE state = 'pending' OR created_at < ?",
                (now - KEY_TTL_SECONDS,),
            )
            return cursor.rowcount

    def claim(self, scope: str, key: str) -> Claim:
        with self._lock:
            try:
                self._db.execute(
                    "INSERT INTO idempotency_keys (scope, key, state, created_at) VALUES (?, ?, 'pending', ?)",
                    (scope, key, time.time()),
                )
                return Claim(claimed=True)
            except sqlite3.IntegrityError:
                row = self._db.execute(
                    "SELECT state, response FROM idempotency_keys WHERE scope = ? AND key = ?",
                    (scope, key),
                ).fetchone()
        if row is None:  # released between the two statements: try once more
            return self.claim(scope, key)
        state, response = row
        return Claim(claimed=False, response=json.loads(response) if state == "done" else None)

    def release(self, scope: str, key: str) -> None:
        """The request failed: the key is free for a retry."""
        with self._lock:
            self._db.execute(
                "DELETE FROM idempotency_keys WHERE scope = ? AND key = ? AND state = 'pending'",
                (scope, key),
            )

    def record(
        self,
        documents: list[AcceptedDocument],
        *,
        idempotency: tuple[str, str] | None,
        response: dict[str, object],
    ) -> None:
        """The documents were acknowledged by the broker: remember them (and the key's answer)."""
        with self._lock:
            self._db.execute("BEGIN")
            try:
                self._db.executemany(
                    "INSERT OR REPLACE INTO documents VALUES (?, ?, ?, ?, ?, ?)",
                    [
                        (d.document_id, d.filename, d.content_type, d.size_bytes, d.sha256,
                         d.submitted_at)
                        for d in documents
                    ],
                )  # fmt: skip
                if idempotency is not None:
                    self._db.execute(
                        "UPDATE idempotency_keys SET state = 'done', response = ? WHERE scope = ? AND key = ?",
                        (json.dumps(response), *idempotency),
                    )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def document(self, document_id: str) -> AcceptedDocument | None:
        with self._lock:
            row = self._db.execute(
                "SELECT * FROM documents WHERE document_id = ?", (document_id,)
            ).fetchone()
        return AcceptedDocument(*row) if row else None

    def forget(self, document_id: str) -> tuple[int, str | None]:
        """Erase the document's row and every idempotency answer naming it (GDPR erasure).

        Returns the entries removed and the document's content hash, if it was here.
        """
        pattern = (
            "%" + document_id.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        )
        with self._lock:
            row = self._db.execute(
                "SELECT sha256 FROM documents WHERE document_id = ?", (document_id,)
            ).fetchone()
            removed = self._db.execute(
                "DELETE FROM documents WHERE document_id = ?", (document_id,)
            ).rowcount
            removed += self._db.execute(
                "DELETE FROM idempotency_keys WHERE response LIKE ? ESCAPE '\\'", (pattern,)
            ).rowcount
        return removed, row[0] if row else None

    def close(self) -> None:
        with self._lock:
            self._db.close()
