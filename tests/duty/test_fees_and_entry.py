"""MPF floor and cap once per entry (FY2023 and FY2026), HMF by mode, scenarios.md §2."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from zonekeeper.duty import LineItem, quote_entry
from zonekeeper.duty.entry import hmf_fee, mpf_fee
from zonekeeper.errors import CannotCompute, InputError
from zonekeeper.tariff.fees import read_fees_csv
from zonekeeper.zone.entries import mpf_charge

FY2023 = date(2023, 3, 1)
FY2026 = date(2026, 3, 1)


@pytest.mark.parametrize(
    ("on", "value", "expected", "bound"),
    [
        (FY2023, Decimal("1000"), Decimal("29.66"), "minimum"),
        (FY2023, Decimal("100000"), Decimal("346.40"), "ad valorem"),
        (FY2023, Decimal("500000"), Decimal("575.35"), "maximum"),
        (FY2026, Decimal("1000"), Decimal("33.58"), "minimum"),
        (FY2026, Decimal("100000"), Decimal("346.40"), "ad valorem"),
        (FY2026, Decimal("500000"), Decimal("651.50"), "maximum"),
        (date(2022, 10, 1), Decimal("1000"), Decimal("29.66"), "minimum"),  # first day FY2023
        (date(2025, 9, 30), Decimal("1000"), Decimal("32.71"), "minimum"),  # last day FY2025
    ],
)
def test_mpf_floor_and_cap(tariff, on, value, expected, bound):
    fee = mpf_fee(tariff, value, on)
    assert (fee.amount, fee.bound) == (expected, bound)


def test_an_entry_with_no_foreign_value_owes_no_mpf(tariff):
    """19 CFR 24.23(b)(1)(i) is an ad valorem fee on the foreign merchandise (for a zone
    entry, 146.63(c): PF and NPF only): with no foreign value there is nothing to charge,
    and the floor is not charged on its own. `duty entry` and the zone's entries apply the
    one rule (`entry_fees.mpf_due`), so they agree on it; `duty entry` used to charge the
    fiscal year's minimum ($33.58 in FY2026) here."""
    terms = tariff.fees.mpf_terms(FY2026)
    fee = mpf_fee(tariff, Decimal(0), FY2026)
    charge = mpf_charge(Decimal(0), terms)
    assert (fee.amount, fee.bound) == (Decimal(0), "no foreign value")
    assert (charge.amount, charge.bound) == (fee.amount, fee.bound)
    entry = quote_entry(tariff, [LineItem("0101.21.00", "DE", Decimal(0), mode="truck")],
                        FY2026)
    assert entry.mpf.amount == Decimal(0)
    assert entry.total == entry.duty
    # and wherever there is foreign value, the two agree to the cent and on the bound
    for value in (Decimal("0.01"), Decimal(1000), Decimal("9693.42"), Decimal(10**6)):
        fee, charge = mpf_fee(tariff, value, FY2026), mpf_charge(value, terms)
        assert (fee.amount, fee.bound, fee.exact) == (charge.amount, charge.bound, charge.exact)


def test_scenario_2_weekly_entry_saves_mpf(tariff):
    """50 high-value shipments entered one by one vs one weekly entry (FY2023 values)."""
    shipment = Decimal("250000")
    one_by_one = sum((mpf_fee(tariff, shipment, FY2023).amount for _ in range(50)), Decimal(0))
    weekly = mpf_fee(tariff, shipment * 50, FY2023).amount
    assert one_by_one == Decimal("28767.50")
    assert weekly == Decimal("575.35")
    assert one_by_one - weekly == Decimal("28192.15")
    assert mpf_fee(tariff, shipment * 50, FY2026).amount == Decimal("651.50")


def test_a_fiscal_year_without_a_fee_row_is_not_guessed(tariff):
    with pytest.raises(CannotCompute, match="FY2028"):
        tariff.fees.mpf_terms(date(2027, 10, 1))
    entry = quote_entry(tariff, [LineItem("0101.21.00", "DE", Decimal("5000"))], date(2027, 10, 1))
    assert entry.mpf.amount is None and entry.total is None
    assert entry.duty == Decimal("0.00")
    assert any("MPF not computed" in w.message and w.severity == "warning"
               for w in entry.warnings)


def test_user_fee_rows_fill_fy2027(tariff):
    user = read_fees_csv(
        "fee,fiscal_year,valid_from,valid_to,rate_pct,minimum,maximum\n"
        "MPF,FY2027,2026-10-01,2027-09-30,0.3464,34.00,660.00\n",
        "fy2027.csv",
    )
    terms = tariff.fees.with_rows(user).mpf_terms(date(2026, 10, 1))
    assert (terms.minimum, terms.maximum, terms.fiscal_year) == (
        Decimal("34.00"),
        Decimal("660.00"),
        "FY2027",
    )
    assert terms.confirmed and terms.caveat == ""  # the user's row wins over the shipped one


