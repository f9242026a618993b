"""Field labels as data: which printed labels announce which field, in EN, DE and FR.

Each entry is (regular expression, weight). Patterns are matched
case-insensitively against a line; the value is looked for right of the match,
then on the next line. Weight ranks competing labels (a "Grand total" beats a
bare "Total"); keep patterns generic, never tied to one issuer.
"""

from __future__ import annotations

from types import MappingProxyType

_NO = r"(?:n[o°º]\.?|nr\.?|number|num(?:ber|éro)?|#|nummer)"

LABELS: MappingProxyType[str, tuple[tuple[str, float], ...]] = MappingProxyType(
    {
        "invoice_number": (
            (rf"\binvoice\s*{_NO}", 1.0),
            (rf"\binv\.?\s*{_NO}", 0.9),
            (r"\b\w*rechnungs?-?\s*(?:nummer|nr\.?)", 1.0),  # also Handels-, Schlussrechnung
            (rf"\b\w*rechnung\s*{_NO}", 1.0),
            (r"\bn[°º]\s*(?:de\s+)?facture", 1.0),
            (r"\bnum[ée]ro\s+de\s+facture", 1.0),
            (rf"\bfacture\s*{_NO}", 1.0),
            (rf"\bgutschrift(?:s-?nummer|\s*{_NO})", 0.9),
            (rf"\bcredit\s*note\s*{_NO}", 0.9),
            (r"\bbeleg-?\s*(?:nummer|nr\.?)", 0.8),
            (rf"\b(?:receipt|bill|document|doc)\s*{_NO}", 0.7),
        ),
        "purchase_order_number": (
            (rf"\bpurchase\s+order\s*{_NO}", 1.0),
            (rf"\bp\.?\s?o\.?\s*{_NO}", 1.0),
            (rf"\border\s*{_NO}", 0.7),
            (r"\bbestell-?\s*(?:nummer|nr\.?)", 1.0),
            (rf"\bbestellung\s*{_NO}", 0.9),
            (rf"\b(?:bon\s+de\s+)?commande\s*{_NO}", 0.9),
        ),
        "issue_date": (
            (r"\b(?:invoice|billing)\s+date\b", 1.0),
            (r"\bdate\s+of\s+(?:invoice|issue)\b", 1.0),
            (r"\brechnungs-?\s*datum\b", 1.0),
            (r"\b\w*rechnung\b[^:]{0,40}?\bvom\b", 0.9),
            (r"\bdate\s+de\s+(?:la\s+)?facture\b", 1.0),
            (r"\b(?:beleg|ausstellungs|gutschrifts)-?\s*datum\b", 0.9),
            (r"\b(?:order|po)\s+date\b", 0.8),
            (r"\bdate\s+d['’]émission\b", 0.9),
            (r"\bdatum\b", 0.6),
            (r"\bdate\b", 0.6),
        ),
        "due_date": (
            (r"\b(?:payment\s+)?due\s+date\b", 1.0),
            (r"\bdue\s+(?:by|on)\b", 0.9),
            (r"\bpayable\s+by\b", 0.8),
            (r"\bfällig(?:keit|keitsdatum)?(?:\s+am)?\b", 1.0),
            (r"\bzahlbar\s+bis\b", 1.0),
            (r"\bdate\s+d['’]échéance\b", 1.0),
            (r"\béchéance\b", 0.9),
        ),
        "total": (
            (r"\bgrand\s+total\b", 1.0),
            (r"\b(?:total\s+)?amount\s+(?:due|payable)\b", 1.0),
            (r"\bbalance\s+due\b", 0.9),
            (r"\btotal\s+(?:due|payable)\b", 1.0),
            (r"\binvoice\s+total\b", 1.0),
            (r"\btotal\s+(?:incl\w*|inclusive)\b", 0.95),
            (r"\brounded\s+total\b", 0.95),
            (r"\btotal\s+amount\b", 0.9),
            (r"\b(?:total|montant)\s+ttc\b", 1.0),
            (r"\bnet\s+à\s+payer\b", 1.0),
            (r"\b(?:gesamtbetrag|rechnungsbetrag|bruttobetrag|endbetrag|zahlbetrag)\b", 1.0),
            (
                r"\b(?:gesamtsumme|summe\s+brutto|brutto\s*summe|zu\s+zahlen(?:der\s+betrag)?)\b",
                0.95,
            ),
            (
                r"(?<!sub)(?<!sub-)(?<!sub )\btotal\b"
                r"(?!\s*(?:ht|excl|net|qty|quantity|items?|tax|gst|vat|tva|discount|savings|weight))",
                0.8,
            ),
            (r"\bbetrag\b", 0.5),
        ),
        "net_total": (
            (r"\bsub-?\s?total\b", 0.9),
            (r"\b(?:total\s+)?net\s+(?:total|amount)\b", 1.0),
            (r"\btotal\s+(?:excl\w*|exclusive|before\s+tax)\b", 1.0),
            (r"\b(?:nettobetrag|nettosumme|summe\s+netto|gesamt\s+netto|netto\s*gesamt)\b", 1.0),
            (r"\bzwischensumme\b", 0.8),
            (r"\b(?:total|montant)\s+(?:ht|hors\s+taxes?)\b", 1.0),
            (r"\bnetto\b", 0.6),
        ),
        "tax_total": (
            (r"\btotal\s+(?:tax|vat|gst|tva)\b", 1.0),
            (r"\b(?:vat|tax|gst)\s+amount\b", 1.0),
            (r"\b(?:mwst|mehrwertsteuer|umsatzsteuer|ust)\.?\b", 0.8),
            (r"\b(?:montant\s+)?tva\b", 0.8),
            (r"\b(?:vat|gst|sales\s+tax|tax)\b", 0.7),
        ),
    }
)

# Lines announcing the buyer's block: a company name right after belongs to the customer.
CUSTOMER_BLOCK = (
    r"\b(?:bill(?:ed)?\s+to|sold\s+to|ship\s+to|invoice\s+to|customer|client|buyer|käufer"
    r"|rechnungsempfänger|warenempfänger|kunde|destinataire|facturé\s+à)\b"
)

# Lines announcing the supplier's block on a purchase order.
SUPPLIER_BLOCK = r"\b(?:vendor|supplier|lieferant|fournisseur)\b"

# Legal-form suffixes that mark a company name.
LEGAL_FORMS = (
    r"gmbh(?:\s*&\s*co\.?\s*kg)?",
    r"ag",
    r"kg",
    r"ohg",
    r"ug",
    r"e\.\s?k\.",
    r"sarl",
    r"s\.a\.r\.l\.",
    r"sàrl",
    r"sas",
    r"sasu",
    r"eurl",
    r"sa",
    r"ltd\.?",
    r"limited",
    r"llc",
    r"llp",
    r"plc",
    r"inc\.?",
    r"incorporated",
    r"corp\.?",
    r"corporation",
    r"co\.",
    r"b\.\s?v\.",
    r"n\.\s?v\.",
    r"s\.\s?r\.\s?l\.",
    r"srl",
    r"s\.\s?p\.\s?a\.",
    r"spa",
    r"s\.\s?l\.",
    r"s\.\s?a\.",
    r"sdn\.?\s*bhd\.?",
    r"bhd\.?",
    r"s/b",
    r"plt",
    r"pty\.?\s*ltd\.?",
    r"oy",
    r"ab",
    r"as",
    r"aps",
    r"kft\.?",
    r"sp\.\s?z\s?o\.\s?o\.",
    r"enterprise",
    r"trading",
)
