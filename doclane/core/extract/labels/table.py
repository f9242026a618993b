"""Field labels as data: which printed labels announce which field, in EN, DE and FR.

Each entry is (regular expression, weight). Patterns are matched
case-insensitively against a line; the value is looked for right of the match,
then below it. Weight ranks competing labels (a "Grand total" beats a bare
"Total"); keep patterns generic, never tied to one issuer. Patterns use only
non-capturing groups: the matcher names each alternative itself.
"""

from __future__ import annotations

from types import MappingProxyType

from doclane.core.fields import FieldName

_NO = r"(?:n[o°º]\.?|nr\.?|number|num(?:ber|éro)?|#|nummer|id\b)"
_OPT_QUALIFIER = r"(?:\s*\(?\s*(?:incl|inkl|exkl|excl|ohne|hors|zzgl|plus)\.?\s*[\w.%-]*\)?)?"

LABELS: MappingProxyType[str, tuple[tuple[str, float], ...]] = MappingProxyType(
    {
        FieldName.INVOICE_NUMBER: (
            (rf"\b(?:tax\s+)?invoice\s*{_NO}", 1.0),
            (r"\binvoice\s+(?:ref(?:erence)?|id)\b", 0.85),
            (rf"\binv\.?\s*{_NO}", 0.9),
            (r"\b\w*rechnungs?-?\s*(?:nummer|nr\.?|no\.?)", 1.0),  # also Handels-, Schlussrechnung
            (rf"\b\w*rechnung\s*{_NO}", 1.0),
            (r"\b(?:re|rg)\.?-?\s*nr\.?", 0.8),
            (r"\bn[°º]\s*(?:de\s+)?facture", 1.0),
            (r"\bnum[ée]ro\s+de\s+facture", 1.0),
            (rf"\bfacture\s*{_NO}", 1.0),
            (rf"\bgutschrift(?:s?-?nummer|s?-?nr\.?|\s*{_NO})", 1.0),
            (rf"\b(?:rechnungskorrektur|korrekturrechnung|stornorechnung)\s*{_NO}", 1.0),
            (rf"\bcredit\s*(?:note|memo)\s*{_NO}", 1.0),
            (r"\bn[°º]\s*d['’]\s*avoir\b", 1.0),
            (rf"\bavoir\s*{_NO}", 1.0),
            (r"\bbeleg-?\s*(?:nummer|nr\.?)", 0.8),
            (  # a title, a few words, then "No.": "Rechnung des Versicherers Nr."
                r"\b\w*(?:rechnung|gutschrift|invoice|facture|avoir)\w*"
                r"(?:(?!bestell|order|auftrag|commande|liefer|kunde|customer|client|empf|datum|date)"
                r"[^:\n]){0,40}?"
                r"(?<=\s)(?:nr\.?|no\.?|n[°º]|#)",
                0.85,
            ),
            (rf"\b(?:receipt|bill|document|doc)\s*{_NO}", 0.7),
        ),
        FieldName.PURCHASE_ORDER_NUMBER: (
            (rf"\bpurchase\s+order\s*{_NO}", 1.0),
            (r"\bpurchase\s+order\b(?!\s*date)", 0.5),
            (rf"\bp\.?\s?o\.?\s*{_NO}", 1.0),
            (rf"\border\s*{_NO}", 0.7),
            (r"\byour\s+(?:order|ref(?:erence)?|po)\b(?!\s*date)", 0.8),
            (r"\bbestell-?\s*(?:nummer|nr\.?)", 1.0),
            (rf"\bbestellung\s*{_NO}", 0.9),
            (r"\bbestellung\b(?=\s*:)", 0.8),
            (r"\bihre?\s+(?:bestellung|auftrag)\b(?:\s*(?:nr\.?|nummer))?", 0.85),
            (r"\b(?:bon\s+de\s+)?commande\s*(?:n[°º]|no\.?|num[ée]ro)", 0.9),
            (r"\bn[°º]\s*de\s+commande\b", 1.0),
            (r"\bvotre\s+commande\b", 0.85),
            (r"\bréf\.?\s*(?:de\s+)?commande\b", 0.85),
        ),
        FieldName.ISSUE_DATE: (
            (r"\b(?:invoice|billing|issue|credit\s+note|document)\s+date\b", 1.0),
            (r"\bdate\s+of\s+(?:invoice|issue)\b", 1.0),
            (r"\b(?:issued|ausgestellt|émise?)\s+(?:at|on|am|le)\b", 0.9),
            (r"\b(?:rechnungs|gutschrifts?|beleg|ausstellungs|dokument)-?\s*datum\b", 1.0),
            (r"\b(?:vo[mn]|du|dated|of)\b(?=\s*\d|\s*$)", 0.95),  # "Invoice no. 42 of 05.03.2024"
            (r"\bdate\s+de\s+(?:la\s+)?facture\b", 1.0),
            (r"\bdate\s+d['’]\s*(?:émission|emission|avoir)\b", 1.0),
            (r"(?<!-)\bdatum\b", 0.6),
            (
                r"(?<!due\s)(?<!delivery\s)(?<!payment\s)(?<!order\s)(?<!ship\s)"
                r"\bdate\b(?!\s+(?:de\s+livraison|d['’]\s*échéance|of\s+delivery|due|limite))",
                0.6,
            ),
        ),
        FieldName.ORDER_DATE: (  # the issue date of a purchase order
            (r"\b(?:order|po|purchase\s+order)\s+date\b", 1.0),
            (r"\bbestell-?\s*datum\b", 1.0),
            (r"\bdate\s+de\s+(?:la\s+)?commande\b", 1.0),
        ),
        FieldName.DUE_DATE: (
            (r"\b(?:payment\s+)?due\s+date\b", 1.0),
            (r"\bpayment\s+due\b", 1.0),
            (r"\b(?<!amount\s)(?<!total\s)(?<!balance\s)due(?:\s+(?:by|on))?\b", 0.8),
            (r"\b(?:payable|pay|remit)\s+(?:by|before|until|no\s+later\s+than)\b", 0.85),
            (r"\bfällig(?:keit|keitsdatum|keitstag)?(?:\s+am)?\b", 1.0),
            (r"\bzahlbar\b[^.]{0,50}?\bbis(?:\s+(?:zum|spätestens))?\b", 1.0),
            (r"\bzahlungsziel\b", 0.8),
            (r"\büberweisen\b[^.]{0,50}?\bbis(?:\s+zum)?\b", 0.9),
            (r"\bdate\s+d['’]\s*échéance\b", 1.0),
            (r"\béchéance\b", 0.9),
            (r"\bà\s+payer\s+avant\s+le\b", 1.0),
            (r"\b(?:payable|paiement)\b[^.\d]{0,30}?\b(?:avant\s+le|au\s+plus\s+tard\s+le)\b", 0.9),
        ),
        FieldName.TOTAL: (
            (r"\bgrand\s+total\b", 1.0),
            (r"\b(?:total\s+)?amount\s+(?:due|payable)\b", 0.95),
            (r"\bbalance\s+due\b", 0.9),
            (r"\btotal\s+(?:due|payable|to\s+pay)\b", 1.0),
            (r"\bdue\s+payable\b", 0.95),
            (r"\b(?:invoice|order|po|credit)\s+total\b", 1.0),
            (r"\btotal\s+(?:incl\w*|inclusive|including)\b\.?(?:\s+(?:vat|tax|gst))?", 1.0),
            (r"\brounded\s+total\b", 0.95),
            (r"\btotal\s+amount\b", 0.9),
            (r"\b(?:total|montant)\s+(?:ttc|à\s+payer|dû)\b", 1.0),
            (r"\bnet\s+à\s+payer\b", 1.0),
            (r"\bmontant\s+total\b", 0.9),
            (
                r"\b(?:gesamtbetrag|rechnungsbetrag|bruttobetrag|endbetrag|bruttosumme|gutschriftsbetrag"
                r"|rechnungssumme\s+brutto|summe\s+brutto|brutto\s*summe|gesamt\s+brutto)\b"
                r"(?!\s+(?:der|des|aller)\b)" + _OPT_QUALIFIER,
                1.0,
            ),
            (r"\b(?:gesamtsumme|summe\s+(?:inkl|incl)\.?\s*\w+\.?)", 0.95),
            (r"\b(?:zahlbetrag|zu\s+zahlen(?:der\s+betrag)?|offener\s+betrag)\b", 0.85),
            (
                r"(?<!sub)(?<!sub-)(?<!sub )(?<!carried\s)\btotal\b"
                r"(?!\s*(?:ht|hors|excl|net|before|qty|quantity|items?|tax|gst|vat|tva|discount|savings"
                r"|weight|pages?|carried|brought))",
                0.8,
            ),
            (r"\bbetrag\b", 0.5),
        ),
        FieldName.NET_TOTAL: (
            (r"\bsub-?\s?total\b(?!\s+(?:carried|brought))", 0.9),
            (r"\b(?:total\s+)?net\s+(?:total|amount|value)\b", 1.0),
            (r"\btotal\s+net\b", 0.95),
            (
                r"\b(?:total|amount)\s+(?:excl\w*|exclusive|before|net\s+of)\b\.?(?:\s+(?:vat|tax|gst))?",
                1.0,
            ),
            (
                r"\b(?:nettobetrag|nettosumme|summe\s+netto|gesamt\s+netto|netto\s*gesamt|nettowert"
                r"|rechnungssumme\s+netto|rechnungssumme\s+ohne\s+ust)\b\.?" + _OPT_QUALIFIER,
                1.0,
            ),
            (r"\b(?:summe|betrag|gesamt)\s+(?:ohne|exkl\.?|excl\.?)\s*(?:ust|mwst)\b\.?", 0.95),
            (r"\bzwischensumme\b(?!\s+übertrag)", 0.8),
            (r"\b(?:steuerbasisbetrag|positionssumme|warenwert)\b", 0.6),
            (r"\b(?:total|montant)\s+(?:ht|hors\s+taxes?)\b", 1.0),
            (r"\bsous-?\s?total(?:\s+ht)?\b", 0.9),
            (r"\bnetto\b", 0.6),
        ),
        FieldName.TAX_TOTAL: (
            (r"\btotal\s+(?:tax|vat|gst|tva|mwst|ust)\b", 1.0),
            (r"\b(?:vat|tax|gst|tva)\s+(?:amount|total)\b", 1.0),
            (r"\bmontant\s+(?:de\s+la\s+)?tva\b", 1.0),
            (r"\bsumme\s+(?:umsatzsteuer|mehrwertsteuer|ust|mwst)\b\.?", 1.0),
            (r"\b(?:ust|mwst)\.?\s*gesamt\b", 1.0),
            (r"\b(?:steuerbetrag|ust\.?-?betrag|mwst\.?-?betrag|umsatzsteuerbetrag)\b", 0.95),
            (r"\b(?:mwst|mehrwertsteuer|umsatzsteuer|ust|versicherungs?steuer)\b\.?", 0.8),
            (r"\btva\b", 0.8),
            (r"\b(?:vat|gst|sales\s+tax|tax)\b", 0.7),
        ),
        # Freight, handling, postage: printed beside the totals; after tax on US-style
        # documents (total = net + tax + charges). Never "Ship to" or "Ship via".
        FieldName.CHARGES_TOTAL: (
            (
                r"\b(?:shipping|s\s?&\s?h|ship\s?/\s?ins\w*|ship(?:ping)?\s+(?:and|&)\s+handling)\b"
                r"(?!\s+(?:terms?|method|via|address|date|to)\b)(?:\s+(?:charges?|costs?|fees?))?",
                0.9,
            ),
            (r"\bfreight(?!\s+(?:collect|prepaid|terms?)\b)(?:\s+(?:charges?|costs?))?\b", 0.9),
            (r"\bhandling(?:\s+(?:charges?|fees?))?\b", 0.8),
            (r"\bdelivery\s+(?:charges?|fees?|costs?)\b", 0.9),
            (r"\bpostage(?:\s+(?:and|&)\s+packing)?\b", 0.9),
            (r"\b(?:versandkosten|versandpauschale|frachtkosten|lieferkosten|porto)\b", 0.9),
            (r"\bfrais\s+(?:de\s+port|de\s+livraison|d['’]\s*envoi|d['’]\s*expédition)\b", 0.9),
        ),
    }
)

