"""Hostile non-PDF inputs: empty and oversized files, lying content types, noise, bad text, XML."""

from __future__ import annotations

import codecs
import random
from collections.abc import Iterator

from tests.hostile.archives import DOCX, GOOD_DOCX, docx, word_body
from tests.hostile.corpus import OK, HostileCase
from tests.hostile.pdf_builder import text_pdf

_CONTENT_TYPES = {
    "none": None,
    "pdf": "application/pdf",
    "text": "text/plain",
    "xml": "application/xml",
    "docx": DOCX,
}

_LAUGHS = "".join(
    f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
)  # each level ten times the one below: 10^9 "lol"s from under 1 KB
XML_BOMBS: dict[str, bytes] = {
    "billion-laughs": (
        f'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">{_LAUGHS}]>'
        "<Invoice>&lol9;</Invoice>"
    ).encode(),
    "quadratic-blowup": (
        f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "{"A" * 50_000}">]>'
        f"<Invoice>{'&a;' * 50_000}</Invoice>"
    ).encode(),
    "external-entity-file": b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM '
    b'"file:///etc/passwd">]><Invoice><ID>&xxe;</ID></Invoice>',
    "external-entity-http": b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM '
    b'"http://127.0.0.1:9/evil">]><Invoice>&xxe;</Invoice>',
    "parameter-entity": b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY % p SYSTEM '
    b'"http://127.0.0.1:9/p.dtd"> %p;]><Invoice/>',
    "external-dtd": b'<?xml version="1.0"?><!DOCTYPE Invoice SYSTEM "http://127.0.0.1:9/x.dtd">'
    b"<Invoice/>",
    "doctype-without-entities": b'<?xml version="1.0"?><!DOCTYPE Invoice><Invoice>1</Invoice>',
    "billion-laughs-utf16": (
        f'<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">{_LAUGHS}]>'
        "<Invoice>&lol9;</Invoice>"
    ).encode("utf-16"),
}


