"""The entries and the alerts read only what they need (a week's shipments through the index
of events by kind and date, the lots those trace to, the weeks with removals probed week by
week), and give what reading the whole books gives: on real books (the ledger bench's
workload over five weeks, with a corrected shipment and a filed entry summary), on both
databases, every week's removals and weekly entry and the open alerts, with estimates and
without, equal the ones made from the whole state and every posting, as they were made
before."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections import defaultdict
from pathlib import Path

import orjson
import pytest

from zonekeeper.app import entries
from zonekeeper.app import entry_reads as er
from zonekeeper.app import filings as filing_service
from zonekeeper.app.books import Ledger
from zonekeeper.app.context import Context
from zonekeeper.app.outputs.entries import AlertsDoc, WeeklyEntryDoc
from zonekeeper.bindings.quoter import TariffQuoter
from zonekeeper.sources.tariff import default_tariff
from zonekeeper.store import codec, reads
from zonekeeper.zone.alerts import AlertInputs, alerts
from zonekeeper.zone.events import Filing
from zonekeeper.zone.filings import ENTRY_SUMMARY, FiledDocuments
from zonekeeper.zone.ledger import Movement, Posting
from zonekeeper.zone.weekly import Week, weekly_entry

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench import ledger_bench  # noqa: E402

from zk_cli import run_main  # noqa: E402

FIRST = dt.date(2026, 8, 3)
WEEKS = [Week.of(FIRST + dt.timedelta(days=7 * n)) for n in range(5)]


@pytest.fixture
def books_url(database_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(ledger_bench, "PER_DAY", 80)  # 2,800 events: five weeks
    work = ledger_bench.workload(2_800)
    with Ledger.init(database_url, "1", "bench", "FIFO") as books:
        books.load_master(work.parts, work.boms)
        books.post_many([work.events[i : i + 700] for i in range(0, len(work.events), 700)])
        with books.engine.connect() as connection:
            shipped = [(seq, orjson.loads(p)) for seq, _, p in reads.event_payloads(
                connection, "1", "shipment", since=WEEKS[1].start, until=WEEKS[1].end)]
        seq = next(s for s, p in shipped if p["disposition"] == "consumption")
        books.correct(seq, "posted in error")
        filing_service.record(books, [Filing(WEEKS[0].end + dt.timedelta(days=3),
                                             ENTRY_SUMMARY, "ES-1", str(WEEKS[0]))])
    return database_url


def _whole_books(url: str, since: dt.date | None, until: dt.date | None) -> er.Books:
    """The books as the entries read them before: every lot, every posting in the period."""
    with Ledger.open(url, pf_rule=None) as ledger, ledger.snapshot() as snapshot:
        c, zone = snapshot.connection, snapshot.head.zone
        state = snapshot.state()
        shipped = tuple(
            p for p in (codec.loads(Posting, t)
                        for t in reads.posting_texts(c, zone, since=since, until=until))
            if p.movement is Movement.SHIPPED and p.kind == "shipment"
        )
        producing = {state.lots[p.lot].seq for p in shipped if state.lots[p.lot].produced}
        runs: dict[int, list[Posting]] = defaultdict(list)
        for posting in reads.postings_of_events(c, zone, producing):
            runs[posting.seq].append(posting)
        numbers = {seq: str(orjson.loads(payload)["ref"]) for seq, _, payload in
                   reads.event_payloads(c, zone, "shipment", ordered=False, since=since,
                                        until=until)}
        return er.Books(zone, state, (), numbers, shipped, {k: tuple(v) for k, v in runs.items()},
                        tuple(reads.all_discrepancies(c, zone)), reads.first_event_date(c, zone),
                        snapshot.head)


def _every_consumption_week(url: str, until: dt.date, corrected: frozenset[int]) -> frozenset[Week]:
    with Ledger.open(url, pf_rule=None) as ledger, ledger.engine.connect() as c:
        return frozenset(Week.of(day) for seq, day in reads.event_dates_containing(
            c, "1", "shipment", '"disposition":"consumption"', until=until)
            if seq not in corrected)


def test_each_week_reads_as_the_whole_books_give_it(books_url: str) -> None:
    tariff = default_tariff()
    for week in WEEKS:
        mine = er.read_books(books_url, since=week.start, until=week.end)
        whole = _whole_books(books_url, week.start, week.end)
        assert len(mine.state.lots) < len(whole.state.lots)  # it read only what it needs
        assert mine.state.corrected == whole.state.corrected != frozenset()
        removed = er.removals(mine, since=week.start, until=week.end)
        assert removed == er.removals(whole, since=week.start, until=week.end) != []
        entry = entries.weekly(Context(books_url), str(week)).value
        assert entry == weekly_entry(week, removed, TariffQuoter(tariff), tariff.fees,
                                     zone="1")
        assert entry.removals > 0


@pytest.mark.parametrize("days_after", [0, 10, 40, 200])
def test_open_alerts_are_those_the_whole_books_give(books_url: str, days_after: int) -> None:
    as_of = WEEKS[-1].end + dt.timedelta(days=days_after)
    estimates = [er.estimate(books_url, week, WEEKS[0]).value for week in WEEKS[1:]]
    for filed in ((), estimates):
        mine = er.open_alerts(books_url, as_of, estimates=filed).value
        whole = _whole_books(books_url, as_of - er.ALERT_LOOKBACK, as_of)
        corrected = whole.state.corrected
        with Ledger.open(books_url, pf_rule=None) as ledger, ledger.engine.connect() as c:
            recorded = FiledDocuments.of(filing_service.read_filings(c, "1", corrected), as_of)
        expected = alerts(AlertInputs(
            as_of=as_of, removals=er.removals(whole, until=as_of), estimates=filed,
            summaries_filed=recorded.weeks_summarized,
            supplementals_filed=recorded.weeks_supplemented,
            consumption_weeks=_every_consumption_week(books_url, as_of, corrected),
            zone_opened=whole.opened, reconciliations_done=recorded.reconciliations,
            certifications_done=recorded.certifications, filings_tracked=True,
        ))
        assert mine == expected
        kinds = {a.kind for a in mine}
        assert "entry_summary_due" in kinds
        assert str(WEEKS[0]) not in {a.subject for a in mine}  # its summary is filed
        if filed and days_after < 60:  # the removals are within the look back
            assert "estimate_exceeded" in kinds


def test_the_command_line_prints_what_the_whole_books_give(
    books_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`zonekeeper alerts --json` and `zonekeeper entry weekly --json` (the use cases the
    dashboard's panels call) print the documents made from the whole books."""
    tariff = default_tariff()
    as_of = WEEKS[-1].end + dt.timedelta(days=10)
    whole = _whole_books(books_url, as_of - er.ALERT_LOOKBACK, as_of)
    corrected = whole.state.corrected
    with Ledger.open(books_url, pf_rule=None) as ledger, ledger.engine.connect() as c:
        recorded = FiledDocuments.of(filing_service.read_filings(c, "1", corrected), as_of)
    expected = alerts(AlertInputs(
        as_of=as_of, removals=er.removals(whole, until=as_of),
        summaries_filed=recorded.weeks_summarized,
        supplementals_filed=recorded.weeks_supplemented,
        consumption_weeks=_every_consumption_week(books_url, as_of, corrected),
        zone_opened=whole.opened, reconciliations_done=recorded.reconciliations,
        certifications_done=recorded.certifications, filings_tracked=True,
    ))
    code, out, err = run_main(monkeypatch, capsys, "--database-url", books_url, "alerts",
                              "--as-of", str(as_of), "--json")
    assert code == 0, err
    printed, _ = json.JSONDecoder().raw_decode(out)
    assert printed == json.loads(json.dumps(
        AlertsDoc.of(expected, as_of, whole.head).document()))
    week = WEEKS[2]
    books = _whole_books(books_url, week.start, week.end)
    entry = weekly_entry(week, er.removals(books, since=week.start, until=week.end),
                         TariffQuoter(tariff), tariff.fees, zone="1")
    code, out, err = run_main(monkeypatch, capsys, "--database-url", books_url, "entry",
                              "weekly", "--week", str(week), "--json")
    assert code == 0, err
    printed, _ = json.JSONDecoder().raw_decode(out)
    assert printed == json.loads(json.dumps(WeeklyEntryDoc.of(entry, books.head).document()))
