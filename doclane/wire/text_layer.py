"""The text layer in a compact layout, for the one hop that needs it (classify -> extract).

A parse process reads the document and writes its text layer as these bytes;
the agents carry them through Avro untouched (a `bytes` field costs a copy,
where the nested `DocumentText` record cost an object per line on every hop),
and the extract stage's parse process reads them back. Later stages receive no
text layer at all.

The layout is JSON (UTF-8), version 1:

    {"v": 1, "engine": "pdfium",
     "pages": [[number, width, height, [[text, x0, y0, x1, y1] | [text], ...]], ...],
     "attachments": {"factur-x.xml": "<base64>", ...}}

Version 2 is the same with OCR's confidence as a sixth element of a line
(`[text, x0, y0, x1, y1, confidence]`, the box null when there is none). It is
written only for a text with OCR'd lines, so a text-layer document stays
readable by a worker that knows only version 1.

Coordinates are PDF points from the page's top-left corner, as in the model.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

import orjson

from doclane.core.model import BoundingBox, DocumentText, Page, TextLine
from doclane.exceptions import CodecError

LAYOUT_VERSION = 2
_READABLE_VERSIONS = frozenset({1, 2})


def encode_text_layer(text: DocumentText) -> bytes:
    with_confidence = any(line.confidence is not None for page in text.pages for line in page.lines)
    return orjson.dumps(
        {
            "v": LAYOUT_VERSION if with_confidence else 1,
            "engine": text.engine,
            "pages": [
                [page.number, page.width, page.height, [_line(line) for line in page.lines]]
                for page in text.pages
            ],
            "attachments": {
                name: base64.b64encode(data).decode("ascii")
                for name, data in text.attachments.items()
            },
        }
    )


def decode_text_layer(data: bytes) -> DocumentText:
    try:
        raw = orjson.loads(data)
        if raw.get("v") not in _READABLE_VERSIONS:
            raise CodecError(
                f"text layer layout {raw.get('v')!r} is not one of {sorted(_READABLE_VERSIONS)}"
            )
        return DocumentText(
            pages=tuple(
                Page(number, tuple(_text_line(line) for line in lines), width, height)
                for number, width, height, lines in raw["pages"]
            ),
            engine=raw["engine"],
            attachments={
                name: base64.b64decode(encoded, validate=True)
                for name, encoded in raw.get("attachments", {}).items()
            },
        )
    except CodecError:
        raise
    except binascii.Error as exc:
        raise CodecError(f"an attachment of the text layer is not base64: {exc}") from exc
    except (orjson.JSONDecodeError, AttributeError, KeyError, TypeError, ValueError) as exc:
        raise CodecError(f"the text layer cannot be read: {type(exc).__name__}: {exc}") from exc


def _line(line: TextLine) -> list[Any]:
    box = line.bbox
    if line.confidence is not None:
        if box is None:
            return [line.text, None, None, None, None, line.confidence]
        return [line.text, box.x0, box.y0, box.x1, box.y1, line.confidence]
    if box is None:
        return [line.text]
    return [line.text, box.x0, box.y0, box.x1, box.y1]


def _text_line(raw: list[Any]) -> TextLine:
    if len(raw) == 1:
        return TextLine(str(raw[0]))
    text, x0, y0, x1, y1, *rest = raw
    if len(rest) > 1:
        raise ValueError(f"a line has {len(raw)} elements, at most 6 are known")
    confidence = float(rest[0]) if rest else None
    box = None if x0 is None else BoundingBox(float(x0), float(y0), float(x1), float(y1))
    return TextLine(str(text), box, confidence)
