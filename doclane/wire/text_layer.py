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

Coordinates are PDF points from the page's top-left corner, as in the model.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

import orjson

from doclane.core.model import BoundingBox, DocumentText, Page, TextLine
from doclane.exceptions import CodecError

LAYOUT_VERSION = 1


def encode_text_layer(text: DocumentText) -> bytes:
    return orjson.dumps(
        {
            "v": LAYOUT_VERSION,
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
        if raw.get("v") != LAYOUT_VERSION:
            raise CodecError(f"text layer layout {raw.get('v')!r} is not {LAYOUT_VERSION}")
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
    if box is None:
        return [line.text]
    return [line.text, box.x0, box.y0, box.x1, box.y1]


def _text_line(raw: list[Any]) -> TextLine:
    if len(raw) == 1:
        return TextLine(str(raw[0]))
    text, x0, y0, x1, y1 = raw
    return TextLine(str(text), BoundingBox(float(x0), float(y0), float(x1), float(y1)))
