"""Documents a business inbox receives that are none of the business types, and bank statements.

Letters, CVs, reports, meeting minutes, articles and data sheets are prose;
quotations, delivery notes and payment reminders look like business documents
(items, amounts, an invoice number) and are the hard cases: the classifier
must call them `other`, not invoice or purchase order. Bank statements are a
type of their own. Labels carry the type only (no fields).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from doclane.samples import locales
from doclane.samples.canvas import PAGE_HEIGHT, Canvas
from doclane.samples.parties import Company, group_iban, random_company, random_iban

_LEFT, _WIDTH, _TOP, _BOTTOM = 22.0, 166.0, 24.0, PAGE_HEIGHT - 20.0
_STYLES = {"title": (15, "B", 8.0), "heading": (11, "B", 6.5), "line": (10, "", 5.0)}
_RIGHT_EDGES = (125.0, 156.0, 188.0)  # table cells after the first two are right-aligned numbers

OTHER_KINDS = (
    "letter",
    "cv",
    "report",
    "minutes",
    "article",
    "datasheet",
    "quotation",
    "delivery_note",
    "payment_reminder",
)

Block = tuple[str, object]  # ("title" | "heading" | "line" | "para", text) or ("row", cells)


@dataclass(frozen=True)
class OtherDocument:
    doc_type: str  # "other" or "bank_statement"
    kind: str
    language: str
    title: str
    blocks: tuple[Block, ...]


def make_other_document(rng: random.Random) -> OtherDocument:
    kind = rng.choice(OTHER_KINDS)
    language = rng.choice(("en", "en", "de", "fr"))
    sender, recipient = random_company(rng, language), random_company(rng, language)
    title, blocks = _MAKERS[kind](language, sender, recipient, rng)
    return OtherDocument("other", kind, language, title, tuple(blocks))


def make_bank_statement(rng: random.Random) -> OtherDocument:
    language = rng.choice(("en", "de", "fr"))
    holder = random_company(rng, language)
    title, blocks = _bank_statement(language, holder, rng)
    return OtherDocument("bank_statement", "bank_statement", language, title, tuple(blocks))


def render_other_pdf(document: OtherDocument) -> bytes:
    canvas = Canvas(document.title)
    canvas.add_page()
    y = _TOP
    for style, content in document.blocks:
        if style == "row":
            y = _next_line(canvas, y, 5.0)
            canvas.font(9.5)
            _draw_row(canvas, y, content)  # type: ignore[arg-type]  # rows carry cell tuples
            continue
        size, weight, leading = _STYLES["line" if style == "para" else style]
        canvas.font(size, weight)
        lines = canvas.wrap(str(content), _WIDTH) if style == "para" else [str(content)]
        y += 3.0 if style in ("heading", "para") else 0.0
        for line in lines:
            y = _next_line(canvas, y, leading)
            canvas.text(_LEFT, y, line)
    return canvas.output()


def _next_line(canvas: Canvas, y: float, leading: float) -> float:
    if y + leading > _BOTTOM:
        canvas.add_page()
        return _TOP + leading
    return y + leading


def _draw_row(canvas: Canvas, y: float, cells: tuple[str, ...]) -> None:
    canvas.text(_LEFT, y, canvas.fit(cells[0], 36.0 if len(cells) > 2 else 70.0))
    if len(cells) > 1:
        x = 42.0 if len(cells) > 2 else 95.0
        canvas.text(x, y, canvas.fit(cells[1], 80.0))
    for edge, cell in zip(_RIGHT_EDGES, cells[2:], strict=False):
        canvas.text_right(edge, y, cell)


def _date(rng: random.Random) -> date:
    return date(2023, 1, 1) + timedelta(days=rng.randrange(700))


def _printed_date(value: date, language: str) -> str:
    return locales.format_date(value, language, locales.DATE_STYLES[language][0])


def _letterhead(company: Company) -> list[Block]:
    return [("line", company.name), *(("line", line) for line in company.address_lines)]


_SIGN_OFF = {
    "en": ("Dear {name},", "Yours sincerely,", "Kind regards,"),
    "de": ("Sehr geehrte Damen und Herren,", "Mit freundlichen Grüßen", "Freundliche Grüße"),
    "fr": ("Madame, Monsieur,", "Veuillez agréer nos salutations distinguées.", "Cordialement,"),
}
_LETTER_TEXT = {
    "en": (
        "Thank you for your visit to our offices last week and for the constructive discussion.",
        "As agreed, we will send you the revised project plan before the end of the month.",
        "Please let us know whether your team would like to see one of our recent installations.",
        "We would be pleased to present our approach to your board at a date that suits you.",
        "Our colleague will contact you next week to arrange the site survey.",
    ),
    "de": (
        "vielen Dank für das freundliche Gespräch in der vergangenen Woche.",
        "Wie besprochen senden wir Ihnen den überarbeiteten Projektplan bis Monatsende zu.",
        "Gern stellen wir Ihnen unser Vorgehen in einem persönlichen Termin vor.",
        "Unser Kollege wird sich in der kommenden Woche bei Ihnen melden.",
    ),
    "fr": (
        "Nous vous remercions de votre visite et de notre échange de la semaine dernière.",
        "Comme convenu, nous vous adresserons le planning révisé avant la fin du mois.",
        "Nous serions heureux de vous présenter notre démarche lors d'un prochain rendez-vous.",
        "Notre collègue prendra contact avec vous la semaine prochaine.",
    ),
}
_SUBJECT = {"en": "Re: {topic}", "de": "Betreff: {topic}", "fr": "Objet : {topic}"}
_TOPICS = {
    "en": ("Office relocation", "Your enquiry about our services", "Project kick-off meeting"),
    "de": ("Ihre Anfrage", "Umzug unseres Büros", "Projektbesprechung"),
    "fr": ("Votre demande", "Déménagement de nos bureaux", "Réunion de lancement"),
}


def _letter(
    language: str, sender: Company, recipient: Company, rng: random.Random
) -> tuple[str, list[Block]]:
    greeting, *closings = _SIGN_OFF[language]
    topic = rng.choice(_TOPICS[language])
    blocks = [
        *_letterhead(sender),
        ("line", ""),
        ("line", recipient.name),
        *(("line", line) for line in recipient.address_lines),
        ("line", ""),
        ("line", _printed_date(_date(rng), language)),
        ("heading", _SUBJECT[language].format(topic=topic)),
        ("para", greeting.format(name="Sir or Madam")),
        ("para", " ".join(rng.sample(_LETTER_TEXT[language], 3))),
        ("para", rng.choice(closings)),
        ("line", sender.name),
    ]
    return topic, blocks


_CV = {
    "en": ("CURRICULUM VITAE", "Experience", "Education", "Skills", "Accountant", "BSc Finance"),
    "de": ("Lebenslauf", "Berufserfahrung", "Ausbildung", "Kenntnisse", "Buchhalterin", "B.A. BWL"),
    "fr": (
        "Curriculum vitae",
        "Expérience professionnelle",
        "Formation",
        "Compétences",
        "Comptable",
        "Licence de gestion",
    ),
}
_PEOPLE = (
    "Maria Kowalski",
    "Jonas Becker",
    "Claire Dubois",
    "Amir Haddad",
    "Lena Schulz",
    "Tom Fletcher",
)
_SKILLS = ("SAP", "Excel", "DATEV", "Power BI", "IFRS", "English", "German", "French", "SQL")


def _cv(
    language: str, sender: Company, recipient: Company, rng: random.Random
) -> tuple[str, list[Block]]:
    title, experience, education, skills, role, degree = _CV[language]
    start = rng.randint(2012, 2019)
    blocks: list[Block] = [
        ("title", title),
        ("line", rng.choice(_PEOPLE)),
        ("line", f"{role} | {sender.address_lines[-1]}"),
        ("heading", experience),
        ("line", f"{start} - {start + rng.randint(2, 5)}   {role}, {sender.name}"),
        ("line", f"{start - 4} - {start}   {role}, {recipient.name}"),
        ("heading", education),
        ("line", f"{start - 8} - {start - 5}   {degree}"),
        ("heading", skills),
        ("line", ", ".join(rng.sample(_SKILLS, 5))),
    ]
    return title, blocks


_REPORT = {
    "en": (
        "Quarterly Operations Report",
        ("Summary", "Key figures", "Risks", "Outlook"),
        ("Orders shipped", "On-time delivery", "Returns rate"),
    ),
    "de": (
        "Quartalsbericht",
        ("Zusammenfassung", "Kennzahlen", "Risiken", "Ausblick"),
        ("Versandte Aufträge", "Liefertreue", "Retourenquote"),
    ),
    "fr": (
        "Rapport trimestriel",
        ("Synthèse", "Indicateurs", "Risques", "Perspectives"),
        ("Commandes expédiées", "Livraisons à l'heure", "Taux de retour"),
    ),
}
_REPORT_TEXT = {
    "en": (
        "Volume grew compared with the previous quarter.",
        "Freight costs remain volatile.",
        "We expect demand to rise during the holiday season.",
        "The new sorting line was commissioned on schedule.",
    ),
    "de": (
        "Das Volumen stieg gegenüber dem Vorquartal.",
        "Die Frachtkosten bleiben volatil.",
        "Wir erwarten eine steigende Nachfrage.",
        "Die neue Sortieranlage ging planmäßig in Betrieb.",
    ),
    "fr": (
        "Le volume a progressé par rapport au trimestre précédent.",
        "Les coûts de transport restent volatils.",
        "Nous anticipons une hausse de la demande.",
        "La nouvelle ligne de tri a été mise en service.",
    ),
}


def _report(
    language: str, sender: Company, recipient: Company, rng: random.Random
) -> tuple[str, list[Block]]:
    title, headings, metrics = _REPORT[language]
    blocks: list[Block] = [("title", title), ("line", sender.name)]
    for number, heading in enumerate(headings, start=1):
        blocks.append(("heading", f"{number}. {heading}"))
        if number == 2:
            blocks += [
                ("row", (metric, "", "", f"{rng.randint(80, 99)},{rng.randint(0, 9)} %"))
                for metric in metrics
            ]
        else:
            blocks.append(("para", " ".join(rng.sample(_REPORT_TEXT[language], 2))))
    return title, blocks


_MINUTES = {
    "en": (
        "Minutes of the Board Meeting",
        "Present",
        ("Approval of previous minutes", "Finance update", "Any other business"),
        "The meeting closed at 11:45.",
    ),
    "de": (
        "Protokoll der Gesellschafterversammlung",
        "Anwesend",
        ("Genehmigung des Protokolls", "Finanzbericht", "Verschiedenes"),
        "Die Sitzung endete um 11:45 Uhr.",
    ),
    "fr": (
        "Procès-verbal de la réunion du conseil",
        "Présents",
        ("Approbation du procès-verbal", "Point financier", "Questions diverses"),
        "La séance est levée à 11h45.",
    ),
}


def _minutes(
    language: str, sender: Company, recipient: Company, rng: random.Random
) -> tuple[str, list[Block]]:
    title, present, items, closing = _MINUTES[language]
    blocks: list[Block] = [
        ("title", title),
        ("line", f"{sender.name}, {_printed_date(_date(rng), language)}"),
        ("line", f"{present}: {', '.join(rng.sample(_PEOPLE, 4))}"),
    ]
    for number, item in enumerate(items, start=1):
        blocks += [("heading", f"{number}. {item}"), ("para", rng.choice(_REPORT_TEXT[language]))]
    blocks.append(("para", closing))
    return title, blocks


_ARTICLE = {
    "en": (
        "Local bakery wins national award",
        "By {author}",
        (
            "The family-run business was named the best independent bakery in the country.",
            "The owner said the team was delighted.",
            "The judges praised its bread and its work with local schools.",
        ),
    ),
    "de": (
        "Bäckerei gewinnt Landespreis",
        "Von {author}",
        (
            "Der Familienbetrieb wurde als beste Bäckerei des Landes ausgezeichnet.",
            "Der Inhaber zeigte sich erfreut.",
            "Die Jury lobte das Brot und die Arbeit mit Schulen.",
        ),
    ),
    "fr": (
        "Une boulangerie primée",
        "Par {author}",
        (
            "L'entreprise familiale a été élue meilleure boulangerie indépendante du pays.",
            "Le patron s'est dit ravi.",
            "Le jury a salué son pain et son travail avec les écoles.",
        ),
    ),
}


def _article(
    language: str, sender: Company, recipient: Company, rng: random.Random
) -> tuple[str, list[Block]]:
    title, byline, sentences = _ARTICLE[language]
    blocks: list[Block] = [
        ("title", title),
        (
            "line",
            byline.format(author=rng.choice(_PEOPLE)) + f", {_printed_date(_date(rng), language)}",
        ),
        ("para", " ".join(sentences)),
        ("para", " ".join(rng.sample(sentences, 2))),
    ]
    return title, blocks


_DATASHEET = {
    "en": (
        "PRODUCT DATA SHEET",
        "Specifications",
        ("Measuring range", "Accuracy", "Supply voltage", "Weight"),
        "Specifications subject to change without notice.",
    ),
    "de": (
        "DATENBLATT",
        "Technische Daten",
        ("Messbereich", "Genauigkeit", "Versorgungsspannung", "Gewicht"),
        "Technische Änderungen vorbehalten.",
    ),
    "fr": (
        "FICHE TECHNIQUE",
        "Caractéristiques",
        ("Plage de mesure", "Précision", "Tension d'alimentation", "Poids"),
        "Caractéristiques susceptibles de modification.",
    ),
}


def _datasheet(
    language: str, sender: Company, recipient: Company, rng: random.Random
) -> tuple[str, list[Block]]:
    title, heading, properties, disclaimer = _DATASHEET[language]
    values = ("-50 ... 400 °C", "±0.5 °C", "24 V DC", f"{rng.randint(90, 400)} g")
    blocks: list[Block] = [
        ("title", title),
        ("line", f"{sender.name} TX-{rng.randint(100, 999)}"),
        ("heading", heading),
        *(("row", (name, value)) for name, value in zip(properties, values, strict=True)),
        ("para", disclaimer),
    ]
    return title, blocks


# Business-looking documents of kinds outside the taxonomy.
_BUSINESS_TITLES = {
    "quotation": {
        "en": ("QUOTATION", "Quote", "Estimate"),
        "de": ("ANGEBOT", "Kostenvoranschlag"),
        "fr": ("DEVIS",),
    },
    "delivery_note": {
        "en": ("DELIVERY NOTE", "Packing Slip"),
        "de": ("LIEFERSCHEIN",),
        "fr": ("BON DE LIVRAISON",),
    },
}
_NUMBER_LABEL = {"en": "No.", "de": "Nr.", "fr": "N°"}
_DATE_LABEL = {"en": "Date", "de": "Datum", "fr": "Date"}
_ITEMS = (
    "Office chair",
    "LED panel 600x600",
    "Installation labour",
    "Oak table",
    "Network switch",
    "Cable set",
)
_TABLE_HEAD = {
    "en": ("Item", "Description", "Qty", "Price", "Amount"),
    "de": ("Pos.", "Artikel", "Menge", "Preis", "Betrag"),
    "fr": ("Réf.", "Désignation", "Qté", "P.U.", "Montant"),
}
_VALID = {
    "en": "This quotation is valid for 30 days.",
    "de": "Dieses Angebot ist 30 Tage gültig.",
    "fr": "Devis valable 30 jours.",
}
_RECEIVED = {
    "en": "Goods received in good condition:",
    "de": "Ware in einwandfreiem Zustand erhalten:",
    "fr": "Marchandise reçue en bon état :",
}


def _items_document(
    kind: str,
) -> Callable[[str, Company, Company, random.Random], tuple[str, list[Block]]]:
    def make(
        language: str, sender: Company, recipient: Company, rng: random.Random
    ) -> tuple[str, list[Block]]:
        title = rng.choice(_BUSINESS_TITLES[kind][language])
        blocks = [
            *_letterhead(sender),
            ("title", title),
            ("line", f"{_NUMBER_LABEL[language]} {rng.randint(1000, 99999)}"),
            ("line", f"{_DATE_LABEL[language]}: {_printed_date(_date(rng), language)}"),
            ("line", recipient.name),
            ("row", _TABLE_HEAD[language] if kind == "quotation" else _TABLE_HEAD[language][:3]),
        ]
        net = Decimal(0)
        for position, item in enumerate(rng.sample(_ITEMS, rng.randint(2, 4)), start=1):
            quantity, price = rng.randint(1, 20), Decimal(rng.randint(500, 90000)) / 100
            amount = quantity * price
            net += amount
            cells = (str(position), item, str(quantity))
            if kind == "quotation":
                cells += (
                    locales.format_number(price, language),
                    locales.format_number(amount, language),
                )
            blocks.append(("row", cells))
        if kind == "quotation":
            blocks += [
                ("row", ("", "Total", "", "", locales.format_number(net, language))),
                ("para", _VALID[language]),
            ]
        else:
            blocks.append(("para", _RECEIVED[language]))
        return title, blocks

    return make


_REMINDER = {
    "en": (
        "PAYMENT REMINDER",
        "Our records show that invoice {number} of {date} for {amount} is still unpaid. Please settle it within seven days.",
        "Yours faithfully,",
    ),
    "de": (
        "Zahlungserinnerung",
        "sicher ist Ihrer Aufmerksamkeit entgangen, dass unsere Rechnung {number} vom {date} über {amount} noch offen ist. Bitte überweisen Sie den Betrag innerhalb von sieben Tagen.",
        "Mit freundlichen Grüßen",
    ),
    "fr": (
        "Relance",
        "Sauf erreur de notre part, la facture {number} du {date} d'un montant de {amount} reste impayée. Merci de procéder au règlement sous huit jours.",
        "Cordialement,",
    ),
}


def _payment_reminder(
    language: str, sender: Company, recipient: Company, rng: random.Random
) -> tuple[str, list[Block]]:
    title, text, closing = _REMINDER[language]
    amount = locales.format_money(
        Decimal(rng.randint(10000, 900000)) / 100, "EUR", language, "code_after"
    )
    invoice_date = _date(rng)
    blocks = [
        *_letterhead(sender),
        ("line", recipient.name),
        ("line", _printed_date(invoice_date + timedelta(days=45), language)),
        ("title", title),
        ("para", _SIGN_OFF[language][0].format(name="Sir or Madam")),
        (
            "para",
            text.format(
                number=f"{rng.randint(2023, 2024)}-{rng.randint(100, 999)}",
                date=_printed_date(invoice_date, language),
                amount=amount,
            ),
        ),
        ("para", closing),
        ("line", sender.name),
    ]
    return title, blocks


_MAKERS: dict[str, Callable[[str, Company, Company, random.Random], tuple[str, list[Block]]]] = {
    "letter": _letter,
    "cv": _cv,
    "report": _report,
    "minutes": _minutes,
    "article": _article,
    "datasheet": _datasheet,
    "quotation": _items_document("quotation"),
    "delivery_note": _items_document("delivery_note"),
    "payment_reminder": _payment_reminder,
}

_STATEMENT = {
    "en": (
        "Statement of Account",
        "Opening balance",
        "Closing balance",
        ("Date", "Description", "", "Paid out", "Paid in"),
        ("Card payment", "Transfer from customer", "Direct debit", "Salary payments"),
    ),
    "de": (
        "Kontoauszug",
        "Alter Kontostand",
        "Neuer Kontostand",
        ("Datum", "Buchungstext", "", "Soll", "Haben"),
        ("Kartenzahlung", "Gutschrift Kunde", "Lastschrift", "Gehälter"),
    ),
    "fr": (
        "Relevé de compte",
        "Ancien solde",
        "Nouveau solde",
        ("Date", "Libellé", "", "Débit", "Crédit"),
        ("Paiement carte", "Virement client", "Prélèvement", "Salaires"),
    ),
}


def _bank_statement(language: str, holder: Company, rng: random.Random) -> tuple[str, list[Block]]:
    title, opening, closing, head, entries = _STATEMENT[language]
    country = holder.country if holder.country in ("DE", "FR", "GB", "AT", "NL", "CH") else "DE"
    start = _date(rng).replace(day=1)
    balance = Decimal(rng.randint(100000, 2000000)) / 100
    blocks: list[Block] = [
        (
            "line",
            rng.choice(("Nordbank", "Crédit du Centre", "Harbour Bank plc", "Volksbank Mitte")),
        ),
        ("title", title),
        ("line", holder.name),
        ("line", f"IBAN {group_iban(random_iban(country, rng))}"),
        ("row", head),
        (
            "row",
            (
                _printed_date(start, language),
                opening,
                "",
                "",
                locales.format_number(balance, language),
            ),
        ),
    ]
    for day in sorted(rng.sample(range(2, 28), rng.randint(3, 8))):
        amount = Decimal(rng.randint(1000, 300000)) / 100
        paid_in = rng.random() < 0.4
        balance += amount if paid_in else -amount
        entry = entries[1] if paid_in else rng.choice(entries[:1] + entries[2:])  # [1] is incoming
        cells = (_printed_date(start.replace(day=day), language), entry, "")
        cells += (
            ("", locales.format_number(amount, language))
            if paid_in
            else (locales.format_number(amount, language), "")
        )
        blocks.append(("row", cells))
    blocks.append(
        (
            "row",
            (
                _printed_date(start.replace(day=28), language),
                closing,
                "",
                "",
                locales.format_number(balance, language),
            ),
        )
    )
    return title, blocks
