"""Contracts as prose PDFs: title, parties, dates, term and governing law.

Most are English, like the CUAD and Kleister-NDA contracts; some German or
French. Labels: `term` is normalised to English (`3 years`, `18 months`) like
an ISO date is; `governing_law` is the jurisdiction as the text names it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from doclane.samples import locales
from doclane.samples.canvas import PAGE_HEIGHT, Canvas
from doclane.samples.parties import Company, pick_vendor, random_company

_TOP, _BOTTOM, _LEFT, _WIDTH = 25.0, PAGE_HEIGHT - 25.0, 25.0, 160.0
_STYLES = {"title": (14, "B", 8.0), "heading": (10.5, "B", 6.0), "para": (10, "", 4.8)}

_TITLES = {
    "en": (
        ("MASTER SERVICES AGREEMENT", ("Supplier", "Customer")),
        ("MUTUAL NON-DISCLOSURE AGREEMENT", ("Disclosing Party", "Receiving Party")),
        ("SOFTWARE LICENSE AGREEMENT", ("Licensor", "Licensee")),
        ("SUPPLY AGREEMENT", ("Supplier", "Purchaser")),
        ("CONSULTING AGREEMENT", ("Consultant", "Client")),
    ),
    "de": (
        ("RAHMENVERTRAG ÜBER DIENSTLEISTUNGEN", ("Auftragnehmer", "Auftraggeber")),
        ("GEHEIMHALTUNGSVEREINBARUNG", ("Offenlegende Partei", "Empfangende Partei")),
        ("LIEFERVERTRAG", ("Lieferant", "Abnehmer")),
    ),
    "fr": (
        ("CONTRAT DE PRESTATION DE SERVICES", ("le Prestataire", "le Client")),
        ("ACCORD DE CONFIDENTIALITÉ", ("la Partie divulgatrice", "la Partie destinataire")),
        ("CONTRAT DE FOURNITURE", ("le Fournisseur", "l'Acheteur")),
    ),
}
# (label as named in the text, the sentence naming it)
_LAWS = {
    "en": (
        ("New York", "the laws of the State of New York"),
        ("Delaware", "the laws of the State of Delaware"),
        ("California", "the laws of the State of California"),
        ("England and Wales", "the laws of England and Wales"),
        ("Ontario", "the laws of the Province of Ontario"),
    ),
    "de": (
        ("Deutschland", "in Deutschland"),
        ("Österreich", "in Österreich"),
        ("Schweiz", "in der Schweiz"),
    ),
    "fr": (("France", "en France"), ("Suisse", "en Suisse"), ("Belgique", "en Belgique")),
}
_NUMBER_WORDS = {
    "en": {
        1: "one",
        2: "two",
        3: "three",
        4: "four",
        5: "five",
        6: "six",
        12: "twelve",
        18: "eighteen",
        24: "twenty-four",
        36: "thirty-six",
    },
    "de": {
        1: "ein",
        2: "zwei",
        3: "drei",
        4: "vier",
        5: "fünf",
        6: "sechs",
        12: "zwölf",
        18: "achtzehn",
        24: "vierundzwanzig",
        36: "sechsunddreißig",
    },
    "fr": {
        1: "un",
        2: "deux",
        3: "trois",
        4: "quatre",
        5: "cinq",
        6: "six",
        12: "douze",
        18: "dix-huit",
        24: "vingt-quatre",
        36: "trente-six",
    },
}
_UNITS = {
    "en": ("year", "years", "months"),
    "de": ("Jahr", "Jahre", "Monate"),
    "fr": ("an", "ans", "mois"),
}


@dataclass(frozen=True)
class Contract:
    language: str
    title: str
    parties: tuple[Company, Company]
    roles: tuple[str, str]
    agreement_date: date
    effective_date: date
    term_count: int
    term_unit: str  # years or months
    expiration_date: date | None  # when the text states it
    governing_law: str
    law_phrase: str

    @property
    def term(self) -> str:
        """As the corpus labels it: "1 year", "3 years", "18 months"."""
        unit = self.term_unit[:-1] if self.term_count == 1 else self.term_unit
        return f"{self.term_count} {unit}"


def make_contract(rng: random.Random) -> Contract:
    language = rng.choices(locales.LANGUAGES, weights=(8, 1, 1))[0]
    title, roles = rng.choice(_TITLES[language])
    first = pick_vendor(rng) if rng.random() < 0.6 else random_company(rng, language)
    second = random_company(rng, language, name_variant="counterparty")
    agreement = date(2015, 1, 1) + timedelta(days=rng.randint(0, 9 * 365))
    effective = agreement if rng.random() < 0.6 else agreement + timedelta(days=rng.randint(1, 45))
    if rng.random() < 0.6:
        count, unit = rng.randint(1, 5), "years"
    else:
        count, unit = rng.choice((6, 12, 18, 24, 36)), "months"
    expiration = None
    if rng.random() < 0.5:
        months = count * 12 if unit == "years" else count
        year, month = divmod(effective.month - 1 + months, 12)
        expiration = _safe_date(effective.year + year, month + 1, effective.day) - timedelta(days=1)
    law, phrase = rng.choice(_LAWS[language])
    return Contract(
        language,
        title,
        (first, second),
        roles,
        agreement,
        effective,
        count,
        unit,
        expiration,
        law,
        phrase,
    )


def _safe_date(year: int, month: int, day: int) -> date:
    while True:
        try:
            return date(year, month, day)
        except ValueError:
            day -= 1


def contract_label(contract: Contract) -> tuple[dict[str, str], list[str]]:
    fields = {
        "title": contract.title,
        "agreement_date": contract.agreement_date.isoformat(),
        "effective_date": contract.effective_date.isoformat(),
        "governing_law": contract.governing_law,
        "term": contract.term,
    }
    if contract.expiration_date:
        fields["expiration_date"] = contract.expiration_date.isoformat()
    return fields, [party.name for party in contract.parties]


def _duration(contract: Contract) -> str:
    words, language = _NUMBER_WORDS[contract.language], contract.language
    one, many, months = _UNITS[language]
    unit = months if contract.term_unit == "months" else (one if contract.term_count == 1 else many)
    return f"{words[contract.term_count]} ({contract.term_count}) {unit}"


_Block = tuple[str, str]  # style, text
_Line = tuple[str, float, str]  # style, baseline y, text


# How real filings state a party's formation, their term and their law, in turn. The variant
# follows the agreement date, so the random stream (and every other sample) is unchanged.
_FORMATIONS_EN = (
    ",",
    ", a Delaware corporation,",
    ", a New York limited liability company,",
    ", a company organised under the laws of England and Wales,",
)
_TERMS_EN = (
    "This Agreement shall commence on the Effective Date and continue for a period of "
    "{duration}{expiry}, unless terminated earlier in accordance with this Section.",
    "The term of this Agreement is {duration}, commencing on the Effective Date and ending on "
    "{expires}, unless terminated earlier in accordance with this Section.",
    "This Agreement shall commence on the Effective Date and shall continue for an initial term "
    'of {duration} until {expires} (the "Initial Term"). Thereafter it shall renew automatically '
    "for successive one (1) year periods unless either Party gives notice of non-renewal.",
    "Unless terminated earlier in accordance with this Section, this Agreement shall be in effect "
    "for {duration} from the Effective Date and shall expire on {expires}.",
)
_STATE_LAW = frozenset(("New York", "Delaware", "California"))


def _variant(c: Contract, choices: int) -> int:
    return c.agreement_date.toordinal() % choices


def _term_sentence_en(c: Contract) -> str:
    if c.expiration_date is None:
        return _TERMS_EN[0].format(duration=_duration(c), expiry="")
    expires = locales.long_date(c.expiration_date, "en")
    sentence = _TERMS_EN[_variant(c, len(_TERMS_EN))]
    return sentence.format(
        duration=_duration(c), expiry=f", expiring on {expires}", expires=expires
    )


def _law_phrase_en(c: Contract) -> str:
    """ "the laws of the State of New York", or as often "New York law"."""
    if c.governing_law in _STATE_LAW and _variant(c, 2):
        return f"{c.governing_law} law"
    return c.law_phrase


def _blocks_en(c: Contract) -> tuple[list[_Block], list[_Block]]:
    (a, b), (role_a, role_b) = c.parties, c.roles
    when = locales.long_date(c.agreement_date, "en")
    effective = locales.long_date(c.effective_date, "en")
    formed = _FORMATIONS_EN[_variant(c, len(_FORMATIONS_EN))]
    essential = [
        ("title", c.title),
        (
            "para",
            f'This {c.title.title()} (the "Agreement") is entered into as of {when} by and '
            f'between {a.name}{formed} with offices at {a.address} ("{role_a}"), and {b.name}, with '
            f'offices at {b.address} ("{role_b}"). {role_a} and {role_b} are each a "Party".',
        ),
        ("heading", "1. Effective Date"),
        ("para", f'This Agreement shall become effective on {effective} (the "Effective Date").'),
        ("heading", "2. Term and Termination"),
        (
            "para",
            f"{_term_sentence_en(c)} Either Party may terminate this Agreement upon thirty (30) "
            "days' written notice if the other Party materially breaches it and fails to cure "
            "the breach.",
        ),
        ("heading", "3. Governing Law"),
        (
            "para",
            f"This Agreement shall be governed by and construed in accordance with {_law_phrase_en(c)}, "
            "without regard to its conflict of laws principles.",
        ),
    ]
    signature = [
        (
            "para",
            "IN WITNESS WHEREOF, the Parties have executed this Agreement as of the date "
            "first written above.",
        ),
    ]
    for party in (a, b):
        signature += [("heading", party.name), ("para", "By: ____________________  Name:  Title:")]
    return essential, signature


def _blocks_de(c: Contract) -> tuple[list[_Block], list[_Block]]:
    (a, b), (role_a, role_b) = c.parties, c.roles
    expiry = c.expiration_date and (
        f"; er endet am {locales.format_date(c.expiration_date, 'de', 'dotted')}"
    )
    essential = [
        ("title", c.title),
        (
            "para",
            f"zwischen {a.name}, {a.address} (nachfolgend \u201e{role_a}\u201c) und {b.name}, "
            f"{b.address} (nachfolgend \u201e{role_b}\u201c), geschlossen am "
            f"{locales.long_date(c.agreement_date, 'de')}.",
        ),
        ("heading", "§ 1 Inkrafttreten und Laufzeit"),
        (
            "para",
            f"Dieser Vertrag tritt am {locales.format_date(c.effective_date, 'de', 'dotted')} in "
            f"Kraft und hat eine Laufzeit von {_duration(c)}{expiry or ''}. Das Recht zur "
            "außerordentlichen Kündigung aus wichtigem Grund bleibt unberührt.",
        ),
        ("heading", "§ 2 Anwendbares Recht"),
        (
            "para",
            f"Dieser Vertrag unterliegt dem {c.law_phrase} geltenden Recht. Gerichtsstand ist, "
            "soweit gesetzlich zulässig, der Sitz des Beklagten.",
        ),
    ]
    signature = [
        ("heading", f"Für {a.name}:"),
        ("para", "Ort, Datum, Unterschrift ____________________"),
        ("heading", f"Für {b.name}:"),
        ("para", "Ort, Datum, Unterschrift ____________________"),
    ]
    return essential, signature


def _blocks_fr(c: Contract) -> tuple[list[_Block], list[_Block]]:
    (a, b), (role_a, role_b) = c.parties, c.roles
    expiry = c.expiration_date and (
        f" et prend fin le {locales.format_date(c.expiration_date, 'fr', 'slashed')}"
    )
    essential = [
        ("title", c.title),
        (
            "para",
            f"Entre {a.name}, dont le siège est situé {a.address}, ci-après dénommé(e) "
            f"« {role_a} », et {b.name}, dont le siège est situé {b.address}, ci-après "
            f"dénommé(e) « {role_b} ». Fait le {locales.long_date(c.agreement_date, 'fr')}.",
        ),
        ("heading", "Article 1 - Entrée en vigueur et durée"),
        (
            "para",
            "Le présent contrat entre en vigueur le "
            f"{locales.format_date(c.effective_date, 'fr', 'slashed')} pour une durée de "
            f"{_duration(c)}{expiry or ''}. Il pourra être résilié par lettre recommandée avec "
            "accusé de réception.",
        ),
        ("heading", "Article 2 - Droit applicable"),
        (
            "para",
            f"Le présent contrat est régi par les lois en vigueur {c.law_phrase}. Tout litige "
            "relèvera des tribunaux compétents.",
        ),
    ]
    signature = [
        ("para", "Fait en deux exemplaires originaux."),
        ("heading", f"Pour {a.name} :"),
        ("heading", f"Pour {b.name} :"),
    ]
    return essential, signature


_BLOCKS = {"en": _blocks_en, "de": _blocks_de, "fr": _blocks_fr}

# Boilerplate sections that pad a contract to length: heading and sentences to sample.
_FILLER = {
    "en": (
        (
            "Confidentiality",
            (
                "Each Party shall hold the Confidential Information of the other Party in strict confidence.",
                "Confidential Information shall be used solely for the purposes of this Agreement.",
                "Neither Party shall disclose Confidential Information to any third party without prior written consent.",
                "These obligations survive the termination of this Agreement for five (5) years.",
            ),
        ),
        (
            "Fees and Payment",
            (
                "All undisputed invoices are payable within thirty (30) days of receipt.",
                "Late payments shall bear interest at the rate permitted by applicable law.",
                "All fees are exclusive of applicable taxes, which shall be borne by the paying Party.",
            ),
        ),
        (
            "Limitation of Liability",
            (
                "Neither Party shall be liable for any indirect, incidental or consequential damages.",
                "Each Party's aggregate liability shall not exceed the fees paid in the preceding twelve months.",
                "Nothing in this Agreement limits liability for fraud or wilful misconduct.",
            ),
        ),
        (
            "Notices",
            (
                "All notices under this Agreement shall be in writing.",
                "Notices shall be delivered by hand, by registered mail or by e-mail with confirmation of receipt.",
                "A Party may change its address for notices by giving notice to the other Party.",
            ),
        ),
        (
            "Assignment",
            (
                "Neither Party may assign this Agreement without the prior written consent of the other Party.",
                "Any attempted assignment in violation of this Section shall be void.",
                "This Agreement binds the Parties and their permitted successors and assigns.",
            ),
        ),
        (
            "Entire Agreement",
            (
                "This Agreement constitutes the entire agreement between the Parties regarding its subject matter.",
                "It supersedes all prior understandings, whether written or oral.",
                "Any amendment must be in writing and signed by both Parties.",
            ),
        ),
    ),
    "de": (
        (
            "Vertraulichkeit",
            (
                "Die Parteien verpflichten sich, alle vertraulichen Informationen geheim zu halten.",
                "Vertrauliche Informationen dürfen ausschließlich für die Zwecke dieses Vertrages verwendet werden.",
                "Diese Pflicht besteht über das Vertragsende hinaus fort.",
            ),
        ),
        (
            "Vergütung",
            (
                "Rechnungen sind innerhalb von dreißig (30) Tagen nach Zugang ohne Abzug zahlbar.",
                "Alle Preise verstehen sich zuzüglich der gesetzlichen Umsatzsteuer.",
                "Bei Zahlungsverzug werden Verzugszinsen in gesetzlicher Höhe berechnet.",
            ),
        ),
        (
            "Haftung",
            (
                "Die Haftung für leichte Fahrlässigkeit ist ausgeschlossen, soweit gesetzlich zulässig.",
                "Die Haftung für Schäden aus der Verletzung des Lebens, des Körpers oder der Gesundheit bleibt unberührt.",
            ),
        ),
        (
            "Schlussbestimmungen",
            (
                "Änderungen und Ergänzungen dieses Vertrages bedürfen der Schriftform.",
                "Sollte eine Bestimmung unwirksam sein, bleibt die Wirksamkeit der übrigen Bestimmungen unberührt.",
                "Nebenabreden bestehen nicht.",
            ),
        ),
    ),
    "fr": (
        (
            "Confidentialité",
            (
                "Chaque partie s'engage à garder strictement confidentielles les informations communiquées par l'autre partie.",
                "Ces informations ne peuvent être utilisées qu'aux fins du présent contrat.",
                "Cette obligation survit à la fin du contrat.",
            ),
        ),
        (
            "Conditions financières",
            (
                "Les factures sont payables à trente (30) jours à compter de leur date d'émission.",
                "Tout retard de paiement donne lieu à des pénalités au taux légal.",
            ),
        ),
        (
            "Responsabilité",
            (
                "Aucune partie ne saurait être tenue responsable des dommages indirects.",
                "La responsabilité de chaque partie est limitée au montant des sommes perçues.",
            ),
        ),
        (
            "Dispositions générales",
            (
                "Toute modification du présent contrat devra faire l'objet d'un avenant écrit.",
                "Si une clause est déclarée nulle, les autres clauses conservent leur plein effet.",
            ),
        ),
    ),
}


def _filler_section(language: str, number: int, rng: random.Random) -> list[_Block]:
    heading, sentences = rng.choice(_FILLER[language])
    chosen = rng.sample(sentences, rng.randint(2, len(sentences)))
    numbered = {
        "en": f"{number}. {heading}",
        "de": f"§ {number} {heading}",
        "fr": f"Article {number} - {heading}",
    }
    return [("heading", numbered[language]), ("para", " ".join(chosen))]


def _flow(canvas: Canvas, blocks: list[_Block]) -> list[list[_Line]]:
    """Wrap `blocks` into pages of positioned lines."""
    pages: list[list[_Line]] = [[]]
    y = _TOP
    for style, text in blocks:
        size, weight, leading = _STYLES[style]
        canvas.font(size, weight)
        lines = canvas.wrap(text, _WIDTH)
        if style == "heading":
            y += 3
        # A heading needs its first lines of text below it, not alone at the foot.
        if y + leading * (3 if style == "heading" else 1) > _BOTTOM:
            pages.append([])
            y = _TOP
        for line in lines:
            if y + leading > _BOTTOM:
                pages.append([])
                y = _TOP
            y += leading
            pages[-1].append((style, y, line))
        y += 2.5 if style == "para" else 1
    return pages


def render_contract_pdf(contract: Contract, rng: random.Random, pages: int | None) -> bytes:
    """The contract's PDF: `pages` pages if given, else one to three."""
    canvas = Canvas(contract.title)
    essential, signature = _BLOCKS[contract.language](contract)
    wanted = pages if pages is not None else rng.choice((1, 1, 2, 2, 3))
    body: list[_Block] = []
    flowed = _flow(canvas, essential + signature)
    extra_tries = rng.randint(0, 3)
    first_filler = 4 if contract.language == "en" else 3  # after the numbered essentials
    while len(flowed) <= wanted:
        section = _filler_section(contract.language, first_filler + len(body) // 2, rng)
        candidate = _flow(canvas, essential + body + section + signature)
        if len(candidate) > wanted:
            break
        if len(candidate) == wanted == len(flowed):
            if extra_tries == 0:
                break
            extra_tries -= 1
        body += section
        flowed = candidate
    for page in flowed:
        canvas.add_page()
        for style, y, text in page:
            size, weight, _ = _STYLES[style]
            canvas.font(size, weight)
            if style == "title":
                canvas.text_center(105, y, text)
            else:
                canvas.text(_LEFT, y, text)
        canvas.font(8)
        canvas.text_center(105, PAGE_HEIGHT - 12, f"{canvas.page_count} / {len(flowed)}")
    return canvas.output()
