"""Hostile PDFs: truncated, encrypted, deeply nested, decompression bombs, resource hogs."""

from __future__ import annotations

import zlib
from collections.abc import Iterator

from fpdf import FPDF
from fpdf.enums import EncryptionMethod, XPos, YPos

from doclane.samples import generate_document
from tests.hostile.corpus import OK, HostileCase
from tests.hostile.pdf_builder import (
    TEXT_OPS,
    build_pdf,
    flate_bomb,
    nested,
    one_page_pdf,
    stream,
    text_pdf,
)

_PDF = "application/pdf"
_LINES = ["RECHNUNG", "Rechnungsnummer: RE-2024-0815", "Gesamtbetrag: 357,00 EUR"]


def fpdf_invoice(
    *, user_password: str | None = None, method: EncryptionMethod | None = None
) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_font("helvetica", size=11)
    pdf.add_page()
    for line in _LINES:
        pdf.cell(text=line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if method is not None:
        pdf.set_encryption(
            owner_password="owner-secret", user_password=user_password, encryption_method=method
        )
    return bytes(pdf.output())


def sample_invoice() -> bytes:
    import random

    return generate_document("invoice", random.Random(7), pages=1).payload


def truncated() -> Iterator[HostileCase]:
    """Cut anywhere, a PDF loses its trailer and cross-reference table: corrupt."""
    bases = {"fpdf": fpdf_invoice(), "sample": sample_invoice(), "handmade": text_pdf()}
    for base_name, base in bases.items():
        for twelfth in range(1, 13):
            cut = len(base) * twelfth // 13
            yield HostileCase(
                f"truncated-{base_name}-{twelfth}of13",
                "truncated_pdf",
                base[:cut],
                "corrupt_pdf",
                content_type=_PDF,
            )
    yield HostileCase("truncated-header-only", "truncated_pdf", b"%PDF-1.7\n", "corrupt_pdf")
    yield HostileCase(
        "truncated-mid-stream",
        "truncated_pdf",
        text_pdf()[: text_pdf().index(b"stream") + 12],
        "corrupt_pdf",
    )


def encrypted() -> Iterator[HostileCase]:
    methods = [EncryptionMethod.RC4, EncryptionMethod.AES_128, EncryptionMethod.AES_256]
    for method in methods:
        for password in ("pw", "correct horse battery staple", "Kennwort-ÄÖÜ", "x" * 32):
            yield HostileCase(
                f"encrypted-{method.name.lower()}-{len(password)}",
                "encrypted_pdf",
                fpdf_invoice(user_password=password, method=method),
                "encrypted_pdf",
                content_type=_PDF,
            )
        # Only an owner password (no password to open): readable, and must be read.
        yield HostileCase(
            f"owner-password-only-{method.name.lower()}",
            "encrypted_pdf",
            fpdf_invoice(user_password="", method=method),
            OK,
        )
    file_id = b"/ID [<00112233445566778899aabbccddeeff><00112233445566778899aabbccddeeff>]"
    handlers = {
        "unknown-handler": b"<< /Filter /FooSecurity /V 1 /R 2 /O (x) /U (y) /P -4 >>",
        "standard-r2": b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P -4 >>"
        % (b"00" * 32, b"11" * 32),
        "standard-r3": b"<< /Filter /Standard /V 2 /R 3 /Length 128 /O <%s> /U <%s> /P -4 >>"
        % (b"00" * 32, b"11" * 32),
        "standard-r4-aes": b"<< /Filter /Standard /V 4 /R 4 /O <%s> /U <%s> /P -4 "
        b"/CF << /StdCF << /CFM /AESV2 /Length 16 >> >> /StmF /StdCF /StrF /StdCF >>"
        % (b"00" * 32, b"11" * 32),
        "standard-r6-aes256": b"<< /Filter /Standard /V 5 /R 6 /Length 256 /O <%s> /U <%s> "
        b"/OE <%s> /UE <%s> /Perms <%s> /P -4 "
        b"/CF << /StdCF << /CFM /AESV3 /Length 32 >> >> /StmF /StdCF /StrF /StdCF >>"
        % (b"00" * 48, b"11" * 48, b"22" * 32, b"33" * 32, b"44" * 16),
    }
    for name, handler in handlers.items():
        yield HostileCase(
            f"encrypt-dictionary-{name}",
            "encrypted_pdf",
            one_page_pdf(
                zlib.compress(TEXT_OPS),
                extra=(handler,),
                trailer=b"/Root 1 0 R /Encrypt 6 0 R " + file_id,
            ),
            "encrypted_pdf",
        )


def _pages_chain(depth: int) -> bytes:
    """A page tree `depth` /Pages nodes deep above one page."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    for level in range(depth):
        number = 2 + level
        parent = b"/Parent %d 0 R" % (number - 1) if level else b""
        objects.append(b"<< /Type /Pages /Kids [%d 0 R] /Count 1 %s >>" % (number + 1, parent))
    page = 2 + depth
    objects.append(
        b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>"
        % (page - 1, page + 1, page + 2)
    )
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    objects.append(stream(b"/Filter /FlateDecode", zlib.compress(TEXT_OPS)))
    return build_pdf(objects)


def _cyclic_pages() -> bytes:
    return build_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            stream(b"/Filter /FlateDecode", zlib.compress(TEXT_OPS)),
        ]
    )


def _reference_chain(length: int) -> bytes:
    """The page's /Contents is `6 0 R`, which is `7 0 R`, ... `length` indirections long."""
    chain = [b"%d 0 R" % (7 + i) for i in range(length)]
    return build_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 4 0 R >> >> /Contents 6 0 R >>",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            b"null",
            *chain,
            stream(b"/Filter /FlateDecode", zlib.compress(TEXT_OPS)),
        ]
    )


