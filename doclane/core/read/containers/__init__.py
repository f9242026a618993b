"""Containers: files that hold other documents (ZIP archives, e-mails as EML or MSG).

A container is not read as a document: `unpack_container` lists its members,
each of which becomes a child document of its own (the streaming shell
submits them to the ingest topic with the container as their parent). ZIP
archives nested inside are unpacked in place, their members' paths joined by
'/'; an e-mail's body is a member ('body') when it has text.
"""

from __future__ import annotations

from doclane.core.read.containers.archives import unpack_zip
from doclane.core.read.containers.kinds import ContainerKind, container_kind
from doclane.core.read.containers.limits import ContainerLimits
from doclane.core.read.containers.mail import unpack_eml, unpack_msg
from doclane.core.read.containers.members import Member

__all__ = ["ContainerKind", "ContainerLimits", "Member", "container_kind", "unpack_container"]


def unpack_container(
    payload: bytes, kind: ContainerKind, limits: ContainerLimits | None = None
) -> tuple[Member, ...]:
    """The documents inside; raises only `UnreadableDocumentError` with a reason code."""
    limits = limits or ContainerLimits()
    if kind is ContainerKind.ZIP:
        return unpack_zip(payload, limits)
    if kind is ContainerKind.EML:
        return unpack_eml(payload, limits)
    return unpack_msg(payload, limits)
