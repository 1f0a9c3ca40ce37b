"""Working days, notices of intent (190.35) and claim windows closing (190.51(e))."""

from __future__ import annotations

from datetime import date

from drawback_helpers import D, exp, imp

from zonekeeper.drawback.alerts import claim_window_alerts, notice_alerts
from zonekeeper.drawback.records import ClaimType, ExportDisposition, PriorDesignation
from zonekeeper.workdays import federal_holidays, is_working_day, working_days_before


def test_federal_holidays_2026():
    days = federal_holidays(2026)
    assert date(2026, 7, 3) in days  # 4 July is a Saturday: observed Friday
    assert date(2026, 6, 19) in days  # Juneteenth
    assert date(2026, 11, 26) in days  # Thanksgiving, fourth Thursday
    assert date(2026, 1, 19) in days  # MLK, third Monday
    assert date(2026, 5, 25) in days  # Memorial Day, last Monday
    assert len(days) == 11
    assert not is_working_day(date(2026, 7, 4))


def test_five_working_days_skip_weekends_and_holidays():
    # Tue 7 July 2026: Mon 6, (Fri 3 holiday), Thu 2, Wed 1, Tue 30 June, Mon 29 June.
    assert working_days_before(date(2026, 7, 7), 5) == date(2026, 6, 29)
    assert working_days_before(date(2026, 3, 13), 5) == date(2026, 3, 6)


def test_notices_due_and_late():
    exports = [
        exp("SOON", "2026-07-07", "9401710011", 1),  # due 2026-06-29
        exp("LATE", "2026-06-30", "9401710011", 1),  # due 2026-06-23
        exp("FAR", "2026-09-30", "9401710011", 1),
        exp("GONE", "2026-06-01", "9401710011", 1),
        exp("FILED_LATE", "2026-06-05", "9401710011", 1, notice_date=date(2026, 6, 3)),
        exp("BURN", "2026-07-07", "9401710011", 1, disposition=ExportDisposition.DESTRUCTION),
    ]
    alerts = {a.export_ref: a for a in notice_alerts(exports, date(2026, 6, 25))}
    assert alerts["SOON"].status == "due" and alerts["SOON"].due == date(2026, 6, 29)
    assert alerts["LATE"].status == "late" and alerts["LATE"].due == date(2026, 6, 23)
    assert alerts["FILED_LATE"].status == "late"
    assert "FAR" not in alerts and "GONE" not in alerts
    # Manufacturing exports need no notice; their destructions do (190.71).
    manufacturing = notice_alerts(exports, date(2026, 6, 25), claim=ClaimType.A)
    assert [a.export_ref for a in manufacturing] == ["BURN"]


def test_claim_windows_closing_within_90_days_with_refund_left():
    imports = [
        imp("OLD", 1, "2021-08-01", "9401710011", 10, "100.00"),  # closes 2026-08-01
        imp("EDGE", 1, "2021-09-23", "9401710011", 10, "100.00"),  # 90 days after as-of
        imp("LATER", 1, "2021-09-24", "9401710011", 10, "100.00"),  # 91 days
        imp("SHUT", 1, "2021-06-24", "9401710011", 10, "100.00"),  # closed yesterday
        imp("FREE", 1, "2021-08-01", "9401710011", 10, "0"),  # nothing to refund
        imp("USED", 1, "2021-08-01", "9401710011", 10, "100.00"),  # fully claimed
    ]
    prior = [PriorDesignation("USED", 1, D(10), "C-1"), PriorDesignation("OLD", 1, D(4), "C-1")]
    alerts = claim_window_alerts(imports, date(2026, 6, 25), prior=prior)
    assert [(a.entry_no, a.days_left) for a in alerts] == [("OLD", 37), ("EDGE", 90)]
    assert alerts[0].unclaimed_quantity == D(6) and alerts[0].unclaimed_refund == D("59.40")
