"""CLI commands: ledger (being built)."""
