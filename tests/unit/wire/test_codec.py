"""Both encodings, pinned byte for byte, and their failure modes."""

from __future__ import annotations

import contextlib
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from doclane.exceptions import CodecError
from doclane.wire.codec import ConfluentCodec, SingleObjectCodec
from doclane.wire.schemas import DEAD_LETTER, RESULT, SUBMITTED, crc64_avro, current_schemas
from tests.paths import REPO_ROOT
from tests.records import dead_letter_record, result_record, submitted_record

GOLDEN = REPO_ROOT / "tests" / "golden" / "codec"
CASES = {
    SUBMITTED: submitted_record,
    RESULT: result_record,
    DEAD_LETTER: dead_letter_record,
}


def test_crc64_avro_matches_the_specification_vectors() -> None:
    # The empty input fingerprints to the algorithm's EMPTY constant.
    assert crc64_avro(b"") == 0xC15D213AA4D7A795
    # Fingerprint of the canonical form of the primitive schema "int", per Avro's own test data.
    assert crc64_avro(b'"int"').to_bytes(8, "little").hex() == "8f5c393f1ad57572"


@pytest.mark.parametrize("name", list(CASES))
def test_single_object_encoding_is_pinned(name: str) -> None:
    schema = current_schemas()[name]
    encoded = SingleObjectCodec(schema).encode(CASES[name]())
    assert encoded[:2] == b"\xc3\x01"
    assert encoded[2:10] == schema.fingerprint.to_bytes(8, "little")
    assert encoded == (GOLDEN / f"{name}.single-object.bin").read_bytes()


@pytest.mark.parametrize("name", list(CASES))
def test_single_object_round_trip(name: str) -> None:
    codec = SingleObjectCodec(current_schemas()[name])
    assert codec.decode(codec.encode(CASES[name]())) == CASES[name]()


@pytest.mark.parametrize("name", list(CASES))
def test_confluent_wire_format_is_pinned(name: str) -> None:
    schema = current_schemas()[name]
    codec = ConfluentCodec(schema, f"mock://golden-{name}")
    encoded = codec.encode(CASES[name](), "doclane.golden")
    magic, schema_id = struct.unpack(">bI", encoded[:5])
    assert magic == 0
    assert schema_id >= 1
    # The body after the 5-byte header is the same Avro binary as single-object's.
    single = SingleObjectCodec(schema).encode(CASES[name]())
    assert encoded[5:] == single[10:]
    assert encoded == (GOLDEN / f"{name}.confluent.bin").read_bytes()
    assert codec.decode(encoded, "doclane.golden") == CASES[name]()


def test_decoding_rejects_values_of_the_wrong_encoding() -> None:
    codec = SingleObjectCodec(current_schemas()[SUBMITTED])
    with pytest.raises(CodecError, match="single-object"):
        codec.decode(b"\x00\x00\x00\x00\x01rest")


def test_decoding_rejects_an_unknown_fingerprint() -> None:
    codec = SingleObjectCodec(current_schemas()[SUBMITTED])
    with pytest.raises(CodecError, match="unknown writer schema"):
        codec.decode(b"\xc3\x01" + b"\x00" * 8 + b"\x02")


def test_encoding_a_record_that_does_not_fit_raises_a_codec_error() -> None:
    codec = SingleObjectCodec(current_schemas()[SUBMITTED])
    record = submitted_record()
    record["size_bytes"] = "seven"
    with pytest.raises(CodecError) as caught:
        codec.encode(record)
    assert caught.value.reason_code == "unencodable_record"


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_only_codec_errors_escape_decoding_of_arbitrary_bytes(data: bytes) -> None:
    codec = SingleObjectCodec(current_schemas()[RESULT])
    header = b"\xc3\x01" + current_schemas()[RESULT].fingerprint_bytes
    for candidate in (data, header + data):
        with contextlib.suppress(CodecError):
            codec.decode(candidate)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=10, max_value=400), st.integers(min_value=0, max_value=255))
