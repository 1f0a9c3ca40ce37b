"""The measure rows that cannot be read off a country list: their in-force dates and sources.

Each row's rate is checked against the schedule's own text (`expect`): if the heading never
prints that rate, generation stops. Dates come from the heading text where it states them,
else from the presidential action or the CBP CSMS message named in `source`; `date_basis`
says which, and `status` is `unconfirmed` where the date is an inference.
Used by gen_measures.py (research helper, not product code).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

Spans = dict[str, list[dict[str, str]]]


def rows(sp: Spans, rate_cell: Callable[[str], str], run_with_rate: Callable[..., tuple[str, str]],
         note: Callable[[str], str], EU: str, COL2: str, END: str, END_SRC: str
         ) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []

    def add(heading: str, rate: str, **kw: Any) -> None:
        runs = sp[heading]
        first, last = run_with_rate(runs, rate)
        if not first:
            raise SystemExit(f"{heading}: the schedule never prints {rate!r}: "
                             f"{sorted({rate_cell(r['general']) for r in runs})}")
        out.append({"heading": heading, "rate": rate, "first_rev": first, "last_rev": last,
                    "coverage": "all", "program": "ieepa", **kw})

    # -- fentanyl / border duties (EO 14193 Canada, 14194 Mexico, 14195 China) -----------
    mx_src = ("EO 14194 (2025-02-01) sec. 2; U.S. note 2(a)-(c); postponed to 2025-03-04 by "
              "EO 14198 (the heading is printed from 2025 Rev 3)")
    add("9903.01.01", "25%", id="ieepa-fent-mx-a", title="IEEPA border duty on Mexico",
        countries="MX", valid_from="2025-03-04", valid_to="2025-03-06",
        pf_required_from="2025-03-04", drawback_eligible="no", not_with="section232",
        source=mx_src + "; no USMCA carve-out before EO 14232 (2025-03-06)",
        except_headings="9903.01.02;9903.01.03", date_basis="EO (postponement)",
        status="unconfirmed")
    add("9903.01.01", "25%", id="ieepa-fent-mx", title="IEEPA border duty on Mexico",
        countries="MX", valid_from="2025-03-07", valid_to=END, pf_required_from="2025-03-04",
        drawback_eligible="no", exempt_spi="S;S+", not_with="section232",
        source=mx_src + "; USMCA goods exempt from 2025-03-07 (EO 14232; heading 9903.01.04 "
        "from 2025 Rev 4); not on Section 232 goods (EO 14289 sec. 3); " + END_SRC,
        except_headings="9903.01.02-9903.01.05", date_basis="EO; end per CSMS")
    add("9903.01.05", "10%", id="ieepa-fent-mx-potash", title="IEEPA border duty on Mexican "
        "potash", countries="MX", coverage="ieepa_potash", valid_from="2025-03-07",
        valid_to=END, pf_required_from="2025-03-04", drawback_eligible="no",
        exempt_spi="S;S+", precedence="2", not_with="section232",
        source="EO 14232 (2025-03-06); U.S. note 2(c); replaces 9903.01.01 for potash; " + END_SRC,
        date_basis="EO", status="unconfirmed")
    ca_src = ("EO 14193 (2025-02-01) sec. 2; U.S. note 2(j)-(l); postponed to 2025-03-04 by "
              "EO 14197 (the heading is printed from 2025 Rev 3)")
    add("9903.01.10", "25%", id="ieepa-fent-ca-a", title="IEEPA border duty on Canada",
        countries="CA", valid_from="2025-03-04", valid_to="2025-03-06",
        pf_required_from="2025-03-04", drawback_eligible="no", not_with="section232",
        source=ca_src + "; no USMCA carve-out before EO 14231 (2025-03-06)",
        except_headings="9903.01.11-9903.01.13", date_basis="EO (postponement)",
        status="unconfirmed")
    add("9903.01.10", "25%", id="ieepa-fent-ca-25", title="IEEPA border duty on Canada",
        countries="CA", valid_from="2025-03-07", valid_to="2025-07-31",
        pf_required_from="2025-03-04", drawback_eligible="no", exempt_spi="S;S+",
        not_with="section232", source=ca_src + "; USMCA goods exempt from 2025-03-07 "
        "(EO 14231; heading 9903.01.14)", except_headings="9903.01.11-9903.01.15",
        date_basis="EO")
    add("9903.01.10", "35%", id="ieepa-fent-ca", title="IEEPA border duty on Canada",
        countries="CA", valid_from="2025-08-01", valid_to=END, pf_required_from="2025-03-04",
        drawback_eligible="no", exempt_spi="S;S+", not_with="section232",
        source="EO 14325 (2025-07-31): +35% from 12:01 a.m. 2025-08-01 (the +35% text is "
        "printed from 2025 Rev 17, which Yale dates 2025-07-01); " + END_SRC,
        except_headings="9903.01.11-9903.01.15", date_basis="EO; end per CSMS")
    add("9903.01.13", "10%", id="ieepa-fent-ca-energy", title="IEEPA border duty on Canadian "
        "energy and critical minerals", countries="CA", coverage="ieepa_ca_energy",
        valid_from="2025-03-04", valid_to=END, pf_required_from="2025-03-04",
        drawback_eligible="no", exempt_spi="S;S+", precedence="2", not_with="section232",
        source="EO 14193 sec. 2 (energy and energy resources, critical minerals as defined by "
        "30 U.S.C. 1606(a)(3)); replaces 9903.01.10 for these goods; USMCA exemption from "
        "2025-03-07; " + END_SRC, date_basis="EO")
    add("9903.01.15", "10%", id="ieepa-fent-ca-potash", title="IEEPA border duty on Canadian "
        "potash", countries="CA", coverage="ieepa_potash", valid_from="2025-03-07",
        valid_to=END, pf_required_from="2025-03-04", drawback_eligible="no",
        exempt_spi="S;S+", precedence="2", not_with="section232",
        source="EO 14231 (2025-03-06); U.S. note 2(l); replaces 9903.01.10 for potash; " + END_SRC,
        date_basis="EO", status="unconfirmed")
    add("9903.01.16", "40%", id="ieepa-fent-ca-transship", title="IEEPA duty on Canadian "
        "goods transshipped to evade duties", countries="CA",
        coverage="cbp_transshipment_determination", valid_from="2025-08-01", valid_to=END,
        pf_required_from="2025-08-01", drawback_eligible="no", precedence="3",
        source="EO 14325 (2025-07-31) sec. 3; U.S. note 2(m); applies only on a CBP "
        "determination (not from the HTS number); " + END_SRC, date_basis="EO")
    cn_src = "EO 14195 (2025-02-01) sec. 2; U.S. note 2(s)"
    add("9903.01.20", "10%", id="ieepa-fent-cn", title="IEEPA synthetic-opioid duty on China",
        countries="CN;HK", valid_from="2025-02-04", valid_to="2025-03-03",
        pf_required_from="2025-02-04", drawback_eligible="no",
        source=cn_src + "; from 12:01 a.m. 2025-02-04; replaced from 2025-03-04 by 9903.01.24 "
        "(+20%, EO 14228) — the shipped measures.csv stacks 9903.01.20 and a +10% 9903.01.24 "
        "instead (same total 20%)",
        in_transit="9903.01.23: loaded before 2025-02-01; entered 2025-02-04..2025-03-06",
        except_headings="9903.01.21-9903.01.23", date_basis="heading (9903.01.23) and EO")
    add("9903.01.24", "20%", id="ieepa-fent-cn-20", title="IEEPA synthetic-opioid duty on "
        "China (20%)", countries="CN;HK", valid_from="2025-03-04", valid_to="2025-11-09",
        pf_required_from="2025-02-04", drawback_eligible="no",
        source="EO 14228 (2025-03-03) amending EO 14195; U.S. note 2(u)",
        except_headings="9903.01.21-9903.01.23;U.S. note 2(w) (2025 Rev 11-26 texts)",
        date_basis="EO")
    add("9903.01.24", "10%", id="ieepa-fent-cn-10", title="IEEPA synthetic-opioid duty on "
        "China (reduced to 10%)", countries="CN;HK", valid_from="2025-11-10", valid_to=END,
        pf_required_from="2025-02-04", drawback_eligible="no",
        source="EO 14357 (2025-11-04): 20% -> 10% from 12:01 a.m. 2025-11-10 (the +10% text is "
        "printed from 2025 Rev 27, which Yale dates 2025-10-15); " + END_SRC,
        except_headings="9903.01.21-9903.01.23", date_basis="EO; end per CSMS",
        status="unconfirmed")

    # -- reciprocal baseline 9903.01.25 (EO 14257) in its five shapes ---------------------
    base = {"countries": "", "pf_required_from": "2025-04-05", "drawback_eligible": "yes",
                "not_with": "section232", "title": "IEEPA reciprocal tariff (baseline 10%)",
                "except_headings": "9903.01.28-9903.01.34;9903.96.01 (UK aircraft, from "
                "2025-06-30);9903.96.02 (JP aircraft, from 2025-09-16);9903.02.74-9903.02.78"}
    src = "EO 14257 (2025-04-02) sec. 3; U.S. note 2(v); heading 9903.01.25"
    add("9903.01.25", "10%", id="ieepa-recip-base-apr5", valid_from="2025-04-05",
        valid_to="2025-04-08", except_countries=f"CA;MX;{COL2}",
        source=src + " (12:01 a.m. EDT 2025-04-05); CA/MX by 9903.01.26/.27, column-2 "
               "countries by 9903.01.29",
        in_transit="9903.01.28: loaded before 2025-04-05; entered before 2025-05-27 (CSMS # "
                   "64680374; extended to before 2025-06-16 by CBP's guidance of 2025-05-30; "
                   "the heading prints no entry deadline)",
        date_basis="heading (9903.01.28)", **base)
    add("9903.01.25", "10%", id="ieepa-recip-base-apr9", valid_from="2025-04-09",
        valid_to="2025-04-09", except_countries=f"CA;MX;{COL2}",
        source=src + " (2025 Rev 7 text: not for the countries of note 2(v)(xiii) entered "
               "after 12:01 a.m. 2025-04-09); the 9 April country rates 9903.01.43-.76 apply",
        date_basis="heading", **base)
    add("9903.01.25", "10%", id="ieepa-recip-base-apr10", valid_from="2025-04-10",
        valid_to="2025-05-13", except_countries=f"CA;MX;{COL2};CN;HK;MO",
        source=src + "; EO 14266 (2025-04-09) paused the country rates from 12:01 a.m. "
               "2025-04-10 except China (2025 Rev 9 text excludes China under 9903.01.63)",
        date_basis="heading and EO", **base)
    add("9903.01.25", "10%", id="ieepa-recip-base-may14", valid_from="2025-05-14",
        valid_to="2025-08-06", except_countries=f"CA;MX;{COL2}",
        source=src + "; China again at 10% from 2025-05-14 (EO 14298, 2025-05-12; 2025 Rev 12 "
               "text no longer excludes China)", date_basis="EO", **base)
    add("9903.01.25", "10%", id="ieepa-recip-base-aug", valid_from="2025-08-07", valid_to=END,
        except_countries=f"CA;MX;{COL2}",
        source=src + "; from 2025-08-07 not for the countries of 9903.02.02-.71 (EO 14326; "
               "2025 Rev 18 text) nor the floors 9903.02.19/.20, .72/.73, .79/.80, .82-.91; "
               + END_SRC, date_basis="heading; end per CSMS", **base)
    # China 9903.01.63
    cn = {"countries": "CN;HK;MO", "pf_required_from": "2025-04-09", "drawback_eligible": "yes",
              "not_with": "section232", "except_headings": "9903.01.28-9903.01.34;U.S. note 2(w)"}
    add("9903.01.63", "84%", id="ieepa-recip-cn-84", title="IEEPA reciprocal rate on China "
        "(84%)", valid_from="2025-04-09", valid_to="2025-04-09",
        source="EO 14259 (2025-04-08): 34% -> 84% from 12:01 a.m. 2025-04-09 (the 34% of EO "
        "14257, printed in 2025 Rev 7, was never collected)",
        in_transit="9903.01.25 (10%) instead: loaded before 2025-04-09 (heading text); "
                   "entered before 2025-05-27 (CSMS # 64680374; later before 2025-06-16)",
        date_basis="EO", **cn)
    add("9903.01.63", "125%", id="ieepa-recip-cn-125", title="IEEPA reciprocal rate on China "
        "(125%)", valid_from="2025-04-10", valid_to="2025-05-13",
        source="EO 14266 (2025-04-09): 125% from 12:01 a.m. 2025-04-10; reduced by EO 14298",
        in_transit="9903.01.25 (10%) instead: loaded before 2025-04-10 (heading text); "
                   "entered before 2025-05-27 (CSMS # 64680374; later before 2025-06-16)",
        date_basis="EO", **cn)
    add("9903.01.63", "34%", id="ieepa-recip-cn-34", title="IEEPA reciprocal rate on China "
        "(34%, 24 points suspended)", valid_from="2025-05-14", valid_to=END, status="suspended",
        source="EO 14298 (2025-05-12, Geneva): 34% with 24 points suspended (China pays the 10% "
        "of 9903.01.25), extended by EO 14334 (2025-08-11) and EO 14358 (90 FR 50729) to "
        "2026-11-10; compiler's note 'provision suspended' from 2025 Rev 12; " + END_SRC,
        date_basis="EO and compiler's note", **cn)

    # -- Brazil, India, transshipment ----------------------------------------------------
    add("9903.01.77", "40%", id="ieepa-brazil", title="IEEPA duty on Brazil", countries="BR",
        valid_from="2025-08-06", valid_to=END, pf_required_from="2025-08-06",
        not_with="section232",
        source="EO 14323 (2025-07-30; 90 FR 37739) sec. 3; U.S. note 2(x); compiler's note: "
        "effective 2025-08-06; stacks on the reciprocal 10% (9903.02.09); " + END_SRC,
        in_transit="9903.01.78: loaded before 2025-08-06; entered before 2025-10-05",
        except_headings="9903.01.78-9903.01.83;9903.01.90 (agricultural goods, from "
        "2025-11-13)", date_basis="compiler's note; end per CSMS")
    add("9903.01.84", "25%", id="ieepa-india", title="IEEPA duty on India (Russian oil)",
        countries="IN", valid_from="2025-08-27", valid_to="2026-02-06",
        pf_required_from="2025-08-27", not_with="section232",
        source="EO 14329 (2025-08-06; 90 FR 38701) sec. 3; U.S. note 2(z); heading text: "
        "entries after 12:01 a.m. EDT 2025-08-27; compiler's note: terminated as of "
        "2026-02-07 (from 2026 Rev 3); stacks on the reciprocal 25% (9903.02.26)",
        in_transit="9903.01.85: loaded before 2025-08-27; entered before 2025-09-17",
        except_headings="9903.01.85-9903.01.89", date_basis="heading and compiler's note")
    add("9903.02.01", "40%", id="ieepa-transship", title="IEEPA duty on goods transshipped to "
        "evade the reciprocal tariff", countries="", coverage="cbp_transshipment_determination",
        valid_from="2025-08-07", valid_to=END, pf_required_from="2025-08-07",
        drawback_eligible="no", precedence="3",
        source="EO 14326 (2025-07-31; compiler's note of 9903.02.01) sec. 2; applies only on a "
        "CBP determination, in place of the country rate; " + END_SRC, date_basis="EO",
        status="unconfirmed")

    # -- floors: total duty 15% where column 1 is below 15% ------------------------------
    fl = {"pf_required_from": "2025-08-07", "drawback_eligible": "yes", "not_with": "section232"}
    add("9903.02.20", "floor 15%", id="ieepa-recip-eu-floor", title="IEEPA reciprocal, "
        "European Union (15% all-in)", countries=EU, valid_from="2025-08-07", valid_to=END,
        source="EO 14326 Annex I (EU); U.S. note 2(v); heading text (from 2025 Rev 18); "
        "column 1 >= 15%: 9903.02.19, no additional duty; " + END_SRC,
        in_transit="9903.01.25 (10%) instead: loaded before 2025-08-07; entered before "
                   "2025-10-05", except_headings="9903.01.30-9903.01.34;9903.02.01;"
        "9903.02.74-9903.02.78", date_basis="heading", **fl)
    add("9903.02.73", "floor 15%", id="ieepa-recip-jp-floor", title="IEEPA reciprocal, Japan "
        "(15% all-in)", countries="JP", valid_from="2025-08-07", valid_to=END, precedence="2",
        source="EO 14345 (2025-09-04) retroactive to 12:01 a.m. 2025-08-07; CSMS # 66242844; "
        "headings printed from 2025 Rev 23; replaces 9903.02.30 (+15%); column 1 >= 15%: "
        "9903.02.72; " + END_SRC, in_transit="9903.01.25 (10%) instead: loaded before "
        "2025-08-07; entered before 2025-10-05", except_headings="9903.01.30-9903.01.34;"
        "9903.02.01;9903.02.78;9903.96.02", date_basis="EO (retroactive) and CSMS", **fl)
    add("9903.02.80", "floor 15%", id="ieepa-recip-kr-floor", title="IEEPA reciprocal, South "
        "Korea (15% all-in)", countries="KR", valid_from="2025-11-14", valid_to=END,
        source="US-Korea framework; headings printed from 2025 Rev 32; start = the day "
        "9903.02.56 (+15%) was terminated per its compiler's note (2025-11-14; 90 FR 55964); "
        "column 1-General or -Special; >= 15%: 9903.02.79; " + END_SRC,
        except_headings="9903.01.30-9903.01.34;9903.02.01;9903.02.78;9903.02.81",
        date_basis="compiler's note of 9903.02.56", status="unconfirmed", **fl)
    for h, c, x in (("9903.02.83", "CH", "9903.02.82;9903.02.84-9903.02.86"),
                    ("9903.02.88", "LI", "9903.02.87;9903.02.89-9903.02.91")):
        add(h, "floor 15%", id=f"ieepa-recip-{c.lower()}-floor", title=f"IEEPA reciprocal, "
            f"{'Switzerland' if c == 'CH' else 'Liechtenstein'} (15% all-in)", countries=c,
            valid_from="2025-11-14", valid_to=END,
            source="US-Switzerland-Liechtenstein framework; notice of 2025-12-18 (90 FR 59281) "
            "retroactive to 12:01 a.m. 2025-11-14; CSMS # 67133044; headings printed from 2026 "
            "Basic; " + END_SRC,
            except_headings=f"9903.01.30-9903.01.34;9903.02.01;9903.02.78;{x}",
            date_basis="FR notice (retroactive) and CSMS", **fl)

    # -- 2026: Section 122, semiconductors, the April 2026 metals annexes -----------------
    add("9903.03.01", "10%", id="s122-surcharge", program="section122", title="Section 122 "
        "temporary import surcharge", countries="", valid_from="2026-02-24",
        valid_to="2026-07-23", pf_required_from="2026-02-24", drawback_eligible="yes",
        exempt_spi="S;S+", not_with="section232",
        source="Proclamation of 2026-02-20 (Trade Act of 1974 s. 122) cl. 4-7; U.S. note 2(aa); "
        "CSMS # 67844987: entries from 12:01 a.m. EST 2026-02-24 through 12:01 a.m. EDT "
        "2026-07-24 (150 days; the end lies after the newest revision, 2026 Rev 10, and is "
        "statutory unless Congress extends it)",
        in_transit="9903.03.02: loaded before 2026-02-24; entered before 2026-02-28",
        except_headings="9903.03.02-9903.03.11", date_basis="proclamation and CSMS")
    add("9903.79.01", "25%", id="s232-semis", program="section232", title="Section 232 "
        "semiconductors", coverage="s232_semi", countries="", valid_from="2026-01-15",
        valid_to="", pf_required_from="2026-01-15", drawback_eligible="no",
        source="Proclamation of 2026-01-14 (semiconductors) cl. 8; U.S. note 39; headings "
        "printed from 2026 Rev 1; effective date assumed the day after the proclamation (as "
        "the shipped measures.csv)", except_headings="9903.79.02-9903.79.09 (end use, U.S. "
        "note 39(c)-(d))", date_basis="inferred", status="unconfirmed")
    ann = {"program": "section232", "pf_required_from": "2026-04-06", "overrides_pf_freeze": "yes",
               "drawback_claims": "a;b", "valid_from": "2026-04-06", "valid_to": "",
               "date_basis": "proclamation (cl. 12) and heading (2026 Rev 5)"}
    asrc = ("Proclamation of 2026-04-02 (aluminum/steel/copper) cl. 12-13; U.S. note 16 "
            "(2026 Rev 5 text, corrected retroactively by 2026 Rev 7)")
    add("9903.82.02", "50%", id="s232-annex-1a", title="Section 232 metals, note 16(c)(i)-(v)",
        countries="", coverage="s232_annex:1a", source=asrc,
        except_headings="9903.82.01;9903.82.03;9903.82.14;9903.85.67;9903.85.68", **ann)
    add("9903.82.04", "25%", id="s232-annex-uk-25", title="Section 232 metals of the United "
        "Kingdom, note 16(c)(i)-(iv)", countries="GB", coverage="s232_note16:c_i-iv",
        precedence="2", source=asrc + "; replaces 9903.82.02 for UK goods", **ann)
    add("9903.82.05", "15%", id="s232-annex-uk-15", title="Section 232 derivatives of the "
        "United Kingdom, note 16(c)(vi)-(vii)", countries="GB", coverage="s232_note16:c_vi-vii",
        precedence="2", source=asrc, **ann)
    add("9903.82.06", "10%", id="s232-annex-10", title="Section 232 copper and derivatives, "
        "note 16(c)(ii),(iv),(vi)-(viii),(xi),(e)", countries="",
        coverage="s232_note16:e", source=asrc, except_headings="9903.82.15;9903.85.68", **ann)
    add("9903.82.07", "floor 10%", id="s232-annex-floor10", title="Section 232 derivatives, "
        "note 16(c)(ix)-(x),(e): total 10% where column 1 < 10%", countries="",
        coverage="s232_note16:c_ix-x", source=asrc + "; column 1 >= 10%: 9903.82.08",
        except_headings="9903.82.08;9903.82.12;9903.82.17;9903.85.68", **ann)
    add("9903.82.09", "25%", id="s232-annex-1b", title="Section 232 copper and derivatives, "
        "note 16(c)(vi)-(viii),(xi)", countries="", coverage="s232_annex:1b", source=asrc,
        except_headings="9903.82.16;9903.82.20-9903.82.26;9903.85.68", **ann)
    add("9903.82.10", "floor 15%", id="s232-annex-3", title="Section 232 derivatives, note "
        "16(f): total 15% where column 1 < 15%", countries="", coverage="s232_annex:3",
        source=asrc + "; column 1 >= 15%: 9903.82.11 (shipped measures.csv ends this row "
        "2027-12-31, Yale's reading; the heading prints no end)",
        except_headings="9903.82.11;9903.82.12;9903.82.17;9903.85.68", **ann)
    add("9903.82.12", "25%", id="s232-annex-col2", title="Section 232 derivatives of general "
        "note 3(b) countries", countries=COL2, coverage="s232_note16:c_ix-x", precedence="2",
        source=asrc, **ann)
    for h, pct, cov in (("9903.82.14", "50%", "c_iii-v"), ("9903.82.15", "10%", "e_ru"),
                        ("9903.82.16", "25%", "c_vii-viii_xi"), ("9903.82.17", "25%", "c_x")):
        add(h, pct, id=f"s232-annex-ru-{h[-2:]}", title=f"Section 232 metals of the Russian "
            f"Federation ({h})", countries="RU", coverage=f"s232_note16:{cov}",
            precedence="2", source=asrc, **ann)
    r10 = dict(ann, valid_from="2026-06-08", date_basis="revision date (2026 Rev 10; Yale)",
               status="unconfirmed")
    add("9903.82.20", "25%", id="s232-annex-j", title="Section 232 derivative steel, note "
        "16(j)", countries="", coverage="s232_note16:j", source=asrc + "; heading new in 2026 "
        "Rev 10, start date not known: the revision's date is used; 9903.82.21 prints 'No "
        "change' for the same description (the note decides which)", **r10)
    add("9903.82.22", "floor 15%", id="s232-annex-deal-floor", title="Section 232 derivative "
        "steel of deal partners (15% all-in)",
        countries="AR;EC;SV;GT;JP;KR;LI;CH;TW;GB;" + EU, coverage="s232_note16:c_xi",
        precedence="2", source=asrc + "; heading new in 2026 Rev 10", **r10)
    add("9903.82.23", "floor 10%", id="s232-annex-k-floor10", title="Section 232 copper and "
        "derivatives, note 16(e),(k): total 10%", countries="", coverage="s232_note16:e_k",
        source=asrc + "; column 1 >= 10%: 9903.82.24; heading new in 2026 Rev 10", **r10)
    add("9903.82.25", "floor 15%", id="s232-annex-k-floor15", title="Section 232 copper and "
        "derivatives, note 16(f),(k): total 15%", countries="", coverage="s232_note16:f_k",
        source=asrc + "; column 1 >= 15%: 9903.82.26; heading new in 2026 Rev 10", **r10)
    return out


# headings that carve goods out of a measure (no additional duty of their own)
_EXCEPTS = [
    ("9903.01.02", "9903.01.05", "9903.01.01"), ("9903.01.11", "9903.01.15", "9903.01.10"),
    ("9903.01.21", "9903.01.23", "9903.01.20;9903.01.24"),
    ("9903.01.26", "9903.01.34", "9903.01.25;9903.01.43-9903.01.76;9903.02.02-9903.02.91"),
    ("9903.01.78", "9903.01.83", "9903.01.77"), ("9903.01.85", "9903.01.89", "9903.01.84"),
    ("9903.01.90", "9903.01.90", "9903.01.77"), ("9903.02.19", "9903.02.19", "9903.02.20"),
    ("9903.02.72", "9903.02.72", "9903.02.73"), ("9903.02.74", "9903.02.78",
                                                  "9903.01.25;9903.02.02-9903.02.91"),
    ("9903.02.79", "9903.02.81", "9903.02.80"), ("9903.02.82", "9903.02.86", "9903.02.83"),
    ("9903.02.87", "9903.02.91", "9903.02.88"), ("9903.03.02", "9903.03.11", "9903.03.01"),
    ("9903.79.02", "9903.79.09", "9903.79.01"), ("9903.82.01", "9903.82.26", "9903.82.02-.26"),
]

_KIND = [
    (r"^Articles the product of (Canada|Mexico), as provided", "country_excluded"),
    (r"loaded onto a vessel", "in_transit"), (r"donations", "donation"),
    (r"informational materials", "informational"), (r"general note 11|USMCA", "usmca"),
    (r"general note 3\(b\)", "column2"), (r"U\.S\. content", "us_content"),
    (r"iron or steel|of aluminum, of steel", "section232_goods"),
    (r"civil aircraft", "civil_aircraft"), (r"equal to or greater than", "floor_complement"),
    (r"non-patented|pharmaceutical", "generic_pharma"), (r"Potash", "potash"),
    (r"Crude oil", "energy"), (r"subdivision \(v\)\(iii\)|\(x\)\(iii\)|\(aa\)\(ii|"
                               r"\(v\)\(xx", "product_list"),
    (r"textiles or apparel", "cafta_dr_textiles"),
    (r"U\.S\. note 39", "end_use"), (r"do not contain", "no_metal"),
    (r"less than 15 percent of the weight", "metal_weight_under_15pct"),
    (r"Motorcycle", "product_list"),
]


def exceptions(sp: Spans) -> list[dict[str, str]]:
    from gen_measures import note, rate_cell  # noqa: PLC0415
    out = []
    for h in sorted(sp):
        runs = sp[h]
        last = runs[-1]
        if rate_cell(last["general"]):
            continue
        excepts = next((x for a, b, x in _EXCEPTS if a <= h <= b), "")
        kind = next((k for pat, k in _KIND if re.search(pat, last["desc"])), "other")
        text = last["desc"]
        m = re.search(r"loaded onto a vessel.*?before 12:01 a\.m\. [a-z ]*time on ([A-Z][a-z]+ "
                      r"\d+, \d{4})", text)
        out.append({
            "heading": h, "kind": kind, "excepts": excepts,
            "rate_text": " ".join(last["general"].split()) or "(blank)",
            "first_rev": runs[0]["first"], "last_rev": last["last"],
            "compiler_note": note(text), "loaded_before": m.group(1) if m else "",
            "description": text[:400],
        })
    return out
