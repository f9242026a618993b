"""Submitting documents to the ingest topic: files, directories and globs.

Each file becomes one DocumentSubmitted record keyed by its new document id.
Large files travel by claim-check; a file that cannot be read or is over the
size limit becomes a dead-letter record at once, so nothing is silently lost.
"""

from __future__ import annotations

import glob
import hashlib
import mimetypes
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from confluent_kafka import KafkaException, Producer

from doclane.exceptions import SubmissionError
from doclane.settings import Settings
from doclane.streaming.blobs import open_blob_store
from doclane.wire.clients import client_config
from doclane.wire.records import dead_letter, utc_now
from doclane.wire.security import check_kafka_access
from doclane.wire.topics import MAX_MESSAGE_BYTES, Codecs, TopicNames

_SNIFFED = (
    (b"%PDF", "application/pdf"),
    (b"<?xml", "application/xml"),
    (b"PK\x03\x04", "application/zip"),
)
_LABEL_NAMES = frozenset({"manifest.csv"})


@dataclass(frozen=True)
class Submission:
    document_id: str
    path: str
    size_bytes: int
    accepted: bool  # False: it went straight to the dead-letter topic
    reason: str = ""


@dataclass
class SubmitSummary:
    submissions: list[Submission] = field(default_factory=list)

    @property
    def accepted(self) -> list[Submission]:
        return [s for s in self.submissions if s.accepted]

    @property
    def rejected(self) -> list[Submission]:
        return [s for s in self.submissions if not s.accepted]


def expand_paths(patterns: Iterable[str]) -> list[Path]:
    """Files named directly, found under directories (recursively), or matched by globs.

    Under a directory, label files of a corpus (``<document>.json`` beside the
    document, ``manifest.csv``) are skipped.
    """
    found: list[Path] = []
    for pattern in patterns:
        path = Path(pattern)
        if path.is_dir():
            found.extend(p for p in sorted(path.rglob("*")) if p.is_file() and not _is_label(p))
        elif path.exists():
            found.append(path)
        else:
            matches = sorted(Path(m) for m in glob.glob(pattern, recursive=True))
            if not matches:
                raise SubmissionError(f"no file matches {pattern!r}", reason_code="no_such_file")
            found.extend(p for p in matches if p.is_file())
    return found


def _is_label(path: Path) -> bool:
    if path.name in _LABEL_NAMES:
        return True
    return path.suffix == ".json" and path.with_suffix("").exists()


def guess_content_type(payload: bytes, filename: str | None) -> str:
    for magic, content_type in _SNIFFED:
        if payload.startswith(magic):
            return content_type
    guessed, _ = mimetypes.guess_type(filename or "")
    return guessed or "application/octet-stream"


