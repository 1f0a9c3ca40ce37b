"""Turning product and schedule text into search terms, the same way on both sides.

Lower case, words of letters and digits, a short stop list (the schedule's connectives and
"other", which is on most lines and tells nothing), and each word reduced to its stem by the
Snowball English (Porter 2) stemmer, so that "sinks" finds "sink" and a product's "knit"
finds the schedule's "knitted". What it does is applied identically to the corpus and to the
query, so a crude rule costs little and stays explainable.
"""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

_WORD = re.compile(r"[a-z0-9]+")

STOP = frozenset(
    """a an and are as at be by for from in into is it its of on or other the their this to
    with without not than whether nesoi n.e.s.o.i which that such being used use these those
    was were has have having more less but thereof therefor each any all only also per
    described provided elsewhere specified included""".split()
)


_STEMMER = snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """The word's Snowball stem: 'boxes' -> 'box', 'knitted' -> 'knit', 'glass' stays.

    Porter's suffix stripping (Porter, "An algorithm for suffix stripping", 1980, as revised
    in Snowball's English stemmer) rather than plural folding alone: the schedule writes
    participles ("knitted", "crocheted", "coated") where product text writes the verb."""
    stem: str = _STEMMER.stemWord(word)
    return stem


def terms(text: str) -> list[str]:
    """The search terms of `text`, in order, repeats kept (term frequency counts)."""
    out = []
    for word in _WORD.findall(text.lower()):
        if len(word) < 2 or word in STOP or word.isdigit():
            continue
        out.append(fold(word))
    return out


_QUALIFIER = re.compile(
    r"[,;:(]|\b(?:made|of|used|for|with|featuring|including|designed|that|which|consisting|"
    r"composed|constructed|imported|in|from|containing|intended|comprised|having|to|"
    r"suitable|when|where)\b")


def head_terms(text: str) -> list[str]:
    """The terms of the product's own noun phrase: a description names the article first
    and qualifies it after ("a women's jacket made of knit polyester fabric", "shower
    grates used in residential showers"), and under GRI 1 the article decides the heading
    before its material does. Empty when the text starts with a qualifier."""
    return terms(_QUALIFIER.split(text.lower(), maxsplit=1)[0])
