"""Export of the papers matching a query to CSV or JSON, for spreadsheets and notebooks.

The rows are `Library.frame` (one per paper); list-valued columns (countries,
institutions, models) become ``; ``-joined text in CSV and arrays in JSON. CSV is
written by `search.output.delimited`, the writer of every read command and the one
place formula injection is handled. The format follows the file extension unless
given. Used by the TUI's export action; scripts can call `export_results` directly.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Final, Literal

from search.errors import PaperscopeError
from search.filters import Filters
from search.library import Library
from search.output import delimited

ExportFormat = Literal["csv", "json"]

FORMATS: Final = ("csv", "json")
"""Supported formats (also the file extensions)."""


def format_for(path: Path) -> ExportFormat:
    """The format a file name asks for (by extension); CSV when it does not say."""
    return "json" if path.suffix.lower() == ".json" else "csv"


def default_name(fmt: ExportFormat = "csv", now: datetime | None = None) -> str:
    """A time-stamped file name, e.g. ``paperscope-20251122-141503.csv``."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    return f"paperscope-{stamp}.{fmt}"


def export_results(
    library: Library,
    filters: Filters,
    path: Path,
    fmt: ExportFormat | None = None,
) -> int:
    """Write every paper matching `filters` to `path`; return the number of rows."""
    fmt = fmt or format_for(path)
    if fmt not in FORMATS:
        raise PaperscopeError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    frame = library.frame(filters)
    path = path.expanduser()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if fmt == "json":
            rows = json.loads(frame.to_json(orient="records", force_ascii=False))
            payload = {"filters": filters.as_dict(), "count": len(rows), "papers": rows}
            path.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        else:  # the CSV writer of every read command: lists joined, formulas neutralised
            cells = frame.astype(object).where(frame.notna(), None)
            rows = cells.itertuples(index=False, name=None)
            path.write_text(delimited(list(frame.columns), rows), encoding="utf-8")
    except OSError as exc:
        raise PaperscopeError(f"cannot write {path}: {exc.strerror or exc}") from None
    return len(frame)
