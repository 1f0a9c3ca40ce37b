"""Opportunities in an importer's own entry data (issue 14): pure core, on the core floor.

The entry lines come in as plain records (`records.EntryLine`, read by `io.es003`); the
tariff is reached only through the `ports.Pricer` seam (`bindings.analytics` answers it with
the duty engine). Each finder returns `findings.Opportunity` values: an amount (the duty at
stake, or None with the reason), the evidence, the risk and the action to take.

- `quality`: the data-quality report (19 U.S.C. 1484(a) reasonable care: the entry data the
  importer attested to);
- `preference`: a preference the line could have claimed and did not (HTSUS General Notes);
- `ieepa`: refunds of the IEEPA duties struck down on 2026-02-20, with the route and deadline
  by liquidation (19 U.S.C. 1514, 1520) and interest (19 U.S.C. 1505(c));
- `rate_change`: what the tariff in force today changes on last year's lines;
- `first_sale`: lines bought through a middleman (19 U.S.C. 1401a(b)(1); Nissho Iwai);
- `classification`: a classifier's alternative with a lower duty, for a broker's review
  (the classifier comes in as a `Suggest` callable).

Drawback and zone findings rest on those areas' use cases and are made by the application
(`app.opportunity_kinds`).
"""
