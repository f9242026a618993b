"""Reference data as records: vendor master and exchange-rate CSV rows to and from Avro.

The vendor master and the rates travel on compacted topics (`Vendor`, `FxRate`
schemas); these functions are the one place that knows their record shape.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from doclane.core.enrich.fx import FxRate, parse_rate
from doclane.core.enrich.vendors import Vendor
from doclane.exceptions import SubmissionError
from doclane.wire.records import utc_now


def vendor_records(path: Path) -> list[dict[str, Any]]:
    """Vendor rows (`vendor_id,name,vat_id,country,city`) as Vendor records."""
    now = utc_now()
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            return [
                {
                    "vendor_id": row["vendor_id"].strip(),
                    "name": row["name"].strip(),
                    "vat_id": (row.get("vat_id") or "").strip() or None,
                    "country": (row.get("country") or "").strip() or None,
                    "city": (row.get("city") or "").strip() or None,
                    "updated_at": now,
                }
                for row in csv.DictReader(handle)
            ]
    except (OSError, KeyError, UnicodeDecodeError, csv.Error) as exc:
        raise SubmissionError(
            f"cannot read vendor file {path}: {exc}", reason_code="bad_reference_data"
        ) from exc


def fx_records(path: Path) -> list[dict[str, Any]]:
    """Rate rows (`currency,base,rate,as_of`) as FxRate records."""
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            rates = [parse_rate(row) for row in csv.DictReader(handle)]
    except (OSError, KeyError, UnicodeDecodeError, csv.Error) as exc:
        raise SubmissionError(
            f"cannot read FX file {path}: {exc}", reason_code="bad_reference_data"
        ) from exc
    return [
        {"currency": r.currency, "base": r.base, "rate": str(r.rate), "as_of": r.as_of}
        for r in rates
    ]


def vendor_from_record(record: dict[str, Any]) -> Vendor:
    return Vendor(
        vendor_id=record["vendor_id"],
        name=record["name"],
        vat_id=record["vat_id"] or "",
        country=record["country"] or "",
        city=record["city"] or "",
    )


def fx_rate_from_record(record: dict[str, Any]) -> FxRate:
    return parse_rate({k: str(v) for k, v in record.items()})
