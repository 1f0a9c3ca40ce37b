"""Golden tests: one per shape of real USITC rate text (the shapes of rate_samples.txt),
each with a basis worked by hand and the duty it must give."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from zonekeeper.errors import CannotCompute
from zonekeeper.money import cents
from zonekeeper.tariff.rates import (
    AdValorem,
    Basis,
    Specific,
    SugarDegree,
    parse_additional,
    parse_rate,
    parse_special,
)

# text, value, quantities, content, expected unrounded duty (worked by hand)
GOLDEN = [
    ("Free", "1000", {}, {}, "0"),
    ("6.8%", "1000", {}, {}, "68"),
    ("2.2¢/kg", "0", {"kg": "100"}, {}, "2.2"),
    ("$1.21/kg", "0", {"kg": "10"}, {}, "12.1"),
    ("15.4¢/kg + 52%", "1000", {"kg": "10"}, {}, "521.54"),
    ("15.4¢/kg +58%", "100", {"kg": "10"}, {}, "59.54"),
    ("$9.92/kg+ 25%", "100", {"kg": "1"}, {}, "34.92"),
    ("2.2¢/kg  +  33.5%", "200", {"kg": "100"}, {}, "69.2"),
    ("0.9¢ each", "0", {"each": "1000"}, {}, "9"),
    ("8¢ each + 45%", "10", {"each": "10"}, {}, "5.3"),
    ("$3/head", "0", {"head": "4"}, {}, "12"),
    ("18¢/liter", "0", {"liter": "10"}, {}, "1.8"),
    ("5.99¢/ liter", "0", {"liter": "100"}, {}, "5.99"),
    ("$1.32/pf. liter", "0", {"pf_liter": "10"}, {}, "13.2"),
    ("23.7¢/pf.liter", "0", {"pf_liter": "10"}, {}, "2.37"),
    ("4.4¢/liter + 31.4¢/pf. liter", "0", {"liter": "10", "pf_liter": "5"}, {}, "2.01"),
    ("3.1¢/liter + 22.1¢/pf. liter on ethyl alcohol content", "0",
     {"liter": "100", "pf_liter": "40"}, {}, "11.94"),
    ("7.4¢/kg on drained weight", "0", {}, {"drained_kg": "50"}, "3.7"),
    ("81.6¢/clean kg", "0", {"clean_kg": "10"}, {}, "8.16"),
    ("33.9¢/kg of total sugars + 5.1%", "1000", {}, {"total_sugars_kg": "100"}, "84.9"),
    ("8.8¢/kg on copper content + 3.3¢/kg on lead content + 3.7¢/kg on zinc content", "0", {},
     {"copper_kg": "100", "lead_kg": "10", "zinc_kg": "1"}, "9.167"),
    ("$1.27/m3", "0", {"m3": "2"}, {}, "2.54"),
    ("14.5¢/m2 + 0.4%", "100", {"m2": "10"}, {}, "1.85"),
    ("21¢/bbl", "0", {"bbl": "100"}, {}, "21"),
    ("$1.32/t, including weight of container", "0", {}, {"gross_t": "5"}, "6.6"),
    ("2.8¢/doz.", "0", {"doz": "10"}, {}, "0.28"),
    ("90¢/pr. + 37.5%", "100", {"pr": "10"}, {}, "46.5"),
    ("38.4¢/1000", "0", {"thousand": "5"}, {}, "1.92"),
    ("10¢/1,000 pins + 3.5%", "100", {"thousand": "20"}, {}, "5.5"),
    ("36¢ each + 5.6% + 2¢/jewel", "100", {"each": "1", "jewel": "17"}, {}, "6.30"),
    ("80¢ each + 6% on the case + 2.8% on the strap, band or bracelet + 5.3% on the battery",
     "999", {"each": "10"}, {"case": "50", "strap": "20", "battery": "5"}, "11.825"),
    ("13.5¢/kg + 6.3% + 1.9¢/article", "100", {"kg": "10", "each": "5"}, {}, "7.745"),
    ("2.5% on the value of the lead content", "999", {}, {"lead": "400"}, "10"),
    ("4 percent of the fair retail value", "999", {}, {"fair_retail_value": "250"}, "10"),
    ("The duty provided in the applicable subheading + 25%", "1000", {}, {}, "250"),
    ("The duty provided in the applicable subheading + a duty of 50% upon the value of the "
     "aluminum content.", "1000", {}, {"aluminum": "200"}, "100"),
    ("No change", "1000", {}, {}, "0"),
]


def _basis(value: str, quantities: dict[str, str], content: dict[str, str]) -> Basis:
    return Basis(D(value), {k: D(v) for k, v in quantities.items()},
                 {k: D(v) for k, v in content.items()})


@pytest.mark.parametrize(("text", "value", "quantities", "content", "expected"), GOLDEN)
def test_golden_rate(text: str, value: str, quantities: dict[str, str],
                     content: dict[str, str], expected: str) -> None:
    rate = parse_rate(text)
    assert rate.computable, text
    assert rate.text == text
    assert rate.amount(_basis(value, quantities, content)) == D(expected)
    assert rate.needs == frozenset(quantities) | frozenset(content)


def test_cents_are_exact_dollars() -> None:
    (component,) = parse_rate("2.2¢/kg").components
    assert component == Specific(D("0.022"), "kg")
    assert str(component.amount_per_unit) == "0.022"


def test_fractional_ad_valorem() -> None:
    rate = parse_rate("33 1/3%")
    assert rate.ad_valorem_pct is not None and abs(rate.ad_valorem_pct - D(100) / 3) < D("1e-25")
    assert cents(rate.amount(Basis(D(300)))) == D("100.00")


@pytest.mark.parametrize(("degrees", "expected"), [
    ("100", "36.606"),          # at or above 100 degrees: the full rate
    ("100.5", "36.606"),
    ("96", "35.77928"),         # 3.6606 - 4 x 0.020668 = 3.577928 cents/kg
    ("95.5", "35.67594"),       # 4.5 degrees under: fractions of a degree in proportion
    ("70", "31.43854"),         # would be 3.04056 cents/kg: the floor 3.143854 governs
])
def test_sugar_degree_formula(degrees: str, expected: str) -> None:
    rate = parse_rate("3.6606¢/kg less 0.020668¢/kg for each degree under 100 degrees "
                      "(and fractions of a degree in proportion) but not less than 3.143854¢/kg")
    assert isinstance(rate.components[0], SugarDegree)
    assert rate.needs == {"kg", "degrees"}
    assert rate.amount(Basis(D(0), {"kg": D(1000), "degrees": D(degrees)})) == D(expected)


def test_sugar_without_degrees_says_so() -> None:
    rate = parse_rate("3.6606¢/kg less 0.020668¢/kg for each degree under 100 degrees "
                      "(and fractions of a degree in proportion) but not less than 3.143854¢/kg")
    with pytest.raises(CannotCompute, match="degrees"):
        rate.amount(Basis(D(0), {"kg": D(1000)}))


def test_missing_quantity_names_the_unit() -> None:
    with pytest.raises(CannotCompute, match=r"rate '2.2¢/kg' needs the quantity in kg"):
        parse_rate("2.2¢/kg").amount(Basis(D(100)))
    with pytest.raises(CannotCompute, match="copper_kg"):
        parse_rate("8.8¢/kg on copper content").amount(Basis(D(100), {"kg": D(5)}))
    with pytest.raises(CannotCompute, match="'case'"):
        parse_rate("5% on the case").amount(Basis(D(100)))


def test_quantities_convert_within_a_dimension() -> None:
    assert parse_rate("2.8¢/doz.").amount(Basis(D(0), {"each": D(120)})) == D("0.28")
    assert parse_rate("38.4¢/1000").amount(Basis(D(0), {"each": D(5000)})) == D("1.92")
    assert parse_rate("$1.27/m3").amount(Basis(D(0), {"liter": D(2000)})) == D("2.54")
    assert parse_rate("$1.32/t").amount(Basis(D(0), {"kg": D(500)})) == D("0.66")
    assert parse_rate("$1.32/t, including weight of container").amount(
        Basis(D(0), {}, {"gross_kg": D(5000)})) == D("6.6")


def test_jewels_over_seventeen() -> None:
    rate = parse_rate("$1.5 each + 9¢/jewel over 17 + 6% on the case")
    basis = Basis(D(0), {"each": D(1), "jewel": D(21)}, {"case": D(10)})
    assert rate.amount(basis) == D("1.5") + D("0.36") + D("0.6")


def test_plate_clause_caps_only_when_the_complete_movement_duty_is_given() -> None:
    rate = parse_rate("4.5% + 9¢/jewel + 1.5¢ for each other piece or part, but if consisting "
                      "in part of a plate or a set of plates the total duty shall not exceed the "
                      "duty for the complete movement")
    basis = Basis(D(100), {"jewel": D(10), "piece": D(20)})
    assert rate.amount(basis) == D("4.5") + D("0.9") + D("0.3")
    capped = Basis(D(100), {"jewel": D(10), "piece": D(20)}, {"complete_movement_duty": D(2)})
    assert rate.amount(capped) == D(2)


def test_references_cannot_be_computed_and_say_where_to_look() -> None:
    rate = parse_rate("See 9822.04.01-9822.04.03")
    assert rate.computable and rate.kind == "reference"
    with pytest.raises(CannotCompute, match="9822.04.01-9822.04.03"):
        rate.amount(Basis(D(100)))
    garment = parse_rate("The rate applicable to each garment in the ensemble if separately "
                         "entered")
    with pytest.raises(CannotCompute, match="each garment"):
        garment.amount(Basis(D(100)))


def test_unreadable_text_is_reported_never_zero() -> None:
    rate = parse_rate("12 bananas per fortnight")
    assert not rate.computable
    with pytest.raises(CannotCompute, match="cannot compute automatically: 12 bananas"):
        rate.amount(Basis(D(100)))


def test_chapter_99_text_adds_to_the_base_rate() -> None:
    rate = parse_rate("The duty provided in the applicable subheading + 25%")
    assert rate.adds_to_base and rate.ad_valorem_pct == D(25)
    assert parse_additional("25%").adds_to_base
    assert parse_additional("25%").amount(Basis(D(40))) == D(10)
    content = parse_rate("The duty provided in the applicable subheading + a duty of 50% upon "
                         "the value of the steel content.")
    assert content.components == (AdValorem(D(50), "steel"),)


def test_free_with_a_condition_keeps_it() -> None:
    rate = parse_rate("Free, under bond, as prescribed in U.S. note 2 to this subchapter")
    assert rate.is_free and rate.note is not None and "under bond" in rate.note


SPECIAL = [
    ("Free (A+,AU,BH,CL,CO,D,E,IL,JO,KR,MA,OM,P,PA,PE,S,SG)",
     {"A+": "Free", "SG": "Free", "E": "Free"}, {"A", "K"}),
    ("Free(A, AU, BH,CL, CO, D, E, IL, JO, K, KR, MA, OM, P, PA, PE, S, SG)",
     {"A": "Free", "K": "Free"}, {"A+"}),
    ("Free (A,AU,BH,CL,CO,D,IL,JO,KR, MA,NP,OM,P,PA,PE,S,SG) 16.6% (E)",
     {"NP": "Free", "E": "16.6%"}, {"A*"}),
    ("Free (A+,AU,B,BH,CL,CO,D,E,IL,JO,MA,OM,P,PA,PE,S,SG)25% (KR)",
     {"B": "Free", "KR": "25%"}, set()),
    ("Free (A,AU,BH,CL,CO,D,E,IL,KR,MA,OM,P,PA,PE,S,SG)1.8¢/liter(JO)",
     {"JO": "1.8¢/liter", "A": "Free"}, set()),
    ("Free (A*,BH,CL,CO,D,E*,IL,JO,KR,MA,OM,P,PA,PE,S,SG) See 9822.05.15 (P+)",
     {"A*": "Free", "E*": "Free", "P+": "See 9822.05.15"}, {"A", "P"} - {"P"}),
    ("Free (BH,CL,CO,JO,KR,MA,OM,P,PE,S,SG) See 9822.04.01-9822.04.03 (AU) "
     "See 9919.02.01-9919.02.02 (PA)",
     {"AU": "See 9822.04.01-9822.04.03", "PA": "See 9919.02.01-9919.02.02"}, {"A"}),
    ("$1.035/kg + 13.6% (S+)", {"S+": "$1.035/kg + 13.6%"}, {"S"}),
    ("Free \n(A+, AU, BH, CL, CO, D, E, IL, JO, KR, MA, OM,P, PA, PE, S, SG)",
     {"OM": "Free", "P": "Free"}, set()),
    ("The duty provided in the applicable subheading + 200% (AU, BH, CA, CL, CO, E, IL, JO, KR, "
     "MA, MX, OM, P, PA, PE, SG)",
     {"MX": "The duty provided in the applicable subheading + 200%"}, {"S"}),
]


@pytest.mark.parametrize(("text", "expected", "absent"), SPECIAL)
def test_special_column_groups(text: str, expected: dict[str, str], absent: set[str]) -> None:
    special = parse_special(text)
    assert special.computable
    for spi, rate_text in expected.items():
        assert special[spi].text == rate_text
    for spi in absent:
        assert spi not in special


def test_special_typo_with_a_dangling_parenthesis_still_parses() -> None:
    special = parse_special("Free (BH,CL,JO,KR,MA,OM,P,PE,SG) See 9823.04.01-9823.04.54 (S+) "
                            "See 9919.04.50, 9919.04.57, 9919.04.67 (PA (PA)")
    assert special.computable
    assert special["PA"].reference == "9919.04.50, 9919.04.57, 9919.04.67"


def test_special_without_programs_is_unassigned() -> None:
    special = parse_special("The duty provided in the applicable subheading + 25%")
    assert len(special) == 0
    assert special.unassigned is not None and special.unassigned.adds_to_base


SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "data" / "tariff" / "rate_samples.txt"


@pytest.mark.skipif(not SAMPLES.exists(), reason="shared rate samples not present")
def test_every_published_sample_parses() -> None:
    lines = SAMPLES.read_text(encoding="utf-8").splitlines()
    texts = [line.replace("\\n", "\n") for line in lines if line and not line.startswith("#")]
    assert len(texts) == 50
    for text in texts:
        column = parse_special(text) if "(" in text and "degree" not in text else None
        ok = column.computable if column is not None else parse_rate(text).computable
        assert ok, text
