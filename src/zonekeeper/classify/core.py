"""Scoring candidate HTSUS lines for a product description: pure, from the data it is given.

Two kinds of evidence, each searched with Okapi BM25 (Robertson and Zaragoza, "The
Probabilistic Relevance Framework: BM25 and Beyond", 2009), held as an inverted index of
precomputed term weights in numpy arrays so that a query is a few vector additions:

- the schedule's own text: each 10-digit statistical line with the descriptions of its
  indented parents (the heading, the subheading, every label above it), because under GRI 1
  classification is "determined according to the terms of the headings" and a line's own
  text ("Other") is often meaningless without them;
- CBP rulings (19 CFR 177): the nearest rulings vote for the 10-digit codes they rule, each
  vote weighted by how close the ruling's text is (a k-nearest-neighbour vote);
- optionally, meaning rather than words (`Semantic`): a sentence encoder's vector of the
  description against a precomputed vector per line, so that "a women's coat of wool" finds
  "Women's or girls' overcoats ... of wool" and "a brake pad press" finds presses for
  shaping mineral products, which share few or no words with them.

The two are blended per 10-digit line, then scored hierarchically: a line also earns part of
the best score in its 6-digit subheading and 4-digit heading, because a description that
fits several lines of one subheading is evidence for that subheading (GRI 6: subheadings
compare only at the same level). Candidates are offered one per subheading first, so that
the broker sees distinct alternatives rather than five statistical suffixes of one line.

Nothing here reads a file, the environment or the network: `corpus` (the shell) loads the
shipped index and hands it over.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from zonekeeper.classify import chemistry
from zonekeeper.classify.text import head_terms, terms


@dataclass(frozen=True)
class ScheduleLine:
    """A 10-digit line: its code, the description path (heading first, the line last) and
    the general (column 1) rate of duty as the schedule prints it."""

    hts: str
    path: tuple[str, ...]
    general: str


@dataclass(frozen=True)
class Ruling:
    """A CBP ruling: its number, date, the codes it rules and the product text. A code is a
    10-digit line or, where only the subheading is known, a 6-digit subheading (the ruling
    then speaks for every line of it)."""

    number: str
    date: str
    codes: tuple[str, ...]
    subject: str
    text: str


@dataclass(frozen=True)
class Evidence:
    """Why a candidate is offered: a ruling (number, subject) or the schedule text."""

    kind: str  # "ruling" or "schedule"
    reference: str  # the ruling number, or the HTS line
    text: str


@dataclass(frozen=True)
class Candidate:
    hts: str
    description: str
    general: str
    score: float
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class Semantic:
    """Dense evidence: `embed` turns text into a unit vector; `vectors` holds precomputed
    unit vectors of schedule text (one per heading, say) and `owner[n]` is the row of
    `vectors` that speaks for line n, so that one vector can serve many lines.

    `fine_vectors` and `fine_owner` (optional) do the same one level down, one vector per
    6-digit subheading: the heading's vector tells "a coat" from "a pump", the
    subheading's tells "of wool" from "of cotton" within the heading (GRI 6: subheadings
    compare only with subheadings of the same heading, so their text is embedded with
    their own provisions first and the heading's after)."""

    embed: Callable[[str], NDArray[np.float32]]
    vectors: NDArray[np.float32]
    owner: NDArray[np.int32]
    fine_vectors: NDArray[np.float32] | None = None
    fine_owner: NDArray[np.int32] | None = None

    def similarity(self, description: str) -> NDArray[np.float32]:
        """Each line's cosine similarity to the description, below zero counted as zero."""
        return self.similarities(self.embed(description))[0]

    def similarities(self, query: NDArray[np.float32]
                     ) -> tuple[NDArray[np.float32], NDArray[np.float32] | None]:
        """Each line's similarity through its heading's vector and, when there are fine
        vectors, through its subheading's (below zero counted as zero)."""
        near: NDArray[np.float32] = np.maximum(self.vectors @ query, 0).astype(np.float32)
        coarse: NDArray[np.float32] = near[self.owner]
        if self.fine_vectors is None or self.fine_owner is None:
            return coarse, None
        fine_near = np.maximum(self.fine_vectors @ query, 0).astype(np.float32)
        fine: NDArray[np.float32] = fine_near[self.fine_owner]
        return coarse, fine


