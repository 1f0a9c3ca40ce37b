"""Nothing crashes, nothing lies: what fuzzing the API and the pages found, each pinned.

Every answer here was a server error, a refusal naming a CLI option instead of the
request's own parameter, or a page that lost the user's way (a form sent after the session
ended answered 405; an error page without the site's navigation)."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from zk_api import ADMISSIONS, SHIPMENTS, csv_upload, with_parts
from zk_pages import ADMISSIONS_FILE, HTML, browser, load_demo_parts, post
from zk_web import PASSWORD, Web

from zonekeeper.app.users import Role

NAV = 'aria-label="Main"'


def _fields(answer: Any) -> set[str | None]:
    return {p["where"]["field"] for p in answer.json()["problems"]}


def test_no_such_zone_or_lot_names_the_path_parameter(web: Web) -> None:
    viewer = web.as_(Role.VIEWER)
    for path in ("/api/v1/zones/2/balance", "/api/v1/zones/2/verify", "/api/v1/zones/2/alerts",
                 "/api/v1/zones/2/entries/weekly/2026-W32", "/api/v1/zones/2/lots/A-1/1/history"):
        answer = web.client.get(path, headers=viewer)
        assert answer.status_code == 404, path
        assert answer.json()["problems"][0]["code"] == "books.no-zone"
        assert _fields(answer) == {"zone"}, path
    lot = web.client.get("/api/v1/zones/1/lots/X/history", headers=viewer)
    assert lot.status_code == 404 and _fields(lot) == {"lot"}


def test_a_figure_that_cannot_be_computed_is_refused_with_its_reason(web: Web) -> None:
    # no MPF table for a fiscal year this far ahead: the entry cannot be priced (never 0)
    answer = web.client.get("/api/v1/zones/1/entries/weekly/2100-W10",
                            headers=web.as_(Role.VIEWER))
    assert answer.status_code == 422
    [problem] = answer.json()["problems"]
    assert problem["code"] == "request.cannot-compute" and "FY2100" in problem["message"]
    for suffix in (".pdf", ".csv"):
        download = web.client.get(f"/api/v1/zones/1/entries/weekly/2100-W10{suffix}",
                                  headers=web.as_(Role.VIEWER))
        assert download.status_code == 422, suffix
    browser(web, Role.VIEWER)
    page = web.client.get("/zones/1/entries/weekly?week=2100-W10", headers=HTML)
    assert page.status_code == 422
    assert "request.cannot-compute" in page.text and "FY2100" in page.text and NAV in page.text


def test_dates_the_books_cannot_compute_from_are_refused(web: Web, tmp_path: Path) -> None:
    with_parts(web, tmp_path)
    clerk = web.as_(Role.CLERK)
    for day in ("9999-12-31", "9998-06-01", "0001-01-01"):
        posted = web.client.post("/api/v1/zones/1/admissions",
                                 files=csv_upload("a.csv", ADMISSIONS.replace("2026-08-03", day)),
                                 headers=clerk)
        assert posted.status_code == 422, day
        assert {(p["code"], p["where"]["field"]) for p in posted.json()["problems"]} == {
            ("file.bad-cell", "date")}
    shipped = web.client.post("/api/v1/zones/1/shipments",
                              files=csv_upload("s.csv", SHIPMENTS.replace("2026-08-05",
                                                                          "9999-12-31")),
                              headers=clerk)
    assert shipped.status_code == 422
    viewer = web.as_(Role.VIEWER)
    for path, field in (("/api/v1/zones/1/alerts?as_of=0001-01-01", "as_of"),
                        ("/api/v1/zones/1/alerts?as_of=9999-12-31", "as_of"),
                        ("/api/v1/zones/1/entries/weekly/9999-W52", "week"),
                        ("/api/v1/zones/1/entries/weekly/0001-W01.pdf", "week"),
                        ("/api/v1/zones/1/entries/weekly/2026-W32?summary_date=9999-12-31",
                         "summary_date")):
        answer = web.client.get(path, headers=viewer)
        assert answer.status_code == 422, path
        assert _fields(answer) == {field}, path


def test_a_page_number_past_any_end_is_refused_not_a_driver_error(web: Web) -> None:
    browser(web, Role.ADMIN)
    huge = 10**20
    for path in (f"/zones/1/lots?page={huge}", f"/zones/1/parts?page={huge}",
                 f"/admin/audit?page={huge}", f"/admin/audit?events_page={huge}"):
        answer = web.client.get(path, headers=HTML)
        assert answer.status_code == 422, path


def test_a_form_sent_after_the_session_ended_signs_in_and_goes_back(web: Web) -> None:
    browser(web, Role.BROKER)
    token = web.client.cookies["zk_session"]
    form_page = "http://testserver/zones/1/alerts?as_of=2026-09-30"
    assert web.client.get(form_page, headers=HTML).status_code == 200
    web.directory.sign_out(token)  # the session ends while the form is open
    sent = web.client.post("/zones/1/alerts/filings",
                           data={"kind": "weekly-entry", "ref": "X", "date": "2026-09-01",
                                 "covers": "2026-W32", "csrf": "stale"},
                           headers={**HTML, "referer": form_page}, follow_redirects=False)
    assert sent.status_code == 303
    assert sent.headers["location"] == (
        "/login?next=%2Fzones%2F1%2Falerts%3Fas_of%3D2026-09-30&ended=1")
    login = web.client.get(sent.headers["location"], headers=HTML)
    assert login.status_code == 200 and "Your session has ended" in login.text
    signed = web.client.post("/login", data={"name": "broker", "password": PASSWORD,
                                             "next": "/zones/1/alerts?as_of=2026-09-30"},
                             follow_redirects=False)
    assert signed.status_code == 303
    back = web.client.get(signed.headers["location"], headers=HTML)
    assert back.status_code == 200 and NAV in back.text  # the form's page, not 405


def test_a_form_from_elsewhere_after_the_session_ended_goes_to_the_dashboard(web: Web) -> None:
    for referer in ("https://evil.example/zones/1/alerts", "not a url", None):
        web.client.cookies.set("zk_session", "ended")
        headers = {**HTML, **({"referer": referer} if referer else {})}
        sent = web.client.post("/zones/1/post/commit", data={"upload": "x"}, headers=headers,
                               follow_redirects=False)
        assert sent.status_code == 303, referer
        assert sent.headers["location"] == "/login?next=%2F&ended=1", referer


def test_error_pages_keep_the_site_navigation(web: Web) -> None:
    browser(web, Role.VIEWER)
    for path, status in (("/no/such/page", 404), ("/admin/users", 403), ("/zones/2/lots", 404)):
        answer = web.client.get(path, headers=HTML)
        assert answer.status_code == status, path
        assert NAV in answer.text and "Sign out" in answer.text, path
    refused = web.client.get("/zones/2/lots", headers=HTML)
    assert "<td>zone</td>" in refused.text and "--zone" not in refused.text


def test_sign_in_never_sends_the_browser_to_another_site(web: Web) -> None:
    for target in ("/\\evil.example/", "/\t/evil.example/", "/%2F/evil.example"):
        answer = web.client.post("/login", data={"name": "viewer", "password": PASSWORD,
                                                 "next": target}, follow_redirects=False)
        location = answer.headers["location"]
        assert location.startswith("/") and not location.startswith(("//", "/\\")), location
        assert "\t" not in location


def test_json_rows_the_books_cannot_read_are_refused_not_a_crash(web: Web,
                                                                 tmp_path: Path) -> None:
    with_parts(web, tmp_path)
    clerk = {**web.as_(Role.CLERK), "content-type": "application/json"}
    for body, code in ((b'[{"admission_no": "\\ud800"}]', "file.unstorable-text"),
                       (b"[" * 100_000 + b"]" * 100_000, "request.not-json")):
        answer = web.client.post("/api/v1/zones/1/admissions", content=body, headers=clerk)
        assert answer.status_code == 422
        assert code in {p["code"] for p in answer.json()["problems"]}
    deep = web.client.post("/api/v1/zones/1/admissions",
                           files=csv_upload("deep.jsonl", "[" * 100_000 + "]" * 100_000),
                           headers=web.as_(Role.CLERK))
    assert deep.status_code == 422
    assert deep.json()["problems"][0]["code"] == "file.not-json"


def test_a_posting_flag_given_twice_is_refused_and_nothing_is_posted(web: Web,
                                                                     tmp_path: Path) -> None:
    with_parts(web, tmp_path)
    before = web.client.get("/api/v1/zones/1/verify", headers=web.as_(Role.VIEWER)).json()
    answer = web.client.post("/api/v1/zones/1/admissions?dry_run=true&dry_run=false",
                             files=csv_upload("a.csv", ADMISSIONS), headers=web.as_(Role.CLERK))
    assert answer.status_code == 422 and _fields(answer) == {"dry_run"}
    after = web.client.get("/api/v1/zones/1/verify", headers=web.as_(Role.VIEWER)).json()
    assert after["events"] == before["events"]


def test_identical_posts_at_once_post_once(web: Web, tmp_path: Path) -> None:
    with_parts(web, tmp_path)
    viewer = web.as_(Role.VIEWER)
    before = web.client.get("/api/v1/zones/1/verify", headers=viewer).json()["events"]

    def post(_: int) -> int:
        return web.client.post("/api/v1/zones/1/admissions",
                               files=csv_upload("a.csv", ADMISSIONS),
                               headers=web.as_(Role.CLERK)).status_code

    with ThreadPoolExecutor(4) as pool:
        statuses = sorted(pool.map(post, range(4)))
    assert statuses == [200, 409, 409, 409]
    verify = web.client.get("/api/v1/zones/1/verify", headers=viewer).json()
    assert verify["ok"] is True and verify["events"] == before + 2  # the file's two lines


def test_the_posted_page_says_what_was_posted_not_what_its_address_says(web: Web) -> None:
    load_demo_parts(web)
    csrf = browser(web, Role.CLERK)
    done = post(web, csrf, "admission", "admissions.csv", ADMISSIONS_FILE.read_bytes())
    assert "admissions.csv: 6 events posted" in done
    [seq] = re.findall(r"the books are at event (\d+)", done)
    # a link made by hand: another file, another count, or a posting that never was
    forged = web.client.get(f"/zones/1/post/done?seq={seq}&events=777&file=forged.csv",
                            headers=HTML)
    assert forged.status_code == 200 and "6 events posted" in forged.text
    assert "forged.csv" not in forged.text and "777" not in forged.text
    never = web.client.get(f"/zones/1/post/done?seq={int(seq) + 5}&events=3&file=x.csv",
                           headers=HTML)
    assert never.status_code == 404 and "events posted" not in never.text
