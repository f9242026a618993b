"""The workers' Faust tables and what the stages read from them.

- ``seen`` (global, changelog ``<app id>-seen-changelog``): first document id
  per file hash and per business key, for duplicate detection across workers
  and restarts.
- ``vendors`` and ``fx_rates`` (global, backed directly by the compacted
  reference topics): the vendor master and exchange rates, as published by
  `doclane vendors load` and `doclane fx load`.

Global tables keep to one partition and a recovery buffer of one record: the
setting faust-streaming documents for global tables shared by several workers.
"""

from __future__ import annotations

import logging
from typing import Any

import faust

from doclane.core.enrich.fx import FxRates
from doclane.core.enrich.vendors import VendorMaster
from doclane.core.memory import EMPTY_MEMORY, VendorMemory
from doclane.exceptions import CodecError
from doclane.wire.codec import ValueCodec
from doclane.wire.memory import memory_from_records
from doclane.wire.reference import fx_rate_from_record, vendor_from_record

log = logging.getLogger("doclane.streams.tables")

GLOBAL_TABLE_OPTIONS: dict[str, Any] = {"partitions": 1, "recovery_buffer_size": 1}


class TopicBackedGlobalTable(faust.GlobalTable):
    """A global table whose changelog is a topic we own, not one named after the table.

    Faust's partition assignor finds a global table's changelog by the derived
    name `<app id>-<table>-changelog` even when another topic is given, and then
    waits forever for a topic that does not exist; report the real one.
    """

    def _changelog_topic_name(self) -> str:
        return self.changelog_topic.get_topic_name()


def _topic_backed_table(app: faust.App, name: str, topic: faust.TopicT, help_text: str) -> Any:
    table = TopicBackedGlobalTable(
        app,
        name=name,
        beacon=app.tables.beacon,
        standby_buffer_size=1,
        is_global=True,
        key_type=bytes,
        value_type=bytes,
        changelog_topic=topic,
        help=help_text,
        **GLOBAL_TABLE_OPTIONS,
    )
    return app.tables.add(table)


class SinglePartitionGlobalTable(faust.GlobalTable):
    """A global table written from any stream: its one changelog partition takes every key.

    Faust would otherwise write each change to the partition of the event being
    processed (tables are meant to be co-partitioned with their stream), which
    does not exist in a one-partition changelog.
    """

    def partition_for_key(self, key: Any) -> int:
        return 0


class SeenTable:
    """`SeenRegistry` over a Faust global table of bytes."""

    def __init__(self, app: faust.App) -> None:
        self.table = app.tables.add(
            SinglePartitionGlobalTable(
                app,
                name="seen",
                beacon=app.tables.beacon,
                standby_buffer_size=1,
                is_global=True,
                key_type=bytes,
                value_type=bytes,
                help="first document id per content hash and per business key",
                **GLOBAL_TABLE_OPTIONS,
            )
        )

    def first_seen(self, kind: str, key: str, document_id: str) -> str:
        table_key = f"{kind}|{key}".encode()
        existing = self.table.get(table_key)
        if existing is None:
            self.table[table_key] = document_id.encode()
            return document_id
        return bytes(existing).decode()


class ReferenceData:
    """Vendor master and FX rates, rebuilt from their global tables when they change."""

    def __init__(
        self,
        app: faust.App,
        *,
        vendors_topic: faust.TopicT,
        fx_topic: faust.TopicT,
        vendor_codec: ValueCodec,
        fx_codec: ValueCodec,
        base_currency: str,
        memory_topic: faust.TopicT | None = None,
        hint_codec: ValueCodec | None = None,
    ) -> None:
        self.vendor_table = _topic_backed_table(
            app, "vendors", vendors_topic, "vendor master, from the compacted vendors topic"
        )
        self.fx_table = _topic_backed_table(
            app, "fx_rates", fx_topic, "exchange rates, from the compacted fx-rates topic"
        )
        self.memory_table = (
            _topic_backed_table(
                app, "vendor_memory", memory_topic, "what corrections taught, per vendor"
            )
            if memory_topic is not None
            else None
        )
        self._hint_codec = hint_codec
        self._memory = EMPTY_MEMORY
        self._memory_signature = -1
        self._vendor_codec = vendor_codec
        self._fx_codec = fx_codec
        self.base_currency = base_currency
        self._vendors = VendorMaster(())
        self._fx = FxRates(base_currency)
        self._signatures: tuple[int, int] = (-1, -1)

    def vendors(self) -> VendorMaster:
        return self._vendors

    def fx_rates(self) -> FxRates:
        return self._fx

    def vendor_memory(self) -> VendorMemory:
        return self._memory

    def refresh(self) -> None:
        """Rebuild from the tables if they changed. The worker calls this on a timer,
        so a published change takes effect within seconds, not per document."""
        self._refresh_memory()
        vendor_items = list(self.vendor_table.items())
        fx_items = list(self.fx_table.items())
        signature = (hash(tuple(vendor_items)), hash(tuple(fx_items)))
        if signature == self._signatures:
            return
        self._signatures = signature
        vendors = []
        for key, value in vendor_items:
            try:
                vendors.append(vendor_from_record(self._vendor_codec.decode(value)))
            except (CodecError, KeyError, TypeError) as exc:
                log.warning("skipping vendor record %r: %s", key, exc)
        rates = []
        for key, value in fx_items:
            try:
                rates.append(fx_rate_from_record(self._fx_codec.decode(value)))
            except (CodecError, KeyError, TypeError, ValueError) as exc:
                log.warning("skipping FX record %r: %s", key, exc)
        self._vendors = VendorMaster(tuple(vendors))
        self._fx = FxRates(self.base_currency, tuple(rates))
        log.info(
            "reference data loaded",
            extra={"vendors": len(vendors), "fx_rates": len(self._fx)},
        )

    def _refresh_memory(self) -> None:
        if self.memory_table is None or self._hint_codec is None:
            return
        items = list(self.memory_table.items())
        signature = hash(tuple(items))
        if signature == self._memory_signature:
            return
        self._memory_signature = signature
        records = []
        for key, value in items:
            try:
                records.append(self._hint_codec.decode(value))
            except CodecError as exc:
                log.warning("skipping vendor-memory record %r: %s", key, exc)
        self._memory = memory_from_records(records)
        log.info("vendor memory loaded", extra={"hints": len(self._memory)})
