"""CLI commands: entry (being built)."""
