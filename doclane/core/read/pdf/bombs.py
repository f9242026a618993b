"""Refuse PDFs whose compressed streams would inflate past a budget (decompression bombs).

PDFium and pdfminer inflate a stream whole before looking at it, and a few
megabytes of FlateDecode can expand to gigabytes. Every zlib stream in the file
is inflated here first, a chunk at a time with nothing kept, through nested
layers (``/Filter [/FlateDecode /FlateDecode]``), so a bomb costs a bounded
amount of CPU and memory and ends as a typed error instead of an exhausted
process.
"""

from __future__ import annotations

import re
import zlib

from doclane.core.exceptions import UnreadableDocumentError

# The streams of a text PDF (content, fonts, an e-invoice XML) inflate to a few
# megabytes; even large image-heavy files stay far below this.
MAX_INFLATED_BYTES = 128 * 1024 * 1024
_MAX_LAYERS = 3
_IN_CHUNK = 64 * 1024
_OUT_PIECE = 1024 * 1024
# "stream" not preceded by "end"; the literal first lets the regex engine skip ahead fast.
_STREAM_START = re.compile(rb"stream(?<!endstream)(?:\r\n|\n|\r)")


def refuse_decompression_bombs(payload: bytes, budget: int = MAX_INFLATED_BYTES) -> None:
    """Raise `decompression_bomb` if the file's zlib streams inflate to more than `budget` bytes."""
    view = memoryview(payload)
    total = 0
    for match in _STREAM_START.finditer(payload):
        start = match.end()
        if _is_zlib_header(view[start : start + 2]):
            total += _inflated_size(view[start:], budget - total)
            if total > budget:
                raise UnreadableDocumentError(
                    f"The PDF's compressed streams expand to more than {budget // 2**20} MB; "
                    "it is refused as a likely decompression bomb.",
                    reason_code="decompression_bomb",
                    stage="read",
                )


def _is_zlib_header(head: memoryview) -> bool:
    return len(head) == 2 and head[0] & 0x0F == 8 and (head[0] << 8 | head[1]) % 31 == 0


def _inflated_size(data: memoryview, budget: int) -> int:
    """Bytes the zlib stream at the start of `data` inflates to, nested layers included.

    Stops early once past `budget`, at the stream's end, or where the data stops
    being valid zlib.
    """
    inflater = _Layers(budget)
    for offset in range(0, len(data), _IN_CHUNK):
        if not inflater.feed(0, data[offset : offset + _IN_CHUNK]):
            break
    return inflater.total


class _Layers:
    """A chain of inflaters: each layer's output feeds the next while it still looks like zlib."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.total = 0
        self._inflaters: list[zlib._Decompress | None] = [zlib.decompressobj()]

    def feed(self, level: int, data: bytes | memoryview) -> bool:
        """Push `data` into layer `level`; False once that layer is finished or over budget."""
        inflater = self._inflaters[level]
        while data and inflater is not None and not inflater.eof:
            try:
                out = inflater.decompress(data, _OUT_PIECE)
            except zlib.error:
                self._inflaters[level] = None
                return False
            data = inflater.unconsumed_tail
            self.total += len(out)
            if self.total > self.budget:
                return False
            if out and self._next_layer(level, out) is not None:
                self.feed(level + 1, out)
                if self.total > self.budget:
                    return False
        return inflater is not None and not inflater.eof

    def _next_layer(self, level: int, out: bytes) -> zlib._Decompress | None:
        if len(self._inflaters) == level + 1:
            if level + 1 >= _MAX_LAYERS or not _is_zlib_header(memoryview(out[:2])):
                self._inflaters.append(None)
            else:
                self._inflaters.append(zlib.decompressobj())
        return self._inflaters[level + 1]