class Submitter:
    """Produces DocumentSubmitted records; reuse one for many files."""

    def __init__(self, settings: Settings, *, source: str = "cli") -> None:
        self.settings = settings
        self.source = source
        self.names = TopicNames.from_prefix(settings.topic_prefix)
        self.codecs = Codecs.from_settings(settings)
        self.blobs = open_blob_store(settings)
        self._errors: list[str] = []
        check_kafka_access(settings)  # a wrong password or CA fails here, not in a silent retry
        self.producer = Producer(
            client_config(
                settings,
                **{
                    "enable.idempotence": True,
                    "acks": "all",
                    "linger.ms": 5,
                    "message.max.bytes": MAX_MESSAGE_BYTES,
                },
            )
        )

    def submit_bytes(
        self,
        payload: bytes,
        *,
        filename: str | None,
        content_type: str | None = None,
        correlation_id: str | None = None,
        metadata: dict[str, str] | None = None,
        document_id: str | None = None,
    ) -> Submission:
        document_id = document_id or uuid.uuid4().hex
        size = len(payload)
        if size > self.settings.max_document_bytes:
            reason = f"{size} bytes is over the {self.settings.max_document_bytes}-byte limit"
            self._reject(document_id, filename, "document_too_large", reason)
            return Submission(document_id, filename or "", size, accepted=False, reason=reason)
        inline = size <= self.settings.claim_check_threshold
        value = self.encode_submission(
            document_id=document_id,
            filename=filename,
            content_type=content_type or guess_content_type(payload, filename),
            size=size,
            sha256=hashlib.sha256(payload).hexdigest(),
            payload=payload if inline else None,
            claim_check_uri=None if inline else self.blobs.put(payload),
            correlation_id=correlation_id,
            metadata=metadata,
        )
        self._produce(self.names.ingest, document_id.encode(), value)
        return Submission(document_id, filename or "", size, accepted=True)

    def encode_submission(
        self,
        *,
        document_id: str,
        filename: str | None,
        content_type: str,
        size: int,
        sha256: str,
        payload: bytes | None,
        claim_check_uri: str | None,
        correlation_id: str | None = None,
        metadata: dict[str, str] | None = None,
    ) -> bytes:
        """The ingest record's value for a document whose bytes are inline or already claimed.

        Callers that stream a payload into the blob store themselves (the HTTP
        API) produce this value on their own producer.
        """
        record = {
            "document_id": document_id,
            "correlation_id": correlation_id or document_id,
            "source": self.source,
            "filename": filename,
            "content_type": content_type,
            "size_bytes": size,
            "sha256": sha256,
            "payload": payload,
            "claim_check_uri": claim_check_uri,
            "submitted_at": utc_now(),
            "priority": 0,
            "metadata": dict(metadata or {}),
            "parent_id": None,
            "path": None,
        }
        return self.codecs.submitted.encode(record, self.names.ingest)

    def submit_file(self, path: Path, **kwargs: object) -> Submission:
        try:
            payload = path.read_bytes()
        except OSError as exc:
            document_id = uuid.uuid4().hex
            reason = f"cannot read {path}: {exc.strerror or exc}"
            self._reject(document_id, str(path), "file_unreadable", reason)
            return Submission(document_id, str(path), 0, accepted=False, reason=reason)
        return self.submit_bytes(payload, filename=path.name, **kwargs)  # type: ignore[arg-type]

    def submit_paths(
        self, paths: Iterable[Path], *, progress: bool = False, **kwargs: object
    ) -> SubmitSummary:
        summary = SubmitSummary()
        for path in _progress(list(paths), progress):
            summary.submissions.append(self.submit_file(path, **kwargs))
        self.flush()
        return summary

    def flush(self, timeout: float = 30.0) -> None:
        remaining = self.producer.flush(timeout)
        if remaining or self._errors:
            errors, self._errors = self._errors, []
            raise SubmissionError(
                f"{remaining} records not delivered; errors: {'; '.join(errors[:5]) or 'timeout'}",
                reason_code="delivery_failed",
            )

    def _produce(self, topic: str, key: bytes, value: bytes) -> None:
        def on_delivery(err: object, _msg: object) -> None:
            if err is not None:
                self._errors.append(str(err))

        while True:
            try:
                self.producer.produce(topic, key=key, value=value, on_delivery=on_delivery)
                break
            except BufferError:  # local queue full: let deliveries drain
                self.producer.poll(0.5)
            except KafkaException as exc:
                raise SubmissionError(
                    f"cannot produce to {topic}: {exc}", reason_code="delivery_failed"
                ) from exc
        self.producer.poll(0)

    def _reject(
        self, document_id: str, filename: str | None, reason_code: str, message: str
    ) -> None:
        letter = dead_letter(
            stage="submit",
            reason_code=reason_code,
            message=message,
            original_topic=self.names.ingest,
            original_partition=-1,
            original_offset=-1,
            original_key=document_id.encode(),
            original_value=None,
            record={"document_id": document_id, "filename": filename, "submitted_at": utc_now()},
        )
        self._produce(
            self.names.dlq,
            document_id.encode(),
            self.codecs.dead_letter.encode(letter, self.names.dlq),
        )


def _progress(paths: list[Path], enabled: bool) -> Iterator[Path]:
    if not enabled:
        yield from paths
        return
    from tqdm import tqdm

    yield from tqdm(paths, desc="submitting", unit="doc")
