"""Avro codecs for topic values.

Two encodings, chosen once at start-up:
- Avro single-object encoding (default): ``C3 01``, the 8-byte little-endian
  CRC-64-AVRO fingerprint of the writer schema, then the binary body. Any
  Avro library holding `schemas/*.avsc` decodes it.
- Confluent wire format (``SCHEMA_REGISTRY_URL`` set): magic byte 0, 4-byte
  schema id, binary body, through confluent-kafka's schema-registry client.
"""

from __future__ import annotations

import io
from typing import Any, Protocol

import fastavro

from doclane.exceptions import CodecError
from doclane.wire.schemas import AvroSchema, historical_schemas

SINGLE_OBJECT_MARKER = b"\xc3\x01"


class ValueCodec(Protocol):
    schema: AvroSchema

    def encode(self, record: dict[str, Any], topic: str) -> bytes: ...

    def decode(self, data: bytes, topic: str) -> dict[str, Any]: ...


class SingleObjectCodec:
    """Avro single-object encoding; reads any known writer version of the schema."""

    def __init__(self, schema: AvroSchema) -> None:
        self.schema = schema
        self._header = SINGLE_OBJECT_MARKER + schema.fingerprint_bytes
        self._writers = {schema.fingerprint_bytes: schema}
        for old in historical_schemas():
            if old.parsed.get("name") == schema.parsed.get("name"):
                self._writers.setdefault(old.fingerprint_bytes, old)

    def encode(self, record: dict[str, Any], topic: str = "") -> bytes:
        buffer = io.BytesIO()
        buffer.write(self._header)
        try:
            fastavro.schemaless_writer(buffer, self.schema.parsed, record)
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as exc:
            raise CodecError(
                f"record does not fit schema {self.schema.name}: {exc}",
                reason_code="unencodable_record",
            ) from exc
        return buffer.getvalue()

    def decode(self, data: bytes, topic: str = "") -> dict[str, Any]:
        if len(data) < 10 or data[:2] != SINGLE_OBJECT_MARKER:
            raise CodecError("value is not Avro single-object encoded (no C3 01 marker)")
        writer = self._writers.get(bytes(data[2:10]))
        if writer is None:
            raise CodecError(
                f"unknown writer schema fingerprint {bytes(data[2:10]).hex()} for {self.schema.name}"
            )
        return _read_body(data[10:], writer, self.schema)


def _read_body(body: bytes, writer: AvroSchema, reader: AvroSchema) -> dict[str, Any]:
    stream = io.BytesIO(body)
    try:
        record = fastavro.schemaless_reader(
            stream,
            writer.parsed,
            reader.parsed if writer is not reader else None,
        )
    except Exception as exc:
        raise CodecError(f"cannot decode {reader.name}: {type(exc).__name__}: {exc}") from exc
    if stream.tell() != len(body):
        raise CodecError(f"trailing bytes after {reader.name} record")
    if not isinstance(record, dict):
        raise CodecError(f"decoded {reader.name} is not a record")
    return record


class ConfluentCodec:
    """Confluent wire format through the schema-registry client (subject: <topic>-value)."""

    def __init__(self, schema: AvroSchema, registry_url: str) -> None:
        from confluent_kafka.schema_registry import SchemaRegistryClient
        from confluent_kafka.schema_registry.avro import (
            AvroDeserializer,
            AvroSerializer,
        )

        self.schema = schema
        client = SchemaRegistryClient.new_client({"url": registry_url})
        self._serializer = AvroSerializer(
            client, schema.source, conf={"auto.register.schemas": True}
        )
        self._deserializer = AvroDeserializer(client, schema.source)

    def encode(self, record: dict[str, Any], topic: str) -> bytes:
        from confluent_kafka.serialization import MessageField, SerializationContext

        try:
            data = self._serializer(record, SerializationContext(topic, MessageField.VALUE))
        except Exception as exc:
            raise CodecError(
                f"record does not fit schema {self.schema.name}: {exc}",
                reason_code="unencodable_record",
            ) from exc
        if data is None:
            raise CodecError("serializer returned nothing", reason_code="unencodable_record")
        return data

    def decode(self, data: bytes, topic: str) -> dict[str, Any]:
        from confluent_kafka.serialization import MessageField, SerializationContext

        if len(data) < 5 or data[0] != 0:
            raise CodecError("value is not in Confluent wire format (no magic byte 0)")
        try:
            record = self._deserializer(data, SerializationContext(topic, MessageField.VALUE))
        except Exception as exc:
            raise CodecError(f"cannot decode {self.schema.name}: {exc}") from exc
        if not isinstance(record, dict):
            raise CodecError(f"decoded {self.schema.name} is not a record")
        return record


def build_codec(schema: AvroSchema, schema_registry_url: str | None) -> ValueCodec:
    if schema_registry_url:
        return ConfluentCodec(schema, schema_registry_url)
    return SingleObjectCodec(schema)