@dataclass(frozen=True)
class Tuning:
    """The method's parameters (chosen by measurement: docs/performance.md)."""

    k1: float = 1.2
    b: float = 0.75
    own_weight: int = 2  # the line's own description counts this many times
    rulings_k: int = 10  # rulings that vote
    ruling_weight: float = 0.6
    subheading_weight: float = 0.3
    heading_weight: float = 0.15
    semantic_weight: float = 0.25  # the heading vectors' similarity against the lexical score
    semantic_floor: float = 0.2  # cosine similarity that counts as none
    fine_weight: float = 0.5  # the subheading vectors' similarity, when there are any
    fine_floor: float = 0.3
    head_weight: float = 2.0  # a term of the product's own noun phrase counts this many times
    chemistry_weight: float = 1.5  # the heading a chemical name's functions point to (Note 3)


class _Bm25:
    """Okapi BM25 over token lists, as one inverted index: the (term, document) pairs sorted
    by term, each with its precomputed weight, and where each term's run starts."""

    def __init__(self, docs: Sequence[Sequence[str]], k1: float, b: float) -> None:
        self.size = len(docs)
        self.k1 = k1
        self.vocabulary: dict[str, int] = {}
        ids = [self.vocabulary.setdefault(t, len(self.vocabulary)) for d in docs for t in d]
        lengths = np.array([len(d) for d in docs], dtype=np.int64)
        owner = np.repeat(np.arange(self.size, dtype=np.int64), lengths)
        key = np.asarray(ids, dtype=np.int64) * max(self.size, 1) + owner
        pairs, tf = np.unique(key, return_counts=True)  # sorted by term, then document
        term = pairs // max(self.size, 1)
        self.doc = (pairs % max(self.size, 1)).astype(np.int32)
        average = float(lengths.mean()) if self.size else 1.0
        norm = k1 * (1 - b + b * lengths[self.doc] / (average or 1.0))
        df = np.bincount(term, minlength=len(self.vocabulary))
        self.idf = np.log1p((self.size - df + 0.5) / (df + 0.5))
        self.weight = (tf * (k1 + 1) / (tf + norm) * self.idf[term]).astype(np.float32)
        self.start = np.concatenate(([0], np.cumsum(df))).astype(np.int64)

    def ceiling(self, query: Iterable[str]) -> float:
        """The most any document could score: every query term, frequency saturated."""
        found = [self.vocabulary[t] for t in set(query) if t in self.vocabulary]
        return float(self.idf[found].sum()) * (self.k1 + 1)

    def scores(self, query: Iterable[str],
               boost: Mapping[str, float] | None = None) -> NDArray[np.float32]:
        """Each document's BM25 score; a term in `boost` counts that many times."""
        out = np.zeros(self.size, dtype=np.float32)
        for t in set(query):
            number = self.vocabulary.get(t)
            if number is not None:
                start, end = self.start[number], self.start[number + 1]
                weight = self.weight[start:end]
                factor = boost.get(t, 1.0) if boost else 1.0
                out[self.doc[start:end]] += weight if factor == 1.0 else weight * factor
        return out