# Cheap pre-check: a line can only hold a label of a field if it contains one of these
# (case-folded) fragments; a test checks every label against it. The issue date's
# "vom"/"du"/"of" after the document number is looked for on such lines regardless.
LABEL_KEYWORDS: MappingProxyType[str, tuple[str, ...]] = MappingProxyType(
    {
        FieldName.INVOICE_NUMBER: (
            "inv", "rechnung", "factur", "gutschrift", "korrektur", "credit", "avoir", "beleg",
            "receipt", "bill", "doc", "re-nr", "re.nr", "re nr", "re. nr", "re.-nr", "renr",
            "rg-nr", "rg.nr", "rg nr", "rgnr",
        ),
        FieldName.PURCHASE_ORDER_NUMBER: (
            "order", "p.o", "po ", "po#", "po:", "po-", "po.", "bestell", "auftrag", "commande",
            "your",
        ),
        FieldName.ISSUE_DATE: ("date", "datum", "issue", "ausgestellt", "émis"),
        FieldName.ORDER_DATE: ("date", "datum"),
        FieldName.DUE_DATE: (
            "due", "pay", "remit", "fällig", "zahl", "überweis", "échéance", "payer", "paiement",
        ),
        FieldName.TOTAL: (
            FieldName.TOTAL, "amount", "balance", "ttc", "payer", "montant", "betrag", "summe", "brutto",
            "zahlen", "payable", "dû",
        ),
        FieldName.NET_TOTAL: (FieldName.TOTAL, "net", "amount", "summe", "betrag", "gesamt", "warenwert", "montant"),
        FieldName.TAX_TOTAL: ("tax", "vat", "gst", "tva", "mwst", "ust", "steuer"),
        FieldName.CHARGES_TOTAL: (
            "ship", "s&", "s &", "freight", "handling", "delivery", "postage", "versand",
            "fracht", "liefer", "porto", "frais",
        ),
    }
)  # fmt: skip

