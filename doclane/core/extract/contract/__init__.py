"""Contracts: title, parties, dates, term and governing law."""
