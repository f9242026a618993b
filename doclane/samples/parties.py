"""Companies that issue and receive sample documents.

Vendors come mostly from the bundled vendor master (`doclane/data/vendors.csv`),
sometimes with a small spelling variation, and sometimes from outside it so
that enrichment meets non-matches too.
"""

from __future__ import annotations

import csv
import functools
import io
import random
from dataclasses import dataclass
from importlib import resources

from doclane.core.standards.ibans import IbanStatus, check_iban
from doclane.core.standards.vat_ids import VatIdStatus, check_vat_id

# Share of vendors drawn from the master, and of those printed with a variation.
_MASTER_SHARE = 0.8
_VARIANT_SHARE = 0.15


@dataclass(frozen=True)
class MasterVendor:
    vendor_id: str
    name: str
    vat_id: str | None
    country: str
    city: str


@dataclass(frozen=True)
class Company:
    """A company as printed on a document."""

    name: str
    country: str
    address_lines: tuple[str, ...]
    vat_id: str | None = None
    vendor_id: str | None = None  # the master's id, when drawn from it
    name_variant: str = "exact"  # exact, upper, transliterated, legal_form, typo, unlisted

    @property
    def address(self) -> str:
        """The address as one line, the way labels carry it."""
        return ", ".join(self.address_lines)


@functools.cache
def load_vendor_master() -> tuple[MasterVendor, ...]:
    """The bundled vendor master, read once."""
    text = resources.files("doclane").joinpath("data/vendors.csv").read_text(encoding="utf-8")
    return tuple(
        MasterVendor(
            vendor_id=row["vendor_id"],
            name=row["name"],
            vat_id=row["vat_id"] or None,
            country=row["country"],
            city=row["city"],
        )
        for row in csv.DictReader(io.StringIO(text))
    )


# Postal code written the way each city writes it (US/CA/AU carry the state).
_POSTCODES = {
    "Berlin": "10115",
    "Hamburg": "20095",
    "München": "80331",
    "Köln": "50667",
    "Freiburg": "79098",
    "Stuttgart": "70173",
    "Lyon": "69002",
    "Paris": "75008",
    "Marseille": "13001",
    "Bordeaux": "33000",
    "Reading": "RG1 1AA",
    "Leeds": "LS1 4AP",
    "Bristol": "BS1 4DJ",
    "Asheville": "NC 28801",
    "Seattle": "WA 98101",
    "Chicago": "IL 60601",
    "Phoenix": "AZ 85004",
    "Boston": "MA 02108",
    "Zürich": "8001",
    "Genève": "1204",
    "Amsterdam": "1012 AB",
    "Rotterdam": "3011 AA",
    "Warszawa": "00-950",
    "Budapest": "1051",
    "Girona": "17001",
    "Milano": "20121",
    "Bergen": "5003",
    "Toronto": "ON M5H 2N2",
    "Sydney": "NSW 2000",
    "Wien": "1010",
    "Leipzig": "04109",
    "Nantes": "44000",
    "Manchester": "M1 1AE",
    "Denver": "CO 80202",
}

_STREETS = {
    "de": ("Hauptstraße", "Bahnhofstraße", "Industriestraße", "Lindenallee", "Schillerstraße"),
    "fr": ("rue de la République", "avenue Jean Jaurès", "boulevard Voltaire", "rue Victor Hugo"),
    "en": ("High Street", "Main Street", "Station Road", "Church Lane", "Oak Avenue"),
    "nl": ("Keizersgracht", "Damrak", "Coolsingel"),
    "other": ("Via Roma", "Calle Mayor", "Strandkaien", "Andrássy út", "ul. Zielna"),
}
_STREET_STYLE = {
    "DE": "de",
    "AT": "de",
    "FR": "fr",
    "GB": "en",
    "US": "en",
    "CA": "en",
    "AU": "en",
    "NL": "nl",
}
_CITY_FIRST = {"GB"}
_CITY_COMMA = {"US", "CA", "AU"}


def street_line(country: str, city: str, rng: random.Random) -> str:
    style = _STREET_STYLE.get(country, "other")
    if country == "CH":
        style = "fr" if city == "Genève" else "de"
    street = rng.choice(_STREETS[style])
    number = rng.randint(1, 250 if style == "en" else 120)
    return f"{number} {street}" if style in ("fr", "en") else f"{street} {number}"


def city_line(country: str, city: str) -> str:
    code = _POSTCODES.get(city, "")
    if country in _CITY_COMMA:
        return f"{city}, {code}"
    if country in _CITY_FIRST:
        return f"{city} {code}"
    return f"{code} {city}"


def address_lines(country: str, city: str, rng: random.Random) -> tuple[str, ...]:
    return (street_line(country, city, rng), city_line(country, city))


def pick_vendor(rng: random.Random) -> Company:
    """A vendor: usually from the master, sometimes varied, sometimes unknown to it."""
    if rng.random() >= _MASTER_SHARE:
        return random_company(rng, rng.choice(("de", "fr", "en")), name_variant="unlisted")
    master = rng.choice(load_vendor_master())
    name, variant = master.name, "exact"
    if rng.random() < _VARIANT_SHARE:
        name, variant = vary_name(master.name, rng)
    return Company(
        name=name,
        country=master.country,
        address_lines=address_lines(master.country, master.city, rng),
        vat_id=master.vat_id,
        vendor_id=master.vendor_id,
        name_variant=variant,
    )