def deeply_nested() -> Iterator[HostileCase]:
    """Nesting the readers must bound; where the page itself is intact its text is read."""
    text = zlib.compress(TEXT_OPS)
    yield from (
        HostileCase(name, "deep_nesting", payload, expected)
        for name, payload, expected in [
            ("nested-arrays-in-page", one_page_pdf(text, page_entries=b"/X " + nested(100_000, b"[", b"]")), OK),
            ("nested-dicts-in-page", one_page_pdf(text, page_entries=b"/X " + nested(50_000, b"<< /A ", b" >>")), OK),
            ("nested-arrays-in-content", one_page_pdf(zlib.compress(nested(200_000, b"[", b"]") + b"\n" + TEXT_OPS)), OK),
            ("nested-dicts-in-content", one_page_pdf(zlib.compress(nested(100_000, b"<< /A ", b" >>") + b"\n" + TEXT_OPS)), OK),
            ("nested-text-objects", one_page_pdf(zlib.compress(b"BT " * 200_000 + TEXT_OPS)), OK),
            ("deep-page-tree", _pages_chain(5_000), "corrupt_pdf"),
            ("cyclic-page-tree", _cyclic_pages(), "corrupt_pdf"),
            ("long-reference-chain", _reference_chain(5_000), "no_text_layer"),
            ("huge-page-count", one_page_pdf(text).replace(b"/Count 1", b"/Count 2147483647"), OK),
        ]
    )  # fmt: skip


def _attachment_pdf(
    data: bytes, *, entries: bytes = b"/Filter /FlateDecode", name: bytes = b"factur-x.xml"
) -> bytes:
    return one_page_pdf(
        zlib.compress(TEXT_OPS),
        extra=(
            stream(b"/Type /EmbeddedFile " + entries, data),
            b"<< /Type /Filespec /F (%s) /UF (%s) /EF << /F 6 0 R >> >>" % (name, name),
            b"<< /Names [(%s) 7 0 R] >>" % name,
        ),
        catalog_entries=b"/Names << /EmbeddedFiles 8 0 R >>",
    )


def _font_bomb() -> bytes:
    return build_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
            b"<< /Type /Font /Subtype /TrueType /BaseFont /Foo /FirstChar 32 /LastChar 126 "
            b"/FontDescriptor 6 0 R >>",
            stream(b"/Filter /FlateDecode", zlib.compress(TEXT_OPS)),
            b"<< /Type /FontDescriptor /FontName /Foo /Flags 32 /FontBBox [0 0 1000 1000] "
            b"/ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 /FontFile2 7 0 R >>",
            stream(b"/Filter /FlateDecode /Length1 99", flate_bomb(1024)),
        ]
    )


