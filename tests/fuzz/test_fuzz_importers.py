"""Fuzz every command that reads a user's file with mutated real files (the demo zone's
files, examples/): byte flips, truncation, inserted bytes, cells replaced by nasty values
(huge numbers, unicode digits, lone surrogates, NUL, very long text, formula-like text,
empty), a byte-order mark, CRLF, semicolons, tabs, another encoding (UTF-16 with or without
its mark, Windows-1252), lines dropped or repeated, and the same files as JSON lines.
Whatever the file, the command exits 0 or 2 — never a traceback — and a
refused file changes nothing: the books' chain head and every stored row are as before.

The commands run in-process through `zonekeeper.cli.main` (the console entry point: it turns
InputError into exit 2), standard output strict UTF-8 and standard error with backslashes
for what cannot be written, as a terminal has them. SQLite only: the per-item tests of the
limits run on both databases.

The number of examples is the Hypothesis profile's: `fuzz-ci` in the normal run,
`fuzz` (many more) with ZONEKEEPER_FUZZ_PROFILE=fuzz (`make fuzz`); tests/conftest.py
registers both.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zonekeeper.cli import main

PROFILE = settings.get_profile(os.environ.get("ZONEKEEPER_FUZZ_PROFILE", "fuzz-ci"))
ROOT = Path(__file__).parents[2]
DEMO = ROOT / "src" / "zonekeeper" / "data" / "demo"
EXAMPLES = ROOT / "examples"


# ------------------------------------------------------------------------- the commands

SUSPENSE = ("ref,date,part,quantity,description,reason\n"
            "SUS-1,2026-08-03,GLASS,5,Tempered glass door,invoice missing\n"
            "SUS-2,2026-08-04,VALVE,10,,\n")
STATUS_CHANGES = ("date,lot,admission_no,line,to_status,pf_date,reference\n"
                  "2026-08-05,A-1002/1,,,PF,2026-08-05,F214-9\n"
                  "2026-08-05,,A-1002,2,ZR,,\n")
FILINGS = ("kind,ref,date,covers,note\n"
           "entry_summary,ES-32,2026-08-10,2026-W32,weekly entry\n"
           "transfer_permit,TP-1,2026-08-04,S-2001,\n"
           "reconciliation,REC-2026,2027-03-01,2026,\n")
ESTIMATES = ("week,filed_on,part,quantity,supplemental\n"
             "2026-W32,2026-08-03,CART,50,no\n2026-W32,2026-08-05,CART,30,yes\n")
MANUFACTURING = ("production_ref,date,product_part,product_qty,input_part,input_qty\n"
                 "P1,2026-02-01,WIDGET,10,BOLT,20\n")
AUX = {  # the other files of the manufacturing claim, as they are
    "mimp.csv": "entry_no,line,import_date,hts,quantity,unit,value,duty,part\n"
                "E9,1,2026-01-05,7318.15.60.80,50,No.,500,100.00,BOLT\n",
    "mexp.csv": "export_ref,export_date,hts,quantity,unit,value,part\n"
                "X9,2026-03-01,8479.89.95.99,5,No.,5000,WIDGET\n",
}
CLAIMED = "entry_no,line,quantity,claim_no,claim_type\nABC-1000001-1,1,10,CL-1,j2\n"


def _fees() -> str:
    lines = (ROOT / "src" / "zonekeeper" / "data" / "tariff" / "fees.csv").read_text().splitlines()
    return "\n".join(lines[:3]) + "\n"


@dataclass(frozen=True)
class Command:
    """A command that reads a file: its arguments ({f} the fuzzed file), the seed file it
    is fuzzed from, and the state of the books it runs on (the demo files posted before)."""

    name: str
    argv: tuple[str, ...]
    seed: Callable[[], str]
    books: int  # how many of the demo steps are posted first; -1: no books needed
    kind: str = "table"  # "plan": a drawback plan (JSON), mutated value by value


def _demo(name: str) -> Callable[[], str]:
    return lambda: (DEMO / name).read_text()


def _text(body: str) -> Callable[[], str]:
    return lambda: body


def _example(name: str) -> Callable[[], str]:
    return lambda: (EXAMPLES / name).read_text()


IMPORTS = str(EXAMPLES / "drawback" / "imports.csv")
EXPORTS = str(EXAMPLES / "drawback" / "exports.csv")
COMMANDS = [
    Command("parts load", ("parts", "load", "{f}"), _demo("parts.csv"), 0),
    Command("bom load", ("bom", "load", "{f}"), _demo("bom.csv"), 1),
    Command("admit", ("admit", "{f}"), _demo("admissions.csv"), 2),
    Command("produce", ("produce", "{f}"), _demo("production.csv"), 3),
    Command("ship", ("ship", "{f}"), _demo("shipments.csv"), 4),
    Command("count", ("count", "{f}"), _demo("counts.csv"), 5),
    Command("status-change", ("status-change", "{f}"), _text(STATUS_CHANGES), 3),
    Command("suspense", ("suspense", "{f}"), _text(SUSPENSE), 2),
    Command("file", ("file", "{f}"), _text(FILINGS), 6),
    Command("alerts --estimates", ("alerts", "--as-of", "2026-08-20", "--estimates", "{f}"),
            _text(ESTIMATES), 6),
    Command("duty entry", ("duty", "entry", "{f}", "--date", "2026-08-03"),
            _example("entry.csv"), -1),
    Command("duty quote --fees", ("duty", "quote", "--hts", "8414.30.80.30", "--origin", "CN",
                                  "--value", "1000", "--date", "2026-08-03", "--fees", "{f}"),
            _fees, -1),
    Command("drawback plan --imports", ("drawback", "plan", "--imports", "{f}", "--exports",
                                        EXPORTS), _example("drawback/imports.csv"), -1),
    Command("drawback plan --exports", ("drawback", "plan", "--imports", IMPORTS, "--exports",
                                        "{f}"), _example("drawback/exports.csv"), -1),
    Command("drawback plan --claimed", ("drawback", "plan", "--imports", IMPORTS, "--exports",
                                        EXPORTS, "--claimed", "{f}"), _text(CLAIMED), -1),
    Command("drawback plan --manufacturing", ("drawback", "plan", "--type", "a", "--imports",
                                              "{d}/mimp.csv", "--exports", "{d}/mexp.csv",
                                              "--manufacturing", "{f}"), _text(MANUFACTURING),
            -1),
    Command("drawback alerts --imports", ("drawback", "alerts", "--imports", "{f}", "--exports",
                                          EXPORTS, "--as-of", "2026-06-01"),
            _example("drawback/imports.csv"), -1),
    Command("drawback claim", ("drawback", "claim", "{f}", "--out", "{out}"), lambda: _plan(),
            -1, "plan"),
    Command("drawback claim --imports", ("drawback", "claim", "{f}", "--out", "{out}",
                                         "--imports", IMPORTS), lambda: _plan(), -1, "plan"),
]
_PLANS: list[str] = []


def _plan() -> str:
    """A plan as `drawback plan` writes it, from the examples (made once)."""
    if not _PLANS:
        code, out, err = run(["drawback", "plan", "--imports", IMPORTS, "--exports", EXPORTS,
                              "--json"])
        assert code == 0, err
        _PLANS.append(out)
    return _PLANS[0]
STEPS = [  # the demo zone, one step at a time: (command, file)
    (("parts", "load"), "parts.csv"),
    (("bom", "load"), "bom.csv"),
    (("admit",), "admissions.csv"),
    (("produce",), "production.csv"),
    (("ship",), "shipments.csv"),
]

# ------------------------------------------------------------------------- the mutations

NASTY = [
    "", " ", "0", "-1", "-0", "+1", "1e5", "1E+11", "NaN", "Infinity", "inf", "1_0", "٣",
    "１２", "²", "1,5", "1.0000001", "0.0000001", "9" * 40, str(2**31), str(2**31 - 1),
    str(2**63), str(2**64), str(-(2**64)), "1" + "0" * 15, "999999999999999.999999",
    "\ud800", "a\udfffb", "\x00", "nul\x00inside", "X" * 101, "Y" * 5000, "=1+1",
    "=cmd|' /C calc'!A0", "@SUM(A1)", "+SUM(A1)", "-2+3", "'quoted", '"', '""', "a,b",
    "a;b", "line\nbreak", "\r", "\t", "\ufeff", "\u2028", "\u202e", "😀", "é", "�",
    "2026-02-30", "2026-13-01", "0001-01-01", "9999-12-31", "2026-W53", "2026-W00",
    "26-08-03", "08/03/2026", "PF", "npf", "Z", "consumption", "export", "destruction",
    "vessel", "None", "null", "true", "CN", "QQ", "8414.30.80.30", "9903.88.03", "8414",
    "A-1001/1", "P/P-501", "CART", "CONDENSER", "2026", "2026-W32",
]
JSON_VALUES: list[Any] = [None, True, 0, -1, 1.5, 1e400, 2**64, 10**30, [], [1], {}, {"a": 1},
                          "\ud800", "\x00"]


def _csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def _write_csv(rows: list[list[str]]) -> str:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _to_json_lines(text: str, draw: Callable[[Any], Any]) -> str:
    rows = _csv_rows(text)
    header, body = rows[0], rows[1:]
    lines = []
    for row in body:
        obj: dict[str, Any] = dict(zip(header, row, strict=False))
        for key, value in list(obj.items()):
            if draw(st.booleans()) and draw(st.booleans()):  # a number as a JSON number
                try:
                    obj[key] = json.loads(value)
                except ValueError:
                    pass
        lines.append(json.dumps(obj, ensure_ascii=draw(st.booleans())))
    return "\n".join(lines) + "\n"


def _replace_cell(text: str, draw: Callable[[Any], Any], json_lines: bool) -> str:
    if json_lines:
        lines = [line for line in text.split("\n") if line.strip()]
        if not lines:
            return text
        i = draw(st.integers(0, len(lines) - 1))
        try:
            obj = json.loads(lines[i])
        except ValueError:
            return text
        if not isinstance(obj, dict) or not obj:
            return text
        key = draw(st.sampled_from(sorted(obj) + ["unknown", "\ud800", ""]))
        obj[key] = draw(st.sampled_from(NASTY) | st.sampled_from(JSON_VALUES))
        lines[i] = json.dumps(obj, ensure_ascii=draw(st.booleans()))
        return "\n".join(lines) + "\n"
    rows = _csv_rows(text)
    if not rows:
        return text
    i = draw(st.integers(0, len(rows) - 1))
    if not rows[i]:
        return text
    j = draw(st.integers(0, len(rows[i]) - 1))
    rows[i][j] = draw(st.sampled_from(NASTY) | st.text(max_size=12))
    return _write_csv(rows)


def _lines(text: str, draw: Callable[[Any], Any]) -> str:
    lines = text.split("\n")
    i = draw(st.integers(0, len(lines) - 1))
    if draw(st.booleans()):
        del lines[i]
    else:
        lines.insert(i, lines[i])
    return "\n".join(lines)


def _encode(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")  # a lone surrogate in CSV: not UTF-8


def _bytes(data: bytes, draw: Callable[[Any], Any]) -> bytes:
    choice = draw(st.integers(0, 3))
    at = draw(st.integers(0, max(len(data) - 1, 0)))
    if choice == 0 and data:  # flip bits of a byte
        flipped = data[at] ^ draw(st.integers(1, 255))
        return data[:at] + bytes([flipped]) + data[at + 1:]
    if choice == 1:  # truncate
        return data[:at]
    if choice == 2:  # insert bytes
        return data[:at] + draw(st.binary(min_size=1, max_size=6)) + data[at:]
    return data[:at] + data[at + 1:]  # drop a byte


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """The path of every value in a JSON document (containers too)."""
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _leaves(item, (*path, i))


@st.composite
def mutated_plan(draw: Callable[[Any], Any], seed: str, seal: bool = True) -> tuple[str, bytes]:
    """A JSON document with one to three values replaced; a plan is sealed again half of
    the time (so the checks behind the digest are reached too); maybe with its bytes
    damaged after."""
    from zonekeeper.io.drawback_files import seal_plan

    data = json.loads(seed)
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _leaves(data) if p and p[-1] != "digest"]
        path = draw(st.sampled_from(paths))
        parent = data
        for key in path[:-1]:
            parent = parent[key]
        value = draw(st.sampled_from(NASTY) | st.sampled_from(JSON_VALUES))
        if isinstance(parent, dict) and draw(st.booleans()) and draw(st.booleans()):
            del parent[path[-1]]
        else:
            parent[path[-1]] = copy.deepcopy(value)  # never the shared constant itself
    if seal and draw(st.booleans()):
        try:
            data = seal_plan(data)
        except UnicodeEncodeError:  # a lone surrogate has no UTF-8 form: cannot be sealed
            pass
    content = _encode(json.dumps(data, ensure_ascii=draw(st.booleans())))
    if draw(st.booleans()) and draw(st.booleans()):
        content = _bytes(content, draw)
    return ".json", content


@st.composite
def mutated(draw: Callable[[Any], Any], seed: str, json_lines_too: bool = True
            ) -> tuple[str, bytes]:
    """(suffix, content): the seed file mutated one to three times; a quarter of the time as
    JSON lines, unless not `json_lines_too` (a reader that takes no JSON lines)."""
    json_lines = json_lines_too and draw(st.booleans()) and draw(st.booleans())
    text = _to_json_lines(seed, draw) if json_lines else seed
    encode = _encode
    for _ in range(draw(st.integers(1, 3))):
        op = draw(st.sampled_from(["cell", "cell", "cell", "lines", "crlf", "semicolons",
                                   "tabs", "bom", "encoding", "bytes", "bytes"]))
        if op == "cell":
            text = _replace_cell(text, draw, json_lines)
        elif op == "lines":
            text = _lines(text, draw)
        elif op == "crlf":
            text = text.replace("\n", "\r\n")
        elif op == "semicolons":
            text = text.replace(",", ";")
        elif op == "tabs":  # Excel's "Unicode Text" and "Text (Tab delimited)"
            text = text.replace(",", "\t")
        elif op == "bom":
            text = "\ufeff" + text
        elif op == "encoding":
            encode = ENCODINGS[draw(st.sampled_from(sorted(ENCODINGS)))]
        else:
            return (".jsonl" if json_lines else ".csv"), _bytes(encode(text), draw)
    return (".jsonl" if json_lines else ".csv"), encode(text)


ENCODINGS: dict[str, Callable[[str], bytes]] = {  # what else than UTF-8 a file may be in
    "utf-16": lambda text: text.encode("utf-16", "surrogatepass"),  # with its mark, LE
    "utf-16-be": lambda text: b"\xfe\xff" + text.encode("utf-16-be", "surrogatepass"),
    "utf-16 unmarked": lambda text: text.encode("utf-16-le", "surrogatepass"),
    "windows-1252": lambda text: text.encode("cp1252", "replace"),
}


# ------------------------------------------------------------------------- running

def run(argv: list[str]) -> tuple[int, str, str]:
    """Run the console entry point in-process: (exit status, stdout, stderr). Any exception
    but SystemExit — a traceback in a real run — propagates and fails the test."""
    out, err = io.BytesIO(), io.BytesIO()
    stdout = io.TextIOWrapper(out, encoding="utf-8", errors="strict", write_through=True)
    stderr = io.TextIOWrapper(err, encoding="utf-8", errors="backslashreplace",
                              write_through=True)
    saved = sys.argv
    sys.argv = ["zonekeeper", *argv]
    code: int
    try:
        with redirect_stdout(stdout), redirect_stderr(stderr):
            try:
                main()
                code = 0
            except SystemExit as exit_:
                code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None
                                                                          else 1)
    finally:
        sys.argv = saved
    return code, out.getvalue().decode(), err.getvalue().decode()


def digest(db: Path) -> str:
    """Every stored row of the books (the chain head in `zones`, events, lots, postings...)."""
    h = hashlib.sha256()
    with sqlite3.connect(db) as connection:
        tables = [r[0] for r in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        for table in tables:
            h.update(table.encode())
            for row in sorted(repr(r) for r in connection.execute(f'SELECT * FROM "{table}"')):
                h.update(row.encode())
    connection.close()
    return h.hexdigest()


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[int, tuple[Path, str]]]:
    """The demo zone's books after each step: step -> (database file, digest)."""
    folder = tmp_path_factory.mktemp("fuzz-books")
    db = folder / "work.db"
    url = f"sqlite:///{db}"
    assert run(["--database-url", url, "init", "--zone", "DEMO-1"])[0] == 0
    found: dict[int, tuple[Path, str]] = {}
    for step, (command, name) in enumerate([*STEPS, (("count",), "counts.csv")]):
        found[step] = (folder / f"step{step}.db", digest(db))
        shutil.copyfile(db, found[step][0])
        code, out, err = run(["--database-url", url, *command, str(DEMO / name)])
        assert code == 0, (command, out, err)
    found[len(STEPS) + 1] = (folder / "all.db", digest(db))
    shutil.copyfile(db, found[len(STEPS) + 1][0])
    yield found


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fuzz-files")
    for name, body in AUX.items():
        (folder / name).write_text(body)
    return folder


