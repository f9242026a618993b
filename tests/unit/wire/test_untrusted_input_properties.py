"""Whatever arrives from a topic or a claim-check reference, only the project's typed errors escape.

Extends test_codec.py (arbitrary bytes into the result codec) to every codec the
worker builds, to records written by every known schema version, and to the
blob store behind claim-checks.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from doclane.exceptions import CodecError, DoclaneError
from doclane.settings import Settings
from doclane.streaming.blobs import BlobStore, ClaimCheckError
from doclane.wire.codec import SINGLE_OBJECT_MARKER, ValueCodec
from doclane.wire.schemas import historical_schemas
from doclane.wire.topics import Codecs
from tests.records import dead_letter_record, result_record, submitted_record

_CODECS = Codecs.from_settings(Settings.from_env({}))
_BY_NAME: dict[str, tuple[ValueCodec, bytes]] = {
    "submitted": (_CODECS.submitted, _CODECS.submitted.encode(submitted_record(), "t")),
    "result": (_CODECS.result, _CODECS.result.encode(result_record(), "t")),
    "dead_letter": (_CODECS.dead_letter, _CODECS.dead_letter.encode(dead_letter_record(), "t")),
}
_HEADERS = st.sampled_from(
    [b""]
    + [SINGLE_OBJECT_MARKER + codec.schema.fingerprint_bytes for codec, _ in _BY_NAME.values()]
    + [SINGLE_OBJECT_MARKER + old.fingerprint_bytes for old in historical_schemas()]
)
_NAMES = st.sampled_from(sorted(_BY_NAME))


def _decode_or_codec_error(codec: ValueCodec, data: bytes) -> None:
    try:
        record = codec.decode(data, "t")
    except CodecError as exc:
        reason = exc.reason_code
    else:
        assert isinstance(record, dict)
        return
    assert reason in {"undecodable_record"}


@settings(max_examples=400, deadline=None)
@given(name=_NAMES, header=_HEADERS, body=st.binary(max_size=512))
def test_any_bytes_behind_any_known_header_decode_or_raise_a_codec_error(
    name: str, header: bytes, body: bytes
) -> None:
    _decode_or_codec_error(_BY_NAME[name][0], header + body)


@settings(max_examples=300, deadline=None)
@given(
    name=_NAMES,
    data=st.data(),
    flips=st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), max_size=8),
)
def test_damaged_and_truncated_records_raise_codec_errors(
    name: str, data: st.DataObject, flips: list[tuple[int, int]]
) -> None:
    codec, encoded = _BY_NAME[name]
    damaged = bytearray(encoded)
    for position, byte in flips:
        damaged[10 + position % (len(damaged) - 10)] = byte  # keep the header: reach the body
    cut = data.draw(st.integers(0, len(damaged)))
    _decode_or_codec_error(codec, bytes(damaged[:cut]))


def test_a_huge_length_prefix_is_a_codec_error_not_an_allocation() -> None:
    codec, encoded = _BY_NAME["submitted"]
    # The first field's zig-zag varint length claiming ~2^62 bytes.
    body = b"\xfe\xff\xff\xff\xff\xff\xff\xff\x7f"
    with pytest.raises(CodecError):
        codec.decode(encoded[:10] + body, "t")


# -- claim-checks -------------------------------------------------------------


@pytest.fixture(scope="module")
def store() -> Iterator[BlobStore]:
    with tempfile.TemporaryDirectory() as root:
        yield BlobStore(Path(root) / "blobs")


_TRAVERSALS = st.sampled_from(
    [
        "blob://sha256/../../../../etc/passwd",
        "blob://sha256//etc/passwd",
        "/etc/passwd",
        "file:///etc/passwd",
        "blob://sha256/" + "0" * 63 + "/",
        "blob://sha256/" + "A" * 64,
        "blob://sha256/" + "0" * 64 + "\n",
        "blob://sha256/" + "0" * 64 + "/../x",
        "blob://sha512/" + "0" * 64,
    ]
)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    uri=st.one_of(
        st.text(max_size=120),
        _TRAVERSALS,
        st.from_regex(r"blob://sha256/[0-9a-f]{64}", fullmatch=True),
    )
)
def test_any_reference_reads_its_blob_or_raises_a_claim_check_error(
    store: BlobStore, uri: str
) -> None:
    try:
        store.get(uri, max_bytes=1024)
    except ClaimCheckError as exc:
        reason = exc.reason_code
    else:
        pytest.fail(f"{uri!r} read something that was never stored")
    assert reason in {"bad_claim_check", "claim_check_missing"}


def _stored(store: BlobStore, payload: bytes) -> tuple[str, Path]:
    uri = store.put(payload)
    digest = uri.rsplit("/", 1)[1]
    return uri, store.root / digest[:2] / digest


def _reason(store: BlobStore, uri: str, max_bytes: int | None = None) -> str:
    with pytest.raises(DoclaneError) as caught:
        store.get(uri, max_bytes=max_bytes)
    assert isinstance(caught.value, ClaimCheckError)
    return caught.value.reason_code


def test_stored_blobs_round_trip_and_respect_the_size_limit(store: BlobStore) -> None:
    uri, _ = _stored(store, b"%PDF-1.7 round trip")
    assert store.get(uri, max_bytes=100) == b"%PDF-1.7 round trip"
    assert _reason(store, uri, max_bytes=5) == "document_too_large"


def test_a_blob_replaced_by_a_symlink_out_of_the_store_is_refused(
    store: BlobStore, tmp_path: Path
) -> None:
    payload = b"same bytes, outside the store"
    uri, path = _stored(store, payload)
    outside = tmp_path / "outside.pdf"
    outside.write_bytes(payload)
    path.unlink()
    path.symlink_to(outside)
    assert _reason(store, uri) == "bad_claim_check"


def test_a_shard_directory_linked_out_of_the_store_is_refused(
    store: BlobStore, tmp_path: Path
) -> None:
    payload = b"a shard elsewhere"
    uri, path = _stored(store, payload)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / path.name).write_bytes(payload)
    path.unlink()
    path.parent.rmdir()
    path.parent.symlink_to(elsewhere, target_is_directory=True)
    assert _reason(store, uri) == "bad_claim_check"


@pytest.mark.parametrize("kind", ["dev-zero", "fifo"])
def test_a_blob_that_is_not_a_regular_file_is_refused_without_reading_it(
    store: BlobStore, kind: str
) -> None:
    uri, path = _stored(store, f"special {kind}".encode())
    path.unlink()
    if kind == "fifo":
        os.mkfifo(path)  # opening it for reading would block forever
    else:
        path.symlink_to("/dev/zero")  # reading it would never end
    assert _reason(store, uri, max_bytes=1024) == "bad_claim_check"
