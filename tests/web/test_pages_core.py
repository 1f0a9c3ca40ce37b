"""The HTML frame: sign-in and sign-out, refusals a browser can read, the dashboard."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from zk_pages import DEMO, HTML, browser, load_demo_parts, post
from zk_web import PASSWORD, Web

from zonekeeper.app.users import MAX_FAILURES, Role


def test_a_page_without_a_session_goes_to_the_sign_in_page(web: Web) -> None:
    answer = web.client.get("/zones/1/lots?sort=part", headers=HTML, follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login?next=%2Fzones%2F1%2Flots%3Fsort%3Dpart"
    # the API keeps its problem list, whatever it accepts
    api = web.client.get("/api/v1/zones/1/balance", headers=HTML)
    assert api.status_code == 401 and api.json()["problems"][0]["code"] == "auth.unauthorized"


def test_sign_in_sets_a_strict_http_only_cookie_and_goes_next(web: Web) -> None:
    answer = web.client.post("/login", data={"name": "viewer", "password": PASSWORD,
                                             "next": "/zones/1/lots"}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/zones/1/lots"
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith("zk_session=")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie
    assert web.client.get("/", headers=HTML).status_code == 200


def test_the_cookie_is_secure_over_https(web: Web) -> None:
    answer = web.client.post("https://testserver/login",
                             data={"name": "viewer", "password": PASSWORD},
                             follow_redirects=False)
    assert answer.status_code == 303 and "Secure" in answer.headers["set-cookie"]


def test_sign_in_goes_nowhere_but_this_site(web: Web) -> None:
    for target in ("//evil.example/", "https://evil.example/", "javascript:alert(1)"):
        answer = web.client.post("/login", data={"name": "viewer", "password": PASSWORD,
                                                 "next": target}, follow_redirects=False)
        assert answer.headers["location"] == "/", target


def test_a_wrong_password_is_said_and_then_throttled(web: Web) -> None:
    for _ in range(MAX_FAILURES):
        answer = web.client.post("/login", data={"name": "clerk", "password": "wrong one!"})
        assert answer.status_code == 401 and "wrong name or password" in answer.text
        assert "set-cookie" not in answer.headers
    answer = web.client.post("/login", data={"name": "clerk", "password": PASSWORD})
    assert answer.status_code == 429
    assert "too many refused sign-ins" in answer.text and "users.throttled" in answer.text


def test_sign_out_needs_the_csrf_token_and_ends_the_session(web: Web) -> None:
    csrf = browser(web, Role.VIEWER)
    refused = web.client.post("/logout", headers=HTML, follow_redirects=False)
    assert refused.status_code == 403
    assert web.client.get("/", headers=HTML, follow_redirects=False).status_code == 200
    answer = web.client.post("/logout", data={"csrf": csrf}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/login"
    assert "zk_session=" in answer.headers["set-cookie"]
    web.client.cookies.set("zk_session", "")
    assert web.client.get("/", headers=HTML, follow_redirects=False).status_code == 303
    actions = [e.action for e in web.directory.audit()[0]]
    assert actions[0] == "sign-out"


def test_a_role_that_may_not_is_told_which_roles_may(web: Web) -> None:
    browser(web, Role.VIEWER)
    answer = web.client.get("/zones/1/post", headers=HTML)
    assert answer.status_code == 403
    assert "Not allowed" in answer.text
    assert "clerk, compliance" in answer.text


def test_the_navigation_follows_the_role(web: Web) -> None:
    browser(web, Role.VIEWER)
    page = web.client.get("/", headers=HTML).text
    assert "/admin/audit" in page and "/admin/users" not in page and "/zones/1/post" not in page
    browser(web, Role.ADMIN)
    page = web.client.get("/", headers=HTML).text
    assert "/admin/users" in page


def test_every_form_carries_the_session_csrf_token(web: Web) -> None:
    csrf = browser(web, Role.CLERK)
    page = web.client.get("/zones/1/post", headers=HTML).text
    assert re.findall(r'name="csrf" value="([^"]+)"', page) == [csrf, csrf]  # sign-out, upload
    assert f'"X-CSRF-Token": "{csrf}"' in page  # htmx requests send it as the header


def test_the_dashboard_shows_value_on_hand_by_status(web: Web) -> None:
    load_demo_parts(web)
    csrf = browser(web, Role.CLERK)
    post(web, csrf, "admission", "admissions.csv", (DEMO / "admissions.csv").read_bytes())
    page = web.client.get("/", headers=HTML).text
    # the demo's admissions: PF 216,000 + 4,800 + 14,400; NPF 23,400 + 3,750; D 42,000
    assert "$304,350.00" in page
    assert re.search(r'status=PF">PF</a></td><td class="num">3</td>'
                     r'<td class="num">\$235,200.00</td>', page)
    assert re.search(r'status=NPF">NPF</a></td><td class="num">2</td>', page)
    assert '<svg class="chart" role="img"' in page and "PF: $235,200.00" in page
    assert 'hx-get="/zones/1/panels/alerts"' in page


@pytest.mark.parametrize("panel", ["alerts", "week?week=2026-W32"])
def test_the_dashboard_panels_read(web: Web, panel: str) -> None:
    load_demo_parts(web)
    browser(web, Role.VIEWER)
    answer = web.client.get(f"/zones/1/panels/{panel}", headers=HTML)
    assert answer.status_code == 200
    assert "<html" not in answer.text  # a fragment


def test_a_bad_week_is_shown_with_its_problem(web: Web) -> None:
    browser(web, Role.VIEWER)
    answer = web.client.get("/zones/1/panels/week?week=2026-X1", headers=HTML)
    assert answer.status_code == 200 and 'class="problems"' in answer.text


def test_static_files_are_served_without_a_session(web: Web) -> None:
    assert "htmx" in web.client.get("/static/htmx.min.js").text[:2000]
    assert web.client.get("/static/app.css").status_code == 200


def ship_demo_tires(web: Web, day: str) -> None:
    """The demo's parts and admissions posted by a clerk, and 40 tires shipped on `day`."""
    load_demo_parts(web)
    csrf = browser(web, Role.CLERK)
    post(web, csrf, "admission", "admissions.csv", (DEMO / "admissions.csv").read_bytes())
    shipments = ("shipment_no,date,part,quantity,disposition,value\n"
                 f"S-1,{day},TIRE,40,consumption,2600.00\n").encode()
    post(web, csrf, "shipment", "shipments.csv", shipments)