def empty_and_oversized(max_input_bytes: int) -> Iterator[HostileCase]:
    for type_name, content_type in _CONTENT_TYPES.items():
        yield HostileCase(
            f"zero-bytes-as-{type_name}", "empty", b"", "empty_document", content_type
        )
    blank = {
        "spaces": b"    ",
        "newlines": b"\n" * 10_000,
        "form-feeds-and-tabs": b"\f\t \f\r\n\f",
        "utf8-bom-only": codecs.BOM_UTF8,
        "utf16-bom-and-spaces": " \n ".encode("utf-16"),
    }
    for name, payload in blank.items():
        yield HostileCase(f"blank-text-{name}", "empty", payload, "empty_document", "text/plain")
    yield HostileCase(
        "docx-without-paragraphs",
        "empty",
        docx({"word/document.xml": word_body([])}),
        "empty_document",
        DOCX,
    )
    too_big = max_input_bytes + 1
    oversized = {
        "pdf": text_pdf() + b"%" * too_big,
        "text": b"Rechnung 4711\n" * (too_big // 14 + 1),
        "noise": random.Random(2).randbytes(too_big),
    }
    for name, payload in oversized.items():
        yield HostileCase(
            f"oversized-{name}", "oversized", payload, "document_too_large", needs_limits=True
        )


def wrong_content_types() -> Iterator[HostileCase]:
    """The bytes decide what a file is; a lying label must neither crash nor mislead."""
    pdf, xml = text_pdf(), b"<?xml version='1.0'?><Invoice><ID>INV-1</ID></Invoice>"
    foreign = {
        "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64),
        "jpeg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(64),
        "gif": b"GIF89a" + bytes(64),
        "tiff": b"II*\x00" + bytes(64),
        "ole-word97": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
        "elf": b"\x7fELF\x02\x01\x01" + bytes(64),
        "gzip": b"\x1f\x8b\x08\x00" + bytes(64),
        "html": b"<!DOCTYPE html><html><body>Rechnung</body></html>",
    }
    cases: list[tuple[str, bytes, str | None, str | None]] = []
    pictures = {"png", "jpeg", "tiff"}  # known by their bytes and read by OCR: these are damaged
    for name, payload in foreign.items():
        expected = "corrupt_image" if name in pictures else "unsupported_content_type"
        for label in ("pdf", "docx", "none"):
            cases.append((f"{name}-as-{label}", payload, _CONTENT_TYPES[label], expected))
    cases += [
        ("pdf-as-text", pdf, "text/plain", OK),
        ("pdf-as-xml", pdf, "application/xml", OK),
        ("pdf-as-docx", pdf, DOCX, OK),
        ("docx-as-pdf", GOOD_DOCX, "application/pdf", OK),
        ("docx-as-text", GOOD_DOCX, "text/plain", OK),
        ("xml-as-text", xml, "text/plain", OK),
        ("truncated-pdf-as-text", pdf[: len(pdf) // 2], "text/plain", "corrupt_pdf"),
        ("text-as-pdf", b"Rechnung 4711\nSumme 10,00", "application/pdf", "unsupported_content_type"),
        ("text-as-docx", b"Rechnung 4711\nSumme 10,00", DOCX, "unsupported_content_type"),
        ("text-as-xml", b"Rechnung 4711 & Summe < 10,00", "application/xml", "malformed_xml"),
        ("png-as-text", foreign["png"], "text/plain", "corrupt_image"),
        ("png-as-xml", foreign["png"], "application/xml", "corrupt_image"),
        ("content-type-garbage", pdf, "application/pdf; charset=\x00\xff;;", OK),
    ]  # fmt: skip
    for name, payload, content_type, expected in cases:
        yield HostileCase(f"label-{name}", "wrong_content_type", payload, expected, content_type)


def binary_noise(seed: int) -> Iterator[HostileCase]:
    rng = random.Random(seed)
    by_label = {
        "none": "unsupported_content_type",
        "pdf": "unsupported_content_type",
        "docx": "unsupported_content_type",
        "text": "invalid_text_encoding",
        "xml": "malformed_xml",
    }
    for label, expected in by_label.items():
        for index in range(8):
            noise = bytes([rng.randrange(0x80, 0x100)]) + rng.randbytes(rng.randrange(64, 4096))
            yield HostileCase(
                f"noise-{label}-{index}", "binary_noise", noise, expected, _CONTENT_TYPES[label]
            )
    behind_magic = {"pdf": (b"%PDF-1.7\n", "corrupt_pdf"), "zip": (b"PK\x03\x04", "corrupt_archive"),
                    "xml": (b"<?xml version='1.0'?>", "malformed_xml")}  # fmt: skip
    for name, (magic, expected) in behind_magic.items():
        for index in range(8):
            noise = magic + rng.randbytes(rng.randrange(64, 4096))
            yield HostileCase(f"noise-behind-{name}-magic-{index}", "binary_noise", noise, expected)


def invalid_text() -> Iterator[HostileCase]:
    """Bytes declared as text that are neither UTF-8 nor Windows-1252 text."""
    line = "Rechnung Nr. 4711, Summe 10,00 EUR\n"
    cases = {
        "undefined-cp1252-bytes": line.encode() + b"\x81\x8d\x8f\x90\x9d" + b"\xc3(",
        "invalid-utf8-and-undefined-cp1252": b"Summe \xc3\x28 \xa0\xa1 \xf0\x28\x8c\x28 \x81",
        "overlong-utf8-and-undefined-cp1252": b"\xc0\xaf\xe0\x80\xaf \x90 Rechnung",
        "utf16-without-bom": line.encode("utf-16-le") * 20,
        "utf16be-without-bom": line.encode("utf-16-be") * 20,
        "utf32": line.encode("utf-32") * 20,
        "utf16-bom-odd-length": codecs.BOM_UTF16_LE + line.encode("utf-16-le") + b"\x00\xd8\x41",
        "utf16-lone-surrogate": codecs.BOM_UTF16_LE + b"\x00\xd8" + "Rechnung".encode("utf-16-le"),
        "nul-separated": b"\x00".join(line.encode().split()) * 10,
        "control-characters": (line.encode() + bytes(range(1, 9)) + bytes(range(14, 32))) * 10,
        "cesu8-surrogates-and-undefined": b"\xed\xa0\x80\xed\xb0\x80 \x8d Rechnung",
        "latin1-with-c1-controls": (line.encode("latin-1") + b"\x81\x8d") * 5,
    }
    for name, payload in cases.items():
        yield HostileCase(
            f"text-{name}", "invalid_text", payload, "invalid_text_encoding", "text/plain"
        )
    readable = {"cp1252-fallback": "Größe: 12,50 € Rechnung".encode("cp1252"),
                "utf16-with-bom": line.encode("utf-16"), "utf8-with-bom": codecs.BOM_UTF8 + line.encode()}  # fmt: skip
    for name, payload in readable.items():
        yield HostileCase(f"text-{name}", "invalid_text", payload, OK, "text/plain")


def _nested_xml(depth: int) -> bytes:
    return b"<?xml version='1.0'?>" + b"<a>" * depth + b"x" + b"</a>" * depth


def xml_attacks() -> Iterator[HostileCase]:
    """Declared as e-invoice XML, three ways: content type, +xml type, file name."""
    declared = [
        ("application/xml", None),
        ("application/vnd.peppol+xml", None),
        (None, "xrechnung.xml"),
    ]
    cases: dict[str, tuple[bytes, str | None]] = {
        name: (payload, "unsafe_xml") for name, payload in XML_BOMBS.items()
    }
    cases |= {
        "nested-100k-deep": (_nested_xml(100_000), "xml_too_large"),
        "nested-300-deep": (_nested_xml(300), "xml_too_large"),
        "elements-250k": (b"<?xml version='1.0'?><r>" + b"<a/>" * 250_000 + b"</r>", "xml_too_large"),
        "unclosed-root": (b"<?xml version='1.0'?><Invoice><ID>1</ID>", "malformed_xml"),
        "unknown-encoding": (b"<?xml version='1.0' encoding='x-klingon'?><Invoice/>", "malformed_xml"),
        "nul-in-text": (b"<?xml version='1.0'?><Invoice>\x00</Invoice>", "malformed_xml"),
        "two-roots": (b"<?xml version='1.0'?><Invoice/><Invoice/>", "malformed_xml"),
        "undefined-entity": (b"<?xml version='1.0'?><Invoice>&xxe;</Invoice>", "malformed_xml"),
        "xinclude-is-not-followed": (
            b"<?xml version='1.0'?><Invoice xmlns:xi='http://www.w3.org/2001/XInclude'><ID>INV-9</ID>"
            b"<xi:include href='file:///etc/passwd' parse='text'/></Invoice>",
            OK,
        ),
    }  # fmt: skip
    for name, (payload, expected) in cases.items():
        for index, (content_type, filename) in enumerate(declared):
            yield HostileCase(
                f"xml-{name}-{index}", "xml_attack", payload, expected, content_type, filename
            )
