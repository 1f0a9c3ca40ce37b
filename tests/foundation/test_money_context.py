"""Money does not depend on the host's decimal context (`money.CONTEXT`).

A host that changes the thread's context (an API server, a notebook:
`decimal.getcontext().prec = 5`) must not change a stored or printed amount. Each test runs
the same work under the default context and under prec=5, ROUND_DOWN (restored after) and
asserts the results are equal: the golden quote sample, a posting of the demo files on both
databases (post and post_many, whose writer runs in a thread of its own), the demo's printed
week and a drawback plan.
"""

from __future__ import annotations

import decimal
import importlib.util
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from decimal import ROUND_DOWN, Decimal
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import pytest

from zonekeeper import money
from zonekeeper.app import entry_reads as service
from zonekeeper.app.books import Ledger, count_events
from zonekeeper.app.outputs.drawback import DrawbackPlan
from zonekeeper.bindings.drawback import MeasureBookPolicy, ScheduleDescriptions, TariffEstimator
from zonekeeper.bindings.quoter import shortage_duty_rule
from zonekeeper.drawback.plan import build_plan
from zonekeeper.drawback.records import ClaimType
from zonekeeper.io import drawback_files, zone_files
from zonekeeper.sources.tariff import default_tariff
from zonekeeper.store.codec import plain
from zonekeeper.zone.weekly import Week

pytestmark = pytest.mark.xdist_group("tariff")

T = TypeVar("T")
ROOT = Path(__file__).parents[2]
DEMO = resources.files("zonekeeper") / "data" / "demo"


@contextmanager
def hostile_context() -> Iterator[None]:
    """The thread's context at 5 digits, rounding down; the caller's restored after."""
    saved = decimal.getcontext().copy()
    decimal.getcontext().prec = 5
    decimal.getcontext().rounding = ROUND_DOWN
    try:
        yield
    finally:
        decimal.setcontext(saved)


def both(work: Callable[[], T]) -> tuple[T, T]:
    """`work()` under the default context, then under the hostile one."""
    assert decimal.getcontext().prec == money.CONTEXT.prec
    normal = work()
    with hostile_context():
        assert Decimal(1) / Decimal(3) == Decimal("0.33333")  # the context does bite
        hostile = work()
    assert decimal.getcontext().prec == money.CONTEXT.prec
    return normal, hostile


def test_the_hostile_context_would_change_amounts() -> None:
    """Without money.CONTEXT the same sum comes out otherwise (the test can fail)."""
    values = [Decimal("126000.00"), Decimal("14700.35")]
    normal, hostile = both(lambda: sum(values, Decimal(0)) * Decimal("0.003464"))
    assert normal != hostile
    with hostile_context(), money.money_context():
        assert sum(values, Decimal(0)) * Decimal("0.003464") == normal


def _digest_module() -> Any:
    path = ROOT / "tests" / "duty" / "test_quote_digest.py"
    spec = importlib.util.spec_from_file_location("quote_digest_cases", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_golden_quotes_under_a_hostile_context() -> None:
    """The quote digest's sample (300 lines, 3 cases each), made under the default context
    (its values are divisions), quoted and serialised under each."""
    digest = _digest_module()
    tariff = default_tariff()
    sample = list(digest.cases(tariff, 300))

    def quotes() -> list[str]:
        digest.forget_plans(tariff)  # nothing cached from the other run
        return [json.dumps(digest.quoted(tariff, *case), sort_keys=True) for case in sample]

    normal, hostile = both(quotes)
    assert len(normal) > 900 and any('"duty": "' in q for q in normal)
    assert normal == hostile


def _post_demo(url: str, zone: str, *, many: bool) -> dict[str, Any]:
    """Post the demo files (one batch a file) and read back what the books hold."""
    folder = Path(str(DEMO))
    tariff = default_tariff()
    with Ledger.init(url, zone, "Demo", "FIFO",
                     duty_rule=shortage_duty_rule(tariff)) as ledger:  # fmt: skip
        ledger.load_master(
            parts=zone_files.parts_from(zone_files.read_parts(folder / "parts.csv")),
            boms=zone_files.boms_from(zone_files.read_boms(folder / "bom.csv")),
        )
        batches = [
            list(zone_files.admissions_from(zone_files.read_admissions(folder / "admissions.csv"))),
            list(zone_files.production_from(zone_files.read_production(folder / "production.csv"))),
            list(zone_files.shipments_from(zone_files.read_shipments(folder / "shipments.csv"))),
        ]
        if many:
            ledger.post_many(batches)
        else:
            for batch in batches:
                ledger.post(batch)
        counts, _ = count_events(ledger.state(), zone_files.read_counts(folder / "counts.csv"))
        found = ledger.post(counts)
        return json.loads(json.dumps({
            "postings": [plain(p) for p in ledger.all_postings()],
            "balances": [plain(b) for b in ledger.balances()],
            "discrepancies": [plain(d) for d in found.discrepancies],
            "verify": ledger.verify().ok,
        }, default=str))  # fmt: skip


@pytest.mark.parametrize("many", [False, True], ids=["post", "post_many"])
def test_posting_under_a_hostile_context(database_url: str, many: bool) -> None:
    """The demo posted twice into one database, as zones A and B (the zone is not in the
    postings, balances or discrepancies compared)."""
    zones = iter(["A", "B"])
    normal, hostile = both(lambda: _post_demo(database_url, next(zones), many=many))
    assert normal["verify"] and hostile["verify"]
    assert normal["postings"] and normal["discrepancies"]
    assert normal == hostile


def test_weekly_entry_and_documents_under_a_hostile_context(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'week.db'}"
    _post_demo(url, "DEMO-1", many=False)
    tariff = default_tariff()

    def documents() -> list[Any]:
        from zonekeeper.app.outputs.entries import AdmissionDoc, WeeklyEntryDoc

        entry = service.weekly(url, Week.parse("2026-W32"), tariff=tariff).value
        return [
            WeeklyEntryDoc.of(entry).document(),
            AdmissionDoc.of(service.admission(url, "A-1001", tariff=tariff).value).document(),
            (entry.duty, entry.mpf, entry.total, entry.foreign_value),
        ]

    normal, hostile = both(documents)
    assert normal == hostile


def test_drawback_plan_under_a_hostile_context() -> None:
    tariff = default_tariff()
    folder = ROOT / "examples" / "drawback"

    def plan() -> dict[str, Any]:
        imports = drawback_files.read_imports(folder / "imports.csv")
        exports = drawback_files.read_exports(folder / "exports.csv")
        made = build_plan(
            ClaimType.J2, imports, exports, date(2026, 9, 30),
            ScheduleDescriptions(tariff.schedule), TariffEstimator(tariff),
            policy=MeasureBookPolicy(tariff),
        )  # fmt: skip
        return DrawbackPlan.of(made).document()

    normal, hostile = both(plan)
    assert normal["designations"]
    assert normal == hostile
