"""Drawback files in and out: import entry lines, exports, production, prior claims, plans.

Inputs are CSV with a header row, JSON (a list of objects) or JSON lines (`.jsonl`).
Column names are matched case-insensitively; the ACE ES-003 "Entry Summary Line Tariff
Details" names are accepted for import lines (`Entry Summary Number`, `Entry Summary Line
Number`, `HTS Number - Full`, `Line Tariff Goods Value Amount`, `Line Tariff Duty Amount`,
`Line Tariff Quantity (1)`, `Line Tariff UOM (1) Code`, `Country of Origin Code`, `Entry
Date`, `Importer Number`). In ES-003 each Chapter 99 heading is its own tariff-ordinal row
of the same line: such a row's duty is added to the line's component for that heading's
program (301, 232, 122, IEEPA), never to the ordinary duty.

A reader validates the whole file and raises `InputError` with every problem (file, row,
field) or returns frozen records: nothing is half read. Rows are numbered as a spreadsheet
shows them (header = row 1); in JSON the first object is row 1.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from zonekeeper.drawback.claim import Claim, check_plan
from zonekeeper.drawback.measures import ImportCharge
from zonekeeper.drawback.plan import Designation, Method, Plan, demand_key
from zonekeeper.drawback.records import (
    ClaimType,
    Export,
    ExportDisposition,
    ImportLine,
    PriorDesignation,
    ProductionInput,
)
from zonekeeper.drawback.rules import unit_of
from zonekeeper.errors import InputError, Problem
from zonekeeper.io import cells, csv_out
from zonekeeper.io.tabular import TOO_DEEP, read_table, read_text
from zonekeeper.money import LIMIT, in_money_context, parse_whole, usd
from zonekeeper.zone.limits import unstorable

ES003: Mapping[str, str] = {
    "entry summary number": "entry_no",
    "entry summary line number": "line",
    "hts number - full": "hts",
    "line tariff goods value amount": "value",
    "line tariff duty amount": "duty",
    "line tariff quantity (1)": "quantity",
    "line tariff uom (1) code": "unit",
    "country of origin code": "origin",
    "entry date": "import_date",
    "importer number": "importer",
    "tariff ordinal number": "ordinal",
}

HeadingClassifier = Callable[[str], ImportCharge | None]
# Why an HTS number (digits) is in no loaded schedule revision; None when it is known.
HtsCheck = Callable[[str], str | None]
CellParser = Callable[[str], Any]


def is_chapter99(digits: str) -> bool:
    """A Chapter 99 subchapter III heading (9903.xx: trade-action additional duties).

    Only these are ES-003 tariff-ordinal rows adding duty to the line; any other code
    beginning with 99 is read as an ordinary line and validated as one.
    """
    return digits.startswith("9903")


def _norm(name: str) -> str:
    key = " ".join(name.strip().lstrip("\ufeff").lower().split())
    return ES003.get(key, key.replace(" ", "_"))


def read_rows(path: Path, problems: list[Problem]) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number, {normalized column: text}) for each data row of a CSV/JSON/JSONL file.

    Structural problems (not UTF-8, a repeated column, too many cells, bad JSON) go into
    `problems`, every one with its row (`tabular.read_table`); an unreadable file or a
    broken header raises InputError at once, since no row could be trusted.
    """
    table = read_table(path, normalise=_norm, json_list=True)
    if table.unreadable or table.header_broken:
        raise InputError(table.problems)
    problems.extend(table.problems)
    for n, obj in table.rows:
        yield n, {k: "" if v is None else str(v).strip() for k, v in obj.items()}


# -- the cells only drawback files have ---------------------------------------------------

def hts_line(raw: str) -> str:
    """An 8- or 10-digit HTS (or Schedule B) number, as digits (`io.cells.hts`)."""
    return cells.hts(raw, shortest=8)


def _chapter99_heading(digits: str) -> bool:
    return len(digits) == 6 and is_chapter99(digits)


