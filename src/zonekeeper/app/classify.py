"""Classification suggestions: candidate 10-digit HTS lines for product descriptions.

Research for a licensed customs broker's decision (19 CFR 111: classification advice is
customs business; the importer's reasonable care, 19 U.S.C. 1484(a)); the product never
applies a suggestion to an entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from zonekeeper.classify.core import Candidate
from zonekeeper.errors import InputError, Problem
from zonekeeper.io.sku_descriptions import read_sku_file
from zonekeeper.sources.classify_index import load_index

NOTICE = ("Suggestions only, for a licensed customs broker's review: never applied to an "
          "entry. Verify the classification (GRI, section and chapter notes) before use.")
MAX_TOP = 20


@dataclass(frozen=True)
class Suggestion:
    """The candidates for one product (`sku` empty for a description typed alone)."""

    sku: str
    description: str
    candidates: tuple[Candidate, ...]


@dataclass(frozen=True)
class Suggestions:
    """Every product's candidates, the schedule revision the index was built from, and
    whether the products came from a file (`rows`) or one description."""

    revision: str
    products: tuple[Suggestion, ...]
    from_file: bool


def suggest(description: str | None = None, file: Path | None = None,
            top: int = 5) -> Suggestions:  # fmt: skip
    """Up to `top` candidates for a description, or for each `sku,description` row of a
    file; exactly one of the two. Every problem of the request is reported at once."""
    problems = []
    if (description is None) == (file is None):
        problems.append(Problem("give exactly one of --description TEXT or --file FILE",
                                field="description", code="classify.request.one-source"))
    elif description is not None and not description.strip():
        problems.append(Problem("the description is empty", field="description",
                                code="classify.request.empty-description"))
    if not 1 <= top <= MAX_TOP:
        problems.append(Problem(f"--top must be 1 to {MAX_TOP}, not {top}", field="top",
                                code="classify.request.top"))
    if problems:
        raise InputError(problems)
    if file is not None:
        products = read_sku_file(file)
    else:
        assert description is not None
        products = [("", description.strip())]
    index, revision = load_index()
    return Suggestions(
        revision,
        tuple(Suggestion(sku, text, tuple(index.suggest(text, top))) for sku, text in products),
        from_file=file is not None,
    )
