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
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from zonekeeper.drawback.claim import Claim, ClaimLine, check_plan
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
from zonekeeper.io import cells as cell_parsers
from zonekeeper.io import csv_out
from zonekeeper.io.tabular import read_table, read_text
from zonekeeper.money import LIMIT, fmt, in_money_context, parse_whole, usd
from zonekeeper.tariff.codes import hts_digits
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

T = TypeVar("T")
HeadingClassifier = Callable[[str], ImportCharge | None]
# Why an HTS number (digits) is in no loaded schedule revision; None when it is known.
HtsCheck = Callable[[str], str | None]


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


class _Row:
    """Typed access to one row, collecting problems instead of stopping at the first."""

    def __init__(self, file: str, row: int, cells: dict[str, str], problems: list[Problem]):
        self.file, self.row, self.cells, self.problems = file, row, cells, problems

    def _bad(self, name: str, reason: str) -> None:
        self.problems.append(Problem(reason, file=self.file, row=self.row, field=name))

    def text(self, name: str, required: bool = True) -> str | None:
        value = self.cells.get(name, "").strip()
        if not value:
            if required:
                self._bad(name, "missing")
            return None
        return value

    def cell(self, name: str, parse: Callable[[str], T], required: bool = True) -> T | None:
        """The cell read by `parse` (an `io.cells` parser); a problem and None when it is
        refused, or blank (a problem too when `required`)."""
        raw = self.text(name, required)
        if raw is None:
            return None
        try:
            return parse(raw)
        except ValueError as error:
            self._bad(name, str(error))
            return None

    def decimal(self, name: str, required: bool = True, positive: bool = False) -> Decimal | None:
        parse = cell_parsers.positive_decimal if positive else cell_parsers.nonnegative_decimal
        return self.cell(name, parse, required)

    def day(self, name: str, required: bool = True) -> date | None:
        return self.cell(name, cell_parsers.ace_date, required)

    def hts(self, name: str, required: bool = True, chapter99: bool = False,
            known: HtsCheck | None = None) -> str | None:
        """An HTS number as digits. `chapter99`: a 6-digit 9903 heading is accepted too.

        `known` (when the tariff is at hand) names why a code is in no loaded schedule.
        """
        raw = self.text(name, required)
        if raw is None:
            return None
        try:
            digits = hts_digits(raw)  # the one reading of an HTS number (a lost zero restored)
        except ValueError:
            digits = ""
        if len(digits) not in (6, 8, 10):
            self._bad(name, f"not an HTS number (8 or 10 digits): {raw!r}")
            return None
        if len(digits) < 8 and not (chapter99 and is_chapter99(digits)):
            self._bad(name, f"an HTS subheading needs at least 8 digits: {raw!r}")
            return None
        if known is not None and not is_chapter99(digits):
            reason = known(digits)
            if reason is not None:
                self._bad(name, reason)
                return None
        return digits

    def country(self, name: str, required: bool = False) -> str | None:
        """An ISO 3166-1 alpha-2 country (the shipped list, as `duty quote` checks it)."""
        return self.cell(name, cell_parsers.country, required)

    def unit(self, name: str, required: bool = True) -> str | None:
        """A unit of measure the HTSUS uses (`rules.unit_of`); unknown spellings refused."""
        raw = self.text(name, required)
        if raw is None:
            return None
        if unit_of(raw) is None:
            self._bad(name, f"unknown unit of measure {raw!r}: use an HTSUS unit (No., pcs, "
                            "kg, doz., prs., liters, m2, ...) or an ACE UOM code")
            return None
        return raw

    def yes_no(self, name: str) -> bool | None:
        """An optional yes/no cell: blank is no; anything but yes or no is a problem."""
        if self.text(name, False) is None:
            return False
        return self.cell(name, cell_parsers.yes_no)

    def integer(self, name: str) -> int | None:
        return self.cell(name, cell_parsers.whole)


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
    """Import entry lines (see the module docstring for columns).

    Only 9903 headings are Chapter 99 rows (`is_chapter99`); their optional quantity and
    value are still checked. `known` refuses an HTS number no loaded schedule has.
    """
    classify = classify or _default_heading
    problems: list[Problem] = []
    lines: dict[tuple[str, int], ImportLine] = {}
    extras: list[tuple[int, tuple[str, int], str, Decimal]] = []
    fee_of_entry: dict[str, tuple[Decimal, int]] = {}
    for n, cells in read_rows(path, problems):
        r = _Row(str(path), n, cells, problems)
        entry, line = r.text("entry_no"), r.integer("line")
        hts = r.hts("hts", chapter99=True, known=known)
        if hts is not None and is_chapter99(hts):
            duty = r.decimal("duty")
            r.decimal("quantity", required=False)
            r.decimal("value", required=False)
            if entry and line is not None and duty is not None:
                extras.append((n, (entry, line), hts, duty))
            continue
        import_date, quantity = r.day("import_date"), r.decimal("quantity", positive=True)
        unit, value, duty = r.unit("unit"), r.decimal("value"), r.decimal("duty")
        optional = {name: r.decimal(name, required=False) for name in (
            "duty_301", "duty_232", "duty_122", "duty_ieepa", "duty_ieepa_reciprocal",
            "duty_ieepa_fentanyl", "duty_adcvd", "hmf")}
        mpf = r.decimal("mpf", required=False)
        origin = r.country("origin")
        if None in (entry, line, hts, import_date, quantity, unit, value, duty) or (
            origin is None and r.text("origin", False) is not None
        ):
            continue
        assert entry is not None and line is not None and hts is not None
        assert import_date is not None and quantity is not None and unit is not None
        assert value is not None and duty is not None
        if (entry, line) in lines:
            problems.append(Problem(f"entry {entry} line {line} given twice", file=str(path),
                                    row=n, field="line"))
            continue
        if mpf is not None:
            seen = fee_of_entry.setdefault(entry, (mpf, n))
            if seen[0] != mpf:
                problems.append(Problem(
                    f"entry {entry}: MPF {mpf} differs from {seen[0]} on row {seen[1]} "
                    "(mpf is the entry's fee; give the same value on each line or on one)",
                    file=str(path), row=n, field="mpf"))
        lines[(entry, line)] = ImportLine(
            entry_no=entry, line=line, import_date=import_date, hts=hts, quantity=quantity,
            unit=unit, value=value, duty=duty, mpf=mpf,
            origin=origin, part=r.text("part", False),
            importer=r.text("importer", False), row=n,
            **{k: v for k, v in optional.items() if v is not None},
        )
    for n, key, heading, amount in extras:
        target = lines.get(key)
        component = classify(heading)
        if target is None:
            problems.append(Problem(f"Chapter 99 row for entry {key[0]} line {key[1]} with no "
                                    "line of its own", file=str(path), row=n, field="hts"))
        elif component is None or component not in _ADD:
            problems.append(Problem(f"Chapter 99 heading {heading}: program unknown",
                                    file=str(path), row=n, field="hts"))
        else:
            attr = _ADD[component]
            lines[key] = replace(target, **{attr: getattr(target, attr) + amount})
    if problems:
        raise InputError(problems)
    return tuple(lines.values())