def hts_or_heading(raw: str) -> str:
    """An import row's HTS number: a line's, or a 6-digit Chapter 99 heading (9903.xx, ES-003
    ordinal rows)."""
    return cells.hts(raw, shortest=8, or_heading=_chapter99_heading)


def unit(raw: str) -> str:
    """A unit of measure the HTSUS uses (`rules.unit_of`), kept as written."""
    if unit_of(raw) is None:
        raise ValueError(f"unknown unit of measure {raw!r}: use an HTSUS unit (No., pcs, "
                         "kg, doz., prs., liters, m2, ...) or an ACE UOM code")
    return raw


_DISPOSITIONS = {
    "export": ExportDisposition.EXPORT, "exported": ExportDisposition.EXPORT,
    "destruction": ExportDisposition.DESTRUCTION, "destroyed": ExportDisposition.DESTRUCTION,
    "zone_restricted": ExportDisposition.ZONE_RESTRICTED,
    "zone-restricted": ExportDisposition.ZONE_RESTRICTED,
    "zr": ExportDisposition.ZONE_RESTRICTED,
}


def disposition(raw: str) -> ExportDisposition:
    """How the goods left: exported, destroyed (190.71) or admitted to a zone in
    zone-restricted status (a deemed export, 190.181)."""
    found = _DISPOSITIONS.get(raw.lower())
    if found is None:
        raise ValueError(f"disposition must be export, destruction or zone_restricted: "
                         f"{raw.lower()!r}")
    return found


_CLAIM_TYPES = {"a": ClaimType.A, "b": ClaimType.B, "c": ClaimType.C, "j1": ClaimType.J1,
                "j2": ClaimType.J2}


def claim_type(raw: str) -> ClaimType:
    """A 1313 provision: a, b, c, j1, j2, also written `1313(j)(2)`."""
    key = raw.lower().replace("(", "").replace(")", "")
    found = _CLAIM_TYPES.get(key.removeprefix("1313").strip())
    if found is None:
        raise ValueError(f"claim_type must be a, b, c, j1 or j2: {key!r}")
    return found


# -- the formats ------------------------------------------------------------------------

RECORD_DEFAULT: Any = object()
"""A blank optional cell leaves the record's default for its field."""


@dataclass(frozen=True)
class Column:
    """One column of a drawback file, declared once: its name (the field of the core record
    it fills), its cell parser (`io.cells` or one above) and whether every row must fill it
    (a blank optional cell gives `blank`, or else leaves the record's own default). `code`
    names a refusal by `parse` (`Problem.code`); `in_schedule`: an HTS number also looked
    up in the loaded schedule (`HtsCheck`) when the reader is given one."""

    name: str
    parse: CellParser
    required: bool = True
    blank: Any = RECORD_DEFAULT
    code: str = "drawback.cell.invalid"
    in_schedule: bool = False


@dataclass(frozen=True)
class Format:
    """A drawback file format: its columns, in the order a row is checked (so a row's
    problems are listed in that order), and the core record a good row makes."""

    columns: tuple[Column, ...]
    record: Callable[..., Any] | None

    def values(
        self, file: str, row: int, texts: Mapping[str, str], problems: list[Problem],
        known: HtsCheck | None = None, part: slice = slice(None),
    ) -> dict[str, Any] | None:
        """The typed values of the row's columns (or of `part` of them), each refusal a
        problem naming file, row and column; None when a required cell is blank or refused.

        A blank or refused optional cell is left out: the row still makes its record, so
        that the checks across rows (a key given twice, a run or a fee that differs) report
        on it too, in the same pass; the file is refused all the same.
        """
        values: dict[str, Any] = {}
        usable = True
        for column in self.columns[part]:
            raw = texts.get(column.name, "").strip()
            reason, code = None, column.code
            if not raw:
                if column.required:
                    reason, code = "missing", "drawback.cell.missing"
            else:
                try:
                    value = column.parse(raw)
                except ValueError as error:
                    reason = str(error)
                else:
                    if column.in_schedule and known is not None and not is_chapter99(value):
                        reason, code = known(value), "drawback.cell.hts-unknown"
                    if reason is None:
                        values[column.name] = value
            if reason is not None:
                problems.append(Problem(reason, file=file, row=row, field=column.name,
                                        code=code))
                usable = usable and not column.required
        return values if usable else None

    def make(self, values: Mapping[str, Any], row: int) -> Any:
        """The core record of a row's `values`, with its row number."""
        assert self.record is not None
        blanks = {c.name: c.blank for c in self.columns
                  if c.name not in values and c.blank is not RECORD_DEFAULT}
        return self.record(**values, **blanks, row=row)


