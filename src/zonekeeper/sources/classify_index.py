"""The shell around `classify.core`: load the index shipped in `zonekeeper/data/classify/`.

The index is built offline (`python -m bench.classify_build`, see PROVENANCE.md beside it)
from the HTS revision the package ships and public-domain CBP rulings. Nothing is fetched:
the file is package data, read once per process and kept.

Beside it, `headings.npy` holds one all-MiniLM-L6-v2 vector per heading and
`subheadings.npy` one per 6-digit subheading (float16, in the order of their first lines;
`subheading_texts` says what text each was made from). When the model's weights are
installed (`sources.sentence_model`), a description is embedded and compared with them;
without them the lexical method works alone.
"""

from __future__ import annotations

import gzip
import json
import threading
from importlib import resources
from typing import Any

import numpy as np
from numpy.typing import NDArray

from zonekeeper.classify.core import Index, Ruling, ScheduleLine, Semantic, Tuning
from zonekeeper.classify.encoder import Encoder
from zonekeeper.sources.sentence_model import load_encoder, one_thread

INDEX_FILE = "index.json.gz"
HEADINGS_FILE = "headings.npy"
SUBHEADINGS_FILE = "subheadings.npy"
SUBHEADING_TOKENS = 64  # a subheading's text is cut here when embedded (its own words first)
_lock = threading.Lock()
_cached: dict[str, Any] = {}


def read_index_document() -> dict[str, Any]:
    """The shipped index as plain data (revision, source, lines, rulings)."""
    data = resources.files("zonekeeper").joinpath(f"data/classify/{INDEX_FILE}").read_bytes()
    document: dict[str, Any] = json.loads(gzip.decompress(data))
    return document


def heading_texts(document: dict[str, Any]) -> tuple[list[str], list[int]]:
    """Each heading's text (the first element of its lines' paths), in order of first
    appearance, and for each line the number of its heading."""
    texts: dict[str, int] = {}
    owner = [texts.setdefault(str(h)[:4], len(texts)) for h, _path, _rate in document["lines"]]
    first: dict[int, str] = {}
    for (_h, path, _rate), n in zip(document["lines"], owner, strict=True):
        first.setdefault(n, str(path[0]))
    return [first[n] for n in range(len(texts))], owner


def subheading_texts(document: dict[str, Any]) -> tuple[list[str], list[int]]:
    """Each 6-digit subheading's text, in order of first appearance, and for each line the
    number of its subheading.

    A subheading's own provisions are the path its lines share (the heading first); the
    text puts them first and the heading after, in parentheses, because the encoder's
    mean of token vectors would otherwise be the heading's (whose text is often the
    longer) and every subheading of a heading would look alike. A bare "Other" is kept
    only when it is all the subheading says of itself."""
    paths: dict[str, list[str]] = {}
    owner: list[int] = []
    numbers: dict[str, int] = {}
    for h, path, _rate in document["lines"]:
        key = str(h)[:6]
        owner.append(numbers.setdefault(key, len(numbers)))
        shared = paths.get(key)
        if shared is None:
            paths[key] = [str(p) for p in path]
        else:
            n = 0
            while n < min(len(shared), len(path)) and shared[n] == path[n]:
                n += 1
            del shared[n:]
    texts = []
    for shared in paths.values():
        own = [p for p in shared[1:] if p != "Other"] or shared[1:]
        texts.append(f"{' > '.join(own)} ({shared[0]})" if own else shared[0])
    return texts, owner


def read_heading_vectors(name: str = HEADINGS_FILE) -> NDArray[np.float16] | None:
    """The shipped heading (or, by `name`, subheading) vectors, or None when the package
    has none."""
    found = resources.files("zonekeeper").joinpath(f"data/classify/{name}")
    if not found.is_file():
        return None
    with found.open("rb") as handle:
        vectors: NDArray[np.float16] = np.load(handle, allow_pickle=False)
    return vectors


def semantic_from(document: dict[str, Any], vectors: NDArray[np.float16],
                  encoder: Encoder, fine: NDArray[np.float16] | None = None) -> Semantic:
    """Dense evidence: the description's vector against its heading's and, when `fine`
    (the subheading vectors) is given, its subheading's, for every line."""
    texts, owner = heading_texts(document)
    if vectors.shape[0] != len(texts):
        raise ValueError(f"{HEADINGS_FILE} has {vectors.shape[0]} vectors for "
                         f"{len(texts)} headings: rebuild it (bench.classify_build)")
    fine_vectors = fine_owner = None
    if fine is not None:
        fine_texts, fine_owners = subheading_texts(document)
        if fine.shape[0] != len(fine_texts):
            raise ValueError(f"{SUBHEADINGS_FILE} has {fine.shape[0]} vectors for "
                             f"{len(fine_texts)} subheadings: rebuild it "
                             "(bench.classify_build --subheadings)")
        fine_vectors = fine.astype(np.float32)
        fine_owner = np.asarray(fine_owners, dtype=np.int32)
    def embed(text: str) -> NDArray[np.float32]:
        return one_thread(lambda: encoder.encode([text])[0])

    return Semantic(embed, vectors.astype(np.float32), np.asarray(owner, dtype=np.int32),
                    fine_vectors, fine_owner)


def index_from(document: dict[str, Any], tuning: Tuning | None = None,
               semantic: Semantic | None = None) -> Index:
    """Build the searchable index from the plain document (pure apart from the CPU)."""
    lines = [ScheduleLine(str(h), tuple(path), str(rate))
             for h, path, rate in document["lines"]]
    rulings = [Ruling(str(n), str(d), tuple(codes), str(subject), str(text))
               for n, d, codes, subject, text in document["rulings"]]
    return Index.build(lines, rulings, tuning, semantic)


def shipped_semantic(document: dict[str, Any]) -> Semantic | None:
    """The dense evidence when both the heading vectors and the model are installed."""
    vectors = read_heading_vectors()
    encoder = load_encoder() if vectors is not None else None
    if vectors is None or encoder is None:
        return None
    return semantic_from(document, vectors, encoder, read_heading_vectors(SUBHEADINGS_FILE))


def load_index() -> tuple[Index, str]:
    """The shipped index, built once per process, and the HTS revision it was built from."""
    with _lock:
        if "index" not in _cached:
            document = read_index_document()
            _cached["index"] = index_from(document, semantic=shipped_semantic(document))
            _cached["revision"] = str(document["revision"])
        return _cached["index"], _cached["revision"]
