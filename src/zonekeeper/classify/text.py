"""Turning product and schedule text into search terms, the same way on both sides.

Lower case, words of letters and digits, a short stop list (the schedule's connectives and
"other", which is on most lines and tells nothing), and plural endings folded so that
"sinks" finds "sink". Deliberately small: what it does is applied identically to the corpus
and to the query, so a crude rule costs little and stays explainable.
"""

from __future__ import annotations

import re
from functools import lru_cache

_WORD = re.compile(r"[a-z0-9]+")

STOP = frozenset(
    """a an and are as at be by for from in into is it its of on or other the their this to
    with without not than whether nesoi n.e.s.o.i which that such being used use these those
    was were has have having more less but thereof therefor each any all only also per
    described provided elsewhere specified included""".split()
)


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """Plural endings folded: 'boxes' -> 'box', 'sinks' -> 'sink', 'glass' stays."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "xes", "sses")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def terms(text: str) -> list[str]:
    """The search terms of `text`, in order, repeats kept (term frequency counts)."""
    out = []
    for word in _WORD.findall(text.lower()):
        if len(word) < 2 or word in STOP or word.isdigit():
            continue
        out.append(fold(word))
    return out
