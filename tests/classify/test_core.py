"""The pure scorer on hand-made data: BM25 over schedule paths, the ruling vote, one line
per subheading first, and nothing for a description with no known word."""

from __future__ import annotations

import numpy as np
import pytest

from zonekeeper.classify.core import Index, Ruling, ScheduleLine, Semantic, Tuning, describe
from zonekeeper.classify.text import head_terms, terms

LINES = [
    ScheduleLine("7324100010", ("Sanitary ware of iron or steel", "Sinks of stainless steel",
                                "Stainless steel sinks with drawn bowls"), "3.4%"),
    ScheduleLine("7324100050", ("Sanitary ware of iron or steel", "Sinks of stainless steel",
                                "Other"), "3.4%"),
    ScheduleLine("7323930060", ("Table, kitchen or other household articles of iron or steel",
                                "Of stainless steel", "Kitchen ware"), "2%"),
    ScheduleLine("0712904020", ("Dried vegetables", "Garlic", "Powder or flour"), "29.8%"),
    ScheduleLine("0712904040", ("Dried vegetables", "Garlic", "Other"), "29.8%"),
]


def test_terms_fold_plurals_and_drop_stop_words() -> None:
    assert terms("The Sinks, of stainless STEEL; boxes and 12 glasses") == [
        "sink", "stainless", "steel", "box", "glass"]


def test_schedule_text_finds_its_line() -> None:
    found = Index.build(LINES, []).suggest("stainless steel sink with drawn bowls")
    assert found[0].hts == "7324100010"
    assert found[0].score == 1.0
    assert found[0].evidence[-1].kind == "schedule"


def test_one_line_per_subheading_before_a_second_one() -> None:
    index = Index.build(LINES, [])
    assert [c.hts[:6] for c in index.suggest("stainless steel sink", top=2)] == [
        "732410", "732393"]  # not the second sink line, though it scores higher
    three = index.suggest("stainless steel sink", top=3)
    assert [c.hts for c in three] == ["7324100010", "7324100050", "7323930060"]


def test_a_ruling_votes_for_the_code_it_rules() -> None:
    ruling = Ruling("N270709", "2015-12-15", ("0712904020",), "garlic granules from China",
                    "garlic granules packed in bulk for food ingredients")
    without = Index.build(LINES, []).suggest("garlic granules")
    with_ruling = Index.build(LINES, [ruling]).suggest("garlic granules")
    assert without[0].hts == "0712904040"
    assert with_ruling[0].hts == "0712904020"
    assert with_ruling[0].evidence[0].reference == "N270709"


def test_a_ruling_for_a_code_not_in_the_schedule_is_dropped() -> None:
    stale = Ruling("N000001", "2001-01-01", ("9999999999",), "garlic", "garlic")
    assert Index.build(LINES, [stale]).rulings == []
    gone = Ruling("N000002", "2001-01-01", ("999999",), "garlic", "")
    assert Index.build(LINES, [gone]).rulings == []


def test_a_ruling_known_by_subheading_votes_for_each_of_its_lines_as_one_code() -> None:
    """A ruling that names only a 6-digit subheading speaks for every line of it, each at
    the full weight of one code (not split among the lines), and is cited on each."""
    by_subheading = Ruling("N361510", "2026-06-04", ("732410",), "sinks", "")
    by_line = Ruling("N361511", "2026-06-04", ("7324100010",), "sinks", "")
    both = Ruling("N361512", "2026-06-04", ("732410", "0712904020"), "sinks", "")
    index = Index.build(LINES, [by_subheading])
    scores = index.line_scores("sinks")
    plain = Index.build(LINES, []).line_scores("sinks")
    assert scores is not None and plain is not None
    lift = scores - plain
    assert lift[0] == pytest.approx(lift[1]) and lift[0] > 0  # both sink lines, equally
    assert lift[2] == pytest.approx(0.0)
    one_line = Index.build(LINES, [by_line]).line_scores("sinks")
    assert one_line is not None
    # the whole vote on the one line ruled (plus the subheading blend on its neighbour)
    assert (one_line - plain)[0] == pytest.approx(lift[0])
    halves = Index.build(LINES, [both]).line_scores("sinks")
    assert halves is not None
    assert (halves - plain)[0] == pytest.approx(lift[0] / 2)  # two codes ruled: half each
    cited = {c.hts: [e.reference for e in c.evidence] for c in index.suggest("sinks", top=3)}
    assert "N361510" in cited["7324100010"] and "N361510" in cited["7324100050"]


def test_unknown_words_give_no_candidates() -> None:
    assert Index.build(LINES, []).suggest("zzzz qqqq") == []
    assert Index.build(LINES, []).suggest("the of and") == []


def test_describe_adds_parents_to_a_bare_other() -> None:
    assert describe(("Sinks of stainless steel", "Other")) == "Sinks of stainless steel > Other"
    assert describe(("A heading", "Stainless steel sinks with drawn bowls, long enough text")) \
        == "Stainless steel sinks with drawn bowls, long enough text"


