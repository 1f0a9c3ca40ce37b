"""The drawback use cases (19 U.S.C. 1313; 19 CFR part 190): plan, claim, alerts.

Each reads and validates every input file first (all their problems raised together in one
`InputError`, nothing written), asks the tariff of the `Context` through the bindings, runs
the pure core (`zonekeeper.drawback`) and returns the typed document (`app.outputs.drawback`)
with the warnings found on the way (`Problem`s of severity "warning"; the plan's JSON carries
their messages as notes). Files are written only once everything has been computed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from zonekeeper.app.context import Context
from zonekeeper.app.outputs.drawback import (
    ClaimWindowOut,
    DrawbackAlerts,
    DrawbackClaim,
    DrawbackPlan,
    NoticeOut,
)
from zonekeeper.bindings.drawback import (
    MeasureBookPolicy,
    ScheduleDescriptions,
    TariffEstimator,
    heading_programs,
    schedule_check,
    statistical_warnings,
)
from zonekeeper.drawback.alerts import claim_window_alerts, notice_alerts
from zonekeeper.drawback.amounts import line_bases
from zonekeeper.drawback.claim import Claim, build_claim, check_against_imports
from zonekeeper.drawback.plan import Method, Plan, build_plan
from zonekeeper.drawback.records import (
    ClaimType,
    Export,
    ImportLine,
    PriorDesignation,
    ProductionInput,
)
from zonekeeper.errors import Collector, InputError, Problem
from zonekeeper.io.drawback_files import (
    read_claimed,
    read_exports,
    read_imports,
    read_plan,
    read_production,
    write_claim,
)
from zonekeeper.tariff import Tariff


@dataclass(frozen=True)
class Records:
    """The validated input files of a drawback use case (empty where a file was not given)."""

    imports: tuple[ImportLine, ...]
    exports: tuple[Export, ...]
    prior: tuple[PriorDesignation, ...]
    production: tuple[ProductionInput, ...]


@dataclass(frozen=True)
class PlanResult:
    """A plan: the core's `plan`, its document (`--json`, the plan file) and the warnings
    whose messages lead its notes."""

    plan: Plan
    document: DrawbackPlan
    warnings: tuple[Problem, ...]


@dataclass(frozen=True)
class ClaimResult:
    """A claim written: the core's `claim`, its document (`claim.json`) and the files."""

    claim: Claim
    document: DrawbackClaim
    files: tuple[Path, ...]


def _gather(*readers: Callable[[], Any]) -> list[Any]:
    """Run every reader, then raise one InputError with all their problems."""
    values = Collector()
    results = [values.read(read) for read in readers]
    values.check()
    return results


def _read_imports(tariff: Tariff, path: Path) -> tuple[ImportLine, ...]:
    """Import lines, each Chapter 99 row's program and each HTS number asked of the tariff."""
    return read_imports(path, heading_programs(tariff), schedule_check(tariff.schedule))


def read_records(
    ctx: Context, imports: Path, exports: Path, *, claimed: Path | None = None,
    manufacturing: Path | None = None,
) -> Records:
    """Every input file read and validated; one InputError with the problems of all."""
    tariff = ctx.tariff
    imp, exp, prior, prod = _gather(
        lambda: _read_imports(tariff, imports),
        lambda: read_exports(exports, schedule_check(tariff.schedule)),
        lambda: read_claimed(claimed) if claimed else (),
        lambda: read_production(manufacturing) if manufacturing else (),
    )
    return Records(imp, exp, prior, prod)