@pytest.fixture(scope="module", autouse=True)
def own_tariff_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """No user tariff revision of the machine running the tests changes the answers."""
    saved = os.environ.get("ZONEKEEPER_HOME")
    os.environ["ZONEKEEPER_HOME"] = str(tmp_path_factory.mktemp("home"))
    yield
    if saved is None:
        os.environ.pop("ZONEKEEPER_HOME", None)
    else:
        os.environ["ZONEKEEPER_HOME"] = saved


def check(command: Command, books: dict[int, tuple[Path, str]], workdir: Path,
          suffix: str, content: bytes) -> None:
    path = workdir / f"{uuid.uuid4().hex[:8]}{suffix}"
    path.write_bytes(content)
    db = workdir / "books.db"
    argv = [a.format(f=path, out=workdir / "claim", d=workdir) for a in command.argv]
    if command.books >= 0:
        base, before = books[command.books]
        shutil.copyfile(base, db)
        argv = ["--database-url", f"sqlite:///{db}", *argv]
    try:
        code, out, err = run(argv)
    finally:
        path.unlink()
    assert code in (0, 2), (code, out, err)
    if code == 2:
        assert err.strip(), "exit 2 says why"
        if command.books >= 0:
            assert digest(db) == before, f"a refused file changed the books: {err}"


