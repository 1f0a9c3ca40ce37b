"""`zonekeeper duty quote|entry`: the JSON contract, the readable table and exit code 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from zk_cli import run_main as run


def test_quote_json_contract(monkeypatch, capsys):
    code, out, _ = run(
        monkeypatch,
        capsys,
        "duty",
        "quote",
        "--hts",
        "8414.30.80.60",
        "--origin",
        "cn",
        "--value",
        "800",
        "--qty",
        "1",
        "No.",
        "--date",
        "2026-03-01",
        "--mode",
        "vessel",
        "--json",
    )
    assert code == 0
    q = json.loads(out)
    assert {"duty", "components", "fees", "total", "warnings", "revision"} <= set(q)
    assert q["duty"] == "280.00" and q["origin"] == "CN"
    assert [c["program"] for c in q["components"]] == ["base", "section122", "section301"]
    assert all({"program", "heading", "rate", "basis", "amount"} <= set(c) for c in q["components"])
    assert q["fees"] == {"mpf": "33.58", "hmf": "1.00"}
    assert q["total"] == "314.58"


def test_quote_without_a_mode_keeps_the_contract_keys_and_says_why_hmf_is_null(
    monkeypatch, capsys
):
    """No --mode: `fees.hmf` stays in the document (the contract's key) but is null, its
    reason beside it in `fee_details` and in the warnings, and the total is null: HMF 0.00
    said the goods did not come by vessel, which nothing told the quote."""
    code, out, _ = run(monkeypatch, capsys, "duty", "quote", "--hts", "8414.30.80.60",
                       "--origin", "CN", "--value", "800", "--qty", "1", "No.",
                       "--date", "2026-03-01", "--json")
    assert code == 0
    q = json.loads(out)
    assert q["fees"] == {"mpf": "33.58", "hmf": None} and q["total"] is None
    assert q["duty"] == "280.00"
    [hmf] = [f for f in q["fee_details"] if f["fee"] == "HMF"]
    assert (hmf["amount"], hmf["bound"]) == (None, "not computed")
    assert "no mode of transport given" in hmf["reason"]
    assert f"HMF not computed: {hmf['reason']}" in q["warnings"]
    code, out, _ = run(monkeypatch, capsys, "duty", "quote", "--hts", "8414.30.80.60",
                       "--origin", "CN", "--value", "800", "--qty", "1", "No.",
                       "--date", "2026-03-01")
    assert code == 0 and "HMF" in out and "not computed" in out


def test_quote_content_and_adcvd_options(monkeypatch, capsys):
    code, out, _ = run(
        monkeypatch,
        capsys,
        "duty",
        "quote",
        "--hts",
        "7411.10.50.00",
        "--origin",
        "CN",
        "--value",
        "120",
        "--date",
        "2026-03-01",
        "--content",
        "copper=110",
        "--adcvd",
        "A-570-964=10",
        "--json",
    )
    assert code == 0
    q = json.loads(out)
    assert q["duty"] == "101.60"  # 89.60 + 10% AD on 120
    assert "adcvd" in [c["program"] for c in q["components"]]


def test_quote_cannot_compute_is_null_not_zero(monkeypatch, capsys):
    code, out, _ = run(
        monkeypatch,
        capsys,
        "duty",
        "quote",
        "--hts",
        "7411.10.50.00",
        "--origin",
        "CN",
        "--value",
        "120",
        "--date",
        "2026-03-01",
        "--json",
    )
    assert code == 0
    q = json.loads(out)
    assert q["duty"] is None and q["total"] is None and q["cannot_compute"]


def test_quote_table_cites_sources(monkeypatch, capsys):
    code, out, _ = run(
        monkeypatch,
        capsys,
        "duty",
        "quote",
        "--hts",
        "8414.30.80.60",
        "--origin",
        "CN",
        "--value",
        "800",
        "--date",
        "2026-08-20",
    )
    assert code == 0
    assert "9903.88.01" in out and "HTS 2026 Revision 10" in out and "MPF" in out


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--hts", "0000.00.00.00", "--origin", "DE", "--value", "1"], "hts"),
        (["--hts", "0101.21.00", "--origin", "XX", "--value", "1"], "origin"),
        (["--hts", "0101.21.00", "--origin", "DE", "--value", "-5"], "value"),
        (["--hts", "0201.10.05", "--origin", "AR", "--value", "1"], "quantity"),
        (["--hts", "0101.21.00", "--origin", "DE", "--value", "1", "--qty", "1", "bogus"], "qty"),
    ],
)
def test_quote_bad_input_exits_2(monkeypatch, capsys, args, field):
    code, out, err = run(
        monkeypatch, capsys, "duty", "quote", *args, "--date", "2026-08-20", "--json"
    )
    assert code == 2 and field in err
    # --json: the refusal as one document, the same problems with their codes
    refused = json.loads(out)
    assert refused["status"] == "refused" and refused["problems"]
    assert all(p["severity"] == "error" for p in refused["problems"])


def test_entry_csv(monkeypatch, capsys, tmp_path: Path):
    path = tmp_path / "entry.csv"
    path.write_text(
        "hts,origin,value,qty,unit,spi,mode,content\n"
        "8414.30.80.60,CN,800,1,No.,,vessel,\n"
        "7411.10.50.00,CN,120,10,kg,,vessel,copper=110\n"
        "0201.10.05,AR,1000,250,kg,,air,\n"
    )
    code, out, _ = run(
        monkeypatch, capsys, "duty", "entry", str(path), "--date", "2026-03-01", "--json"
    )
    assert code == 0
    e = json.loads(out)
    # 280.00 + 89.60 + 11.00 (4.4¢/kg x 250 kg); beef is exempt from 122 under 9903.03.03
    assert e["duty"] == "380.60"
    assert any("9903.03.03" in w for line in e["lines"] for w in line["warnings"])
    assert len(e["lines"]) == 3 and {c["line"] for c in e["components"]} == {1, 2, 3}
    assert e["fees"]["hmf"] == "1.15"  # 0.125% of the vessel lines' $920
    assert e["fees"]["mpf"] == "33.58"


def test_entry_csv_reports_every_bad_row(monkeypatch, capsys, tmp_path: Path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "hts,origin,value,mode\n"
        "0101.21.00,ZZ,1,vessel\n"
        "9999.99.99.99,DE,1,air\n"
        "0101.21.00,DE,abc,boat\n"
    )
    code, _, err = run(monkeypatch, capsys, "duty", "entry", str(path), "--date", "2026-03-01")
    assert code == 2
    lines = err.strip().splitlines()
    assert any("row 2:origin" in line for line in lines)
    assert any("row 3:hts" in line for line in lines)
    assert any("row 4:value" in line for line in lines)
    assert any("row 4:mode" in line for line in lines)


def test_a_year_without_fees_needs_a_fee_file(monkeypatch, capsys, tmp_path: Path):
    args = ["duty", "quote", "--hts", "0101.21.00", "--origin", "DE", "--value", "500000",
            "--date", "2027-11-02", "--json"]  # fmt: skip
    code, out, _ = run(monkeypatch, capsys, *args)
    q = json.loads(out)
    assert code == 0 and q["fees"]["mpf"] is None and q["total"] is None
    assert any("FY2028" in w for w in q["warnings"])
    fees = tmp_path / "fy2028.csv"
    fees.write_text("fee,fiscal_year,valid_from,valid_to,rate_pct,minimum,maximum\n"
                    "MPF,FY2028,2027-10-01,2028-09-30,0.3464,35.00,690.00\n")  # fmt: skip
    code, out, _ = run(monkeypatch, capsys, *args, "--fees", str(fees))
    assert code == 0 and json.loads(out)["fees"]["mpf"] == "690.00"


def test_fy2027_quotes_with_the_unconfirmed_table_and_warns(monkeypatch, capsys):
    code, out, _ = run(monkeypatch, capsys, "duty", "quote", "--hts", "0101.21.00", "--origin",
                       "DE", "--value", "500000", "--date", "2026-11-02", "--json")
    q = json.loads(out)
    assert code == 0 and q["fees"]["mpf"] == "670.86"
    assert any("FY2027" in w and "unconfirmed" in w for w in q["warnings"])


def test_entry_csv_unit_columns_spi_and_content_columns(monkeypatch, capsys, tmp_path: Path):
    path = tmp_path / "cols.csv"
    path.write_text(
        "HTS,Origin,Value,qty_kg,SPI,content_copper\n"
        "0201.10.05,AU,1000,250,AU,\n"
        "0201.10.05,AR,1000,250,,\n"
        "7411.10.50.00,CN,120,,,110\n"
    )
    code, out, _ = run(monkeypatch, capsys, "duty", "entry", str(path), "--date", "2026-08-20",
                       "--json")  # fmt: skip
    assert code == 0
    e = json.loads(out)
    assert [line["column"] for line in e["lines"]] == ["Special (AU)", "General", "General"]
    # 3% base + 25% (301) + 50% of full value under the April 2026 annex 1a (Yale's reading)
    assert [line["duty"] for line in e["lines"]] == ["0.00", "11.00", "93.60"]
