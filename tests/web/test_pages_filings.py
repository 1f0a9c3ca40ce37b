"""The pages of entries, filings, drawback and reports, over the demo zone's books.

The books are the demo's (`zonekeeper demo`: its files posted to zone "1"); each page must
show the figures the CLI prints for the same books, refuse a role that may not see it, and
serve the documents the CLI writes. Recording a filing from the alerts page needs the
session's CSRF token, names the user in the event and writes the audit log.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest
import sqlalchemy as sa
from zk_web import PASSWORD, Web

from zonekeeper.app import entries, filings, reports
from zonekeeper.app.books import count_events, open_books
from zonekeeper.app.context import Context
from zonekeeper.app.drawback import plan
from zonekeeper.app.outputs.entries import WeeklyEntryDoc
from zonekeeper.app.users import Role
from zonekeeper.drawback.plan import Method
from zonekeeper.errors import InputError
from zonekeeper.io import documents, zone_files
from zonekeeper.money import usd
from zonekeeper.web import charts
from zonekeeper.zone.alerts import Alert

WEEK = "2026-W32"
ZONE = "/zones/1"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "drawback"


def post_demo(context: Context) -> None:
    """The demo's files posted to zone "1", as `zonekeeper demo` posts them."""
    with resources.as_file(resources.files("zonekeeper") / "data" / "demo") as found, \
            open_books(context, "1") as ledger:
        folder = Path(found)
        ledger.load_master(
            parts=zone_files.parts_from(zone_files.read_parts(folder / "parts.csv")),
            boms=zone_files.boms_from(zone_files.read_boms(folder / "bom.csv")))
        for name, read, convert in (
            ("admissions.csv", zone_files.read_admissions, zone_files.admissions_from),
            ("production.csv", zone_files.read_production, zone_files.production_from),
            ("shipments.csv", zone_files.read_shipments, zone_files.shipments_from),
        ):
            rows = read(folder / name)
            ledger.post(list(convert(rows)), source=name, rows=[r.row for r in rows])
        counts, rows = count_events(ledger.state(),
                                    zone_files.read_counts(folder / "counts.csv"))
        ledger.post(counts, source="counts.csv", rows=rows)


@pytest.fixture
def demo(web: Web) -> Web:
    post_demo(web.context)
    return web


def signed_in(web: Web, role: str) -> str:
    """Sign `role` in through the directory, as the sign-in page does; its CSRF token."""
    session = web.directory.sign_in(role, PASSWORD)
    assert session.token is not None
    web.client.cookies.set("zk_session", session.token)
    return session.csrf


# ---------------------------------------------------------------------------- weekly entry

def test_the_weekly_entry_page_shows_the_clis_figures(demo: Web) -> None:
    found = entries.weekly(demo.context, WEEK, zone="1")
    e = WeeklyEntryDoc.of(found.value, found.head).document()
    answer = demo.client.get(f"{ZONE}/entries/weekly", params={"week": WEEK},
                             headers=demo.as_(Role.VIEWER))
    assert answer.status_code == 200, answer.text
    page = answer.text
    assert f"Duty {usd(e['duty'])} + MPF {usd(e['mpf'])}" in page
    assert f"total {usd(e['total'])}" in page
    assert usd("532.42") in page  # the demo week's MPF: 0.3464% x $153,700, once
    assert usd(e["single_entries"]["saving"]) in page
    for line in e["lines"]:
        assert line["hts"] in page
    hmf = entries.hmf(demo.context, "2026Q3", "1").value
    assert hmf.fee is not None and f'class="hmf">{usd(hmf.fee)}' in page
    assert 'role="img"' in page and "<svg" in page  # the MPF chart
    assert 'name="week" value="2026-W32"' in page  # the week picker