_DISPOSITIONS = {
    "export": ExportDisposition.EXPORT, "exported": ExportDisposition.EXPORT,
    "destruction": ExportDisposition.DESTRUCTION, "destroyed": ExportDisposition.DESTRUCTION,
    "zone_restricted": ExportDisposition.ZONE_RESTRICTED,
    "zone-restricted": ExportDisposition.ZONE_RESTRICTED,
    "zr": ExportDisposition.ZONE_RESTRICTED,
}


@in_money_context
def read_exports(path: Path, known: HtsCheck | None = None) -> tuple[Export, ...]:
    """Exports, destructions and zone-restricted admissions (deemed exports, 190.181).

    `destination` is an ISO 3166-1 alpha-2 code like `origin` (an export to CA or MX is
    under 19 CFR part 182 subpart E); `foreign_duty` is the duty paid to Canada or Mexico
    on the exported good, in USD (190.51(a)(2)(xv)); `same_condition` (yes/no, blank no)
    is the claimant's same-condition certification of 190.51(a)(2)(xv).
    """
    problems: list[Problem] = []
    out: dict[str, Export] = {}
    for n, cells in read_rows(path, problems):
        r = _Row(str(path), n, cells, problems)
        ref, day = r.text("export_ref"), r.day("export_date")
        hts, qty = r.hts("hts", known=known), r.decimal("quantity", positive=True)
        unit, value = r.unit("unit"), r.decimal("value")
        sched = r.hts("schedule_b", required=False)
        notice = r.day("notice_date", required=False)
        raw_disp = (r.text("disposition", False) or "export").lower()
        disposition = _DISPOSITIONS.get(raw_disp)
        if disposition is None:
            problems.append(Problem(f"disposition must be export, destruction or "
                                    f"zone_restricted: {raw_disp!r}", file=str(path), row=n,
                                    field="disposition"))
        origin = r.country("origin")
        destination = r.country("destination")
        foreign_duty = r.decimal("foreign_duty", required=False)
        same_condition = r.yes_no("same_condition")
        if (origin is None and r.text("origin", False) is not None) or (
            destination is None and r.text("destination", False) is not None
        ) or (foreign_duty is None and r.text("foreign_duty", False) is not None
              ) or same_condition is None:
            continue
        if None in (ref, day, hts, qty, unit, value) or disposition is None:
            continue
        assert ref is not None and day is not None and hts is not None and qty is not None
        assert unit is not None and value is not None
        if ref in out:
            problems.append(Problem(f"export {ref} given twice", file=str(path), row=n,
                                    field="export_ref"))
            continue
        out[ref] = Export(
            export_ref=ref, export_date=day, hts=hts, quantity=qty, unit=unit, value=value,
            schedule_b=sched, part=r.text("part", False), destination=destination,
            disposition=disposition, origin=origin, notice_date=notice, row=n,
            foreign_duty=foreign_duty, same_condition=same_condition,
        )
    if problems:
        raise InputError(problems)
    return tuple(out.values())


