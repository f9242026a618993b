"""Receipts (till slips): vendor, address, date and the total paid."""