_TRANSLITERATION = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
    | {"é": "e", "è": "e", "ê": "e", "à": "a", "ç": "c", "É": "E", "â": "a"}
)
_LEGAL_FORMS = (
    ("GmbH & Co. KG", "GmbH & Co KG"),
    ("GmbH", "G.m.b.H."),
    ("Ltd", "Limited"),
    ("Inc.", "Inc"),
    ("LLC", "L.L.C."),
    ("SARL", "S.A.R.L."),
    ("SAS", "S.A.S."),
    ("B.V.", "BV"),
    ("AG", "A.G."),
    ("Corp.", "Corporation"),
)


def vary_name(name: str, rng: random.Random) -> tuple[str, str]:
    """A small, realistic spelling variation of `name`, and what kind it is."""
    options: list[tuple[str, str]] = [(name.upper(), "upper")]
    transliterated = name.translate(_TRANSLITERATION)
    if transliterated != name:
        options.append((transliterated, "transliterated"))
    for long_form, other in _LEGAL_FORMS:
        if name.endswith(" " + long_form):
            options.append((name[: -len(long_form)] + other, "legal_form"))
            break
    first = name.split(maxsplit=1)[0]
    if len(first) >= 6:
        at = rng.randint(1, len(first) - 3)
        typo = first[:at] + first[at + 1] + first[at] + first[at + 2 :]
        options.append((typo + name[len(first) :], "typo"))
    return rng.choice(options)


_NAME_PARTS = {
    "de": (
        ("Becker", "Hoffmann", "Krüger", "Lehmann", "Vogel", "Brandt", "Seidel", "Wagner"),
        ("Metallbau", "Elektrotechnik", "Druckerei", "Haustechnik", "Verpackungen", "Holzbau"),
        ("GmbH", "GmbH & Co. KG", "AG", "e.K."),
    ),
    "fr": (
        ("Imprimerie", "Menuiserie", "Transports", "Électricité", "Fournitures", "Atelier"),
        ("Martin", "Bernard", "Dubois", "Lambert", "Fontaine", "Rousseau", "Girard"),
        ("SARL", "SAS", "SA", "EURL"),
    ),
    "en": (
        ("Riverside", "Oakwood", "Summit", "Granite", "Harbor", "Northgate", "Silverline"),
        ("Office Supplies", "Engineering", "Logistics", "Print Works", "Analytics", "Packaging"),
        ("Ltd", "LLC", "Inc.", "Limited", "Corp."),
    ),
}
_CITIES = {
    "de": (("DE", "Leipzig"), ("DE", "Berlin"), ("AT", "Wien"), ("DE", "Stuttgart")),
    "fr": (("FR", "Nantes"), ("FR", "Paris"), ("FR", "Lyon")),
    "en": (("GB", "Manchester"), ("US", "Denver"), ("GB", "Bristol"), ("US", "Boston")),
}


def random_company(rng: random.Random, language: str, *, name_variant: str = "unlisted") -> Company:
    """A plausible company that is not in the vendor master."""
    first, second, legal = _NAME_PARTS[language]
    name = f"{rng.choice(first)} {rng.choice(second)} {rng.choice(legal)}"
    country, city = rng.choice(_CITIES[language])
    return Company(
        name=name,
        country=country,
        address_lines=address_lines(country, city, rng),
        vat_id=random_vat_id(country, rng),
        name_variant=name_variant,
    )


def random_vat_id(country: str, rng: random.Random) -> str | None:
    """A random VAT id of `country` with a correct check digit, as real vendors print."""
    digits = "".join(rng.choice("0123456789") for _ in range(11))
    if country == "DE":
        return _completed("DE", digits[:8], suffix_digits=1)
    if country == "AT":
        return _completed("ATU", digits[:7], suffix_digits=1)
    if country == "FR":  # the two-digit key comes first, then the nine-digit SIREN
        siren = digits[2:]
        return f"FR{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}"
    if country == "GB":
        return _completed("GB", digits[:7], suffix_digits=2)
    return None


def _completed(prefix: str, body: str, *, suffix_digits: int) -> str | None:
    """`prefix + body` with the first check digits that make it valid (no randomness used)."""
    for suffix in range(10**suffix_digits):
        candidate = f"{prefix}{body}{suffix:0{suffix_digits}d}"
        if check_vat_id(candidate).status is VatIdStatus.VALID:
            return candidate
    return None


# Length of the national account part (after the check digits); GB and NL start with 4 letters.
_IBAN_FORMATS = {"DE": 18, "AT": 16, "FR": 23, "GB": 18, "CH": 17, "NL": 14}


def has_iban(country: str) -> bool:
    return country in _IBAN_FORMATS


def random_iban(country: str, rng: random.Random) -> str:
    """A random IBAN of `country` whose mod-97 check digits are valid (compact form)."""
    length = _IBAN_FORMATS[country]
    letters = 4 if country in ("GB", "NL") else 0
    bban = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(letters))
    bban += "".join(rng.choice("0123456789") for _ in range(length - letters))
    check = 98 - _iban_remainder(bban + country + "00")
    return f"{country}{check:02d}{bban}"


def iban_is_valid(iban: str) -> bool:
    return check_iban(iban) is IbanStatus.VALID


def _iban_remainder(text: str) -> int:
    return int("".join(str(int(char, 36)) for char in text)) % 97


def group_iban(iban: str) -> str:
    """The IBAN in printed groups of four."""
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
