"""The savings advisor: the zone status to elect for each component (`election`), how the
election fares when rates change (`scenarios`), and whether a zone pays (`roi`).

Pure core: it takes the tariff and the user's rows as values and returns frozen results with
their derivation; it reads no files and no clock (docs/architecture.md, "The floors").
"""
