"""Schema evolution: every released version stays readable by the current schemas."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from doclane.wire.codec import SingleObjectCodec
from doclane.wire.schemas import (
    AvroSchema,
    backward_incompatibilities,
    current_schemas,
    historical_schemas,
    load_schema_file,
)


def _variant(schema: AvroSchema, mutate, tmp_path: Path) -> AvroSchema:  # type: ignore[no-untyped-def]
    raw = json.loads(schema.source)
    mutate(raw)
    path = tmp_path / f"{schema.name}.variant.avsc"
    path.write_text(json.dumps(raw))
    return load_schema_file(path)


def test_every_current_schema_has_a_pinned_history() -> None:
    pinned = {s.parsed["name"] for s in historical_schemas()}
    assert {s.parsed["name"] for s in current_schemas().values()} <= pinned


@pytest.mark.parametrize("old", historical_schemas(), ids=lambda s: f"{s.parsed['name']}")
def test_current_schemas_read_every_released_version(old: AvroSchema) -> None:
    current = current_schemas()[old.parsed["name"].rsplit(".", 1)[-1]]
    assert backward_incompatibilities(old, current) == []


def test_adding_a_field_without_default_is_caught(tmp_path: Path) -> None:
    current = current_schemas()["DocumentSubmitted"]
    broken = _variant(
        current, lambda raw: raw["fields"].append({"name": "tenant", "type": "string"}), tmp_path
    )
    assert backward_incompatibilities(current, broken)


def test_changing_a_field_type_is_caught(tmp_path: Path) -> None:
    current = current_schemas()["DeadLetter"]

    def retype(raw: dict) -> None:  # type: ignore[type-arg]
        for field in raw["fields"]:
            if field["name"] == "original_offset":
                field["type"] = "string"

    assert backward_incompatibilities(current, _variant(current, retype, tmp_path))


def test_adding_a_field_with_default_is_compatible(tmp_path: Path) -> None:
    current = current_schemas()["DocumentSubmitted"]
    evolved = _variant(
        current,
        lambda raw: raw["fields"].append({"name": "tenant", "type": "string", "default": ""}),
        tmp_path,
    )
    assert backward_incompatibilities(current, evolved) == []


def test_records_of_a_pinned_version_decode_by_fingerprint() -> None:
    # A record written with a pinned version (same fingerprint here) decodes with today's codec.
    old = next(s for s in historical_schemas() if s.parsed["name"].endswith("DocumentSubmitted"))
    codec = SingleObjectCodec(current_schemas()["DocumentSubmitted"])
    writer = SingleObjectCodec(old)
    from tests.records import submitted_record

    assert codec.decode(writer.encode(submitted_record())) == submitted_record()
    assert copy.deepcopy(old.fingerprint) in {s.fingerprint for s in historical_schemas()}
