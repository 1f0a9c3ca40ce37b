"""Opportunities from 1,000,000 entry lines: ingest and check an importer's ES-003 report.

A generated ACE ES-003 "Entry Summary Line Tariff Details" report in the report's own shape:
1,000,000 commodity lines on 200,000 entries (5 lines each), entered between 2025-06-02 and
2026-08-31 from six countries under twelve real HTS numbers, each line with its Chapter 99
rows before it (CSMS order: Section 301, then IEEPA, then 232) carrying their own duty —
about 1.9 million rows. The duty reported is the tariff's (so most lines reconcile); one line
in a hundred reports a wrong duty, and Mexican lines are entered without their USMCA claim
half of the time (the preference opportunities). Entries older than 314 days are liquidated.

Measured, in one process: the ingest (`io.es003.read_entry_lines`: Polars reads, validates
and joins the Chapter 99 rows to their lines, then hands over the records) and the checks
(`analytics`: the data-quality report with the duty recomputed per line, unclaimed
preferences, IEEPA refunds with routes and interest, rate changes). Peak memory is the process's
(getrusage), the generated file's text included. Both run with the cyclic garbage
collector paused, as the use case runs them (`heap.collector_paused`: the records are
acyclic). Target: under 60 s, under 2 GB.
"""

from __future__ import annotations

import os
import random
import resource
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from zonekeeper.analytics.ieepa import ieepa_refunds
from zonekeeper.analytics.preference import unclaimed_preferences
from zonekeeper.analytics.quality import quality_report
from zonekeeper.analytics.rate_change import rate_changes
from zonekeeper.bindings.analytics import TariffPricer
from zonekeeper.duty.quote import LineItem, quote_line
from zonekeeper.heap import collector_paused
from zonekeeper.io.es003 import read_entry_lines
from zonekeeper.money import cents, money_context
from zonekeeper.sources.analytics import overpayment_rates
from zonekeeper.sources.tariff import default_tariff
from zonekeeper.tariff import Tariff

LINES = int(os.environ.get("ZK_BENCH_ANALYTICS_LINES", "1000000"))
PER_ENTRY = 5
AS_OF = date(2026, 9, 1)
FIRST = date(2025, 6, 2)
DAYS = (date(2026, 8, 31) - FIRST).days + 1
IEEPA_ENDED = date(2026, 2, 24)  # CSMS #67834313
FIRST_TARIFF = date(2026, 1, 1)  # the earliest shipped revision
HTS = ("8537109170", "6109100012", "8471300100", "8517620090", "7318158066", "8504404000",
       "8481805090", "4011908050", "9032100030", "8418500080", "8708295160", "8414308030")
ORIGINS = ("CN", "CN", "MX", "DE", "VN", "KR", "JP")
# IEEPA Chapter 99 rows (heading, percent) by origin, for entries before 2026-02-24
IEEPA = {"CN": (("9903.01.24", 10), ("9903.01.20", 10)), "MX": (("9903.01.01", 25),)}
RECIPROCAL = (("9903.01.25", 10),)
HEADER = ("Entry Summary Number,Entry Summary Line Number,Entry Type Code,Importer Number,"
          "Entry Date,Country of Origin Code,Manufacturer ID,Line SPI Code,"
          "Tariff Ordinal Number,HTS Number - Full,Line Tariff Quantity (1),"
          "Line Tariff UOM (1) Code,Line Tariff Goods Value Amount,Line Tariff Duty Amount,"
          "Liquidation Date")


def _rates(tariff: Tariff, hts: str, origin: str, spi: str, on: date,
           ) -> list[tuple[str, Decimal]]:
    """(heading or "", percent) of each component the tariff prices on `on` (base first)."""
    quote = quote_line(tariff, LineItem(hts, origin, Decimal(100), {}, spi or None), on)
    return [("" if c.program.value == "base" else c.heading, c.exact) for c in quote.components]


