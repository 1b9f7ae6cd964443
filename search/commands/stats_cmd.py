"""`search stats` and `search remove`: what the index holds, and taking papers out.

`search stats` speaks the read commands' output contract (`search.output`): one row per
measure (``measure``, ``value``, ``share`` of papers where that applies) for CSV, TSV,
JSON Lines and Markdown; the JSON object also keeps every statistic under its own name.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from search.commands.read_cmd import where
from search.filters import Filters
from search.index_stats import KNOWN_FIELDS, IndexStats, index_stats
from search.output import Output, write

STATS_COLUMNS = ("measure", "value", "share")
"""Columns of `search stats --format csv`; ``share`` is of all papers, empty where it
does not apply."""


def run_stats(index: Path, fmt: str) -> None:
    """Print the statistics of the index."""
    from search.library import Library

    stats = index_stats(Library(index))
    write(stats_output(stats), fmt, human=lambda: render_stats(stats))


def stats_output(s: IndexStats) -> Output:
    """The statistics as measure rows; JSON adds `IndexStats.to_dict` at the top level."""

    def share(n: int) -> float | None:
        return round(n / s.papers, 4) if s.papers else None

    rows: list[tuple[Any, ...]] = [("papers", s.papers, None), ("pages", s.pages, None)]
    rows += [(f"known {f}", s.known[f], round(s.share(f), 4)) for f in KNOWN_FIELDS]
    rows += [
        ("unresolved affiliations", s.unresolved_affiliations, None),
        ("papers with unresolved affiliations", s.papers_with_unresolved,
         share(s.papers_with_unresolved)),
        ("models used", s.models_used, None),
        ("model versions used", s.versions_used, None),
        ("models mentioned", s.models_mentioned, None),
        ("papers using a model", s.papers_using_a_model, share(s.papers_using_a_model)),
        ("size bytes", s.size_bytes, None),
        ("schema version", s.schema_version, None),
        ("created", _when(s.created) if s.created else None, None),
        ("last run", _when(s.last_run.get("finished", 0)) if s.last_run else None, None),
    ]  # fmt: skip
    at = where(s.index)  # outputs say where, absolutely
    extra = s.to_dict() | {"index": at}
    return Output("stats", STATS_COLUMNS, tuple(rows), at, s.papers, Filters(), extra=extra)


def render_stats(s: IndexStats) -> None:
    """Two columns: what, how many (and the share of papers where it is one)."""
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold")
    table.add_column(justify="right")
    table.add_column(style="dim")
    table.add_row("index", s.index, "")
    table.add_row("papers", f"{s.papers:,}", "")
    table.add_row("pages", f"{s.pages:,}", "")
    for field in KNOWN_FIELDS:
        table.add_row(f"known {field}", f"{s.known[field]:,}", f"{s.share(field):.0%} of papers")
    table.add_row(
        "unresolved affiliations",
        f"{s.unresolved_affiliations:,}",
        f"in {s.papers_with_unresolved:,} papers; `search institutions --unresolved` lists them",
    )
    table.add_row("models used", f"{s.models_used}", f"families; {s.versions_used} versions")
    table.add_row("models mentioned", f"{s.models_mentioned}", "families")
    table.add_row(
        "papers using a model",
        f"{s.papers_using_a_model:,}",
        f"{s.papers_using_a_model / s.papers:.0%} of papers" if s.papers else "",
    )
    table.add_row("size on disk", _size(s.size_bytes), "")
    table.add_row("schema version", str(s.schema_version), "")
    if s.created:
        table.add_row("created", _when(s.created), "")
    run = s.last_run
    if run:
        outcomes = ", ".join(f"{n} {o}" for o, n in run.get("outcomes", {}).items() if n)
        if run.get("pruned"):
            outcomes += f", {run['pruned']} pruned"
        table.add_row("last run", _when(run.get("finished", 0)), outcomes)
        table.add_row("", "", "; ".join(run.get("paths", [])))
    else:
        table.add_row("last run", "-", "not recorded (indexed before `search stats` existed)")
    Console(highlight=False).print(table)


def run_remove(keys: list[str], index: Path) -> None:
    """Drop the named papers; one line per paper."""
    from search.hygiene import remove

    for d in remove(index, keys):
        print(f"removed {d.paper_id}  {d.path}")


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"


def _when(t: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(t))