@in_money_context
def read_production(path: Path) -> tuple[ProductionInput, ...]:
    """Production records: one row per input of a run (`input_part` or `input_hts`)."""
    problems: list[Problem] = []
    out: list[ProductionInput] = []
    first_of_run: dict[str, tuple[date, str, Decimal]] = {}
    for n, cells in read_rows(path, problems):
        r = _Row(str(path), n, cells, problems)
        ref, day = r.text("production_ref"), r.day("date")
        product, pqty = r.text("product_part"), r.decimal("product_qty", positive=True)
        ipart, ihts = r.text("input_part", False), r.hts("input_hts", required=False)
        iqty = r.decimal("input_qty", positive=True)
        ivalue = r.decimal("input_value", required=False)
        if ipart is None and ihts is None and "input_hts" not in {p.field for p in problems
                                                                   if p.row == n}:
            problems.append(Problem("give input_part or input_hts", file=str(path), row=n,
                                    field="input_part"))
            continue
        if None in (ref, day, product, pqty, iqty):
            continue
        assert ref is not None and day is not None and product is not None
        assert pqty is not None and iqty is not None
        run = first_of_run.setdefault(ref, (day, product, pqty))
        if run != (day, product, pqty):
            problems.append(Problem(f"production {ref}: date, product_part and product_qty "
                                    "must be the same on every row of the run",
                                    file=str(path), row=n, field="production_ref"))
            continue
        out.append(ProductionInput(ref, day, product, pqty, ipart, ihts, iqty, ivalue, row=n))
    if problems:
        raise InputError(problems)
    return tuple(out)


