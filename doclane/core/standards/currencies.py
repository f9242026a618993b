"""Currency symbols and codes, kept as data so the tables can be tested."""

from __future__ import annotations

# Case-folded symbol or local abbreviation -> ISO 4217 code.
CURRENCY_SYMBOLS: dict[str, str] = {
    "€": "EUR",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "$": "USD",
    "us$": "USD",
    "usd": "USD",
    "£": "GBP",
    "gbp": "GBP",
    "chf": "CHF",
    "fr": "CHF",
    "sfr": "CHF",
    "rm": "MYR",
    "myr": "MYR",
    "¥": "JPY",
    "₹": "INR",
    "zł": "PLN",
    "kč": "CZK",
    "ft": "HUF",
    "s$": "SGD",
    "a$": "AUD",
    "c$": "CAD",
}

ISO_4217_CODES: frozenset[str] = frozenset(
    [
        "AED",
        "AUD",
        "BGN",
        "BRL",
        "CAD",
        "CHF",
        "CNY",
        "CZK",
        "DKK",
        "EUR",
        "GBP",
        "HKD",
        "HUF",
        "IDR",
        "ILS",
        "INR",
        "ISK",
        "JPY",
        "KRW",
        "MXN",
        "MYR",
        "NOK",
        "NZD",
        "PHP",
        "PLN",
        "RON",
        "RUB",
        "SAR",
        "SEK",
        "SGD",
        "THB",
        "TRY",
        "TWD",
        "USD",
        "ZAR",
    ]
)

# Every active ISO 4217 code. Validation accepts any of them (an e-invoice may bill
# in Kenyan shillings), while page text is read only for the common codes above,
# since many rare codes are also ordinary upper-case words (ALL, TOP, CUP, PEN).
ACTIVE_ISO_4217_CODES: frozenset[str] = ISO_4217_CODES | frozenset(
    [
        "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AWG", "AZN", "BAM", "BBD", "BDT", "BHD", "BIF",
        "BMD", "BND", "BOB", "BSD", "BTN", "BWP", "BYN", "BZD", "CDF", "CLP", "COP", "CRC", "CUP",
        "CVE", "DJF", "DOP", "DZD", "EGP", "ERN", "ETB", "FJD", "FKP", "GEL", "GHS", "GIP", "GMD",
        "GNF", "GTQ", "GYD", "HNL", "HTG", "IQD", "IRR", "JMD", "JOD", "KES", "KGS", "KHR", "KMF",
        "KPW", "KWD", "KYD", "KZT", "LAK", "LBP", "LKR", "LRD", "LSL", "LYD", "MAD", "MDL", "MGA",
        "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MZN", "NAD", "NGN", "NIO", "NPR",
        "OMR", "PAB", "PEN", "PGK", "PKR", "PYG", "QAR", "RSD", "RWF", "SBD", "SCR", "SDG", "SHP",
        "SLE", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "TJS", "TMT", "TND", "TOP", "TTD",
        "TZS", "UAH", "UGX", "UYU", "UZS", "VES", "VND", "VUV", "WST", "XAF", "XCD", "XOF", "XPF",
        "YER", "ZMW", "ZWG",
    ]
)  # fmt: skip
