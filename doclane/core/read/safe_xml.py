"""XML parsing that refuses DTDs and entities (billion laughs, external entities).

Expat is driven directly so a DOCTYPE or ENTITY declaration stops the parse
before anything is expanded; the result is an ordinary ElementTree element.
Element count and nesting depth are capped too: a few megabytes of ``<a/>``
would otherwise become gigabytes of tree.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import NoReturn
from xml.parsers import expat

from doclane.core.exceptions import UnreadableDocumentError

_NAMESPACE_SEPARATOR = "}"
# A 5000-line XRechnung or a 300-page Word body stays below these, a dozen deep.
MAX_ELEMENTS = 200_000
MAX_DEPTH = 256


class _ForbiddenDeclarationError(Exception):
    pass


class _TooLargeError(Exception):
    pass


def _forbid(*_args: object) -> NoReturn:
    raise _ForbiddenDeclarationError


class _CappedTreeBuilder:
    """An ElementTree builder fed by expat that stops past MAX_ELEMENTS or MAX_DEPTH."""

    def __init__(self) -> None:
        self.tree = ET.TreeBuilder()
        self.depth = 0
        self.count = 0

    def start(self, name: str, attrs: dict[str, str]) -> None:
        self.depth += 1
        self.count += 1
        if self.depth > MAX_DEPTH:
            raise _TooLargeError(f"elements nested more than {MAX_DEPTH} deep")
        if self.count > MAX_ELEMENTS:
            raise _TooLargeError(f"more than {MAX_ELEMENTS} elements")
        self.tree.start(_tag(name), {_tag(k): v for k, v in attrs.items()})

    def end(self, name: str) -> None:
        self.depth -= 1
        self.tree.end(_tag(name))


def parse_xml(payload: bytes) -> ET.Element:
    """The root element of `payload`; typed errors for unsafe, oversized or malformed XML."""
    builder = _CappedTreeBuilder()
    parser = expat.ParserCreate(namespace_separator=_NAMESPACE_SEPARATOR)
    parser.buffer_text = True
    parser.StartDoctypeDeclHandler = _forbid
    parser.EntityDeclHandler = _forbid
    parser.UnparsedEntityDeclHandler = _forbid
    parser.ExternalEntityRefHandler = _forbid
    parser.StartElementHandler = builder.start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.tree.data
    try:
        parser.Parse(payload, True)
        return builder.tree.close()
    except _ForbiddenDeclarationError as exc:
        raise UnreadableDocumentError(
            "The XML declares a DOCTYPE or entities, which are refused for safety.",
            reason_code="unsafe_xml",
            stage="read",
        ) from exc
    except _TooLargeError as exc:
        raise UnreadableDocumentError(
            f"The XML has {exc}; no invoice or letter needs that, so it is refused.",
            reason_code="xml_too_large",
            stage="read",
        ) from exc
    except (expat.ExpatError, AssertionError, ValueError, UnicodeError, LookupError) as exc:
        raise UnreadableDocumentError(
            f"The XML is malformed ({exc}).", reason_code="malformed_xml", stage="read"
        ) from exc


def _tag(name: str) -> str:
    """Expat's `uri}local` -> ElementTree's `{uri}local`."""
    return "{" + name if _NAMESPACE_SEPARATOR in name else name


def local_name(tag: str) -> str:
    """`{namespace}Name` -> `Name`."""
    return tag.rsplit("}", 1)[-1]