def _amount(name: str, required: bool = True) -> Column:
    """A money column: a decimal, 0 or more (`io.cells.nonnegative_decimal`)."""
    return Column(name, cells.nonnegative_decimal, required)


_IMPORT_KEY = (
    Column("entry_no", cells.text),
    Column("line", cells.whole),
    Column("hts", hts_or_heading, code="drawback.cell.hts-invalid", in_schedule=True),
)
IMPORTS = Format(
    (
        *_IMPORT_KEY,
        Column("import_date", cells.ace_date),
        Column("quantity", cells.positive_decimal),
        Column("unit", unit, code="drawback.cell.unit-unknown"),
        _amount("value"),
        _amount("duty"),
        *(_amount(name, required=False) for name in (
            "duty_301", "duty_232", "duty_122", "duty_ieepa", "duty_ieepa_reciprocal",
            "duty_ieepa_fentanyl", "duty_adcvd", "hmf", "mpf")),
        Column("origin", cells.country, required=False),
        Column("part", cells.text, required=False),
        Column("importer", cells.text, required=False),
    ),
    ImportLine,
)
"""Import entry lines (ACE ES-003 names accepted: `ES003`), one per entry summary line."""

CHAPTER99_ROWS = Format(
    (*_IMPORT_KEY, _amount("duty"), _amount("quantity", False), _amount("value", False)),
    None,
)
"""An ES-003 tariff-ordinal row of a Chapter 99 heading: its duty adds to its line's."""

EXPORTS = Format(
    (
        Column("export_ref", cells.text),
        Column("export_date", cells.ace_date),
        Column("hts", hts_line, code="drawback.cell.hts-invalid", in_schedule=True),
        Column("quantity", cells.positive_decimal),
        Column("unit", unit, code="drawback.cell.unit-unknown"),
        _amount("value"),
        Column("schedule_b", hts_line, required=False, code="drawback.cell.hts-invalid"),
        Column("notice_date", cells.ace_date, required=False),
        Column("disposition", disposition, required=False,
               code="drawback.cell.disposition-unknown"),
        Column("origin", cells.country, required=False),
        Column("destination", cells.country, required=False),
        _amount("foreign_duty", required=False),
        Column("same_condition", cells.yes_no, required=False),
        Column("part", cells.text, required=False),
    ),
    Export,
)
"""Exports, destructions and zone-restricted admissions (deemed exports, 190.181)."""

PRODUCTION = Format(
    (
        Column("production_ref", cells.text),
        Column("date", cells.ace_date),
        Column("product_part", cells.text),
        Column("product_qty", cells.positive_decimal),
        Column("input_part", cells.text, required=False, blank=None),
        Column("input_hts", hts_line, required=False, blank=None,
               code="drawback.cell.hts-invalid"),
        Column("input_qty", cells.positive_decimal),
        _amount("input_value", required=False),
    ),
    ProductionInput,
)
"""Production records (190.26): one row per input of a run."""

