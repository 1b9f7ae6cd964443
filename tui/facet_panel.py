"""One facet (country, model, institution, ...): its values with live counts, selectable."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from search.results import FacetCount
from tui.messages import FacetModeToggled, FacetToggled

Labeler = Callable[[str], str]
LABEL_WIDTH = 30
"""Longer value names are cut (with …) to keep one line per value."""


class FacetTitle(Static):
    """A facet's title; clicking it flips the facet's mode when it has one."""

    def on_click(self, event: events.Click) -> None:
        panel = self.parent
        if isinstance(panel, FacetPanel) and panel.mode_key:
            event.stop()
            panel.post_message(FacetModeToggled(panel.facet))


class FacetPanel(Vertical):
    """A titled list of facet values; Enter / click toggles a value (posts `FacetToggled`)."""

    def __init__(
        self,
        facet: str,
        title: str,
        *,
        labeler: Labeler = str,
        mode_key: str = "",
    ) -> None:
        super().__init__(id=f"facet-{facet}", classes="facet-panel")
        self.facet = facet
        self.title = title
        self.labeler = labeler
        self.mode_key = mode_key
        self.mode = ""
        self.counts: dict[str, int] = {}
        self.selected: set[str] = set()

    def compose(self) -> ComposeResult:
        yield FacetTitle(self._title_text(), classes="facet-title")
        yield OptionList(id=f"facet-list-{self.facet}", classes="facet-list")

    @property
    def options(self) -> OptionList:
        """The list of values."""
        return self.query_one(OptionList)

    def set_mode(self, mode: str) -> None:
        """Show the facet's mode ("any of", "used", ...) in its title."""
        self.mode = mode
        self.query_one(FacetTitle).update(self._title_text())

    def _title_text(self) -> Text:
        text = Text(self.title, style="bold")
        if self.selected:
            text.append(f" ({len(self.selected)})", style="bold")
        if self.mode:
            text.append(f" · {self.mode}", style="italic")
        if self.mode_key:
            text.append(f" [{self.mode_key}]", style="dim")
        return text

    def show(self, counts: Sequence[FacetCount], selected: Sequence[str]) -> None:
        """Replace the values, keeping the highlighted value where it is."""
        options = self.options
        keep = options.highlighted_option.id if options.highlighted_option else None
        new_counts = {fc.value: fc.count for fc in counts}
        if new_counts == self.counts and set(selected) == self.selected and options.option_count:
            return
        self.counts = new_counts
        self.selected = set(selected)
        rows = sorted(counts, key=lambda fc: (fc.value not in self.selected, -fc.count, fc.value))
        options.set_options(Option(self._prompt(fc), id=fc.value) for fc in rows)
        if not rows:
            options.add_option(Option(Text("no values", style="dim"), disabled=True))
        if keep is not None and keep in self.counts:
            options.highlighted = options.get_option_index(keep)
        self.query_one(FacetTitle).update(self._title_text())

    def _prompt(self, fc: FacetCount) -> Content:
        on = fc.value in self.selected
        label = _clip(self.labeler(fc.value), LABEL_WIDTH)
        return Content.assemble(
            ("● ", "bold $success") if on else ("○ ", "dim"),
            (label, "bold") if on else label,
            (f"  {fc.count:,}", "dim" if fc.count else "dim $error"),
        )

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        options = self.options
        if options.highlighted is None and options.option_count:
            options.highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(FacetToggled(self.facet, event.option.id))


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