def test_the_mpf_history_is_each_weeks_entry_from_one_read(demo: Web) -> None:
    history = entries.weekly_history(demo.context, WEEK, 3, "1").value
    assert [str(e.week) for e in history] == ["2026-W30", "2026-W31", WEEK]
    for e in history:  # each week as the weekly entry makes it alone
        alone = entries.weekly(demo.context, str(e.week), zone="1").value
        assert (e.mpf, e.single_entries.saving) == (alone.mpf, alone.single_entries.saving)
    assert history[-1].single_entries.saving > 0
    page = demo.client.get(f"{ZONE}/entries/weekly", params={"week": WEEK},
                           headers=demo.as_(Role.VIEWER)).text
    assert f'aria-label="MPF saved by the weekly entry, 8 weeks to {WEEK}"' in page
    assert f'<th scope="row">{WEEK}</th><td class="num">' \
        f'{usd(history[-1].single_entries.saving)}</td>' in page
    with pytest.raises(InputError) as refused:
        entries.weekly_history(demo.context, "2026-W99", 27, "1")
    assert [p.code for p in refused.value.problems] == ["weekly.week", "entries.history-weeks"]


def test_the_weekly_entry_downloads_are_the_clis_documents(demo: Web) -> None:
    found = entries.weekly(demo.context, WEEK, zone="1")
    csv = demo.client.get(f"{ZONE}/entries/weekly.csv", params={"week": WEEK},
                          headers=demo.as_(Role.BROKER))
    assert csv.status_code == 200
    assert csv.headers["content-type"].startswith("text/csv")
    assert "attachment" in csv.headers["content-disposition"]
    assert csv.text == documents.weekly_entry_csv(found.value)
    pdf = demo.client.get(f"{ZONE}/entries/weekly.pdf", params={"week": WEEK},
                          headers=demo.as_(Role.BROKER))
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    html = demo.client.get(f"{ZONE}/entries/weekly.html", params={"week": WEEK},
                           headers=demo.as_(Role.BROKER))
    assert html.headers["content-type"].startswith("text/html")
    data = WeeklyEntryDoc.of(found.value, found.head).document()
    assert html.text == documents.weekly_entry_html(data, "1")


def test_a_bad_week_is_shown_with_its_problem_and_an_unknown_zone_is_404(demo: Web) -> None:
    bad = demo.client.get(f"{ZONE}/entries/weekly", params={"week": "2026-W99"},
                          headers=demo.as_(Role.VIEWER))
    assert bad.status_code == 422
    assert "Refused" in bad.text and "2026-W99" in bad.text
    missing = demo.client.get("/zones/nowhere/reports/board", params={"year": 2026},
                              headers=demo.as_(Role.VIEWER))
    assert missing.status_code == 404


def test_pages_need_credentials(demo: Web) -> None:
    for path in (f"{ZONE}/entries/weekly", f"{ZONE}/alerts", "/drawback",
                 f"{ZONE}/reports/reconciliation", f"{ZONE}/reports/board"):
        assert demo.client.get(path).status_code == 401, path


# --------------------------------------------------------------------------------- alerts

def _open_alerts(web: Web) -> list[Alert]:
    return entries.alerts(web.context, "2026-08-20", zone="1").stamped.value


def test_the_alerts_page_lists_the_clis_alerts_with_the_filing_that_clears_each(
    demo: Web,
) -> None:
    found = _open_alerts(demo)
    assert any(a.kind == "entry_summary_due" and a.subject == WEEK for a in found)
    page = demo.client.get(f"{ZONE}/alerts", params={"as_of": "2026-08-20"},
                           headers=demo.as_(Role.BROKER)).text
    for a in found:
        assert a.kind in page and a.message.split("(")[0].strip() in page
    assert '<input type="hidden" name="kind" value="entry_summary">' in page
    viewer = demo.client.get(f"{ZONE}/alerts", params={"as_of": "2026-08-20"},
                             headers=demo.as_(Role.VIEWER)).text
    assert "record-filing" not in viewer  # a viewer may read, not file


