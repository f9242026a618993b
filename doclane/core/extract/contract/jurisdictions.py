"""Places whose law a contract can choose: US states, Canadian provinces, countries, and the
common compound forms ("England and Wales", "People's Republic of China").

Kept as data so `contract.law` can find the jurisdiction inside a clause that reads it
badly ("the laws of the Siate of Texas", an OCR slip) and refuse a function word ("at",
"such") where a place should be. The names are matched case-insensitively, longest first,
so "West Virginia" wins over "Virginia" and "New South Wales" over "Wales".
"""

from __future__ import annotations

import re

US_STATES = (
    "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut",
    "Delaware", "District of Columbia", "Florida", "Georgia", "Hawaii", "Idaho", "Illinois",
    "Indiana", "Iowa", "Kansas", "Kentucky", "Louisiana", "Maine", "Maryland", "Massachusetts",
    "Michigan", "Minnesota", "Mississippi", "Missouri", "Montana", "Nebraska", "Nevada",
    "New Hampshire", "New Jersey", "New Mexico", "New York", "North Carolina", "North Dakota",
    "Ohio", "Oklahoma", "Oregon", "Pennsylvania", "Rhode Island", "South Carolina",
    "South Dakota", "Tennessee", "Texas", "Utah", "Vermont", "Virginia", "Washington",
    "West Virginia", "Wisconsin", "Wyoming", "Puerto Rico",
)  # fmt: skip
CANADIAN_PROVINCES = (
    "Alberta", "British Columbia", "Manitoba", "New Brunswick", "Newfoundland and Labrador",
    "Nova Scotia", "Ontario", "Prince Edward Island", "Quebec", "Québec", "Saskatchewan",
)  # fmt: skip
# Other federal units contracts often name: Australian states, Swiss cantons, Chinese cities.
OTHER_REGIONS = (
    "New South Wales", "Victoria", "Queensland", "Western Australia", "Zurich", "Zürich",
    "Geneva", "Bavaria", "Bayern", "Beijing", "Shanghai", "Shenzhen", "Hong Kong",
    "Hong Kong Special Administrative Region", "Macau", "Scotland", "Northern Ireland",
)  # fmt: skip
COUNTRIES = (
    "United States", "U.S.A.", "USA", "Canada", "Mexico",
    "Brazil", "Argentina", "Chile", "Colombia", "Peru", "England", "England and Wales",
    "Wales", "United Kingdom", "Great Britain", "Ireland", "France", "Germany",
    "Federal Republic of Germany", "Deutschland", "Bundesrepublik Deutschland", "Austria",
    "Österreich", "Switzerland", "Schweiz", "Suisse", "Italy", "Spain", "Portugal",
    "Netherlands", "The Netherlands", "Belgium", "Belgique", "Luxembourg", "Denmark", "Sweden",
    "Norway", "Finland", "Iceland", "Poland", "Czech Republic", "Hungary", "Greece", "Cyprus",
    "Malta", "Russia", "Russian Federation", "Ukraine", "Turkey", "Israel", "India", "China",
    "People's Republic of China", "PRC", "Japan", "Korea", "Republic of Korea", "South Korea",
    "Taiwan", "Republic of China", "Singapore", "Malaysia", "Thailand", "Indonesia",
    "Philippines", "Vietnam", "Australia", "New Zealand", "South Africa", "Nigeria", "Kenya",
    "Egypt", "United Arab Emirates", "Dubai", "Saudi Arabia", "Qatar", "Cayman Islands",
    "British Virgin Islands", "Bermuda", "Bahamas", "Jersey", "Guernsey", "Isle of Man",
    "Liechtenstein", "Monaco", "Gibraltar", "Trinidad and Tobago", "Bosnia and Herzegovina",
    "Antigua and Barbuda", "Saint Kitts and Nevis", "Turks and Caicos Islands",
)  # fmt: skip
JURISDICTIONS = (*US_STATES, *CANADIAN_PROVINCES, *OTHER_REGIONS, *COUNTRIES)


def alternation(names: tuple[str, ...]) -> str:
    """A regex alternation of `names`, longest first, any run of spaces between words."""
    longest_first = sorted(set(names), key=len, reverse=True)
    return "|".join(
        re.escape(name).replace(r"\ ", r"\s+").replace("'", "['’]") for name in longest_first
    )


JURISDICTION = alternation(JURISDICTIONS)
_KNOWN = re.compile(rf"(?<![\w'’])(?:{JURISDICTION})(?![\w'’])", re.IGNORECASE)
_EXTRA_SPACE = re.compile(r"\s+")


def find_jurisdiction(text: str, start: int = 0, end: int | None = None) -> re.Match[str] | None:
    """The first known jurisdiction written in text[start:end], as a match on `text`."""
    return _KNOWN.search(text, start, len(text) if end is None else end)


def is_jurisdiction(place: str) -> bool:
    """Whether `place` is exactly one known jurisdiction ("new  york" counts)."""
    return _KNOWN.fullmatch(_EXTRA_SPACE.sub(" ", place.strip())) is not None