_CLAIM_TYPES = {"a": ClaimType.A, "b": ClaimType.B, "c": ClaimType.C, "j1": ClaimType.J1,
                "j2": ClaimType.J2}


@in_money_context
def read_claimed(path: Path) -> tuple[PriorDesignation, ...]:
    """Import quantities designated on earlier claims (`entry_no,line,quantity,claim_no`).

    An optional `claim_type` (a, b, c, j1, j2, or 1313(j)(2) ...) lets the planner keep a
    line on the basis its first claim chose (190.51(a)(3)).
    """
    problems: list[Problem] = []
    out: list[PriorDesignation] = []
    for n, cells in read_rows(path, problems):
        r = _Row(str(path), n, cells, problems)
        entry, line = r.text("entry_no"), r.integer("line")
        qty, claim = r.decimal("quantity", positive=True), r.text("claim_no")
        raw_type = (r.text("claim_type", False) or "").lower().replace("(", "").replace(")", "")
        kind = _CLAIM_TYPES.get(raw_type.removeprefix("1313").strip())
        if raw_type and kind is None:
            problems.append(Problem(f"claim_type must be a, b, c, j1 or j2: {raw_type!r}",
                                    file=str(path), row=n, field="claim_type"))
            continue
        if entry is None or line is None or qty is None or claim is None:
            continue
        out.append(PriorDesignation(entry, line, qty, claim, row=n, claim_type=kind))
    if problems:
        raise InputError(problems)
    return tuple(out)


# -- plans ------------------------------------------------------------------------------

@in_money_context
def plan_to_json(plan: Plan, *, extra_notes: Sequence[str] = ()) -> dict[str, Any]:
    """The plan as JSON: money as decimal strings, dates ISO (the CLI contract).

    `extra_notes` (the shell's) come before the plan's own. Sealed with its `digest`.
    """
    return seal_plan({
        "claim_type": plan.claim.value,
        "provision": plan.claim.provision,
        "method": plan.method.value,
        "claim_date": plan.claim_date.isoformat(),
        "refund": fmt(plan.refund),
        "optimal_refund": fmt(plan.optimal_refund),
        "fifo_refund": fmt(plan.fifo_refund),
        "uplift": fmt(plan.uplift),
        "objective": str(plan.objective.quantize(Decimal("0.000001"))),
        "bound": str(plan.bound),
        "gap": str(plan.gap),
        "optimal": plan.gap <= Decimal("0.005"),
        "designations": [designation_to_json(d) for d in plan.designations],
        "unpriced": list(plan.unpriced),
        "not_designated": list(plan.not_designated),
        "notes": [*extra_notes, *plan.notes],
        "stats": dict(plan.stats),
        "available": [{"import_entry": e, "import_line": ln, "quantity": str(q)}
                      for (e, ln), q in plan.available.items()],
        "demand_quantity": [{"export_ref": x, "production_ref": r or None, "hts": h,
                             "quantity": str(q)} for (x, r, h), q in plan.demand_quantity.items()],
    })


def plan_digest(data: Mapping[str, Any]) -> str:
    """SHA-256 of the plan's canonical JSON (sorted keys, no spaces), `digest` left out."""
    content = {k: v for k, v in data.items() if k != "digest"}
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def seal_plan(data: Mapping[str, Any]) -> dict[str, Any]:
    """The plan JSON with its `digest`: `read_plan` refuses a plan edited after sealing."""
    return {**data, "digest": plan_digest(data)}


