"""Every quote byte-identical: a seeded sample of real lines, quoted and digested.

The sample draws 10-digit lines of the two revisions shipped as CSV (half at random, half
from codes that a Section 232 list, a Section 122 exemption, an end-use condition or a
renumbered list code touches), each with several (origin, SPI, date, PF freeze) cases: the
Section 122 window, the IEEPA duties up to 2026-02-23, the April 2026 metals annexes, the
last day of 2025 (priced from the history), Column 2 origins, USMCA claims. Each case
carries the quantities its line's units and rates need and (mostly) metal content values.
The SHA-256 of the `duty quote --json` object of every case (or of the InputError's
problems) must equal the checked-in digest (`quote_digest.json`): speed-ups to the quote
path must not move a cent or a word. (The history moved it once, on purpose: with the 2026
Basic Edition and Revision 3 alone every case quoted byte for byte as before but for the new
horizon warning; with the history, the cases of 2025 dates were priced, one code not in
2026 Revision 2 was refused, and no other duty moved. It moved again on purpose when a line
without a mode of transport stopped owing HMF 0.00: in the 1,324 cases quoted without a mode,
and only in them, the HMF became null with its reason, the total null and one warning was
added; every duty, MPF and other word stayed as it was. It moved a third time when the fee
table gained fiscal year 2027, unconfirmed: in the 957 cases dated in FY2027, and only in
them, the MPF, its details and the total were computed and the caveat warning replaced the
"not computed" one; elsewhere only the list of known fiscal years in FY2028's reason grew.)

`python tests/duty/test_quote_digest.py [small|big] [--write] [--dump FILE]`: the big sample
(20,000 lines x 3 cases) is checked by hand; `--dump` writes one JSON line per case to diff.
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from zonekeeper.app.outputs.duty import DutyQuote
from zonekeeper.duty import LineItem
from zonekeeper.duty.entry import quote_entry
from zonekeeper.duty.quote import forget_plans
from zonekeeper.errors import InputError
from zonekeeper.sources.tariff import default_tariff
from zonekeeper.tariff import Tariff
from zonekeeper.tariff.units import UNITS

DIGESTS = Path(__file__).with_name("quote_digest.json")
SIZES = {"small": 2_500, "big": 20_000}  # lines; 3 cases each
ORIGINS = (
    "CN CN CN MX MX CA CA DE FR IT IE GB JP KR IN BR VN TW HK TH CH AU SG CL IL CO PE RU CU KP BY"
).split()
SPIS = ["S", "S+", "A", "AU", "KR", "JP", "P", "C", "B", "E", "D", "SG", "IL", "CL"]
DATES = [
    date(2025, 12, 31),  # HTS 2025 Revision 32 (the shipped history; before it, no tariff)
    date(2026, 1, 1),
    date(2026, 1, 15),  # semiconductors 232
    date(2026, 2, 13),  # Revision 3
    date(2026, 2, 20),  # the Supreme Court's IEEPA ruling
    date(2026, 2, 23),  # last day of the IEEPA duties (CSMS # 67834313)
    date(2026, 2, 24),  # Section 122 window opens
    date(2026, 4, 5),  # last day of the 2025 metals headings
    date(2026, 4, 6),  # April 2026 metals annexes
    date(2026, 7, 23),  # Section 122 window closes
    date(2026, 7, 24),
    date(2027, 12, 31),
    date(2028, 1, 1),
]
CONTENTS = [
    {},
    {"steel": Decimal("300")},
    {"steel": Decimal("300"), "aluminum": Decimal("100.55"), "copper": Decimal("50")},
    {"aluminum": Decimal("1234.56")},
    {"copper": Decimal("75"), "copper_kg": Decimal("2.5")},
    {"steel": Decimal("0"), "aluminum": Decimal("0"), "copper": Decimal("0")},
]
MODES = [None, "vessel", "air", "truck", "rail", "mail"]


# The sample's lines come from the two revisions shipped as CSV (the history's other 47 are
# quoted on their dates, but drawing from them would change the sample, and build them all).
SAMPLED = ("HTS 2026 Basic Edition", "HTS 2026 Revision 3")


def _codes(tariff: Tariff) -> tuple[list[str], list[str]]:
    """(every 10-digit code of the sampled revisions, the ones a measure rule touches)."""
    codes: set[str] = set()
    for name in SAMPLED:
        revision = tariff.schedule.revision_named(name)
        codes.update(c.digits for c in revision.codes() if len(c.digits) == 10)
    book = tariff.measures
    touched = []
    for digits in sorted(codes):
        listed = book.listed(digits)
        if (
            any(m.program != "section301" for m, _ in listed)
            or any(digits.startswith(p) for p in book.hs6_list_codes(digits) if len(p) < 10)
            or any(digits.startswith(p) for p in _prefixes(digits) if p in book.s122_exempt)
        ):
            touched.append(digits)
    return sorted(codes), touched


def _prefixes(digits: str) -> list[str]:
    return [digits[:n] for n in range(2, len(digits) + 1)]


def _dotted(digits: str) -> str:
    return ".".join([digits[:4], digits[4:6], digits[6:8], digits[8:]])


# Rare outcomes pinned on every date: the only lines whose 301 list names a code renumbered
# since (stale list codes), a USMCA auto part, a steel article, PF-frozen metals.
PINNED = [
    ("8543708800", "CN"), ("8543709301", "CN"), ("8708295160", "MX"), ("8708295160", "DE"),
    ("7326908688", "CN"), ("7326908688", "GB"), ("8414308060", "CN"), ("7408116000", "CA"),
]  # fmt: skip


def cases(tariff: Tariff, lines: int) -> Iterator[tuple[LineItem, date, date | None]]:
    rng = random.Random(20260406)
    for digits, origin in PINNED:
        for on in DATES:
            for frozen in (None, date(2026, 2, 1)):
                spi = "S" if origin in ("CA", "MX") and frozen is None else None
                yield _item(rng, tariff, digits, origin, spi, on, frozen), on, frozen
    everything, touched = _codes(tariff)
    chosen = rng.sample(everything, lines // 2) + rng.choices(touched, k=lines - lines // 2)
    for digits in chosen:
        for _ in range(3):
            on = (
                rng.choice(DATES)
                if rng.random() < 0.5
                else (date(2026, 1, 1) + timedelta(days=rng.randrange(365)))
            )
            frozen = None
            if rng.random() < 0.15:
                frozen = on - timedelta(days=rng.randrange(0, 200))
            origin = rng.choice(ORIGINS)
            spi = None
            if rng.random() < 0.25:
                spi = "S" if origin in ("CA", "MX") and rng.random() < 0.7 else rng.choice(SPIS)
            yield _item(rng, tariff, digits, origin, spi, on, frozen), on, frozen


def _item(
    rng: random.Random,
    tariff: Tariff,
    digits: str,
    origin: str,
    spi: str | None,
    on: date,
    frozen: date | None,
) -> LineItem:
    hts = _dotted(digits) if rng.random() < 0.8 else digits
    units: set[str] = set()
    try:
        line, _ = tariff.schedule.line(digits, frozen or on)
        units = {*line.unit_keys, *line.general.needs, *line.column2.needs}
        for rate in line.special.values():
            units |= rate.needs
    except Exception:  # unknown on the date, or no revision: quoted as it is
        pass
    quantities = {u: Decimal(rng.randrange(1, 5000)) / 4 for u in sorted(units & set(UNITS))}
    if rng.random() < 0.05 and quantities:
        quantities.pop(sorted(quantities)[0])  # a missing quantity: InputError
    value = Decimal(rng.randrange(0, 50_000_000)) / 100
    return LineItem(
        hts, origin, value, quantities, spi=spi, mode=rng.choice(MODES),
        content=rng.choice(CONTENTS),
    )  # fmt: skip


def quoted(tariff: Tariff, item: LineItem, on: date, frozen: date | None) -> dict[str, Any]:
    try:
        return DutyQuote.of_entry(quote_entry(tariff, [item], on, frozen_on=frozen)).document()
    except InputError as error:
        return {"problems": [str(p) for p in error.problems]}


def digest(tariff: Tariff, lines: int, dump: Path | None = None) -> str:
    forget_plans(tariff)  # every plan computed by the code under test, none from earlier tests
    sha = hashlib.sha256()
    out = dump.open("w") if dump is not None else None
    for item, on, frozen in cases(tariff, lines):
        text = json.dumps(quoted(tariff, item, on, frozen), sort_keys=True)
        sha.update(text.encode())
        sha.update(b"\n")
        if out is not None:
            out.write(text + "\n")
    if out is not None:
        out.close()
    return sha.hexdigest()


def test_quotes_match_the_checked_in_digest(tariff: Tariff) -> None:
    expected = json.loads(DIGESTS.read_text())["small"]
    assert digest(tariff, SIZES["small"]) == expected


def test_the_sample_reaches_every_program_and_outcome(tariff: Tariff) -> None:
    """The digest guards what matters only if the sample prices it."""
    programs: set[str] = set()
    outcomes: set[str] = set()
    for n, (item, on, frozen) in enumerate(cases(tariff, SIZES["small"])):
        if n % 3 and n > len(PINNED) * len(DATES) * 2:
            continue
        got = quoted(tariff, item, on, frozen)
        if "problems" in got:
            outcomes.add("input error")
            continue
        programs.update(c["program"] for c in got["components"])
        outcomes.add("priced" if got["duty"] is not None else "cannot compute")
        if got["pf_required"]:
            outcomes.add("pf")
        if any("renumbered" in w for w in got["warnings"]):
            outcomes.add("stale list code")
        if any("not applied" in w for w in got["warnings"]):
            outcomes.add("not applied")
    assert {"section301", "section232", "section122", "ieepa", "base"} <= programs
    assert {"input error", "priced", "cannot compute", "pf", "not applied"} <= outcomes
    assert "stale list code" in outcomes


if __name__ == "__main__":
    size = next((a for a in sys.argv[1:] if a in SIZES), "big")
    dump = Path(sys.argv[sys.argv.index("--dump") + 1]) if "--dump" in sys.argv else None
    found = digest(default_tariff(), SIZES[size], dump)
    print(size, found)
    if "--write" in sys.argv:
        stored = json.loads(DIGESTS.read_text()) if DIGESTS.exists() else {}
        stored[size] = found
        DIGESTS.write_text(json.dumps(stored, indent=2, sort_keys=True) + "\n")
