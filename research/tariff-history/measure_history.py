"""Measure the shipped tariff history (task 2 of the groundwork; read-only research script).

For every revision of the USITC history exports ($ZK_HISTORY) (MANIFEST order = in-force order):
lines per revision; lines that change (general/special/other/units/footnotes) between
consecutive revisions; distinct rate texts over all revisions and the share the product's
parser reads (`zonekeeper.tariff.rate_parser`, imported read-only, e.g. PYTHONPATH=
src); which goods lines footnote which 9903 headings per revision; byte-identical
files. Rows are read with the product's own reader (`zonekeeper.tariff.usitc.parse_usitc`), so
the texts are exactly what `tariff check` would see; footnotes (JSON only) are read beside it.

    nice -n 19 .venv/bin/python research/tariff-history/measure_history.py OUTDIR
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
import os
import re
import sys
import time
from collections import Counter, defaultdict

sys.path.insert(0, os.path.dirname(__file__))
import revisions as R  # noqa: E402

from zonekeeper.tariff.rate_parser import parse_rate, parse_special  # noqa: E402
from zonekeeper.tariff.usitc import parse_usitc  # noqa: E402


def read(row: dict[str, str]) -> tuple[dict[str, tuple[str, ...]], str, dict[str, list[str]]]:
    """key -> (general, special, other, units, footnotes), sha256 of the raw bytes, and
    key -> 9903 headings its footnotes name."""
    path = os.path.join(R.HISTORY, row["file"])
    with open(path, "rb") as f:
        packed = f.read()
    raw = gzip.decompress(packed)
    sha = hashlib.sha256(raw).hexdigest()
    rows = parse_usitc(packed, row["file"])
    notes: list[str] = []
    if row["file"].endswith(".json.gz"):
        notes = [R.norm_footnotes(rec.get("footnotes")) for rec in json.loads(raw)]
    out: dict[str, tuple[str, ...]] = {}
    refs: dict[str, list[str]] = {}
    last, n = "", 0
    for r in rows:
        if r.hts:
            last, n, key = r.hts, 0, r.hts
        else:
            n += 1
            key = f"{last}#{n}"
        fn = notes[r.row - 1] if notes else ""
        out[key] = (r.general, r.special, r.column2, "|".join(r.units), fn)
        found = R.footnote_headings(fn)
        if found and r.hts and not r.hts.startswith("99"):
            refs[key] = found
    return out, sha, refs


TAG = re.compile(r"<[^>]*>")


def strip_markup(text: str) -> str:
    """What the USITC export's HTML markup hides: `m<sup>3</sup>` -> `m3`, `<il></il>` -> ''.
    The exports add and drop such tags from one revision to the next without any change of
    substance (2025 Rev 4, 10, 11, 14, 15 and 2026 Rev 9, 10 print them; the others not)."""
    return " ".join(TAG.sub("", text).split()) if "<" in text else text


def main(outdir: str) -> None:
    os.makedirs(outdir, exist_ok=True)
    started = time.perf_counter()
    revs = R.manifest()
    first_text: dict[tuple[str, str], tuple[str, str]] = {}
    per_rev = []
    changes = []
    shas: dict[str, list[str]] = defaultdict(list)
    foot_rows = []
    prev: dict[str, tuple[str, ...]] | None = None
    prev_label = prev_file = ""
    for rev in revs:
        label = rev["label"]
        lines, sha, refs = read(rev)
        shas[sha].append(label)
        coded = sum(1 for k in lines if "#" not in k)
        per_rev.append({"revision": label, "in_force_from": rev["from"], "records": len(lines),
                        "numbered_lines": coded,
                        "lines_with_9903_footnote": len(refs)})
        for key, (g, s, o, _u, _f) in lines.items():
            digits = key.split("#")[0]
            for column, text in (("general", g), ("special", s), ("column2", o)):
                if text:
                    first_text.setdefault((column, text), (digits, label))
        by_heading: Counter[str] = Counter()
        for hs in refs.values():
            for h in set(hs):
                by_heading[h] += 1
        for h, c in sorted(by_heading.items()):
            foot_rows.append({"revision": label, "heading": h, "lines": c})
        if prev is not None:
            # the CSV exports carry no footnotes: compare them only between two JSON files
            both_json = rev["file"].endswith(".json") or rev["file"].endswith(".json.gz")
            both_json = both_json and prev_file.endswith(".json.gz")
            fields = ("general", "special", "other", "units", "footnotes")
            if not both_json:
                fields = fields[:4]
            per_field: Counter[str] = Counter()
            per_field_norm: Counter[str] = Counter()
            changed = changed_norm = 0
            for key in lines.keys() & prev.keys():
                a, b = prev[key], lines[key]
                diff = [f for i, f in enumerate(fields) if a[i] != b[i]]
                if diff:
                    changed += 1
                    per_field.update(diff)
                    diff = [f for i, f in enumerate(fields)
                            if strip_markup(a[i]) != strip_markup(b[i])]
                    if diff:
                        changed_norm += 1
                        per_field_norm.update(diff)
            added = len(lines.keys() - prev.keys())
            removed = len(prev.keys() - lines.keys())
            changes.append({"from": prev_label, "to": label, "changed": changed,
                            "added": added, "removed": removed,
                            **{f: per_field[f] for f in fields},
                            "changed_without_markup": changed_norm,
                            **{f"{f}_without_markup": per_field_norm[f] for f in fields}})
        prev, prev_label, prev_file = lines, label, rev["file"]
        print(f"{label}: {len(lines)} records, {len(refs)} lines with 9903 footnotes",
              file=sys.stderr)
    norm_first: dict[tuple[str, str], tuple[str, str]] = {}
    for (column, text), where in first_text.items():
        norm_first.setdefault((column, strip_markup(text)), where)
    unparsed_norm = []
    for (column, text), (digits, label) in norm_first.items():
        ok = (parse_special(text).computable if column == "special"
              else parse_rate(text).computable)
        if not ok:
            unparsed_norm.append({"column": column, "text": text, "hts": digits,
                                  "revision": label})
    kinds: Counter[str] = Counter()
    unparsed = []
    for (column, text), (digits, label) in first_text.items():
        if column == "special":
            sp = parse_special(text)
            ok = sp.computable
            kinds.update(r.kind for r in sp.rates())
        else:
            rate = parse_rate(text)
            ok = rate.computable
            kinds[rate.kind] += 1
        if not ok:
            unparsed.append({"column": column, "text": text, "hts": digits, "revision": label})
    result = {
        "revisions": per_rev,
        "changes": changes,
        "distinct_rate_texts": len(first_text),
        "parsed": len(first_text) - len(unparsed),
        "parsed_pct": round(100 * (len(first_text) - len(unparsed)) / len(first_text), 3),
        "kinds": dict(sorted(kinds.items())),
        "unparsed": unparsed,
        "distinct_rate_texts_without_markup": len(norm_first),
        "parsed_without_markup": len(norm_first) - len(unparsed_norm),
        "unparsed_without_markup": unparsed_norm,
        "identical_files": [v for v in shas.values() if len(v) > 1],
        "seconds": round(time.perf_counter() - started, 1),
    }
    with open(os.path.join(outdir, "measurements.json"), "w", encoding="utf-8") as f:
        json.dump(result, f, indent=1, ensure_ascii=False)
    with open(os.path.join(outdir, "footnote_headings.csv"), "w", newline="",
              encoding="utf-8") as f:
        w = csv.DictWriter(f, ["revision", "heading", "lines"])
        w.writeheader()
        w.writerows(foot_rows)
    print(json.dumps({k: result[k] for k in ("distinct_rate_texts", "parsed", "parsed_pct",
                                             "distinct_rate_texts_without_markup",
                                             "parsed_without_markup",
                                             "identical_files", "seconds")}))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "research/tariff-history/measurements")