def test_a_week_priced_with_an_unconfirmed_fee_table_says_so(web: Web) -> None:
    """FY2027's MPF floor and cap are shipped unconfirmed: the panel shows the entry and the
    caveat; a FY2026 week's panel shows no caveat."""
    ship_demo_tires(web, "2026-12-28")
    answer = web.client.get("/zones/1/panels/week?week=2026-W53", headers=HTML)
    assert answer.status_code == 200 and "MPF (weekly)" in answer.text
    assert "FY2027 MPF floor $34.58 and cap $670.86 are unconfirmed" in answer.text
    earlier = web.client.get("/zones/1/panels/week?week=2026-W32", headers=HTML)
    assert earlier.status_code == 200 and "unconfirmed" not in earlier.text


def test_a_week_that_cannot_be_computed_says_why(web: Web) -> None:
    """The demo's books in a fiscal year with no MPF table: the reason, not a 500 or $0."""
    ship_demo_tires(web, "2027-12-27")
    answer = web.client.get("/zones/1/panels/week?week=2027-W52", headers=HTML)
    assert answer.status_code == 200
    assert "Cannot compute the entry: no MPF fee table" in answer.text
    assert "MPF (weekly)" not in answer.text


def test_the_week_panel_shows_the_weekly_entry_the_cli_builds(web: Web, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The demo's week (admissions, production, shipments of 2026-W32): every figure of
    the panel is the one `zonekeeper entry weekly --json` gives for the same books."""
    from zk_api import cli_json

    from zonekeeper.money import usd
    from zonekeeper.web.pages.render import templates

    load_demo_parts(web)
    csrf = browser(web, Role.CLERK)
    for kind, name in (("admission", "admissions.csv"), ("production", "production.csv"),
                       ("shipment", "shipments.csv")):
        post(web, csrf, kind, name, (DEMO / name).read_bytes())
    page = web.client.get("/zones/1/panels/week?week=2026-W32", headers=HTML).text
    shown = dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]*)</dd>", page))
    entry = cli_json(web, tmp_path, "entry", "weekly", "--zone", "1", "--week", "2026-W32")
    money = templates.env.filters["money"]
    lines = entry["lines"]
    assert entry["removals"] > 0 and lines
    assert shown == {
        "Removals": str(entry["removals"]),
        "Foreign value": usd(sum(Decimal(line["value"]) for line in lines)),
        "Duty": money(None if entry["duty"] is None else Decimal(entry["duty"])),
        "MPF (weekly)": usd(Decimal(entry["mpf"])),
        "MPF saved against single entries": usd(Decimal(entry["single_entries"]["saving"])),
        "Summary due": entry["summary_due"],
    }