CLAIMED = Format(
    (
        Column("entry_no", cells.text),
        Column("line", cells.whole),
        Column("quantity", cells.positive_decimal),
        Column("claim_no", cells.text),
        Column("claim_type", claim_type, required=False,
               code="drawback.cell.claim-type-unknown"),
    ),
    PriorDesignation,
)
"""Import quantities designated on earlier claims (190.51(a)(3))."""


# -- the readers ------------------------------------------------------------------------

def _default_heading(heading: str) -> ImportCharge | None:
    """Program of a Chapter 99 heading by its number, when the tariff engine is not asked."""
    if heading.startswith("990388") or heading.startswith("990391"):
        return ImportCharge.S301
    if heading[:6] in ("990380", "990381", "990385", "990394", "990378", "990379"):
        return ImportCharge.S232
    if heading.startswith("990303"):
        return ImportCharge.S122
    if heading.startswith("990301") or heading.startswith("990302"):
        return ImportCharge.IEEPA
    return None


_ADD = {
    ImportCharge.S301: "duty_301", ImportCharge.S232: "duty_232", ImportCharge.S122: "duty_122",
    ImportCharge.IEEPA: "duty_ieepa", ImportCharge.IEEPA_RECIPROCAL: "duty_ieepa_reciprocal",
    ImportCharge.IEEPA_FENTANYL: "duty_ieepa_fentanyl", ImportCharge.ADCVD: "duty_adcvd",
}


@in_money_context
def read_imports(
    path: Path, classify: HeadingClassifier | None = None, known: HtsCheck | None = None,
) -> tuple[ImportLine, ...]:
    """Import entry lines (`IMPORTS`; see the module docstring for ES-003).

    Only 9903 headings are Chapter 99 rows (`is_chapter99`, `CHAPTER99_ROWS`); their
    optional quantity and value are still checked. `known` refuses an HTS number no loaded
    schedule has. `mpf` is the entry's fee: one value per entry (190.51(b)(2)).
    """
    classify = classify or _default_heading
    file = str(path)
    problems: list[Problem] = []
    lines: dict[tuple[str, int], ImportLine] = {}
    extras: list[tuple[int, tuple[str, int], str, Decimal]] = []
    fee_of_entry: dict[str, tuple[Decimal, int]] = {}
    after_key = len(_IMPORT_KEY)
    for n, row in read_rows(path, problems):
        key = IMPORTS.values(file, n, row, problems, known, part=slice(0, after_key))
        hts = key.get("hts") if key is not None else None
        if hts is not None and is_chapter99(hts):
            rest = CHAPTER99_ROWS.values(file, n, row, problems, part=slice(after_key, None))
            if key is not None and rest is not None:
                extras.append((n, (key["entry_no"], key["line"]), hts, rest["duty"]))
            continue
        rest = IMPORTS.values(file, n, row, problems, part=slice(after_key, None))
        if key is None or rest is None:
            continue
        line = IMPORTS.make({**key, **rest}, n)
        if line.key in lines:
            problems.append(Problem(f"entry {line.entry_no} line {line.line} given twice",
                                    file=file, row=n, field="line",
                                    code="drawback.imports.repeated-line"))
            continue
        if line.mpf is not None:
            seen = fee_of_entry.setdefault(line.entry_no, (line.mpf, n))
            if seen[0] != line.mpf:
                problems.append(Problem(
                    f"entry {line.entry_no}: MPF {line.mpf} differs from {seen[0]} on row "
                    f"{seen[1]} (mpf is the entry's fee; give the same value on each line or "
                    "on one)", file=file, row=n, field="mpf",
                    code="drawback.imports.mpf-differs"))
        lines[line.key] = line
    for n, entry_line, heading, amount in extras:
        target = lines.get(entry_line)
        component = classify(heading)
        if target is None:
            problems.append(Problem(f"Chapter 99 row for entry {entry_line[0]} line "
                                    f"{entry_line[1]} with no line of its own", file=file,
                                    row=n, field="hts", code="drawback.imports.chapter99-orphan"))
        elif component is None or component not in _ADD:
            problems.append(Problem(f"Chapter 99 heading {heading}: program unknown",
                                    file=file, row=n, field="hts",
                                    code="drawback.imports.chapter99-program-unknown"))
        else:
            attr = _ADD[component]
            lines[entry_line] = replace(target, **{attr: getattr(target, attr) + amount})
    if problems:
        raise InputError(problems)
    return tuple(lines.values())


