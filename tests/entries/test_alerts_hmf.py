"""Alerts (19 CFR 146 deadlines) and quarterly HMF (CBP Form 349), pure."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zonekeeper.app.outputs.entries import HmfDoc
from zonekeeper.errors import InputError
from zonekeeper.io.documents import hmf_html, hmf_pdf
from zonekeeper.workdays import federal_holidays, is_working_day, working_days_after
from zonekeeper.zone.alerts import (
    AlertInputs,
    CountFinding,
    SuspenseHold,
    TransferPermit,
    alerts,
)
from zonekeeper.zone.hmf import ModeConflict, Quarter, ZoneAdmission, admissions_of, hmf_quarter

D = Decimal


def kinds(inp: AlertInputs) -> dict[str, list]:  # type: ignore[type-arg]
    out: dict[str, list] = {}  # type: ignore[type-arg]
    for a in alerts(inp):
        out.setdefault(a.kind, []).append(a)
    return out


def test_permit_must_be_removed_within_5_working_days() -> None:
    permit = TransferPermit("P1", "S1", issued_on=date(2026, 8, 27))  # Thursday
    # Labor Day 2026-09-07 is not a working day: Fri 28, Mon 31, Tue 1, Wed 2, Thu 3 Sep
    [a] = kinds(AlertInputs(as_of=date(2026, 9, 1), permits=[permit]))["permit_not_removed"]
    assert a.due == date(2026, 9, 3) and not a.overdue
    [late] = kinds(AlertInputs(as_of=date(2026, 9, 4), permits=[permit]))["permit_not_removed"]
    assert late.overdue
    removed = TransferPermit("P1", "S1", date(2026, 8, 27), removed_on=date(2026, 8, 28))
    assert "permit_not_removed" not in kinds(AlertInputs(as_of=date(2026, 9, 4), permits=[removed]))


def test_overage_needs_a_214_within_5_days_and_shortage_is_reported() -> None:
    over = CountFinding("L1", "W", "overage", D(3), date(2026, 8, 7), None, False)
    short = CountFinding(
        "L2",
        "W",
        "shortage",
        D(-10),
        date(2026, 8, 7),
        D("360.00"),
        True,
        ("50% of the lot and $360 duty",),
    )
    small = CountFinding("L3", "W", "shortage", D(-1), date(2026, 8, 7), D("2.00"), False)
    found = kinds(AlertInputs(as_of=date(2026, 8, 10), findings=[over, short, small]))
    assert found["overage_undocumented"][0].due == date(2026, 8, 12)
    assert [a.subject for a in found["shortage_reportable"]] == ["lot L2 (W)"]
    resolved = CountFinding(
        "L1", "W", "overage", D(3), date(2026, 8, 7), None, False, resolved=True
    )
    assert "overage_undocumented" not in kinds(
        AlertInputs(as_of=date(2026, 8, 10), findings=[resolved])
    )


def test_reconciliation_90_days_and_certification_10_working_days_after() -> None:
    found = kinds(AlertInputs(as_of=date(2026, 2, 1), zone_opened=date(2025, 1, 1)))
    [recon] = found["reconciliation_due"]
    [cert] = found["certification_due"]
    assert recon.due == date(2026, 3, 31)  # 2025-12-31 + 90 days
    assert cert.due == date(2026, 4, 14)  # 10 business days after 31 March
    assert not recon.overdue
    # a zone opened after the year end owes no reconciliation for that year
    assert "reconciliation_due" not in kinds(
        AlertInputs(as_of=date(2026, 2, 1), zone_opened=date(2026, 1, 15))
    )
    # filed reports stop the alerts
    done = AlertInputs(
        as_of=date(2026, 2, 1),
        reconciliations_done=frozenset({2025}),
        certifications_done=frozenset({2025}),
    )
    assert not {"reconciliation_due", "certification_due"} & set(kinds(done))


def test_suspense_items_are_listed() -> None:
    hold = SuspenseHold("SUS-1", date(2026, 8, 4), "W", D(5), "no 214 yet")
    [a] = kinds(AlertInputs(as_of=date(2026, 8, 10), suspense=[hold]))["in_suspense"]
    assert "146.22(c)" in a.citation and "no 214 yet" in a.message


def test_federal_holidays_observed() -> None:
    assert date(2026, 7, 3) in federal_holidays(2026)  # 4 July on a Saturday
    assert date(2027, 12, 31) in federal_holidays(2027)  # 1 Jan 2028 is a Saturday
    assert not is_working_day(date(2026, 11, 26))  # Thanksgiving
    assert working_days_after(date(2026, 12, 24), 1) == date(2026, 12, 28)


@given(
    st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)),
    st.integers(min_value=1, max_value=30),
)
def test_business_days_after_lands_on_a_business_day(start: date, n: int) -> None:
    end = working_days_after(start, n)
    assert is_working_day(end) and end > start
    assert (end - start).days >= n


def test_hmf_quarter_sums_vessel_admissions_and_rounds_once() -> None:
    rate = D("0.00125")
    adms = [
        ZoneAdmission("A1", date(2026, 7, 1), D("1000.40"), "vessel"),
        ZoneAdmission("A2", date(2026, 9, 30), D("1000.40"), "Vessel"),
        ZoneAdmission("A3", date(2026, 8, 1), D("5000"), "truck"),
        ZoneAdmission("A4", date(2026, 8, 2), D("5000"), None),
        ZoneAdmission("A5", date(2026, 10, 1), D("5000"), "vessel"),
    ]
    q = hmf_quarter(Quarter.parse("2026Q3"), adms, lambda on: rate)
    assert [line.admission_no for line in q.lines] == ["A1", "A2"]
    assert q.fee == D("2.50")  # 2,000.80 x 0.125% = 2.501 -> 2.50, rounded once
    assert q.not_vessel == ("A3",) and q.mode_unknown == ("A4",)
    assert q.due == date(2026, 10, 31) and q.class_code == "505"


def test_an_admission_whose_lines_disagree_on_the_mode_is_reported_not_settled() -> None:
    """Lines of one admission by vessel and by truck (or with no mode): which cargo owes HMF
    cannot be decided, so the admission is listed apart with its modes; taking the mode of
    the last line read (as before) charged or dropped the fee on a guess."""
    rate = D("0.00125")
    lines = [
        ZoneAdmission("A1", date(2026, 7, 1), D("1000"), "vessel"),
        ZoneAdmission("A1", date(2026, 7, 1), D("1000"), "truck"),
        ZoneAdmission("A2", date(2026, 7, 2), D("1000"), "truck"),
        ZoneAdmission("A2", date(2026, 7, 2), D("1000"), "vessel"),
        ZoneAdmission("A3", date(2026, 7, 3), D("400"), "Vessel"),
        ZoneAdmission("A3", date(2026, 7, 3), D("400"), " vessel "),
        ZoneAdmission("A4", date(2026, 7, 4), D("500"), "air"),
        ZoneAdmission("A4", date(2026, 7, 4), D("500"), None),
    ]
    q = hmf_quarter(Quarter.parse("2026Q3"), admissions_of(lines), lambda on: rate)
    assert [line.admission_no for line in q.lines] == ["A3"]  # same mode, any spelling
    assert q.value == D("800") and q.fee == D("1.00")
    assert q.mode_conflict == (ModeConflict("A1", ("vessel", "truck")),
                               ModeConflict("A2", ("truck", "vessel")),
                               ModeConflict("A4", ("air", "not recorded")))
    assert q.not_vessel == () and q.mode_unknown == ()
    doc = HmfDoc.of(q).document()
    assert doc["mode_conflict"][0] == {"admission_no": "A1", "modes": ["vessel", "truck"]}
    assert "A4 (air, not recorded)" in hmf_html(doc)
    assert hmf_pdf(doc).startswith(b"%PDF")


def test_quarter_parsing() -> None:
    assert Quarter.parse("2026q4").end == date(2026, 12, 31)
    assert Quarter.parse("2026Q1").payment_due == date(2026, 4, 30)
    with pytest.raises(InputError):
        Quarter.parse("2026Q5")


def test_tracked_filings_keep_an_old_unfiled_summary_and_clear_what_was_filed(
    npf_removal,  # type: ignore[no-untyped-def]
) -> None:
    from zonekeeper.zone.weekly import EstimatedEntry, EstimateLine, Week

    week = Week.parse("2026-W10")
    r = npf_removal("S1", date(2026, 3, 4), D(100), quantity=D(5))
    late = date(2027, 3, 1)  # far past the 90-day window of untracked books
    assert "entry_summary_due" not in kinds(AlertInputs(as_of=late, removals=[r]))
    tracked = AlertInputs(as_of=late, consumption_weeks=frozenset({week}), filings_tracked=True)
    [due] = kinds(tracked)["entry_summary_due"]
    assert due.overdue and due.subject == "2026-W10"
    filed = AlertInputs(
        as_of=late, consumption_weeks=frozenset({week}), filings_tracked=True,
        summaries_filed=frozenset({week}),
    )
    assert "entry_summary_due" not in kinds(filed)
    # an estimate exceeded is answered by a supplemental 3461 recorded for the week
    line = EstimateLine("UNIT", "8418.69.01.80", D(2), "No.", D(40), D(40))
    est = EstimatedEntry(week, date(2026, 3, 1), (line,))
    over = AlertInputs(as_of=date(2026, 3, 6), removals=[r], estimates=[est])
    assert "estimate_exceeded" in kinds(over)
    answered = AlertInputs(
        as_of=date(2026, 3, 6), removals=[r], estimates=[est],
        supplementals_filed={week: date(2026, 3, 5)},
    )
    assert "estimate_exceeded" not in kinds(answered)
    # a reportable shortage with its written report made is no longer listed
    short = CountFinding("L2", "W", "shortage", D(-10), date(2026, 8, 7), D("360"), True,
                         reported=True)
    assert "shortage_reportable" not in kinds(AlertInputs(as_of=date(2026, 8, 10),
                                                          findings=[short]))
