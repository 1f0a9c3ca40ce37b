"""The documents of `zonekeeper tariff check|show|revisions|status --json`.

A rate is printed as its published text with what the parser read from it (kind, the
quantities it needs, the ad valorem percent as plain decimal text), so a script sees both
the law's words and the product's reading of them.
"""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from zonekeeper.app.outputs import Output
from zonekeeper.sources.history import TariffStatus
from zonekeeper.tariff.check import CheckReport
from zonekeeper.tariff.expressions import Rate, SpecialRates
from zonekeeper.tariff.list_check import ListDifference
from zonekeeper.tariff.schedule import Revision, TariffLine


class UnparsedRate(Output):
    """A rate text the parser cannot read, where it is first printed."""

    text: str
    column: str
    hts: str
    revision: str
    reason: str | None  # a known error of the source, why it is not a rate


class TariffCheck(Output):
    """`tariff check`: every distinct rate text of the loaded revisions, and those that do
    not parse (quotes on them say "cannot compute")."""

    revisions: list[str]
    distinct: int
    parsed: int
    parse_rate_pct: float
    source_errors: int
    rates_parsed_pct: float
    kinds: dict[str, int]
    unparsed: list[UnparsedRate]

    @classmethod
    def of(cls, report: CheckReport) -> TariffCheck:
        return cls.model_construct(
            revisions=list(report.revisions), distinct=report.distinct, parsed=report.parsed,
            parse_rate_pct=round(report.parse_rate_pct, 2),
            source_errors=len(report.explained),
            rates_parsed_pct=round(report.rates_parsed_pct, 2), kinds=dict(report.kinds),
            unparsed=[UnparsedRate.model_construct(text=u.text, column=u.column, hts=u.hts,
                                                   revision=u.revision, reason=u.reason or None)
                      for u in report.unparsed],
        )  # fmt: skip


class ListDifferenceDoc(Output):
    """`tariff check --measures`: where a shipped list and a revision disagree, and what to do."""

    revision: str
    heading: str
    kind: str
    count: int
    codes: list[str]
    resolution: str

    @classmethod
    def of(cls, d: ListDifference) -> ListDifferenceDoc:
        return cls.model_construct(revision=d.revision, heading=d.heading, kind=d.kind,
                                   count=len(d.codes), codes=list(d.codes),
                                   resolution=d.resolution)  # fmt: skip


class RevisionDoc(Output):
    """A loaded revision: its name, the day it is in force from, how many codes it has."""

    name: str
    effective: str
    codes: int

    @classmethod
    def of(cls, revision: Revision) -> RevisionDoc:
        return cls.model_construct(name=revision.name, effective=revision.effective.isoformat(),
                                   codes=len(revision))  # fmt: skip


class RateDoc(Output):
    text: str
    kind: str
    needs: list[str]
    ad_valorem_pct: str | None
    reference: str | None
    note: str | None

    @classmethod
    def of(cls, rate: Rate) -> RateDoc:
        pct = rate.ad_valorem_pct
        return cls.model_construct(
            text=rate.text, kind=rate.kind, needs=sorted(rate.needs),
            ad_valorem_pct=None if pct is None else format(pct.normalize(), "f"),
            reference=rate.reference, note=rate.note,
        )  # fmt: skip


class SpecialGroup(Output):
    programs: list[str]
    rate: RateDoc


class SpecialDoc(Output):
    """The Special column: each group of programs (SPI) with its rate (General Note 3(c))."""

    text: str
    groups: list[SpecialGroup]
    unassigned: RateDoc | None

    @classmethod
    def of(cls, special: SpecialRates) -> SpecialDoc:
        return cls.model_construct(
            text=special.text,
            groups=[SpecialGroup.model_construct(programs=list(g.programs), rate=RateDoc.of(g.rate))
                    for g in special.groups],
            unassigned=None if special.unassigned is None else RateDoc.of(special.unassigned),
        )  # fmt: skip


class TariffLineDoc(Output):
    """`tariff show`: one line of the revision in force, its rates and description path."""

    hts: str
    revision: str
    effective: str
    description: str
    path: list[str]
    units: list[str]
    rate_line: str
    general: RateDoc
    special: SpecialDoc
    column2: RateDoc
    additional_duties: str | None = Field(default=None)

    @classmethod
    def of(cls, line: TariffLine, revision: Revision) -> TariffLineDoc:
        return cls.model_construct(
            hts=line.code.dotted, revision=revision.name,
            effective=revision.effective.isoformat(), description=line.description,
            path=list(revision.description_path(line.code)), units=list(line.units),
            rate_line=line.rate_code.dotted, general=RateDoc.of(line.general),
            special=SpecialDoc.of(line.special), column2=RateDoc.of(line.column2),
            additional_duties=line.additional or None,
        )  # fmt: skip


class RevisionStatusDoc(Output):
    """A loaded revision in `tariff status`: the first day quotes are priced from it, the day
    it came into force, and where it comes from (`history`, `shipped` or `imported`)."""

    name: str
    serves_from: dt.date
    in_force: dt.date
    origin: str


class TariffStatusDoc(Output):
    """`tariff status`: every loaded revision and the horizon (the newest revision's date;
    quotes dated after it warn), with how many days today lies beyond it (null with the
    reason in `cannot_compute` when no revision is loaded)."""

    revisions: list[RevisionStatusDoc]
    horizon: dt.date | None
    today: dt.date
    days_beyond_horizon: int | None
    cannot_compute: list[str]

    @classmethod
    def of(cls, found: TariffStatus) -> TariffStatusDoc:
        return cls.model_construct(
            revisions=[RevisionStatusDoc.model_construct(
                name=r.name, serves_from=r.serves_from, in_force=r.in_force, origin=r.origin)
                for r in found.revisions],
            horizon=found.horizon, today=found.today, days_beyond_horizon=found.days_beyond,
            cannot_compute=list(found.cannot_compute),
        )  # fmt: skip
