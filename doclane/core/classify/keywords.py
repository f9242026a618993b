"""Evidence for each document type, as data: phrase -> weight, in EN, DE and FR.

Phrases are matched on normalised text (`normalize_text`: case-folded,
punctuation removed) at word boundaries. A phrase in a title line (near the
top of the first page, and short) counts `TITLE_BOOST` times. Keep phrases generic; a
phrase that only one issuer prints does not belong here.
"""

from __future__ import annotations

from types import MappingProxyType

from doclane.core.model import DocType

TITLE_BOOST = 2.5
TITLE_LINES = 12  # lines at the top of page 1 that count as the title area
TITLE_MAX_CHARS = 30  # longer lines are prose, not a heading

KEYWORDS: MappingProxyType[DocType, MappingProxyType[str, float]] = MappingProxyType(
    {
        DocType.INVOICE: MappingProxyType(
            {
                "invoice": 3.0,
                "invoice number": 2.0,
                "invoice no": 2.0,
                "invoice date": 2.0,
                "amount due": 1.5,
                "due date": 1.0,
                "payment terms": 1.0,
                "bill to": 1.0,
                "invoice to": 1.5,
                "payment due": 1.5,
                "vat": 0.5,
                "rechnung": 3.0,
                "rechnungsnummer": 2.5,
                "rechnungsdatum": 2.5,
                "rechnungsbetrag": 2.0,
                "warenrechnung": 3.0,
                "rechnungskorrektur": 3.0,
                "zahlungsziel": 1.5,
                "zahlbar": 1.0,
                "ust idnr": 0.5,
                "mwst": 0.5,
                "nettobetrag": 0.5,
                "bruttobetrag": 0.5,
                "gesamtbetrag": 0.5,
                "facture": 3.0,
                "numéro de facture": 2.0,
                "date de facture": 2.0,
                "total ttc": 1.5,
                "total ht": 1.0,
                "tva": 0.5,
                "échéance": 1.0,
            }
        ),
        DocType.CREDIT_NOTE: MappingProxyType(
            {
                "credit note": 5.0,
                "credit memo": 5.0,
                "gutschrift": 5.0,
                "gutschriftsnummer": 5.0,  # German compounds do not contain the word itself
                "gutschriftsdatum": 3.0,
                "numéro d avoir": 4.0,
                "stornorechnung": 5.0,
                "avoir": 4.0,
                "facture d avoir": 5.0,
                "note de crédit": 5.0,
            }
        ),
        DocType.RECEIPT: MappingProxyType(
            {
                "receipt": 3.0,
                "cash receipt": 3.0,
                "cash bill": 3.0,
                "tax invoice": 1.5,  # what retail tills print in MY, SG, AU, ...
                "cash": 1.0,
                "change": 1.5,
                "change due": 1.5,
                "cashier": 2.0,
                "gst": 1.0,
                "rounding": 1.5,
                "rounding adjustment": 1.5,
                "thank you": 1.0,
                "please come again": 2.0,
                "qty": 0.5,
                "tendered": 1.5,
                "visa": 0.5,
                "table": 0.5,
                "kassenbon": 4.0,
                "quittung": 3.0,
                "beleg nr": 0.5,
                "bar": 0.5,
                "rückgeld": 2.0,
                "ticket de caisse": 4.0,
                "reçu": 3.0,
                "rendu": 1.0,
                "espèces": 1.0,
            }
        ),
        DocType.PURCHASE_ORDER: MappingProxyType(
            {
                "purchase order": 5.0,
                "po number": 2.0,
                "po": 1.0,
                "ship to": 1.0,
                "ship via": 1.5,
                "requisitioner": 2.0,
                "bestellung": 3.0,
                "bestellnummer": 1.0,
                "bestell nr": 2.0,
                "auftragnehmer": 2.0,
                "lieferant": 1.0,
                "auftragsbestätigung": 2.0,
                "bon de commande": 5.0,
                "commande": 2.0,
            }
        ),
        DocType.CONTRACT: MappingProxyType(
            {
                "agreement": 3.0,
                "contract": 2.0,
                "whereas": 3.0,
                "hereby": 1.5,
                "hereinafter": 2.0,
                "party": 1.0,
                "parties": 1.5,
                "governing law": 3.0,
                "in witness whereof": 3.0,
                "term and termination": 2.0,
                "termination": 1.0,
                "confidential information": 1.5,
                "non disclosure": 2.0,
                "indemnification": 1.5,
                "shall": 0.5,
                "vertrag": 3.0,
                "vereinbarung": 2.0,
                "vertragspartner": 2.0,
                "gerichtsstand": 2.0,
                "kündigung": 1.0,
                "contrat": 3.0,
                "entre les soussignés": 3.0,
                "il a été convenu": 3.0,
                "droit applicable": 2.0,
                "résiliation": 1.0,
            }
        ),
        DocType.BANK_STATEMENT: MappingProxyType(
            {
                "bank statement": 5.0,
                "statement of account": 5.0,
                "account statement": 5.0,
                "opening balance": 3.0,
                "closing balance": 3.0,
                "iban": 0.5,
                "kontoauszug": 5.0,
                "alter kontostand": 3.0,
                "neuer kontostand": 3.0,
                "relevé de compte": 5.0,
                "ancien solde": 3.0,
                "nouveau solde": 3.0,
            }
        ),
    }
)

