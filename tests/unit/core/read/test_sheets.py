"""Spreadsheets and CSV exports: rows become lines, cells keep a row/column box."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from openpyxl import Workbook

from doclane.core.exceptions import UnreadableDocumentError
from doclane.core.model import BoundingBox, DocType
from doclane.core.pipeline import Knowledge, understand
from doclane.core.read import read_document

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
INVOICE_ROWS = [
    ["Nordwind Handels GmbH"],
    ["Hafenstrasse 12, 20457 Hamburg"],
    ["USt-IdNr. DE123456789"],
    ["INVOICE"],
    ["Invoice number:", "INV-2026-0042"],
    ["Invoice date:", datetime(2026, 3, 14)],
    [],
    ["Description", "Qty", "Unit price", "Amount"],
    ["Stainless steel bolts M8", 10, 10.0, 100.0],
    [None, None, "Net total:", 1000.0],
    [None, None, "VAT 19%:", 190.0],
    [None, None, "Total EUR:", 1190.0],
]


def _xlsx(rows: list[list[object]], *, second_sheet: bool = False) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for row in sheet.iter_rows(min_row=9, min_col=3, max_col=4):
        for cell in row:
            if isinstance(cell.value, float):
                cell.number_format = "#,##0.00"  # how an exported amount column is formatted
    if second_sheet:
        book.create_sheet("Notes").append(["Payable within 30 days"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_each_row_of_a_sheet_is_a_line_with_its_cells_joined_and_a_cell_box() -> None:
    text = read_document(_xlsx(INVOICE_ROWS, second_sheet=True), content_type=XLSX)
    assert text.engine == "xlsx"
    assert [page.number for page in text.pages] == [1, 2], "one page per worksheet"
    lines = text.pages[0].lines
    assert lines[4].text == "Invoice number:   INV-2026-0042"
    assert lines[5].text == "Invoice date:   2026-03-14"
    total = next(line for line in lines if line.text.startswith("Total"))
    assert total.text == "Total EUR:   1190.00"
    assert "Stainless steel bolts M8   10   10.00   100.00" in [line.text for line in lines]
    # Cells C12:D12 (column A is x 0..1, row 1 is y 0..1).
    assert total.bbox == BoundingBox(2.0, 11.0, 4.0, 12.0)
    assert text.pages[1].lines[0].text == "Payable within 30 days"


def test_an_invoice_exported_as_a_sheet_gives_its_fields_with_cell_provenance() -> None:
    result = understand(_xlsx(INVOICE_ROWS), Knowledge(), filename="invoice.xlsx")
    assert result.classification.doc_type is DocType.INVOICE
    number = result.extraction.get("invoice_number")
    total = result.extraction.get("total")
    assert number is not None
    assert number.normalized == "INV-2026-0042"
    assert total is not None
    assert total.normalized == "1190.00"
    assert total.provenance.page == 1
    assert total.provenance.bbox == BoundingBox(2.0, 11.0, 4.0, 12.0)


def test_a_csv_export_reads_with_its_own_delimiter() -> None:
    payload = (
        "Rechnungsnummer;RE-2024-0815\nRechnungsdatum;14.03.2024\n;;\nGesamtbetrag;1.190,00 EUR\n"
    ).encode("cp1252")
    text = read_document(payload, filename="rechnung.csv")
    assert text.engine == "csv"
    assert [line.text for line in text.pages[0].lines] == [
        "Rechnungsnummer   RE-2024-0815",
        "Rechnungsdatum   14.03.2024",
        "Gesamtbetrag   1.190,00 EUR",
    ]
    assert text.pages[0].lines[2].bbox == BoundingBox(0.0, 3.0, 2.0, 4.0), "row 4, columns A:B"


@pytest.mark.parametrize(
    ("payload", "hints", "reason"),
    [
        (_xlsx([]), {"filename": "empty.xlsx"}, "empty_document"),
        (b"PK\x03\x04" + bytes(100), {"filename": "broken.xlsx"}, "corrupt_archive"),
        (b";;;\n;;\n", {"content_type": "text/csv"}, "empty_document"),
    ],
    ids=["empty-sheet", "damaged-xlsx", "empty-csv"],
)
def test_empty_or_damaged_sheets_are_typed_errors(
    payload: bytes, hints: dict[str, str], reason: str
) -> None:
    with pytest.raises(UnreadableDocumentError) as caught:
        read_document(payload, **hints)
    assert caught.value.reason_code == reason


def test_a_data_dump_sheet_is_refused_not_read() -> None:
    rows = "\n".join(",".join(["1"] * 50) for _ in range(5000))
    with pytest.raises(UnreadableDocumentError) as caught:
        read_document(rows.encode(), filename="dump.csv")
    assert caught.value.reason_code == "sheet_too_large"
