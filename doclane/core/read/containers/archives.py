"""ZIP archives, nested ones unpacked in place, under the container limits.

Sizes in an archive's directory can lie, so each member is read in chunks and
counted as it inflates: a bomb stops at the limit, having cost no more than
the limit.
"""

from __future__ import annotations

import io
import lzma
import zipfile
import zlib
from dataclasses import dataclass

from doclane.core.exceptions import UnreadableDocumentError
from doclane.core.read.containers.kinds import ContainerKind, container_kind
from doclane.core.read.containers.limits import (
    ContainerLimits,
    ratio_exceeded,
    too_deep,
    too_large,
    too_many_members,
)
from doclane.core.read.containers.members import Member, member, safe_path

_CHUNK = 1024 * 1024
_ARCHIVE_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    KeyError,
    OSError,
    EOFError,
    ValueError,
    RuntimeError,
    NotImplementedError,
    zlib.error,
    lzma.LZMAError,
)


@dataclass
class _Budget:
    limits: ContainerLimits
    members: int = 0
    unpacked: int = 0


def unpack_zip(payload: bytes, limits: ContainerLimits) -> tuple[Member, ...]:
    found: list[Member] = []
    _unpack(payload, "", 1, _Budget(limits), found)
    return tuple(found)


def _unpack(payload: bytes, prefix: str, depth: int, budget: _Budget, found: list[Member]) -> None:
    limits = budget.limits
    if depth > limits.max_depth:
        raise too_deep(limits, prefix.rstrip("/") or "the top")
    try:
        with zipfile.ZipFile(io.BytesIO(payload)) as archive:
            for info in archive.infolist():
                if info.is_dir():
                    continue
                path = prefix + safe_path(info.filename)
                data = _read_member(archive, info, path, budget)
                if container_kind(data, None, path) is ContainerKind.ZIP:
                    _unpack(data, path + "/", depth + 1, budget, found)
                    continue
                budget.members += 1
                if budget.members > limits.max_members:
                    raise too_many_members(limits)
                found.append(member(path, data))
    except UnreadableDocumentError:
        raise
    except _ARCHIVE_ERRORS as exc:
        raise UnreadableDocumentError(
            f"The ZIP archive is damaged or cannot be unpacked ({exc}).",
            reason_code="corrupt_archive",
            stage="read",
        ) from exc


def _read_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: str, budget: _Budget
) -> bytes:
    limits = budget.limits
    if info.flag_bits & 0x1:
        raise UnreadableDocumentError(
            f"The archive member {path} is password-protected; send it unprotected.",
            reason_code="encrypted_archive",
            stage="read",
        )
    allowed = max(limits.ratio_from_bytes, limits.max_ratio * max(info.compress_size, 1))
    if info.file_size > allowed:
        raise ratio_exceeded(limits, path)
    chunks = []
    read = 0
    with archive.open(info) as stream:
        while chunk := stream.read(_CHUNK):
            read += len(chunk)
            if read > allowed:
                raise ratio_exceeded(limits, path)
            if budget.unpacked + read > limits.max_total_bytes:
                raise too_large(limits)
            chunks.append(chunk)
    budget.unpacked += read
    return b"".join(chunks)
