"""The help screen: every key binding of the screen underneath, and the app's own."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

_EXTRA = (
    ("enter", "Run the query now (typing runs it after a short pause)"),
    ("down", "From the query bar to the results"),
    ("enter / click", "Toggle a facet value; open the paper under the cursor"),
    ("click header", "Sort results by that column (again: reverse)"),
    ("click facet title", "Flip its mode (countries any/all, models used/mentioned)"),
    ("tab / shift+tab", "Move between query, facets and results"),
)


class HelpScreen(ModalScreen[None]):
    """Lists the key bindings; any of escape, f1 or q closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,q", "dismiss", "Close"),
    ]

    def __init__(self, bindings: list[tuple[str, str]]) -> None:
        super().__init__(id="help")
        self.rows = bindings

    def compose(self) -> ComposeResult:
        table = Table(show_header=True, header_style="bold", box=None, expand=True)
        table.add_column("key", style="bold cyan", no_wrap=True)
        table.add_column("does")
        for key, description in [*self.rows, *_EXTRA]:
            table.add_row(key, description)
        with VerticalScroll(id="help-box"):
            yield Static(Text("paperscope — keys", style="bold"))
            yield Static(table)
            yield Static(Text("ctrl+p lists every action by name.  Esc closes.", style="dim"))

    def action_dismiss(self) -> None:
        """Close the help."""
        self.dismiss(None)


def describe_bindings(*sources: type) -> list[tuple[str, str]]:
    """(key, description) of the `BINDINGS` of each class, first description of a key wins."""
    out: dict[str, str] = {}
    for source in sources:
        for binding in getattr(source, "BINDINGS", ()):
            if isinstance(binding, Binding) and binding.description:
                key = binding.key.replace(",", " / ")
                out.setdefault(key, binding.description)
    return list(out.items())
