from __future__ import annotations

from pathlib import Path

import pytest

from doclane.core.enrich import enrich_extraction, language_of
from doclane.core.enrich.vendors import VendorMaster, comparable_name
from doclane.core.exceptions import UnderstandingError
from doclane.core.language import detect_language
from doclane.core.model import (
    DocumentText,
    ExtractedField,
    Extraction,
    Page,
    Provenance,
    TextLine,
)
from tests.paths import BUNDLED_VENDORS

VENDORS_CSV = BUNDLED_VENDORS


@pytest.fixture(scope="module")
def vendors() -> VendorMaster:
    return VendorMaster.from_csv(VENDORS_CSV)


def test_bundled_vendor_master_loads(vendors: VendorMaster) -> None:
    assert len(vendors.vendors) >= 30
    assert len({v.vendor_id for v in vendors.vendors}) == len(vendors.vendors)


@pytest.mark.parametrize(
    ("printed", "vendor_id"),
    [
        ("MUSTERLIEFERANT GMBH", "V0001"),
        ("Musterlieferant", "V0001"),
        ("Nordlicht Buerotechnik GmbH", "V0002"),
        ("PAPETERIE LEFEVRE S.A.R.L.", "V0006"),
        ("Thames Valley Office Supplies Limited", "V0010"),
    ],
)
def test_match_by_name_ignores_case_and_legal_form(
    vendors: VendorMaster, printed: str, vendor_id: str
) -> None:
    found = vendors.match(printed)
    assert found is not None
    assert found.vendor.vendor_id == vendor_id
    assert 85 <= found.score <= 100


def test_unknown_names_do_not_match(vendors: VendorMaster) -> None:
    assert vendors.match("Completely Different Bakery GmbH") is None
    assert vendors.match("") is None


def test_vat_id_match_wins_over_name(vendors: VendorMaster) -> None:
    found = vendors.match("Some Other Name", vat_id="de 811 907 980")
    assert found is not None
    assert (found.vendor.vendor_id, found.by, found.score) == ("V0002", "vat_id", 100.0)


def test_missing_vendor_file_is_a_typed_error(tmp_path: Path) -> None:
    with pytest.raises(UnderstandingError):
        VendorMaster.from_csv(tmp_path / "nope.csv")


def test_comparable_name() -> None:
    assert comparable_name("Rheinwerk Logistik GmbH & Co. KG") == "rheinwerk logistik"


def test_enrichments_name_vendor_and_language(vendors: VendorMaster) -> None:
    text = DocumentText(
        pages=(
            Page(
                1,
                (
                    TextLine("Bitte überweisen Sie den Betrag bis zum Fälligkeitsdatum und"),
                    TextLine("geben Sie die Rechnungsnummer an, die auf der Rechnung steht."),
                ),
            ),
        ),
        engine="test",
    )
    extraction = Extraction(
        fields=(
            ExtractedField(
                "vendor_name",
                "Alpenblick Software AG",
                "Alpenblick Software AG",
                0.8,
                Provenance("text"),
            ),
        )
    )
    found = {e.name: e for e in enrich_extraction(extraction, vendors, language=language_of(text))}
    assert found["vendor_id"].value == "V0003"
    assert found["vendor_master_name"].value == "Alpenblick Software AG"
    assert found["language"].value == "de"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Thank you for your order. Please find the invoice for the goods attached.", "en"),
        (
            "Vielen Dank für Ihre Bestellung. Die Rechnung ist bitte bis zum Monatsende zu zahlen.",
            "de",
        ),
        (
            "Merci pour votre commande. Vous trouverez la facture pour les articles avec ce courrier.",
            "fr",
        ),
        (
            "Bedankt voor uw bestelling. Het bedrag van de factuur is voor het einde van de maand.",
            "nl",
        ),
        ("Gracias por su pedido. Adjuntamos la factura con el importe para los productos.", "es"),
        (
            "Grazie per il vostro ordine. Alla fattura è allegato il dettaglio della consegna per il cliente.",
            "it",
        ),
    ],
)
def test_detect_language(text: str, code: str) -> None:
    found = detect_language(text)
    assert found is not None
    assert found[0] == code


def test_too_little_text_has_no_language() -> None:
    assert detect_language("4711 12,00") is None
