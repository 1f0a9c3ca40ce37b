"""Build measures_2025_2026.csv and exceptions_2025_2026.csv from the schedule's own Chapter 99
texts (every 2025/2026 JSON revision) plus the dated facts listed in FACTS below.

What comes from the schedule (read, not typed): every heading's rate text per revision, the
first and last revision that prints each text, the countries a country-rate heading names, the
in-transit dates written in the heading, and the compiler's notes (suspended / terminated on).
What is typed here, with its source: the in-force dates that the heading does not state (the
presidential action or CBP CSMS message), and the end of the IEEPA duties (CSMS # 67834313).

    nice -n 19 .venv/bin/python research/tariff-history/gen_measures.py
Research helper; writes only under research/tariff-history/.
"""

from __future__ import annotations

import csv
import os
import re
import sys
from collections.abc import Iterable

sys.path.insert(0, os.path.dirname(__file__))
import revisions as R  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
PREFIXES = ("9903.01.", "9903.02.", "9903.03.", "9903.79.", "9903.82.")

BASE_COLUMNS = [
    "id", "program", "heading", "title", "rate", "countries", "except_countries", "coverage",
    "valid_from", "valid_to", "pf_required_from", "overrides_pf_freeze", "drawback_eligible",
    "exempt_spi", "precedence", "not_with", "status", "source", "drawback_claims",
]
EXTRA_COLUMNS = ["in_transit", "except_headings", "first_rev", "last_rev", "date_basis"]

EU = "AT;BE;BG;HR;CY;CZ;DK;EE;FI;FR;DE;GR;HU;IE;IT;LV;LT;LU;MT;NL;PL;PT;RO;SK;SI;ES;SE"
COL2 = "BY;CU;KP;RU"  # general note 3(b) (measures/column2.csv): heading 9903.01.29
IEEPA_END = "2026-02-23"  # last day: CSMS # 67834313, not collected on entries from 2026-02-24
IEEPA_END_SRC = ("end: EO 'Ending Certain Tariff Actions' (2026-02-20) after Learning Resources "
                 "v. Trump; CSMS # 67834313: not collected on goods entered on or after 12:00 "
                 "a.m. ET 2026-02-24 (the schedule through 2026 Rev 10 prints no end)")

NAMES = {
    "european union": EU, "south korea": "KR", "taiwan": "TW", "laos": "LA",
    "myanmar (burma)": "MM", "côte d`ivoire": "CI", "côte d’ivoire": "CI", "cote d'ivoire": "CI",
    "democratic republic of the congo": "CD", "falkland islands": "FK", "syria": "SY",
    "moldova": "MD", "vietnam": "VN", "brunei": "BN", "turkey": "TR", "bolivia": "BO",
    "venezuela": "VE", "north macedonia": "MK", "libya": "LY", "iraq": "IQ",
    "bosnia and herzegovina": "BA", "philippines": "PH", "cameroon": "CM", "lesotho": "LS",
    "chad": "TD", "equatorial guinea": "GQ", "nigeria": "NG", "norway": "NO", "mozambique": "MZ",
    "israel": "IL", "malawi": "MW", "zambia": "ZM", "nicaragua": "NI", "zimbabwe": "ZW",
    "jordan": "JO", "namibia": "NA", "vanuatu": "VU", "japan": "JP", "malaysia": "MY",
    "kazakhstan": "KZ", "tunisia": "TN", "pakistan": "PK", "algeria": "DZ", "nauru": "NR",
    "south africa": "ZA", "switzerland": "CH", "angola": "AO", "fiji": "FJ", "indonesia": "ID",
    "thailand": "TH", "bangladesh": "BD", "botswana": "BW", "liechtenstein": "LI",
    "serbia": "RS", "guyana": "GY", "mauritius": "MU", "sri lanka": "LK", "cambodia": "KH",
    "madagascar": "MG", "afghanistan": "AF", "brazil": "BR", "costa rica": "CR",
    "ecuador": "EC", "ghana": "GH", "iceland": "IS", "india": "IN", "new zealand": "NZ",
    "papua new guinea": "PG", "trinidad and tobago": "TT", "uganda": "UG",
    "united kingdom": "GB", "china, including hong kong and macau": "CN;HK;MO",
}


def iso(names: str) -> str:
    """`Israel, Malawi, Philippines, or Zambia` -> `IL;MW;PH;ZM` (KeyError if unknown)."""
    text = names.strip().removeprefix("the ")
    if text.lower() in NAMES:
        return NAMES[text.lower()]
    parts = re.split(r",\s*(?:or\s+)?|\s+or\s+", text)
    codes = [NAMES[p.strip().removeprefix("the ").lower()] for p in parts if p.strip()]
    return ";".join(codes)


