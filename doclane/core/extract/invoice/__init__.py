"""Invoices, credit notes and purchase orders: header fields, parties, totals, e-invoice XML."""
