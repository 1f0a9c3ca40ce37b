"""Chapter 99 measures (Sections 301, 232, 122, IEEPA) and AD/CVD as dated data.

A measure is an additional duty that the HTSUS places in subchapters III and IV of
chapter 99 and attaches to goods by product list and origin. Each one is a row of
`data/tariff/measures/measures.csv` (heading, rate, countries, validity, PF and drawback
attributes, stacking) whose product coverage comes from the shipped lists
(`s301/s301_product_lists.csv`, `s232/*`), matched by HTS prefix. Nothing here is a
constant in code: a new proclamation is a new row.

Dates. `valid_from`/`valid_to` are inclusive and apply to the date the rule is applied on:
the entry (summary) filing date for ordinary and NPF goods (19 CFR 146.65(a)(2)), the PF
filing date for privileged-foreign goods (19 CFR 146.65(a)(1)) unless the measure
`overrides_pf_freeze`. `pf_required_from` is the date from which covered goods admitted to a
zone must take PF status (domain.md §1; e.g. 19 CFR 146.41 clauses in each proclamation).

Stacking (documented in docs/duty.md):
- Within one program only the highest `precedence` group applies: the Section 301 four-year
  review headings 9903.91/.92 replace (not add to) lists 1-4A (U.S. note 31); Section 232
  autos displace metals (copper proclamation cl. 5, EO 14289) and MHD parts.
- `not_with`: a measure that does not stack on another program (Section 122 cl. 4 and U.S.
  note 2(aa)(v); IEEPA reciprocal EO 14257 sec. 3(b)) is dropped when a full-value measure of
  that program applies, and applies only to the value not subject to it when the blocking
  measure is levied on metal content.
- Section 301 stacks on 232, 122 and IEEPA, on the full customs value.
- `exempt_spi`: a granted USMCA claim (S/S+) exempts auto parts, MHD parts, Section 122
  (9903.03.07/.08) and the IEEPA Canada/Mexico duties.

Coverage that turns on a fact the HTS number does not show is data too
(`measures/end_use.csv`): e.g. U.S. note 33(g) lists the whole of heading 8471 for Section 232
automobile parts, but only parts of passenger vehicles and light trucks are covered; the rest
of the listed provisions take 9903.94.06, no additional duty (note 33(h)(ii)). Such a measure
is not applied on the HTS number alone: the quote says what would apply and why.

Mandatory PF follows the duty, not the list: every FTZ clause reaches goods "subject to the
duty imposed by this proclamation/order" (e.g. Proclamation 10908 cl. 8; Proclamation of
2026-02-20 cl. 6), so goods that a granted preference claim exempts from a measure are not
required to be PF by it (`pf_required(..., spi=...)`, `pf_exemptible`).

Drawback: `drawback_eligible` is the measure's answer for every claim type; where the action
limits drawback to some provisions (the 2026-04-02 metals proclamation cl. 13: manufacturing
drawback under 19 U.S.C. 1313(a)-(b) only), `drawback_claims` names them and
`drawback_for(claim)` answers per claim type.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from zonekeeper.dates import parse_date
from zonekeeper.errors import InputError, Problem, ragged_row
from zonekeeper.money import parse_decimal
from zonekeeper.tariff.expressions import AdValorem, Rate


class Program(StrEnum):
    """The kind of a duty component, as the JSON contract names it."""

    BASE = "base"
    SECTION301 = "section301"
    SECTION232 = "section232"
    SECTION122 = "section122"
    IEEPA = "ieepa"
    ADCVD = "adcvd"
    OTHER = "other"


# Programs whose lists are exclusive: one heading per product.
_EXCLUSIVE = frozenset({Program.SECTION301})
# Chapters of iron or steel, copper and aluminum: goods a U.S. note 16 subdivision may reach.
_METAL_CHAPTERS = frozenset({"72", "73", "74", "76"})

RateShape = Literal["ad_valorem", "content", "floor"]


@dataclass(frozen=True)
class InTransit:
    """The in-transit rule of an action: goods loaded on a vessel (or in final mode of transit)
    before a time and entered before a later date keep the earlier treatment, under the heading
    to claim (e.g. 9903.01.23 for EO 14195; 9903.01.28 for EO 14257 sec. 3(b); EO 14326
    sec. 3: "9903.01.25 (10%) instead"). The entry date alone cannot decide it: the loading
    date does, so a quote inside the window names the rule instead of applying it."""

    text: str  # as the row states it: "HEADING[ (RATE) instead]: loaded ...; entered ..."
    claim: str  # the heading to claim
    entered_until: date  # the last entry date the rule reaches (inclusive)


_HEADING = re.compile(r"9903\.\d\d\.\d\d")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _in_transit(text: str) -> InTransit | None:
    """`9903.01.28: loaded before 2025-04-05; entered before 2025-05-27 (...; later before
    2025-06-16)` or `...; entered 2025-02-04..2025-03-06`: the last entry date is the latest
    date of the `entered` clause (an extension CBP granted counts), exclusive after `before`,
    inclusive at the end of a `D1..D2` range. ValueError for a text that names no heading or
    no entry date."""
    text = text.strip()
    if not text:
        return None
    claim = _HEADING.match(text)
    if claim is None:
        raise ValueError(f"in_transit {text!r} must start with the heading to claim (9903.xx.xx)")
    _, found, entered = text.partition("entered ")
    dates = [parse_date(d) for d in _ISO_DATE.findall(entered)] if found else []
    if not dates:
        raise ValueError(
            f"in_transit {text!r} must say by when the goods are entered "
            f"('entered before YYYY-MM-DD' or 'entered YYYY-MM-DD..YYYY-MM-DD')"
        )
    ranged = re.match(r"\d{4}-\d{2}-\d{2}\.\.", entered) is not None
    until = max(dates) if ranged else max(dates) - timedelta(days=1)
    return InTransit(text, claim.group(0), until)


@dataclass(frozen=True)
class Exclusion:
    """A Section 301 product exclusion (`s301/s301_exclusions.csv`): goods of statistical
    reporting number `hts10` that match `description` are not subject to the list heading
    `excludes` when entered with a claim for `heading` (U.S. note 20(vvv) and (www) to
    subchapter III: "when such products of China are entered with a claim for the tariff
    treatment provided in heading 9903.88.69/.70"). An empty description is an item that
    names the number alone. Without the claim the list duty stands: the quote names the
    exclusion and its heading."""

    heading: str  # the exclusion heading to claim (9903.88.69, 9903.88.70)
    excludes: str  # the list heading it lifts (9903.88.01, .02, .03, .15)
    note: str  # U.S. note 20 subdivision and item: `20(vvv)(iii)(12)`
    hts10: str
    description: str
    valid_from: date
    valid_to: date

    def in_force(self, on: date) -> bool:
        return self.valid_from <= on <= self.valid_to


@dataclass(frozen=True)
class Unlisted:
    """A coverage key whose goods no shipped list names (`measures/unlisted_coverage.csv`):
    goods defined by description (potash, energy and critical minerals), by a CBP
    determination, or by a U.S. note subdivision whose list is not in the USITC export. A
    measure with such coverage is never applied from the HTS number: the quote names it as
    one that may apply, with the reason."""

    coverage: str
    goods: str
    why: str


def _unlisted_warning(measure: Measure, why: Unlisted) -> str:
    """What a quote says of a measure no list can apply by HTS number (`Unlisted`)."""
    return (
        f"{measure.heading} ({measure.title}, {measure.rate.text}) not applied: it covers "
        f"{why.goods}, which the HTS number cannot show ({why.why}); if the goods are such, "
        f"it applies"
    )


@dataclass(frozen=True)
class Measure:
    """One Chapter 99 heading's additional duty over one validity interval."""

    id: str
    program: Program
    heading: str
    title: str
    rate: Rate
    countries: frozenset[str] | None  # ISO alpha-2; None = every origin
    valid_from: date
    valid_to: date | None
    pf_required_from: date | None
    overrides_pf_freeze: bool
    drawback_eligible: bool | None  # None = conditional
    source: str
    except_countries: frozenset[str] = frozenset()
    exempt_spi: frozenset[str] = frozenset()
    precedence: int = 1
    not_with: frozenset[Program] = frozenset()
    status: str = "confirmed"  # confirmed | unconfirmed | yale_reading | suspended
    shape: RateShape = "ad_valorem"
    drawback_claims: frozenset[str] = frozenset()  # ClaimType values; empty = no restriction
    in_transit: InTransit | None = None
    except_headings: str = ""  # headings that carve goods out of it (U.S. notes), as listed
    first_rev: str = ""  # the first revision whose heading text prints this rate (evidence)
    last_rev: str = ""  # the last one
    date_basis: str = ""  # where valid_from/valid_to come from: heading, EO, CSMS, inference

    def drawback_for(self, claim: str | None) -> bool | None:
        """Whether this measure's duty is refundable under drawback claim type `claim`
        (`a`, `b`, `j1`, `j2`, `c`: 19 U.S.C. 1313); None = conditional / cannot tell.

        A measure that names `drawback_claims` allows exactly those provisions (e.g. the
        2026-04-02 metals proclamation cl. 13: 1313(a)-(b) manufacturing drawback only);
        without a claim type the answer stays conditional."""
        if self.drawback_claims:
            if claim is None:
                return None
            return claim.strip().lower() in self.drawback_claims
        return self.drawback_eligible

    @property
    def pct(self) -> Decimal:
        component = self.rate.components[0]
        assert isinstance(component, AdValorem)
        return component.pct

    @property
    def content_key(self) -> str | None:
        """The content the duty is levied on (`steel`, `aluminum`, `copper`), if any."""
        component = self.rate.components[0]
        return component.of if isinstance(component, AdValorem) else None

    def in_force(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)

    def covers_origin(self, origin: str) -> bool:
        if origin in self.except_countries:
            return False
        return self.countries is None or origin in self.countries


@dataclass(frozen=True)
class AdcvdCase:
    """An antidumping or countervailing duty case with the user's cash-deposit rate.

    Rates are case-, producer- and exporter-specific (19 USC 1673, 1671; 19 CFR 351), so the
    user supplies them. Never refundable by drawback (19 USC 1313; domain.md §5); goods
    admitted to a zone must be PF (15 CFR 400.13(c)).
    """

    case: str
    rate_pct: Decimal
    kind: Literal["AD", "CVD"] = "AD"

    @staticmethod
    def infer_kind(case: str) -> Literal["AD", "CVD"]:
        """Commerce numbers cases A-xxx-xxx (AD) and C-xxx-xxx (CVD)."""
        return "CVD" if case.strip().upper().startswith("C") else "AD"


@dataclass(frozen=True)
class Exemption:
    """A product exemption from a measure's program (e.g. U.S. note 2(aa)(ii)-(iv))."""

    heading: str
    condition: str


@dataclass(frozen=True)
class _Cover:
    measure: Measure
    prefix: str
    since: date | None  # a list entry's own inclusion date, when later than the measure's
    condition: str | None = None  # a fact the HTS number does not show (end_use.csv)


@dataclass
class MeasureBook:
    """Every measure with its product coverage, indexed by HTS prefix for fast lookup."""

    measures: tuple[Measure, ...]
    covers: tuple[_Cover, ...]
    s122_exempt: Mapping[str, Exemption] = field(default_factory=dict)
    universal: frozenset[str] = frozenset()  # ids of measures covering every product
    unlisted: tuple[tuple[Measure, Unlisted], ...] = ()  # named when they may apply, never applied
    exclusions: Mapping[str, tuple[Exclusion, ...]] = field(default_factory=dict)  # by HTS8
    _by_prefix: dict[str, list[_Cover]] = field(init=False, repr=False)
    _universal: list[Measure] = field(init=False, repr=False)
    _by_heading: dict[str, Measure] = field(init=False, repr=False)
    _by_hs6: dict[str, list[_Cover]] = field(init=False, repr=False)
    # Indexes for `applicable` (built once, at load): the covers of each prefix and the
    # universal ones, already filtered by origin. An origin no measure names by country
    # (`countries`, `except_countries`) is filed under "" (see `_origin_key`).
    _origins: frozenset[str] = field(init=False, repr=False)
    _by_prefix_origin: dict[str, dict[str, tuple[_Cover, ...]]] = field(init=False, repr=False)
    _universal_origin: dict[str, tuple[_Cover, ...]] = field(init=False, repr=False)
    # each unlisted measure with the warning that names it (the same for every line)
    _unlisted_origin: dict[str, tuple[tuple[Measure, str], ...]] = field(
        init=False, repr=False
    )
    _hs6_prefixes: dict[str, tuple[str, ...]] = field(init=False, repr=False)
    _s122_sizes: tuple[int, ...] = field(init=False, repr=False)
    _prefix_sizes: tuple[int, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._by_prefix = defaultdict(list)
        self._by_hs6 = defaultdict(list)
        for cover in self.covers:
            self._by_prefix[cover.prefix].append(cover)
            if len(cover.prefix) >= 8:
                self._by_hs6[cover.prefix[:6]].append(cover)
        self._universal = [m for m in self.measures if m.id in self.universal]
        self._by_heading = {}
        for measure in sorted(self.measures, key=lambda m: m.valid_from):
            self._by_heading[measure.heading] = measure
        self._index()

    def _index(self) -> None:
        """The origin-filtered cover lists `applicable` walks (order kept: it decides the
        order of components and warnings), the listed 8+-digit prefixes of each subheading,
        and the prefix lengths of the Section 122 exemptions."""
        named: set[str] = set()
        for m in self.measures:
            named |= m.countries or frozenset()
            named |= m.except_countries
        self._origins = frozenset(named)
        # which origins a measure treats differently from an unnamed one
        keys = {
            m.id: frozenset((m.countries or frozenset()) | m.except_countries)
            for m in self.measures
        }
        masks: dict[tuple[str, ...], dict[str, tuple[int, ...]]] = {}

        def by_origin(covers: list[_Cover]) -> dict[str, tuple[_Cover, ...]]:
            ids = tuple(c.measure.id for c in covers)
            mask = masks.get(ids)
            if mask is None:
                relevant = {""}
                for c in covers:
                    relevant |= keys[c.measure.id]
                mask = {
                    key: tuple(i for i, c in enumerate(covers) if c.measure.covers_origin(key))
                    for key in relevant
                }
                masks[ids] = mask
            return {key: tuple(covers[i] for i in kept) for key, kept in mask.items()}

        self._by_prefix_origin = {p: by_origin(cs) for p, cs in self._by_prefix.items()}
        self._universal_origin = by_origin([_Cover(m, "", None) for m in self._universal])
        said = [(m, _unlisted_warning(m, u)) for m, u in self.unlisted]
        self._unlisted_origin = {
            key: tuple((m, text) for m, text in said if m.covers_origin(key))
            for key in {"", *(o for m, _ in self.unlisted for o in keys[m.id])}
        }
        self._hs6_prefixes = {
            hs6: tuple(sorted({c.prefix for c in covers})) for hs6, covers in self._by_hs6.items()
        }
        self._s122_sizes = tuple(sorted({len(p) for p in self.s122_exempt}, reverse=True))
        self._prefix_sizes = tuple(sorted({len(p) for p in self._by_prefix if len(p) >= 2}))

    # -- lookups ---------------------------------------------------------------------------

    def by_heading(self, heading: str) -> Measure | None:
        """The latest measure under a Chapter 99 heading (`9903.88.03`)."""
        return self._by_heading.get(heading.strip())

    def by_id(self, measure_id: str) -> Measure | None:
        return next((m for m in self.measures if m.id == measure_id), None)

    def listed(self, digits: str) -> list[tuple[Measure, date | None]]:
        """Measures whose product lists name a prefix of `digits` (any date, any origin)."""
        return [(cover.measure, cover.since) for cover in self._covers(digits)]

    def _covers(self, digits: str) -> list[_Cover]:
        found: list[_Cover] = []
        for size in range(2, len(digits) + 1):
            found.extend(self._by_prefix.get(digits[:size], ()))
        return found

    def applicable(
        self,
        code: str,
        origin: str,
        on: date,
        *,
        spi: str | None = None,
        claims: frozenset[str] = frozenset(),
    ) -> tuple[list[Measure], list[str]]:
        """Measures that attach to goods `code` of `origin` on `on`, after stacking rules.

        `spi` is a *granted* preference claim (USMCA S/S+ exempts some measures); `claims`
        are the Section 301 exclusion headings the entry claims (9903.88.69...). Returns the
        measures and warnings (overlaps, displaced lists, exemptions, suspended lists,
        exclusions that may apply, unconfirmed data).
        """
        digits = code.replace(".", "")
        warnings: list[str] = []
        later: list[str] = []  # warnings that matter only if the measure survives stacking
        candidates: list[Measure] = []
        suspended: list[Measure] = []
        seen: set[str] = set()
        # covers already filtered by origin (`_index`), in the order of the unfiltered walk
        key = origin if origin in self._origins else ""
        universal = self._universal_origin
        covers = list(universal.get(key, universal[""]))
        by_prefix = self._by_prefix_origin
        for size in self._prefix_sizes:  # shortest prefix first, as `_covers` walks them
            if size > len(digits):
                break
            entry = by_prefix.get(digits[:size])
            if entry is not None:
                covers.extend(entry.get(key, entry[""]))
        outright: set[str] | None = None
        for cover in covers:
            measure = cover.measure
            if measure.id in seen or on < measure.valid_from:
                continue
            if measure.valid_to is not None and on > measure.valid_to:
                continue
            since = cover.since
            if since is not None and on < since:
                continue
            if cover.condition is not None:
                # A measure listed both outright and on a condition (end_use.csv) applies
                # outright.
                if outright is None:
                    outright = {c.measure.id for c in covers if c.condition is None}
                if measure.id not in outright and measure.status != "suspended":
                    seen.add(measure.id)
                    warnings.append(
                        f"{measure.heading} ({measure.title}, {measure.rate.text}) not applied: "
                        f"its list names {_dotted(cover.prefix)} only for {cover.condition}; "
                        f"if the goods are such, it applies"
                    )
                continue
            seen.add(measure.id)
            if measure.status == "suspended":
                suspended.append(measure)
                continue
            if spi is not None and spi in measure.exempt_spi:
                warnings.append(
                    f"{measure.heading} ({measure.title}) not applied: goods entered under a "
                    f"granted {spi} (USMCA) claim are exempt"
                )
                continue
            if measure.program is Program.SECTION122:
                exemption = self._s122_exemption(digits)
                if exemption is not None and self._exempted(exemption, spi, later):
                    warnings.extend(later)
                    later.clear()
                    continue
            candidates.append(measure)
        if len(candidates) > 1:
            kept = self._by_precedence(candidates, warnings)
            kept = self._one_list_per_program(kept, warnings)
        else:
            kept = candidates
        kept = self._without_blocked(kept, warnings)
        if claims or (kept and digits[:8] in self.exclusions):
            kept = self._excluded(digits, on, kept, claims, warnings)
        if later and any(m.program is Program.SECTION122 for m in kept):
            warnings.extend(later)
        for measure in suspended:
            # An exclusive list (Section 301) is named only when no other list of its program
            # applies; a suspended rate that stacks with others (China's suspended 24 points
            # of 9903.01.63 next to 9903.01.24 and .25) is always named.
            if measure.program not in _EXCLUSIVE or not any(
                m.program is measure.program for m in kept
            ):
                warnings.append(
                    f"{measure.heading} ({measure.title}) covers this product but is "
                    f"suspended: not applied"
                )
        unlisted = self._unlisted_origin.get(key, self._unlisted_origin[""])
        if unlisted:
            self._warn_unlisted(unlisted, digits, on, spi, candidates, warnings)
        for measure in kept:
            self._warn_unmodelled(measure, on, warnings)
        if len(kept) > 1 and len({m.program for m in kept}) < len(kept):
            self._warn_overlaps(kept, warnings)  # only a program applied twice can overlap
        for measure in kept:
            if measure.status == "confirmed":
                continue
            if measure.status == "unconfirmed":
                warnings.append(
                    f"{measure.heading}: dates or rate marked unconfirmed in the measure data "
                    f"({measure.source})"
                )
            elif measure.status == "yale_reading":
                warnings.append(
                    f"{measure.heading}: coverage/rate per the Yale Budget Lab's reading "
                    f"({measure.title}); verify against the proclamation"
                )
        return kept, warnings

    @staticmethod
    def _warn_unlisted(
        unlisted: tuple[tuple[Measure, str], ...],
        digits: str,
        on: date,
        spi: str | None,
        candidates: list[Measure],
        warnings: list[str],
    ) -> None:
        """Name each measure whose goods no shipped list names (`Unlisted`) and that could
        reach these goods: in force, for this origin, not lifted by the granted claim, and of
        a program that already reaches them (an IEEPA origin duty; a Section 232 list or a
        metals chapter 72, 73, 74, 76 for the U.S. note 16 subdivisions)."""
        programs = {m.program for m in candidates}
        if digits[:2] in _METAL_CHAPTERS:
            programs.add(Program.SECTION232)
        for measure, text in unlisted:  # already filtered by origin (`_index`)
            if measure.program not in programs:  # the cheapest test first: most fail it
                continue
            if on < measure.valid_from or (measure.valid_to is not None and on > measure.valid_to):
                continue
            if measure.status == "suspended" or (spi is not None and spi in measure.exempt_spi):
                continue
            warnings.append(text)

    def _excluded(
        self,
        digits: str,
        on: date,
        kept: list[Measure],
        claims: frozenset[str],
        warnings: list[str],
    ) -> list[Measure]:
        """The measures left once the claimed Section 301 exclusions lift their lists (U.S.
        note 20(vvv), (www)); an exclusion in force for this number but not claimed is named
        with what the goods must be; a claim that covers nothing here is said, not ignored."""
        found = [
            e
            for e in self.exclusions.get(digits[:8], ())
            if (e.hts10.startswith(digits) or digits.startswith(e.hts10)) and e.in_force(on)
        ]
        used: set[str] = set()
        out: list[Measure] = []
        for measure in kept:
            relevant = [e for e in found if e.excludes == measure.heading]
            claimed = [e for e in relevant if e.heading in claims]
            if claimed:
                used.update(e.heading for e in claimed)  # each claim that lifts it
                warnings.append(
                    f"{measure.heading} ({measure.title}) not applied: exclusion "
                    f"{claimed[0].heading} claimed ({_exclusion_text(claimed[0])})"
                )
                continue
            out.append(measure)
            for e in relevant:
                warnings.append(
                    f"exclusion {e.heading} may lift {measure.heading}: "
                    f"{_exclusion_text(e)}; claim {e.heading} if the goods qualify"
                )
        for heading in sorted(claims - used):
            warnings.append(
                f"exclusion {heading} claimed but it lifts no Section 301 duty on "
                f"{_dotted(digits)} on {on.isoformat()}: the claim changes nothing"
            )
        return out

    @staticmethod
    def _warn_unmodelled(measure: Measure, on: date, warnings: list[str]) -> None:
        """What an applied measure's row says the HTS number cannot decide: the in-transit
        rule (the loading date decides) and the headings that carve goods out of it
        (donations, informational materials, Annex II products, U.S. content, end uses...)."""
        rule = measure.in_transit
        if rule is not None and on <= rule.entered_until:
            warnings.append(
                f"{measure.heading} ({measure.rate.text}): in-transit rule, the loading date "
                f"decides: {rule.text}"
            )
        if measure.except_headings:
            warnings.append(
                f"{measure.heading} does not reach goods excepted under "
                f"{measure.except_headings.replace(';', ', ')} (not decided from the HTS "
                f"number: claim the heading if the goods qualify)"
            )

    def pf_required(
        self, code: str, origin: str, on: date, *, spi: str | None = None
    ) -> list[Measure]:
        """Measures that require goods admitted on `on` to be privileged foreign (146.41).

        Only measures whose duty the goods are actually subject to: each FTZ clause reaches
        articles "subject to the duty imposed by this proclamation" (e.g. Proclamation 10908
        cl. 8; Proclamation of 2026-02-20 cl. 6), so a granted preference claim `spi` that
        exempts the goods from a measure (USMCA S/S+ for auto parts, Section 122, the IEEPA
        Canada/Mexico duties) removes that measure's PF requirement too. Without `spi`
        (an admission row carries no claim) every measure that could apply is returned; see
        `pf_exemptible` for those a claim would lift."""
        measures, _ = self.applicable(code, origin, on, spi=spi)
        return [m for m in measures if m.pf_required_from is not None and m.pf_required_from <= on]

    def pf_exemptible(self, code: str, origin: str, on: date) -> dict[str, frozenset[str]]:
        """For each measure (by id) that requires PF without a claim: the preference claims
        (SPI codes) that, if granted, exempt the goods from it and so from its PF clause.
        Whether the origin can be granted the claim is the caller's question
        (`tariff.spi.PreferencePrograms`)."""
        required = self.pf_required(code, origin, on)
        out: dict[str, frozenset[str]] = {}
        for measure in required:
            lifting = frozenset(
                spi
                for spi in measure.exempt_spi
                if measure.id not in {m.id for m in self.pf_required(code, origin, on, spi=spi)}
            )
            if lifting:
                out[measure.id] = lifting
        return out

    def stale_list_codes(
        self, code: str, origin: str, on: date, exists: Mapping[str, bool] | None = None
    ) -> list[tuple[Measure, str]]:
        """List entries in the same 6-digit subheading as `code` that the caller reports as
        absent from the schedule (`exists[prefix] is False`): renumbered codes whose goods may
        now sit under `code` and need a concordance."""
        if exists is None:
            return []
        digits = code.replace(".", "")
        out = []
        for cover in self._by_hs6.get(digits[:6], ()):
            m = cover.measure
            if digits.startswith(cover.prefix) or exists.get(cover.prefix, True):
                continue
            if m.covers_origin(origin) and m.in_force(on) and m.status != "suspended":
                out.append((m, cover.prefix))
        return out

    def hs6_list_codes(self, code: str) -> list[str]:
        """Prefixes of 8+ digits listed under the 6-digit subheading of `code`."""
        return list(self.hs6_prefixes(code))

    def list_codes(self) -> tuple[str, ...]:
        """Every listed prefix of 8+ digits (what `hs6_list_codes` draws from), sorted."""
        return tuple(sorted({p for prefixes in self._hs6_prefixes.values() for p in prefixes}))

    def hs6_prefixes(self, code: str) -> tuple[str, ...]:
        """`hs6_list_codes` as the shared, precomputed tuple (sorted; do not copy per line)."""
        return self._hs6_prefixes.get(code.replace(".", "")[:6], ())

    # -- stacking rules --------------------------------------------------------------------

    def _s122_exemption(self, digits: str) -> Exemption | None:
        for size in self._s122_sizes:  # the longest listed prefix of `digits` first
            if size > len(digits) or size < 2:
                continue
            found = self.s122_exempt.get(digits[:size])
            if found is not None:
                return found
        return None

    @staticmethod
    def _exempted(exemption: Exemption, spi: str | None, warnings: list[str]) -> bool:
        """Whether a U.S. note 2(aa) product exemption removes the Section 122 surcharge."""
        if exemption.condition.startswith("spi:"):
            wanted = exemption.condition[4:].split(" ", 1)[0].split(";")
            if spi not in wanted:  # e.g. textiles not entered under CAFTA-DR: no exemption
                return False
        elif exemption.heading == "9903.03.05" and spi != "C":
            warnings.append(
                "Section 122 surcharge applied: civil aircraft articles are exempt under "
                "9903.03.05 only when they meet general note 6 (claim SPI C)"
            )
            return False
        if exemption.heading == "9903.03.04":
            warnings.append(
                "Section 122 surcharge applied: 9903.03.04 exempts only the particular article "
                "described in U.S. note 2(aa)(iii) for this subheading; if the goods are that "
                "article, the surcharge does not apply"
            )
            return False
        warnings.append(
            f"Section 122 surcharge (9903.03.01) not applied: exempt under {exemption.heading} "
            f"(U.S. note 2(aa) to subchapter III of chapter 99)"
        )
        return True

    @staticmethod
    def _by_precedence(measures: list[Measure], warnings: list[str]) -> list[Measure]:
        first = measures[0].precedence if measures else 1
        if all(m.precedence == first for m in measures):
            return list(measures)  # one precedence throughout: nothing displaced
        top: dict[Program, int] = {}
        for m in measures:
            top[m.program] = max(top.get(m.program, 0), m.precedence)
        kept = [m for m in measures if m.precedence == top[m.program]]
        for m in measures:
            if m.precedence < top[m.program]:
                winners = ", ".join(k.heading for k in kept if k.program is m.program)
                warnings.append(
                    f"{m.title} ({m.heading}) lists this product too but is displaced by "
                    f"{winners} (replaces, not stacked)"
                )
        return kept

    @staticmethod
    def _one_list_per_program(measures: list[Measure], warnings: list[str]) -> list[Measure]:
        """Section 301 lists are mutually exclusive (each product is "provided for" in one list,
        U.S. note 20); a product the shipped lists name twice is reported under the earliest
        heading, with a warning to confirm at the 10-digit level."""
        lists = sorted((m for m in measures if m.program in _EXCLUSIVE), key=lambda m: m.heading)
        if len(lists) <= 1:
            return measures
        chosen, rest = lists[0], lists[1:]
        warnings.append(
            f"lists overlap: {', '.join(m.heading for m in lists)} all name this product; "
            f"applied {chosen.heading} once (the lists are exclusive) — confirm the list at the "
            f"10-digit level"
        )
        dropped = {m.id for m in rest}
        return [m for m in measures if m.id not in dropped]

    @staticmethod
    def _without_blocked(measures: list[Measure], warnings: list[str]) -> list[Measure]:
        kept = []
        for m in measures:
            if not m.not_with:
                kept.append(m)
                continue
            blockers = [b for b in measures if b.program in m.not_with]
            if not blockers:
                kept.append(m)
            elif all(b.shape == "content" for b in blockers):
                names = ", ".join(b.heading for b in blockers)
                warnings.append(
                    f"{m.heading} applies only to the value not subject to {names} "
                    f"(metal content excluded)"
                )
                kept.append(m)
            else:
                names = ", ".join(b.heading for b in blockers)
                warnings.append(f"{m.heading} ({m.title}) not applied: not stacked on {names}")
        return kept

    @staticmethod
    def _warn_overlaps(measures: list[Measure], warnings: list[str]) -> None:
        by_program: dict[Program, list[Measure]] = defaultdict(list)
        for m in measures:
            by_program[m.program].append(m)
        for program, group in by_program.items():
            headings = sorted({m.heading for m in group})
            if len(headings) > 1 and program not in _EXCLUSIVE and program is not Program.IEEPA:
                warnings.append(
                    f"lists overlap: {', '.join(headings)} all cover this product; all applied"
                )


# -- loading ---------------------------------------------------------------------------------


def _additional_rate(shape: RateShape, pct: Decimal, of: str | None) -> Rate:
    """The measure's rate as a `Rate` of kind `additional` (added to the goods' own duty)."""
    if shape == "content":
        text = f"+{pct}% of the {of} content value"
    elif shape == "floor":
        text = f"{pct}% floor (duty raised to {pct}% of value)"
    else:
        text = f"+{pct}%"
    return Rate(text=text, kind="additional", components=(AdValorem(pct, of),))


def _parse_rate_cell(text: str) -> tuple[RateShape, Decimal, str | None]:
    """`25%`, `50% of steel`, `floor 15%`; ValueError for anything else."""
    words = text.strip().split()
    shape: RateShape = "ad_valorem"
    of: str | None = None
    if len(words) == 2 and words[0] == "floor":
        shape, words = "floor", words[1:]
    elif len(words) == 3 and words[1] == "of":
        shape, of, words = "content", words[2], words[:1]
    if len(words) != 1 or not words[0].endswith("%"):
        raise ValueError(f"unknown rate {text!r} (want '25%', '50% of steel', 'floor 15%')")
    return shape, parse_decimal(words[0].rstrip("%")), of


def _exclusion_text(e: Exclusion) -> str:
    """`U.S. note 20(vvv)(iii)(12), through 2026-11-09: goods described as ...`."""
    what = (
        f"goods described as: {e.description}"
        if e.description
        else f"every good of {_dotted(e.hts10)}"
    )
    return f"U.S. note {e.note}, through {e.valid_to.isoformat()}: {what}"


def _dotted(prefix: str) -> str:
    """`8471` -> `8471`, `84713001` -> `8471.30.01`, `8482105044` -> `8482.10.50.44`."""
    parts = [prefix[:4]] + [prefix[i : i + 2] for i in range(4, len(prefix), 2)]
    return ".".join(p for p in parts if p)


def _codes(text: str) -> frozenset[str]:
    return frozenset(p.strip().upper() for p in text.split(";") if p.strip())


_CLAIM_TYPES = frozenset({"a", "b", "j1", "j2", "c"})


def _claims(text: str) -> frozenset[str]:
    """`a;b` -> drawback claim types (19 U.S.C. 1313(a), (b), (j)(1), (j)(2), (c))."""
    found = frozenset(p.strip().lower() for p in text.split(";") if p.strip())
    unknown = found - _CLAIM_TYPES
    if unknown:
        raise ValueError(
            f"unknown drawback claim type(s) {', '.join(sorted(unknown))} "
            f"(want a, b, j1, j2, c)"
        )
    return found


def _date(text: str) -> date | None:
    """A date cell of the measure tables (`dates.parse_date`); blank: none."""
    return parse_date(text) if text.strip() else None


def parse_measures(rows: Iterable[Mapping[str, str]], file: str) -> list[tuple[Measure, str]]:
    """Measure rows and their coverage keys; every bad row reported in one InputError.

    The columns `in_transit`, `except_headings`, `first_rev`, `last_rev` and `date_basis`
    (the 2025-2026 actions) are optional: a row without them has no in-transit rule and no
    exception headings."""
    out: list[tuple[Measure, str]] = []
    problems: list[Problem] = []
    for number, row in enumerate(rows, start=2):
        try:
            shape, pct, of = _parse_rate_cell(row["rate"])
            drawback = row["drawback_eligible"].strip().lower()
            start = _date(row["valid_from"])
            if start is None:
                raise ValueError("valid_from is required")
            measure = Measure(
                id=row["id"].strip(),
                program=Program(row["program"].strip()),
                heading=row["heading"].strip(),
                title=row["title"].strip(),
                rate=_additional_rate(shape, pct, of),
                countries=_codes(row["countries"]) or None,
                valid_from=start,
                valid_to=_date(row["valid_to"]),
                pf_required_from=_date(row["pf_required_from"]),
                overrides_pf_freeze=row["overrides_pf_freeze"].strip().lower() == "yes",
                drawback_eligible=None if drawback == "" else drawback == "yes",
                source=row["source"].strip(),
                except_countries=_codes(row["except_countries"]),
                exempt_spi=_codes(row["exempt_spi"]),
                precedence=int(row["precedence"] or 1),
                not_with=frozenset(Program(p.lower()) for p in _codes(row["not_with"])),
                status=row["status"].strip() or "confirmed",
                shape=shape,
                drawback_claims=_claims(row.get("drawback_claims") or ""),
                in_transit=_in_transit(row.get("in_transit") or ""),
                except_headings=(row.get("except_headings") or "").strip(),
                first_rev=(row.get("first_rev") or "").strip(),
                last_rev=(row.get("last_rev") or "").strip(),
                date_basis=(row.get("date_basis") or "").strip(),
            )
            out.append((measure, row["coverage"].strip()))
        except KeyError as error:
            problems.append(
                Problem(
                    f"missing column {error.args[0]!r}", file, number, str(error.args[0]),
                    code="tariff.measures.missing-column",
                )
            )  # fmt: skip
        except ValueError as error:
            problems.append(Problem(str(error), file, number, code="tariff.measures.bad-row"))
    if problems:
        raise InputError(problems)
    return out


# Every file `measure_book` reads, named as under the package's `data/tariff/` folder.
MEASURE_FILES = (
    "measures/measures.csv",
    "measures/s122_exempt.csv",
    "measures/end_use.csv",
    "measures/unlisted_coverage.csv",
    "s301/s301_product_lists.csv",
    "s301/s301_exclusions.csv",
    "s232/s232_derivative_products.csv",
    "s232/s232_copper_products.csv",
    "s232/s232_semi_products.csv",
    "s232/s232_base_articles.csv",
    "s232/s232_annex_products.csv",
    "s232/s232_auto_parts.txt",
    "s232/s232_mhd_parts.txt",
)

Texts = Callable[[str], str]
"""`(name) -> the text of that file` (a name of `MEASURE_FILES`): what the shell read."""


def _rows(text: Texts, name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text(name))))