def spans() -> dict[str, list[dict[str, str]]]:
    """heading -> runs of identical (description, general) text over consecutive revisions."""
    out: dict[str, list[dict[str, str]]] = {}
    prev = ""
    for rev in R.json_revisions():
        label = rev["label"]
        for key, t in R.lines(rev):
            if "#" in key or not key.startswith(PREFIXES):
                continue
            desc = " ".join(re.sub(r"<[^>]+>", "", t["description"]).split())
            text = (desc, " ".join(t["general"].split()))
            runs = out.setdefault(key, [])
            same = runs and (runs[-1]["desc"], runs[-1]["general"]) == text
            if same and runs[-1]["last"] == prev:
                runs[-1]["last"] = label
            else:
                runs.append({"first": label, "last": label, "desc": text[0],
                             "general": text[1]})
        prev = label
    return out


def rate_cell(general: str) -> str:
    """The schedule's general text as measures.csv writes a rate: `+ 25%` -> `25%`,
    a bare `15%` (total duty) -> `floor 15%`; '' for no additional duty."""
    g = general.replace("The duty provided in the applicable subheading", "").strip()
    g = g.replace("a duty of", "").strip()
    m = re.fullmatch(r"\+\s*(\d+(?:\.\d+)?)%", g)
    if m:
        return f"{m.group(1)}%"
    m = re.fullmatch(r"(\d+(?:\.\d+)?)%", g)
    if m:
        return f"floor {m.group(1)}%"
    return ""


def run_with_rate(runs: list[dict[str, str]], pct: str) -> tuple[str, str]:
    """First and last revision whose text has this rate cell."""
    hits = [r for r in runs if rate_cell(r["general"]) == pct]
    return (hits[0]["first"], hits[-1]["last"]) if hits else ("", "")


COUNTRY_RE = re.compile(r"articles the product of (.+?),? (?:as provided for|with an ad valorem)")


def country_of(desc: str) -> str:
    m = COUNTRY_RE.search(desc)
    if not m:
        raise ValueError(f"no country in {desc[:120]!r}")
    return iso(m.group(1))


def note(desc: str) -> str:
    m = re.search(r"\[Compiler[’']s note:(.*?)\]", desc)
    return " ".join(m.group(1).split()) if m else ""


def row(**kw: str) -> dict[str, str]:
    base = dict.fromkeys(BASE_COLUMNS + EXTRA_COLUMNS, "")
    base.update(precedence="1", overrides_pf_freeze="no", status="confirmed")
    base.update(kw)
    return base


