"""The document of `zonekeeper classify suggest --json`: the notice that suggestions are for
a broker's review, the schedule revision, and the candidates of one `description` or of
each of a file's `rows`."""

from __future__ import annotations

from typing import ClassVar

from zonekeeper.app.classify import NOTICE, Suggestion, Suggestions
from zonekeeper.app.outputs import Output
from zonekeeper.app.outputs.sparse import Sparse
from zonekeeper.classify.core import Candidate


class EvidenceDoc(Output):
    kind: str
    reference: str
    text: str


class CandidateDoc(Output):
    """One candidate line with its general rate, its score and why it is offered."""

    hts: str
    description: str
    score: float
    general_rate: str
    evidence: list[EvidenceDoc]

    @classmethod
    def of(cls, candidate: Candidate) -> CandidateDoc:
        return cls.model_construct(
            hts=candidate.hts, description=candidate.description, score=candidate.score,
            general_rate=candidate.general,
            evidence=[EvidenceDoc.model_construct(kind=e.kind, reference=e.reference,
                                                  text=e.text) for e in candidate.evidence],
        )  # fmt: skip


class RowDoc(Output):
    sku: str
    description: str
    candidates: list[CandidateDoc]

    @classmethod
    def of(cls, product: Suggestion) -> RowDoc:
        return cls.model_construct(sku=product.sku, description=product.description,
                                   candidates=[CandidateDoc.of(c) for c in product.candidates])


class ClassifySuggest(Sparse):
    """`classify suggest --json`."""

    OPTIONAL: ClassVar[frozenset[str]] = frozenset({"description", "candidates", "rows"})

    notice: str
    revision: str
    description: str | None = None
    candidates: list[CandidateDoc] | None = None
    rows: list[RowDoc] | None = None

    @classmethod
    def of(cls, found: Suggestions) -> ClassifySuggest:
        if found.from_file:
            return cls.model_construct(notice=NOTICE, revision=found.revision,
                                       rows=[RowDoc.of(p) for p in found.products])
        [product] = found.products
        return cls.model_construct(
            notice=NOTICE, revision=found.revision, description=product.description,
            candidates=[CandidateDoc.of(c) for c in product.candidates],
        )  # fmt: skip