def coverage_tables(text: Texts) -> Mapping[str, list[tuple[str, date | None]]]:
    """Every shipped product list, keyed as measures.csv names it."""
    tables: dict[str, list[tuple[str, date | None]]] = defaultdict(list)
    for row in _rows(text, "s301/s301_product_lists.csv"):
        tables[f"s301:{row['ch99_code']}"].append((row["hts8"], None))
    for row in _rows(text, "s232/s232_derivative_products.csv"):
        tables[f"s232_derivative:{row['ch99_code']}"].append(
            (row["hts_prefix"], _date(row["effective_date"]))
        )
    for row in _rows(text, "s232/s232_copper_products.csv"):
        tables["s232_copper"].append((row["hts10"], None))
    for row in _rows(text, "s232/s232_semi_products.csv"):
        tables["s232_semi"].append((row["hts10"], None))
    for row in _rows(text, "s232/s232_base_articles.csv"):
        tables[f"s232_base:{row['metal']}"].append((row["hts_prefix"], None))
    for row in _rows(text, "s232/s232_annex_products.csv"):
        tables[f"s232_annex:{row['annex']}"].append(
            (row["hts_prefix"], _date(row["effective_date"]))
        )
    for name, key in (
        ("s232/s232_auto_parts.txt", "s232_auto"),
        ("s232/s232_mhd_parts.txt", "s232_mhd"),
    ):
        for line in text(name).splitlines():
            if line.strip():
                tables[key].append((line.strip(), None))
    return tables