def generated(sp: dict[str, list[dict[str, str]]]) -> Iterable[dict[str, str]]:
    """Rows read off the country-rate headings (April 2025 and August 2025 rates)."""
    # 9903.01.43-.76 (except .63, China): country rates of EO 14257 Annex I, in force on
    # 2025-04-09 only (EO 14266 paused them from 12:01 a.m. 2025-04-10; terminated by
    # EO 14326, 90 FR 37963, as the compiler's notes say from Rev 18).
    for h in sorted(k for k in sp if "9903.01.43" <= k <= "9903.01.76" and k != "9903.01.63"):
        runs = sp[h]
        pct = rate_cell(runs[0]["general"])
        first, last = run_with_rate(runs, pct)
        countries = country_of(runs[0]["desc"])
        yield row(
            id=f"ieepa-recip-apr-{h[-2:]}", program="ieepa", heading=h,
            title=f"IEEPA reciprocal country rate of 9 April 2025 ({countries})", rate=pct,
            countries=countries, coverage="all", valid_from="2025-04-09", valid_to="2025-04-09",
            pf_required_from="2025-04-09", drawback_eligible="yes", not_with="section232",
            source=("EO 14257 (2025-04-02) sec. 3 and Annex I; heading text (first "
                    f"{first}); paused from 12:01 a.m. 2025-04-10 by EO 14266 (compiler's note "
                    "'provision suspended' from 2025 Rev 9); terminated by EO 14326, 90 FR "
                    "37963 (compiler's note from 2025 Rev 18)"),
            in_transit="9903.01.25 (10%) instead: loaded on or after 2025-04-05 and before "
                       "2025-04-09 (heading text); entered before 2025-05-27 (CSMS # 64680374; "
                       "later before 2025-06-16)",
            except_headings="9903.01.28-9903.01.34",
            first_rev=first, last_rev=last, date_basis="EO (heading states 12:01 a.m. 2025-04-09)",
        )
    # 9903.02.02-.71: country rates of EO 14326 (2025-07-31, 90 FR 37963) from 2025-08-07.
    ends = {
        "KR": ("2025-11-13", "compiler's note: terminated on 2025-11-14 (90 FR 55964); "
                             "replaced by 9903.02.79/.80"),
        "CH": ("2025-11-13", "compiler's note: terminated (90 FR 59281); replaced "
                             "retroactively from 2025-11-14 by 9903.02.82/.83 (CSMS # 67133044)"),
        "LI": ("2025-11-13", "compiler's note: terminated (90 FR 59281); replaced "
                             "retroactively from 2025-11-14 by 9903.02.87/.88 (CSMS # 67133044)"),
        "JP": ("2025-09-15", "compiler's note: terminated (90 FR 44638); replaced retroactively "
                             "from 2025-08-07 by 9903.02.72/.73 (EO 14345; CSMS # 66242844: "
                             "deposited at +15% until the 2025-09-16 implementation, then "
                             "refundable)"),
    }
    for h in sorted(k for k in sp if "9903.02.02" <= k <= "9903.02.71"):
        runs = sp[h]
        desc = runs[-1]["desc"]
        countries = country_of(desc)
        pct = rate_cell(runs[-1]["general"])
        first, last = run_with_rate(runs, pct)
        if h in ("9903.02.19", "9903.02.20"):  # EU: written below as floor rows
            continue
        end, end_src = ends.get(countries, (IEEPA_END, IEEPA_END_SRC))
        yield row(
            id=f"ieepa-recip-aug-{h[-2:]}", program="ieepa", heading=h,
            title=f"IEEPA reciprocal country rate of 7 August 2025 ({countries})", rate=pct,
            countries=countries, coverage="all", valid_from="2025-08-07", valid_to=end,
            pf_required_from="2025-08-07", drawback_eligible="yes", not_with="section232",
            precedence="1",
            source=("EO 14326 (2025-07-31; 90 FR 37963) Annex I; U.S. note 2(v); heading "
                    f"text (first {first}); {end_src}"),
            in_transit="9903.01.25 (10%) instead: loaded before 2025-08-07; entered before "
                       "2025-10-05",
            except_headings="9903.01.30-9903.01.33;9903.01.34;9903.02.01;9903.02.78",
            first_rev=first, last_rev=last,
            date_basis="heading (12:01 a.m. 2025-08-07)" + ("; end per compiler's note"
                                                             if countries in ends else
                                                             "; end per CSMS"),
            status="confirmed" if countries not in ("KR",) else "unconfirmed",
        )


def main() -> None:
    sp = spans()
    rows = list(generated(sp))
    facts = __import__("facts_2025_2026")
    for r in facts.rows(sp, rate_cell, run_with_rate, note, EU, COL2, IEEPA_END, IEEPA_END_SRC):
        rows.append(row(**r))
    recip_aug = sorted({c for r in rows if r["id"].startswith("ieepa-recip-aug-")
                        for c in r["countries"].split(";")} | set(EU.split(";")))
    for r in rows:
        if r["id"] == "ieepa-recip-base-aug":
            r["except_countries"] = ";".join(sorted(set(r["except_countries"].split(";"))
                                                    | set(recip_aug)))
        if r["id"] == "ieepa-recip-base-apr9":
            apr = sorted({c for x in rows if x["id"].startswith("ieepa-recip-apr-")
                          for c in x["countries"].split(";")} | {"CN", "HK", "MO"})
            r["except_countries"] = ";".join(sorted(set(r["except_countries"].split(";"))
                                                    | set(apr)))
    rows.sort(key=lambda r: (r["heading"], r["valid_from"], r["id"]))
    with open(os.path.join(HERE, "measures_2025_2026.csv"), "w", newline="",
              encoding="utf-8") as f:
        w = csv.DictWriter(f, BASE_COLUMNS + EXTRA_COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    ex = facts.exceptions(sp)
    with open(os.path.join(HERE, "exceptions_2025_2026.csv"), "w", newline="",
              encoding="utf-8") as f:
        w = csv.DictWriter(f, list(ex[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(ex)
    # every 9903.01/.02/.03/.79/.82 heading of the schedule is either a measure row or an
    # exception row: list the ones that are neither
    covered = {r["heading"] for r in rows} | {e["heading"] for e in ex}
    missing = sorted(set(sp) - covered)
    print(f"{len(rows)} measure rows, {len(ex)} exception rows; headings in the schedule "
          f"neither: {missing}")


if __name__ == "__main__":
    main()
