"""Hand-built PDFs: what fpdf2 will not write (bombs, broken structure, odd encryption).

`build_pdf` numbers the objects from 1 and writes a correct xref table, so a
reader that fails does so because of what the objects say, not a sloppy file.
"""

from __future__ import annotations

import zlib

MIB = 1024 * 1024
_ADLER_MOD = 65521
_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
TEXT_OPS = b"BT /F1 12 Tf 72 712 Td (Rechnung 4711 Gesamtbetrag 10,00 EUR) Tj ET\n"


def build_pdf(objects: list[bytes], *, trailer: bytes = b"/Root 1 0 R") -> bytes:
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d %s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        trailer,
        xref,
    )
    return bytes(out)


def stream(entries: bytes, data: bytes) -> bytes:
    return b"<< %s /Length %d >>\nstream\n%s\nendstream" % (entries, len(data), data)


def one_page_pdf(
    content: bytes,
    *,
    content_entries: bytes = b"/Filter /FlateDecode",
    extra: tuple[bytes, ...] = (),
    page_entries: bytes = b"",
    catalog_entries: bytes = b"",
    trailer: bytes = b"/Root 1 0 R",
    content_object: bytes | None = None,
) -> bytes:
    """Catalog 1, pages 2, page 3, font 4, content 5, then `extra` from object 6 on.

    `content_object` replaces object 5 whole (for a stream whose /Length lies).
    """
    return build_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R %s >>" % catalog_entries,
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R %s >>" % page_entries,
            _FONT,
            content_object or stream(content_entries, content),
            *extra,
        ],
        trailer=trailer,
    )


def text_pdf(ops: bytes = TEXT_OPS) -> bytes:
    return one_page_pdf(zlib.compress(ops))


def flate_bomb(mebibytes: int, fill: bytes = b" ", prefix: bytes = b"") -> bytes:
    """zlib data inflating to `prefix` + `mebibytes` MiB of `fill`, built without compressing it.

    With a full flush after each MiB every compressed MiB is the same bytes, so
    the bomb is one compressed block repeated; the Adler-32 trailer is computed
    in closed form, so even a careful inflater finds nothing wrong with it.
    """
    compressor = zlib.compressobj(9)
    head = compressor.compress(prefix) + compressor.flush(zlib.Z_FULL_FLUSH)
    compressor.compress(fill * MIB)
    compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(fill * MIB) + compressor.flush(zlib.Z_FULL_FLUSH)
    prefix_check = zlib.adler32(prefix)
    check = _adler32_of_repeats(fill[0], mebibytes * MIB, prefix_check)
    final_empty_block = b"\x03\x00"
    return head + block * mebibytes + final_empty_block + check.to_bytes(4, "big")


def _adler32_of_repeats(byte: int, length: int, start: int) -> int:
    a, b = start & 0xFFFF, start >> 16
    new_a = (a + length * byte) % _ADLER_MOD
    new_b = (b + length * a + byte * length * (length + 1) // 2) % _ADLER_MOD
    return new_b << 16 | new_a


def nested(depth: int, opener: bytes, closer: bytes, core: bytes = b"0") -> bytes:
    return opener * depth + core + closer * depth
