"""Issuer and recipient of an invoice or order: names, and the issuer's address.

The issuer prints its name where it speaks for itself: the letterhead (top of
page 1, often larger), the one-line sender address above the window envelope
("Name · Street · City"), the footer, or a block headed "Seller",
"Verkäufer", "Fournisseur". The recipient sits in a block headed "Bill to",
"Rechnungsempfänger", "Facturé à", or in the address window under the
sender line. Each printed name is a candidate; evidence adds up and the
recipient's blocks are excluded from the issuer's candidates.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from doclane.core.extract.labels.table import (
    CUSTOMER_BLOCK,
    FIELD_CAPTIONS,
    LEGAL_FORMS,
    NAME_CAPTIONS,
    SELLER_BLOCK,
    SUPPLIER_BLOCK,
    TABLE_COLUMNS,
)
from doclane.core.extract.shared.layout import Cell, DocumentLayout
from doclane.core.extract.shared.lines import AMOUNT_TOKEN, Located
from doclane.core.normalize import find_dates, normalize_text

_LEGAL_FORM = re.compile(r"(?<![\w])(?:" + "|".join(LEGAL_FORMS) + r")(?![\w])", re.IGNORECASE)
_BLOCK_LABEL = re.compile(f"{CUSTOMER_BLOCK}|{SELLER_BLOCK}|{SUPPLIER_BLOCK}", re.IGNORECASE)
_BLOCK_KINDS = ("customer", "seller", "supplier")
_BLOCK_HEADING = re.compile(
    f"(?P<customer>{CUSTOMER_BLOCK})|(?P<seller>{SELLER_BLOCK})|(?P<supplier>{SUPPLIER_BLOCK})",
    re.IGNORECASE,
)
_SHIPPING = re.compile(
    r"ship|deliver|waren|liefer|livr",
    re.IGNORECASE,
)
_PARTS = re.compile(r"\s*[·•●|]\s*")
_HAS_PART_SEPARATOR = re.compile(r"[·•●|]")
_SALUTATION = re.compile(
    r"^(?:herrn?|frau|firma|mr\.?|mrs\.?|ms\.?|monsieur|madame|mme\.?|attn\.?:?|z\.\s?hd\.?"
    r"|sr\.?|sra\.?|srta\.?|sig\.?|sig\.ra|dhr\.?|mevr\.?|mw\.?)$",
    re.IGNORECASE,
)
_PERSONAL_SALUTATION = re.compile(
    r"^(?:herrn?|frau|mr\.?|mrs\.?|ms\.?|monsieur|madame|mme\.?|sr\.?|sra\.?|srta\.?|sig\.?"
    r"|sig\.ra|dhr\.?|mevr\.?|mw\.?)$",
    re.IGNORECASE,
)
# Words that make a line a title or a label, never a party's name: anywhere in a word, or
# as a whole word (two patterns: one word boundary test per position serves all of those).
_TITLE_IN_WORD = re.compile(
    r"rechnung|invoice|facture|gutschrift|credit\s+(?:note|memo)|receipt|quittung"
    r"|purchase\s+order|bestellung|bon\s+de\s+commande|lieferschein|delivery\s+note|stylesheet"
    r"|confirmation|bestätigung|kontoauszug",
    re.IGNORECASE,
)
_TITLE_WORD = re.compile(
    r"\b(?:avoir|seite|page|original|copy|kopie|duplicate|statement|quot(?:e|ation)|angebot"
    r"|devis|factura|fattura|factuur|pagina|página|blad)\b",
    re.IGNORECASE,
)
_LABEL_ONLY = re.compile(
    r"^(?:rechnungsersteller|lieferant|absender|from|von|de|tel|phone|fax|e-?mail|www|iban|bic"
    r"|swift|vat|ust|tva|steuer\w*|gln|date|datum|bank\w*|konto|account|total|summe|betrag"
    r"|montant|ship\s+to|bill\s+to|sold\s+to|deliver\s+to|pos|item|description|qty|seller|buyer"
    r"|vendor|supplier|customer|client|kunde|verkäufer|käufer|fournisseur|destinataire|nummer"
    r"|number|hinweis|note|notes|referenz|reference|comments?|requisitioner|ship\s+via"
    r"|deutschland|germany|allemagne|france|frankreich|österreich|austria|autriche|schweiz"
    r"|switzerland|suisse|united\s+kingdom|uk|usa|united\s+states|nederland|netherlands"
    r"|belgique|belgien|belgium|italia|italy|italien|españa|spain|spanien|luxembourg|luxemburg"
    r"|eur|usd|gbp|chf|euro)"
    r"\s*:?$",
    re.IGNORECASE,
)
_CAPTION = re.compile(rf"^(?:{FIELD_CAPTIONS})\s*[:#.]?$", re.IGNORECASE)
_TABLE_COLUMNS = tuple(re.compile(column, re.IGNORECASE) for column in TABLE_COLUMNS)
_NAME_CAPTION = re.compile(rf"^(?:{NAME_CAPTIONS})\s*:\s*(?=\S)", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]{3}")
_COPYRIGHT = re.compile(r"^(?:\(c\)|©)", re.IGNORECASE)
_ADDRESS_SEPARATOR = re.compile(r"\s*(?:,|\s[-–]\s)\s*")
_SPACED_LETTERS = re.compile(r"^(?:\w ){3,}\w")
_UPPER = re.compile(r"[A-ZÀ-ÖØ-Þ]")
_STREET = re.compile(
    r"^\d{1,5}[a-z]?\s+\S|\S\s+\d{1,4}\s?[a-z]?(?:\s*[-/]\s*\d{1,4}[a-z]?)?,?$"
    r"|\b(?:str\.|straße|strasse|street|road|lane|rue|avenue|ave|allee|weg|platz|gasse|boulevard)\b",
    re.IGNORECASE,
)
# Where a street begins inside a line that runs on from a name without a separator:
# "Müller Elektro Hauptstraße 5 80331 München", "Rossi Ferramenta Via Roma 22 20121 Milano".
_STREET_START = re.compile(
    r"(?<=\s)(?:[^\W\d_][\w-]*(?:straße|strasse|str\.|weg|gasse|platz|allee|laan|straat|gracht|plein)"
    r"\s*\d{1,4}|(?:via|viale|piazza|corso|calle|avenida|plaza|carrer|rue|avenue|boulevard|chemin)"
    r"\s+\S+.*?\d{1,4}|\d{1,5}[a-z]?\s+[^\W\d_]+(?:\s+[^\W\d_]+)?\s+(?:street|st\.?|road|rd\.?"
    r"|lane|avenue|ave\.?|way|drive|dr\.?)\b|\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?:rue|avenue|boulevard|bd"
    r"|chemin|place|allée|impasse|quai|route)\b)",
    re.IGNORECASE,
)
_POSTCODE = re.compile(
    r"\b\d{4,5}\b|\b[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}\b|\b[A-Z]\d[A-Z]\s\d[A-Z]\d\b|\b\d{2}-\d{3}\b"
)
_CONTACT = re.compile(
    r"\b(?:tel|telefon|phone|fon|fax|e-?mail|www|http|iban|bic|vat|ust|tva|gst|steuer|hrb|amtsgericht"
    r"|registergericht|gln|geschäftsführ\w*|bank)\b|@",
    re.IGNORECASE,
)
_KEY_VALUE = re.compile(r"\w\s*:\s*\S")
_NUMBER_LABEL = re.compile(r"\bn[°º]|\b(?:no|nr|nummer|number)\b\.?\s*$", re.IGNORECASE)
_LABEL_COLON = re.compile(r"[^\W\d_][\w.-]*\s*:")

_BLOCK_SCORE = 0.9
_SENDER_LINE_SCORE = 0.8
_LETTERHEAD_SCORE = 0.35
_FOOTER_SCORE = 0.3
_ADDRESS_WINDOW_SCORE = 0.7
_UNLABELLED_SCORE = 0.5
_CONTACT_BONUS = 0.15
_CONTACT_LINE = re.compile(
    r"\b(?:tel|telefon|phone|fon|fax|e-?mail|www|iban|vat|ust|tva|btw|iva|p\.?\s?iva|nif|cif)\b|@",
    re.IGNORECASE,
)
_HEADER_SHARE = 0.3  # of the page height: where a letterhead is printed
_FOOTER_SHARE = 0.8
_TEXT_HEADER_LINES = 8
_BLOCK_LINES = 6
_SALUTATION_REACH = 40  # lines of page 1 where an address may open with "Herrn", "Mr"


@dataclass(frozen=True, slots=True)
class NameCandidate:
    text: str
    position: int
    cell: Cell
    score: float
    source: str  # seller_block, sender_line, letterhead, footer, customer_block, address_window
    address: tuple[str, ...] = ()  # address parts printed with the name, when known


@dataclass(frozen=True, slots=True)
class Parties:
    issuer: (
        NameCandidate | None
    )  # letterhead party: the vendor of an invoice, the buyer of an order
    recipient: NameCandidate | None  # addressed party: the customer of an invoice
    supplier: NameCandidate | None  # a block headed "Supplier"/"Vendor"/"Lieferant"
    issuer_address: str | None
    recipient_positions: frozenset[int]  # lines of the recipient's blocks
    addressee: NameCandidate | None = None  # the name in the envelope window


def find_parties(
    layout: DocumentLayout, label_positions: frozenset[int], *, is_order: bool = False
) -> Parties:
    """Candidates from blocks, sender line, letterhead and footer; the best of each role.

    On an invoice a "Supplier"/"Lieferant" block names the issuer; on an order
    it names the addressed supplier, and the letterhead is the buyer's.
    """
    blocks = _blocks(layout)
    recipients, recipient_cells = blocks.names["customer"], blocks.cells["customer"]
    sellers, seller_cells = blocks.names["seller"], blocks.cells["seller"]
    suppliers, supplier_cells = blocks.names["supplier"], blocks.cells["supplier"]
    if not is_order:
        sellers, seller_cells = sellers + suppliers, seller_cells | supplier_cells
        suppliers, supplier_cells = [], set()
    senders, window = _sender_lines(layout)
    addressed = _salutation_blocks(layout)
    window += addressed
    recipients += window
    recipients = [c for c in recipients if (c.position, c.cell.start) not in seller_cells]
    excluded = recipient_cells | supplier_cells | {(c.position, c.cell.start) for c in window}
    recipient_names = {normalize_text(c.text) for c in recipients if c.source == "block"}
    supplier_names = {normalize_text(c.text) for c in suppliers}
    # An order's "Ship to" block usually names the buyer, who also heads the letter.
    not_issuer = supplier_names if is_order else recipient_names | supplier_names
    letterheads = _letterhead(layout, excluded, label_positions)
    issuers = [
        c
        for c in (*senders, *letterheads, *_footer(layout), *sellers)
        if normalize_text(c.text) not in not_issuer
    ]
    issuer = _joined_name(layout, _best(issuers))
    supplier = _best(suppliers)
    recipient = _best(recipients)
    if recipient is None and not is_order and issuer is not None:
        recipient = _unlabelled_recipient(layout, issuer, letterheads)
    if issuer is not None and recipient is not None and _same(issuer, recipient):
        recipient = None
    addressee = _best([c for c in window if issuer is None or not _same(issuer, c)])
    address = party_address(layout, issuer, issuers) if issuer is not None else None
    positions = frozenset(position for position, _ in excluded)
    return Parties(issuer, recipient, supplier, address, positions, addressee)


def looks_like_name(text: str) -> bool:
    # Cheapest tests first; all of them must hold.
    if not 3 <= len(text) <= 80:
        return False
    letters = sum(map(str.isalpha, text))
    if letters < 3 or sum(map(str.isdigit, text)) > letters / 4:
        return False
    return (
        _UPPER.search(text) is not None
        and not _has_title_word(text)
        and _LABEL_ONLY.match(text) is None
        and _CAPTION.match(text) is None
        and _COPYRIGHT.match(text) is None
        and not _is_table_head(text)
        and _SPACED_LETTERS.match(text) is None
        and _SALUTATION.match(text) is None
        and _KEY_VALUE.search(text) is None
        and _CONTACT.search(text) is None
        and not find_dates(text)
        and not (_STREET.search(text) and _LEGAL_FORM.search(text) is None)
        and not (_POSTCODE.search(text) and _LEGAL_FORM.search(text) is None)
    )


def _is_table_head(text: str) -> bool:
    """A cell of an item table's heading: one column's label, or several in one run."""
    columns = [pattern.search(text) for pattern in _TABLE_COLUMNS]
    found = [match for match in columns if match is not None]
    return len(found) >= 2 or (len(found) == 1 and found[0].group().strip() == text.strip(" :"))


def _has_title_word(text: str) -> bool:
    return _TITLE_IN_WORD.search(text) is not None or _TITLE_WORD.search(text) is not None


@dataclass(frozen=True, slots=True)
class _Blocks:
    """Per kind of block ("customer", "seller", "supplier"): its first names and its cells."""

    names: dict[str, list[NameCandidate]]
    cells: dict[str, set[tuple[int, int]]]


def _blocks(layout: DocumentLayout) -> _Blocks:
    """First name under each cell that heads a block, and every cell of those blocks."""
    names: dict[str, list[NameCandidate]] = {kind: [] for kind in _BLOCK_KINDS}
    cells: dict[str, set[tuple[int, int]]] = {kind: set() for kind in _BLOCK_KINDS}
    for position, located in enumerate(layout.lines[:120]):
        if located.page > 2:
            break
        for cell in layout.cells(position):
            heading = _block_heading(cell.text)
            if heading is None:
                continue
            kind, match, text = heading
            rest = text[match.end() :].strip()
            if rest and not rest.startswith(":"):
                continue
            weight = _BLOCK_SCORE * (0.8 if _SHIPPING.search(match.group()) else 1.0)
            members = [(position, _rest_cell(cell, rest))] if rest.strip(": ") else []
            members += [
                (b.position, b.cell)
                for b in layout.column(position, cell.x0, cell.x1, _BLOCK_LINES)
            ]
            cells[kind].update((p, c.start) for p, c in members)
            name = _first_name(layout, members)
            if name is not None:
                at, name_cell, address = name
                names[kind].append(
                    NameCandidate(name_cell.text, at, name_cell, weight, "block", address)
                )
    return _Blocks(names, cells)


def _block_heading(text: str) -> tuple[str, re.Match[str], str] | None:
    """(kind, match, text matched) when a cell starts with a block heading."""
    if len(text) > 60:
        return None
    text = text.lstrip("*- ")
    match = _BLOCK_HEADING.match(text)
    if match is None and len(text) <= 30 and 0 < text.count(" ") <= 2:
        text = text.replace(" ", "")  # "Ver käufer:": a word the PDF kerned apart
        match = _BLOCK_HEADING.match(text)
    if match is None or match.lastgroup is None:
        return None
    return match.lastgroup, match, text


def _rest_cell(cell: Cell, rest: str) -> Cell:
    text = rest.lstrip(": ").strip()
    start = cell.end - len(text)
    return Cell(text, start, cell.end, cell.x_of(start), cell.x1)


def _first_name(
    layout: DocumentLayout, members: list[tuple[int, Cell]]
) -> tuple[int, Cell, tuple[str, ...]] | None:
    """The first member that reads as a name and is not the key of a "key: value" pair, with
    the address printed after it on its line."""
    for position, printed in members[:4]:
        caption = _NAME_CAPTION.match(printed.text)
        cell = _rest_cell(printed, printed.text[caption.end() :]) if caption else printed
        name, address = without_address(cell.text)
        if looks_like_name(name) and not _is_key(layout, position, cell):
            return position, _name_cell(cell), address
    return None


def without_address(text: str) -> tuple[str, tuple[str, ...]]:
    """A name printed with its address on one line ("ACME Ltd, 1 High St, London"): the name
    and the address parts; the text itself and no parts when nothing after it reads as one."""
    parts = [p for p in _ADDRESS_SEPARATOR.split(text) if p]
    for index, part in enumerate(parts[1:], start=1):
        if _is_address(part):
            return ", ".join(parts[:index]), tuple(parts[index:])
    form = _LEGAL_FORM.search(text)
    rest = text[form.end() :].strip(" ,.-|·•") if form is not None else ""
    if form is not None and _is_address(rest):
        return text[: form.end()].strip(), (rest,)
    street = _STREET_START.search(text)
    if street is not None and street.start() > 0:
        name, rest = text[: street.start()].strip(" ,-"), text[street.start() :].strip()
        if len(name.split()) >= 2 and _is_address(rest) and _POSTCODE.search(rest):
            return name, (rest,)
    return text, ()


def _is_address(text: str) -> bool:
    """A street or a postcode with a place: a word and a number, not a bare year."""
    return (
        _WORD.search(text) is not None
        and any(map(str.isdigit, text))
        and (_STREET.search(text) is not None or _POSTCODE.search(text) is not None)
    )


def _name_cell(cell: Cell) -> Cell:
    name, _ = without_address(cell.text)
    if name == cell.text:
        return cell
    return Cell(name, cell.start, cell.start + len(name), cell.x0, cell.x1)


def _is_key(layout: DocumentLayout, position: int, cell: Cell) -> bool:
    """The cell is the key of a "key: value" pair printed across columns."""
    return layout.lines[position].line.text[cell.end :].lstrip().startswith(":")


def _sender_lines(layout: DocumentLayout) -> tuple[list[NameCandidate], list[NameCandidate]]:
    """ "Name · Street · City" lines in the upper half of page 1, and the window under them."""
    senders: list[NameCandidate] = []
    window: list[NameCandidate] = []
    for position, located in enumerate(layout.lines):
        share = layout.vertical_share(position)
        if located.page != 1 or (share is not None and share > 0.5):
            continue
        for cell in layout.cells(position):
            if not _HAS_PART_SEPARATOR.search(cell.text):
                continue  # one part: not a sender line
            parts = [p for p in _PARTS.split(cell.text) if p]
            if len(parts) < 2 or not looks_like_name(parts[0]):
                continue
            address = tuple(p for p in parts[1:] if not _CONTACT.search(p))
            if not any(_POSTCODE.search(p) or _STREET.search(p) for p in address):
                continue
            name_cell = Cell(parts[0], cell.start, cell.start + len(parts[0]), cell.x0, cell.x1)
            senders.append(
                NameCandidate(parts[0], position, name_cell, _SENDER_LINE_SCORE, "sender", address)
            )
            members = [(b.position, b.cell) for b in layout.column(position, cell.x0, cell.x1, 5)]
            name = _first_name(layout, members)
            if name is not None:
                window.append(
                    NameCandidate(name[1].text, name[0], name[1], _ADDRESS_WINDOW_SCORE, "window")
                )
    return senders, window


def _unlabelled_recipient(
    layout: DocumentLayout, issuer: NameCandidate, letterheads: list[NameCandidate]
) -> NameCandidate | None:
    """The other name-and-address block at the top of page 1, when nothing labels the buyer.

    An invoice's head holds two such blocks, the issuer's and the buyer's (often
    the buyer's first, in the envelope window): once the issuer is known, the
    other block with a street or postcode under its name is the buyer's.
    """
    for candidate in sorted(letterheads, key=lambda c: c.position):
        if _same(candidate, issuer) or candidate.address:
            continue
        if AMOUNT_TOKEN.search(layout.lines[candidate.position].line.text):
            continue  # a row of the item table, not an address block
        column = layout.column(candidate.position, candidate.cell.x0, candidate.cell.x1, 2)
        below = [b.cell.text for b in column]
        if any(_CONTACT.search(text) or AMOUNT_TOKEN.search(text) for text in below):
            continue
        if any(_is_address(text) for text in below):
            return NameCandidate(
                candidate.text, candidate.position, candidate.cell, _UNLABELLED_SCORE, "window"
            )
    return None


def _salutation_blocks(layout: DocumentLayout) -> list[NameCandidate]:
    """The name under (or after) a salutation that opens an address: "Herrn", "Mr", "Firma".

    Only an addressee is greeted so; the issuer never is.
    """
    found: list[NameCandidate] = []
    for position, located in enumerate(layout.lines[:_SALUTATION_REACH]):
        if located.page != 1:
            break
        for cell in layout.cells(position):
            words = cell.text.split(maxsplit=1)
            if not words or _SALUTATION.match(words[0]) is None:
                continue
            if len(words) == 2:
                members = [(position, _rest_cell(cell, words[1]))]
            else:
                members = [
                    (b.position, b.cell) for b in layout.column(position, cell.x0, cell.x1, 2)
                ]
            name = _first_name(layout, members)
            if name is None or _SALUTATION.match(name[1].text) is not None:
                continue
            # A person is named with the greeting printed over the name ("Herrn Max Muster").
            personal = _PERSONAL_SALUTATION.match(words[0]) is not None
            text = f"{words[0]} {name[1].text}" if personal else name[1].text
            found.append(NameCandidate(text, name[0], name[1], _ADDRESS_WINDOW_SCORE, "window"))
    return found


def _letterhead(
    layout: DocumentLayout, excluded: set[tuple[int, int]], label_positions: frozenset[int]
) -> list[NameCandidate]:
    found: list[NameCandidate] = []
    heights = _median_height(layout.lines)
    first = True
    for position, located in enumerate(layout.lines):
        if located.page != 1:
            break
        share = layout.vertical_share(position)
        if (position >= _TEXT_HEADER_LINES) if share is None else (share > _HEADER_SHARE):
            break
        for full_cell in layout.cells(position):
            cell = _name_cell(full_cell)
            if (position, cell.start) in excluded or not looks_like_name(cell.text):
                continue
            if _is_key(layout, position, full_cell) or cell.text.startswith(":"):
                continue
            if position in label_positions and _KEY_VALUE.search(located.line.text):
                continue
            score = _LETTERHEAD_SCORE
            if _LEGAL_FORM.search(cell.text):
                score += 0.3
            if heights and located.line.bbox is not None:
                height = located.line.bbox.y1 - located.line.bbox.y0
                if height > heights * 1.25 and len(layout.cells(position)) == 1:
                    score += 0.15
            if first:
                score += 0.1
                first = False
            if _has_contact_lines(layout, position, cell):
                score += _CONTACT_BONUS
            _, address = without_address(full_cell.text)
            found.append(NameCandidate(cell.text, position, cell, score, "letterhead", address))
    return found


def _has_contact_lines(layout: DocumentLayout, position: int, cell: Cell) -> bool:
    """Phone, e-mail, web or bank lines under a name: the issuer speaks for itself so."""
    for below in layout.column(position, cell.x0, cell.x1, 5):
        if _CONTACT_LINE.search(below.cell.text):
            return True
        if looks_like_name(below.cell.text):
            return False  # the next block's name: its contact lines are not this block's
    return False


def _footer(layout: DocumentLayout) -> list[NameCandidate]:
    found: list[NameCandidate] = []
    lines = layout.lines
    for position in range(len(lines)):
        share = layout.vertical_share(position)
        if (position < len(lines) - 3) if share is None else (share < _FOOTER_SHARE):
            continue
        for cell in layout.cells(position):
            parts = [p for p in _PARTS.split(cell.text) if p]
            name, inline_address = without_address(_before_contact(parts[0]))
            if not looks_like_name(name) or (len(parts) == 1 and not _LEGAL_FORM.search(name)):
                continue
            score = _FOOTER_SCORE + (0.2 if _LEGAL_FORM.search(name) else 0.0)
            address = tuple(p for p in (*inline_address, *parts[1:]) if not _CONTACT.search(p))
            name_cell = Cell(name, cell.start, cell.start + len(name), cell.x0, cell.x1)
            found.append(NameCandidate(name, position, name_cell, score, "footer", address))
    return found


def _best(candidates: list[NameCandidate]) -> NameCandidate | None:
    """Highest score after a bonus for names printed in several places."""
    if not candidates:
        return None
    names = [normalize_text(c.text) for c in candidates]
    places = Counter(names)
    best: tuple[float, int, NameCandidate] | None = None
    for candidate, name in zip(candidates, names, strict=True):
        repeats = places[name] - 1
        score = candidate.score + min(repeats, 2) * 0.15
        key = (round(score, 6), -candidate.position)
        if best is None or key > best[:2]:
            best = (key[0], key[1], candidate)
    return best[2] if best else None


def _joined_name(layout: DocumentLayout, name: NameCandidate | None) -> NameCandidate | None:
    """A letterhead name printed over two lines, only the second ending in the legal form."""
    if name is None or name.source not in ("letterhead", "block"):
        return name
    if _LEGAL_FORM.search(name.text) is None:
        below = next(iter(layout.column(name.position, name.cell.x0, name.cell.x1, 1)), None)
        if below is not None and _name_part(layout, below.position, below.cell, with_form=True):
            return _join(name, name.text, below.cell.text)
        return name
    above = layout.above(name.position, name.cell.x0, name.cell.x1)
    if above is not None and _name_part(layout, above.position, above.cell, with_form=False):
        return _join(name, above.cell.text, name.text)
    return name


def _name_part(layout: DocumentLayout, position: int, cell: Cell, *, with_form: bool) -> bool:
    has_form = _LEGAL_FORM.search(cell.text) is not None
    return (
        has_form == with_form
        and looks_like_name(cell.text)
        and not _is_key(layout, position, cell)
        and _BLOCK_LABEL.search(cell.text) is None
    )


def _join(name: NameCandidate, first: str, second: str) -> NameCandidate:
    return NameCandidate(
        f"{first} {second}", name.position, name.cell, name.score, name.source, name.address
    )


def _before_contact(text: str) -> str:
    """A footer cell up to its first contact word or "Label:" ("ACME GMBH Geschäftsführer: ...")."""
    cut = len(text)
    for pattern in (_CONTACT, _LABEL_COLON):
        match = pattern.search(text)
        if match is not None:
            cut = min(cut, match.start())
    return text[:cut].strip(" ,;")


def _same(one: NameCandidate, other: NameCandidate) -> bool:
    return normalize_text(one.text) == normalize_text(other.text)


def party_address(
    layout: DocumentLayout, party: NameCandidate, candidates: list[NameCandidate] | None = None
) -> str | None:
    """Street and city printed with a party's name: beside it, or in the lines below."""
    if party.address:
        return ", ".join(_address_parts(party.address))
    below = [b.cell.text for b in layout.column(party.position, party.cell.x0, party.cell.x1, 4)]
    parts = _address_parts(tuple(below))
    if parts:
        return ", ".join(parts)
    same = normalize_text(party.text)
    for candidate in candidates or ():
        if candidate.address and normalize_text(candidate.text) == same:
            return ", ".join(_address_parts(candidate.address))
    return None


def _address_parts(texts: tuple[str, ...]) -> list[str]:
    """Street and city: the printed pieces up to the postcode, from the first one with a
    number (a contact person's name may come first)."""
    parts = _address_pieces(texts)
    first = next((i for i, part in enumerate(parts) if any(map(str.isdigit, part))), 0)
    return parts[first:]


def _address_pieces(texts: tuple[str, ...]) -> list[str]:
    parts: list[str] = []
    for text in texts:
        for piece in (p.strip(" ,") for p in text.split(",")) if "," in text else (text,):
            if not piece:
                continue
            if (
                _CONTACT.search(piece)
                or _KEY_VALUE.search(piece)
                or _has_title_word(piece)
                or _NUMBER_LABEL.search(piece)
                or piece.endswith(":")
                or _SALUTATION.match(piece)
                or find_dates(piece)
            ):
                return parts
            parts.append(piece.strip())
            if _POSTCODE.search(piece) and not _STREET.match(piece):
                return parts
        if len(parts) >= 3:
            return parts
    return parts


def _median_height(lines: tuple[Located, ...]) -> float:
    heights = sorted(box.y1 - box.y0 for located in lines if (box := located.line.bbox) is not None)
    return heights[len(heights) // 2] if heights else 0.0
