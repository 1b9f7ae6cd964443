"""The main screen: query bar, facet panels with live counts, results table, status line.

The screen owns the one piece of state, the current `Filters`; every widget event
changes it and re-runs the query in a thread worker (exclusive, so a newer query
supersedes an older one). All numbers come from `search.library` / `search.browse`.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer
from textual.worker import get_current_worker

from search.browse import FACETS, facet_counts, list_hits, selected, toggle
from search.errors import PaperscopeError
from search.filters import Filters
from search.results import FacetCount
from search.review_queue import review_marks
from tui.facet_panel import FacetPanel
from tui.labels import country_label, model_label
from tui.messages import (
    FacetModeToggled,
    FacetToggled,
    PaperSelected,
    QueryFailed,
    ResultsLoaded,
    SearchSubmitted,
)
from tui.query_bar import DEBOUNCE_SECONDS, QueryBar
from tui.results_table import NARROW_SCREEN, ResultsTable
from tui.status_bar import StatusBar

if TYPE_CHECKING:
    from search.library import Library

RESULT_LIMIT = 200
"""Rows the results table holds (the status line always shows the full count)."""
FACET_SIZE = 25
"""Values listed per facet (selected values are always listed too)."""
BUSY_AFTER_SECONDS = 0.2
"""A query still running after this long marks the status line busy."""


_TITLES = {
    "country": ("Country", country_label),
    "model": ("Model", model_label),
    "model_version": ("Model version", str),  # ids as `--model` takes them: gpt/4o
    "model_origin": ("Model origin", country_label),
    "institution": ("Institution", str),
    "year": ("Year", str),
    "venue": ("Venue", str),
}
_MODE_KEYS = {"country": "f2", "model": "f3", "model_version": "f3"}


class SearchScreen(Screen):
    """Query → facets → results; Enter on a result opens its evidence."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f5", "toggle_facets", "Facets"),  # only on a narrow terminal (check_action)
        Binding("escape", "focus_query", "Back to the query bar", show=False),
        Binding("f2", "toggle_countries_mode", "Any/all countries"),
        Binding("f3", "toggle_mentions", "Used/mentioned"),
        Binding("f4", "charts", "Charts"),
        Binding("f7", "tables", "Tables", show=False),
        Binding("ctrl+s", "export('csv')", "Export"),
        Binding("ctrl+r", "reset", "Reset"),
        Binding("ctrl+o", "open_selected", "Open the paper under the cursor", show=False),
        Binding("f6", "review_queue", "Review the claims behind the query", show=False),
    ]

    def __init__(
        self, library: Library, index_total: int, *, debounce: float = DEBOUNCE_SECONDS
    ) -> None:
        super().__init__(id="search")
        self.library = library
        self.index_total = index_total
        self.debounce = debounce
        self.filters = Filters()
        self.results: ResultsLoaded | None = None
        self.generation = 0
        """Incremented each time results are shown (tests and the benchmark wait on it)."""
        self.shown_at = 0.0
        """`time.perf_counter()` when results were last shown."""
        self._busy_timer: Timer | None = None
        self._focus_query_on_resume = False

    def compose(self) -> ComposeResult:
        yield StatusBar()
        yield QueryBar(debounce=self.debounce)
        with Horizontal(id="body"):
            with VerticalScroll(id="facets", can_focus=False):
                for facet in FACETS:
                    title, labeler = _TITLES[facet]
                    yield FacetPanel(
                        facet, title, labeler=labeler, mode_key=_MODE_KEYS.get(facet, "")
                    )
            yield ResultsTable()
        yield Footer()

    def on_mount(self) -> None:
        self._show_modes()
        self.query_one(StatusBar).show(self.filters, self.index_total, self.index_total, busy=True)
        self.run_query()
        self.query_one(QueryBar).input.focus()

    # -- state changes --------------------------------------------------------------

    def set_filters(self, filters: Filters) -> None:
        """Make `filters` current and run them."""
        self.filters = filters
        self._show_modes()
        self.run_query()

    def run_query(self) -> None:
        """Run the current filters in a worker; results arrive as `ResultsLoaded`."""
        if self._busy_timer is not None:
            self._busy_timer.stop()
        self._busy_timer = self.set_timer(BUSY_AFTER_SECONDS, self._show_busy)
        self._query(self.filters)

    def _show_busy(self) -> None:
        total = self.results.total if self.results else self.index_total
        self.query_one(StatusBar).show(self.filters, total, self.index_total, busy=True)

    def _done(self) -> None:
        if self._busy_timer is not None:
            self._busy_timer.stop()
            self._busy_timer = None
        self.generation += 1
        self.shown_at = time.perf_counter()

    @work(thread=True, exclusive=True, group="query")
    def _query(self, filters: Filters) -> None:
        worker = get_current_worker()
        start = time.perf_counter()
        try:
            total = self.library.count(filters)
            hits = list_hits(self.library, filters, limit=RESULT_LIMIT)
            facets = facet_counts(self.library, filters, size=FACET_SIZE)
            marks = review_marks(self.library, [h.paper_id for h in hits])
            _warm_labels(facets)
        except PaperscopeError as exc:
            if not worker.is_cancelled:
                self.post_message(QueryFailed(filters, str(exc)))
            return
        if not worker.is_cancelled:
            seconds = time.perf_counter() - start
            self.post_message(ResultsLoaded(filters, total, hits, facets, seconds, marks))

    def _show_modes(self) -> None:
        f = self.filters
        self.query_one("#facet-country", FacetPanel).set_mode(
            "all of" if f.all_countries else "any of"
        )
        self.query_one("#facet-model", FacetPanel).set_mode(
            "any mention" if f.mentioned else "used"
        )
        self.query_one("#facet-model_version", FacetPanel).set_mode(
            "any mention" if f.mentioned else "used"
        )
        self.query_one("#facet-model_origin", FacetPanel).set_mode(
            "any mention" if f.mentioned else "used"
        )

    # -- events ---------------------------------------------------------------------

    def on_search_submitted(self, event: SearchSubmitted) -> None:
        if event.query.strip() != self.filters.query or self.results is None:
            self.set_filters(replace(self.filters, query=event.query.strip()))

    def on_facet_toggled(self, event: FacetToggled) -> None:
        self.set_filters(toggle(self.filters, event.facet, event.value))

    def on_facet_mode_toggled(self, event: FacetModeToggled) -> None:
        if event.facet == "country":
            self.action_toggle_countries_mode()
        elif event.facet in ("model", "model_version"):
            self.action_toggle_mentions()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle_facets":
            return self.has_class("-narrow")  # wide terminals always show the facets
        return True

    def on_resize(self, event: events.Resize) -> None:
        # Below NARROW_SCREEN columns the facets collapse (f5 shows them): the results
        # table keeps room for titles, countries and models.
        self.set_class(event.size.width < NARROW_SCREEN, "-narrow")
        self.refresh_bindings()

    def on_results_loaded(self, event: ResultsLoaded) -> None:
        if event.filters != self.filters:
            return  # superseded while it ran
        self.results = event
        self.query_one("#body").remove_class("-stale")
        self.query_one(QueryBar).show_error("")
        self.query_one(StatusBar).show(event.filters, event.total, self.index_total)
        for facet, counts in event.facets.items():
            self.query_one(f"#facet-{facet}", FacetPanel).show(
                counts, selected(event.filters, facet)
            )
        self.query_one(ResultsTable).show(event.hits, event.marks)
        self._done()

    def on_query_failed(self, event: QueryFailed) -> None:
        if event.filters != self.filters:
            return
        self.query_one(QueryBar).show_error(event.error)
        self.query_one(StatusBar).show(self.filters, None, self.index_total)
        # The previous results answer another question: clear them, grey the facets.
        self.query_one(ResultsTable).show([])
        self.query_one("#body").add_class("-stale")
        self._done()

    def on_paper_selected(self, event: PaperSelected) -> None:
        self.open_paper(event.paper_id)

    def on_screen_resume(self) -> None:
        if self._focus_query_on_resume:  # back from the charts: typing goes to the query
            self._focus_query_on_resume = False
            self.action_focus_query()
        # Back from a paper or the review queue: verdicts may have changed counts and marks.
        if self.results is not None and self.library.review_log() is not None:
            self.run_query()

    # -- actions ----------------------------------------------------------------------

    def open_paper(self, paper_id: str) -> None:
        """Show one paper's evidence view."""
        from tui.paper_screen import PaperScreen

        self.app.push_screen(PaperScreen(self.library, paper_id, self.filters))

    def action_open_selected(self) -> None:
        """Open the paper under the results cursor."""
        if paper_id := self.query_one(ResultsTable).selected_paper:
            self.open_paper(paper_id)
        else:
            self.notify("No paper to open: the results are empty.", severity="warning")

    def action_focus_query(self) -> None:
        """Move the focus to the query bar."""
        self.query_one(QueryBar).input.focus()

    def action_focus_results(self) -> None:
        """Move the focus to the results table."""
        self.query_one(ResultsTable).focus()

    def action_toggle_countries_mode(self) -> None:
        """Countries: match any of the selected, or all of them (collaborations)."""
        self.set_filters(replace(self.filters, all_countries=not self.filters.all_countries))

    def action_toggle_mentions(self) -> None:
        """Models: count papers that use them, or that mention them at all."""
        self.set_filters(replace(self.filters, mentioned=not self.filters.mentioned))

    def action_reset(self) -> None:
        """Clear the query and every facet selection."""
        self.query_one(QueryBar).set_value("")
        self.set_filters(Filters())

    def action_review_queue(self) -> None:
        """Walk the unreviewed claims behind the current query (v/r/u, s skip, o PDF)."""
        from tui.review_screen import ReviewScreen

        self.app.push_screen(ReviewScreen(self.library, self.filters))

    def action_charts(self) -> None:
        """Charts of the current matches: papers per country, models by author country."""
        from tui.chart_screen import ChartScreen

        self._focus_query_on_resume = True
        self.app.push_screen(ChartScreen(self.library, self.filters))

    def action_tables(self) -> None:
        """Group-by tables and adoption matrices of the current matches (`search table`)."""
        from tui.table_screen import TableScreen

        self.app.push_screen(TableScreen(self.library, self.filters))

    def action_toggle_facets(self) -> None:
        """Show or hide the facet sidebar (it starts hidden on a narrow terminal)."""
        self.toggle_class("-facets-shown")

    def action_export(self, fmt: str = "csv") -> None:
        """Ask for a file name, then write the current matches to CSV or JSON."""
        from tui.export_dialog import ExportDialog

        self.app.push_screen(ExportDialog(fmt), self._export_to)

    def _export_to(self, path: object) -> None:
        if path is not None:
            self._export(self.filters, path)

    @work(thread=True, group="export")
    def _export(self, filters: Filters, path: object) -> None:
        from pathlib import Path

        from search.export import export_results

        target = Path(str(path)).expanduser().resolve()
        try:
            rows = export_results(self.library, filters, target)
        except PaperscopeError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", title="Export")
            return
        self.app.call_from_thread(self.notify, f"{rows} papers written to {target}", title="Export")


def _warm_labels(facets: dict[str, list[FacetCount]]) -> None:
    """Look display names up off the UI thread (the first look-up loads country data)."""
    for facet, counts in facets.items():
        labeler = _TITLES[facet][1]
        for fc in counts:
            labeler(fc.value)
