"""One spelling per company name, so the same party compares equal however it was typed.

"&" is written "and", "Incorporated" "Inc." and a dotted "L.L.C." "LLC", the
spellings US registers and filings use for the same company. "Limited" and
"L.P." stay as written: they are part of the registered name of UK companies
and partnerships. Everything else stays as printed.
"""

from __future__ import annotations

import re

from doclane.core.normalize import normalize_name

# Legal form -> its short spelling; only at the end of the name or before a comma.
_LEGAL_FORMS = {
    "incorporated": "Inc.",
    "l.l.c.": "LLC",
    "l.l.c": "LLC",
    "l. l. c.": "LLC",
}
_LEGAL_FORM = re.compile(
    r"(?<=[\s,])("
    + "|".join(re.escape(form) for form in sorted(_LEGAL_FORMS, key=len, reverse=True))
    + r")(?=\s*(?:,|$))",
    re.IGNORECASE,
)
_AMPERSAND = re.compile(r"\s*&\s*")


def canonical_party_name(raw: str) -> str | None:
    """The name with short legal forms and "and" for "&"; None when nothing is left."""
    name = normalize_name(raw)
    if name is None:
        return None
    name = _AMPERSAND.sub(" and ", name).strip()
    return _LEGAL_FORM.sub(lambda match: _LEGAL_FORMS[match.group(1).lower()], name) or None
