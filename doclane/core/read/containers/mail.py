"""E-mails: EML (stdlib email) and Outlook MSG (extract-msg); body and attachments.

The body is a member ('body', plain text with the From, Date and Subject
lines on top, as a person reads a mail) when it has any text; HTML-only mail
is reduced to its text. Every attachment is a member under its file name; an
attached e-mail is one too (as .eml), unpacked when it is read in turn.
"""

from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage
from html.parser import HTMLParser
from typing import Any

from doclane.core.exceptions import UnreadableDocumentError
from doclane.core.read.containers.limits import ContainerLimits, too_large, too_many_members
from doclane.core.read.containers.members import Member, member, safe_path

BODY = "body"
_HEADERS = ("From", "Date", "Subject")


def unpack_eml(payload: bytes, limits: ContainerLimits) -> tuple[Member, ...]:
    try:
        message = email.message_from_bytes(payload, policy=email.policy.default)
        if not isinstance(message, EmailMessage):  # the default policy makes EmailMessages
            raise TypeError(f"parsed as {type(message).__name__}")
        headers = [f"{name}: {message[name]}" for name in _HEADERS if message[name]]
        body = _body_text(message)
        attachments = [
            (part.get_filename() or f"attachment-{index}", _attachment_bytes(part),
             part.get_content_type())
            for index, part in enumerate(message.iter_attachments(), start=1)
        ]  # fmt: skip
    except (ValueError, LookupError, TypeError, AttributeError, IndexError) as exc:
        raise _corrupt("e-mail", exc) from exc
    return _members(headers, body, attachments, limits)


def unpack_msg(payload: bytes, limits: ContainerLimits) -> tuple[Member, ...]:
    import extract_msg

    try:
        message = extract_msg.openMsg(payload)
    except Exception as exc:
        raise _corrupt("Outlook (MSG) e-mail", exc) from exc
    try:
        headers = [
            f"{name}: {value}"
            for name, value in (
                ("From", message.sender),
                ("Date", message.date),
                ("Subject", message.subject),
            )
            if value
        ]
        body = message.body or _html_text(_decoded(message.htmlBody))
        attachments = []
        for index, attachment in enumerate(message.attachments, start=1):
            data = attachment.data
            if isinstance(data, bytes):
                name = attachment.longFilename or attachment.shortFilename
                attachments.append((name or f"attachment-{index}", data, None))
    except Exception as exc:
        raise _corrupt("Outlook (MSG) e-mail", exc) from exc
    finally:
        message.close()
    return _members(headers, body or "", attachments, limits)


def _members(
    headers: list[str],
    body: str,
    attachments: list[tuple[str, bytes, str | None]],
    limits: ContainerLimits,
) -> tuple[Member, ...]:
    found = []
    if body.strip():
        text = "\n".join([*headers, "", body.strip()])
        found.append(Member(BODY, "text/plain", text.encode("utf-8")))
    total = sum(len(m.payload) for m in found)
    used: set[str] = {BODY}
    for name, data, declared in attachments:
        path = _unique(safe_path(name), used)
        total += len(data)
        if total > limits.max_total_bytes:
            raise too_large(limits)
        found.append(member(path, data, declared))
        if len(found) > limits.max_members:
            raise too_many_members(limits)
    return tuple(found)


def _unique(path: str, used: set[str]) -> str:
    candidate, number = path, 1
    while candidate in used:
        number += 1
        stem, dot, suffix = path.rpartition(".")
        candidate = f"{stem}-{number}.{suffix}" if dot else f"{path}-{number}"
    used.add(candidate)
    return candidate


def _body_text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    content = part.get_content()
    text = content if isinstance(content, str) else _decoded(content)
    return _html_text(text) if part.get_content_subtype() == "html" else text


def _attachment_bytes(part: Any) -> bytes:
    if part.get_content_type() == "message/rfc822":
        attached = part.get_payload(0)
        return bytes(attached.as_bytes())
    data = part.get_payload(decode=True)
    return data if isinstance(data, bytes) else b""


def _decoded(raw: bytes | str | None) -> str:
    if raw is None:
        return ""
    return raw if isinstance(raw, str) else raw.decode("utf-8", "replace")


class _TextOf(HTMLParser):
    _BREAKS = frozenset({"br", "p", "div", "tr", "li", "h1", "h2", "h3", "table"})
    _HIDDEN = frozenset({"script", "style", "head"})

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._HIDDEN:
            self._hidden += 1
        elif tag in self._BREAKS:
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append("\t")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._HIDDEN and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def _html_text(html: str) -> str:
    parser = _TextOf()
    parser.feed(html)
    parser.close()
    lines = (
        "   ".join(cell for part in line.split("\t") if (cell := " ".join(part.split())))
        for line in "".join(parser.parts).splitlines()
    )
    return "\n".join(line for line in lines if line)


def _corrupt(what: str, exc: BaseException) -> UnreadableDocumentError:
    return UnreadableDocumentError(
        f"The {what} is damaged and cannot be unpacked ({type(exc).__name__}: {exc}).",
        reason_code="corrupt_email",
        stage="read",
    )
