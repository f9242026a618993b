"""What other systems do: decode doclane.results with nothing but fastavro and schemas/*.avsc.

This module must not import doclane, streams or connectors.
"""

from __future__ import annotations

import io
import json

import fastavro
from fastavro.schema import fingerprint, to_parsing_canonical_form

from tests.paths import SCHEMAS


def load_readers() -> dict[bytes, dict]:
    """Writer schemas by their single-object fingerprint (8 bytes, little endian)."""
    readers = {}
    for path in [*SCHEMAS.glob("*.avsc"), *SCHEMAS.glob("history/*/*.avsc")]:
        schema = fastavro.parse_schema(json.loads(path.read_text()))
        digest = fingerprint(to_parsing_canonical_form(schema), "CRC-64-AVRO")
        readers[bytes.fromhex(digest)] = schema
    return readers


def decode_single_object(value: bytes, readers: dict[bytes, dict]) -> dict:
    assert value[:2] == b"\xc3\x01", "not Avro single-object encoding"
    schema = readers[value[2:10]]
    return fastavro.schemaless_reader(io.BytesIO(value[10:]), schema)


def decode_results(values: list[bytes]) -> list[dict]:
    readers = load_readers()
    return [decode_single_object(v, readers) for v in values]
