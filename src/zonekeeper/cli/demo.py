"""CLI commands: demo (being built)."""
