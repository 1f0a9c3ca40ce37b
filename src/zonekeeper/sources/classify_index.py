"""The shell around `classify.core`: load the index shipped in `zonekeeper/data/classify/`.

The index is built offline (`python -m bench.classify_build`, see PROVENANCE.md beside it)
from the HTS revision the package ships and public-domain CBP rulings. Nothing is fetched:
the file is package data, read once per process and kept.
"""

from __future__ import annotations

import gzip
import json
import threading
from importlib import resources
from typing import Any

from zonekeeper.classify.core import Index, Ruling, ScheduleLine, Tuning

INDEX_FILE = "index.json.gz"
_lock = threading.Lock()
_cached: dict[str, Any] = {}


def read_index_document() -> dict[str, Any]:
    """The shipped index as plain data (revision, source, lines, rulings)."""
    data = resources.files("zonekeeper").joinpath(f"data/classify/{INDEX_FILE}").read_bytes()
    document: dict[str, Any] = json.loads(gzip.decompress(data))
    return document


def index_from(document: dict[str, Any], tuning: Tuning | None = None) -> Index:
    """Build the searchable index from the plain document (pure apart from the CPU)."""
    lines = [ScheduleLine(str(h), tuple(path), str(rate))
             for h, path, rate in document["lines"]]
    rulings = [Ruling(str(n), str(d), tuple(codes), str(subject), str(text))
               for n, d, codes, subject, text in document["rulings"]]
    return Index.build(lines, rulings, tuning)


def load_index() -> tuple[Index, str]:
    """The shipped index, built once per process, and the HTS revision it was built from."""
    with _lock:
        if "index" not in _cached:
            document = read_index_document()
            _cached["index"] = index_from(document)
            _cached["revision"] = str(document["revision"])
        return _cached["index"], _cached["revision"]