def test_semantic_similarity_lifts_the_heading_it_points_to() -> None:
    """A description's vector near the kitchen-ware heading's outweighs a weaker lexical
    lead; with similarities below the floor it changes nothing."""
    vectors = np.eye(3, dtype=np.float32)  # one vector per heading: sinks, kitchen, garlic
    owner = np.asarray([0, 0, 1, 2, 2], dtype=np.int32)

    def kitchen(_text: str) -> np.ndarray:
        return np.asarray([0.1, 0.9, 0.0], dtype=np.float32)

    lexical = Index.build(LINES, []).suggest("stainless steel sink")
    assert lexical[0].hts[:4] == "7324"
    dense = Index.build(LINES, [], Tuning(semantic_weight=2.0, semantic_floor=0.0),
                        Semantic(kitchen, vectors, owner)).suggest("stainless steel sink")
    assert dense[0].hts == "7323930060"
    floored = Index.build(LINES, [], Tuning(semantic_weight=2.0, semantic_floor=0.95),
                          Semantic(kitchen, vectors, owner)).suggest("stainless steel sink")
    assert [c.hts for c in floored] == [c.hts for c in lexical]


def test_semantic_vectors_must_cover_every_line() -> None:
    vectors = np.eye(2, dtype=np.float32)
    with pytest.raises(ValueError, match="owners for 5 lines"):
        Index.build(LINES, [], semantic=Semantic(lambda _t: vectors[0], vectors,
                                                 np.zeros(3, dtype=np.int32)))


def test_terms_stem_participles_to_the_verb() -> None:
    """The schedule's "knitted or crocheted" is found by a product's "knit"."""
    assert terms("Knitted jackets") == terms("knit jacket") == ["knit", "jacket"]


def test_head_terms_are_the_article_before_its_qualifiers() -> None:
    assert head_terms("a women's knit jacket made from 88% polyester") == [
        "women", "knit", "jacket"]
    assert head_terms("shower grates used in residential showers") == ["shower", "grate"]
    assert head_terms("Hexafluoroisopropanol, CAS # 920-66-1") == ["hexafluoroisopropanol"]
    assert head_terms("of cotton") == []


GARMENTS = [
    ScheduleLine("6102300000", ("Women's or girls' overcoats, anoraks, jackets, knitted",
                                "Of synthetic fibers"), "28.2%"),
    ScheduleLine("6006320000", ("Other knitted fabrics", "Of synthetic fibers",
                                "Dyed polyester fabrics, knitted"), "10%"),
]


def test_the_article_outweighs_its_material_with_the_head_weight() -> None:
    """"A jacket made of knitted polyester fabric" is a jacket (GRI 1: the heading that
    names the article), though "fabric" and "polyester" match the fabric line too."""
    query = "a jacket made of knitted polyester fabric"
    flat = Index.build(GARMENTS, [], Tuning(head_weight=1.0)).suggest(query)
    headed = Index.build(GARMENTS, [], Tuning(head_weight=3.0)).suggest(query)
    assert flat[0].hts == "6006320000"
    assert headed[0].hts == "6102300000"


def test_subheading_vectors_lift_the_subheading_they_point_to() -> None:
    """A description's vector near one subheading's (one vector per 6-digit code)
    outweighs a lexical lead elsewhere; without subheading vectors the lead stands."""
    vectors = np.eye(3, dtype=np.float32)  # one vector per heading: sinks, kitchen, garlic
    owner = np.asarray([0, 0, 1, 2, 2], dtype=np.int32)
    fine = np.eye(3, dtype=np.float32)  # one per subheading: 732410, 732393, 071290
    fine_owner = np.asarray([0, 0, 1, 2, 2], dtype=np.int32)

    def near_kitchen_subheading(_text: str) -> np.ndarray:
        return np.asarray([0.0, 1.0, 0.0], dtype=np.float32)

    tuning = Tuning(semantic_weight=0.0, fine_weight=2.0, fine_floor=0.0)
    coarse = Index.build(LINES, [], tuning, Semantic(near_kitchen_subheading, vectors, owner))
    assert coarse.suggest("stainless steel sink")[0].hts[:6] == "732410"
    finer = Index.build(LINES, [], tuning, Semantic(near_kitchen_subheading, vectors, owner,
                                                    fine, fine_owner))
    assert finer.suggest("stainless steel sink")[0].hts == "7323930060"


def test_subheading_vectors_must_cover_every_line() -> None:
    vectors = np.eye(2, dtype=np.float32)
    with pytest.raises(ValueError, match="3 vector owners for 5 lines"):
        Index.build(LINES, [], semantic=Semantic(
            lambda _t: vectors[0], vectors, np.zeros(5, dtype=np.int32),
            vectors, np.zeros(3, dtype=np.int32)))


def test_line_scores_are_the_order_suggest_draws_from() -> None:
    index = Index.build(LINES, [])
    scores = index.line_scores("stainless steel sink with drawn bowls")
    assert scores is not None and scores.shape == (len(LINES),)
    order = [LINES[n].hts for n in np.argsort(-scores)]
    assert index.suggest("stainless steel sink with drawn bowls", top=1)[0].hts == order[0]
    assert scores[3] == 0.0  # garlic powder shares no word with a sink
    assert index.line_scores("zzzz qqqq") is None
