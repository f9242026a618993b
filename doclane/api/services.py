"""What the routes use, built once per process: producer, ledger, lookup, keys."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from dataclasses import dataclass

from confluent_kafka import KafkaException, Producer

from doclane.api.auth import ApiKeys
from doclane.api.delivery import AsyncProducer
from doclane.api.errors import SubmitUnavailableError
from doclane.api.ledger import AcceptedDocument, Ledger
from doclane.api.lookup import DocumentLookup, open_store_runner
from doclane.api.publishing import CorrectionPublisher
from doclane.api.review import ReviewQueue
from doclane.api.spool import Spool
from doclane.api.uploads import ReceivedFile
from doclane.connectors.ingest import Submitter
from doclane.logs import about_document
from doclane.settings import Settings
from doclane.wire.clients import client_config
from doclane.wire.topics import MAX_MESSAGE_BYTES

log = logging.getLogger("doclane.api")

# The broker's own delivery timeout is shorter than the wait for it, so a record
# either is acknowledged or reported failed before the client hears anything.
_DELIVERY_TIMEOUT_MS = 30_000


@dataclass
class ApiServices:
    settings: Settings
    keys: ApiKeys
    submitter: Submitter  # codecs, topic names and the blob store
    producer: AsyncProducer
    ledger: Ledger
    lookup: DocumentLookup
    review: ReviewQueue
    corrections: CorrectionPublisher

    @classmethod
    def open(cls, settings: Settings, keys: ApiKeys) -> ApiServices:
        submitter = Submitter(settings, source="api")
        producer = Producer(
            client_config(
                settings,
                **{
                    "enable.idempotence": True,
                    "acks": "all",
                    "linger.ms": 2,
                    "message.max.bytes": MAX_MESSAGE_BYTES,
                    "message.timeout.ms": _DELIVERY_TIMEOUT_MS,
                },
            )
        )
        try:  # fail at start, not on the first upload, when the broker is not there
            producer.list_topics(submitter.names.ingest, timeout=15)
        except KafkaException as exc:
            raise SubmitUnavailableError(
                f"the broker at {settings.bootstrap_servers} did not answer: {exc}"
            ) from exc
        ledger = Ledger(settings.data_dir / "api" / "ledger.sqlite3")
        ledger.recover()
        runner = open_store_runner(settings)
        return cls(
            settings,
            keys,
            submitter,
            AsyncProducer(producer),
            ledger,
            DocumentLookup(runner),
            ReviewQueue(runner),
            CorrectionPublisher(settings, submitter.codecs, submitter.names),
        )

    def new_spool(self) -> Spool:
        return Spool(
            inline_limit=self.settings.claim_check_threshold,
            max_bytes=self.settings.max_document_bytes,
            open_writer=self.submitter.blobs.writer,
        )

    async def submit(
        self, files: list[ReceivedFile], *, correlation_id: str | None
    ) -> list[AcceptedDocument]:
        """One ingest record per file; returns once the broker acknowledged all of them.

        A file small enough to travel inline is also put in the blob store (by its
        digest, so once per content): the review app reads the original from there."""
        accepted = []
        sends = []
        inline = [file.spooled.payload for file in files if file.spooled.payload is not None]
        if inline:
            await asyncio.to_thread(self._keep_originals, inline)
        for file in files:
            document_id = uuid.uuid4().hex
            value = self.submitter.encode_submission(
                document_id=document_id,
                filename=file.filename,
                content_type=file.content_type,
                size=file.spooled.size,
                sha256=file.spooled.sha256,
                payload=file.spooled.payload,
                claim_check_uri=file.spooled.claim_check_uri,
                correlation_id=correlation_id,
            )
            sends.append(
                self.producer.send(
                    self.submitter.names.ingest,
                    document_id.encode(),
                    value,
                    timeout=_DELIVERY_TIMEOUT_MS / 1000 + 5,
                )
            )
            accepted.append(
                AcceptedDocument(
                    document_id,
                    file.filename,
                    file.content_type,
                    file.spooled.size,
                    file.spooled.sha256,
                    time.time(),
                )
            )
        await asyncio.gather(*sends)
        for document in accepted:
            with about_document(document.document_id, correlation_id or document.document_id):
                log.info(  # no file name: it can name a person
                    "accepted a document (%s, %d bytes)",
                    document.content_type,
                    document.size_bytes,
                )
        return accepted

    def _keep_originals(self, payloads: list[bytes]) -> None:
        for payload in payloads:
            self.submitter.blobs.put(payload)

    def close(self) -> None:
        self.corrections.close()
        self.producer.close()
        self.ledger.close()
        self.lookup.runner.close()
