"""Document texts shared by the core's tests."""

from __future__ import annotations

INVOICE_DE_LINES = [
    "Nordlicht Bürotechnik GmbH",
    "Große Elbstraße 12, 22767 Hamburg",
    "RECHNUNG",
    "Rechnungsnummer: RE-2024-0815",
    "Rechnungsdatum: 03.03.2024",
    "Fällig am: 02.04.2024",
    "Bürostuhl Ergo          2     150,00     300,00",
    "Nettobetrag: 300,00 EUR",
    "MwSt 19%: 57,00 EUR",
    "Gesamtbetrag: 357,00 EUR",
]