@pytest.mark.parametrize("command", COMMANDS, ids=[c.name for c in COMMANDS])
def test_a_mutated_file_exits_0_or_2_and_a_refused_one_changes_nothing(
    command: Command, books: dict[int, tuple[Path, str]], workdir: Path
) -> None:
    cases = mutated_plan if command.kind == "plan" else mutated

    @settings(PROFILE)
    @given(cases(command.seed()))
    def fuzz(case: tuple[str, bytes]) -> None:
        check(command, books, workdir, *case)

    fuzz()


def test_the_seed_files_themselves_are_accepted(
    books: dict[int, tuple[Path, str]], workdir: Path
) -> None:
    """The mutations start from files that work: exit 0 on the books they are meant for."""
    for command in COMMANDS:
        suffix = ".json" if command.kind == "plan" else ".csv"
        path = workdir / f"seed-{command.name.replace(' ', '_')}{suffix}"
        path.write_text(command.seed())
        argv = [a.format(f=path, out=workdir / "claim", d=workdir) for a in command.argv]
        if command.books >= 0:
            db = workdir / "seed.db"
            shutil.copyfile(books[command.books][0], db)
            argv = ["--database-url", f"sqlite:///{db}", *argv]
        code, out, err = run(argv)
        assert code == 0, (command.name, out, err)