def build_book(
    measures: list[tuple[Measure, str]],
    tables: Mapping[str, list[tuple[str, date | None]]],
    s122_exempt: Mapping[str, Exemption],
    conditions: Mapping[tuple[str, str], str] | None = None,
    unlisted: Mapping[str, Unlisted] | None = None,
    exclusions: Iterable[Exclusion] = (),
) -> MeasureBook:
    """The book; `conditions[(coverage, prefix)]` marks list entries that cover the goods
    only on a fact the HTS number does not show (`measures/end_use.csv`); `unlisted` names
    the coverage keys no shipped list backs (`measures/unlisted_coverage.csv`): their
    measures are named where they may apply, never applied."""
    conditions = conditions or {}
    unlisted = unlisted or {}
    covers: list[_Cover] = []
    universal: set[str] = set()
    pending: list[tuple[Measure, Unlisted]] = []
    problems: list[Problem] = []
    for measure, coverage in measures:
        if coverage == "all":
            universal.add(measure.id)
            continue
        entries = tables.get(coverage)
        if entries is None and coverage in unlisted:
            pending.append((measure, unlisted[coverage]))
            continue
        if entries is None:
            problems.append(
                Problem(
                    f"unknown coverage {coverage!r} (neither a shipped list nor a row of "
                    f"unlisted_coverage.csv)", "measures.csv", None, measure.id,
                    code="tariff.measures.unknown-coverage",
                )
            )  # fmt: skip
            continue
        for prefix, since in entries:
            later = since if since is not None and since > measure.valid_from else None
            digits = prefix.replace(".", "")
            covers.append(_Cover(measure, digits, later, conditions.get((coverage, digits))))
    if problems:
        raise InputError(problems)
    by_hs8: dict[str, list[Exclusion]] = defaultdict(list)
    for exclusion in exclusions:
        by_hs8[exclusion.hts10[:8]].append(exclusion)
    return MeasureBook(
        tuple(m for m, _ in measures), tuple(covers), s122_exempt, frozenset(universal),
        tuple(pending), {k: tuple(v) for k, v in by_hs8.items()},
    )  # fmt: skip