@in_money_context
def read_exports(path: Path, known: HtsCheck | None = None) -> tuple[Export, ...]:
    """Exports, destructions and zone-restricted admissions (`EXPORTS`; deemed exports,
    190.181).

    `destination` is an ISO 3166-1 alpha-2 code like `origin` (an export to CA or MX is
    under 19 CFR part 182 subpart E); `foreign_duty` is the duty paid to Canada or Mexico
    on the exported good, in USD (190.51(a)(2)(xv)); `same_condition` (yes/no, blank no)
    is the claimant's same-condition certification of 190.51(a)(2)(xv).
    """
    file = str(path)
    problems: list[Problem] = []
    out: dict[str, Export] = {}
    for n, row in read_rows(path, problems):
        values = EXPORTS.values(file, n, row, problems, known)
        if values is None:
            continue
        export: Export = EXPORTS.make(values, n)
        if export.export_ref in out:
            problems.append(Problem(f"export {export.export_ref} given twice", file=file,
                                    row=n, field="export_ref",
                                    code="drawback.exports.repeated-ref"))
            continue
        out[export.export_ref] = export
    if problems:
        raise InputError(problems)
    return tuple(out.values())


@in_money_context
def read_production(path: Path) -> tuple[ProductionInput, ...]:
    """Production records (`PRODUCTION`): one row per input of a run (`input_part` or
    `input_hts`); a run's date, product and quantity the same on each of its rows."""
    file = str(path)
    problems: list[Problem] = []
    out: list[ProductionInput] = []
    first_of_run: dict[str, tuple[date, str, Decimal]] = {}
    for n, row in read_rows(path, problems):
        values = PRODUCTION.values(file, n, row, problems)
        if not row.get("input_part") and not row.get("input_hts"):
            problems.append(Problem("give input_part or input_hts", file=file, row=n,
                                    field="input_part", code="drawback.production.no-input"))
            continue
        if values is None:
            continue
        made: ProductionInput = PRODUCTION.make(values, n)
        run = first_of_run.setdefault(made.production_ref,
                                      (made.date, made.product_part, made.product_qty))
        if run != (made.date, made.product_part, made.product_qty):
            problems.append(Problem(f"production {made.production_ref}: date, product_part "
                                    "and product_qty must be the same on every row of the run",
                                    file=file, row=n, field="production_ref",
                                    code="drawback.production.run-differs"))
            continue
        out.append(made)
    if problems:
        raise InputError(problems)
    return tuple(out)


@in_money_context
def read_claimed(path: Path) -> tuple[PriorDesignation, ...]:
    """Import quantities designated on earlier claims (`CLAIMED`:
    `entry_no,line,quantity,claim_no`).

    An optional `claim_type` (a, b, c, j1, j2, or 1313(j)(2) ...) lets the planner keep a
    line on the basis its first claim chose (190.51(a)(3)).
    """
    file = str(path)
    problems: list[Problem] = []
    out: list[PriorDesignation] = []
    for n, row in read_rows(path, problems):
        values = CLAIMED.values(file, n, row, problems)
        if values is not None:
            out.append(CLAIMED.make(values, n))
    if problems:
        raise InputError(problems)
    return tuple(out)


# -- plans ------------------------------------------------------------------------------

