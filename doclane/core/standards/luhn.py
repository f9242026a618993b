"""The Luhn check digit (ISO/IEC 7812): payment cards, and some national tax numbers."""

from __future__ import annotations


def luhn_valid(digits: str) -> bool:
    """True when a string of ASCII digits ends in its Luhn check digit."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0
