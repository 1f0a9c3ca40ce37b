"""Zonekeeper: Foreign-Trade Zone books, US duty with its derivation, entries and drawback."""

__version__ = "0.1.0"
