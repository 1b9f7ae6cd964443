"""The command palette provider: every action of the current screen, and facet values.

Typing in the palette (ctrl+p) finds actions by name ("export json", "charts") and
facet values with their live counts ("country China 12"), so anything the keys do
can also be found by name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

Command = tuple[str, str, Callable[[], object]]


class PaperscopeCommands(Provider):
    """Commands for the search, paper and chart screens."""

    def _commands(self) -> Iterator[Command]:
        from tui.chart_screen import ChartScreen
        from tui.paper_screen import PaperScreen
        from tui.search_screen import SearchScreen
        from tui.table_screen import TableScreen

        screen = self.screen
        app = self.app
        if isinstance(screen, SearchScreen):
            yield ("Focus query", "Move to the query bar", screen.action_focus_query)
            yield (
                "Toggle countries any/all",
                "Match any selected country, or all of them (collaborations)",
                screen.action_toggle_countries_mode,
            )
            yield (
                "Toggle models used/mentioned",
                "Count papers that use a model, or any mention of it",
                screen.action_toggle_mentions,
            )
            yield ("Charts", "Papers per country; models by author country", screen.action_charts)
            yield (
                "Tables",
                "Group-by tables and adoption matrices with totals (search table)",
                screen.action_tables,
            )
            yield (
                "Show/hide facets",
                "The facet sidebar (hidden at first on a narrow terminal)",
                screen.action_toggle_facets,
            )
            yield (
                "Export results as CSV",
                "Write the matches to a CSV file",
                partial(screen.action_export, "csv"),
            )
            yield (
                "Export results as JSON",
                "Write the matches to a JSON file",
                partial(screen.action_export, "json"),
            )
            yield (
                "Reset filters",
                "Clear the query and every facet selection",
                screen.action_reset,
            )
            yield (
                "Open selected paper",
                "Evidence view of the paper under the cursor",
                screen.action_open_selected,
            )
            yield (
                "Review queue",
                "Judge the unreviewed claims behind the query, one key per verdict (f6)",
                screen.action_review_queue,
            )
            from tui.results_table import COLUMNS, ResultsTable

            table = screen.query_one(ResultsTable)
            for label, key, _width in COLUMNS:
                name = "rank" if key == "rank" else label
                yield (
                    f"Sort results by {name}",
                    "Sort the results table (again: reverse)",
                    partial(table.sort_by, key),
                )
            yield from self._facet_commands(screen)
        elif isinstance(screen, PaperScreen):
            yield (
                "Open PDF at page",
                "Open the PDF at the highlighted passage",
                screen.action_open_pdf,
            )
            for verdict in ("verified", "rejected", "unsure"):
                yield (
                    f"Mark claim {verdict}",
                    "Record a verdict on the claim under the cursor (v / r / u)",
                    partial(screen.action_judge, verdict),
                )
            yield ("Back to results", "Close the paper view", app.pop_screen)
        elif isinstance(screen, ChartScreen):
            yield (
                "Toggle models used/mentioned",
                "Models chart: use or any mention",
                screen.action_toggle_mentions,
            )
            yield ("Back to results", "Close the charts", app.pop_screen)
        elif isinstance(screen, TableScreen):
            yield ("Next table", "Cycle through the group-by tables", screen.action_next_view)
            yield (
                "Toggle share",
                "Adoption: share of each country's papers",
                screen.action_toggle_share,
            )
            yield ("Back to results", "Close the tables", app.pop_screen)
        yield ("Help", "Show the key bindings", app.action_help)  # type: ignore[attr-defined]

    def _facet_commands(self, screen: object) -> Iterator[Command]:
        from search.browse import toggle
        from tui.facet_panel import FacetPanel

        results = getattr(screen, "results", None)
        if results is None:
            return
        for facet, counts in results.facets.items():
            panel = screen.query_one(f"#facet-{facet}", FacetPanel)  # type: ignore[attr-defined]
            for fc in counts:
                on = fc.value in panel.selected
                verb = "Remove" if on else "Filter"
                name = f"{verb} {panel.title.lower()}: {panel.labeler(fc.value)} ({fc.count})"

                def run(facet: str = facet, value: str = fc.value) -> None:
                    screen.set_filters(toggle(screen.filters, facet, value))  # type: ignore[attr-defined]

                yield (name, f"{verb} papers by {panel.title.lower()}", run)

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            if name.startswith(("Filter ", "Remove ")):
                continue
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            if (score := matcher.match(name)) > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
