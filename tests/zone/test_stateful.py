"""Hypothesis stateful tests of the ledger's invariants (seeded, derandomized).

A machine posts random batches of every event kind (many of them invalid: a rejected batch
must leave the books exactly as they were) and checks after each batch:
- conservation: each lot's balance is the sum of its postings, per lot and status;
- no negative balance (146.23(b)(4));
- PF never becomes NPF (146.41(e)) except by correcting the status change that made it PF;
- every removal traces to an admission (146.24(a)(2));
- posting in several batches equals a rebuild posting all accepted events at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)
from zone_helpers import DOM, NPF, PF, START, ZR, dec, zone

from zonekeeper.zone.allocation import AllocationMethod
from zonekeeper.zone.composition import AdmissionRef
from zonekeeper.zone.events import (
    Admission,
    Correction,
    Count,
    Event,
    Manipulation,
    Production,
    Shipment,
    StatusChange,
    SuspenseReceipt,
)
from zonekeeper.zone.ledger import Movement, Posting, ZoneState
from zonekeeper.zone.posting import post
from zonekeeper.zone.status import ShipmentDisposition

PARTS = ("ENG", "CHS", "TIRE", "SEAT", "BOLT")
STATUSES = (PF, NPF, DOM, ZR)
REMOVALS = frozenset({Movement.SHIPPED, Movement.CONSUMED})


class ZoneBooks(RuleBasedStateMachine):
    state: ZoneState

    @initialize(method=st.sampled_from(list(AllocationMethod)))
    def open_zone(self, method: AllocationMethod) -> None:
        self.method = method
        self.state = zone(method)
        self.pending: list[Event] = []
        self.accepted: list[Event] = []
        self.postings: list[Posting] = []
        self.by_seq: dict[int, list[Posting]] = {}
        self.today = START
        self.counter = 0
        self.ever_pf: set[str] = set()

    # --- events ---------------------------------------------------------------------------

    def _date(self, step: int) -> dt.date:
        self.today += dt.timedelta(days=step)
        return self.today

    def _then(self, post_now: bool) -> None:
        if post_now:
            self.post_batch()

    def _stocked(self, part: str) -> tuple[str, Decimal]:
        """A part with stock on hand if there is one (so most removals are valid)."""
        stocked = sorted(
            {(lot.part, lot.balance) for lot in self.state.lots.values() if lot.balance > 0}
        )
        if not stocked:
            return part, Decimal(0)
        return stocked[hash(part) % len(stocked)]

    def _lot_ids(self) -> list[str]:
        """Lots with something on hand (most events then are valid), else any lot."""
        stocked = sorted(lot.id for lot in self.state.lots.values() if lot.balance > 0)
        return stocked or sorted(self.state.lots) or ["none"]

    def _has_lots(self) -> bool:
        return bool(self.state.lots)

    @rule(
        part=st.sampled_from(PARTS),
        qty=st.integers(1, 40),
        unit=st.integers(1, 90),
        status=st.sampled_from(STATUSES),
        step=st.integers(0, 2),
        from_suspense=st.booleans(),
        post_now=st.booleans(),
    )
    def admit(self, part, qty, unit, status, step, from_suspense, post_now):
        self.counter += 1
        ref = None
        if from_suspense and self.state.suspense:
            ref = sorted(self.state.suspense)[0]
        self.pending.append(
            Admission(
                f"A{self.counter}",
                1,
                self._date(step),
                part,
                dec(qty),
                dec(qty * unit) / 3,  # values with repeating decimals
                status,
                suspense_ref=ref,
            )
        )
        self._then(post_now)

    @rule(status=st.sampled_from(STATUSES), qty=st.integers(2, 12), step=st.integers(0, 2))
    def stock_for_production(self, status, qty, step):
        """Admit every component of the car and the rack in one batch."""
        on = self._date(step)
        for part in PARTS:
            self.counter += 1
            value = dec(qty * 11) / 7
            self.pending.append(
                Admission(f"A{self.counter}", 1, on, part, dec(qty * 5), value, status)
            )
        self.post_batch()

    @precondition(lambda self: self._has_lots())
    @rule(
        data=st.data(),
        part=st.sampled_from(PARTS),
        qty=st.integers(1, 50),
        disposition=st.sampled_from(list(ShipmentDisposition)),
        status=st.none() | st.sampled_from(STATUSES),
        step=st.integers(0, 2),
        post_now=st.booleans(),
    )
    def ship(self, data, part, qty, disposition, status, step, post_now):
        part, on_hand = self._stocked(part)
        if on_hand > 0 and qty > 5:
            qty = int(on_hand) // 2 + 1
        lot = None
        if self.method is AllocationMethod.SPECIFIC:
            lot = data.draw(st.sampled_from(self._lot_ids()))
            found = self.state.lots.get(lot)
            part = found.part if found else part
        self.pending.append(
            Shipment(self._date(step), "S", part, dec(qty), disposition, dec(qty * 7), status, lot)
        )
        self._then(post_now)

    @precondition(lambda self: self._has_lots())
    @rule(data=st.data(), status=st.sampled_from(STATUSES), post_now=st.booleans())
    def change_status(self, data, status, post_now):
        lot = data.draw(st.sampled_from(self._lot_ids()))
        found = self.state.lots.get(lot)
        if found is not None and data.draw(st.booleans()):
            # mostly a change the law allows: NPF -> PF, else -> ZR
            status = PF if found.status is NPF and not found.produced else ZR
        self.pending.append(StatusChange(self._date(0), lot, status))
        self._then(post_now)

    def _pf_lots(self) -> list[str]:
        return sorted(
            lot.id for lot in self.state.lots.values() if lot.status is PF and lot.balance > 0
        )

    @precondition(lambda self: bool(self._pf_lots()))
    @rule(data=st.data(), to=st.sampled_from([NPF, DOM]))
    def try_to_abandon_pf(self, data, to):
        """A PF lot asked to become NPF or D, in a batch of its own."""
        self.post_batch()
        if not self._pf_lots():
            return  # the flushed batch emptied them
        lot = data.draw(st.sampled_from(self._pf_lots()))
        self.pending = [StatusChange(self._date(0), lot, to)]
        self.post_batch()

    @precondition(lambda self: self._has_lots())
    @rule(
        data=st.data(),
        qty=st.integers(1, 3),
        status=st.sampled_from([None, None, None, *STATUSES]),
        post_now=st.booleans(),
    )
    def produce(self, data, qty, status, post_now):
        self.counter += 1
        lots: tuple[str, ...] = ()
        if self.method is AllocationMethod.SPECIFIC:
            lots = tuple(data.draw(st.lists(st.sampled_from(self._lot_ids()), max_size=8)))
        product = data.draw(st.sampled_from(["CAR", "RACK", "RACK"]))
        self.pending.append(
            Production(self._date(1), f"R{self.counter}", product, dec(qty), None, status, lots)
        )
        self._then(post_now)

    @precondition(lambda self: self._has_lots())
    @rule(data=st.data(), delta=st.integers(-5, 3), theft=st.booleans(), post_now=st.booleans())
    def count(self, data, delta, theft, post_now):
        lot = data.draw(st.sampled_from(self._lot_ids()))
        found = self.state.lots.get(lot)
        counted = max(Decimal(0), (found.balance if found else Decimal(0)) + delta)
        self.pending.append(Count(self._date(0), lot, counted, theft=theft))
        self._then(post_now)

    @precondition(lambda self: self._has_lots())
    @rule(data=st.data(), qty=st.integers(1, 10), new=st.booleans(), post_now=st.booleans())
    def manipulate(self, data, qty, new, post_now):
        lot = data.draw(st.sampled_from(self._lot_ids()))
        self.counter += 1
        new_lot = f"M{self.counter}" if new else None
        self.pending.append(Manipulation(self._date(0), lot, dec(qty), new_lot))
        self._then(post_now)

    @rule(part=st.sampled_from(PARTS), qty=st.integers(1, 20))
    def hold(self, part, qty):
        self.counter += 1
        self.pending.append(SuspenseReceipt(self._date(0), f"S{self.counter}", part, dec(qty)))

    @rule(data=st.data(), post_now=st.booleans())
    def correct(self, data, post_now):
        posted = sorted(self.by_seq)[-6:]
        if not posted:
            return
        target = data.draw(st.sampled_from(posted))
        self.pending.append(Correction(self._date(0), target, "test correction"))
        self._then(post_now)

    # --- posting --------------------------------------------------------------------------

    @rule()
    def post_batch(self):
        if not self.pending:
            return
        before = self.state
        result = post(before, self.pending, postings_of=lambda seq: self.by_seq.get(seq, []))
        event("batch rejected" if result.problems else "batch accepted")
        for problem in result.problems:
            event(f"refused: {problem.message[:40]}")
        if result.problems:
            assert result.state is before and result.postings == ()
            assert all(1 <= p.row <= len(self.pending) for p in result.problems)
        else:
            assert result.state.seq == before.seq + len(self.pending)
            self.accepted.extend(self.pending)
            self.postings.extend(result.postings)
            for p in result.postings:
                self.by_seq.setdefault(p.seq, []).append(p)
            self.state = result.state
            for kind in {p.kind for p in result.postings}:  # noqa: B007
                event(f"posted {kind}")
            self._check_rebuild()
        self.pending = []

    def _check_rebuild(self) -> None:
        rebuilt = post(zone(self.method), self.accepted)
        assert rebuilt.problems == ()
        # the same postings, except `row` (the position in its batch)
        assert [replace(p, row=0) for p in rebuilt.postings] == [
            replace(p, row=0) for p in self.postings
        ]
        assert rebuilt.state == self.state

    # --- invariants -----------------------------------------------------------------------

    @invariant()
    def quantity_is_conserved_per_lot_and_status(self):
        sums: dict[tuple[str, object], Decimal] = {}
        for p in self.postings:
            key = (p.lot, p.status)
            sums[key] = sums.get(key, Decimal(0)) + p.quantity
        for lot in self.state.lots.values():
            assert sums.get((lot.id, lot.status), Decimal(0)) == lot.balance
            for status in STATUSES:
                if status is not lot.status:
                    assert sums.get((lot.id, status), Decimal(0)) == 0
        on_hand = {
            (lot.part, lot.status): lot.balance
            for lot in self.state.lots.values()
            if lot.balance > 0
        }
        pooled = {
            key: sum((self.state.lots[e[2]].balance for e in entries), Decimal(0))
            for key, entries in self.state.pools.items()
        }
        for key in on_hand:
            on_hand[key] = sum(
                (x.balance for x in self.state.lots.values() if (x.part, x.status) == key),
                Decimal(0),
            )
        assert pooled == on_hand

    @invariant()
    def pools_hold_exactly_the_lots_on_hand(self):
        # what `post` keeps incrementally equals the pools rebuilt from the lots alone
        rebuilt = ZoneState.with_lots(
            self.state.zone, self.state.method, self.state.master, self.state.lots.values()
        )
        assert dict(self.state.pools) == dict(rebuilt.pools)

    @invariant()
    def no_negative_balance(self):
        for lot in self.state.lots.values():
            assert lot.balance >= 0
            assert lot.value_on_hand >= Decimal("-1e-20")

    @invariant()
    def pf_never_becomes_npf(self):
        for p in self.postings:
            if p.kind == "status_change" and p.movement is Movement.STATUS_IN:
                assert p.status in (PF, ZR)
            if p.kind == "correction" and p.movement is Movement.STATUS_OUT and p.status is not PF:
                self.ever_pf.discard(p.lot)  # the status change to PF was itself corrected
        for lot in self.state.lots.values():
            if lot.status is PF:
                self.ever_pf.add(lot.id)
        for lot_id in self.ever_pf:
            assert self.state.lots[lot_id].status in (PF, ZR)

    @invariant()
    def every_removal_traces_to_an_admission(self):
        admitted = {
            AdmissionRef(p.lot.split("/")[0], 1)
            for p in self.postings
            if p.movement is Movement.RECEIPT
        }
        for p in self.postings:
            if p.movement in REMOVALS and p.quantity < 0:
                assert p.admissions and set(p.admissions) <= admitted
                assert self.state.lots[p.lot].admissions == p.admissions


ZoneBooks.TestCase.settings = settings(
    max_examples=60,
    stateful_step_count=40,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestZoneBooks = ZoneBooks.TestCase
