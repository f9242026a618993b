"""Claim-check references and their errors, shared by every blob store.

A reference is `blob://sha256/<hex>` and nothing else, so a record can never
make a worker read outside the store.
"""

from __future__ import annotations

import re

from doclane.exceptions import DoclaneError

_URI = re.compile(r"^blob://sha256/([0-9a-f]{64})$")


class ClaimCheckError(DoclaneError):
    """A claim-check reference is malformed or points at nothing."""

    reason_code = "bad_claim_check"


class ClaimCheckMissingError(ClaimCheckError):
    """The reference is well formed but nothing is stored under it (yet)."""

    reason_code = "claim_check_missing"
    transient = True  # a shared store may show the blob after the record arrives


def reference_for(digest: str) -> str:
    return f"blob://sha256/{digest}"


def digest_of(uri: str) -> str:
    """The digest a reference names; anything but `blob://sha256/<64 hex>` is refused."""
    match = _URI.match(uri)
    if match is None:
        raise ClaimCheckError(f"claim-check reference {uri[:200]!r} is not blob://sha256/<hex>")
    return match.group(1)
