"""The books' pages: lots paged and sorted in the database, a lot's movements, parts, and
posting a file through its preview."""

from __future__ import annotations

import re
from decimal import Decimal

from zk_pages import DEMO, HTML, browser, load_demo_parts, post, upload
from zk_web import Web

from zonekeeper.app import dashboard
from zonekeeper.app.books import open_books
from zonekeeper.app.users import Role
from zonekeeper.errors import InputError

ADMISSIONS = (DEMO / "admissions.csv").read_bytes()


def _admitted(web: Web) -> str:
    load_demo_parts(web)
    csrf = browser(web, Role.CLERK)
    post(web, csrf, "admission", "admissions.csv", ADMISSIONS)
    return csrf


def _lots_in(page: str) -> list[str]:
    return re.findall(r'href="/zones/1/lots/([^"]+)"', page)


def test_lots_sort_and_filter_on_the_server(web: Web) -> None:
    _admitted(web)
    page = web.client.get("/zones/1/lots?sort=-value", headers=HTML).text
    assert _lots_in(page) == ["A-1001/1", "A-1003/1", "A-1002/1", "A-1001/3", "A-1001/2",
                              "A-1002/2"]
    assert 'aria-sort="descending"' in page
    page = web.client.get("/zones/1/lots?status=NPF&sort=quantity", headers=HTML).text
    assert _lots_in(page) == ["A-1002/2", "A-1002/1"]
    page = web.client.get("/zones/1/lots?part=GLASS", headers=HTML).text
    assert _lots_in(page) == ["A-1001/3"]


def test_a_page_of_lots_is_a_limit_and_an_offset(web: Web) -> None:
    _admitted(web)
    with open_books(web.context, "1") as ledger:
        first = dashboard.lot_page(ledger, page=1, size=4, sort="lot")
        second = dashboard.lot_page(ledger, page=2, size=4, sort="lot")
    assert [r.lot for r in first.rows] == ["A-1001/1", "A-1001/2", "A-1001/3", "A-1002/1"]
    assert [r.lot for r in second.rows] == ["A-1002/2", "A-1003/1"]
    assert first.total == second.total == 6 and first.pages == 2
    assert second.rows[0].quantity == Decimal(250) and second.rows[0].value == Decimal("3750.00")


def test_a_bad_sort_or_page_is_refused_with_its_code(web: Web) -> None:
    _admitted(web)
    answer = web.client.get("/zones/1/lots?sort=colour", headers=HTML)
    assert answer.status_code == 422 and "page.sort" in answer.text
    with open_books(web.context, "1") as ledger:
        try:
            dashboard.lot_page(ledger, page=0, size=1000)
        except InputError as error:
            assert [p.code for p in error.problems] == ["page.range", "page.range"]
        else:
            raise AssertionError("a page 0 of 1,000 rows was not refused")


def test_value_on_hand_sums_exactly(web: Web) -> None:
    """Decimal text on SQLite is summed as decimals: 0.1 + 0.2 is 0.3, not 0.30000000000000004."""
    load_demo_parts(web)
    csrf = browser(web, Role.CLERK)
    rows = (b"admission_no,line,date,part,quantity,value,status,mode\n"
            b"A-9,1,2026-08-03,TIRE,1,0.1,NPF,truck\n"
            b"A-9,2,2026-08-03,VALVE,1,0.2,NPF,truck\n")
    post(web, csrf, "admission", "tiny.csv", rows)
    with open_books(web.context, "1") as ledger:
        found = dashboard.inventory(ledger)
        parts = dashboard.part_page(ledger)
    assert [(s.status, s.lots, s.value) for s in found.statuses] == [("NPF", 2, Decimal("0.3"))]
    assert [(p.part, p.quantity, p.value) for p in parts.rows] == [
        ("TIRE", Decimal(1), Decimal("0.1")), ("VALVE", Decimal(1), Decimal("0.2"))]


def test_a_lot_shows_every_movement_with_who_posted_it(web: Web) -> None:
    csrf = _admitted(web)
    shipments = (b"shipment_no,date,part,quantity,disposition,value\n"
                 b"S-1,2026-08-05,TIRE,40,consumption,2600.00\n")
    post(web, csrf, "shipment", "shipments.csv", shipments)
    answer = web.client.get("/zones/1/lots/A-1002/1", headers=HTML)
    assert answer.status_code == 200
    page = answer.text
    rows = re.findall(r"<tr><td class=\"num\">(\d+)</td><td>([a-z ]+)</td><td>([\d-]+)</td>"
                      r"<td>([^<]+)</td>", page)
    assert [(kind, date, actor) for _, kind, date, actor in rows] == [
        ("admission", "2026-08-03", "clerk"), ("shipment", "2026-08-05", "clerk")]
    assert "CBP Form 214 A-1002 line 1" in page and "A-1002 line 1" in page
    assert "480 · $21,600.00" in page  # on hand: 520 - 40


def test_an_unknown_lot_is_a_404_page(web: Web) -> None:
    browser(web, Role.VIEWER)
    answer = web.client.get("/zones/1/lots/NOPE", headers=HTML)
    assert answer.status_code == 404 and "history.no-lot" in answer.text


def test_parts_sum_by_part_and_status(web: Web) -> None:
    _admitted(web)
    page = web.client.get("/zones/1/parts", headers=HTML).text
    assert re.search(r">CABINET</a></td><td>D</td><td class=\"num\">1</td>"
                     r"<td class=\"num\">120</td><td class=\"num\">\$42,000.00</td>", page)


