"""Pausing Python's cyclic garbage collector while a batch is posted.

The books are made of acyclic values (dataclasses, tuples, dicts, Decimals) that reference
counting frees on its own; the cyclic collector finds nothing in them, but it runs after every
few hundred allocations and its older generations walk the whole heap of lots and postings.
Posting a batch allocates millions of objects, so left running it costs more than the posting
itself (measured: the event codec alone ran 3x slower with it on). Paused for the batch and
restored after, so the process's own setting is untouched.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run the block with the cyclic collector off; restore its previous state after."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