def test_only_codec_errors_escape_decoding_of_corrupted_records(position: int, byte: int) -> None:
    codec = SingleObjectCodec(current_schemas()[RESULT])
    encoded = bytearray(codec.encode(result_record()))
    encoded[position % len(encoded)] = byte
    with contextlib.suppress(CodecError):
        codec.decode(bytes(encoded))


def test_results_written_with_the_first_schema_version_still_decode() -> None:
    """A consumer upgraded to v2 reads v1 records; the new fields take their defaults."""
    old_bytes = (GOLDEN / "DocumentResult.v1.single-object.bin").read_bytes()
    decoded = SingleObjectCodec(current_schemas()[RESULT]).decode(old_bytes)
    expected = result_record()
    expected.update(parties=[], duplicate_of=None, language=None)
    expected["doc_type"] = {**expected["doc_type"], "scores": {}}
    assert decoded == expected


def test_results_written_with_schema_v2_decode_with_empty_type_scores() -> None:
    old_bytes = (GOLDEN / "DocumentResult.v2.single-object.bin").read_bytes()
    decoded = SingleObjectCodec(current_schemas()[RESULT]).decode(old_bytes)
    expected = result_record()
    expected["doc_type"] = {**expected["doc_type"], "scores": {}}
    assert decoded == expected


def test_contract_parties_travel_as_fields_and_as_the_records_parties_list() -> None:
    from doclane.core.model import ExtractedField, Extraction, Provenance
    from doclane.wire.records import extraction_from_avro, extraction_to_avro

    where = Provenance(source="text", page=1, line=2, bbox=None)
    extraction = Extraction(
        fields=(
            ExtractedField("governing_law", "New York", "New York", 0.7, where),
            ExtractedField("party", "Acme, Inc.", "Acme, Inc.", 0.6, where),
            ExtractedField("party", "Beta LLC", "Beta LLC", 0.6, where),
        )
    )
    record = result_record()
    record.update(extraction_to_avro(extraction))
    codec = SingleObjectCodec(current_schemas()[RESULT])
    decoded = codec.decode(codec.encode(record, "t"), "t")
    assert decoded["parties"] == ["Acme, Inc.", "Beta LLC"]
    assert extraction_from_avro(decoded) == extraction


def test_results_written_with_schema_v3_decode_without_a_compact_text_layer() -> None:
    old_bytes = (GOLDEN / "DocumentResult.v3.single-object.bin").read_bytes()
    decoded = SingleObjectCodec(current_schemas()[RESULT]).decode(old_bytes)
    assert decoded == result_record()
    assert decoded["text_layer"] is None


def test_records_written_before_containers_decode_without_lineage() -> None:
    """v4 results and v1 submissions (before ZIP and e-mail children) read with no parent."""
    result = SingleObjectCodec(current_schemas()[RESULT]).decode(
        (GOLDEN / "DocumentResult.v4.single-object.bin").read_bytes()
    )
    assert result == result_record()
    assert (result["parent_id"], result["path"], result["child_count"]) == (None, None, None)
    submitted = SingleObjectCodec(current_schemas()[SUBMITTED]).decode(
        (GOLDEN / "DocumentSubmitted.v1.single-object.bin").read_bytes()
    )
    assert submitted == submitted_record()


def test_results_written_before_corrections_decode_as_version_one() -> None:
    result = SingleObjectCodec(current_schemas()[RESULT]).decode(
        (GOLDEN / "DocumentResult.v5.single-object.bin").read_bytes()
    )
    assert result == result_record()
    assert (result["version"], result["correction_id"]) == (1, None)


def test_a_corrected_result_carries_its_version_and_correction() -> None:
    codec = SingleObjectCodec(current_schemas()[RESULT])
    corrected = {**result_record(), "version": 2, "correction_id": "c0ffee", "status": "REJECTED"}
    assert codec.decode(codec.encode(corrected)) == corrected


def test_a_child_document_carries_its_parent_and_path() -> None:
    codec = SingleObjectCodec(current_schemas()[SUBMITTED])
    child = {**submitted_record(), "parent_id": "doc-0000", "path": "inbox.zip/a/invoice.pdf"}
    assert codec.decode(codec.encode(child)) == child
