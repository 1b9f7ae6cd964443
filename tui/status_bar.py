"""The header line: matching papers out of the index, and the equivalent CLI command."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from search.filters import Filters


class StatusBar(Static):
    """Shows the total count and the `search count …` command for the current state."""

    def __init__(self) -> None:
        super().__init__("", id="status-bar")

    def show(
        self,
        filters: Filters,
        total: int | None,
        index_total: int,
        *,
        busy: bool = False,
    ) -> None:
        """Render the state: ``12 of 60 papers   $ search count llama --country CN``.

        `total` None means the query cannot run (its error is shown under the query bar).
        """
        text = Text("paperscope  ", style="bold")
        if total is None:
            text.append("query error", style="bold red")
            text.append(f" · {index_total:,} papers in the index", style="")
        else:
            text.append(f"{total:,}", style="bold")
            text.append(f" of {index_total:,} papers", style="")
        if busy:
            text.append("  …", style="dim")
        text.append("    $ ", style="dim")
        text.append(filters.command_line(), style="italic")
        self.update(text)