def measure_book(
    text: Texts, tables: Mapping[str, list[tuple[str, date | None]]] | None = None
) -> MeasureBook:
    """The measures with their product lists, from the texts of `MEASURE_FILES` (read by the
    shell: `zonekeeper.sources.shipped`); `tables`: `coverage_tables(text)` when the caller
    keeps them."""
    measures = parse_measures(
        csv.DictReader(io.StringIO(text("measures/measures.csv"))), "measures.csv"
    )
    exempt = {
        row["hts_prefix"]: Exemption(row["heading"], row["condition"])
        for row in _rows(text, "measures/s122_exempt.csv")
    }
    conditions = {
        (row["coverage"].strip(), row["hts_prefix"].strip()): row["condition"].strip()
        for row in _rows(text, "measures/end_use.csv")
    }
    unlisted = {
        row["coverage"].strip(): Unlisted(
            row["coverage"].strip(), row["goods"].strip(), row["why_not_listed"].strip()
        )
        for row in _rows(text, "measures/unlisted_coverage.csv")
    }
    return build_book(
        measures, coverage_tables(text) if tables is None else tables, exempt, conditions,
        unlisted, parse_exclusions(_rows(text, "s301/s301_exclusions.csv"), "s301_exclusions.csv"),
    )  # fmt: skip