# ------------------------------------------------------------------------- tariff import

USITC = (
    '"HTS Number","Indent","Description","Unit of Quantity","General Rate of Duty",'
    '"Special Rate of Duty","Column 2 Rate of Duty","Quota Quantity","Additional Duties"\n'
    '"8414","0","Air or vacuum pumps:","","","","","",""\n'
    '"8414.30","1","Compressors used in refrigerating equipment:","","","","","",""\n'
    '"8414.30.80","2","Other","","Free","","30%","",""\n'
    '"8414.30.80.30","3","For motor vehicles","[""No.""]","","","","",""\n'
    '"8481.80.50","1","Of other materials","","2%","Free (A,AU,CA)","45%","",""\n'
    '"8481.80.50.90","2","Other","[""No.""]","","","","",""\n'
)


@settings(PROFILE)
@given(st.one_of(mutated(USITC), mutated_plan(json.dumps(
    [{"htsno": "8414.30.80", "indent": "2", "description": "Other", "units": [],
      "general": "Free", "special": "", "other": "30%", "footnotes": []}]), seal=False)))
def test_a_mutated_usitc_export_is_read_or_refused(case: tuple[str, bytes]) -> None:
    """What `tariff import` does with a file's bytes (after `tabular.check_file`): parsed
    into a revision, or InputError — never another exception."""
    from datetime import date

    from zonekeeper.errors import InputError
    from zonekeeper.tariff.schedule import build_revision
    from zonekeeper.tariff.usitc import parse_usitc

    content = case[1]
    for data in (content, gzip_of(content)):
        try:
            build_revision("fuzz", date(2031, 1, 1), parse_usitc(data, "fuzz.csv"), "fuzz")
        except InputError as error:
            assert error.problems


