"""scenarios.md §4 — the car: PF engine and chassis, NPF tires, built in the zone.

At admission the PF engine and chassis duty is what will be owed (frozen); the NPF tires'
duty is an estimate at the tire rate. At exit the engine and chassis appear on their own
lines at their frozen classification; the car line carries the duty on the tires' value
at the car's rate on the filing date. A changed car rate changes only the car line.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from zonekeeper.zone.admission_doc import AdmissionLine, admission_duty
from zonekeeper.zone.entries import WhatIfQuoter, WhatIfRate
from zonekeeper.zone.withdrawal_duty import withdrawal_duty

D = Decimal
ADMITTED = date(2026, 3, 2)
RATES = (
    WhatIfRate("8407.34", "base", "8407.34", D("2.5")),
    WhatIfRate("8706.00", "base", "8706.00", D("4")),
    WhatIfRate("4011.10", "base", "4011.10", D("4")),
    WhatIfRate("8703.23", "base", "8703.23", D("2.5")),
)
# From 2026-06-01 the car's rate rises to 10% (a what-if rate change).
RATES_CHANGED = (*RATES, WhatIfRate("8703.23", "base", "8703.23", D("10"), date(2026, 6, 1)))


def test_engine_and_chassis_on_their_own_lines_tires_at_the_car_rate(car_removal) -> None:  # type: ignore[no-untyped-def]
    result = withdrawal_duty(car_removal(), WhatIfQuoter(RATES), date(2026, 5, 4))
    lines = {(line.status, line.hts): line for line in result.lines}
    assert set(lines) == {("PF", "8407.34"), ("PF", "8706.00"), ("NPF", "8703.23")}
    assert lines[("PF", "8407.34")].duty == D("75.00")  # 3,000 x 2.5%
    assert lines[("PF", "8706.00")].duty == D("80.00")  # 2,000 x 4%
    car = lines[("NPF", "8703.23")]
    assert car.value == D("400")  # the tires' dutiable value, not the car's price
    assert car.duty == D("10.00")  # 400 x 2.5% (car rate)
    assert result.duty == D("165.00")
    assert lines[("PF", "8407.34")].key.pf_date == ADMITTED
    assert "frozen" in lines[("PF", "8407.34")].basis_note


def test_a_changed_car_rate_changes_only_the_car_line(car_removal) -> None:  # type: ignore[no-untyped-def]
    quoter = WhatIfQuoter(RATES_CHANGED)
    before = withdrawal_duty(car_removal(), quoter, date(2026, 5, 4))
    after = withdrawal_duty(car_removal(), quoter, date(2026, 8, 3))
    b = {(line.status, line.hts): line.duty for line in before.lines}
    a = {(line.status, line.hts): line.duty for line in after.lines}
    assert a[("PF", "8407.34")] == b[("PF", "8407.34")]
    assert a[("PF", "8706.00")] == b[("PF", "8706.00")]
    assert (b[("NPF", "8703.23")], a[("NPF", "8703.23")]) == (D("10.00"), D("40.00"))


def test_at_admission_pf_is_owed_npf_is_an_estimate_recomputed_at_exit(car_removal) -> None:  # type: ignore[no-untyped-def]
    quoter = WhatIfQuoter(RATES)
    engine = AdmissionLine("A1", 1, ADMITTED, "ENGINE", "engine", "8407.34", "DE", D(1), "No.",
                           D(3000), "PF", ADMITTED)
    tires = AdmissionLine("A1", 3, ADMITTED, "TIRE", "tires", "4011.10", "KR", D(4), "No.",
                          D(400), "NPF")
    assert admission_duty(engine, quoter).kind == "owed"
    assert admission_duty(engine, quoter).duty == D("75.00")
    estimate = admission_duty(tires, quoter)
    assert (estimate.kind, estimate.duty) == ("estimate", D("16.00"))  # tire rate 4%
    exit_ = withdrawal_duty(car_removal(), quoter, date(2026, 5, 4))
    assert exit_.npf_recompute is not None
    assert exit_.npf_recompute.estimate == D("16.00")
    assert exit_.npf_recompute.at_exit == D("10.00")
    assert exit_.npf_recompute.difference == D("-6.00")


def test_domestic_content_is_neither_dutied_nor_valued(car_removal) -> None:  # type: ignore[no-untyped-def]
    result = withdrawal_duty(car_removal(domestic="1500"), WhatIfQuoter(RATES), date(2026, 5, 4))
    assert result.foreign_value == D("5400")
    assert result.domestic_value == D("1500")
    assert result.duty == D("165.00")
    assert any("domestic content $1,500" in note for note in result.notes)


def test_export_owes_no_duty_and_says_so(car_removal) -> None:  # type: ignore[no-untyped-def]
    from zonekeeper.zone.withdrawal_duty import RemovalDisposition

    exported = car_removal(disposition=RemovalDisposition.EXPORT)
    result = withdrawal_duty(exported, WhatIfQuoter(RATES), date(2026, 5, 4))
    assert result.lines == () and result.duty == D("0")
    assert "no duty owed" in result.notes[0]
