"""`component_refunds` of a limited or capped designation, in exact integer ratios, against
the same rule worked in `fractions.Fraction` (the figures the plan printed before the ratios
replaced the fractions for speed): every component equal, digit for digit."""

from __future__ import annotations

from collections import defaultdict
from decimal import Context, Decimal, localcontext
from fractions import Fraction

from drawback_helpers import exp, imp
from hypothesis import given, settings
from hypothesis import strategies as st

from zonekeeper.drawback.amounts import RATE, Allowed, LineBasis, component_refunds, line_bases
from zonekeeper.drawback.measures import DefaultPolicy, DutyClass, ImportCharge, duty_class
from zonekeeper.drawback.plan import allowance, lesser_of_text
from zonekeeper.drawback.records import ClaimType
from zonekeeper.drawback.rules import Demand


def _in_fractions(basis: LineBasis, qty: Decimal, allowed: Allowed) -> dict[str, Decimal]:
    """190.51(b)(2)(v), (b)(4): each component x quantity x its class's limit / the class's
    own exact refund per unit, x cap / the limits' total when a USMCA cap binds."""
    own = basis.refund_by_class
    q_line = Fraction(basis.line.quantity)
    paid_by_class: dict[DutyClass, Fraction] = defaultdict(Fraction)
    for paid in basis.paid:
        if paid.eligible and paid.component is not ImportCharge.MPF:
            paid_by_class[duty_class(paid.component)] += Fraction(paid.amount)
    exact_own = {cls: (Fraction(figure) if cls is DutyClass.MPF
                       else Fraction(RATE) * paid_by_class[cls] / q_line)
                 for cls, figure in own.items()}
    exact_limit = {cls: (exact_own[cls] if own.get(cls) == figure else Fraction(figure))
                   for cls, figure in allowed.by_class.items()}
    scale = Fraction(1)
    if allowed.capped and allowed.cap is not None:
        scale = Fraction(allowed.cap) / sum(exact_limit.values(), Fraction(0))
    out: dict[str, Decimal] = {}
    for paid in basis.paid:
        if not paid.eligible:
            continue
        cls = duty_class(paid.component)
        own_c = exact_own.get(cls)
        if not own_c:
            out[paid.component.value] = Decimal(0)
            continue
        limit = exact_limit.get(cls, Fraction(0))
        if paid.component is ImportCharge.MPF:
            figure = Fraction(qty) * limit * scale
        else:
            figure = (Fraction(RATE) * Fraction(paid.amount) * Fraction(qty) * limit
                      / (q_line * own_c) * scale)
        with localcontext(Context(prec=100)):
            out[paid.component.value] = (Decimal(figure.numerator)
                                         / Decimal(figure.denominator))
    return out


_cents = st.integers(min_value=0, max_value=10_000_000).map(lambda c: Decimal(c) / 100)
_share = st.one_of(st.none(), st.fractions(min_value=0, max_value=1))


@settings(max_examples=400, deadline=None)
@given(duty=_cents, s301=_cents, s232=_cents, hmf=_cents, mpf=st.one_of(st.none(), _cents),
       line_qty=st.integers(min_value=1, max_value=10**9), places=st.integers(0, 6),
       take=st.fractions(min_value=0, max_value=1),
       duty_limit=_share, mpf_limit=_share, hmf_limit=_share, cap=_share)
