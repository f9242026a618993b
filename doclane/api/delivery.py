"""Producing from the event loop: one confluent-kafka producer, acknowledgements as futures.

A thread polls the producer; each delivery report resolves the future of its
record on the loop. An upload is answered 202 only after the broker
acknowledged every one of its records (acks=all, idempotent producer), so an
id the client holds always names a record on the ingest topic.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from confluent_kafka import KafkaException, Producer

from doclane.api.errors import SubmitUnavailableError


class AsyncProducer:
    def __init__(self, producer: Producer) -> None:
        self._producer = producer
        self._stop = threading.Event()
        self._poller = threading.Thread(target=self._poll, name="api-producer-poll", daemon=True)
        self._poller.start()

    def _poll(self) -> None:
        while not self._stop.is_set():
            self._producer.poll(0.05)

    async def send(self, topic: str, key: bytes, value: bytes, timeout: float = 30.0) -> None:
        """Produce one record and wait for the broker's acknowledgement."""
        loop = asyncio.get_running_loop()
        acknowledged: asyncio.Future[None] = loop.create_future()

        def on_delivery(err: Any, _msg: Any) -> None:
            loop.call_soon_threadsafe(_settle, acknowledged, err)

        while True:
            try:
                self._producer.produce(topic, key=key, value=value, on_delivery=on_delivery)
                break
            except BufferError:  # the local queue is full: let deliveries drain
                await asyncio.sleep(0.05)
            except KafkaException as exc:
                raise SubmitUnavailableError(f"cannot produce to {topic}: {exc}") from exc
        try:
            await asyncio.wait_for(acknowledged, timeout)
        except TimeoutError as exc:
            raise SubmitUnavailableError(
                f"the broker did not acknowledge the record within {timeout:.0f} s"
            ) from exc

    def close(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._poller.join(timeout)
        self._producer.flush(timeout)


def _settle(future: asyncio.Future[None], err: Any) -> None:
    if future.done():
        return
    if err is None:
        future.set_result(None)
    else:
        future.set_exception(SubmitUnavailableError(f"the broker refused the record: {err}"))