# Labels of other references on an invoice that look like a document number.
OTHER_REFERENCES = (
    r"\b(?:original|ref\.?|referenced?|corrected|related)\s+invoice\b|\binvoice\s+reference\b"
    r"|\bzu\s+rechnung\b|\bbezug\b|\bursprungsrechnung\b|\bfacture\s+d['’]\s*origine\b"
    r"|\bréf\.?\s+facture\b|\bkunden-?\s*(?:nummer|nr)|\bcustomer\s+(?:no|number|id)\b"
)

# A tax label right after one of these words belongs to another label ("incl. VAT").
TAX_QUALIFIERS = (
    r"(?:incl|inkl|including|inklusive|excl|exkl|excluding|ohne|hors|before|avant|net\s+of)\.?\s*$"
)

# Item table column headers; a line with several of them heads a table.
TABLE_COLUMNS = (
    r"\b(?:description|item|article|product|produkt|bezeichnung|beschreibung|artikel\w*"
    r"|leistung|désignation|designation|libellé|descripci[óo]n|concepto|art[íi]culo|producto"
    r"|descrizione|articolo|prodotto|omschrijving|service)\b",
    r"\b(?:qty|quantity|quant\.?|menge|anz\.?|anzahl|qté|quantité|stück|units?|cantidad|cant\.?"
    r"|quantit[àa]|q\.t[àa]|qt[àa]|aantal|hours|hrs|stunden|heures)\b",
    r"\b(?:unit\s+price|price|rate|einzelpreis|e-preis|preis|prix\s+unitaire|prix|p\.\s?u\.?|pu"
    r"|nettopreis|unit\s+cost|precio(?:\s+unitario)?|prezzo(?:\s+unitario)?|prijs|stuksprijs"
    r"|eenheidsprijs|tarif)\b",
    r"\b(?:amount|line\s+total|total|betrag|gesamtpreis|gesamt|montant(?:\s+ht)?|total\s+ht"
    r"|entgelt|nettowert|summe|importe|importo|totale|bedrag|totaal|subtotal)\b",
)

