"""The hash chain over the events: each event's hash covers its canonical form and the
hash of the event before it, so changing, removing or reordering any stored event breaks
every hash after it (architecture rule 4; the python-accounting habit).

hash(n) = SHA-256( prev_hash(n) as ASCII hex || 0x0A || zone || 0x0A || seq || 0x0A ||
canonical bytes of event n ). The zone and sequence number are inside the hash so a row
cannot be moved to another zone or position unnoticed. The first event's prev_hash is 64 zeros.

An event posted by a user of the web application or the API names that user (`actor`):
then the canonical bytes are followed by 0x0A || "by " || actor, so who posted it is as
tamper-evident as what was posted. An event with no actor (the CLI, every event stored
before users existed) hashes exactly as before.
"""

from __future__ import annotations

import hashlib

GENESIS = "0" * 64


def link_hash(
    prev_hash: str, zone: str, seq: int, canonical: bytes, actor: str | None = None
) -> str:
    """The hash of event `seq` of `zone` whose canonical form is `canonical`, posted by
    `actor` (None: posted with no user named)."""
    head = b"%s\n%s\n%d\n" % (prev_hash.encode("ascii"), zone.encode("utf-8"), seq)
    if actor is None:
        return hashlib.sha256(head + canonical).hexdigest()
    return hashlib.sha256(head + canonical + b"\nby " + actor.encode("utf-8")).hexdigest()
