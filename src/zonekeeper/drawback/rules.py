"""Who may be designated against what: the substitution standards and the time windows.

- 1313(j)(2) (190.2 "substitutable merchandise" (3); 190.32): same 8-digit HTSUS subheading;
  but when the import's 8-digit description begins with "Other", only the same 10-digit
  statistical number qualifies, and only when that 10-digit description does not begin
  with "Other". Independently, an export whose Schedule B number shares its first 8 digits
  with the import's subheading qualifies.
- 1313(b) (190.2 (1); 190.22): same 8-digit HTSUS subheading as the substitute input.
- 1313(c) (190.2 (2); 190.41): same 8-digit subheading and the same part number; export
  within 1 year of import (the issue's standard for rejected merchandise returned).
- 1313(j)(1) (190.31) and 1313(a) (190.21): direct identification — the same article:
  same part number when both sides carry one, else the same 10-digit HTS.
- Windows: see `calendar`. Every pair carries its reasons so a claim can be defended.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache

from zonekeeper.drawback.calendar import (
    anniversary,
    claim_deadline,
    manufacturing_deadline,
    unused_export_deadline,
)
from zonekeeper.drawback.measures import DutyClass
from zonekeeper.drawback.ports import DescriptionSource
from zonekeeper.drawback.records import ClaimType, Export, ImportLine
from zonekeeper.tariff.units import read_unit

_OTHER = re.compile(r"^\s*other\b", re.IGNORECASE)


def begins_with_other(description: str | None) -> bool:
    """190.2: the article description "begins with the term 'other'"."""
    return description is not None and bool(_OTHER.match(description))


class Route(StrEnum):
    """The standard a pair qualifies under; recorded on each designation."""

    HTS8 = "hts8"  # same 8-digit subheading
    HTS10 = "hts10"  # same 10-digit number, 8-digit "Other" rule
    SCHEDULE_B = "schedule_b"  # Schedule B first 8 digits = import subheading
    PART = "part"  # same part number (direct identification, 1313(c))
    SAME_HTS10 = "same_hts10"  # direct identification by 10-digit classification


@dataclass(frozen=True)
class J2Standard:
    """How an import may be substituted under 1313(j)(2), read from the schedule."""

    key: str | None  # the code a substitute must share ('hts8' digits or 'hts10' digits)
    route: Route | None
    reason: str


def j2_standard(imp: ImportLine, descriptions: DescriptionSource) -> J2Standard:
    """The HTS route for an import (190.2 'substitutable merchandise' (3)).

    The schedule in force on the import date is read: the classification is the one
    reported at entry (190.51(c)(1)(i)).
    """
    code8 = imp.hts[:8]
    desc8 = descriptions.own_description(code8, imp.import_date)
    if desc8 is None:
        return J2Standard(None, None, f"HTS {code8} not found in the schedule in force on "
                          f"{imp.import_date}: the 8/10-digit rule cannot be applied")
    if not begins_with_other(desc8):
        return J2Standard(code8, Route.HTS8, f"same 8-digit subheading {code8} "
                          f"(description {desc8[:60]!r}), 190.2")
    if len(imp.hts) < 10:
        return J2Standard(None, None, f"subheading {code8} begins with 'Other' and the "
                          "import gives no 10-digit number (190.2)")
    desc10 = descriptions.own_description(imp.hts[:10], imp.import_date)
    if desc10 is None or begins_with_other(desc10):
        return J2Standard(None, None, f"subheading {code8} begins with 'Other' and the "
                          f"10-digit {imp.hts[:10]} description {desc10!r} does too: "
                          "no HTS substitution (190.2); Schedule B route only")
    return J2Standard(imp.hts[:10], Route.HTS10, f"subheading {code8} begins with 'Other': "
                      f"same 10-digit {imp.hts[:10]} ({desc10[:60]!r}), 190.2")


@dataclass(frozen=True)
class Demand:
    """What import quantity is designated against: an export (j, c) or an input use (a, b).

    `quantity` is in the import's unit. `cap_by_class` is the substitution lesser-of limit
    per unit after 99%, for each duty class (`DutyClass`; a class missing from it would owe
    nothing), or None (no such limit: direct identification). `foreign_cap` is the limit on
    the whole refund per unit of an export to Canada or Mexico (99% of the duty paid there,
    19 U.S.C. 4534, 19 CFR 182.44), or None. `cap_reason` explains the limits, or why they
    cannot be computed (then `priced` is False and the demand is not designated).
    `refusal` is the law's reason no drawback is paid on the demand at all (182.42(c): no
    1313(j)(2) drawback on goods exported to Canada or Mexico; a USMCA export without the
    duty paid there): such a demand is listed under `not_designated` with it.
    """

    id: int
    export: Export
    use_date: date
    hts: str
    part: str | None
    quantity: Decimal
    unit: str
    cap_by_class: Mapping[DutyClass, Decimal] | None
    cap_reason: str
    priced: bool = True
    production_ref: str | None = None
    foreign_cap: Decimal | None = None
    refusal: str | None = None

    @property
    def cap_per_unit(self) -> Decimal | None:
        """The substitution limit on the whole per unit (the classes' sum), or None."""
        if self.cap_by_class is None:
            return None
        return sum(self.cap_by_class.values(), Decimal(0))


# ACE ES-003 unit-of-measure codes (`Line Tariff UOM (1) Code`) that are not also HTSUS
# spellings known to `unit_key`; each maps to the canonical key of `tariff.units`.
_ACE_UOM: dict[str, str] = {
    "dpr": "doz_pr", "pfl": "pf_liter", "ckg": "clean_kg", "hd": "head", "lnm": "m",
    "grs": "gross", "ths": "thousand",
}


def unit_of(text: str) -> str | None:
    """The canonical unit key of `text` (`tariff.units.read_unit`, or an ACE UOM code).

    None when the unit is unknown: the readers refuse it, since a quantity in a unit the
    HTSUS does not use cannot be compared with another (190.51(a)(2)(viii): the unit of
    measure required under the HTSUS for substitution claims).
    """
    known = read_unit(text)
    if known is not None:
        return known.key
    return _ACE_UOM.get(text.strip().rstrip(".").lower())


def same_unit(a: str, b: str) -> bool:
    """Same unit of measure after canonicalisation ("No." = "pcs" = "NO"; "prs." = "pr.")."""
    return normalize_unit(a) == normalize_unit(b)


@lru_cache(maxsize=1024)
def normalize_unit(unit: str) -> str:
    """The canonical key of `unit`; an unknown unit keeps a marked form of its own spelling.

    Unknown units never match a known one; two records with the same unknown spelling still
    match each other (the readers refuse unknown units, so this only serves callers that
    build records directly).

    Cached: a plan asks it for every import, demand and designation (half a million times
    on 100,000 lines), of a handful of spellings, and the answer depends on the spelling
    alone (the unit tables are constants).
    """
    key = unit_of(unit)
    return key if key is not None else "?" + unit.strip().rstrip(".").upper()


def export_deadline(claim: ClaimType, import_date: date) -> date:
    """Last export/destruction day for a designation of this import under `claim`."""
    if claim.manufacturing:
        return manufacturing_deadline(import_date)
    if claim is ClaimType.C:
        return anniversary(import_date, 1) - timedelta(days=1)
    return unused_export_deadline(import_date)


def deadline_reason(claim: ClaimType) -> str:
    if claim.manufacturing:
        return "used and exported within 5 years after importation (190.27)"
    if claim is ClaimType.C:
        return "exported within 1 year of importation (1313(c))"
    return "exported before the close of the 5-year period from importation (190.32(a))"


@dataclass(frozen=True)
class Verdict:
    """Whether one import line may be designated against one demand, and why (not)."""

    ok: bool
    route: Route | None
    reasons: tuple[str, ...]
    failures: tuple[str, ...] = ()  # the reasons that refuse the pair (empty when ok)


def check_pair(
    claim: ClaimType,
    imp: ImportLine,
    demand: Demand,
    descriptions: DescriptionSource,
    claim_date: date,
    *,
    standard: J2Standard | None = None,
) -> Verdict:
    """Every rule for one pair, with its reason (used to defend each designation).

    `standard`: the import's `j2_standard`, when the caller has read it already (a plan
    reads it once per import line, not once per designation); read here otherwise.
    """
    reasons: list[str] = []
    failures: list[str] = []

    def refuse(reason: str) -> None:
        reasons.append(reason)
        failures.append(reason)

    route = _route(claim, imp, demand, descriptions, reasons, standard)
    if route is None:
        failures.append(reasons[-1])
    if not same_unit(imp.unit, demand.unit):
        refuse(f"unit {imp.unit} of the import differs from {demand.unit} (190.51(a)(2)(xi))")
    exported = demand.export.export_date
    if demand.use_date < imp.import_date:
        refuse(f"{'used' if claim.manufacturing else 'exported'} {demand.use_date} "
               f"before importation {imp.import_date}")
    last = export_deadline(claim, imp.import_date)
    if exported > last:
        refuse(f"exported {exported} after {last}: not {deadline_reason(claim)}")
    else:
        reasons.append(f"imported {imp.import_date}, exported {exported} by {last}: "
                       f"{deadline_reason(claim)}")
    if exported > claim_date:
        refuse(f"exported {exported} after the claim date {claim_date} (190.32(a))")
    filing = claim_deadline(imp.import_date)
    if claim_date > filing:
        refuse(f"claim date {claim_date} after {filing}: 5 years from import (190.51(e))")
    else:
        reasons.append(f"claim by {filing} (190.51(e))")
    ok = not failures
    return Verdict(ok, route if ok else None, tuple(reasons), tuple(failures))


def _route(
    claim: ClaimType,
    imp: ImportLine,
    demand: Demand,
    descriptions: DescriptionSource,
    reasons: list[str],
    standard: J2Standard | None = None,
) -> Route | None:
    if claim is ClaimType.J2:
        std = standard if standard is not None else j2_standard(imp, descriptions)
        if std.route is Route.HTS8 and demand.hts[:8] == std.key:
            reasons.append(std.reason)
            return Route.HTS8
        if std.route is Route.HTS10 and demand.hts[:10] == std.key:
            reasons.append(std.reason)
            return Route.HTS10
        sched = demand.export.schedule_b
        if sched and sched[:8] == imp.hts[:8]:
            reasons.append(f"Schedule B {sched} shares its first 8 digits with the import's "
                           f"subheading {imp.hts[:8]} (190.2)")
            return Route.SCHEDULE_B
        reasons.append(f"not substitutable: {std.reason}; export HTS {demand.hts}")
        return None
    if claim is ClaimType.B:
        if demand.hts[:8] == imp.hts[:8]:
            reasons.append(
                f"substitute input in the same 8-digit subheading {imp.hts[:8]} (190.2, 190.22)"
            )
            return Route.HTS8
        reasons.append(f"input HTS {demand.hts} not in subheading {imp.hts[:8]} (190.22)")
        return None
    if claim is ClaimType.C:
        if demand.hts[:8] == imp.hts[:8] and imp.part and demand.part == imp.part:
            reasons.append(f"same subheading {imp.hts[:8]} and part {imp.part} (190.2 (2))")
            return Route.PART
        reasons.append(f"1313(c) needs the same subheading and part number "
                       f"(import {imp.hts[:8]}/{imp.part}, export {demand.hts[:8]}/{demand.part})")
        return None
    # Direct identification: 1313(a), 1313(j)(1).
    if imp.part and demand.part:
        if imp.part == demand.part:
            reasons.append(f"identified by part number {imp.part} (190.14, 190.21/190.31)")
            return Route.PART
        reasons.append(f"part {demand.part} is not the imported part {imp.part}")
        return None
    if len(imp.hts) >= 10 and demand.hts[:10] == imp.hts[:10]:
        reasons.append(f"identified by 10-digit classification {imp.hts[:10]} (190.14)")
        return Route.SAME_HTS10
    reasons.append(f"not identified: HTS {demand.hts} vs imported {imp.hts}")
    return None
