"""Errors of the sample generator."""

from __future__ import annotations

from doclane.exceptions import DoclaneError


class SampleRequestError(DoclaneError):
    """A sample was asked for that the generator cannot make (unknown kind, bad count)."""

    reason_code = "bad_sample_request"
