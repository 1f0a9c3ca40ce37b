"""`POST /api/v1/duty/quote`: the CLI's `duty quote --json` for the same options (the
shipped 2026 tariff), every problem at once naming the body's key."""

from __future__ import annotations

from pathlib import Path

import pytest
from zk_api import cli_json
from zk_web import Web

from zonekeeper.app.users import Role

QUOTE = {"hts": "8414.30.80.60", "origin": "cn", "value": "800", "date": "2026-03-01",
         "mode": "vessel", "qty": [{"quantity": "1", "unit": "No."}]}


def test_a_quote_is_the_cli_json_for_the_same_options(web: Web, tmp_path: Path) -> None:
    answer = web.client.post("/api/v1/duty/quote", json=QUOTE, headers=web.as_(Role.VIEWER))
    assert answer.status_code == 200
    expected = cli_json(web, tmp_path, "duty", "quote", "--hts", "8414.30.80.60", "--origin",
                        "cn", "--value", "800", "--date", "2026-03-01", "--mode", "vessel",
                        "--qty", "1", "No.")
    assert answer.json() == expected
    assert expected["total"] == "314.58"


def test_content_adcvd_and_an_exclusion_claim_are_the_cli_options(
    web: Web, tmp_path: Path
) -> None:
    body = {"hts": "7411.10.50.00", "origin": "CN", "value": "120", "date": "2026-03-01",
            "content": ["copper=110"], "adcvd": ["A-570-964=60.85"],
            "claim_exclusion": [" 9903.88.69 "]}
    answer = web.client.post("/api/v1/duty/quote", json=body, headers=web.as_(Role.BROKER))
    expected = cli_json(web, tmp_path, "duty", "quote", "--hts", "7411.10.50.00", "--origin",
                        "CN", "--value", "120", "--date", "2026-03-01", "--content",
                        "copper=110", "--adcvd", "A-570-964=60.85",
                        "--claim-exclusion", " 9903.88.69 ")
    assert answer.status_code == 200 and answer.json() == expected


def test_every_problem_of_a_quote_at_once_names_the_body_key(web: Web) -> None:
    body = {**QUOTE, "value": "lots", "date": "2026-13-01", "frozen_on": "soon",
            "qty": [{"quantity": "1", "unit": "bushels"}]}
    answer = web.client.post("/api/v1/duty/quote", json=body, headers=web.as_(Role.VIEWER))
    assert answer.status_code == 422
    found = {(p["code"], p["where"]["field"]) for p in answer.json()["problems"]}
    assert {("duty.option.unknown-unit", "qty"), ("duty.option.not-a-number", "value"),
            ("option.date", "date"), ("option.date", "frozen_on")} <= found


def test_a_body_of_the_wrong_shape_is_422_naming_the_key(web: Web) -> None:
    answer = web.client.post("/api/v1/duty/quote", json={"hts": "8414.30.80.60", "fees": "x"},
                             headers=web.as_(Role.VIEWER))
    assert answer.status_code == 422
    fields = {p["where"]["field"] for p in answer.json()["problems"]}
    assert {"origin", "value", "date", "fees"} <= fields


def test_an_hts_of_non_ascii_digits_is_422_not_a_server_error(web: Web) -> None:
    body = {**QUOTE, "hts": "\u00b9"}
    answer = web.client.post("/api/v1/duty/quote", json=body, headers=web.as_(Role.VIEWER))
    assert answer.status_code == 422
    assert {p["where"]["field"] for p in answer.json()["problems"]} == {"hts"}


def test_a_served_worker_has_its_tariff_ready_before_its_first_request(
    web: Web, monkeypatch: pytest.MonkeyPatch
) -> None:
    from zonekeeper.app import duty
    from zonekeeper.web import server

    warmed: list[bool] = []
    real = duty.warm_up
    monkeypatch.setattr(duty, "warm_up", lambda context: warmed.append(real(context)))
    monkeypatch.setenv(server.DATABASE_ENV, str(web.context.database_url))
    app = server.from_environment()
    assert warmed == [True]
    assert "tariff" in vars(app.state.context)  # loaded (the cached property is set)
    app.state.directory.close()
