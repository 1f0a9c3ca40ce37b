"""The store: the only package that speaks SQL.

It keeps the zone's books (19 CFR 146.21-146.26) on SQLite (a file, zero set-up) or
PostgreSQL (production, many clerks): an append-only, hash-chained events table and the
projections (lots, postings, parts, bills of materials) rebuilt from it. See docs/storage.md.
"""
