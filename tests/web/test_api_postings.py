"""Posting over HTTP: a CSV upload or a JSON list of rows through `app.postings.post_file`,
as `zonekeeper admit|ship|... --json`; every problem at once with nothing changed (422), a
key already posted 409; the events name the user, the audit log records the posting."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from zk_api import ADMISSIONS, SHIPMENTS, cli_json, csv_upload, head, with_parts
from zk_web import Web

from zonekeeper.app.users import Role
from zonekeeper.store.schema import events

ADMIT = "/api/v1/zones/1/admissions"


def test_a_dry_run_answers_the_cli_dry_run_json_and_writes_nothing(
    web: Web, tmp_path: Path
) -> None:
    with_parts(web, tmp_path)
    before, audited = head(web), web.directory.audit()[1]
    answer = web.client.post(f"{ADMIT}?dry_run=true", files=csv_upload("adm.csv", ADMISSIONS),
                             headers=web.as_(Role.CLERK))
    assert answer.status_code == 200
    expected = cli_json(web, tmp_path, "admit", "--zone", "1", "--dry-run", "@adm.csv",
                        files={"adm.csv": ADMISSIONS})
    assert answer.json() == expected and expected["dry_run"] is True
    assert head(web) == before
    assert web.directory.audit()[1] == audited  # a dry run changes nothing, records nothing


def test_a_posting_answers_the_cli_json_names_the_user_and_is_audited(
    web: Web, tmp_path: Path
) -> None:
    with_parts(web, tmp_path)
    audited = web.directory.audit()[1]
    answer = web.client.post(ADMIT, files=csv_upload("adm.csv", ADMISSIONS),
                             headers=web.as_(Role.CLERK))
    assert answer.status_code == 200
    data = answer.json()
    seq, hash_ = head(web)
    assert data["books"] == {"zone": "1", "head_seq": seq, "head_hash": hash_}
    assert data["posted"] == 2 and [e["key"] for e in data["events"]] == [
        "admission A-1 line 1", "admission A-1 line 2"]
    # the CLI posting the same file elsewhere says the same, but for the chain head (the
    # events name who posted them, inside the hash)
    with web.directory.engine.connect() as connection:
        actors = set(connection.execute(
            select(events.c.actor).where(events.c.seq > seq - 2, events.c.zone == "1")
        ).scalars())
    assert actors == {"clerk"}
    [entry], total = web.directory.audit(limit=1)
    assert total == audited + 1
    assert (entry.name, entry.action, entry.zone) == ("clerk", "post admission", "1")
    assert entry.detail["source"] == "adm.csv" and entry.detail["posted"] == 2
    shipped = web.client.post("/api/v1/zones/1/shipments", files=csv_upload("s.csv", SHIPMENTS),
                              headers=web.as_(Role.COMPLIANCE))
    assert shipped.status_code == 200 and shipped.json()["what"] == "shipment"
    balance = web.client.get("/api/v1/zones/1/balance?by=part", headers=web.as_(Role.VIEWER))
    assert balance.json()[0]["quantity"] == "11"


def test_a_json_list_of_rows_posts_as_the_file_would(web: Web, tmp_path: Path) -> None:
    with_parts(web, tmp_path)
    rows = [{"admission_no": "A-1", "line": 1, "date": "2026-08-03", "part": "W",
             "quantity": 10, "value": "100", "status": "N"},
            {"admission_no": "A-1", "line": 2, "date": "2026-08-03", "part": "W",
             "quantity": "5", "value": 50, "status": "N"}]
    as_json = web.client.post(f"{ADMIT}?dry_run=true", json=rows, headers=web.as_(Role.ADMIN))
    as_file = web.client.post(f"{ADMIT}?dry_run=true", files=csv_upload("a.csv", ADMISSIONS),
                              headers=web.as_(Role.ADMIN))
    assert as_json.status_code == 200 and as_json.json() == as_file.json()


def test_bad_rows_are_422_with_every_problem_and_nothing_changes(
    web: Web, tmp_path: Path
) -> None:
    with_parts(web, tmp_path)
    before, audited = head(web), web.directory.audit()[1]
    rows = [{"admission_no": "A-1", "line": 1, "date": "2026-13-03", "part": "W",
             "quantity": 10, "value": "100", "status": "N"},
            {"admission_no": "A-1", "line": 2, "date": "2026-08-03", "part": "NOPE",
             "quantity": "5", "value": 50, "status": "N"}]
    answer = web.client.post(ADMIT, json=rows, headers=web.as_(Role.CLERK))
    assert answer.status_code == 422
    body = answer.json()
    assert body["status"] == "refused"
    where = [(p["where"]["file"], p["where"]["row"], p["where"]["field"])
             for p in body["problems"]]
    assert ("request body", 1, "date") in where
    assert any(row == 2 for _, row, _ in where)  # the unknown part, found at the same time
    assert head(web) == before and web.directory.audit()[1] == audited


def test_a_re_post_is_409_and_skip_posted_leaves_it_out(web: Web, tmp_path: Path) -> None:
    with_parts(web, tmp_path)
    upload = csv_upload("adm.csv", ADMISSIONS)
    assert web.client.post(ADMIT, files=upload, headers=web.as_(Role.CLERK)).status_code == 200
    before = head(web)
    again = web.client.post(ADMIT, files=upload, headers=web.as_(Role.CLERK))
    assert again.status_code == 409
    assert {p["code"] for p in again.json()["problems"]} == {"post.already-posted"}
    assert head(web) == before
    skipped = web.client.post(f"{ADMIT}?skip_posted=true", files=upload,
                              headers=web.as_(Role.CLERK))
    assert skipped.status_code == 200
    assert (skipped.json()["posted"], skipped.json()["skipped"]) == (0, 2)


def test_a_body_that_is_not_rows_is_422(web: Web) -> None:
    h = web.as_(Role.CLERK)
    cases = [
        ({"json": {"admission_no": "A-1"}}, "request.not-list"),
        ({"content": b"{not json", "headers": {"content-type": "application/json"}},
         "request.not-json"),
        ({"content": b"a,b\n", "headers": {"content-type": "text/csv"}}, "request.content-type"),
        ({"files": {"other": ("a.csv", b"x", "text/csv")}}, "request.no-file"),
    ]
    for kwargs, code in cases:
        headers = {**h, **kwargs.pop("headers", {})}  # type: ignore[dict-item]
        answer = web.client.post(ADMIT, headers=headers, **kwargs)  # type: ignore[arg-type]
        assert answer.status_code == 422, code
        assert [p["code"] for p in answer.json()["problems"]] == [code]


def test_an_upload_is_read_in_the_encoding_its_mark_names_or_refused_in_one_line(
    web: Web, tmp_path: Path
) -> None:
    """Excel's "Unicode Text" is UTF-16 with a byte-order mark: posted as its UTF-8 twin
    when its columns are separated by commas; with tabs, or in Windows-1252, 422 in one
    line naming the upload, the encoding and how to save it — not "missing columns"."""
    with_parts(web, tmp_path)
    h = web.as_(Role.CLERK)
    utf16 = {"file": ("adm.csv", ADMISSIONS.encode("utf-16"), "text/csv")}
    answer = web.client.post(f"{ADMIT}?dry_run=true", files=utf16, headers=h)
    twin = web.client.post(f"{ADMIT}?dry_run=true", files=csv_upload("adm.csv", ADMISSIONS),
                           headers=h)
    assert answer.status_code == 200 and answer.json() == twin.json()
    before = head(web)
    refused = {
        "file.tab-separated": ADMISSIONS.replace(",", "\t").encode("utf-16"),
        "file.windows-1252": ADMISSIONS.replace("W,", "Wé,").encode("cp1252"),
    }
    for code, data in refused.items():
        answer = web.client.post(ADMIT, files={"file": ("adm.csv", data, "text/csv")},
                                 headers=h)
        assert answer.status_code == 422, answer.text
        [problem] = answer.json()["problems"]
        assert (problem["code"], problem["where"]["file"]) == (code, "adm.csv")
        assert "CSV UTF-8 (Comma delimited)" in problem["message"]
    assert head(web) == before