def test_a_file_with_errors_is_shown_by_row_and_nothing_posts(web: Web) -> None:
    load_demo_parts(web)
    csrf = browser(web, Role.CLERK)
    bad = ADMISSIONS.replace(b"A-1002,2,2026-08-03,VALVE,250", b"A-1002,2,2026-08-03,VALVE,-5")
    status, page = upload(web, csrf, "admission", "admissions.csv", bad)
    assert status == 422
    assert "admissions.csv is refused" in page
    problem = re.search(r'<tr class="error"><td>error</td><td>admissions.csv</td>'
                        r'<td class="num">(\d+)</td><td>([^<]*)</td>', page)
    assert problem is not None and problem.groups() == ("6", "quantity")
    assert 'name="upload"' not in page  # nothing to post
    with open_books(web.context, "1") as ledger:
        assert dashboard.inventory(ledger).statuses == []


def test_a_good_file_is_previewed_then_posted_by_its_user(web: Web) -> None:
    load_demo_parts(web)
    csrf = browser(web, Role.CLERK)
    status, page = upload(web, csrf, "admission", "admissions.csv", ADMISSIONS)
    assert status == 200 and "ready to post" in page and "6 admission events" in page
    with open_books(web.context, "1") as ledger:
        assert dashboard.inventory(ledger).lots == 0  # the preview wrote nothing
    [upload_id] = re.findall(r'name="upload" value="([^"]+)"', page)
    done = web.client.post("/zones/1/post/commit", data={"upload": upload_id, "csrf": csrf},
                           headers=HTML)
    assert done.status_code == 200 and "6 events posted" in done.text
    with open_books(web.context, "1") as ledger:
        assert dashboard.inventory(ledger).lots == 6
    [entry] = [e for e in web.directory.audit()[0] if e.action == "post admission"]
    assert entry.name == "clerk" and entry.zone == "1"
    assert entry.detail["file"] == "admissions.csv" and entry.detail["events"] == 6
    # the kept file is gone: posting it again finds nothing
    again = web.client.post("/zones/1/post/commit", data={"upload": upload_id, "csrf": csrf},
                            headers=HTML)
    assert again.status_code == 404


def test_an_upload_is_posted_only_by_who_previewed_it(web: Web) -> None:
    load_demo_parts(web)
    csrf = browser(web, Role.CLERK)
    _, page = upload(web, csrf, "admission", "admissions.csv", ADMISSIONS)
    [upload_id] = re.findall(r'name="upload" value="([^"]+)"', page)
    other = browser(web, Role.COMPLIANCE)
    answer = web.client.post("/zones/1/post/commit", data={"upload": upload_id, "csrf": other},
                             headers=HTML)
    assert answer.status_code == 404
    for bad in ("../../etc", "x" * 10):
        answer = web.client.post("/zones/1/post/commit", data={"upload": bad, "csrf": other},
                                 headers=HTML)
        assert answer.status_code == 404


def test_posting_without_the_csrf_token_is_refused(web: Web) -> None:
    load_demo_parts(web)
    browser(web, Role.CLERK)
    answer = web.client.post("/zones/1/post", data={"kind": "admission"},
                             files={"file": ("a.csv", ADMISSIONS, "text/csv")}, headers=HTML)
    assert answer.status_code == 403 and "CSRF" in answer.text


def test_an_upload_left_unposted_is_forgotten(web: Web) -> None:
    import os

    from zonekeeper.web.pages import books

    load_demo_parts(web)
    csrf = browser(web, Role.CLERK)
    _, page = upload(web, csrf, "admission", "admissions.csv", ADMISSIONS)
    [left] = re.findall(r'name="upload" value="([^"]+)"', page)
    old = books.UPLOADS / left
    long_ago = old.stat().st_mtime - books.KEEP.total_seconds() - 60
    os.utime(old, (long_ago, long_ago))
    upload(web, csrf, "admission", "admissions.csv", ADMISSIONS)
    assert not old.exists()


def test_the_inventory_is_read_again_when_the_books_move(web: Web) -> None:
    csrf = _admitted(web)
    with open_books(web.context, "1") as ledger:
        first = dashboard.inventory(ledger)
        assert dashboard.inventory(ledger) is first  # the same head: the same sums
    shipments = (b"shipment_no,date,part,quantity,disposition,value\n"
                 b"S-1,2026-08-05,TIRE,40,consumption,2600.00\n")
    post(web, csrf, "shipment", "shipments.csv", shipments)
    with open_books(web.context, "1") as ledger:
        after = dashboard.inventory(ledger)
    assert after.head.seq == first.head.seq + 1
    assert first.value - after.value == Decimal("1800.00")  # 40 tires at $45.00


def test_a_utf16_upload_is_previewed_as_its_utf8_twin(web: Web) -> None:
    """The page's upload reads a file as the API and the CLI do (`io.tabular.decoded`):
    Excel's UTF-16 "Unicode Text" saved with commas is read; a Windows-1252 one is refused
    in one line naming its encoding."""
    load_demo_parts(web)
    csrf = browser(web, Role.CLERK)
    text = ADMISSIONS.decode("utf-8")
    status, page = upload(web, csrf, "admission", "admissions.csv", text.encode("utf-16"))
    assert status == 200 and "ready to post" in page and "6 admission events" in page
    status, page = upload(web, csrf, "admission", "admissions.csv",
                          text.replace("VALVE", "VALVÉ").encode("cp1252"))
    assert status == 422 and "Windows-1252" in page and "missing" not in page
