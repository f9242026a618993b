"""Outlook .msg files for tests, written with extract-msg's own OLE writer.

Only the properties a reader needs: message class, subject, body, sender and,
per attachment, its method (by value), long file name and data. Each string
property is a UTF-16 stream `__substg1.0_<tag>001F`; fixed-size properties
live in `__properties_version1.0` (a header, then 16 bytes per property).
"""

from __future__ import annotations

import io
import struct

from extract_msg.ole_writer import OleWriter

_PROPERTIES = "__properties_version1.0"
_ATTACH_BY_VALUE = 1


def _text(tag: int) -> str:
    return f"__substg1.0_{tag:04X}001F"


def _fixed_property(tag: int, kind: int, value: int) -> bytes:
    return struct.pack("<IIQ", (tag << 16) | kind, 0x6, value)  # readable and writable


def build_msg(*, subject: str, body: str, sender: str, attachments: dict[str, bytes]) -> bytes:
    writer = OleWriter()
    writer.addEntry(_text(0x001A), "IPM.Note".encode("utf-16-le"))
    writer.addEntry(_text(0x0037), subject.encode("utf-16-le"))
    writer.addEntry(_text(0x1000), body.encode("utf-16-le"))
    writer.addEntry(_text(0x0C1F), sender.encode("utf-16-le"))
    # The named-property map every MSG has: GUID, entry and string streams, empty here.
    writer.addEntry("__nameid_version1.0", storage=True)
    for stream in ("00020102", "00030102", "00040102"):
        writer.addEntry(f"__nameid_version1.0/__substg1.0_{stream}", b"")
    header = struct.pack("<8xIIII8x", 0, len(attachments), 0, len(attachments))
    writer.addEntry(_PROPERTIES, header)
    for index, (name, data) in enumerate(attachments.items()):
        storage = f"__attach_version1.0_#{index:08X}"
        writer.addEntry(storage, storage=True)
        writer.addEntry(f"{storage}/{_text(0x3707)}", name.encode("utf-16-le"))
        writer.addEntry(f"{storage}/__substg1.0_37010102", data)
        writer.addEntry(
            f"{storage}/{_PROPERTIES}",
            struct.pack("<8x") + _fixed_property(0x3705, 0x0003, _ATTACH_BY_VALUE),
        )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
