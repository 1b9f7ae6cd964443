"""The export prompt: a file name (pre-filled with a time-stamped default in the cwd)."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from search.export import default_name


class ExportDialog(ModalScreen[Path | None]):
    """Asks where to write the results; the extension (.csv / .json) picks the format."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, fmt: str = "csv", directory: Path | None = None) -> None:
        super().__init__(id="export-dialog")
        self.fmt = fmt if fmt in ("csv", "json") else "csv"
        self.directory = directory or Path.cwd()

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box"):
            yield Label(
                "Export the current results (.csv or .json) — Enter to write, Esc to cancel"
            )
            yield Input(str(self.directory / default_name(self.fmt)), id="export-path")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        self.dismiss(Path(text) if text else None)

    def action_cancel(self) -> None:
        """Close without writing."""
        self.dismiss(None)
