"""Bindings: where the real tariff meets the cores' seams.

The zone and drawback cores never import the tariff or the duty engine; they ask through
seams (`zone.entries.Quoter`, `zone.ledger.PfRule`/`DutyRule`, `drawback.ports`). The
adapters that answer those questions from a loaded `Tariff` live here, typed, each error
that can happen caught by its type and reported:

- `bindings.quoter`: `TariffQuoter` (the zone's `Quoter`) and `shortage_duty_rule` (the
  ledger's `duty_rule`, 19 CFR 146.53(a)(3));
- `bindings.pf_rule`: `TariffPfRule` (the ledger's `pf_rule`, 19 CFR 146.41, 15 CFR 400.13);
- `bindings.drawback`: `ScheduleDescriptions`, `TariffEstimator`, `MeasureBookPolicy` (the
  drawback ports, 19 CFR 190).

The shell (services, cli) builds them with what `zonekeeper.sources` loaded.
"""
