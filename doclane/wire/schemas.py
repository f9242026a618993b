"""The Avro schemas in `schemas/`, parsed once.

The `.avsc` files are the source of truth for every topic value. They live at
the repository root so non-Python consumers can use them directly; an
installed package finds them through `DOCLANE_SCHEMA_DIR` or next to itself.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import fastavro
from fastavro.schema import to_parsing_canonical_form

from doclane.exceptions import ConfigurationError

SUBMITTED = "DocumentSubmitted"
RESULT = "DocumentResult"
DEAD_LETTER = "DeadLetter"
VENDOR = "Vendor"
FX_RATE = "FxRate"
CORRECTION = "Correction"
VENDOR_HINT = "VendorHint"

_EMPTY = 0xC15D213AA4D7A795


def _crc64_table() -> tuple[int, ...]:
    table = []
    for byte in range(256):
        fp = byte
        for _ in range(8):
            fp = (fp >> 1) ^ (_EMPTY & -(fp & 1))
        table.append(fp & 0xFFFFFFFFFFFFFFFF)
    return tuple(table)


_CRC64_TABLE = _crc64_table()


def crc64_avro(data: bytes) -> int:
    """The Rabin CRC-64-AVRO fingerprint the Avro specification defines."""
    fp = _EMPTY
    for byte in data:
        fp = (fp >> 8) ^ _CRC64_TABLE[(fp ^ byte) & 0xFF]
    return fp


@dataclass(frozen=True)
class AvroSchema:
    """One parsed schema with its canonical form and fingerprint."""

    name: str
    source: str  # the .avsc text, as registered with a schema registry
    parsed: dict[str, Any]
    canonical_form: str
    fingerprint: int

    @property
    def fingerprint_bytes(self) -> bytes:
        return self.fingerprint.to_bytes(8, "little")


def schema_dir() -> Path:
    configured = os.environ.get("DOCLANE_SCHEMA_DIR")
    if configured:
        return Path(configured)
    # `avsc` links to the repository's `schemas/`; a wheel carries the files themselves.
    return Path(str(resources.files("doclane.wire") / "avsc"))


def load_schema_file(path: Path) -> AvroSchema:
    try:
        source = path.read_text(encoding="utf-8")
        parsed = fastavro.parse_schema(json.loads(source))
    except (OSError, ValueError, fastavro.schema.SchemaParseException) as exc:
        raise ConfigurationError(f"cannot load Avro schema {path}: {exc}") from exc
    canonical = to_parsing_canonical_form(parsed)
    return AvroSchema(
        name=path.stem,
        source=source,
        parsed=parsed,
        canonical_form=canonical,
        fingerprint=crc64_avro(canonical.encode("utf-8")),
    )


@cache
def current_schemas() -> dict[str, AvroSchema]:
    """Every schema in `schemas/`, by record name."""
    directory = schema_dir()
    found = {p.stem: load_schema_file(p) for p in sorted(directory.glob("*.avsc"))}
    for required in (SUBMITTED, RESULT, DEAD_LETTER, VENDOR, FX_RATE, CORRECTION, VENDOR_HINT):
        if required not in found:
            raise ConfigurationError(f"schema {required}.avsc missing from {directory}")
    return found


@cache
def historical_schemas() -> tuple[AvroSchema, ...]:
    """Released versions kept in `schemas/history/<Name>/vN.avsc`, oldest first."""
    history = schema_dir() / "history"
    return tuple(load_schema_file(p) for p in sorted(history.glob("*/*.avsc")))


def backward_incompatibilities(old: AvroSchema, new: AvroSchema, samples: int = 25) -> list[str]:
    """Why readers using `new` cannot read data written with `old` (empty: compatible).

    Writes generated records with the old schema and resolves them with the
    new one, which is exactly what a consumer upgraded first will do.
    """
    import io

    from fastavro.utils import generate_many

    problems = []
    for record in generate_many(old.parsed, samples):
        buffer = io.BytesIO()
        fastavro.schemaless_writer(buffer, old.parsed, record)
        buffer.seek(0)
        try:
            fastavro.schemaless_reader(buffer, old.parsed, new.parsed)
        except Exception as exc:  # noqa: BLE001 - any resolution failure is the answer
            problems.append(f"{type(exc).__name__}: {exc}")
            break
    return problems
