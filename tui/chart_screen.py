"""Charts of the current matches: papers per author country, models used by author country."""

from __future__ import annotations

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
STACKED_COUNTRIES = 5


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
            countries = self.library.facets(self.filters, fields=["country"], size=TOP_COUNTRIES)
            table = self.library.adoption(self.filters, mentioned=self.mentioned)
            adoption = table.frame(unknown=False)
        except PaperscopeError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error")
            return
        self.app.call_from_thread(self.draw, countries["country"], adoption)

    def draw(self, countries: list[FacetCount], adoption: pd.DataFrame) -> None:
        """Draw both charts."""
        plot = self.query_one("#countries-plot", PlotextPlot)
        plt = plot.plt
        plt.clear_figure()
        plt.title("Papers per author country")
        if countries:
            plt.bar([fc.value for fc in countries], [fc.count for fc in countries])
            plt.yticks(_integer_ticks(max(fc.count for fc in countries)))
        plot.refresh()

        plot = self.query_one("#models-plot", PlotextPlot)
        plt = plot.plt
        plt.clear_figure()
        verb = "mentioned" if self.mentioned else "used"
        plt.title(f"Papers per model {verb}, by author country (top {STACKED_COUNTRIES}) [f3]")
        if not adoption.empty:
            frame = adoption.iloc[:TOP_MODELS, :STACKED_COUNTRIES]
            labels = [model_label(m) for m in frame.index]
            series = [[int(v) for v in frame[c]] for c in frame.columns]
            plt.multiple_bar(labels, series, labels=[str(c) for c in frame.columns])
            plt.yticks(_integer_ticks(int(frame.to_numpy().max())))
        plot.refresh()


def _integer_ticks(top: int, most: int = 6) -> list[int]:
    """At most `most` whole-number ticks from 0 to `top` (paper counts are integers)."""
    step = max(1, -(-top // (most - 1)))
    return list(range(0, top + step, step))