@dataclass
class Index:
    """The searchable corpus: build once (`Index.build`), then `suggest` many times."""

    lines: list[ScheduleLine]
    rulings: list[Ruling]
    tuning: Tuning
    _schedule: _Bm25 = field(repr=False)
    _rulings: _Bm25 = field(repr=False)
    _ruling_lines: list[NDArray[np.int32]] = field(repr=False)
    _ruling_shares: list[float] = field(repr=False)
    _subheading: NDArray[np.int32] = field(repr=False)
    _heading: NDArray[np.int32] = field(repr=False)
    _of_heading: dict[str, NDArray[np.int32]] = field(repr=False)
    semantic: Semantic | None = field(default=None, repr=False)

    @classmethod
    def build(cls, lines: Sequence[ScheduleLine], rulings: Sequence[Ruling],
              tuning: Tuning | None = None, semantic: Semantic | None = None) -> Index:
        tuning = tuning or Tuning()
        lines = list(lines)
        if semantic is not None:
            for owner in (semantic.owner, semantic.fine_owner):
                if owner is not None and owner.shape[0] != len(lines):
                    raise ValueError(f"{owner.shape[0]} vector owners for {len(lines)} lines")
        position = {line.hts: n for n, line in enumerate(lines)}
        known: dict[str, list[str]] = {}  # a parent's text is shared by many lines

        def of(text: str) -> list[str]:
            found = known.get(text)
            if found is None:
                found = known[text] = terms(text)
            return found

        docs = [of(line.path[-1]) * tuning.own_weight
                + [t for parent in line.path[:-1] for t in of(parent)] for line in lines]
        of_subheading: dict[str, list[int]] = {}
        of_heading: dict[str, list[int]] = {}
        for n, line in enumerate(lines):
            of_subheading.setdefault(line.hts[:6], []).append(n)
            of_heading.setdefault(line.hts[:4], []).append(n)

        def ruled(code: str) -> list[int]:
            n = position.get(code)
            return [n] if n is not None else of_subheading.get(code, []) if len(code) == 6 else []

        kept = [r for r in rulings if any(ruled(c) for c in r.codes)]
        ruling_docs = [terms(r.subject + " " + r.text) for r in kept]
        ruling_lines = [np.asarray([n for c in r.codes for n in ruled(c)], dtype=np.int32)
                        for r in kept]
        # a vote is shared among the codes a ruling rules, not the lines they cover
        ruling_shares = [1.0 / sum(1 for c in r.codes if ruled(c)) for r in kept]
        return cls(
            lines, kept, tuning,
            _Bm25(docs, tuning.k1, tuning.b),
            _Bm25(ruling_docs, tuning.k1, tuning.b),
            ruling_lines,
            ruling_shares,
            _groups([line.hts[:6] for line in lines]),
            _groups([line.hts[:4] for line in lines]),
            {h: np.asarray(ns, dtype=np.int32) for h, ns in of_heading.items()},
            semantic,
        )

    def suggest(self, description: str, top: int = 5) -> list[Candidate]:
        """The `top` best candidate lines for `description`, best first (empty when no word
        of it is in the corpus)."""
        scored = self._score(description)
        if scored is None:
            return []
        total, votes = scored
        return self._pick(total, votes, top)

    def line_scores(self, description: str) -> NDArray[np.float32] | None:
        """Every line's final score for `description` (the order `suggest` draws its
        candidates from), or None when no word of it is in the corpus. For measurement:
        where the right subheading ranks when it is not among the five shown tells whether
        a miss is the ranking's (it is near) or the evidence's (it is nowhere)."""
        scored = self._score(description)
        return None if scored is None else scored[0]

    def _score(self, description: str
               ) -> tuple[NDArray[np.float32], dict[int, list[tuple[float, int]]]] | None:
        query = terms(description)
        if not query or not self.lines:
            return None
        t = self.tuning
        boost = (dict.fromkeys(head_terms(description), t.head_weight)
                 if t.head_weight != 1.0 else None)
        schedule = self._schedule.scores(query, boost)
        best = float(schedule.max())
        score = schedule / best if best > 0 else schedule.copy()
        votes: dict[int, list[tuple[float, int]]] = {}
        if self.rulings:
            near = self._rulings.scores(query, boost)
            order = np.argsort(-near)[: t.rulings_k]
            # a ruling's vote is its share of a perfect match, not its rank among rulings:
            # with a small corpus the nearest ruling may share one common word
            ceiling = self._rulings.ceiling(query)
            for r in order:
                weight = float(near[r]) / ceiling if ceiling > 0 else 0.0
                if weight <= 0:
                    break
                codes = self._ruling_lines[r]
                score[codes] += np.float32(t.ruling_weight * weight * self._ruling_shares[r])
                for c in codes.tolist():
                    votes.setdefault(c, []).append((weight, int(r)))
        self._chemistry(description, score)
        if float(score.max()) <= 0:
            return None
        if self.semantic is not None:
            coarse, fine = self.semantic.similarities(self.semantic.embed(description))
            score += _share(coarse, t.semantic_floor, t.semantic_weight)
            if fine is not None:
                score += _share(fine, t.fine_floor, t.fine_weight)
        total = score.copy()
        for groups, weight in ((self._subheading, t.subheading_weight),
                               (self._heading, t.heading_weight)):
            group_best = np.zeros(int(groups.max()) + 1, dtype=np.float32)
            np.maximum.at(group_best, groups, score)
            total += np.float32(weight) * group_best[groups]
        return total, votes

    def _chemistry(self, description: str, score: NDArray[np.float32]) -> None:
        """A chemical name's functional groups vote for their Chapter 29 headings: the last
        in numerical order (Note 3) at `chemistry_weight`, the others at half of it."""
        weight = self.tuning.chemistry_weight
        named = chemistry.headings(description) if weight else []
        for n, heading in enumerate(reversed(named)):
            lines = self._of_heading.get(heading)
            if lines is not None:
                score[lines] += np.float32(weight if n == 0 else weight / 2)

    def _pick(self, total: NDArray[np.float32], votes: dict[int, list[tuple[float, int]]],
              top: int) -> list[Candidate]:
        """One line per subheading first, then the next best lines, `top` in all."""
        order = np.argsort(-total)[: max(top * 40, 200)]
        chosen: list[int] = []
        seen: set[int] = set()
        for n in order.tolist():
            if total[n] <= 0 or len(chosen) == top:
                break
            if int(self._subheading[n]) not in seen:
                seen.add(int(self._subheading[n]))
                chosen.append(n)
        for n in order.tolist():
            if len(chosen) == top or total[n] <= 0:
                break
            if n not in chosen:
                chosen.append(n)
        chosen.sort(key=lambda n: -float(total[n]))
        best = float(total[chosen[0]]) if chosen else 1.0
        return [self._candidate(n, float(total[n]) / best, votes.get(n, [])) for n in chosen]

    def _candidate(self, n: int, score: float,
                   votes: list[tuple[float, int]]) -> Candidate:
        line = self.lines[n]
        evidence = [Evidence("ruling", self.rulings[r].number, self.rulings[r].subject)
                    for _w, r in sorted(votes, reverse=True)[:3]]
        evidence.append(Evidence("schedule", _dotted(line.hts), " > ".join(line.path)))
        return Candidate(line.hts, describe(line.path), line.general, round(score, 3),
                         tuple(evidence))