def test_limited_and_capped_components_are_the_exact_fractions(
    duty: Decimal, s301: Decimal, s232: Decimal, hmf: Decimal, mpf: Decimal | None,
    line_qty: int, places: int, take: Fraction, duty_limit: Fraction | None,
    mpf_limit: Fraction | None, hmf_limit: Fraction | None, cap: Fraction | None,
) -> None:
    quantity = Decimal(line_qty).scaleb(-places)
    line = imp("E1", 1, "2026-01-10", "8414308030", str(quantity), duty, duty_301=s301,
               duty_232=s232, hmf=hmf, mpf=mpf)
    basis = line_bases([line], ClaimType.J2, DefaultPolicy())[line.key]
    qty = (quantity * Decimal(take.numerator) / Decimal(take.denominator)).quantize(
        Decimal(1).scaleb(-places))
    # Each class: its own figure (no limit) or a share of it, as the exported article's
    # would-owe limits it (`plan.allowance`); the whole: a USMCA cap or none.
    shares = {DutyClass.DUTY: duty_limit, DutyClass.MPF: mpf_limit, DutyClass.HMF: hmf_limit}
    by_class = {cls: (figure if shares[cls] is None
                      else figure * shares[cls].numerator / shares[cls].denominator)
                for cls, figure in basis.refund_by_class.items()}
    total = sum(by_class.values(), Decimal(0))
    allowed = Allowed(by_class, None if cap is None else total * cap.numerator / cap.denominator)
    got = component_refunds(basis, qty, allowed)
    want = _in_fractions(basis, qty, allowed)
    assert got == want
    if allowed.capped or allowed.by_class != basis.refund_by_class:
        # The ratios' path: the same digits too (the unlimited path writes its own).
        assert {k: str(v) for k, v in got.items()} == {k: str(v) for k, v in want.items()}


def test_a_class_limit_that_is_whole_cents_is_exact() -> None:
    """Duty 975.00 on 231 units (own 4.1785714285...) limited to 2.925 a unit by what the
    export would owe: 120 units refund exactly 351.00, and HMF, not limited, its own
    0.99 x 46.20 x 120/231 = 23.76 exactly."""
    line = imp("E1", 1, "2026-01-10", "8414308030", 231, Decimal("975.00"),
               hmf=Decimal("46.20"))
    basis = line_bases([line], ClaimType.J2, DefaultPolicy())[line.key]
    allowed = Allowed({DutyClass.DUTY: Decimal("2.925"),
                       DutyClass.HMF: basis.refund_by_class[DutyClass.HMF]})
    assert component_refunds(basis, Decimal(120), allowed) == {
        "duty": Decimal("351"), "hmf": Decimal("23.76")}


def test_a_limit_at_or_above_every_class_leaves_the_line_its_own_figures() -> None:
    """`allowance` hands back the line's own figures when the export side limits no class
    (a limit equal to the line's own figure does not bind either), and the class limits
    otherwise, class by class (190.51(b)(2)(v), (b)(4))."""
    line = imp("E1", 1, "2026-01-10", "8414308030", 7, Decimal("1.00"), mpf=Decimal("30.00"))
    basis = line_bases([line], ClaimType.J2, DefaultPolicy())[line.key]
    own = basis.refund_by_class  # duty 0.1414285714..., MPF 4.24
    export = exp("X1", "2026-02-01", "8414308030", 7)

    def demand(cap: dict[DutyClass, Decimal]) -> Demand:
        return Demand(0, export, export.export_date, export.hts, None, export.quantity,
                      export.unit, cap, "the test's limit")

    at_own = allowance(basis, demand(dict(own)))
    above = allowance(basis, demand({DutyClass.DUTY: Decimal(1), DutyClass.MPF: Decimal(5)}))
    for allowed in (at_own, above):
        assert allowed == Allowed(own) and allowed.per_unit == basis.refund_per_unit
        assert component_refunds(basis, Decimal(7), allowed) == {"duty": Decimal("0.99"),
                                                                 "mpf": Decimal("29.68")}
        assert lesser_of_text(basis, demand(dict(own)), allowed).startswith(
            "duty paid on the import is the lesser")
    lower = allowance(basis, demand({DutyClass.DUTY: Decimal("0.1"), DutyClass.MPF: Decimal(5)}))
    assert lower.by_class == {DutyClass.DUTY: Decimal("0.1"), DutyClass.MPF: Decimal("4.24")}
    assert component_refunds(basis, Decimal(7), lower) == {"duty": Decimal("0.7"),
                                                           "mpf": Decimal("29.68")}