def generate(path: Path, tariff: Tariff, n: int = LINES, seed: int = 14) -> None:
    """The ES-003 file (see the module docstring), reproducible from `seed`."""
    rng = random.Random(seed)
    cache: dict[tuple[str, str, str, date], list[tuple[str, Decimal]]] = {}
    with path.open("w", encoding="utf-8") as sink:
        sink.write(HEADER + "\n")
        for start in range(0, n // PER_ENTRY, 20_000):  # written in chunks: a small heap
            stop = min(start + 20_000, n // PER_ENTRY)
            sink.write("\n".join(_entries(tariff, rng, cache, start, stop)) + "\n")


def _entries(tariff: Tariff, rng: random.Random,
             cache: dict[tuple[str, str, str, date], list[tuple[str, Decimal]]],
             start: int, stop: int) -> list[str]:
    """The rows of entries number `start` to `stop` - 1."""
    out: list[str] = []
    for e in range(start, stop):
        entry = f"ZK{e:09d}"
        day = FIRST + timedelta(days=rng.randrange(DAYS))
        liquidated = day + timedelta(days=314)
        liq = liquidated.isoformat() if liquidated <= AS_OF else ""
        origin = ORIGINS[rng.randrange(len(ORIGINS))]
        mid = f"{origin}MFR{rng.randrange(40):03d}"
        for line in range(1, PER_ENTRY + 1):
            hts = HTS[rng.randrange(len(HTS))]
            spi = "S" if origin == "MX" and rng.random() < 0.5 else ""
            value = Decimal(rng.randrange(10_000, 5_000_000)) / 100
            on = max(day, FIRST_TARIFF)  # before 2026 the base rate of the Basic Edition
            key = (hts, origin, spi, on if day >= IEEPA_ENDED else FIRST_TARIFF)
            rates = cache.get(key)
            if rates is None:
                rates = cache[key] = _rates(tariff, *key)
            rows = [(h, p) for h, p in rates if h]
            if day < IEEPA_ENDED and day < FIRST_TARIFF:  # the IEEPA rows as CBP collected
                rows = [(h, p) for h, p in rows if not h.startswith("9903.01")]
                if not spi:
                    rows += [(h, Decimal(p)) for h, p in IEEPA.get(origin, RECIPROCAL)]
            base = next(p for h, p in rates if not h)
            prefix = f"{entry},{line},01,12-3456789-00,{day},{origin},{mid},{spi}"
            for ordinal, (heading, pct) in enumerate(sorted(rows), 1):
                out.append(f"{prefix},{ordinal},{heading},,,,{cents(value * pct / 100)},{liq}")
            duty = cents(value * base / 100)
            if rng.random() < 0.01:
                duty += Decimal("12.34")
            out.append(f"{prefix},{len(rows) + 1},{hts},{rng.randint(1, 500)},NO,{value},"
                       f"{duty},{liq}")
    return out


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _load() -> str:
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except OSError:
        return "not known"


def run() -> str:
    tariff = default_tariff()
    with tempfile.TemporaryDirectory() as folder, money_context():
        path = Path(folder) / "es003.csv"
        t0 = time.perf_counter()
        generate(path, tariff)
        made = time.perf_counter() - t0
        size = path.stat().st_size
        peak_before = _peak_mb()
        with collector_paused():  # as `app.analytics` runs them
            t0, c0 = time.perf_counter(), _cpu()
            lines = read_entry_lines(path)
            ingest, ingest_cpu = time.perf_counter() - t0, _cpu() - c0
            t0, c0 = time.perf_counter(), _cpu()
            pricer = TariffPricer(tariff)
            quality = quality_report(lines, pricer)
            preferences = unclaimed_preferences(lines, pricer, AS_OF)
            refunds = ieepa_refunds(lines, AS_OF, overpayment_rates())
            changes = rate_changes(lines, pricer, AS_OF)
            check, check_cpu = time.perf_counter() - t0, _cpu() - c0
        rows = sum(1 + len(x.chapter99) for x in lines)
    peak = _peak_mb()
    total = ingest + check
    verdict = "meets" if total < 60 and peak < 2048 else "misses"
    refunded = sum((o.amount or 0 for o in refunds), Decimal(0))
    saved = sum((o.amount or 0 for o in preferences), Decimal(0))
    return "\n".join([
        "## Opportunities from entry data",
        "",
        f"A generated ES-003 report: {len(lines):,} entry lines on "
        f"{len({x.entry for x in lines}):,} entries, {rows:,} rows with the Chapter 99 rows "
        f"({size / 2**20:,.0f} MB of CSV, generated in {made:.1f} s, not counted).",
        "",
        "| step | wall time | CPU time (all threads) |",
        "|---|---|---|",
        f"| ingest: read, validate, join Chapter 99 rows to their lines (Polars), records | "
        f"{ingest:.1f} s | {ingest_cpu:.1f} s |",
        f"| check: data quality with the duty recomputed per line, preferences, IEEPA "
        f"refunds, rate changes | {check:.1f} s | {check_cpu:.1f} s |",
        f"| total | {total:.1f} s | {ingest_cpu + check_cpu:.1f} s |",
        "",
        f"Peak memory of the process: {peak:,.0f} MB ({peak_before:,.0f} MB before the "
        f"ingest: the interpreter, the tariff and the generator). Found: "
        f"{quality.recomputed:,} lines recomputed ({sum(quality.not_recomputed.values()):,} "
        f"before the first shipped tariff or otherwise not priceable), "
        f"{len(quality.reconciliation):,} that do not reconcile; {len(preferences)} unclaimed "
        f"preference groups worth ${saved:,}; {len(refunds):,} IEEPA refunds worth "
        f"${refunded:,}; {len(changes)} rate changes; {len(pricer.cards):,} distinct priced "
        f"keys. Target under 60 s and "
        f"2 GB: {verdict} it (wall time; load average {_load()} at the end).",
        "",
    ])


if __name__ == "__main__":
    print(run())
