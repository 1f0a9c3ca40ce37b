"""Money prints one way for people on every screen and page (`money.usd`: `$59,601.60`),
while JSON keeps plain decimal strings (`59601.60`)."""

from __future__ import annotations

import json
import re
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from zonekeeper.cli import main
from zonekeeper.money import usd

SRC = Path(__file__).parents[2] / "src" / "zonekeeper"


@pytest.mark.parametrize(
    ("amount", "text"),
    [("59601.6", "$59,601.60"), ("0.005", "$0.01"), ("-12", "-$12.00"), ("-0.001", "$0.00"),
     ("1234567.891", "$1,234,567.89"), ("7", "$7.00")],
)  # fmt: skip
def test_usd(amount: str, text: str) -> None:
    assert usd(Decimal(amount)) == usd(amount) == text


def test_no_money_is_formatted_by_hand() -> None:
    """A dollar sign before a formatted number, or a `,.2f`, anywhere but money.py is a
    second way of printing money: every such place calls `money.usd` (or the template's
    `usd` filter) instead."""
    by_hand = re.compile(r"\$\{[^}]*\}|\$\{\{|,\.2f")
    found = [
        f"{path.relative_to(SRC)}:{n}: {line.strip()}"
        for path in sorted([*SRC.rglob("*.py"), *SRC.rglob("*.html")])
        if path.name != "money.py" and "migrations" not in path.parts
        for n, line in enumerate(path.read_text("utf-8").splitlines(), start=1)
        if by_hand.search(line)
    ]
    assert found == []


def test_duty_quote_text_prints_dollars(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["zonekeeper", "duty", "quote", "--hts", "8414.30.80.60", "--origin", "CN",
            "--value", "123456.78", "--date", "2026-03-01", "--mode", "air"]  # fmt: skip
    monkeypatch.setattr(sys, "argv", [*args, "--json"])
    with pytest.raises(SystemExit):
        main()
    data = json.loads(capsys.readouterr().out)
    monkeypatch.setattr(sys, "argv", args)
    with pytest.raises(SystemExit):
        main()
    text = capsys.readouterr().out
    assert data["value"] == "123456.78" and "value $123,456.78" in text
    assert usd(data["duty"]) in text and usd(data["total"]) in text
    assert usd(data["fees"]["mpf"]) in text
