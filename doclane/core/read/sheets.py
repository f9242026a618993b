"""Spreadsheets (XLSX through openpyxl) and CSV: each row a line, its cells joined.

Invoices and statements exported as sheets keep their label-value layout when
each non-empty row becomes one line with its cells joined by the layout's
column gap (three spaces), as a PDF row of separate columns is.

Numbers print as the cell's format shows them: two decimals where the format
has two (`#,##0.00`, how amounts are kept), else as they are; dates in ISO
form.

Cell provenance uses a pseudo-coordinate in cell units, documented here and in
the README: a line's box spans columns x0..x1 and rows y0..y1, where column A
is x 0..1 and row 1 is y 0..1 (so the cell B3 is the box (1, 2, 2, 3)). A page
is one worksheet (CSV: the file), `width` its used columns and `height` its
used rows.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from doclane.core.exceptions import UnreadableDocumentError
from doclane.core.model import BoundingBox, DocumentText, Page, TextLine
from doclane.core.read.docx import ARCHIVE_ERRORS, check_archive_size
from doclane.core.read.layout import COLUMN_GAP
from doclane.core.read.plain_text import decode_text

XLSX_ENGINE = "xlsx"
CSV_ENGINE = "csv"
# A business sheet has hundreds of cells; past this it is a data dump, not a document.
MAX_CELLS = 200_000
_DELIMITERS = ",;\t|"
_SNIFF_BYTES = 8192
_SNIFF_LINES = 20


def read_xlsx(payload: bytes) -> DocumentText:
    import zipfile

    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(payload)) as archive:
            check_archive_size(archive)
        book = load_workbook(io.BytesIO(payload), read_only=True, data_only=True)
    except UnreadableDocumentError:
        raise
    except (*ARCHIVE_ERRORS, TypeError) as exc:
        raise UnreadableDocumentError(
            f"The spreadsheet (XLSX) is damaged ({exc}).",
            reason_code="corrupt_archive",
            stage="read",
        ) from exc
    try:
        budget = _CellBudget()
        pages = tuple(
            _page(number, (budget.take(_xlsx_row(row)) for row in sheet.iter_rows()))
            for number, sheet in enumerate(book.worksheets, start=1)
        )
    finally:
        book.close()
    return _require_cells(DocumentText(pages=pages, engine=XLSX_ENGINE), "spreadsheet")


def read_csv(payload: bytes) -> DocumentText:
    text = decode_text(payload)
    delimiter = _delimiter(text[:_SNIFF_BYTES])
    budget = _CellBudget()
    try:
        rows = [
            budget.take(tuple(" ".join(cell.split()) for cell in row))
            for row in csv.reader(io.StringIO(text), delimiter=delimiter)
        ]
    except csv.Error as exc:
        raise UnreadableDocumentError(
            f"The CSV file cannot be parsed ({exc}).", reason_code="malformed_csv", stage="read"
        ) from exc
    return _require_cells(DocumentText(pages=(_page(1, rows),), engine=CSV_ENGINE), "CSV file")


def _delimiter(head: str) -> str:
    """The delimiter found on every one of the first lines, most often on ties.

    csv.Sniffer takes the comma of "1.190,00" in a semicolon file for the
    delimiter; a delimiter must separate cells on each line, a decimal comma
    appears only on some.
    """
    lines = [line for line in head.splitlines()[:_SNIFF_LINES] if line.strip()]
    return max(
        _DELIMITERS,
        key=lambda d: (min((line.count(d) for line in lines), default=0), head.count(d)),
    )


class _CellBudget:
    def __init__(self) -> None:
        self.cells = 0

    def take(self, row: tuple[str, ...]) -> tuple[str, ...]:
        self.cells += len(row)
        if self.cells > MAX_CELLS:
            raise UnreadableDocumentError(
                f"The sheet has more than {MAX_CELLS} cells; it is a data export, not a document.",
                reason_code="sheet_too_large",
                stage="read",
            )
        return row


def _xlsx_row(row: tuple[Any, ...]) -> tuple[str, ...]:
    return tuple(_cell_text(cell.value, getattr(cell, "number_format", None)) for cell in row)


def _page(number: int, rows: Iterable[tuple[str, ...]]) -> Page:
    lines = []
    width = height = 0
    for row_index, row in enumerate(rows):
        filled = [(column, text) for column, text in enumerate(row) if text]
        if not filled:
            continue
        first, last = filled[0][0], filled[-1][0]
        lines.append(
            TextLine(
                COLUMN_GAP.join(text for _, text in filled),
                BoundingBox(float(first), float(row_index), float(last + 1), float(row_index + 1)),
            )
        )
        width, height = max(width, last + 1), row_index + 1
    return Page(number=number, lines=tuple(lines), width=float(width), height=float(height))


def _cell_text(value: object, number_format: str | None = None) -> str:  # noqa: PLR0911 - one return per kind of cell value
    """A cell as a person reads it: dates in ISO form; numbers with two decimals when the
    cell's format shows two (amounts), else as they are."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, int | float | Decimal):
        if number_format and ".00" in number_format:
            return f"{value:.2f}"
        if isinstance(value, int) or value == int(value):
            return str(int(value))
        return str(value)
    return " ".join(str(value).split())


def _require_cells(document: DocumentText, what: str) -> DocumentText:
    if any(page.lines for page in document.pages):
        return document
    raise UnreadableDocumentError(
        f"The {what} contains no filled cells.", reason_code="empty_document", stage="read"
    )
