"""Duty quotes: a line's duty with every component cited, and an entry's fees (pure)."""

from zonekeeper.duty.entry import EntryQuote, FeeLine, quote_entry
from zonekeeper.duty.quote import DutyComponent, LineItem, LineQuote, quote_line

__all__ = [
    "DutyComponent",
    "EntryQuote",
    "FeeLine",
    "LineItem",
    "LineQuote",
    "quote_entry",
    "quote_line",
]
