"""What unpacking one container may cost: each limit has its own dead-letter reason."""

from __future__ import annotations

from dataclasses import dataclass

from doclane.core.exceptions import UnreadableDocumentError


@dataclass(frozen=True, slots=True)
class ContainerLimits:
    max_depth: int = 3  # archives inside archives (the outer one is depth 1)
    max_members: int = 1000  # documents, across every nested archive
    max_total_bytes: int = 200 * 1024 * 1024  # unpacked, across every nested archive
    max_ratio: int = 100  # unpacked : packed, per member above `ratio_from_bytes`
    ratio_from_bytes: int = 1024 * 1024


def too_deep(limits: ContainerLimits, path: str) -> UnreadableDocumentError:
    return UnreadableDocumentError(
        f"The archive nests archives more than {limits.max_depth} deep (at {path}).",
        reason_code="archive_too_deep",
        stage="read",
    )


def too_many_members(limits: ContainerLimits) -> UnreadableDocumentError:
    return UnreadableDocumentError(
        f"The container holds more than {limits.max_members} documents; split it.",
        reason_code="archive_too_many_members",
        stage="read",
    )


def too_large(limits: ContainerLimits) -> UnreadableDocumentError:
    return UnreadableDocumentError(
        f"The container unpacks to more than {limits.max_total_bytes // 2**20} MB.",
        reason_code="archive_too_large",
        stage="read",
    )


def ratio_exceeded(limits: ContainerLimits, path: str) -> UnreadableDocumentError:
    return UnreadableDocumentError(
        f"The archive member {path} is compressed more than {limits.max_ratio}:1; "
        "it is refused as a likely zip bomb.",
        reason_code="archive_ratio_exceeded",
        stage="read",
    )