def plan_digest(data: Mapping[str, Any]) -> str:
    """SHA-256 of the plan's canonical JSON (sorted keys, no spaces), `digest` left out."""
    content = {k: v for k, v in data.items() if k != "digest"}
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def seal_plan(data: Mapping[str, Any]) -> dict[str, Any]:
    """The plan JSON with its `digest`: `read_plan` refuses a plan edited after sealing."""
    return {**data, "digest": plan_digest(data)}


@in_money_context
def read_plan(path: Path) -> Plan:
    """A plan written by `drawback plan`, checked field by field and against itself.

    Refused (every problem listed) when its `digest` is missing or does not match its
    content (edited since it was planned), or when `claim.check_plan` finds it
    inconsistent: designation numbers are the rows.
    """
    text, unreadable, _ = read_text(path)
    if text is None or unreadable:
        raise InputError(unreadable)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(Problem(f"not JSON: {error.msg}", file=str(path),
                                 code="drawback.plan-file.not-json")) from None
    except RecursionError:
        raise InputError(Problem(TOO_DEEP, file=str(path),
                                 code="drawback.plan-file.not-json")) from None
    if not isinstance(data, dict):
        raise InputError(Problem("not a drawback plan: expected a JSON object", file=str(path),
                                 code="drawback.plan-file.not-a-plan"))
    unreadable = [Problem(reason, file=str(path), field=where,
                          code="drawback.plan-file.unstorable-text") for where, reason in
                  _unstorable(data)]
    if unreadable:  # a lone surrogate cannot even be digested (no UTF-8 form)
        raise InputError(unreadable)
    problems: list[Problem] = []
    digest = data.get("digest")
    if digest is None:
        problems.append(Problem("no digest: not written by `drawback plan` (or written by an "
                                "older version); re-run drawback plan", file=str(path),
                                field="digest", code="drawback.plan-file.no-digest"))
    elif digest != plan_digest(data):
        problems.append(Problem("edited since it was planned (its digest does not match its "
                                "content); re-run drawback plan", file=str(path),
                                field="digest", code="drawback.plan-file.edited"))
    try:
        designations = tuple(_designation(d) for d in data["designations"])
        plan = Plan(
            claim=ClaimType(data["claim_type"]), method=Method(data["method"]),
            claim_date=date.fromisoformat(data["claim_date"]),
            refund=_number(data["refund"]), objective=_number(data["objective"]),
            optimal_refund=_number(data["optimal_refund"]), bound=_number(data["bound"]),
            gap=_number(data["gap"]), fifo_refund=_number(data["fifo_refund"]),
            designations=designations,
            notes=_notes(_texts(data.get("notes", ())), _texts(data.get("note_codes", ()))),
            unpriced=_texts(data.get("unpriced", ())), stats=dict(data.get("stats", {})),
            not_designated=_texts(data.get("not_designated", ())),
            available={(str(a["import_entry"]), _whole(a["import_line"])): _number(a["quantity"])
                       for a in data.get("available", ())},
            demand_quantity={
                demand_key(str(q["export_ref"]), _optional_text(q.get("production_ref")),
                           str(q["hts"])): _number(q["quantity"])
                for q in data.get("demand_quantity", ())},
        )
    except (KeyError, TypeError, ValueError, ArithmeticError, AttributeError) as error:
        problems.append(Problem(f"not a drawback plan: {error!r}", file=str(path),
                                code="drawback.plan-file.not-a-plan"))
        raise InputError(problems) from None
    try:
        problems += [replace(p, file=str(path)) for p in check_plan(plan)]
    except ArithmeticError:  # figures no plan can hold (a product beyond Decimal's digits)
        problems.append(Problem("not a drawback plan: its figures cannot be checked",
                                file=str(path), code="drawback.plan-file.not-a-plan"))
    if problems:
        raise InputError(problems)
    return plan


