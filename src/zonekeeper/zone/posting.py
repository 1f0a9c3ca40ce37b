"""The posting engine behind `ledger.post` (work in progress)."""

from __future__ import annotations

from collections.abc import Sequence

from zonekeeper.zone.events import Event
from zonekeeper.zone.ledger import DutyRule, PfRule, PostingsOf, PostResult, ZoneState


def run(
    state: ZoneState,
    events: Sequence[Event],
    *,
    pf_rule: PfRule | None,
    duty_rule: DutyRule | None,
    postings_of: PostingsOf | None,
) -> PostResult:
    raise NotImplementedError