def test_fy2027_is_shipped_unconfirmed_and_says_so(tariff):
    """FY2027's floor and cap rest on a secondary source (CBP's notice not in hand): they are
    applied, and every MPF figured with them carries the caveat; FY2026's do not."""
    terms = tariff.fees.mpf_terms(date(2026, 10, 1))
    assert (terms.fiscal_year, terms.minimum, terms.maximum, terms.confirmed) == (
        "FY2027", Decimal("34.58"), Decimal("670.86"), False)
    assert terms.valid_to == date(2027, 9, 30)
    assert "unconfirmed" in terms.caveat and "$670.86" in terms.caveat
    line = [LineItem("0101.21.00", "DE", Decimal("500000"))]
    entry = quote_entry(tariff, line, date(2026, 11, 2))
    assert entry.mpf.amount == Decimal("670.86") and entry.mpf.bound == "maximum"
    [caveat] = [w for w in entry.warnings if w.code == "duty.entry.fee-unconfirmed"]
    assert caveat.severity == "warning" and "FY2027" in caveat.message
    earlier = quote_entry(tariff, line, date(2026, 9, 30))
    assert earlier.mpf.amount == Decimal("651.50") and earlier.mpf.caveat == ""
    assert not any(w.code == "duty.entry.fee-unconfirmed" for w in earlier.warnings)


def test_a_fee_row_status_must_be_known():
    with pytest.raises(InputError) as refused:
        read_fees_csv("fee,fiscal_year,valid_from,valid_to,rate_pct,minimum,maximum,status\n"
                      "MPF,FY2028,2027-10-01,2028-09-30,0.3464,35,690,maybe\n", "f.csv")
    [problem] = refused.value.problems
    assert (problem.code, problem.row, problem.field) == ("tariff.fees.bad-status", 2, "status")


@pytest.mark.parametrize("body", [
    "fee,fiscal_year,valid_from\nMPF,FY\r2027,2026-10-01\n",  # a bare CR inside a cell
    'fee,fiscal_year,valid_from\nMPF,"FY2027,2026-10-01\n',  # a quote never closed
])
def test_a_fees_file_that_is_not_csv_is_an_input_error(body):
    """Found by the importers' fuzz: csv.Error came out of `duty quote --fees` as a traceback."""
    with pytest.raises(InputError) as refused:
        read_fees_csv(body, "fees.csv")
    assert all(p.file == "fees.csv" and p.row for p in refused.value.problems)


def test_hmf_by_mode(tariff):
    assert hmf_fee(tariff, Decimal("10000"), FY2026).amount == Decimal("12.50")
    lines = [
        LineItem("0101.21.00", "DE", Decimal("10000"), mode="vessel"),
        LineItem("0101.21.00", "DE", Decimal("30000"), mode="air"),
        LineItem("0101.21.00", "DE", Decimal("5000"), mode="truck"),
    ]
    entry = quote_entry(tariff, lines, FY2026)
    assert entry.hmf.amount == Decimal("12.50")  # vessel line only
    assert entry.mpf.amount == Decimal("155.88")  # 0.3464% of 45,000, once
    air_only = quote_entry(tariff, lines[1:], FY2026)
    assert air_only.hmf.amount == Decimal("0.00")


def test_hmf_without_a_mode_is_not_computed_with_the_reason_never_zero(tariff):
    """HMF is owed on vessel cargo only (19 CFR 24.24): a line without a mode of transport
    may have come by vessel, so the fee cannot be decided. It was quoted as 0.00 (and the
    total with it); now the fee and the total are None with the reason, named by line and
    row, and the duty and MPF are unchanged."""
    alone = quote_entry(tariff, [LineItem("0101.21.00", "DE", Decimal("10000"))], FY2026)
    assert (alone.hmf.amount, alone.hmf.exact, alone.hmf.bound) == (None, None, "not computed")
    assert alone.hmf.reason.startswith("no mode of transport given for the line: HMF is owed")
    assert alone.total is None and alone.duty is not None
    assert alone.mpf.amount == Decimal("34.64")
    assert [(w.code, w.severity) for w in alone.warnings if w.message.startswith("HMF")] == [
        ("duty.entry.fee-not-computed", "warning")]
    lines = [
        LineItem("0101.21.00", "DE", Decimal("10000"), mode="vessel"),
        LineItem("0101.21.00", "DE", Decimal("30000")),
        LineItem("0101.21.00", "DE", Decimal("5000"), mode="truck"),
        LineItem("0101.21.00", "DE", Decimal("5000"), mode=None),
    ]
    entry = quote_entry(tariff, lines, FY2026, rows=[2, 3, 4, 6])
    assert entry.hmf.amount is None and entry.total is None
    assert entry.hmf.reason.startswith(
        "no mode of transport given for line 2 (row 3), line 4 (row 6): ")
    assert entry.mpf.amount == Decimal("173.20")


def test_entry_mpf_capped_once_on_real_lines(tariff):
    lines = [LineItem("8414.30.80.60", "CN", Decimal("100000"), mode="air") for _ in range(10)]
    entry = quote_entry(tariff, lines, date(2026, 8, 20))
    assert entry.mpf.amount == Decimal("651.50") and entry.mpf.bound == "maximum"
    assert entry.duty == Decimal("250000.00")  # 25% list 1 on $1M, base Free
    assert entry.total == entry.duty + Decimal("651.50")


def test_entry_reports_every_bad_line(tariff):
    lines = [
        LineItem("0000.00.00.00", "DE", Decimal("1")),
        LineItem("0101.21.00", "DE", Decimal("1")),
        LineItem("0201.10.05", "AR", Decimal("1")),
    ]
    with pytest.raises(InputError) as error:
        quote_entry(tariff, lines, FY2026)
    assert [(p.row, p.field) for p in error.value.problems] == [(1, "hts"), (3, "quantity")]
