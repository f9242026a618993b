"""Published standards as tables and checks: ISO 4217 currencies, IBANs, VAT ids."""
