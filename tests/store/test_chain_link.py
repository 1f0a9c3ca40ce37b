"""The link hash is the documented formula, byte for byte: stored chains were hashed with it
and must keep verifying whatever way the hash is computed."""

from __future__ import annotations

import hashlib

from zonekeeper.store.chain import GENESIS, link_hash


def test_link_hash_is_the_documented_formula():
    canonical = '{"kind":"count","note":"é"}'.encode()
    expected = hashlib.sha256(
        GENESIS.encode("ascii") + b"\n" + "zoné 7".encode() + b"\n" + b"12" + b"\n" + canonical
    ).hexdigest()
    assert link_hash(GENESIS, "zoné 7", 12, canonical) == expected
    # the value the first release's streaming hash (sha256 updated piece by piece) gave
    assert link_hash(GENESIS, "1", 1, b"{}") == (
        "b472eacb708f0cf2810d96121ed46fd01d221e6c5c738a3e15bb6245e2cbe17d"
    )