def test_recording_a_filing_needs_the_csrf_token_and_names_the_user(demo: Web) -> None:
    csrf = signed_in(demo, "broker")
    form = {"kind": "entry_summary", "ref": "ES-77", "date": "2026-08-14", "covers": WEEK}
    refused = demo.client.post(f"{ZONE}/alerts/filings", data=form, follow_redirects=False)
    assert refused.status_code == 403
    assert any(a.kind == "entry_summary_due" for a in _open_alerts(demo))  # nothing posted
    done = demo.client.post(f"{ZONE}/alerts/filings", data={**form, "csrf": csrf},
                            follow_redirects=False)
    assert done.status_code == 303, done.text
    assert not any(a.kind == "entry_summary_due" and a.subject == WEEK
                   for a in _open_alerts(demo))
    engine = sa.create_engine(demo.context.database_url or "")
    with engine.connect() as connection:
        actors = connection.execute(sa.text(
            "SELECT actor FROM events WHERE kind = 'filing'")).scalars().all()
    engine.dispose()
    assert actors == ["broker"]
    audit, _ = demo.directory.audit(name="broker")
    assert [(e.action, e.zone, e.detail["ref"]) for e in audit
            if e.action == "record filing"] == [("record filing", "1", "ES-77")]
    shown = demo.client.get(done.headers["location"])
    assert "Recorded: entry_summary ES-77" in shown.text
    again = demo.client.post(f"{ZONE}/alerts/filings", data={**form, "csrf": csrf})
    assert again.status_code == 422 and "already recorded" in again.text


def test_recording_a_filing_is_refused_to_a_role_that_may_not_file(demo: Web) -> None:
    form = {"kind": "entry_summary", "ref": "ES-1", "date": "2026-08-14", "covers": WEEK}
    for role in (Role.VIEWER, Role.CLERK):
        answer = demo.client.post(f"{ZONE}/alerts/filings", data=form, headers=demo.as_(role))
        assert answer.status_code == 403, role


def test_a_bad_filing_is_shown_with_every_problem(demo: Web) -> None:
    form = {"kind": "telegram", "ref": "X", "date": "14/08/2026", "covers": WEEK}
    answer = demo.client.post(f"{ZONE}/alerts/filings", data=form,
                              headers=demo.as_(Role.BROKER))
    assert answer.status_code == 422
    assert 'data-code="filing.kind"' in answer.text
    assert 'data-code="filing.date"' in answer.text


# ------------------------------------------------------------------------------- drawback

def _files() -> dict[str, tuple[str, bytes, str]]:
    return {"imports": ("imports.csv", (EXAMPLES / "imports.csv").read_bytes(), "text/csv"),
            "exports": ("exports.csv", (EXAMPLES / "exports.csv").read_bytes(), "text/csv")}


def test_the_drawback_plan_shows_optimal_against_fifo(web: Web) -> None:
    best = plan(web.context, EXAMPLES / "imports.csv", EXAMPLES / "exports.csv").document
    fifo = plan(web.context, EXAMPLES / "imports.csv", EXAMPLES / "exports.csv",
                method=Method.FIFO).document
    assert web.client.get("/drawback", headers=web.as_(Role.COMPLIANCE)).status_code == 200
    answer = web.client.post("/drawback/plan", files=_files(),
                             headers=web.as_(Role.COMPLIANCE))
    assert answer.status_code == 200, answer.text
    page = answer.text
    assert f'class="num optimal">{usd(best.optimal_refund)}' in page
    assert f'class="num fifo">{usd(best.fifo_refund)}' in page
    assert f'class="num uplift">{usd(best.uplift)}' in page
    assert 'aria-label="Refund by export: optimal designation against FIFO"' in page
    # the chart's table holds each export's refund under both methods
    for d in fifo.designations:
        assert d.export_ref in page
    json_answer = web.client.post("/drawback/plan", files=_files(), data={"output": "json"},
                                  headers=web.as_(Role.COMPLIANCE))
    assert json_answer.headers["content-type"] == "application/json"
    assert json_answer.text == best.text()
    assert json.loads(json_answer.text)["digest"] == best.digest


def test_drawback_is_refused_to_roles_without_it_and_bad_files_are_named(web: Web) -> None:
    for role in (Role.VIEWER, Role.CLERK, Role.BROKER):
        assert web.client.get("/drawback", headers=web.as_(role)).status_code == 403
        assert web.client.post("/drawback/plan", files=_files(),
                               headers=web.as_(role)).status_code == 403
    bad = {**_files(), "exports": ("mine.csv", b"nonsense,columns\n1,2\n", "text/csv")}
    answer = web.client.post("/drawback/plan", files=bad, headers=web.as_(Role.ADMIN))
    assert answer.status_code == 422
    assert "mine.csv" in answer.text and "zk-drawback-" not in answer.text
    late = web.client.post("/drawback/plan", files=_files(), data={"as_of": "soon"},
                           headers=web.as_(Role.ADMIN))
    assert late.status_code == 422 and 'data-code="option.date"' in late.text


