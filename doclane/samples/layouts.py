"""PDF layouts of invoices, credit notes and purchase orders.

Four layouts differ where real documents differ: where the issuer and the
document's metadata sit (left, right, DIN-style sender line, or the buyer's
address first with no label over it), how the item table is drawn (grid,
shaded header, plain with stripes, or no ruling at all with the unit price
before the quantity, a VAT column and descriptions wrapped over two lines)
and where the totals go (right box, left box, stacked without a box). Items
that do not fit on a page continue on the next, with the subtotal carried
forward.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from doclane.samples import locales
from doclane.samples.business import BusinessDocument
from doclane.samples.canvas import Canvas
from doclane.samples.parties import Company, group_iban
from doclane.samples.vocab import pick_labels

ROW = 6.0  # height of one item row, mm
_TABLE_BOTTOM = 262.0  # rows end above the footer
_NEXT_TABLE_TOP = 38.0  # table top on continuation pages
_TOTALS_ROWS = 7  # space the totals block and closing notes take, in rows
_X_POS, _X_DESC, _R_QTY, _R_UNIT, _R_AMOUNT = 15.0, 25.0, 128.0, 158.0, 195.0
_DESC_WIDTH = 88.0


class _Writer:
    """Formats the values of one document in its language and styles."""

    def __init__(self, doc: BusinessDocument, labels: dict[str, str]) -> None:
        self.doc = doc
        self.labels = labels

    def money(self, value: Decimal) -> str:
        doc = self.doc
        return locales.format_money(value, doc.currency, doc.language, doc.money_style)

    def number(self, value: Decimal) -> str:
        return locales.format_number(value, self.doc.language)

    def date(self, value: date) -> str:
        return locales.format_date(value, self.doc.language, self.doc.date_style)

    @property
    def issuer(self) -> Company:
        return self.doc.customer if self.doc.kind == "purchase_order" else self.doc.vendor

    @property
    def addressee(self) -> Company:
        return self.doc.vendor if self.doc.kind == "purchase_order" else self.doc.customer

    @property
    def title(self) -> str:
        return self.labels[f"title_{self.doc.kind}"]

    def meta(self) -> list[tuple[str, str]]:
        """(label, value) pairs of the header: number, dates, references."""
        doc, labels = self.doc, self.labels
        pairs = [(labels[f"number_{doc.kind}"], doc.number)]
        if doc.kind == "purchase_order":
            pairs.append((labels["order_date"], self.date(doc.issue_date)))
            pairs.append((labels["delivery_date"], self.date(doc.issue_date + timedelta(days=14))))
            return pairs
        pairs.append((labels["issue_date"], self.date(doc.issue_date)))
        if doc.due_date:
            pairs.append((labels["due_date"], self.date(doc.due_date)))
        if doc.invoice_reference:
            pairs.append((labels["invoice_reference"], doc.invoice_reference))
        if doc.purchase_order_number:
            pairs.append((labels["po_reference"], doc.purchase_order_number))
        return pairs

    def totals(self) -> list[tuple[str, str]]:
        doc, labels = self.doc, self.labels
        rate = locales.format_rate(doc.tax_rate, doc.language)
        return [
            (labels["net_total"], self.money(doc.net_total)),
            (f"{labels['tax']} {rate}", self.money(doc.tax_total)),
            (labels["total"], self.money(doc.total)),
        ]

    def closing_notes(self) -> list[str]:
        doc, labels = self.doc, self.labels
        notes = []
        if doc.payment_days:
            notes.append(labels["payment_terms"].format(days=doc.payment_days))
        if doc.tax_rate == 0 and doc.vendor.country not in ("US", "CA", "AU"):
            notes.append(labels["reverse_charge"])
        if doc.kind == "credit_note":
            notes.append(labels["credit_reason"])
        notes.append(labels["thanks"])
        return notes

    def issuer_vat(self) -> str | None:
        vat = self.issuer.vat_id if self.doc.kind != "purchase_order" else None
        return f"{self.labels['vat_id']}: {vat}" if vat else None

    def bank(self) -> str | None:
        return f"IBAN: {group_iban(self.doc.iban)}" if self.doc.iban else None


def _next_rows() -> int:
    """Item rows of a continuation page."""
    return int((_TABLE_BOTTOM - _NEXT_TABLE_TOP) // ROW) - 3


def paginate(item_count: int, first_rows: int) -> list[int]:
    """Items per page: fill each page, and keep room for the totals on the last."""
    next_rows = _next_rows()
    pages: list[int] = []
    remaining, capacity = item_count, first_rows
    while remaining + _TOTALS_ROWS > capacity:
        # At least one item moves on with the totals, so a carried subtotal always has a page.
        take = min(remaining - 1, capacity)
        pages.append(take)
        remaining -= take
        capacity = next_rows
    pages.append(remaining)
    return pages


def item_count_for_pages(layout: str, pages: int, rng: random.Random) -> int:
    """A number of items that `layout` spreads over exactly `pages` pages."""
    first_rows = LAYOUTS[layout].first_rows
    fitting = [n for n in range(1, 60 * pages) if len(paginate(n, first_rows)) == pages]
    if pages == 1:
        fitting = fitting[:14]  # single-page documents mostly have few lines
    return rng.choice(fitting)


# ---- the three layouts' first-page headers; each returns the table's top y ----


def _header_classic(canvas: Canvas, writer: _Writer) -> float:
    issuer = writer.issuer
    canvas.font(14, "B")
    canvas.text(15, 22, issuer.name)
    canvas.font(9)
    y = 28.0
    for line in (*issuer.address_lines, writer.issuer_vat()):
        if line:
            canvas.text(15, y, line)
            y += 4.5
    canvas.font(18, "B")
    canvas.text_right(195, 22, writer.title)
    canvas.font(9)
    y = 34.0
    for label, value in writer.meta():
        canvas.text(125, y, f"{label}:")
        canvas.text_right(195, y, value)
        y += 5
    _addressee_block(canvas, writer, 15, 62)
    return 92.0


def _header_modern(canvas: Canvas, writer: _Writer) -> float:
    issuer = writer.issuer
    canvas.font(22, "B")
    canvas.text(15, 26, writer.title)
    canvas.font(12, "B")
    canvas.text_right(195, 18, issuer.name)
    canvas.font(9)
    y = 23.0
    for line in (*issuer.address_lines, writer.issuer_vat()):
        if line:
            canvas.text_right(195, y, line)
            y += 4.5
    _addressee_block(canvas, writer, 15, 45)
    for column, (label, value) in enumerate(writer.meta()):
        x = 15 + column * 45
        canvas.font(8)
        canvas.gray(110)
        canvas.text(x, 76, label)
        canvas.gray(0)
        canvas.font(10, "B")
        canvas.text(x, 81, value)
    return 92.0


def _header_din(canvas: Canvas, writer: _Writer) -> float:
    issuer = writer.issuer
    canvas.font(16, "B")
    canvas.text_right(195, 22, issuer.name)
    canvas.font(7)
    sender = " · ".join((issuer.name, *issuer.address_lines))
    canvas.text(20, 47, canvas.fit(sender, 85))
    canvas.line(20, 48, 20 + min(canvas.width(sender), 85), 48)
    _addressee_block(canvas, writer, 20, 55, with_label=False)
    canvas.font(9)
    y = 50.0
    for label, value in writer.meta():
        canvas.text(122, y, f"{label}: {value}")
        y += 5
    canvas.font(14, "B")
    canvas.text(20, 98, writer.title)
    return 106.0


def _header_window(canvas: Canvas, writer: _Writer) -> float:
    """The buyer's address first, in the window, with no label; the issuer's block at right."""
    _addressee_block(canvas, writer, 20, 45, with_label=False)
    issuer = writer.issuer
    canvas.font(12, "B")
    canvas.text(125, 22, issuer.name)
    canvas.font(9)
    y = 27.0
    contact = f"E-mail: {_mailbox(issuer.name)}"
    for line in (*issuer.address_lines, contact, writer.issuer_vat()):
        if line:
            canvas.text(125, y, line)
            y += 4.5
    y = max(y + 4, 56.0)
    for label, value in writer.meta():
        canvas.text(125, y, f"{label}: {value}")
        y += 5
    canvas.font(14, "B")
    canvas.text(20, 92, writer.title)
    return 100.0


def _mailbox(name: str) -> str:
    word = "".join(ch for ch in name.split(maxsplit=1)[0].lower() if ch.isascii() and ch.isalnum())
    return f"accounts@{word or 'mail'}.example"


def _addressee_block(
    canvas: Canvas, writer: _Writer, x: float, y: float, *, with_label: bool = True
) -> None:
    addressee = writer.addressee
    if with_label:
        canvas.font(8)
        canvas.gray(110)
        label = writer.labels["supplier" if writer.doc.kind == "purchase_order" else "bill_to"]
        canvas.text(x, y, f"{label}:")
        canvas.gray(0)
        y += 5
    canvas.font(10, "B")
    canvas.text(x, y, addressee.name)
    canvas.font(10)
    for line in addressee.address_lines:
        y += 5
        canvas.text(x, y, line)


# ---- item tables ----


def _table_header(canvas: Canvas, writer: _Writer, y: float, style: str) -> float:
    labels = writer.labels
    if style == "shaded":
        canvas.rect(13, y, 184, ROW, fill_gray=225)
    canvas.font(9, "B")
    base = y + 4.2
    canvas.text(_X_POS, base, labels["pos"])
    canvas.text(_X_DESC, base, labels["description"])
    canvas.text_right(_R_QTY, base, labels["quantity"])
    canvas.text_right(_R_UNIT, base, labels["unit_price"])
    canvas.text_right(_R_AMOUNT, base, labels["amount"])
    if style == "grid":
        _grid_row(canvas, y)
    else:
        canvas.line(13, y + ROW, 197, y + ROW)
    return y + ROW


def _grid_row(canvas: Canvas, y: float) -> None:
    for left, right in ((13, 23), (23, 113), (113, 130), (130, 160), (160, 197)):
        canvas.rect(left, y, right - left, ROW)


def _item_row(
    canvas: Canvas, writer: _Writer, y: float, index: int, *, style: str, position: int
) -> float:
    item = writer.doc.items[index]
    if style == "plain" and position % 2:
        canvas.rect(13, y, 184, ROW, fill_gray=242)
    canvas.font(9)
    base = y + 4.2
    canvas.text(_X_POS, base, str(index + 1))
    canvas.text(_X_DESC, base, canvas.fit(item.description, _DESC_WIDTH))
    canvas.text_right(_R_QTY, base, locales.format_quantity(item.quantity, writer.doc.language))
    canvas.text_right(_R_UNIT, base, writer.number(item.unit_price))
    canvas.text_right(_R_AMOUNT, base, writer.number(item.amount))
    if style == "grid":
        _grid_row(canvas, y)
    elif style == "shaded":
        canvas.line(13, y + ROW, 197, y + ROW)
    return y + ROW


_WRAP_WIDTH = 32.0
_R_PRICE_FIRST, _R_QTY_AFTER, _R_VAT = 122.0, 140.0, 172.0


def _unruled_header(canvas: Canvas, writer: _Writer, y: float) -> float:
    labels = writer.labels
    canvas.font(9, "B")
    base = y + 4.2
    canvas.text(_X_POS, base, labels["description"])
    canvas.text_right(_R_PRICE_FIRST, base, labels["unit_price"])
    canvas.text_right(_R_QTY_AFTER, base, labels["quantity"])
    canvas.text_right(_R_VAT, base, labels["tax"])
    canvas.text_right(_R_AMOUNT, base, labels["amount"])
    return y + ROW


def _unruled_row(canvas: Canvas, writer: _Writer, y: float, index: int, *, wrap: bool) -> float:
    """An item with the unit price before the quantity; a long description takes a second
    line under its figures when `wrap` allows the room."""
    item = writer.doc.items[index]
    canvas.font(9)
    base = y + 4.2
    lines = canvas.wrap(item.description, _WRAP_WIDTH)
    if len(lines) > 1 and wrap:
        canvas.text(_X_POS, base, lines[0])
        canvas.text(_X_POS, base + ROW * 0.75, canvas.fit(" ".join(lines[1:]), _DESC_WIDTH))
    else:
        canvas.text(_X_POS, base, canvas.fit(item.description, _DESC_WIDTH))
    language = writer.doc.language
    canvas.text_right(_R_PRICE_FIRST, base, writer.number(item.unit_price))
    canvas.text_right(_R_QTY_AFTER, base, locales.format_quantity(item.quantity, language))
    canvas.text_right(_R_VAT, base, locales.format_rate(writer.doc.tax_rate, language))
    canvas.text_right(_R_AMOUNT, base, writer.number(item.amount))
    return y + (2 * ROW if len(lines) > 1 and wrap else ROW)


def _subtotal_row(canvas: Canvas, writer: _Writer, y: float, label: str, value: Decimal) -> float:
    canvas.font(9, "I")
    canvas.text(_X_DESC, y + 4.2, label)
    canvas.text_right(_R_AMOUNT, y + 4.2, writer.money(value))
    return y + ROW


# ---- totals ----


def _totals_box(canvas: Canvas, writer: _Writer, y: float, left: float, *, boxed: bool) -> float:
    lines = writer.totals()
    height = 6.0 * len(lines) + 3
    right = left + 80
    if boxed and left < 100:
        canvas.rect(left, y + 2, 80, height, fill_gray=238)
    elif boxed:
        canvas.rect(left, y + 2, 80, height)
    else:
        canvas.line(left, y + 2 + 6.0 * (len(lines) - 1), right, y + 2 + 6.0 * (len(lines) - 1))
    base = y + 7
    for position, (label, value) in enumerate(lines):
        canvas.font(10, "B" if position == len(lines) - 1 else "")
        canvas.text(left + 3, base, label)
        canvas.text_right(right - 3, base, value)
        base += 6
    return y + height + 6


def _closing(canvas: Canvas, writer: _Writer, y: float) -> None:
    canvas.font(9)
    for note in writer.closing_notes():
        canvas.text(15, y, note)
        y += 4.5


def _footer(canvas: Canvas, writer: _Writer, page: int, pages: int, layout: str) -> None:
    issuer = writer.issuer
    canvas.font(7.5)
    canvas.gray(90)
    parts = [issuer.name, issuer.address]
    vat, bank = writer.issuer_vat(), writer.bank()
    if layout == "modern":
        canvas.line(15, 272, 195, 272)
        for column, text in enumerate((" · ".join(parts), vat, bank)):
            if text:
                canvas.text(15 + column * 62, 277, canvas.fit(text, 60))
    else:
        extras = {"din": (vat, bank), "window": (bank,)}.get(layout, ())
        for text in extras:
            if text:
                parts.append(text)
        footer = " · ".join(parts)
        canvas.text_center(105, 278, footer) if layout == "classic" else canvas.text(
            20, 278, footer
        )
        if layout == "classic" and bank:
            canvas.text_center(105, 282, f"{writer.labels['bank']}: {bank}")
            if vat:
                canvas.text_center(105, 286, vat)
    if pages > 1:
        canvas.font(8)
        text = writer.labels["page"].format(page=page, pages=pages)
        canvas.text_right(195, 291, text)
    canvas.gray(0)


@dataclass(frozen=True)
class Layout:
    name: str
    header: Callable[[Canvas, _Writer], float]
    table_style: str  # grid, shaded, plain
    totals_left: float
    totals_boxed: bool
    first_table_top: float

    @property
    def first_rows(self) -> int:
        return int((_TABLE_BOTTOM - self.first_table_top) // ROW) - 2


LAYOUTS = {
    "classic": Layout("classic", _header_classic, "grid", 115, True, 92),
    "modern": Layout("modern", _header_modern, "shaded", 15, True, 92),
    "din": Layout("din", _header_din, "plain", 110, False, 106),
    "window": Layout("window", _header_window, "unruled", 115, False, 100),
}


def render_business_pdf(doc: BusinessDocument, layout_name: str, rng: random.Random) -> bytes:
    """The PDF of `doc` in `layout_name`, with its items paginated."""
    layout = LAYOUTS[layout_name]
    writer = _Writer(doc, pick_labels(doc.language, rng))
    counts = paginate(len(doc.items), layout.first_rows)
    canvas = Canvas(f"{writer.title} {doc.number}")
    start = 0
    running: Decimal | None = None
    for page_number, count in enumerate(counts, start=1):
        canvas.add_page()
        if page_number == 1:
            y = layout.header(canvas, writer)
        else:
            y = _continuation_header(canvas, writer)
        unruled = layout.table_style == "unruled"
        if unruled:
            y = _unruled_header(canvas, writer, y)
        else:
            y = _table_header(canvas, writer, y, layout.table_style)
        if running is not None:
            label = writer.labels["brought_forward"].format(prev=page_number - 1)
            y = _subtotal_row(canvas, writer, y, label, running)
        # Spare rows (only the last page has some) give long descriptions a second line.
        capacity = layout.first_rows if page_number == 1 else _next_rows()
        spare = capacity - count - _TOTALS_ROWS - 1 if page_number == len(counts) else 0
        for position, index in enumerate(range(start, start + count)):
            if unruled:
                before = y
                y = _unruled_row(canvas, writer, y, index, wrap=spare > 0)
                spare -= round((y - before) / ROW) - 1
            else:
                y = _item_row(canvas, writer, y, index, style=layout.table_style, position=position)
        start += count
        running = sum((item.amount for item in doc.items[:start]), Decimal("0.00"))
        if page_number < len(counts):
            _subtotal_row(canvas, writer, y, writer.labels["carried_forward"], running)
        else:
            y = _totals_box(canvas, writer, y + 2, layout.totals_left, boxed=layout.totals_boxed)
            _closing(canvas, writer, y + 2)
        _footer(canvas, writer, page_number, len(counts), layout.name)
    return canvas.output()


def _continuation_header(canvas: Canvas, writer: _Writer) -> float:
    canvas.font(11, "B")
    canvas.text(15, 20, writer.issuer.name)
    canvas.font(9)
    number_label = writer.labels[f"number_{writer.doc.kind}"]
    continued = writer.labels["continued"]
    canvas.text_right(195, 20, f"{number_label} {writer.doc.number} ({continued})")
    canvas.line(15, 24, 195, 24)
    return _NEXT_TABLE_TOP
