"""Screenshots of the main pages for the README: `python tests/web/screenshots.py` (needs
/usr/bin/chromium) writes docs/screenshots/*.png from a server on fresh demo books, at a
laptop's 1366x768."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from browser_server import CHROMIUM, ZONE, demo_server
from playwright.sync_api import Page, sync_playwright
from zk_web import PASSWORD

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
BAD = (b"admission_no,line,date,part,quantity,value,status,mode\n"
       b"A-2001,1,2026-08-10,TIRE,100,4500.00,NPF,truck\n"
       b"A-2001,2,2026-08-10,VALVE,-3,135.00,NPF,truck\n"
       b"A-2001,3,2026-08-10,WIDGET,5,10.00,NPF,truck\n")


def _shoot(page: Page, name: str) -> None:
    page.screenshot(path=str(OUT / f"{name}.png"), full_page=False)
    print(f"wrote {OUT / name}.png")


def main() -> int:
    if not CHROMIUM.exists():
        print("no /usr/bin/chromium: apt-get install chromium", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    with (tempfile.TemporaryDirectory() as folder, demo_server(Path(folder)) as base,
          sync_playwright() as playwright):
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM))
        page = browser.new_page(base_url=base, viewport={"width": 1366, "height": 768})
        page.goto("/login")
        _shoot(page, "sign-in")
        page.get_by_label("Name").fill("admin")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.locator("form.inline input[name=week]").fill("2026-W32")
        page.get_by_role("button", name="Show").click()
        page.get_by_text("MPF saved against single entries").wait_for()
        page.locator(".alerts").wait_for()
        _shoot(page, "dashboard")
        page.goto(f"/zones/{ZONE}/lots?sort=-value")
        _shoot(page, "lots")
        page.goto(f"/zones/{ZONE}/lots/A-1002/1")
        _shoot(page, "lot")
        page.goto(f"/zones/{ZONE}/post")
        page.get_by_label("CSV file").set_input_files(
            {"name": "admissions.csv", "mimeType": "text/csv", "buffer": BAD})
        page.get_by_role("button", name="Check the file").click()
        _shoot(page, "post-preview")
        page.goto(f"/zones/{ZONE}/entries/weekly?week=2026-W32")
        _shoot(page, "weekly-entry")
        page.goto(f"/zones/{ZONE}/alerts")
        _shoot(page, "alerts")
        page.goto("/admin/users")
        _shoot(page, "users")
        page.goto("/admin/audit")
        _shoot(page, "audit")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
