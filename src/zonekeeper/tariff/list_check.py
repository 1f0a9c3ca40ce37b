"""The shipped Chapter 99 product lists against a schedule revision (`tariff check --measures`).

The measure table attaches Section 301 and 232 duties through shipped product lists
(`s301/`, `s232/`); the schedule itself says which Chapter 99 heading applies to a line in
its footnotes ("See 9903.88.15."). Where the two disagree, one of them is stale. The check
compares them at 8 digits (a 10-digit line counts for its 8-digit subheading), revision by
revision, and names each difference with what resolves it:

- `listed_absent`: a listed code no line of the revision has (renumbered or retired: find
  the codes now under its 6-digit subheading; the quote's `stale_list_codes` warns on them);
- `listed_unfootnoted`: the code is there but no line names the heading (USITC footnotes
  only some lines; the list stays authoritative; a suspended heading is never footnoted);
- `footnoted_unlisted`: a line names the heading, its code is not listed (list incomplete,
  or a 10-digit carve-in: add it with its source);
- `not_checkable`: the revision's export carries no footnotes (the USITC CSV exports), so
  only `listed_absent` can be checked;
- `not_footnoted_by_design`: programs the schedule attaches by U.S. note and country, never
  by footnote (IEEPA, Section 122, semiconductors, the April 2026 metals annexes): their
  coverage cannot be checked against the lines.

Pure: the shell hands over the codes, the lists and the footnotes (research prototype:
`research/tariff-history/crosscheck_301.py`; design: DESIGN.md §5).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

RESOLUTIONS = {
    "listed_absent": "renumbered or retired: concord to the codes now under its 6-digit "
    "subheading and update the list with its source",
    "listed_unfootnoted": "the schedule footnotes only some lines; the list stays "
    "authoritative (a suspended heading is never footnoted)",
    "footnoted_unlisted": "the list is incomplete or the line is a 10-digit carve-in: add "
    "the code to the list with its source",
    "not_checkable": "the export has no footnotes (USITC CSV): only listed_absent is checked",
    "not_footnoted_by_design": "attached by U.S. note and origin, never by footnote: the "
    "coverage cannot be checked against the lines",
}
# Programs the schedule never footnotes on goods lines (DESIGN.md §1: no goods line of 2025
# Basic .. 2026 Rev 10 footnotes a 9903.01/.02/.03/.79/.82 heading).
BY_DESIGN = (
    ("9903.01-9903.02", "IEEPA"),
    ("9903.03", "Section 122"),
    ("9903.79", "Section 232 semiconductors"),
    ("9903.82", "Section 232 metals annexes of April 2026"),
)
_SEE = re.compile(r"9903\.\d\d\.\d\d")


@dataclass(frozen=True)
class ListDifference:
    """One kind of difference for one heading in one revision, with every code it concerns."""

    revision: str
    heading: str
    kind: str
    codes: tuple[str, ...]  # 8-digit codes (empty for the kinds about a whole program)

    @property
    def resolution(self) -> str:
        return RESOLUTIONS[self.kind]


def footnoted_headings(footnotes: Iterable[str]) -> set[str]:
    """The Chapter 99 headings a line's footnotes name (`See 9903.88.15.` -> 9903.88.15)."""
    return {h for text in footnotes for h in _SEE.findall(text)}


def check_lists(
    revision: str,
    codes: Iterable[str],
    lists: Mapping[str, Iterable[tuple[str, date | None]]],
    footnotes: Mapping[str, tuple[str, ...]] | None,
) -> list[ListDifference]:
    """Every difference between the shipped lists and one revision.

    `codes`: the revision's HTS numbers (digits); `lists`: coverage key -> (prefix, since),
    as `coverage_tables` gives them, of which the Section 301 lists (`s301:<heading>`) are
    compared with the footnotes and every list of 8+-digit prefixes is checked for absent
    codes; `footnotes`: HTS digits -> the line's footnote texts, or None when the revision's
    export has none."""
    present = {c[:8] for c in codes if len(c) >= 8}
    out: list[ListDifference] = []
    noted: dict[str, set[str]] = defaultdict(set)
    if footnotes is None:
        out.append(ListDifference(revision, "*", "not_checkable", ()))
    else:
        for code, texts in footnotes.items():
            if len(code) >= 8:
                for heading in footnoted_headings(texts):
                    noted[heading].add(code[:8])
    for key in sorted(lists):
        listed = {p for p, _ in lists[key] if len(p) >= 8}
        listed8 = {p[:8] for p in listed}
        if not listed8:
            continue
        heading = key.split(":", 1)[1] if key.startswith(("s301:", "s232_derivative:")) else key
        absent = listed8 - present
        if absent:
            out.append(ListDifference(revision, heading, "listed_absent", tuple(sorted(absent))))
        if footnotes is None or not key.startswith("s301:"):
            continue
        named = noted.get(heading, set())
        unfootnoted = (listed8 & present) - named
        if unfootnoted:
            out.append(
                ListDifference(revision, heading, "listed_unfootnoted", tuple(sorted(unfootnoted)))
            )
        unlisted = named - listed8
        if unlisted:
            out.append(
                ListDifference(revision, heading, "footnoted_unlisted", tuple(sorted(unlisted)))
            )
    out.extend(
        ListDifference(revision, headings, "not_footnoted_by_design", ())
        for headings, _ in BY_DESIGN
    )
    return out
