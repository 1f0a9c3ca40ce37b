"""`advise roi --html`: the report a finance manager reads without us — the verdict, the
savings by source and the cumulative cash as inline SVG charts, every figure's derivation.

The chart geometry is computed here from the RoiAdvice document (JSON form) and drawn by the
`advisor_roi.html` template: no script, nothing fetched when the page is opened.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from zonekeeper.io.documents import render_page
from zonekeeper.money import usd

CITATION = ("19 CFR 146 (zone status, entries), 19 CFR 24.23 (MPF), 19 USC 1313 (drawback), "
            "19 USC 81c(a) (waste)")
WIDTH = 640


def _bars(savings: list[dict[str, Any]]) -> dict[str, Any]:
    left = 150
    known = [Decimal(s["annualized"]) for s in savings if s["annualized"] is not None]
    top = max([abs(v) for v in known] + [Decimal(1)])
    items = []
    for i, s in enumerate(savings):
        value = s["annualized"]
        span = WIDTH - left - 110
        w = 0 if value is None else int(max(Decimal(0), Decimal(value)) / top * span)
        items.append({"label": s["kind"], "y": 6 + i * 26, "known": value is not None, "w": w,
                      "text": "" if value is None else usd(value)})
    return {"width": WIDTH, "height": 12 + 26 * len(savings), "left": left, "rows": items}


def _cash(points: list[str]) -> dict[str, Any]:
    values = [Decimal(p) for p in points]
    height, left, pad = 220, 40, 24
    high, low = max(values + [Decimal(0)]), min(values + [Decimal(0)])
    span = (high - low) or Decimal(1)
    step = (WIDTH - left - 40) / max(1, len(values) - 1)

    def y(v: Decimal) -> int:
        return int(pad + (high - v) / span * (height - 2 * pad))

    marks = [{"x": int(left + i * step), "y": y(v), "year": i, "text": usd(v)}
             for i, v in enumerate(values)]
    return {"width": WIDTH, "height": height, "left": left, "zero": y(Decimal(0)),
            "years": len(values) - 1, "marks": marks,
            "points": " ".join(f"{m['x']},{m['y']}" for m in marks)}


def roi_html(document: dict[str, Any]) -> str:
    """The report of one `advise roi` document (`RoiAdvice.document()`)."""
    return render_page("advisor_roi.html", zone="", citation=CITATION, books=None,
                       r=document, bars=_bars(document["savings"]),
                       cash=_cash(document["cumulative_cash"]))