def gzip_of(data: bytes) -> bytes:
    import gzip

    return gzip.compress(data, mtime=0)


# ------------------------------------------------------------------------- tariff import, whole

def _shipped_slice() -> list[list[str]]:
    """A small real slice of the shipped Revision 3 export: heading 0101 (live horses) and the
    first rows of 8414 (pumps, compressors: ad valorem, Free with programs, column 2)."""
    import gzip
    from importlib import resources

    path = resources.files("zonekeeper") / "data/tariff/hts/hts_2026_revision_3_csv.csv.gz"
    rows = _csv_rows(gzip.decompress(path.read_bytes()).decode("utf-8-sig"))
    picked, heading = [rows[0]], ""
    for row in rows[1:]:
        heading = row[0][:4] if row[0] else heading
        if heading == "0101" or (heading == "8414" and len(picked) < 22):
            picked.append(row)
    return picked


SLICE = _shipped_slice()
SLICE_CSV = _write_csv(SLICE)
SLICE_JSON = json.dumps([  # the same rows as the USITC JSON export spells them
    {"htsno": r[0], "indent": r[1], "description": r[2],
     "units": json.loads(r[3]) if r[3] else [], "general": r[4], "special": r[5],
     "other": r[6], "footnotes": []} for r in SLICE[1:]])
