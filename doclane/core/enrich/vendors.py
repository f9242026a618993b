"""The vendor master: which known vendor a printed name or VAT id belongs to."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process

from doclane.core.exceptions import UnderstandingError
from doclane.core.extract.labels.table import LEGAL_FORMS
from doclane.core.fields import FieldName
from doclane.core.model import Enrichment, Extraction
from doclane.core.normalize import normalize_text

MATCH_CUTOFF = 85.0
_LEGAL_FORM_WORDS = re.compile(
    r"(?<![\w])(?:" + "|".join(LEGAL_FORMS) + r"|co\s*kg|&\s*co)(?![\w])", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class Vendor:
    vendor_id: str
    name: str
    vat_id: str
    country: str
    city: str


@dataclass(frozen=True, slots=True)
class VendorMatch:
    vendor: Vendor
    score: float  # 0..100
    by: str  # "vat_id" or "name"


def comparable_name(name: str) -> str:
    """Case-folded name without legal form, punctuation or extra spaces."""
    return normalize_text(_LEGAL_FORM_WORDS.sub(" ", name))


class VendorMaster:
    """Known vendors, matched by VAT id exactly or by fuzzy name."""

    def __init__(self, vendors: tuple[Vendor, ...]) -> None:
        self.vendors = vendors
        self._names = [comparable_name(vendor.name) for vendor in vendors]
        self._by_vat = {_vat_key(v.vat_id): v for v in vendors if v.vat_id}

    @classmethod
    def from_csv(cls, path: Path) -> VendorMaster:
        try:
            with path.open(newline="", encoding="utf-8") as handle:
                rows = list(csv.DictReader(handle))
            vendors = tuple(
                Vendor(
                    vendor_id=row["vendor_id"].strip(),
                    name=row["name"].strip(),
                    vat_id=(row.get("vat_id") or "").strip(),
                    country=(row.get("country") or "").strip(),
                    city=(row.get("city") or "").strip(),
                )
                for row in rows
            )
        except (OSError, KeyError, UnicodeDecodeError, csv.Error) as exc:
            raise UnderstandingError(
                f"The vendor master {path} cannot be read ({exc}).",
                reason_code="bad_vendor_master",
                stage="enrich",
            ) from exc
        return cls(vendors)

    def match(self, name: str, vat_id: str | None = None) -> VendorMatch | None:
        if vat_id:
            vendor = self._by_vat.get(_vat_key(vat_id))
            if vendor is not None:
                return VendorMatch(vendor, 100.0, "vat_id")
        query = comparable_name(name)
        if not query or not self._names:
            return None
        found = process.extractOne(
            query, self._names, scorer=fuzz.token_sort_ratio, score_cutoff=MATCH_CUTOFF
        )
        if found is None:
            return None
        _, score, index = found
        return VendorMatch(self.vendors[index], round(float(score), 1), "name")


def _vat_key(vat_id: str) -> str:
    return re.sub(r"[\s.\-]", "", vat_id).upper()


def vendor_enrichments(extraction: Extraction, vendors: VendorMaster) -> list[Enrichment]:
    """The vendor master's id and name for the printed vendor, with the match score."""
    vendor_name = extraction.get(FieldName.VENDOR_NAME)
    vat_field = extraction.get(FieldName.VENDOR_VAT_ID)
    vat_id = vat_field.normalized or vat_field.value if vat_field is not None else None
    if vendor_name is None and not vat_id:
        return []
    found = vendors.match(vendor_name.value if vendor_name else "", vat_id=vat_id)
    if found is None:
        return []
    source = f"vendor_master:{found.by}"
    return [
        Enrichment("vendor_id", found.vendor.vendor_id, found.score, source),
        Enrichment("vendor_master_name", found.vendor.name, found.score, source),
    ]