def _number(value: Any) -> Decimal:
    """A number of a plan: decimal text as `drawback plan` writes it (a JSON number too),
    finite; ValueError for NaN, Infinity or anything else."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(f"not a number: {value!r}")
    number = Decimal(str(value))
    if not number.is_finite() or abs(number) >= LIMIT:
        raise ValueError(f"not a number of a plan: {value!r}")
    return number


def _optional_text(value: Any) -> str | None:
    """A text of a plan that may be null (a production run's reference)."""
    if value is not None and not isinstance(value, str):
        raise ValueError(f"expected a text or null: {json.dumps(value)[:40]}")
    return value


def _texts(value: Any) -> tuple[str, ...]:
    """A list of texts of a plan (notes, reasons)."""
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"expected a list of texts: {json.dumps(value)[:40]}")
    return tuple(value)


# The code of a note read back from a plan written before notes had codes.
UNCODED_NOTE = "drawback.plan.note"


def _notes(texts: tuple[str, ...], codes: tuple[str, ...]) -> tuple[Problem, ...]:
    """A plan's notes as the warnings they were planned as: each text with its code (a plan
    without `note_codes`, written before they were, gives each `UNCODED_NOTE`)."""
    if codes and len(codes) != len(texts):
        raise ValueError(f"{len(codes)} note codes for {len(texts)} notes")
    return tuple(Problem(text, code=code, severity="warning")
                 for text, code in zip(texts, codes or [UNCODED_NOTE] * len(texts),
                                       strict=True))


