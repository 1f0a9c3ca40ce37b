"""Chemical names read for their functional groups (`classify.chemistry`): the Chapter 29
headings they name, Note 3's last heading for a compound of several functions, heading 2922
for an amine with an oxygen function, and nothing for a product that is not a chemical."""

from __future__ import annotations

import numpy as np
import pytest

from zonekeeper.classify.chemistry import headings, is_chemical
from zonekeeper.classify.core import Index, ScheduleLine, Tuning


@pytest.mark.parametrize(
    ("name", "named"),
    [  # the classification is the last heading (Chapter 29, Note 3)
        ("Sodium methoxide, CAS 124-41-4", ["2905"]),  # a metal alcoholate
        ("2-Chlorotoluene", ["2903"]),
        ("4-Chlorophenol", ["2903", "2907"]),
        ("Ethyl acetate in bulk", ["2915"]),
        ("2-Methoxyethyl ether", ["2909"]),
        ("4-Hydroxybenzaldehyde", ["2912"]),
        ("Benzyl cyanide", ["2926"]),
        ("3-Methylpyridine", ["2933"]),
        ("2-Mercaptobenzothiazole", ["2930", "2934"]),
        ("Amoxicillin trihydrate powder", ["2941"]),
        ("pure acetone", ["2914"]),
        ("sodium benzoate", ["2916"]),
        ("Calcium citrate powder", ["2918"]),
    ],
)
def test_a_name_points_to_its_functions_headings(name: str, named: list[str]) -> None:
    assert headings(name) == named


def test_an_amine_with_an_oxygen_function_is_2922() -> None:
    assert headings("4-Aminobenzoic acid") == ["2922"]  # not 2916 (benzoic) nor 2921
    assert headings("2-Aminoethanol") == ["2922"]
    assert headings("N,N-Dimethylaniline") == ["2921"]  # no oxygen: an amine


def test_a_salt_of_a_base_is_not_a_halogen_derivative() -> None:
    assert "2903" not in headings("Sertraline hydrochloride USP")


@pytest.mark.parametrize(
    "product",
    ["polyethylene film", "ethylene vinyl acetate copolymer pellets", "menthol cigarettes",
     "acetone wipes", "coffee from Ethiopia", "sodium cyanide", "a stainless steel sink",
     "women's knit sweater of 80% acrylic", "chloroprene rubber sheets",
     "woven fabric of acetate filament yarns", "acetate sunglasses frames"],
)
def test_products_that_are_not_chapter_29_chemicals_name_no_heading(product: str) -> None:
    assert headings(product) == []


def test_a_cas_number_or_a_locant_marks_a_chemical_name() -> None:
    assert is_chemical("Selegiline, CAS 14611-51-9")
    assert is_chemical("cis-2-Butene")
    assert not is_chemical("a brake pad press")


LINES = [
    ScheduleLine("2818200000", ("Artificial corundum; aluminum oxide; aluminum hydroxide",
                                "Aluminum oxide, other than artificial corundum"), "Free"),
    ScheduleLine("2905190000", ("Acyclic alcohols and their derivatives",
                                "Saturated monohydric alcohols", "Other"), "5.5%"),
    ScheduleLine("2921420000", ("Amine-function compounds", "Aromatic monoamines",
                                "Aniline derivatives and their salts"), "6.5%"),
]


def test_the_index_votes_for_the_heading_the_name_points_to() -> None:
    """Aluminum isopropoxide shares "aluminum" with heading 2818 and nothing with 2905, but
    "-oxide" after an alkyl is an alcoholate, classified with the alcohols."""
    name = "Aluminum isopropoxide"
    without = Index.build(LINES, [], Tuning(chemistry_weight=0)).suggest(name)
    assert [c.hts for c in without] == ["2818200000"]
    found = Index.build(LINES, []).suggest(name)
    assert found[0].hts == "2905190000"


def test_the_vote_adds_nothing_for_other_products() -> None:
    index = Index.build(LINES, [])
    scores = index.line_scores("aluminum oxide powder")
    assert scores is not None
    assert int(np.argmax(scores)) == 0
