"""Publishing a correction: the `Correction`, the result's next version and what it taught
the per-vendor memory, in one transaction.

Both records are written by one transactional producer and committed
together, so a consumer reading committed records (the sink does) sees the
correction and the corrected result both or neither; a broker that does not
answer aborts the transaction and the reviewer is told to try again. The
producer is idempotent by construction (transactions imply it).
"""

from __future__ import annotations

import threading
from typing import Any

from confluent_kafka import KafkaException, Producer

from doclane.api.errors import SubmitUnavailableError
from doclane.settings import Settings
from doclane.wire.clients import client_config
from doclane.wire.topics import MAX_MESSAGE_BYTES, Codecs, TopicNames

_TRANSACTION_TIMEOUT_S = 30.0


class CorrectionPublisher:
    """Blocking: call it from a thread. One transaction at a time (a lock)."""

    def __init__(self, settings: Settings, codecs: Codecs, names: TopicNames) -> None:
        self.codecs = codecs
        self.names = names
        self._lock = threading.Lock()
        # One id per pipeline (one API process, as for its ledger): a restarted API fences
        # its predecessor at once, so a transaction it left open cannot hold readers back.
        transactional_id = f"{settings.app_id}-api-corrections"
        self._producer = Producer(
            client_config(
                settings,
                **{
                    "transactional.id": transactional_id,
                    "message.max.bytes": MAX_MESSAGE_BYTES,
                    "transaction.timeout.ms": int(_TRANSACTION_TIMEOUT_S * 1000),
                },
            )
        )
        self._ready = False

    def publish(
        self,
        correction: dict[str, Any],
        corrected: dict[str, Any],
        hints: list[tuple[bytes, dict[str, Any]]] = (),  # type: ignore[assignment]
    ) -> None:
        """The correction, the corrected result and what it taught the vendor memory."""
        key = correction["document_id"].encode()
        correction_value = self.codecs.correction.encode(correction, self.names.corrections)
        result_value = self.codecs.result.encode(corrected, self.names.results)
        hint_values = [
            (hint_key, self.codecs.vendor_hint.encode(record, self.names.vendor_memory))
            for hint_key, record in hints
        ]
        with self._lock:
            try:
                if not self._ready:
                    self._producer.init_transactions(_TRANSACTION_TIMEOUT_S)
                    self._ready = True
                self._producer.begin_transaction()
                self._producer.produce(self.names.corrections, correction_value, key)
                self._producer.produce(self.names.results, result_value, key)
                for hint_key, value in hint_values:
                    self._producer.produce(self.names.vendor_memory, value, hint_key)
                self._producer.commit_transaction(_TRANSACTION_TIMEOUT_S)
            except KafkaException as exc:
                self._abort()
                raise SubmitUnavailableError(
                    f"the correction was not published (nothing was written): {exc}"
                ) from exc

    def _abort(self) -> None:
        if not self._ready:
            return
        try:
            self._producer.abort_transaction(_TRANSACTION_TIMEOUT_S)
        except KafkaException:
            self._ready = False  # fenced or broken: start over with init_transactions

    def close(self) -> None:
        self._producer.flush(5)
