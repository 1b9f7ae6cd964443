"""The Textual app behind `search tui`: opens the index and shows the right first screen."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType

from search.errors import IndexMissingError, PaperscopeError
from tui.paperscope_commands import PaperscopeCommands
from tui.query_bar import DEBOUNCE_SECONDS


class PaperscopeApp(App[None]):
    """Explore an index: query, facets with live counts, results, evidence, charts."""

    CSS_PATH = "app.tcss"
    TITLE = "paperscope"
    COMMANDS = App.COMMANDS | {PaperscopeCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help"),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    def __init__(self, index_dir: Path, *, debounce: float = DEBOUNCE_SECONDS) -> None:
        super().__init__()
        self.index_dir = Path(index_dir)
        self.debounce = debounce

    def on_mount(self) -> None:
        from search.library import Library
        from tui.missing_index_screen import MissingIndexScreen
        from tui.search_screen import SearchScreen

        try:
            library = Library(self.index_dir)
            total = library.total()
        except IndexMissingError:
            reason = f"There is no paperscope index at {self.index_dir}."
            self.push_screen(MissingIndexScreen(str(self.index_dir), reason))
            return
        except PaperscopeError as exc:  # unreadable or foreign index: its message says why
            self.push_screen(MissingIndexScreen(str(self.index_dir), str(exc)))
            return
        if total == 0:
            reason = f"The index at {self.index_dir} holds no papers yet."
            self.push_screen(MissingIndexScreen(str(self.index_dir), reason))
            return
        self.push_screen(SearchScreen(library, total, debounce=self.debounce))

    def action_help(self) -> None:
        """Show the key bindings of the current screen."""
        from tui.help_screen import HelpScreen, describe_bindings

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(describe_bindings(type(self.screen), type(self))))


def run_app(index_dir: Path) -> None:
    """Run the TUI on the index at `index_dir` until the user quits."""
    PaperscopeApp(index_dir).run()
