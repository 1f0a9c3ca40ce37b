"""`TariffPfRule`: the ledger's `pf_rule` seam answered from the tariff's Chapter 99 measures.

19 CFR 146.41 and 15 CFR 400.13(c): goods a trade action's FTZ clause reaches must be
admitted in privileged foreign status. `MeasureBook.pf_required` says which measures require
it for an HTS number and origin on a date; `MeasureBook.pf_exemptible` which preference
claims would lift a measure (and so its PF clause); `PreferencePrograms` whether the origin
can claim them at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from zonekeeper.errors import InputError
from zonekeeper.tariff.measures import MeasureBook, Program
from zonekeeper.tariff.spi import PreferencePrograms

# Programs whose coverage the HTS number and origin decide alone: a measure of these that
# requires PF refuses an NPF or domestic admission. Section 232 (metal content, USMCA-qualifying
# auto parts, end use) and AD/CVD (producer, scope ruling) turn on facts an admission row does
# not carry, so for them the requirement is reported as a warning unless the books are strict.
DECISIVE_PROGRAMS = frozenset({Program.SECTION301, Program.SECTION122, Program.IEEPA})

Lookup = tuple[tuple[str, ...], tuple[str, ...]]
_LOOKUP_LIMIT = 65_536  # answers kept per rule (one rule per Ledger); the oldest goes first


@dataclass(eq=False)
class TariffPfRule:
    """`pf_rule` for the core from the tariff's measures (`MeasureBook.pf_required`): the
    reasons an admission must be privileged foreign (19 CFR 146.41; 15 CFR 400.13(c); the
    FTZ clauses of each trade action). A measure whose coverage HTS and origin decide alone
    refuses the admission; one that depends on facts the row lacks (Section 232, AD/CVD) is
    a warning, or a refusal too when `strict`.

    `measures` and `programs` load the tariff's data when the first admission needs them
    (most batches need no tariff at all). Data that cannot be loaded (a file missing or
    damaged: `OSError`, `InputError`) is a warning, never a crash: the books go on, and the
    user is told the check did not run.
    """

    measures: Callable[[], MeasureBook]
    programs: Callable[[], PreferencePrograms]
    strict: bool = False
    warnings: list[str] = field(default_factory=list)
    _book: MeasureBook | None = None
    _parties: dict[str, frozenset[str] | None] | None = None
    _failed: bool = False
    _seen: set[str] = field(default_factory=set)
    _found: dict[tuple[str, str, dt.date], Lookup] = field(default_factory=dict)

    def _measures(self) -> MeasureBook | None:
        if self._book is None and not self._failed:
            try:
                self._book = self.measures()
            except (OSError, InputError) as error:
                self._failed = True
                self.warnings.append(
                    "mandatory-PF check skipped: the tariff's measures could not be loaded "
                    f"({type(error).__name__}: {error})"
                )
        return self._book

    def _programs(self) -> dict[str, frozenset[str] | None]:
        """SPI code -> the origins that can claim it (None: any); empty when the table
        cannot be loaded (then no claim lifts a PF requirement: the stricter answer)."""
        if self._parties is None:
            try:
                table = self.programs().programs
                self._parties = {code: p.partners for code, p in table.items()}
            except (OSError, InputError) as error:
                self._parties = {}
                self.warnings.append(
                    "preference claims not considered in the mandatory-PF check: the SPI "
                    f"table could not be loaded ({type(error).__name__}: {error})"
                )
        return self._parties

    def __call__(self, hts: str, origin: str, on: dt.date) -> list[str]:
        key = (hts, origin, on)
        found = self._found.get(key)
        if found is None:
            found = self._lookup(hts, origin, on)
            if len(self._found) >= _LOOKUP_LIMIT:
                del self._found[next(iter(self._found))]
            self._found[key] = found
        refusals, notes = found
        for note in notes:
            if note not in self._seen:
                self._seen.add(note)
                self.warnings.append(note)
        return list(refusals)

    def _lookup(self, hts: str, origin: str, on: dt.date) -> Lookup:
        book = self._measures()
        if book is None:
            return (), ()
        found = book.pf_required(hts, origin, on)
        lifted = self._lifted(book, hts, origin, on) if found else {}
        refusals, notes = [], []
        for m in found:
            reason = (
                f"{m.heading} ({m.title}) requires privileged foreign status for goods "
                f"admitted from {m.pf_required_from} ({m.source})"
            )
            claims = lifted.get(m.id)
            if claims and not self.strict:
                # The FTZ clauses reach goods "subject to the duty" (e.g. Proclamation of
                # 2026-02-20 cl. 6; Proclamation 10908 cl. 8): goods a preference claim
                # exempts are not, and an admission row does not say whether they qualify.
                notes.append(
                    f"HTS {hts} from {origin} admitted not in PF status: {reason}, unless the "
                    f"goods qualify for {'/'.join(sorted(claims))} (a qualifying good is "
                    "exempt from the duty, so its PF clause does not reach it) - check the "
                    "Form 214"
                )
            elif self.strict or m.program in DECISIVE_PROGRAMS:
                refusals.append(reason)
            else:
                notes.append(
                    f"HTS {hts} from {origin} admitted not in PF status: {reason}, if the goods "
                    "are within its scope (content, end use, USMCA) - check the Form 214"
                )
        return tuple(refusals), tuple(notes)

    def _lifted(
        self, book: MeasureBook, hts: str, origin: str, on: dt.date
    ) -> dict[str, frozenset[str]]:
        """Measures (by id) whose PF requirement a preference claim the origin can be
        granted would lift (`MeasureBook.pf_exemptible`; parties from `tariff.spi`)."""
        exemptible = book.pf_exemptible(hts, origin, on)
        if not exemptible:
            return {}
        parties = self._programs()
        out: dict[str, frozenset[str]] = {}
        for measure_id, claims in exemptible.items():
            usable = frozenset(c for c in claims if c in parties and _may_claim(parties[c], origin))
            if usable:
                out[measure_id] = usable
        return out


def _may_claim(partners: frozenset[str] | None, origin: str) -> bool:
    return partners is None or origin in partners
