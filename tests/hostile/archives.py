"""Hostile Word files (a .docx is a ZIP): zip bombs, nested and damaged archives.

`raw_zip` writes local headers and the central directory by hand, so a test can
declare sizes that lie, point many entries at the same data, or use a member
compressed to a thousandth of its size without compressing gigabytes first.
"""

from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from tests.hostile.corpus import OK, HostileCase
from tests.hostile.pdf_builder import MIB, flate_bomb

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
BODY = "word/document.xml"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def word_body(paragraphs: list[str]) -> bytes:
    runs = "".join(f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>" for text in paragraphs)
    return f'<w:document xmlns:w="{_W}"><w:body>{runs}</w:body></w:document>'.encode()


def docx(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


GOOD_DOCX = docx({BODY: word_body(["RECHNUNG", "Rechnungsnummer: RE-7", "Gesamt: 10,00 EUR"])})


@dataclass(frozen=True)
class RawMember:
    name: str
    data: bytes  # as stored: raw deflate for method 8
    crc: int
    file_size: int
    method: int = zipfile.ZIP_DEFLATED
    offset: int | None = None  # point the directory entry at another member's local header


def raw_zip(members: list[RawMember]) -> bytes:
    out = bytearray()
    directory = bytearray()
    for member in members:
        name = member.name.encode()
        if member.offset is None:
            offset = len(out)
            out += struct.pack(
                "<IHHHHHIIIHH", 0x04034B50, 20, 0, member.method, 0, 0x21,
                member.crc, len(member.data), member.file_size, len(name), 0,
            )  # fmt: skip
            out += name + member.data
        else:
            offset = member.offset
        directory += struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, member.method, 0, 0x21,
            member.crc, len(member.data), member.file_size, len(name), 0, 0, 0, 0, 0, offset,
        )  # fmt: skip
        directory += name
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(directory), len(out), 0
    )
    return bytes(out + directory + end)


def deflated(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def raw_deflate_bomb(mebibytes: int) -> bytes:
    """Raw deflate (no zlib header or checksum, as in a ZIP) of `mebibytes` MiB of zeros."""
    return flate_bomb(mebibytes, b"\0")[2:-4]


def _body_member(text: bytes) -> RawMember:
    return RawMember(BODY, deflated(text), zlib.crc32(text), len(text))


def _bomb_member(name: str, mebibytes: int) -> RawMember:
    crc = 0
    block = b"\0" * MIB
    for _ in range(mebibytes):
        crc = zlib.crc32(block, crc)
    return RawMember(name, raw_deflate_bomb(mebibytes), crc, mebibytes * MIB)


def _nested_zips(levels: int, width: int) -> bytes:
    """42.zip's shape: zips of zips, the innermost holding a megabyte of zeros each."""
    inner = docx({"zeros.bin": b"\0" * MIB})
    for level in range(levels):
        inner = docx({f"layer{level}-{i}.zip": inner for i in range(width)})
    return inner


def _overlapping_entries(count: int) -> bytes:
    """Many directory entries sharing one 64 MiB local member (a non-recursive zip bomb)."""
    shared = _bomb_member("word/shared.bin", 64)
    members = [_body_member(word_body(["x"])), shared]
    first_size = 30 + len(BODY) + len(members[0].data)
    members += [
        RawMember(f"word/copy{i}.bin", shared.data, shared.crc, shared.file_size, offset=first_size)
        for i in range(count)
    ]
    return raw_zip(members)


def _many_words(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=7)) for _ in range(count)]


def zip_bombs() -> Iterator[HostileCase]:
    from tests.hostile.texts import XML_BOMBS

    body = _body_member(word_body(["Rechnung"]))
    cases: dict[str, tuple[bytes, str | None]] = {
        "body-declared-4gib": (
            raw_zip([RawMember(BODY, raw_deflate_bomb(64), 0, 2**32 - 2)]),
            "archive_too_large",
        ),
        "padding-member-1gib": (raw_zip([body, _bomb_member("word/media/x.bin", 1024)]), "archive_too_large"),
        "padding-member-60mib": (raw_zip([body, _bomb_member("word/media/x.bin", 60)]), "archive_too_large"),
        "ratio-1000-to-1-5mib": (raw_zip([body, _bomb_member("word/media/x.bin", 5)]), "archive_too_large"),
        "six-thousand-members": (
            raw_zip([body] + [RawMember(f"m/{i}", deflated(b""), 0, 0) for i in range(6000)]),
            "archive_too_large",
        ),
        "overlapping-entries": (_overlapping_entries(2000), "archive_too_large"),
        # Not an Office file: a container, unpacked until its fourth level of archives.
        "nested-zips-not-a-docx": (_nested_zips(levels=3, width=6), "archive_too_deep"),
        "nested-zip-beside-the-body": (
            docx({BODY: word_body(["Rechnung 4711"]), "word/embeddings/x.zip": _nested_zips(2, 4)}),
            OK,
        ),
        "body-is-a-zip": (docx({BODY: GOOD_DOCX}), "malformed_xml"),
        "body-elements-300k": (
            docx({BODY: word_body(_many_words(100_000, seed=3))}),
            "xml_too_large",
        ),
        "body-nested-300-deep": (
            docx({BODY: f'<w:document xmlns:w="{_W}">'.encode() + b"<w:b>" * 300 + b"</w:b>" * 300 + b"</w:document>"}),
            "xml_too_large",
        ),
    }  # fmt: skip
    for name, xml in XML_BOMBS.items():
        cases[f"body-{name}"] = (docx({BODY: xml}), "unsafe_xml")
    for name, (payload, expected) in cases.items():
        yield HostileCase(f"docx-{name}", "zip_bomb", payload, expected, content_type=DOCX)


def _corrupt(payload: bytes, at: int, length: int) -> bytes:
    damaged = bytearray(payload)
    for index in range(at, at + length):
        damaged[index] ^= 0x5A
    return bytes(damaged)


def _member_data_offset(payload: bytes) -> int:
    return payload.index(BODY.encode()) + len(BODY) + 4


def damaged() -> Iterator[HostileCase]:
    long_body = word_body(_many_words(400, seed=5))
    by_method = {
        method: docx({BODY: long_body}, method)
        for method in (zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA)
    }
    text = word_body(["Rechnung"] * 50)
    lying = RawMember(BODY, deflated(text), zlib.crc32(text), 100)
    encrypted = bytearray(GOOD_DOCX)
    encrypted[6] |= 1  # general-purpose flag bit 0: encrypted, in the local header ...
    encrypted[encrypted.rindex(b"PK\x01\x02") + 8] |= 1  # ... and in the directory
    cases: dict[str, bytes] = {
        f"corrupt-{zipfile.compressor_names[method]}-member": _corrupt(
            payload, _member_data_offset(payload) + 8, 24
        )
        for method, payload in by_method.items()
    }
    cases |= {
        "member-sizes-lie": raw_zip([lying]),
        "encrypted-member": bytes(encrypted),
        "unknown-compression-method": raw_zip(
            [RawMember(BODY, text, zlib.crc32(text), len(text), method=99)]
        ),
        "directory-offset-out-of-range": GOOD_DOCX[:-6] + struct.pack("<IH", 2**31, 0),
        "zip-magic-then-noise": b"PK\x03\x04" + random.Random(1).randbytes(2000),
    }
    for ninth in range(1, 9):
        cases[f"truncated-{ninth}of9"] = GOOD_DOCX[: len(GOOD_DOCX) * ninth // 9]
    for name, payload in cases.items():
        yield HostileCase(
            f"docx-{name}", "damaged_archive", payload, "corrupt_archive", content_type=DOCX
        )
