"""The savings advisor at scale: the status election for 10,000 products of 20 components
each, and the zone ROI over 1,000,000 import entry lines (issue 13; target: each < 30 s).

Status: 10,000 finished products (30 real finished-goods lines of the 2026 schedule), each
of 20 components drawn from 400 real 10-digit lines, origins weighted like import shares,
admitted on one of four 2026 dates; `advisor.election.elect` per product (one quote of the
finished product per origin, one per component; the duty engine's plans are shared).
ROI: 1,000,000 lines of 40,000 entries over 2026 (mixed values, some with the file's MPF),
10,000 export records; `advisor.roi.assess` and the inverted-tariff comparison against one
finished product. Reading the files is timed apart: the components reader on one
200,000-row file, the import-history reader (drawback format) on 100,000 lines.
"""

from __future__ import annotations

import os
import random
import resource
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

from zonekeeper.advisor.election import Component, Product, elect
from zonekeeper.advisor.inverted import inverted_tariff
from zonekeeper.advisor.roi import Assumptions, ExportedGoods, ImportedLine, assess
from zonekeeper.io.advisor_files import read_components, read_history
from zonekeeper.money import money_context
from zonekeeper.sources.tariff import default_tariff
from zonekeeper.tariff import Tariff

PRODUCTS = 10_000
COMPONENTS = 20
LINES = 1_000_000
ENTRIES = 40_000
EXPORTS = 10_000
ORIGINS = ("CN",) * 4 + ("MX",) * 3 + ("CA",) * 2 + ("DE", "JP", "VN", "KR", "IN", "TW", "IT")
DATES = (date(2026, 3, 2), date(2026, 5, 4), date(2026, 8, 3), date(2026, 9, 1))
FINISHED = ("84", "85", "87", "90", "94")
T = TypeVar("T")


def codes(tariff: Tariff, seed: int) -> tuple[list[str], list[str]]:
    """400 component lines and 30 finished lines with ad valorem or free rates (seeded)."""
    revision = tariff.schedule.revision_on(date(2026, 9, 1))
    lines = [ln for ln in revision.lines() if ln.code is not None and ln.has_rates
             and len(ln.code.digits) == 10 and not ln.code.digits.startswith("99")
             and (ln.general.kind == "free" or "%" in ln.general.text)
             and "/" not in ln.general.text and "¢" not in ln.general.text]
    rng = random.Random(seed)
    parts = [ln.code.dotted for ln in rng.sample(lines, 400)]
    finished = [ln.code.dotted for ln in lines if ln.code.digits[:2] in FINISHED]
    return parts, rng.sample(finished, 30)


def products(
    parts: list[str], finished: list[str], seed: int
) -> list[tuple[Product, list[Component], date]]:
    rng = random.Random(seed)
    out = []
    for p in range(PRODUCTS):
        comps = [Component(f"P{p}-{k}", rng.choice(parts), rng.choice(ORIGINS),
                           Decimal(rng.randint(1, 4)), Decimal(rng.randint(100, 90000)) / 100)
                 for k in range(COMPONENTS)]  # fmt: skip
        out.append((Product(rng.choice(finished), "US" if p % 3 else None), comps,
                    rng.choice(DATES)))
    return out


def history(parts: list[str], seed: int) -> tuple[list[ImportedLine], list[ExportedGoods]]:
    rng = random.Random(seed)
    start = date(2026, 1, 5)
    lines = []
    per_entry = LINES // ENTRIES
    for e in range(ENTRIES):
        day = start + timedelta(days=rng.randrange(260))
        origin = rng.choice(ORIGINS)
        mpf = Decimal(rng.randint(3358, 65150)) / 100 if e % 2 else None
        for n in range(per_entry):
            value = Decimal(rng.randint(1000, 2000000)) / 100
            hts = parts[rng.randrange(60)]  # a zone's parts: 60 lines
            lines.append(ImportedLine(f"E{e:07d}", day, hts.replace(".", ""), value,
                                      (value * Decimal("0.031")).quantize(Decimal("0.01")),
                                      Decimal(rng.randint(1, 500)), origin, f"PART{n % 60}", mpf))
    exports = [ExportedGoods(start + timedelta(days=rng.randrange(300)), "", Decimal(10),
                             f"PART{rng.randrange(60)}") for _ in range(EXPORTS)]
    return lines, exports


def _timed(work: Callable[[], T]) -> tuple[T, float]:
    started = time.perf_counter()
    result = work()
    return result, time.perf_counter() - started


def run() -> str:
    tariff = default_tariff()
    parts, finished = codes(tariff, 13)
    catalogue = products(parts, finished, 13)
    rows = []
    with money_context():
        def advise_all() -> int:
            computed = 0
            for product, comps, on in catalogue:
                computed += elect(tariff, product, comps, on).duty_per_unit is not None
            return computed

        computed, status_s = _timed(advise_all)
        rows.append((f"status election, {PRODUCTS:,} products x {COMPONENTS} components "
                     f"({computed:,} with every figure computed)", status_s, 30.0))
        lines, exports = history(parts, 13)
        roi, roi_s = _timed(lambda: assess(lines, exports, Assumptions(),
                                                  tariff.fees.mpf_terms))
        rows.append((f"ROI over {LINES:,} entry lines, {EXPORTS:,} exports (verdict "
                     f"{roi.verdict})", roi_s, 30.0))
        inv, inv_s = _timed(lambda: inverted_tariff(tariff, lines, finished[0], "US"))
        rows.append((f"inverted-tariff comparison over the {LINES:,} lines "
                     f"({'computed' if inv.amount is not None else 'not computable'})",
                     inv_s, None))
    with tempfile.TemporaryDirectory() as tmp:
        comp_file = Path(tmp) / "components.csv"
        with comp_file.open("w", encoding="utf-8") as out:
            out.write("part,hts,origin,quantity_per_unit,unit_value\n")
            for i, (_, comps, _) in enumerate(catalogue):
                for c in comps:
                    out.write(f"{c.part},{c.hts},{c.origin},{c.quantity_per_unit},"
                              f"{c.unit_value}\n")
                if (i + 1) * COMPONENTS >= 200_000:
                    break
        read, read_s = _timed(lambda: read_components(comp_file))
        rows.append((f"read a components file of {len(read):,} rows", read_s, None))
        hist_file = Path(tmp) / "imports.csv"
        with hist_file.open("w", encoding="utf-8") as out:
            out.write("entry_no,line,import_date,hts,quantity,unit,value,duty,origin\n")
            for n, ln in enumerate(lines[:100_000]):
                out.write(f"{ln.entry_no},{n % 25 + 1},{ln.import_date},{ln.hts},{ln.quantity},"
                          f"No.,{ln.value},{ln.duty},{ln.origin}\n")
        got, hist_s = _timed(lambda: read_history(hist_file))
        rows.append((f"read an import history of {len(got):,} lines (drawback format)",
                     hist_s, None))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    table = "\n".join(
        f"| {label} | {seconds:.1f} | "
        f"{'—' if target is None else f'< {target:.0f} s (' + ('meets target' if seconds < target else 'MISSES target') + ')'} |"  # noqa: E501
        for label, seconds, target in rows
    )
    return (
        "## Advisor: status election and zone ROI\n\n"
        f"{__doc__.split(chr(10), 2)[2].strip()}\n\n"
        "| measure | seconds | target |\n|---|---:|---|\n" + table +
        f"\n\nPeak memory of the process: {peak:,.0f} MB. Load average (1 min) at the end of "
        f"this benchmark: {load:.2f}.\n"
    )
