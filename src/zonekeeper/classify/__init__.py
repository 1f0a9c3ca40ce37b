"""Classification suggestions for a licensed broker's review (never applied by the product).

`core` is pure: it scores candidate 10-digit HTSUS lines for a product description from the
plain data it is given (the corpus documents); `zonekeeper.sources.classify_index` is the
shell that loads the index shipped under `zonekeeper/data/classify/`. Classification itself
stays the importer's legal duty of reasonable care (19 U.S.C. 1484(a)); a suggestion is
research, not a ruling.
"""