def describe(path: Sequence[str]) -> str:
    """The line's text with as many parents as make it say something: "Other" alone, or
    "Men's (338)", tells a reader nothing without the provision above it (four at most)."""
    shown = [path[-1]]
    for parent in reversed(path[:-1]):
        if len(shown) == 4 or sum(len(p) for p in shown if p != "Other") >= 40:
            break
        shown.insert(0, parent)
    return " > ".join(shown)


def _share(similarity: NDArray[np.float32], floor: float, weight: float
           ) -> NDArray[np.float32]:
    """Dense evidence as the lexical score is counted, a share of the best line's: the
    similarity above `floor` (what unrelated texts reach counts nothing), scaled so that
    the most similar line earns `weight`."""
    above = similarity - np.float32(floor)
    ceiling = float(above.max())
    if ceiling <= 0:
        return np.zeros_like(similarity)
    out: NDArray[np.float32] = np.float32(weight / ceiling) * np.maximum(above, 0)
    return out


def _groups(keys: Sequence[str]) -> NDArray[np.int32]:
    numbering: dict[str, int] = {}
    return np.asarray([numbering.setdefault(k, len(numbering)) for k in keys],
                      dtype=np.int32)


def _dotted(digits: str) -> str:
    """'7324100010' -> '7324.10.00.10'."""
    return ".".join([digits[:4], digits[4:6], digits[6:8], digits[8:]]).rstrip(".")