def parse_exclusions(rows: Iterable[Mapping[str, str]], file: str) -> list[Exclusion]:
    """The Section 301 exclusion rows; every bad row reported in one InputError."""
    out: list[Exclusion] = []
    problems: list[Problem] = []
    for number, row in enumerate(rows, start=2):
        ragged = ragged_row(row, file, number, code="tariff.exclusions.bad-row")
        if ragged is not None:
            problems.append(ragged)
            continue
        try:
            start, end = _date(row["valid_from"]), _date(row["valid_to"])
            if start is None or end is None:
                raise ValueError("valid_from and valid_to are required")
            hts10 = row["hts10"].strip()
            if not (hts10.isdigit() and len(hts10) == 10):
                raise ValueError(f"hts10 {hts10!r} is not a 10-digit statistical number")
            out.append(
                Exclusion(
                    row["heading"].strip(), row["excludes"].strip(), row["note"].strip(),
                    hts10, row["description"].strip(), start, end,
                )
            )  # fmt: skip
        except KeyError as error:
            problems.append(
                Problem(
                    f"missing column {error.args[0]!r}", file, number, str(error.args[0]),
                    code="tariff.exclusions.missing-column",
                )
            )  # fmt: skip
        except ValueError as error:
            problems.append(Problem(str(error), file, number, code="tariff.exclusions.bad-row"))
    if problems:
        raise InputError(problems)
    return out