KEPT = ("HTS 2026 Revision 9", "2026-07-01")  # the revision the user's store already holds


def _tree(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Every file and folder under `folder`: relative path -> (mode, content)."""
    return {str(p.relative_to(folder)): (p.stat().st_mode,
                                         b"" if p.is_dir() else p.read_bytes())
            for p in sorted(folder.rglob("*"))}


@contextmanager
def _tariff_env(home: Path, cache: Path) -> Iterator[None]:
    """$ZONEKEEPER_HOME and $ZONEKEEPER_CACHE set to `home` and `cache` while it lasts."""
    saved = {name: os.environ.get(name) for name in ("ZONEKEEPER_HOME", "ZONEKEEPER_CACHE")}
    os.environ["ZONEKEEPER_HOME"], os.environ["ZONEKEEPER_CACHE"] = str(home), str(cache)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@pytest.fixture(scope="module")
def tariff_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """(a user's tariff home holding one imported revision, copied for each example; the
    tariff cache the examples share). The cache starts from the shipped revisions' cache
    files of the machine's own cache when it has them, so the fuzz does not parse the whole
    HTS first; they are checked by key and content before use like any cache file."""
    from zonekeeper.sources import revisions as store

    folder = tmp_path_factory.mktemp("tariff-import")
    template, cache = folder / "template", folder / "cache"
    cache.mkdir(mode=0o700)
    for source in store.shipped_sources():
        mine = store.cache_file(store.source_key(source))
        if mine.is_file():
            shutil.copyfile(mine, cache / mine.name)
    seed = folder / "rev9.csv"
    seed.write_text(SLICE_CSV, encoding="utf-8")
    with _tariff_env(template, cache):
        code, out, err = run(["tariff", "import", str(seed), "--name", KEPT[0],
                              "--effective", KEPT[1]])
    assert code == 0, (out, err)
    yield template, cache


def _imported(home: Path) -> list[tuple[str, str]]:
    """(name, effective) of every revision in a user's tariff home."""
    found = []
    for meta in sorted((home / "tariff" / "revisions").glob("*.meta.json")):
        data = json.loads(meta.read_text(encoding="utf-8"))
        found.append((data["name"], data["effective"]))
    return sorted(found)


@st.composite
def tariff_imports(draw: Callable[[Any], Any]) -> tuple[str, bytes, list[str]]:
    """(suffix, content, options): the slice mutated as CSV or as JSON, maybe gzipped, with
    an --effective date that is new, the stored revision's, a shipped one's or no date, and
    maybe --name and --replace."""
    if draw(st.booleans()):
        suffix, content = draw(mutated(SLICE_CSV, json_lines_too=False))
    else:
        suffix, content = draw(mutated_plan(SLICE_JSON, seal=False))
    if draw(st.booleans()) and draw(st.booleans()):
        suffix, content = suffix + ".gz", gzip_of(content)
    effective = draw(st.sampled_from(["2031-01-01", "2031-01-01", KEPT[1], "2026-02-13",
                                      "2031-02-30", "soon"]))
    options = ["--effective", effective]
    name = draw(st.sampled_from([None, None, "fuzz", KEPT[0], "", "../../escape", "\x00"]))
    if name is not None:
        options += ["--name", name]
    if draw(st.booleans()) and draw(st.booleans()):
        options.append("--replace")
    return suffix, content, options


def test_a_mutated_tariff_import_exits_0_or_2_and_a_refused_one_changes_nothing(
    tariff_store: tuple[Path, Path], tmp_path: Path
) -> None:
    """`zonekeeper tariff import` as a user runs it: exit 0 or 2, never a traceback; a refused
    file leaves the tariff home byte for byte as it was; an accepted one adds its revision and
    takes away only what --replace names (the revisions of its date)."""
    template, cache = tariff_store
    before = _tree(template)
    kept = _imported(template)

    @settings(PROFILE)
    @given(tariff_imports())
    def fuzz(case: tuple[str, bytes, list[str]]) -> None:
        suffix, content, options = case
        home = tmp_path / uuid.uuid4().hex[:12]  # the user's store, fresh for each example
        shutil.copytree(template, home, symlinks=True)
        path = tmp_path / f"export{suffix}"
        path.write_bytes(content)
        with _tariff_env(home, cache):
            code, out, err = run(["tariff", "import", str(path), *options])
        assert code in (0, 2), (code, out, err)
        if code == 2:
            assert err.strip(), "exit 2 says why"
            assert _tree(home) == before, f"a refused import changed the tariff store: {err}"
            return
        effective = options[options.index("--effective") + 1]
        name = options[options.index("--name") + 1] if "--name" in options else ""
        label = name or path.name.split(".")[0]
        # Taken away: with --replace the revisions of its date; and the one stored under the
        # same name, which it succeeds (`sources.revisions._slug`, `Schedule`: names are unique).
        gone = [k for k in kept if ("--replace" in options and k[1] == effective)
                or _slug(k[0]) == _slug(label)]
        after = _imported(home)
        assert sorted([*(k for k in kept if k not in gone), (label, effective)]) == after, out

    def _slug(name: str) -> str:
        return re.sub(r"[^0-9a-z]+", "-", name.lower()).strip("-") or "revision"

    fuzz()
