"""The project's one root exception and its direct families.

Every error doclane raises on purpose derives from `DoclaneError` and carries
structured fields (document id, stage, reason code) so a failure can become a
dead-letter record a person can act on.
"""

from __future__ import annotations


class DoclaneError(Exception):
    """Root of every error raised by doclane on purpose."""

    reason_code: str = "error"
    # A transient failure may succeed when tried again later (a process died, a
    # blob not yet visible); the stages retry those with a delay before giving up.
    transient: bool = False

    def __init__(
        self,
        message: str,
        *,
        reason_code: str | None = None,
        document_id: str | None = None,
        stage: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if reason_code is not None:
            self.reason_code = reason_code
        self.document_id = document_id
        self.stage = stage

    def __str__(self) -> str:
        return f"[{self.reason_code}] {self.message}"

    def __reduce__(self) -> tuple[object, ...]:
        # Errors cross the parse pool's process boundary; keep the structured fields.
        fields = {
            "reason_code": self.reason_code,
            "document_id": self.document_id,
            "stage": self.stage,
        }
        return (_rebuild_error, (type(self), self.message, fields))


def _rebuild_error(
    cls: type[DoclaneError], message: str, fields: dict[str, str | None]
) -> DoclaneError:
    return cls(message, **fields)


class ConfigurationError(DoclaneError):
    """A setting is missing or malformed."""

    reason_code = "bad_configuration"


class BrokerError(DoclaneError):
    """The local Kafka broker could not be fetched, started or reached."""

    reason_code = "broker_unavailable"


class CodecError(DoclaneError):
    """A record could not be encoded to or decoded from Avro."""

    reason_code = "undecodable_record"


class StoreError(DoclaneError):
    """ClickHouse refused a statement or could not be reached."""

    reason_code = "store_failed"


class SubmissionError(DoclaneError):
    """A file could not be read or submitted to the ingest topic."""

    reason_code = "file_unreadable"


class KafkaAuthenticationError(BrokerError):
    """The broker refused the client's SASL credentials (user or password wrong)."""

    reason_code = "kafka_authentication_failed"


class KafkaTlsError(BrokerError):
    """The TLS handshake with the broker failed (untrusted or mismatched certificate)."""

    reason_code = "kafka_tls_failed"
