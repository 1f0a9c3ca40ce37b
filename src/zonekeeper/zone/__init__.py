"""The zone's books (19 CFR 146 ICRS): pure core. Events in, state, postings and problems out.

See `docs/ledger.md`. The public names are in `zone.events` and `zone.ledger`.
"""
