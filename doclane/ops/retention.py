"""`doclane retention sweep`: claim-check blobs expire with their documents.

The sweep itself lives beside the blob stores (`doclane.streaming.blobs.sweep`), so
the sink can run it on a schedule too (DOCLANE_BLOB_SWEEP_HOURS).
"""

from __future__ import annotations

from doclane.streaming.blobs.sweep import DAY_SECONDS, SweepResult, sweep_blobs

__all__ = ["DAY_SECONDS", "SweepResult", "sweep_blobs"]
