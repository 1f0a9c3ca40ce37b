"""Sources: the one shell package that finds and reads the data the pure core is built from.

- `sources.shipped`: the package's own data files (`zonekeeper/data/tariff`: Chapter 99
  measures and their product lists, SPI programs, fees, the Column 2 countries), read
  through `importlib.resources` and handed to the core's parsers as text;
- `sources.revisions`: the HTS revisions: the shipped USITC exports, the user's imported
  ones (`$ZONEKEEPER_HOME` or `~/.local/share/zonekeeper`); `sources.history`, the shipped
  history store's revisions;
- `sources.revision_cache`: the disk cache of built revisions, both kinds
  (`$ZONEKEEPER_CACHE` or `~/.cache/zonekeeper`);
- `sources.tariff`: `default_tariff()`, the tariff built from all of it, once per process.

The core (tariff, duty, zone, drawback) takes what it needs as arguments (bytes, text,
parsed rows, dataclasses) and reads nothing itself (import-linter's `pure-core` contract).
"""