def _object_stream_bomb() -> bytes:
    """An object stream (compressed objects) padded to a gigabyte."""
    header = b"6 0".ljust(16)
    data = flate_bomb(1024, b" ", prefix=header + b"<< /Padding true >>")
    objstm = stream(b"/Type /ObjStm /N 1 /First 16 /Filter /FlateDecode", data)
    return one_page_pdf(zlib.compress(TEXT_OPS), extra=(objstm,))


def decompression_bombs() -> Iterator[HostileCase]:
    """FlateDecode streams expanding to gigabytes; refused before a PDF engine inflates them."""
    double = zlib.compress(flate_bomb(2048, prefix=TEXT_OPS), 9)
    triple = zlib.compress(zlib.compress(flate_bomb(4096, b"\0"), 9), 9)
    medium = stream(b"/Filter /FlateDecode", flate_bomb(40))
    cases = {
        "content-1gib-spaces": one_page_pdf(flate_bomb(1024, b" ", prefix=TEXT_OPS)),
        "content-2gib-zeros": one_page_pdf(flate_bomb(2048, b"\0", prefix=TEXT_OPS)),
        "content-4gib-operators": one_page_pdf(flate_bomb(1024, b"q Q ", prefix=TEXT_OPS)),
        "content-double-flate-2gib": one_page_pdf(
            double, content_entries=b"/Filter [/FlateDecode /FlateDecode]"
        ),
        "content-triple-flate-4gib": one_page_pdf(
            triple, content_entries=b"/Filter [/FlateDecode /FlateDecode /FlateDecode]"
        ),
        "content-bomb-without-filter-entry": one_page_pdf(flate_bomb(1024), content_entries=b""),
        "content-bomb-wrong-length": one_page_pdf(
            b"",
            content_object=b"<< /Filter /FlateDecode /Length 5 >>\nstream\n%s\nendstream"
            % flate_bomb(1024, prefix=TEXT_OPS),
        ),
        "attachment-1gib": _attachment_pdf(flate_bomb(1024, prefix=b"<?xml version='1.0'?><a>")),
        "attachment-double-flate": _attachment_pdf(
            zlib.compress(flate_bomb(2048), 9), entries=b"/Filter [/FlateDecode /FlateDecode]"
        ),
        "font-file-1gib": _font_bomb(),
        "object-stream-1gib": _object_stream_bomb(),
        "five-medium-streams": one_page_pdf(zlib.compress(TEXT_OPS), extra=(medium,) * 5),
        "junk-before-header": b"\0" * 512 + one_page_pdf(flate_bomb(1024, prefix=TEXT_OPS)),
    }
    for name, payload in cases.items():
        yield HostileCase(f"bomb-{name}", "decompression_bomb", payload, "decompression_bomb")


def _many_pages(count: int) -> bytes:
    """`count` pages sharing one content stream; each page inherits its box and font."""
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(count))
    return build_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [%s] /Count %d /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 3 0 R >> >> >>" % (kids, count),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            stream(b"/Filter /FlateDecode", zlib.compress(TEXT_OPS)),
            *[b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>"] * count,
        ]
    )


def resource_exhaustion() -> Iterator[HostileCase]:
    """Below the bomb budget but beyond the parse process's limits: the pool must stop them."""
    cases = [
        ("content-100mib-of-spaces", one_page_pdf(flate_bomb(100, b" ", prefix=TEXT_OPS)),
         "memory_exceeded", "pdfium"),
        ("three-million-saved-graphics-states", one_page_pdf(zlib.compress(b"q " * 3_000_000 + TEXT_OPS)),
         "memory_exceeded", "pdfium"),
        ("pdfminer-ten-thousand-pages", _many_pages(10_000), "cpu_time_exceeded", "pdfminer"),
    ]  # fmt: skip
    for name, payload, expected, engine in cases:
        yield HostileCase(
            name, "resource_exhaustion", payload, expected, pdf_engine=engine, needs_limits=True
        )


def xml_attacks_as_attachments() -> Iterator[HostileCase]:
    """An e-invoice attachment that is an XML bomb must not cost the page text."""
    from tests.hostile.texts import XML_BOMBS

    for name, xml in XML_BOMBS.items():
        yield HostileCase(
            f"pdf-attachment-{name}",
            "xml_attack_in_pdf",
            _attachment_pdf(zlib.compress(xml)),
            OK,
            content_type=_PDF,
        )