# Till vocabulary: several distinct ones together mean a point-of-sale receipt.
POINT_OF_SALE_CUES: frozenset[str] = frozenset(
    {
        "cashier",
        "change",
        "cash",
        "tendered",
        "rounding",
        "rounded",
        "qty",
        "member",
        "thank you",
        "please come again",
        "clerk",
        "ttl",
        "kassierer",
        "rückgeld",
        "gegeben",
        "caissier",
        "rendu",
        "espèces",
    }
)

# Phrases that show a business document is NOT one of the types above; they
# feed the evidence for `other` (letters, CVs, reports, trade confirmations).
OTHER_KEYWORDS: MappingProxyType[str, float] = MappingProxyType(
    {
        "dear": 1.5,
        "sincerely": 2.0,
        "yours faithfully": 2.0,
        "kind regards": 1.5,
        "curriculum vitae": 5.0,
        "resume": 2.0,
        "work experience": 2.0,
        "education": 1.0,
        "abstract": 1.5,
        "executive summary": 2.0,
        "introduction": 1.0,
        "trade confirmation": 5.0,
        "confirmation": 1.5,
        "sehr geehrte": 1.5,
        "mit freundlichen grüssen": 2.0,
        "lebenslauf": 5.0,
        "madame monsieur": 1.5,
        "cordialement": 2.0,
        "salutations distinguées": 2.0,
        "veuillez agréer": 2.0,
        "nous vous prions d agréer": 2.0,
        "freundliche grüsse": 1.5,
        "best regards": 1.5,
        "yours sincerely": 2.0,
    }
)

# Titles of kinds outside the taxonomy that look like business documents: a quote
# or delivery note has items and totals, a reminder or remittance advice lists the
# invoices it is about. The unambiguous ones weigh 8: as a heading they outweigh an
# item table's "Invoice no." and "Invoice date" columns.
# They count only in the title area, since invoices print "Lieferschein-Nr." or
# "gemäß Angebot" in their bodies.
OTHER_TITLES: MappingProxyType[str, float] = MappingProxyType(
    {
        "quotation": 8.0,
        "quote": 5.0,
        "estimate": 4.0,
        "proposal": 4.0,
        "delivery note": 8.0,
        "packing slip": 8.0,
        "packing list": 8.0,
        "dispatch note": 8.0,
        "payment reminder": 8.0,
        "remittance advice": 8.0,
        "payment advice": 8.0,
        "remittance": 4.0,
        "reminder": 4.0,
        "final notice": 4.0,
        "minutes": 4.0,
        "report": 3.0,
        "data sheet": 5.0,
        "datasheet": 5.0,
        "angebot": 8.0,
        "kostenvoranschlag": 8.0,
        "lieferschein": 8.0,
        "zahlungserinnerung": 8.0,
        "mahnung": 6.0,
        "zahlungsavis": 8.0,
        "avis de paiement": 8.0,
        "avis de virement": 8.0,
        "protokoll": 4.0,
        "bericht": 3.0,
        "datenblatt": 5.0,
        "devis": 8.0,
        "offre": 4.0,
        "bon de livraison": 8.0,
        "relance": 5.0,
        "rappel": 4.0,
        "procès verbal": 4.0,
        "compte rendu": 4.0,
        "rapport": 3.0,
        "fiche technique": 5.0,
    }
)
