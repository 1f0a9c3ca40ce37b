"""The default tariff: every source read (`sources.shipped`, `sources.revisions`), then the
pure `Tariff` built from what was read."""

from __future__ import annotations

from functools import cache

from zonekeeper.sources.revisions import load_schedule
from zonekeeper.sources.shipped import load_column2, load_fees, load_measures, load_programs
from zonekeeper.tariff import Tariff


@cache
def default_tariff() -> Tariff:
    """The shipped tariff (plus user-imported HTS revisions), loaded once per process (the
    process's one tariff for the CLI and the services; its caches are its own)."""
    return Tariff(load_schedule(), load_measures(), load_programs(), load_fees(), load_column2())
