"""CLI commands: tariff (being built)."""
