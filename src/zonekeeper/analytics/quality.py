"""The data-quality report on an importer's entry lines: what the importer attested to on
each entry (19 U.S.C. 1484(a), reasonable care) checked against itself and the tariff.

- the same part (or, without part numbers, the same description) entered under different
  HTS numbers: at most one of them is right (GRI 1-6; 19 U.S.C. 1592 for the others);
- a missing or invalid country of origin (19 CFR 134; 19 CFR 102 for the rules);
- a preference (SPI) claimed where the line is not eligible: the tariff's Special column does
  not list the program, or the origin is not a party (HTSUS General Notes 3(c), 4-36);
- duty that does not reconcile with the tariff in force on the entry date: each line's duty
  is recomputed by the duty engine (base and Chapter 99, with the claimed preference) and the
  difference is listed per line. A line the engine cannot price (no tariff loaded for the
  date, an HTS no revision has) is counted with the reason, not reconciled.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from zonekeeper.analytics.findings import Opportunity, supplier_of
from zonekeeper.analytics.ports import Pricer
from zonekeeper.analytics.records import EntryLine
from zonekeeper.money import ZERO, fmt, in_money_context
from zonekeeper.tariff.countries import iso_alpha2

SHOWN = 20
"""Evidence lines listed per finding; the rest are counted."""
CENT = Decimal("0.01")


@dataclass(frozen=True)
class LineCheck:
    """One line whose reported duty differs from the recomputed one (a cent per tariff
    ordinal is rounding, not a difference)."""

    entry: str
    line: int
    row: int | None
    reported: Decimal
    recomputed: Decimal

    @property
    def difference(self) -> Decimal:
        """Reported minus recomputed: positive = more paid than the tariff asks."""
        return self.reported - self.recomputed


@dataclass(frozen=True)
class QualityReport:
    """The findings, every line that does not reconcile, how many lines were recomputed and
    why the others could not be (reason -> number of lines)."""

    findings: tuple[Opportunity, ...]
    reconciliation: tuple[LineCheck, ...]
    recomputed: int
    not_recomputed: dict[str, int] = field(default_factory=dict)


def _where(line: EntryLine) -> str:
    row = f" (row {line.row})" if line.row is not None else ""
    return f"entry {line.entry} line {line.line}{row}"


def _shown(items: Sequence[str]) -> tuple[str, ...]:
    more = len(items) - SHOWN
    return tuple(items[:SHOWN]) + ((f"... and {more} more",) if more > 0 else ())


def _entries(lines: Sequence[EntryLine]) -> tuple[str, ...]:
    return tuple(sorted({line.entry for line in lines}))


def _finding(title: str, lines: Sequence[EntryLine], evidence: Sequence[str], risk: str,
             action: str, amount: Decimal | None = None, reason: str | None = None,
             ) -> Opportunity:
    return Opportunity(
        "data_quality", amount, _entries(lines), _shown(evidence), risk, action,
        amount_reason=reason if amount is None else None, title=title,
        supplier=supplier_of(line.manufacturer for line in lines),
        month=min(line.entry_date for line in lines).strftime("%Y-%m") if lines else "")


def classification_conflicts(lines: Sequence[EntryLine]) -> list[Opportunity]:
    """One finding per part (or description) entered under more than one HTS number."""
    by_key: dict[str, list[EntryLine]] = defaultdict(list)
    for line in lines:
        key = line.part.strip() or line.description.strip().lower()
        if key:
            by_key[key].append(line)
    found = []
    for key, group in sorted(by_key.items()):
        codes = Counter(line.hts for line in group)
        if len(codes) < 2:
            continue
        label = "part" if group[0].part.strip() else "description"
        found.append(_finding(
            f"{label} {key!r} entered under {len(codes)} HTS numbers", group,
            [f"HTS {hts}: {n} line(s), e.g. {_where(next(x for x in group if x.hts == hts))}"
             for hts, n in codes.most_common()],
            "at most one classification is right; entries under the others may owe duty "
            "(19 U.S.C. 1592 penalties) or have overpaid it",
            "have a licensed broker decide the classification (a binding ruling, 19 CFR 177, "
            "where in doubt); correct open entries by post-summary correction, disclose "
            "underpayments (19 U.S.C. 1592(c)(4)), protest overpayments within 180 days of "
            "liquidation",
            reason="depends on which classification is right"))
    return found


def origin_problems(lines: Sequence[EntryLine]) -> list[Opportunity]:
    """Lines with no country of origin, and lines whose origin is no ISO 3166 code."""
    known = iso_alpha2()
    missing = [line for line in lines if not line.origin]
    invalid = [line for line in lines if line.origin and line.origin not in known]
    found = []
    risk = ("the origin decides the rate column, Chapter 99 measures and preferences; a wrong "
            "origin is a false statement on the entry (19 U.S.C. 1592)")
    if missing:
        found.append(_finding(
            f"{len(missing)} line(s) without a country of origin", missing,
            [_where(line) for line in missing], risk,
            "add the country of origin (19 CFR 134; 19 CFR 102 for the rules) from the "
            "commercial invoice and correct the entry", reason="the duty depends on the origin"))
    if invalid:
        found.append(_finding(
            f"{len(invalid)} line(s) with an invalid country of origin", invalid,
            [f"{_where(line)}: {line.origin!r}" for line in invalid], risk,
            "correct the origin to its ISO 3166 alpha-2 code", reason="the duty depends on "
            "the origin"))
    return found


@in_money_context
def quality_report(lines: Sequence[EntryLine], pricer: Pricer) -> QualityReport:
    """The whole data-quality report (see the module docstring)."""
    refused: list[tuple[EntryLine, str]] = []
    checks: list[tuple[EntryLine, LineCheck]] = []
    cannot: Counter[str] = Counter()
    recomputed = 0
    known = iso_alpha2()
    for line in lines:
        if line.origin not in known:
            cannot["no valid country of origin"] += 1
            continue
        priced = pricer.price(line, line.spi or None)
        if line.spi and priced.spi_refused:
            refused.append((line, priced.spi_refused))
        if priced.duty is None:
            cannot[priced.reasons[0] if priced.reasons else "the duty engine gave no duty"] += 1
            continue
        recomputed += 1
        reported = line.total_duty
        if abs(reported - priced.duty) > CENT * (1 + len(line.chapter99)):
            checks.append((line, LineCheck(line.entry, line.line, line.row, reported,
                                           priced.duty)))
    found = classification_conflicts(lines) + origin_problems(lines)
    if refused:
        found.append(_finding(
            f"{len(refused)} line(s) claim a preference they are not eligible for",
            [line for line, _ in refused],
            [f"{_where(line)}: {why}" for line, why in refused],
            "duty at the General rate is owed on these lines, with interest; a pattern is "
            "a 19 U.S.C. 1592 exposure",
            "check the program and the origin; where the claim is wrong, correct the entry "
            "(post-summary correction before liquidation) or file a prior disclosure",
            reason="the duty owed is part of the reconciliation below"))
    found.extend(_reconciliation(checks))
    return QualityReport(tuple(found), tuple(c for _, c in checks), recomputed, dict(cannot))


def _reconciliation(checks: Sequence[tuple[EntryLine, LineCheck]]) -> list[Opportunity]:
    over = [(line, c) for line, c in checks if c.difference > ZERO]
    under = [(line, c) for line, c in checks if c.difference < ZERO]
    found = []

    def evidence(items: Sequence[tuple[EntryLine, LineCheck]]) -> list[str]:
        return [f"{_where(line)}: reported {fmt(c.reported)}, tariff on {line.entry_date} "
                f"{fmt(c.recomputed)}, difference {fmt(c.difference)}" for line, c in items]

    if over:
        found.append(_finding(
            f"{len(over)} line(s) paid more duty than the tariff asks", [x for x, _ in over],
            evidence(over),
            "the difference may be a Chapter 99 measure the engine does not apply to these "
            "goods (an end-use or content condition) or a classification the tariff data "
            "reads differently: confirm each line before claiming",
            "claim the overpayment: post-summary correction before liquidation, protest "
            "within 180 days after it (19 U.S.C. 1514)",
            amount=sum((c.difference for _, c in over), ZERO)))
    if under:
        found.append(_finding(
            f"{len(under)} line(s) paid less duty than the tariff asks", [x for x, _ in under],
            evidence(under),
            "an underpayment is a liability (19 U.S.C. 1592; interest under 19 U.S.C. "
            "1505(d)); it may also be a measure the importer was exempt from (an exclusion, "
            "a content value) that the data does not show",
            "confirm each line; correct open entries, consider a prior disclosure "
            "(19 CFR 162.74) for liquidated ones",
            amount=sum((-c.difference for _, c in under), ZERO)))
    return found
