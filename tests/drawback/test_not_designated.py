"""Every export quantity left without a designation says why, so the user can act on it."""

from __future__ import annotations

from datetime import date

from drawback_helpers import Descriptions, exp, imp

from zonekeeper.drawback.plan import build_plan
from zonekeeper.drawback.records import ClaimType

CLAIM_DATE = date(2026, 6, 1)


def test_export_with_no_import_of_its_subheading() -> None:
    imports = [imp("E1", 1, "2026-01-10", "8471300100", 5, "50.00", part="LAPTOP-1")]
    exports = [exp("X1", "2026-02-01", "8471300100", 2), exp("X2", "2026-02-01", "9403200090", 3)]
    plan = build_plan(ClaimType.J1, imports, exports, CLAIM_DATE, Descriptions(), None)
    assert plan.not_designated == (
        "export X2: 3 No. without a designation: no import line in subheading 94032000",
    )


def test_export_refused_by_the_rules_names_the_rule() -> None:
    imports = [imp("E1", 1, "2026-03-10", "8471300100", 5, "50.00", part="LAPTOP-1")]
    # Exported before the import arrived, and a different part: both reasons are given.
    exports = [exp("X1", "2026-02-01", "8471300100", 2, part="LAPTOP-9")]
    plan = build_plan(ClaimType.J1, imports, exports, CLAIM_DATE, Descriptions(), None)
    [line] = plan.not_designated
    assert line.startswith("export X1: 2 No. without a designation: import E1 line 1: ")
    assert "part LAPTOP-9 is not the imported part LAPTOP-1" in line
    assert "exported 2026-02-01 before importation 2026-03-10" in line


def test_export_short_because_the_imports_ran_dry() -> None:
    imports = [imp("E1", 1, "2026-01-10", "6109100012", 5, "82.50")]
    exports = [exp("X1", "2026-02-01", "6109100012", 8)]
    plan = build_plan(ClaimType.J1, imports, exports, CLAIM_DATE, Descriptions(), None)
    assert [d.quantity for d in plan.designations] == [5]
    assert plan.not_designated == (
        "export X1: 3 No. without a designation: every import that qualifies is designated "
        "against other exports or used up",
    )


def test_the_other_rule_on_the_real_schedule(descriptions, estimator) -> None:  # type: ignore[no-untyped-def]
    # 6402.99.31: the 8-digit and its 10-digit line .65 both begin with "Other", so no
    # import substitutes for it under 1313(j)(2) except by Schedule B (190.2).
    imports = [imp("E1", 1, "2025-09-15", "6402993165", 2000, "1440.00", unit="pr.")]
    exports = [exp("X1", "2026-03-02", "6402993165", 1500, unit="pr.", value=21000)]
    plan = build_plan(ClaimType.J2, imports, exports, CLAIM_DATE, descriptions, estimator)
    [line] = plan.not_designated
    assert "begins with 'Other'" in line and "Schedule B route only" in line
    assert plan.designations == ()
