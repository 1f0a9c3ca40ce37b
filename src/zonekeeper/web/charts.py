"""Charts drawn on the server as inline SVG: no JavaScript, no library, readable offline.

A chart is one `<figure>`: the SVG (`role="img"`, a `<title>` and an `aria-label` naming
what it shows) and, for whoever cannot see it, the same numbers as a table. A value that
could not be computed is drawn as no bar and written "cannot compute" in the table (never
as 0). Numbers are placed by plain arithmetic; the text is escaped (`markupsafe`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup, escape

from zonekeeper.money import usd

WIDTH = 640
BAR_HEIGHT = 18
GAP = 6
LABEL_WIDTH = 170
VALUE_WIDTH = 110
# One colour per series, told apart also by the legend's order and the table.
COLOURS = ("#2b6cb0", "#dd6b20", "#2f855a", "#805ad5")


@dataclass(frozen=True)
class Series:
    """One series of numbers, a value per label (None: cannot be computed)."""

    name: str
    values: Sequence[Decimal | None]


def _number(value: Decimal | None, fmt: Callable[[Decimal], str]) -> str:
    return "cannot compute" if value is None else fmt(value)


def _table(title: str, labels: Sequence[str], series: Sequence[Series],
           fmt: Callable[[Decimal], str]) -> str:
    head = "".join(f'<th scope="col">{escape(s.name)}</th>' for s in series)
    rows = "".join(
        f'<tr><th scope="row">{escape(label)}</th>'
        + "".join(f'<td class="num">{escape(_number(s.values[i], fmt))}</td>' for s in series)
        + "</tr>"
        for i, label in enumerate(labels)
    )
    return (f'<details class="chart-data"><summary>The numbers of "{escape(title)}"</summary>'
            f'<table><thead><tr><th scope="col"></th>{head}</tr></thead>'
            f"<tbody>{rows}</tbody></table></details>")


def bars(title: str, labels: Sequence[str], series: Sequence[Series],
         fmt: Callable[[Decimal], str] = usd) -> Markup:
    """Horizontal bars, one group per label and one bar per series in it, scaled to the
    largest value (negative values are drawn from zero as zero-length bars and written)."""
    known = [v for s in series for v in s.values if v is not None]
    top = max([v for v in known if v > 0], default=Decimal(1))
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    group = len(series) * BAR_HEIGHT + GAP
    legend = 22 if len(series) > 1 else 0
    height = legend + len(labels) * group + GAP
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{WIDTH}" '
             f'height="{height}" viewBox="0 0 {WIDTH} {height}" '
             f'aria-label="{escape(title)}"><title>{escape(title)}</title>']
    if legend:
        for k, s in enumerate(series):
            x = LABEL_WIDTH + k * 150
            parts.append(f'<rect x="{x}" y="4" width="12" height="12" '
                         f'fill="{COLOURS[k % len(COLOURS)]}"/>'
                         f'<text x="{x + 16}" y="14" font-size="12">{escape(s.name)}</text>')
    for i, label in enumerate(labels):
        y0 = legend + i * group
        parts.append(f'<text x="{LABEL_WIDTH - 6}" y="{y0 + group / 2 + 2:.1f}" '
                     f'font-size="12" text-anchor="end">{escape(label)}</text>')
        for k, s in enumerate(series):
            value = s.values[i]
            y = y0 + k * BAR_HEIGHT
            length = 0.0 if value is None or value <= 0 else float(value / top) * plot
            text = _number(value, fmt)
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{y + 2}" width="{length:.1f}" '
                f'height="{BAR_HEIGHT - 4}" fill="{COLOURS[k % len(COLOURS)]}">'
                f"<title>{escape(f'{label}, {s.name}: {text}')}</title></rect>"
                f'<text x="{LABEL_WIDTH + length + 4:.1f}" y="{y + BAR_HEIGHT - 5}" '
                f'font-size="11">{escape(text)}</text>')
    parts.append("</svg>")
    return Markup(f'<figure class="chart">{"".join(parts)}'
                  f"<figcaption>{escape(title)}</figcaption>"
                  f"{_table(title, labels, series, fmt)}</figure>")


def lines(title: str, labels: Sequence[str], series: Sequence[Series],
          fmt: Callable[[Decimal], str] = usd) -> Markup:
    """Lines over the labels (left to right, e.g. weeks), from zero to the largest value; a
    value that cannot be computed breaks its line there."""
    height, pad = 220, 30
    known = [v for s in series for v in s.values if v is not None]
    top = max([v for v in known if v > 0], default=Decimal(1))
    plot_w = WIDTH - 2 * pad - 60
    step = plot_w / max(len(labels) - 1, 1)

    def y(v: Decimal) -> float:
        return height - pad - float(max(v, Decimal(0)) / top) * (height - 2 * pad)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{WIDTH}" '
             f'height="{height}" viewBox="0 0 {WIDTH} {height}" '
             f'aria-label="{escape(title)}"><title>{escape(title)}</title>',
             f'<line x1="{pad + 60}" y1="{height - pad}" x2="{WIDTH - pad}" '
             f'y2="{height - pad}" stroke="#999"/>',
             f'<text x="{pad + 56}" y="{pad + 4}" font-size="11" text-anchor="end">'
             f"{escape(fmt(top))}</text>"]
    for i, label in enumerate(labels):
        parts.append(f'<text x="{pad + 60 + i * step:.1f}" y="{height - 8}" font-size="11" '
                     f'text-anchor="middle">{escape(label)}</text>')
    for k, s in enumerate(series):
        colour = COLOURS[k % len(COLOURS)]
        run: list[str] = []
        for i, value in enumerate([*s.values, None]):
            if value is not None:
                run.append(f"{pad + 60 + i * step:.1f},{y(value):.1f}")
                continue
            if run:
                parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" '
                             f'points="{" ".join(run)}"/>')
            run = []
    parts.append("</svg>")
    return Markup(f'<figure class="chart">{"".join(parts)}'
                  f"<figcaption>{escape(title)}</figcaption>"
                  f"{_table(title, labels, series, fmt)}</figure>")
