"""Alembic migrations of the zonekeeper schema, shipped in the package and run by `migrate`."""