# Lines announcing the buyer's block: a company name right after belongs to the customer.
CUSTOMER_BLOCK = (
    r"\b(?:bill(?:ed)?\s+to|sold\s+to|ship\s+to|invoice\s+to|deliver\s+to|customer|client|buyer"
    r"|käufer|rechnungsempfänger|warenempfänger|leistungsempfänger|rechnungsadresse|lieferanschrift"
    r"|lieferadresse|kunde|destinataire|facturé\s+à|adresse\s+de\s+(?:facturation|livraison)"
    r"|livrer\s+à|acheteur|an(?=\s*:)|rechnungsanschrift|invoice\s+address|billing\s+address"
    r"|cliente|facturar\s+a|destinatario|intestat(?:ario|o\s+a)|spett\.?le|klant|factuuradres"
    r"|afnemer|koper)\b"
)

# Lines announcing the seller's block: on an invoice the vendor, on an order the supplier.
SELLER_BLOCK = (
    r"\b(?:verkäufer|rechnungsersteller|seller|issued\s+by|émetteur|vendeur|prestataire"
    r"|absender|vendedor|emisor|venditore|verkoper)\b"
    r"|^from(?=\s*:|\s*$)"
)

# Lines announcing the supplier's block on a purchase order.
SUPPLIER_BLOCK = (
    r"\b(?:vendor|supplier|lieferant|fournisseur|auftragnehmer|proveedor|fornitore|leverancier)\b"
)

