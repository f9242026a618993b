"""Typed errors of the understanding core; the only ones its parsers let escape."""

from __future__ import annotations

from doclane.exceptions import DoclaneError


class UnderstandingError(DoclaneError):
    """A document could not be understood."""

    reason_code = "understanding_failed"


class UnreadableDocumentError(UnderstandingError):
    """The bytes are not a document we can read text from.

    `reason_code` says why, e.g. ``empty_document``, ``corrupt_pdf``,
    ``encrypted_pdf``, ``unsupported_content_type``, ``invalid_text_encoding``.
    """

    reason_code = "unreadable_document"


class CorrectionRefusedError(UnderstandingError):
    """A reviewer's value that does not read as its field's kind (an amount, a date, ...)."""

    reason_code = "correction_refused"