def plan(
    ctx: Context, imports: Path, exports: Path, *, claim_type: ClaimType = ClaimType.J2,
    method: Method = Method.OPTIMAL, claimed: Path | None = None,
    manufacturing: Path | None = None, as_of: date | None = None,
    estimate_older_rates: bool = False,
) -> PlanResult:
    """Designate import quantities against exports for the largest refund the law allows
    (190.32, 190.22 substitution; 190.14 direct identification; `drawback.plan`).

    The claim date is `as_of`, or else the latest export date (a warning says so: a claim
    date is never read from the clock). A manufacturing claim (1313(a), (b)) needs the
    production records (190.26). `estimate_older_rates`: price the lesser-of for dates
    before the earliest loaded HTS revision with its Column 1 rates (a warning says so).
    """
    if claim_type.manufacturing and manufacturing is None:
        raise InputError(Problem(f"--type {claim_type.value} needs --manufacturing FILE",
                                 field="--manufacturing",
                                 code="drawback.plan.manufacturing-missing"))
    tariff = ctx.tariff
    records = read_records(ctx, imports, exports, claimed=claimed, manufacturing=manufacturing)
    warnings: list[Problem] = []
    if as_of is None:
        if not records.exports:
            raise InputError(Problem("no exports: give --as-of", file=str(exports),
                                     code="drawback.plan.no-exports"))
        as_of = max(e.export_date for e in records.exports)
        warnings.append(Problem(
            f"no --as-of given: claim date taken as the latest export date {as_of}",
            field="--as-of", code="drawback.plan.claim-date-defaulted", severity="warning"))
    descriptions = ScheduleDescriptions(tariff.schedule)
    estimator = TariffEstimator(tariff, earliest_for_older=estimate_older_rates)
    try:
        made = build_plan(
            claim_type, records.imports, records.exports, as_of, descriptions, estimator,
            method=method, policy=MeasureBookPolicy(tariff), prior=records.prior,
            production=records.production,
        )
    except InputError as error:
        # The core's only input problems are over-designations in the claimed file.
        raise InputError([replace(p, file=p.file or str(claimed)) for p in error.problems]
                         ) from None
    warnings += statistical_warnings(records.imports, tariff.schedule, str(imports))
    warnings += sorted(
        [Problem(note, code="drawback.tariff.descriptions-from-earliest", severity="warning")
         for note in descriptions.notes]
        + [Problem(note, code="drawback.tariff.rates-estimated", severity="warning")
           for note in estimator.notes],
        key=lambda p: p.message)
    document = DrawbackPlan.of(made, extra_notes=warnings)
    return PlanResult(made, document, tuple(warnings))


def save_plan(document: DrawbackPlan, out: Path) -> None:
    """Write the plan file `drawback claim` reads back, whole or not at all (a temporary
    file renamed over the target)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(document.text(), encoding="utf-8")
    tmp.replace(out)


def claim(
    ctx: Context, plan_file: Path, out: Path, *, claimant: str = "", port: str = "",
    entry_no: str = "", imports: Path | None = None, claimed: Path | None = None,
) -> ClaimResult:
    """Write the claim (190.51): header and lines (CSV, JSON) and a summary (Markdown, HTML).

    The plan must be as `drawback plan` wrote it (its digest) and consistent with itself
    (`claim.check_plan`). With `imports` (and `claimed`), each designated line is checked
    against its quantity less earlier claims (190.51(a)(3)) and its refund per unit.
    """
    if claimed is not None and imports is None:
        raise InputError(Problem("--claimed needs --imports", field="--claimed",
                                 code="drawback.claim.claimed-without-imports"))
    tariff = ctx.tariff
    if imports is None:
        planned = read_plan(plan_file)
    else:
        planned, imp, prior = _gather(
            lambda: read_plan(plan_file),
            lambda: _read_imports(tariff, imports),
            lambda: read_claimed(claimed) if claimed else (),
        )
        bases = line_bases(imp, planned.claim, MeasureBookPolicy(tariff))
        problems = check_against_imports(planned, imp, prior, bases)
        if problems:
            raise InputError([replace(p, file=str(plan_file)) for p in problems])
    schedule = ScheduleDescriptions(tariff.schedule)
    texts: dict[str, str] = {}
    for d in planned.designations:
        if d.import_hts not in texts:
            texts[d.import_hts] = schedule.merchandise(d.import_hts, d.import_date)
    made = build_claim(planned, claimant=claimant, port=port, drawback_entry=entry_no,
                       descriptions=texts)
    document = DrawbackClaim.of(made)
    files = write_claim(made, document.document(), out)
    return ClaimResult(made, document, tuple(files))


def alerts(
    ctx: Context, imports: Path, exports: Path, as_of: date, *, claimed: Path | None = None,
    claim_type: ClaimType = ClaimType.J2, horizon: int = 90,
) -> DrawbackAlerts:
    """Claim windows closing within `horizon` days (190.51(e)) and notices of intent
    (CBP Form 7553, 190.35(a)) due or late, judged on `as_of`."""
    records = read_records(ctx, imports, exports, claimed=claimed)
    windows = claim_window_alerts(records.imports, as_of, claim=claim_type,
                                  prior=records.prior, policy=MeasureBookPolicy(ctx.tariff),
                                  horizon=horizon)
    notices = notice_alerts(records.exports, as_of, claim=claim_type)
    return DrawbackAlerts(as_of=as_of, claim_windows=[ClaimWindowOut.of(a) for a in windows],
                          notices=[NoticeOut.of(n) for n in notices])
