"""Tariff benchmark: duty quotes per second once loaded, and cold start to the first quote.

The mix is realistic rather than friendly: 3,000 real rate lines drawn (seeded) from the
shipped 2026 schedule, origins weighted like US import shares (China, Mexico, Canada, EU,
Vietnam, Japan, Korea, India, Taiwan...), dates spread over 2026 (inside and outside the
Section 122 window, before and after the April 2026 metals annexes). Every line gets
the quantities its units and rate need, and metal content values, so each quote does the
full arithmetic.

- "plans cold": the first quote of each (code, origin, date) computes its classification,
  base rate, measures and warnings (every line's plan from scratch: the plan cache is
  empty, and the mix draws each code once). Five such passes, the plan cache dropped
  before each (`forget_plans`); the median is the figure, the process's first pass is
  shown too. "plans warm": the same lines again (an entry's repeated HTS/origin pairs, a
  weekly entry, a re-quote). The mix reads each line once before timing (`mix`), so the
  line's rate texts are already parsed: a cold pass prices plans, not the rate parser.
- One-time indexes, paid once per process and reported: the measure book's prefix/origin
  indexes (built by `load_measures`, inside `default_tariff()`) and the per-revision
  renumbered-list index (`duty.quote.prepare`, built here before the timed passes; a
  process that skips it builds it on its first quote, which the cold-start figures
  include).
- Cold start: a fresh interpreter that imports the package, loads `default_tariff()` and
  prices one line — with the schedule's disk cache empty (first run after install) and
  filled (every later run) — and the whole `zonekeeper duty quote --json` command as a user
  runs it (interpreter, CLI, tariff, quote, JSON), cache warm.
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from zonekeeper.duty import LineItem, quote_line
from zonekeeper.duty.quote import forget_plans, prepare
from zonekeeper.errors import InputError
from zonekeeper.money import money_context
from zonekeeper.sources.tariff import default_tariff
from zonekeeper.tariff import Tariff
from zonekeeper.tariff.units import UNITS

SEED = 2026
LINES = 3_000
ORIGINS = (
    ["CN"] * 14 + ["MX"] * 16 + ["CA"] * 13 + ["DE"] * 5 + ["VN"] * 5 + ["JP"] * 4
    + ["KR"] * 4 + ["IN"] * 3 + ["TW"] * 4 + ["IE"] * 3 + ["IT"] * 2 + ["GB"] * 2
    + ["FR"] * 2 + ["TH"] * 2 + ["CH"] * 2 + ["MY"] * 2 + ["BR"] + ["AU"] + ["SG"]
)  # fmt: skip
CONTENT = {"steel": Decimal(300), "aluminum": Decimal(100), "copper": Decimal(50)}
TARGET_RATE = 20_000
TARGET_START = 1.5

_FIRST_QUOTE = """
import time
t = time.perf_counter()
from datetime import date
from decimal import Decimal
from zonekeeper.duty import LineItem, quote_line
from zonekeeper.duty.quote import forget_plans, prepare
from zonekeeper.errors import InputError
from zonekeeper.money import money_context
from zonekeeper.sources.tariff import default_tariff
q = quote_line(default_tariff(), LineItem("8414.30.80.60", "CN", Decimal(800)), date(2026, 3, 1))
assert q.duty is not None
print(time.perf_counter() - t)
"""


def mix(tariff: Tariff) -> list[tuple[LineItem, date]]:
    rng = random.Random(SEED)
    revision = tariff.schedule.revisions[-1]
    codes = [c.dotted for c in revision.codes() if len(c.digits) == 10]
    rng.shuffle(codes)
    out: list[tuple[LineItem, date]] = []
    for code in codes:
        if len(out) == LINES:
            break
        on = date(2026, 1, 1) + timedelta(days=rng.randrange(300))
        try:  # a code new in a later revision is not a line on an earlier date
            tariff.schedule.line(code, on)
        except InputError:
            continue
        value = Decimal(rng.randrange(100, 500_000)) / 100 * 100
        line, _ = tariff.schedule.line(code, on)
        # the quantities a declarant reports: the line's units and what its rate needs
        units = {*line.unit_keys, *line.general.needs, *line.column2.needs} & set(UNITS)
        quantities = {unit: Decimal(10) for unit in units}
        item = LineItem(code, rng.choice(ORIGINS), value, quantities, content=CONTENT)
        out.append((item, on))
    return out


def rate(tariff: Tariff, lines: list[tuple[LineItem, date]]) -> tuple[float, int]:
    """Quotes per second over one pass; also counts quotes that could not be computed. The
    pass runs inside one money context, as a caller quoting many lines does (the CLI, a
    weekly entry): one context switch for the pass, none per quote."""
    unknown = 0
    started = time.perf_counter()
    with money_context():
        for item, on in lines:
            if quote_line(tariff, item, on).duty is None:
                unknown += 1
    return len(lines) / (time.perf_counter() - started), unknown


def first_quote_seconds(cache_dir: str) -> float:
    env = dict(os.environ, ZONEKEEPER_CACHE=cache_dir)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _FIRST_QUOTE], env=env, capture_output=True, text=True, check=True
    )
    wall = time.perf_counter() - started
    inside = float(done.stdout.strip().splitlines()[-1])
    return max(wall, inside)


def cli_quote_seconds() -> float:
    """Wall time of the console command a user types, from exec to exit."""
    command = [
        str(Path(sys.executable).with_name("zonekeeper")),
        *"duty quote --hts 8414.30.80.60 --origin CN --value 800 --date 2026-03-01 --json".split(),
    ]
    started = time.perf_counter()
    subprocess.run(command, capture_output=True, text=True, check=True)
    return time.perf_counter() - started


def run() -> str:
    started = time.perf_counter()
    tariff = default_tariff()
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    tariff.measures._index()  # the book's indexes once more, to time them (same result)
    book_index = time.perf_counter() - started
    started = time.perf_counter()
    prepare(tariff)
    prepared = time.perf_counter() - started
    lines = mix(tariff)
    first, unknown = rate(tariff, lines)  # the process's first quote of every line
    colds = [first]
    for _ in range(4):  # again from scratch: every plan dropped, recomputed in the pass
        forget_plans(tariff)
        colds.append(rate(tariff, lines)[0])
    cold = statistics.median(colds)
    warm = max(rate(tariff, lines)[0] for _ in range(3))
    with tempfile.TemporaryDirectory(prefix="zk-bench-cache-") as cache:
        start_cold = first_quote_seconds(cache)  # empty cache: parse the USITC CSVs
        start_warm = min(first_quote_seconds(cache) for _ in range(3))  # cache now filled
    cli_warm = min(cli_quote_seconds() for _ in range(3))

    def mark(ok: bool) -> str:
        return "meets target" if ok else "**misses target**"

    return "\n".join(
        [
            "## Tariff: duty quotes",
            "",
            f"Mix: {LINES:,} real 10-digit lines of the 2026 schedule (seed {SEED}), "
            f"{len(set(ORIGINS))} origins weighted like import shares, dates across 2026; "
            f"one core. {unknown} of {LINES:,} quotes reported a component that cannot be "
            f"computed automatically (rates by reference, unparsed text) — reported, not 0.",
            "",
            "| measure | result | target |",
            "|---|---|---|",
            f"| line quotes/s, plans cold (every plan computed; median of 5 passes) | "
            f"{cold:,.0f} | ≥ {TARGET_RATE:,} ({mark(cold >= TARGET_RATE)}) |",
            f"| line quotes/s, plans cold, the process's first pass alone | {first:,.0f} | — |",
            f"| line quotes/s, plans warm | {warm:,.0f} | ≥ {TARGET_RATE:,} "
            f"({mark(warm >= TARGET_RATE)}) |",
            f"| `default_tariff()` in this process | {loaded:.2f} s | — |",
            f"| of which measure-book indexes (prefix x origin, one-time) | "
            f"{book_index * 1000:.0f} ms | — |",
            f"| `duty.quote.prepare` renumbered-list index, every revision (one-time) | "
            f"{prepared * 1000:.0f} ms | — |",
            f"| fresh process to first quote, schedule cache cold | {start_cold:.2f} s | — |",
            f"| fresh process to first quote, schedule cache warm | {start_warm:.2f} s | "
            f"≤ {TARGET_START} s ({mark(start_warm <= TARGET_START)}) |",
            f"| `zonekeeper duty quote --json`, exec to exit, cache warm | {cli_warm:.2f} s | "
            f"≤ {TARGET_START} s ({mark(cli_warm <= TARGET_START)}) |",
            "",
        ]
    )


if __name__ == "__main__":
    print(run())
