"""The original bytes of a stored document, from the blob store, and their text.

The blob store is addressed by content (sha256), and the API keeps a copy of
every upload there, inline ones included (`ApiServices.submit`), so the review
app can show a document's pages and corrections can learn where values stand.
Documents that arrived by other routes inline (`doclane submit`, a producer)
have no copy: None.
"""

from __future__ import annotations

import logging
from typing import Any

from doclane.core.exceptions import UnderstandingError
from doclane.core.model import DocumentText
from doclane.core.read import read_document
from doclane.exceptions import DoclaneError
from doclane.streaming.blobs.references import reference_for

log = logging.getLogger("doclane.api")


def original_bytes(services: Any, stored: dict[str, Any]) -> bytes | None:
    """The document's bytes when the blob store holds them; blocking."""
    digest = str(stored.get("sha256") or "")
    if len(digest) != 64:
        return None
    try:
        return bytes(
            services.submitter.blobs.get(
                reference_for(digest), max_bytes=services.settings.max_document_bytes
            )
        )
    except DoclaneError:
        return None


def original_text(services: Any, stored: dict[str, Any]) -> DocumentText | None:
    """The document's text, read again from its original; None without one. Blocking, CPU."""
    payload = original_bytes(services, stored)
    if payload is None:
        return None
    try:
        return read_document(
            payload, content_type=stored.get("content_type"), filename=stored.get("filename")
        )
    except UnderstandingError as exc:
        log.warning("cannot read the original of %s again: %s", stored.get("document_id"), exc)
        return None