# Captions printed before a value in a party's block ("Name:", "Customer number", "VAT ID"):
# never a party's name themselves; after a name caption ("Name: ACME Ltd") comes the name.
NAME_CAPTIONS = (
    r"(?:company\s+|firmen|full\s+|legal\s+|trading\s+)?name|firma|nom|nombre|nome|naam"
    r"|raison\s+sociale|razón\s+social|ragione\s+sociale"
)
FIELD_CAPTIONS = (
    NAME_CAPTIONS
    + r"|(?:global|customer|client|account|order|invoice|reference|registration|company|tax|vat"
    r"|supplier|vendor|debtor|creditor|kunden|lieferanten|steuer|rechnungs|auftrags|bestell)"
    r"\s*-?\s*(?:number|no\.?|nr\.?|nummer|id|#)"
    r"|(?:vat|tax|ust|tva|gst|nif|cif|piva|btw|kvk)(?:[\s.-]*(?:id|no\.?|nr\.?|number|reg\w*))?"
    r"|(?:numéro|n[°º]|número|numero|nummer)\s+(?:de\s+|di\s+)?(?:client|cliente|tva|iva|siret|siren)"
    r"|partita\s+iva|codice\s+fiscale|klantnummer|debiteurnummer|btw-?nummer|siret|siren"
    r"|contact(?:\s+person)?|ansprechpartner|attention|phone|telephone|telefon|teléfono"
    r"|telefono|téléphone|mobile|e-?mail|address|adresse|anschrift|dirección|indirizzo|adres"
    r"|street|straße|city|ort|stadt|ville|country|land|pays|zip(?:\s+code)?|postcode|plz"
)

# Words that mean "yours" before a VAT id or IBAN: the customer's, not the issuer's.
CUSTOMER_OWNED = (
    r"\b(?:ihr(?:e[mnrs]?)?|your|votre|vos|kunden|customer|client|buyer|käufer|acheteur|empfänger"
    r"|zahlungspflichtige[rn]?|debitor)\b"
)

# Labels announcing a VAT registration number.
VAT_ID_LABEL = (
    r"\b(?:vat|tva|gst|ust|mwst|umsatzsteuer)\b[\s.\-]*(?:reg\w*\.?\s*)?(?:id\w*|n[o°º]\.?|nr\.?"
    r"|number|intracom\w*\.?)|\bsteuer-?\s*id|\bn[°º]\s*(?:de\s+)?tva|\btax\s+id\b"
)

# Legal-form suffixes that mark a company name.
LEGAL_FORMS = (
    r"gmbh(?:\s*&\s*co\.?\s*kg)?",
    r"g\.m\.b\.h\.",
    r"ag",
    r"a\.\s?g\.",
    r"vvag",
    r"kg",
    r"kgaa",
    r"ohg",
    r"ug",
    r"e\.\s?k\.",
    r"e\.\s?v\.",
    r"sarl",
    r"s\.a\.r\.l\.",
    r"sàrl",
    r"sas",
    r"s\.a\.s\.",
    r"sasu",
    r"eurl",
    r"sa",
    r"ltd\.?",
    r"limited",
    r"llc",
    r"l\.l\.c\.",
    r"llp",
    r"plc",
    r"inc\.?",
    r"incorporated",
    r"corp\.?",
    r"corporation",
    r"co\.",
    r"b\.\s?v\.",
    r"bv",
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

# Units printed in an item row's quantity column: never a row's description on their own.
UNIT_WORDS = (
    r"stk|st|stck|stück|pcs?|pce|pieces?|units?|ea|each|h|hrs?|hours?|std|stunden?|kwh|kg|g|l|m"
    r"|m2|m²|m3|km|t|pal|pack|pkg|box|set|tag|tage|days?|jours?|j|heures?|pz|pezzi|uds?|ud"
    r"|unid|stuks?|uur|x|pauschal|psch|flat|lot|forfait|mon|monat|month|months|mois"
)

# Units a quantity may carry with no space before them ("8h", "3x", "10Stk").
ATTACHED_UNITS = r"h|hrs?|std|x|pcs?|pce|stk|st|ea|uds?|pz|stuks?|kwh"
