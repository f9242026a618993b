"""Why an upload or a request is refused, each with its HTTP status."""

from __future__ import annotations

from doclane.exceptions import DoclaneError


class ApiError(DoclaneError):
    """A request the API refuses; `status_code` is what the client sees."""

    reason_code = "bad_request"
    status_code = 400
    headers: dict[str, str] | None = None


class UnauthorizedError(ApiError):
    reason_code = "unauthorized"
    status_code = 401
    headers = {"WWW-Authenticate": "Bearer"}  # noqa: RUF012 - a constant, read only


class ForbiddenError(ApiError):
    """A valid key without the scope the route needs."""

    reason_code = "forbidden"
    status_code = 403


class UploadTooLargeError(ApiError):
    reason_code = "document_too_large"
    status_code = 413


class UploadTimeoutError(ApiError):
    """The client stopped sending its body (a slow or stalled upload)."""

    reason_code = "upload_timeout"
    status_code = 408


class UnsupportedContentError(ApiError):
    reason_code = "unsupported_content_type"
    status_code = 415


class IdempotencyConflictError(ApiError):
    """Another request with the same Idempotency-Key is still being handled."""

    reason_code = "idempotency_key_in_use"
    status_code = 409


class UnknownDocumentError(ApiError):
    reason_code = "unknown_document"
    status_code = 404


class StoreUnavailableError(ApiError):
    """ClickHouse (through the sink) did not answer."""

    reason_code = "store_unavailable"
    status_code = 503


class SubmitUnavailableError(ApiError):
    """The broker did not acknowledge the records."""

    reason_code = "delivery_failed"
    status_code = 503