def designation_to_json(d: Designation) -> dict[str, Any]:
    return {
        "import_entry": d.import_entry,
        "import_line": d.import_line,
        "export_ref": d.export_ref,
        "quantity": str(d.quantity),
        "unit": d.unit,
        "refund": fmt(d.refund),
        "rule": d.rule,
        "import_date": d.import_date.isoformat(),
        "export_date": d.export_date.isoformat(),
        "import_hts": d.import_hts,
        "export_hts": d.export_hts,
        "refund_per_unit": str(d.refund_per_unit.quantize(Decimal("0.000001"))),
        "refund_per_unit_exact": str(d.refund_per_unit),
        "lesser_of": d.lesser_of,
        "components": {k: fmt(v) for k, v in d.components.items()},
        "production_ref": d.production_ref,
        "disposition": d.disposition,
        "reasons": list(d.reasons),
    }


@in_money_context
def read_plan(path: Path) -> Plan:
    """A plan written by `drawback plan`, checked field by field and against itself.

    Refused (every problem listed) when its `digest` is missing or does not match its
    content (edited since it was planned), or when `claim.check_plan` finds it
    inconsistent: designation numbers are the rows.
    """
    text, unreadable = read_text(path)
    if text is None or unreadable:
        raise InputError(unreadable)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(Problem(f"not JSON: {error.msg}", file=str(path))) from None
    if not isinstance(data, dict):
        raise InputError(Problem("not a drawback plan: expected a JSON object", file=str(path)))
    unreadable = [Problem(reason, file=str(path), field=where) for where, reason in
                  _unstorable(data)]
    if unreadable:  # a lone surrogate cannot even be digested (no UTF-8 form)
        raise InputError(unreadable)
    problems: list[Problem] = []
    digest = data.get("digest")
    if digest is None:
        problems.append(Problem("no digest: not written by `drawback plan` (or written by an "
                                "older version); re-run drawback plan", file=str(path),
                                field="digest"))
    elif digest != plan_digest(data):
        problems.append(Problem("edited since it was planned (its digest does not match its "
                                "content); re-run drawback plan", file=str(path),
                                field="digest"))
    try:
        designations = tuple(_designation(d) for d in data["designations"])
        plan = Plan(
            claim=ClaimType(data["claim_type"]), method=Method(data["method"]),
            claim_date=date.fromisoformat(data["claim_date"]),
            refund=_number(data["refund"]), objective=_number(data["objective"]),
            optimal_refund=_number(data["optimal_refund"]), bound=_number(data["bound"]),
            gap=_number(data["gap"]), fifo_refund=_number(data["fifo_refund"]),
            designations=designations, notes=_texts(data.get("notes", ())),
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
        problems.append(Problem(f"not a drawback plan: {error!r}", file=str(path)))
        raise InputError(problems) from None
    try:
        problems += [replace(p, file=str(path)) for p in check_plan(plan)]
    except ArithmeticError:  # figures no plan can hold (a product beyond Decimal's digits)
        problems.append(Problem("not a drawback plan: its figures cannot be checked",
                                file=str(path)))
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
def claim_to_json(claim: Claim) -> dict[str, Any]:
    h = claim.header
    return {
        "header": {
            "claimant": h.claimant, "port": h.port, "drawback_entry": h.drawback_entry,
            "provision": h.provision, "claim_date": h.claim_date, "method": h.method,
            "refund": fmt(h.refund),
            "refund_by_component": {k: fmt(v) for k, v in h.refund_by_component.items()},
            "lines": h.lines, "bound": str(h.bound), "fifo_refund": fmt(h.fifo_refund),
            "certifications": list(h.certifications),
        },
        "lines": [_claim_line(ln) for ln in claim.lines],
    }


def _claim_line(ln: ClaimLine) -> dict[str, Any]:
    d = designation_to_json(ln.designation)
    return {"line": ln.line, "itin": ln.itin, "description": ln.description,
            **{k: d[k] for k in CLAIM_LINE_COLUMNS if k in d}}


@in_money_context
def write_claim(claim: Claim, out: Path) -> list[Path]:
    """Header and lines as JSON and CSV, and a readable summary as Markdown and HTML."""
    data = claim_to_json(claim)
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
