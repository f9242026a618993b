"""Reading the files of one upload request: a raw body, or multipart with one or many files.

The body is read as it arrives and never held whole: each file goes through
a `Spool` (memory while small, the blob store once large), its format is
checked as soon as its headers (or first bytes) allow, and the first refusal
stops reading. Nothing is submitted here; the caller submits all files or none.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

from doclane.api.acceptance import (
    filename_from_disposition,
    format_from_declared,
    format_from_payload_head,
    recorded_content_type,
)
from doclane.api.errors import ApiError, UploadTooLargeError
from doclane.api.spool import Spool, Spooled
from doclane.core.read.formats import Format

MAX_FILES_PER_REQUEST = 100
_MAX_FIELD_BYTES = 64 * 1024  # a form field that is not a file is skipped, but not read forever


@dataclass(frozen=True)
class ReceivedFile:
    filename: str | None
    content_type: str  # as it goes on the record
    spooled: Spooled


class FileReceiver:
    """One file of an upload: checked, then spooled."""

    def __init__(self, filename: str | None, content_type: str | None, spool: Spool) -> None:
        self.filename = filename
        self.declared_type = content_type
        self.spool = spool
        self.format: Format | None = format_from_declared(content_type, filename)

    def write(self, chunk: bytes) -> None:
        self.spool.write(chunk)
        if self.format is None and self.spool.head_complete:
            self.format = format_from_payload_head(
                self.declared_type, self.filename, self.spool.head
            )

    async def finish(self) -> ReceivedFile:
        if self.spool.size == 0:
            named = f" {self.filename}" if self.filename else ""
            raise ApiError(f"the file{named} is empty (0 bytes)")
        if self.format is None:
            self.format = format_from_payload_head(
                self.declared_type, self.filename, self.spool.head
            )
        spooled = await asyncio.to_thread(self.spool.finish)  # a claimed blob may upload to S3
        return ReceivedFile(
            self.filename, recorded_content_type(self.declared_type, self.format), spooled
        )

    def abort(self) -> None:
        self.spool.abort()


async def receive_raw(
    chunks: AsyncIterator[bytes],
    *,
    filename: str | None,
    content_type: str | None,
    new_spool: Callable[[], Spool],
) -> list[ReceivedFile]:
    receiver = FileReceiver(filename, content_type, new_spool())
    try:
        async for chunk in chunks:
            receiver.write(chunk)
        return [await receiver.finish()]
    except BaseException:
        receiver.abort()
        raise


async def receive_multipart(
    chunks: AsyncIterator[bytes], *, content_type: str, new_spool: Callable[[], Spool]
) -> list[ReceivedFile]:
    _, options = parse_options_header(content_type)
    boundary = options.get(b"boundary")
    if not boundary:
        raise ApiError("multipart/form-data without a boundary")
    reader = _MultipartReader(new_spool)
    parser = MultipartParser(boundary, reader.callbacks())
    try:
        async for chunk in chunks:
            try:
                parser.write(chunk)
            except MultipartParseError as exc:
                raise ApiError(f"malformed multipart body: {exc}") from exc
            await reader.handle_events()
        parser.finalize()
        await reader.handle_events()
    except BaseException:
        reader.abort()
        raise
    if not reader.finished:
        raise ApiError(
            "the multipart body has no file part (send files as form-data with a filename)"
        )
    return reader.finished


class _MultipartReader:
    """Turns python-multipart's callbacks into files; events are queued by the parser's
    callbacks and handled after each chunk, so errors surface outside the parser."""

    def __init__(self, new_spool: Callable[[], Spool]) -> None:
        self._new_spool = new_spool
        self._events: list[tuple[str, bytes]] = []
        self._header_field = b""
        self._header_value = b""
        self._headers: dict[bytes, bytes] = {}
        self._current: FileReceiver | None = None
        self._field_bytes = 0
        self.finished: list[ReceivedFile] = []

    def callbacks(self) -> dict[str, Callable[..., None]]:
        def data(kind: str) -> Callable[[bytes, int, int], None]:
            return lambda buf, start, end: self._events.append((kind, buf[start:end]))

        def mark(kind: str) -> Callable[[], None]:
            return lambda: self._events.append((kind, b""))

        return {
            "on_part_begin": mark("part_begin"),
            "on_part_data": data("part_data"),
            "on_part_end": mark("part_end"),
            "on_header_field": data("header_field"),
            "on_header_value": data("header_value"),
            "on_header_end": mark("header_end"),
            "on_headers_finished": mark("headers_finished"),
        }

    async def handle_events(self) -> None:
        events, self._events = self._events, []
        for kind, payload in events:
            if kind == "part_begin":
                self._headers, self._header_field, self._header_value = {}, b"", b""
                self._field_bytes = 0
            elif kind == "header_field":
                self._header_field += payload
            elif kind == "header_value":
                self._header_value += payload
            elif kind == "header_end":
                self._headers[self._header_field.lower()] = self._header_value
                self._header_field, self._header_value = b"", b""
            elif kind == "headers_finished":
                self._start_part()
            elif kind == "part_data":
                self._part_data(payload)
            elif kind == "part_end" and self._current is not None:
                receiver, self._current = self._current, None
                self.finished.append(await receiver.finish())

    def _start_part(self) -> None:
        disposition = self._headers.get(b"content-disposition", b"").decode("latin-1")
        _, options = parse_options_header(disposition)
        if b"filename" not in options and b"filename*" not in options:
            return  # a plain form field, not a file
        if len(self.finished) >= MAX_FILES_PER_REQUEST:
            raise UploadTooLargeError(f"at most {MAX_FILES_PER_REQUEST} files per request")
        content_type = self._headers.get(b"content-type", b"").decode("latin-1") or None
        self._current = FileReceiver(
            filename_from_disposition(disposition), content_type, self._new_spool()
        )

    def _part_data(self, payload: bytes) -> None:
        if self._current is not None:
            self._current.write(payload)
            return
        self._field_bytes += len(payload)
        if self._field_bytes > _MAX_FIELD_BYTES:
            raise ApiError(f"a form field is over {_MAX_FIELD_BYTES} bytes")

    def abort(self) -> None:
        if self._current is not None:
            self._current.abort()
            self._current = None
