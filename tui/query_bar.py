"""The query bar: a full-text query input that reports settled text, and its error line."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import Input, Static

from tui.messages import SearchSubmitted

DEBOUNCE_SECONDS = 0.04
"""Quiet time after the last keystroke before the query runs (Enter runs it at once);
short, because a query with facets takes about 10 ms."""


class QueryBar(Vertical):
    """Query input with a debounce; posts `SearchSubmitted`, shows query errors inline."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "screen.focus_results", "Results", show=False),
    ]

    def __init__(self, query: str = "", *, debounce: float = DEBOUNCE_SECONDS) -> None:
        super().__init__(id="query-bar")
        self._initial = query
        self.debounce = debounce
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Input(
            self._initial,
            placeholder='Search papers: words, "phrases", AND / OR / NOT, title:word …  (Enter)',
            id="query",
        )
        yield Static("", id="query-error")

    @property
    def input(self) -> Input:
        """The text input."""
        return self.query_one("#query", Input)

    @property
    def value(self) -> str:
        """The current text."""
        return self.input.value

    def set_value(self, text: str) -> None:
        """Replace the text without triggering a search."""
        with self.input.prevent(Input.Changed):
            self.input.value = text

    def show_error(self, message: str) -> None:
        """Show a one-line problem under the input (empty clears it)."""
        error = self.query_one("#query-error", Static)
        error.update(message)
        error.set_class(bool(message), "-visible")
        self.input.set_class(bool(message), "-invalid")

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        if self.debounce <= 0:
            self._settled()
        else:
            self._timer = self.set_timer(self.debounce, self._settled)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.post_message(SearchSubmitted(event.value))

    def _settled(self) -> None:
        self._timer = None
        self.post_message(SearchSubmitted(self.input.value))
