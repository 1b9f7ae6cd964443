"""Group-by tables and adoption matrices of the current matches, next to the charts.

The screen shows the same `search.tables.Table` records `search table` and
`search adoption` print — totals, the ``(unknown)`` row, denominators, cross-border
marks and the footer notes — so a number seen here is the number a script gets. The
caption is the command that prints the table.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from search.errors import PaperscopeError
from search.filters import Filters

if TYPE_CHECKING:
    from search.library import Library
    from search.tables import Table


@dataclass(frozen=True, slots=True)
class View:
    """One table the screen can show."""

    name: str
    """What it shows, in words."""
    by: str
    """Row field (``adoption``: models or, with `origin`, model origins)."""
    by2: str | None = None
    """Column field, None for a one-way table."""
    adoption: bool = False
    """An adoption matrix (models × author countries) rather than a group-by table."""
    origin: bool = False
    """Adoption rows are model-origin countries."""


VIEWS: tuple[View, ...] = (
    View("Papers per year", "year"),
    View("Models × author country", "model", "country", adoption=True),
    View("Model origin × author country", "model-origin", "country", adoption=True, origin=True),
    View("Year × author country", "year", "country"),
    View("Collaborations × year", "collaboration", "year"),
    View("Papers per venue", "venue"),
    View("Papers per institution", "institution"),
)
"""The views `t` cycles through, in order."""


class TableScreen(Screen):
    """One group-by table or adoption matrix of the current query and filters."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("t", "next_view", "Next table"),
        Binding("f3", "toggle_mentions", "Used/mentioned"),
        Binding("s", "toggle_share", "Share"),
    ]

    def __init__(self, library: Library, filters: Filters, view: int = 0) -> None:
        super().__init__(id="tables")
        self.library = library
        self.filters = filters
        self.view = view % len(VIEWS)
        self.share = False
        self.table: Table | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="table-caption")
        yield DataTable(id="group-table", zebra_stripes=True, cursor_type="row")
        yield Static("", id="table-notes")
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    def action_next_view(self) -> None:
        """Show the next table of `VIEWS`."""
        self.view = (self.view + 1) % len(VIEWS)
        self.load()

    def action_toggle_mentions(self) -> None:
        """Count papers that use a model, or any mention of it."""
        self.filters = replace(self.filters, mentioned=not self.filters.mentioned)
        self.load()

    def action_toggle_share(self) -> None:
        """Adoption: divide each cell by the papers of its author country."""
        self.share = not self.share
        self.load()

    @work(thread=True, exclusive=True, group="tables")
    def load(self) -> None:
        """Count off the UI thread, then fill the table."""
        view = VIEWS[self.view]
        try:
            if view.adoption:
                table = self.library.adoption(self.filters, origin=view.origin, share=self.share)
            else:
                table = self.library.table(view.by, view.by2, self.filters)
        except PaperscopeError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error")
            return
        self.app.call_from_thread(self.show, view, table)

    def show(self, view: View, table: Table) -> None:
        """Fill the data table from `table`: cells, totals, denominators, marks, notes."""
        from search.tables import TOTAL

        self.table = table
        caption = f"{view.name} [t: next, s: share, f3: used/mentioned]  $ {table.command_line()}"
        self.query_one("#table-caption", Static).update(caption)
        grid = self.query_one("#group-table", DataTable)
        grid.clear(columns=True)
        den = table.denominators is not None and table.denominator_axis == "row"
        headers = [table.row_field, *(table.columns if table.two_way else ("papers",))]
        if table.two_way:
            headers.append(TOTAL)
        if den:
            headers += ["all papers", "share"]
        grid.add_columns(*headers)
        for i, label in enumerate(table.rows):
            row: list[str | Text] = [label]
            if table.two_way:
                for j, col in enumerate(table.columns):
                    value = table.cells[i][j]
                    text = _pct(table.share(label, col)) if table.shares else str(value)
                    marked = (label, col) in table.marked
                    row.append(
                        Text(text + ("*" if marked else ""), style="bold magenta" if marked else "")
                    )
            row.append(str(table.row_totals[i]))
            if den and table.denominators is not None:
                d = table.denominators[i]
                row += [str(d), _pct(table.row_totals[i] / d if d else None)]
            grid.add_row(*row)
        last: list[str | Text] = [Text(TOTAL, style="bold")]
        if table.two_way:
            last += [Text(str(n), style="bold") for n in table.column_totals]
        last.append(Text(str(table.total), style="bold"))
        if den:
            st = table.scope_total or 0
            last += [str(st), _pct(table.total / st if st else None)]
        grid.add_row(*last)
        self.query_one("#table-notes", Static).update("\n".join(table.notes))


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"
