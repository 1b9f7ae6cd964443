"""Charts of the current matches: papers per author country, models used by author country.

Each bar carries its value, the titles say how many bars are drawn ("top 5 of 12"), and
the y axis leaves room above the tallest bar for the legend, so it never covers a bar.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual_plotext import PlotextPlot

from search.errors import PaperscopeError
from search.filters import Filters
from tui.labels import model_label

if TYPE_CHECKING:
    import pandas as pd

    from search.library import Library
    from search.results import FacetCount

TOP_COUNTRIES = 15
TOP_MODELS = 8
"""Most models drawn; fewer on a narrow terminal, so each bar keeps room for its value."""
STACKED_COUNTRIES = 3
MODEL_GROUP_WIDTH = 16
"""Columns one model's group of bars needs to show a two-digit value over every bar."""


class ChartScreen(Screen):
    """Two bar charts for the current query and filters."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("f3", "toggle_mentions", "Used/mentioned"),
    ]

    def __init__(self, library: Library, filters: Filters) -> None:
        super().__init__(id="charts")
        self.library = library
        self.filters = filters
        self.mentioned = filters.mentioned

    def compose(self) -> ComposeResult:
        yield Static(f"$ {self.filters.command_line()}", id="chart-caption")
        yield PlotextPlot(id="countries-plot")
        yield PlotextPlot(id="models-plot")
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    def action_toggle_mentions(self) -> None:
        """Models chart: papers that use a model, or that mention it at all."""
        self.mentioned = not self.mentioned
        self.load()

    @work(thread=True, exclusive=True, group="charts")
    def load(self) -> None:
        """Fetch the numbers off the UI thread, then draw."""
        try:
            countries = self.library.facets(self.filters, fields=["country"], size=1000)
            # f3 decides, both ways: the screen may open on `--mentioned` filters.
            shown = replace(self.filters, mentioned=self.mentioned)
            table = self.library.adoption(shown)
            adoption = table.frame(unknown=False)
        except PaperscopeError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error")
            return
        self.app.call_from_thread(self.draw, countries["country"], adoption)

    def draw(self, all_countries: list[FacetCount], adoption: pd.DataFrame) -> None:
        """Draw both charts (`all_countries`: every author country, most papers first)."""
        plot = self.query_one("#countries-plot", PlotextPlot)
        plt = plot.plt
        plt.clear_figure()
        countries = all_countries[:TOP_COUNTRIES]
        plt.title(f"Papers per author country: {_top(len(countries), len(all_countries))}")
        if countries:
            values = [fc.count for fc in countries]
            plt.bar([fc.value for fc in countries], values)
            _label_bars(plt, [values], _rows(plot), legend_rows=0)
        plot.refresh()

        plot = self.query_one("#models-plot", PlotextPlot)
        plt = plot.plt
        plt.clear_figure()
        verb = "mentioned" if self.mentioned else "used"
        if adoption.empty:
            plt.title(f"Papers per model {verb}, by author country: none [f3]")
        else:
            fit = max(3, min(TOP_MODELS, (plot.size.width - 6) // MODEL_GROUP_WIDTH))
            frame = adoption.iloc[:fit, :STACKED_COUNTRIES]
            models = _top(len(frame.index), len(adoption.index), "models")
            where = _top(len(frame.columns), len(adoption.columns), "countries")
            title = f"Papers per model {verb}, by author country: {models}, {where} [f3]"
            if len(title) > plot.size.width - 4:  # plotext drops a title that does not fit
                title = f"Models {verb} by author country: {models}, {where}"
            plt.title(title)
            labels = [model_label(m) for m in frame.index]
            series = [[int(v) for v in frame[c]] for c in frame.columns]
            plt.multiple_bar(labels, series, labels=[str(c) for c in frame.columns])
            _label_bars(plt, series, _rows(plot), legend_rows=len(series))
        plot.refresh()


def _top(drawn: int, total: int, what: str = "countries") -> str:
    """ "top 5 of 12 countries", or "all 3 countries" when every one is drawn."""
    if drawn >= total:
        return f"all {total} {what}"
    return f"top {drawn} of {total} {what}"


def _rows(plot: PlotextPlot) -> int:
    """Rows of the plot area: the widget less its title, frame and x labels."""
    return max(2, plot.size.height - 4)


def _label_bars(plt: object, series: list[list[int]], rows: int, legend_rows: int) -> None:
    """Write each bar's value above it and keep the top `legend_rows` rows free of bars.

    Bars of series ``i`` sit at ``x + offset_i`` as plotext's multiple_bar places them.
    """
    top = max((v for values in series for v in values), default=0)
    # The legend's lines, plus two for the values: a bar's top row is rounded up.
    free = legend_rows + 2
    upper = max(top, 1) * rows / max(rows - free, 1)
    unit = upper / rows
    n = len(series)
    offsets = [-0.5 + (2 * i + 1) / (2 * n) for i in range(n)] if n > 1 else [0.0]
    for values, offset in zip(series, offsets, strict=True):
        for x, v in enumerate(values, 1):
            if v:
                plt.text(str(v), x + offset, v + 1.2 * unit, alignment="center")
    plt.ylim(0, upper)
    plt.yticks(_integer_ticks(top))


def _integer_ticks(top: int, most: int = 6) -> list[int]:
    """At most `most` whole-number ticks from 0 to `top` (paper counts are integers)."""
    step = max(1, -(-top // (most - 1)))
    return list(range(0, top + step, step))
