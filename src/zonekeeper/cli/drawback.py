"""CLI commands: drawback (being built)."""
