"""The results table: one row per matching paper, sortable by clicking a column header.

With a review log, a "Review" column shows each paper's verdicts (``✓2 ✗1``); it
appears the first time a shown paper has verdicts, so an unreviewed index looks as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual.widgets import DataTable

from search.results import Hit
from tui.messages import PaperSelected

COLUMNS = (
    ("#", "rank", 4),
    ("Title", "title", 0),
    ("Countries", "countries", 14),
    ("Models used", "models", 24),
    ("Year", "year", 4),
)
"""(label, key, width); width 0 takes what the others leave."""
NARROW_COLUMNS = {"countries": 10, "models": 16}
"""Widths used on a terminal under `NARROW_SCREEN` columns (80×24: the facets collapse)."""
NARROW_SCREEN = 100
MIN_TITLE = 20
REVIEW_COLUMN = ("Review", "review", 8)
"""Added when a shown paper has verdicts."""


class ResultsTable(DataTable):
    """Matching papers (title, countries, models, year); Enter opens a paper."""

    def __init__(self) -> None:
        super().__init__(id="results", cursor_type="row", zebra_stripes=True)
        self.hits: dict[str, Hit] = {}
        self.marks: dict[str, str] = {}
        """Review mark per paper id (`search.review_queue.review_mark`)."""
        self.review_column = False
        self.sort_column: str | None = None
        self.sort_reverse = False
        self._title_width = 0
        self._widths = {key: width for _label, key, width in COLUMNS}

    def on_mount(self) -> None:
        self._add_columns()

    def _add_columns(self) -> None:
        title = self._wanted_title_width()
        self._title_width = title
        self._widths = self._column_widths()
        for label, key, _width in self._columns():
            self.add_column(label, key=key, width=self._widths[key] or title)

    def _column_widths(self) -> dict[str, int]:
        widths = {key: width for _label, key, width in self._columns()}
        if self.size.width and self.app.size.width < NARROW_SCREEN:
            widths.update(NARROW_COLUMNS)
        return widths

    def _columns(self) -> tuple[tuple[str, str, int], ...]:
        return (*COLUMNS, REVIEW_COLUMN) if self.review_column else COLUMNS

    def on_resize(self) -> None:
        if self.columns and self.size.width and self._title_width != self._wanted_title_width():
            hits = list(self.hits.values())
            self.clear(columns=True)
            self._add_columns()
            self.hits = {}
            self.show(hits, self.marks)

    def _wanted_title_width(self) -> int:
        columns = self._columns()
        fixed = sum(self._column_widths().values())
        padding = 2 * self.cell_padding * len(columns) + 2  # + the vertical scrollbar
        return max(MIN_TITLE, self.size.width - fixed - padding)

    def show(self, hits: Sequence[Hit], marks: dict[str, str] | None = None) -> None:
        """Replace the rows (kept in the current sort order); `marks`: review state per id."""
        marks = marks or {}
        same = list(self.hits) == [h.paper_id for h in hits] and self.row_count == len(hits)
        if same and marks == self.marks:
            return
        self.marks = dict(marks)
        if marks and not self.review_column:
            self.review_column = True
            self.clear(columns=True)
            self._add_columns()
        self.hits = {h.paper_id: h for h in hits}
        self.clear()
        for rank, hit in enumerate(hits, 1):
            cells = [
                rank,
                _clip(hit.title or hit.file, self._title_width),
                _clip(" ".join(hit.countries), self._widths["countries"]),
                _clip(", ".join(hit.models_used), self._widths["models"]),
                str(hit.year or ""),
            ]
            if self.review_column:
                cells.append(marks.get(hit.paper_id, ""))
            self.add_row(*cells, key=hit.paper_id)
        if self.sort_column:
            self._apply_sort()

    def sort_by(self, column: str) -> None:
        """Sort by a column; sorting by it again reverses the order."""
        if self.sort_column == column:
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_column, self.sort_reverse = column, False
        self._apply_sort()

    def _apply_sort(self) -> None:
        assert self.sort_column is not None
        self.sort(self.sort_column, key=_sort_key, reverse=self.sort_reverse)

    @property
    def selected_paper(self) -> str | None:
        """Id of the paper under the cursor."""
        if not self.row_count:
            return None
        return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        self.sort_by(str(event.column_key.value))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.post_message(PaperSelected(event.row_key.value))


def _sort_key(value: Any) -> tuple[int, Any]:
    """Empty cells last; numbers as numbers; text case-insensitively."""
    if value in ("", None):
        return (1, "")
    if isinstance(value, int):
        return (0, value)
    return (0, str(value).lower())


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
