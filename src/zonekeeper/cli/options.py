"""The options several commands share, each declared once as a Typer `Annotated` alias.

A command takes one by its alias (`zone: ZoneOption = None`), so the option's name, type and
help read the same on every command that has it, and a change to one is made here once.
Options of one command only stay with it. Nothing here opens books or reads files: the
aliases cost nothing to import, whichever command runs (`zonekeeper.cli`'s lazy areas).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from zonekeeper.errors import InputError


def naming_options(error: InputError, options: Mapping[str, str]) -> InputError:
    """A use case's refusal as the command reports it: each problem of a value typed on the
    command line (no file) names the option it came from (`options`: field -> option)."""
    return InputError([p if p.file is not None or p.field is None
                       else replace(p, field=options.get(p.field, p.field))
                       for p in error.problems])

# -- the books --------------------------------------------------------------------------

ZoneOption = Annotated[
    str | None,
    typer.Option("--zone", help="Zone number (needed only when the database holds several)."),
]

# -- posting a file (admit, produce, ship, count, status-change, suspense, file, filed, ...) --

FileArgument = Annotated[
    Path, typer.Argument(help="CSV with a header, or JSON lines (.jsonl); see docs/files.md.")
]
SkipPostedOption = Annotated[
    bool,
    typer.Option(
        "--skip-posted",
        help="Leave out rows the books already hold with identical content (an export "
        "posted again); a row whose document is in the books with other content is still "
        "refused.",
    ),
]
DryRunOption = Annotated[
    bool,
    typer.Option(
        "--dry-run",
        help="Run every check of the file and of the posting against the books now, and "
        "write nothing: exit 0 saying what would be posted, or 2 with the problems.",
    ),
]
PostJsonOption = Annotated[
    bool,
    typer.Option(
        "--json",
        help="Print what was posted as one JSON document (for scripts): the events, "
        "postings, skipped rows, discrepancies, warnings and the books' head.",
    ),
]
StrictOption = Annotated[
    bool,
    typer.Option(
        "--strict-pf",
        help="Refuse an NPF/D admission whenever a measure requires PF, also Section 232 and "
        "AD/CVD (whose scope turns on content, end use or producer; by default a warning).",
    ),
]

# -- reading and printing ----------------------------------------------------------------

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON (for scripts).")]
DutyJsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object")]
TariffJsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]
# Entries, Form 214 data and HMF (`entry`, `fees hmf`)
HtmlOption = Annotated[Path | None, typer.Option("--html", help="Write printable HTML to FILE.")]
PdfOption = Annotated[Path | None, typer.Option("--pdf", help="Write a PDF to FILE.")]
# The zone's annual reports (`reconcile`, `report board`)
ReportHtmlOption = Annotated[
    Path | None, typer.Option("--html", help="Write the report as printable HTML to FILE.")
]
ReportPdfOption = Annotated[
    Path | None, typer.Option("--pdf", help="Write the report as a PDF to FILE.")
]
EstimatesOption = Annotated[
    Path | None,
    typer.Option("--estimates", help="CSV of filed 3461 estimates: week, filed_on, part, "
                 "quantity[, supplemental] (checks removals against them)."),
]
FeesOption = Annotated[
    Path | None,
    typer.Option("--fees", help="Extra fee rows (CSV like data/tariff/fees.csv), e.g. FY2028"),
]