def _whole(value: Any) -> int:
    """A line number of a plan (`money.parse_whole`: ASCII digits)."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError(f"not a whole number: {value!r}")
    return parse_whole(value)


def _unstorable(value: Any, where: str = "") -> list[tuple[str, str]]:
    """(JSON path, reason) for each key or text of a JSON document that is not text the
    books can hold (`zone.limits.unstorable`: a NUL, a lone surrogate)."""
    found: list[tuple[str, str]] = []
    if isinstance(value, str):
        reason = unstorable(value)
        if reason is not None:
            found.append((where or "(the plan)", reason))
    elif isinstance(value, dict):
        for key, item in value.items():
            named = f"{where}.{key}" if where else str(key)
            reason = unstorable(str(key))
            if reason is not None:
                found.append((ascii(named), f"a key {reason}"))
            else:
                found += _unstorable(item, named)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += _unstorable(item, f"{where}[{i}]")
    return found


def _designation(d: dict[str, Any]) -> Designation:
    return Designation(
        import_entry=str(d["import_entry"]), import_line=_whole(d["import_line"]),
        export_ref=str(d["export_ref"]), quantity=_number(d["quantity"]), unit=str(d["unit"]),
        refund=_number(d["refund"]), rule=str(d["rule"]),
        import_date=date.fromisoformat(d["import_date"]),
        export_date=date.fromisoformat(d["export_date"]), import_hts=str(d["import_hts"]),
        export_hts=str(d["export_hts"]),
        refund_per_unit=_number(d.get("refund_per_unit_exact", d["refund_per_unit"])),
        lesser_of=str(d["lesser_of"]),
        components={k: _number(v) for k, v in d["components"].items()},
        reasons=_texts(d.get("reasons", ())),
        production_ref=_optional_text(d.get("production_ref")),
        disposition=str(d.get("disposition", "export")),
    )


# -- claims -----------------------------------------------------------------------------

CLAIM_LINE_COLUMNS = (
    "line", "itin", "import_entry", "import_line", "import_date", "import_hts", "description",
    "quantity",
    "unit", "export_ref", "export_date", "export_hts", "disposition", "production_ref",
    "rule", "refund_per_unit", "refund", "components", "lesser_of",
)


@in_money_context
def write_claim(claim: Claim, data: Mapping[str, Any], out: Path) -> list[Path]:
    """Header and lines as JSON and CSV (from `data`, the claim's document, whose fields
    the CSV files carry), and a readable summary as Markdown and HTML."""
    files: dict[str, str] = {}
    files["claim.json"] = json.dumps(data, indent=2) + "\n"
    header = io.StringIO()
    w = csv_out.writer(header)
    w.writerow(["field", "value"])
    for key, value in data["header"].items():
        if key == "refund_by_component":
            for comp, amount in value.items():
                w.writerow([f"refund_{comp}", amount])
        elif key == "certifications":
            for n, text in enumerate(value, start=1):
                w.writerow([f"certification_{n}", text])
        else:
            w.writerow([key, value])
    files["claim_header.csv"] = header.getvalue()
    lines = io.StringIO()
    w = csv_out.writer(lines)
    w.writerow(CLAIM_LINE_COLUMNS)
    for row in data["lines"]:
        w.writerow([
            ";".join(f"{k}={v}" for k, v in row[c].items()) if c == "components"
            else ("" if row.get(c) is None else row.get(c)) for c in CLAIM_LINE_COLUMNS
        ])
    files["claim_lines.csv"] = lines.getvalue()
    files["claim.md"] = _markdown(claim)
    files["claim.html"] = _html(claim)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in files.items():
        target = out / name
        tmp = out / f".{name}.tmp"
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(target)
        written.append(target)
    return written


def _summary_rows(claim: Claim) -> list[tuple[str, str]]:
    h = claim.header
    rows = [("Provision", h.provision), ("Claimant", h.claimant), ("Port", h.port),
            ("Drawback entry", h.drawback_entry), ("Claim date", h.claim_date),
            ("Designation method", h.method), ("Lines", str(h.lines)),
            ("Refund claimed", usd(h.refund))]
    rows += [(f"  of which {k}", usd(v)) for k, v in h.refund_by_component.items()]
    rows += [("Proven upper bound (any designation)", usd(h.bound)),
             ("FIFO designation would claim", usd(h.fifo_refund))]
    return rows


def _markdown(claim: Claim) -> str:
    out = ["# Drawback claim", "", "| | |", "|---|---|"]
    out += [f"| {k} | {v} |" for k, v in _summary_rows(claim)]
    out += ["", "## Designations", "",
            "| # | import entry/line | imported | qty | export | exported | rule | refund |",
            "|---|---|---|---|---|---|---|---|"]
    for ln in claim.lines:
        d = ln.designation
        out.append(f"| {ln.line} | {d.import_entry}/{d.import_line} | {d.import_date} | "
                   f"{d.quantity} {d.unit} | {d.export_ref} | {d.export_date} | {d.rule} | "
                   f"{usd(d.refund)} |")
    out += ["", "## Certifications", ""] + [f"- {c}" for c in claim.header.certifications]
    return "\n".join(out) + "\n"


def _html(claim: Claim) -> str:
    e = html.escape
    rows = "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in _summary_rows(claim))
    lines = "".join(
        f"<tr><td>{ln.line}</td><td>{e(ln.designation.import_entry)}/"
        f"{ln.designation.import_line}</td><td>{ln.designation.import_date}</td>"
        f"<td>{ln.designation.quantity} {e(ln.designation.unit)}</td>"
        f"<td>{e(ln.designation.export_ref)}</td><td>{ln.designation.export_date}</td>"
        f"<td>{e(ln.designation.rule)}</td><td>{usd(ln.designation.refund)}</td>"
        f"<td>{e('; '.join(ln.designation.reasons))}</td></tr>"
        for ln in claim.lines)
    certs = "".join(f"<li>{e(c)}</li>" for c in claim.header.certifications)
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>Drawback claim</title>"
        "</head><body><h1>Drawback claim</h1>"
        f"<table>{rows}</table><h2>Designations</h2><table><tr><th>#</th><th>Import</th>"
        "<th>Imported</th><th>Quantity</th><th>Export</th><th>Exported</th><th>Rule</th>"
        f"<th>Refund</th><th>Why eligible</th></tr>{lines}</table>"
        f"<h2>Certifications</h2><ul>{certs}</ul></body></html>\n"
    )
