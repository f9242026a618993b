"""XML parsing that refuses DTDs and entities (billion laughs, external entities).

Expat is driven directly so a DOCTYPE or ENTITY declaration stops the parse
before anything is expanded; the result is an ordinary ElementTree element.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import NoReturn
from xml.parsers import expat

from doclane.understanding.exceptions import UnreadableDocumentError

_NAMESPACE_SEPARATOR = "}"


class _ForbiddenDeclarationError(Exception):
    pass


def _forbid(*_args: object) -> NoReturn:
    raise _ForbiddenDeclarationError


def parse_xml(payload: bytes) -> ET.Element:
    """The root element of `payload`; typed errors for unsafe or malformed XML."""
    builder = ET.TreeBuilder()
    parser = expat.ParserCreate(namespace_separator=_NAMESPACE_SEPARATOR)
    parser.buffer_text = True
    parser.StartDoctypeDeclHandler = _forbid
    parser.EntityDeclHandler = _forbid
    parser.UnparsedEntityDeclHandler = _forbid
    parser.ExternalEntityRefHandler = _forbid
    parser.StartElementHandler = lambda name, attrs: builder.start(
        _tag(name), {_tag(k): v for k, v in attrs.items()}
    )
    parser.EndElementHandler = lambda name: builder.end(_tag(name))
    parser.CharacterDataHandler = builder.data
    try:
        parser.Parse(payload, True)
        return builder.close()
    except _ForbiddenDeclarationError as exc:
        raise UnreadableDocumentError(
            "The XML declares a DOCTYPE or entities, which are refused for safety.",
            reason_code="unsafe_xml",
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
