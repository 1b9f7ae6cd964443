"""Shown instead of the search screen when there is no index yet, or it is empty."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static


class MissingIndexScreen(Screen):
    """Says why there is nothing to search and how to build an index."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("q,escape", "app.quit", "Quit")]

    def __init__(self, index_dir: str, reason: str) -> None:
        super().__init__(id="missing-index")
        self.index_dir = index_dir
        self.reason = reason

    def compose(self) -> ComposeResult:
        text = Text()
        text.append("Nothing to search yet\n\n", style="bold")
        text.append(self.reason + "\n\n")
        text.append("Build an index from a folder of PDFs:\n", style="bold")
        text.append(f"    search index PDF_DIR --index {self.index_dir}\n\n", style="cyan")
        text.append("or try the built-in sample corpus:\n", style="bold")
        text.append(f"    search demo --index {self.index_dir}\n\n", style="cyan")
        text.append(f"then run   search tui --index {self.index_dir}", style="dim")
        with Center(), Vertical(id="missing-box"):
            yield Static(text)
        yield Footer()
