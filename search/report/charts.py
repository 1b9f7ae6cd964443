"""Charts of a report as inline SVG, drawn by matplotlib (no pyplot, no display, no network).

`bar_chart` draws the per-year counts of a question, `heat_map` a model origin × author
country matrix; both return an ``<svg>`` element to paste into the HTML, with the
numbers written on the bars and cells so the picture and the tables can be compared.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

_COLOR = "#3465a4"
_LIGHT = "#c9d6ea"


def _figure(width: float, height: float):
    import matplotlib

    matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text (small, searchable)
    matplotlib.rcParams["svg.hashsalt"] = "paperscope"  # stable ids between runs
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=100)


def _svg(fig) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    text = buf.getvalue()
    start = text.find("<svg")
    svg = text[start:]
    return re.sub(r"<svg ", '<svg role="img" class="chart-svg" ', svg, count=1)


def bar_chart(
    labels: Sequence[str], values: Sequence[int], totals: Sequence[int] | None, title: str
) -> str:
    """Bars of `values` per label (years), light bars of `totals` behind them when given."""
    fig = _figure(max(3.2, 0.55 * len(labels) + 1.6), 2.6)
    ax = fig.add_subplot()
    x = list(range(len(labels)))
    if totals is not None:
        ax.bar(x, totals, color=_LIGHT, label="population")
    bars = ax.bar(x, values, color=_COLOR, label="matching")
    ax.bar_label(bars, labels=[str(v) for v in values], fontsize=8, padding=2)
    ax.set_xticks(x, labels, fontsize=8, rotation=45 if len(labels) > 8 else 0)
    ax.set_ylabel("papers", fontsize=8)
    ax.set_title(title, fontsize=9)
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(axis="y", labelsize=8)
    if totals is not None:
        ax.legend(fontsize=7, frameon=False)
    if not labels:
        ax.text(0.5, 0.5, "no papers", ha="center", va="center", transform=ax.transAxes)
    return _svg(fig)


def heat_map(
    rows: Sequence[str], columns: Sequence[str], counts: Sequence[Sequence[int]], title: str
) -> str:
    """A heat map with each cell's count written in it."""
    fig = _figure(max(3.5, 0.55 * len(columns) + 1.8), max(2.0, 0.45 * len(rows) + 1.2))
    ax = fig.add_subplot()
    if rows and columns:
        image = ax.imshow([list(r) for r in counts], cmap="Blues", aspect="auto")
        top = max((max(r) for r in counts), default=0) or 1
        for i, row in enumerate(counts):
            for j, value in enumerate(row):
                color = "white" if value > top * 0.6 else "black"
                ax.text(j, i, str(value), ha="center", va="center", fontsize=8, color=color)
        fig.colorbar(image, ax=ax, shrink=0.8).ax.tick_params(labelsize=7)
    else:
        ax.text(0.5, 0.5, "no papers", ha="center", va="center", transform=ax.transAxes)
    ax.set_xticks(range(len(columns)), columns, fontsize=8)
    ax.set_yticks(range(len(rows)), rows, fontsize=8)
    ax.set_xlabel("author country", fontsize=8)
    ax.set_ylabel("model origin", fontsize=8)
    ax.set_title(title, fontsize=9)
    return _svg(fig)
