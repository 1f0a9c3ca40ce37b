"""Charts as inline SVG made on the server: no script library, readable offline, and each
bar carries its value as text and a <title> for screen readers."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape

from markupsafe import Markup

from zonekeeper.money import usd

WIDTH, BAR, GAP, LABEL = 560, 26, 10, 60


def bar_chart(bars: Sequence[tuple[str, Decimal]], *, title: str) -> Markup:
    """Horizontal bars of money amounts, one per label, scaled to the largest."""
    if not bars:
        return Markup("")
    top = max((v for _, v in bars), default=Decimal(0)) or Decimal(1)
    span = WIDTH - LABEL - 120
    height = len(bars) * (BAR + GAP) + GAP
    parts = [f'<svg class="chart" role="img" aria-label="{escape(title)}" '
             f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}">',
             f"<title>{escape(title)}</title>"]
    for i, (label, value) in enumerate(bars):
        y = GAP + i * (BAR + GAP)
        length = max(1, int(span * max(value, Decimal(0)) / top))
        text = f"{label}: {usd(value)}"
        parts.append(
            f'<g><title>{escape(text)}</title>'
            f'<text x="0" y="{y + BAR * 0.7:.0f}" class="chart-label">{escape(label)}</text>'
            f'<rect x="{LABEL}" y="{y}" width="{length}" height="{BAR}" '
            f'class="bar bar-{escape(label.lower())}"/>'
            f'<text x="{LABEL + length + 6}" y="{y + BAR * 0.7:.0f}" class="chart-value">'
            f"{escape(usd(value))}</text></g>")
    parts.append("</svg>")
    return Markup("".join(parts))
