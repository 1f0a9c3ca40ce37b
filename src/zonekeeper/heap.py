"""Pausing Python's cyclic garbage collector while a batch is posted.

The books are made of acyclic values (dataclasses, tuples, dicts, Decimals) that reference
counting frees on its own; the cyclic collector finds nothing in them, but it runs after every
few hundred allocations and its older generations walk the whole heap of lots and postings.
Posting a batch allocates millions of objects, so left running it costs more than the posting
itself (measured: the event codec alone ran 3x slower with it on). Paused for the batch and
restored after, so the process's own setting is untouched.

It is process-wide state, so it belongs to the shell: the services (and the store's
projection reads) pause the collector around the core's calls; the pure core
(tariff, duty, zone, drawback) may not import this module (import-linter contract).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run the block with the cyclic collector off; restore its previous state after.

    Everything the block allocated is still "young" when the collector comes back, so its
    first run would walk all of it (about 70 ms per 10,000-event batch, a tenth of the
    posting). What survives a batch is the books' new state, long-lived by nature, so it is
    handed straight to the oldest generation instead: `gc.freeze()` then `gc.unfreeze()` moves
    every tracked object there without walking any. Nothing is lost: the oldest generation is
    still collected, and the step is skipped when someone else has frozen objects (a server
    that freezes before forking keeps its frozen heap).
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if gc.get_freeze_count() == 0:
            gc.freeze()
            gc.unfreeze()
        if collecting:
            gc.enable()
