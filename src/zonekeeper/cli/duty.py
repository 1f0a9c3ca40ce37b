"""CLI commands: duty (being built)."""
