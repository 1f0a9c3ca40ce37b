"""The web application in a real browser: Debian's Chromium driven by Playwright against a
`zonekeeper serve` process on the demo books (nothing is downloaded: the tests skip when
/usr/bin/chromium is missing; `make test` installs the `chromium` package first)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_server import CHROMIUM, ZONE, demo_server
from playwright.sync_api import Browser, Page, sync_playwright
from zk_web import PASSWORD

pytestmark = [
    pytest.mark.slow,
    pytest.mark.xdist_group("browser"),
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason="no /usr/bin/chromium (apt-get install chromium; `make test` "
                              "installs it)"),
]

BAD = (b"admission_no,line,date,part,quantity,value,status,mode\n"
       b"A-2001,1,2026-08-10,TIRE,100,4500.00,NPF,truck\n"
       b"A-2001,2,2026-08-10,TIRE,-3,135.00,NPF,truck\n")
GOOD = (b"admission_no,line,date,part,quantity,value,status,mode\n"
        b"A-2001,1,2026-08-10,TIRE,100,4500.00,NPF,truck\n")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with demo_server(tmp_path_factory.mktemp("browser")) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM))
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser, server: str) -> Iterator[Page]:
    context = browser.new_context(base_url=server, viewport={"width": 1366, "height": 768},
                                  accept_downloads=True)
    yield context.new_page()
    context.close()


def sign_in(page: Page, name: str) -> None:
    page.goto("/")
    assert "/login?next=%2F" in page.url
    page.get_by_label("Name").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/$"))


def _npf_value(page: Page) -> str:
    page.goto("/")
    cell = page.locator("a[href$='status=NPF']").locator("xpath=../../td[3]")
    return str(cell.inner_text())


def test_a_clerk_posts_a_bad_file_then_a_good_one_and_sees_the_balance_change(
        page: Page, tmp_path: Path) -> None:
    p = page
    sign_in(p, "clerk")
    before = _npf_value(p)
    p.goto(f"/zones/{ZONE}/post")
    p.get_by_label("Kind of file").select_option("admission")
    p.get_by_label("CSV file").set_input_files(
        {"name": "tires.csv", "mimeType": "text/csv", "buffer": BAD})
    p.get_by_role("button", name="Check the file").click()
    problems = p.locator(".problems tbody tr")
    assert "tires.csv is refused" in p.content()
    row = problems.first.locator("td")
    assert row.nth(2).inner_text() == "3" and row.nth(3).inner_text() == "quantity"
    assert _npf_value(p) == before  # nothing posted

    p.goto(f"/zones/{ZONE}/post")
    p.get_by_label("Kind of file").select_option("admission")
    p.get_by_label("CSV file").set_input_files(
        {"name": "tires.csv", "mimeType": "text/csv", "buffer": GOOD})
    p.get_by_role("button", name="Check the file").click()
    assert "ready to post" in p.content()
    p.get_by_role("button", name="Post tires.csv").click()
    assert "1 event posted" in p.get_by_role("status").inner_text()

    after = _npf_value(p)
    assert after != before
    assert float(after.strip("$").replace(",", "")) == (
        float(before.strip("$").replace(",", "")) + 4500)
    p.goto(f"/zones/{ZONE}/lots/A-2001/1")
    assert "CBP Form 214 A-2001 line 1" in p.content()
    assert p.locator("tbody tr td").nth(3).inner_text() == "clerk"


def test_the_dashboard_loads_its_panels(page: Page) -> None:
    sign_in(page, "viewer")
    week = page.locator("form.inline input[name=week]")
    week.wait_for(timeout=30_000)  # the panel came (htmx, after the page)
    week.fill("2026-W32")
    page.get_by_role("button", name="Show").click()
    # The default week's panel may already show the entry (this fiscal year has a fee
    # table): wait for the chosen week's own heading, then for its figures.
    page.get_by_text("Week 2026-W32: type-06 entry").wait_for(timeout=30_000)
    page.get_by_text("MPF saved against single entries").wait_for(timeout=30_000)
    page.locator(".card h3", has_text="Open alerts").wait_for()
    assert "Loading" not in page.content()


def test_a_broker_downloads_the_weekly_entry(page: Page) -> None:
    sign_in(page, "broker")
    page.goto(f"/zones/{ZONE}/entries/weekly?week=2026-W32")
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV (ES-003 rows)").click()
    assert download.value.suggested_filename.endswith(".csv")
    with page.expect_download() as printed:
        page.get_by_role("link", name="PDF").click()
    path = printed.value.path()
    assert printed.value.suggested_filename.endswith(".pdf")
    assert open(path, "rb").read(5) == b"%PDF-"


def test_a_viewer_is_refused_posting(page: Page) -> None:
    sign_in(page, "viewer")
    assert page.locator(f"a[href='/zones/{ZONE}/post']").count() == 0
    answer = page.goto(f"/zones/{ZONE}/post")
    assert answer is not None and answer.status == 403
    assert "Not allowed" in page.content()
    assert "clerk, compliance" in page.content()


def test_sign_out_ends_the_session(page: Page) -> None:
    sign_in(page, "admin")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/login"))
    page.goto("/admin/users")
    assert "/login?next=%2Fadmin%2Fusers" in page.url
