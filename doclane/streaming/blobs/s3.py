"""The claim-check blob store on S3 or any S3-compatible service (MinIO, Ceph, R2, ...).

Configured by `DOCLANE_BLOB_STORE=s3://bucket/prefix` (and
`DOCLANE_S3_ENDPOINT_URL` for a service other than AWS; credentials come the
usual boto3 way: environment, profile or instance role). References keep the
same shape as the local store's, `blob://sha256/<hex>`: the object key is
derived from the digest, so a record cannot name any other object.
"""

from __future__ import annotations

import hashlib
import tempfile
from typing import Any

from doclane.streaming.blobs.references import (
    ClaimCheckError,
    ClaimCheckMissingError,
    digest_of,
    reference_for,
)


class S3BlobStore:
    def __init__(self, bucket: str, prefix: str, *, endpoint_url: str | None = None) -> None:
        import boto3  # only deployments that configure S3 pay for the import

        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.client: Any = boto3.client("s3", endpoint_url=endpoint_url)

    def put(self, payload: bytes) -> str:
        digest = hashlib.sha256(payload).hexdigest()
        self.client.put_object(Bucket=self.bucket, Key=self._key(digest), Body=payload)
        return reference_for(digest)

    def writer(self) -> S3BlobWriter:
        return S3BlobWriter(self)

    def get(self, uri: str, *, max_bytes: int | None = None) -> bytes:
        from botocore.exceptions import BotoCoreError, ClientError

        digest = digest_of(uri)
        try:
            head = self.client.head_object(Bucket=self.bucket, Key=self._key(digest))
            size = int(head["ContentLength"])
            if max_bytes is not None and size > max_bytes:
                raise ClaimCheckError(
                    f"claimed document is {size} bytes, over the {max_bytes}-byte limit",
                    reason_code="document_too_large",
                )
            body = self.client.get_object(Bucket=self.bucket, Key=self._key(digest))["Body"]
            payload: bytes = body.read(size + 1)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                raise ClaimCheckMissingError(
                    f"claim-check {uri} points at no stored document"
                ) from exc
            raise ClaimCheckError(f"cannot read claimed document {uri}: {exc}") from exc
        except BotoCoreError as exc:
            raise ClaimCheckMissingError(  # transient: the store is unreachable right now
                f"cannot reach the blob store for {uri}: {exc}"
            ) from exc
        if hashlib.sha256(payload).hexdigest() != digest:
            raise ClaimCheckError(f"claimed document {uri} does not match its digest")
        return payload

    def delete(self, digest: str) -> bool:
        """Remove the blob of this content hash; False when there was none."""
        if not self.exists(digest):
            return False
        self.client.delete_object(Bucket=self.bucket, Key=self._key(digest))
        return True

    def exists(self, digest: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=self._key(digest))
        except Exception:  # noqa: BLE001 - boto3 reports "not found" as a ClientError
            return False
        return True

    def sweep(self, older_than: float) -> int:
        """Remove blobs last written before `older_than` (epoch seconds)."""
        removed = 0
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=f"{self.prefix}/" if self.prefix else ""
        )
        for page in pages:
            for item in page.get("Contents", []):
                if item["LastModified"].timestamp() < older_than:
                    self.client.delete_object(Bucket=self.bucket, Key=item["Key"])
                    removed += 1
        return removed

    def _key(self, digest: str) -> str:
        name = f"{digest[:2]}/{digest}"
        return f"{self.prefix}/{name}" if self.prefix else name


class S3BlobWriter:
    """Spools one blob to a local temporary file (the digest, hence the key, is known
    only at the end), then uploads it in one go on `commit`."""

    _SPOOL_IN_MEMORY = 1024 * 1024

    def __init__(self, store: S3BlobStore) -> None:
        self._store = store
        self._file = tempfile.SpooledTemporaryFile(max_size=self._SPOOL_IN_MEMORY)  # noqa: SIM115 - closed in commit/abort
        self._hash = hashlib.sha256()
        self.size = 0

    def write(self, chunk: bytes) -> None:
        self._file.write(chunk)
        self._hash.update(chunk)
        self.size += len(chunk)

    def commit(self) -> str:
        digest = self._hash.hexdigest()
        try:
            self._file.seek(0)
            self._store.client.upload_fileobj(
                self._file, self._store.bucket, self._store._key(digest)
            )
        finally:
            self._file.close()
        return reference_for(digest)

    @property
    def sha256(self) -> str:
        return self._hash.hexdigest()

    def abort(self) -> None:
        self._file.close()