# -------------------------------------------------------------------------------- reports

def test_the_reconciliation_page_and_downloads_are_the_clis(demo: Web) -> None:
    with open_books(demo.context, "1") as ledger:
        found = reports.reconciliation(ledger, 2026)
    r = found.document()
    assert r["lots"]
    page = demo.client.get(f"{ZONE}/reports/reconciliation", params={"year": 2026},
                           headers=demo.as_(Role.VIEWER)).text
    for row in r["lots"]:
        assert row["lot"] in page
    assert f"at event {found.head.seq}" in page
    pdf = demo.client.get(f"{ZONE}/reports/reconciliation.pdf", params={"year": 2026},
                          headers=demo.as_(Role.VIEWER))
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content[:4] == b"%PDF"
    html = demo.client.get(f"{ZONE}/reports/reconciliation.html", params={"year": 2026},
                           headers=demo.as_(Role.VIEWER))
    assert html.text == found.html()


def test_the_board_report_page_and_downloads_are_the_clis(demo: Web) -> None:
    with open_books(demo.context, "1") as ledger:
        found = reports.board(ledger, 2026)
    page = demo.client.get(f"{ZONE}/reports/board", params={"year": 2026},
                           headers=demo.as_(Role.BROKER)).text
    figures = found.figures()
    assert any(Decimal(v) > 0 for _, v in figures)
    for label, value in figures:
        assert re.search(rf"{re.escape(label)}</td><td class=\"num\">{re.escape(usd(value))}",
                         page.replace("&amp;", "&")), label
    assert 'aria-label="FTZ Board figures 2026"' in page
    pdf = demo.client.get(f"{ZONE}/reports/board.pdf", params={"year": 2026},
                          headers=demo.as_(Role.BROKER))
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content[:4] == b"%PDF"
    bad = demo.client.get(f"{ZONE}/reports/board", params={"year": 12026},
                          headers=demo.as_(Role.BROKER))
    assert bad.status_code == 422 and 'data-code="report.year"' in bad.text


# ---------------------------------------------------------------------- app and charts

def test_the_filing_that_clears_an_alert_and_what_it_covers() -> None:
    def alert(kind: str, subject: str) -> Alert:
        return Alert(kind, subject, "", None, False, "")

    assert filings.answering(alert("entry_summary_due", WEEK)) == ("entry_summary", WEEK)
    assert filings.answering(alert("estimate_exceeded", f"{WEEK} part CART")) == (
        "supplemental_3461", WEEK)
    assert filings.answering(alert("shortage_reportable", "lot L-7 (CART)")) == (
        "shortage_report", "L-7")
    assert filings.answering(alert("reconciliation_due", "zone year ended 2025-12-31")) == (
        "reconciliation", "2025")
    assert filings.answering(alert("in_suspense", "suspense S-1 (CART)")) is None
    with pytest.raises(InputError) as refused:
        filings.filing_of("nope", "R", "yesterday", WEEK)
    assert [p.field for p in refused.value.problems] == ["kind", "date"]


def test_a_chart_says_cannot_compute_and_escapes_its_text() -> None:
    svg = charts.bars("Refund <by> claim", ["A&B", "C"],
                      [charts.Series("refund", [Decimal("10.50"), None])])
    assert 'aria-label="Refund &lt;by&gt; claim"' in svg
    assert "<title>Refund &lt;by&gt; claim</title>" in svg
    assert "A&amp;B" in svg and "cannot compute" in svg and "$10.50" in svg
    assert "<table>" in svg  # the numbers for whoever cannot see the chart
    line = charts.lines("MPF saved", ["W1", "W2", "W3"],
                        [charts.Series("saved", [Decimal(1), None, Decimal(3)])])
    assert line.count("<polyline") == 2  # broken where a value cannot be computed
