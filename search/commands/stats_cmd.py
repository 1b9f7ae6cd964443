"""`search stats` and `search remove`: what the index holds, and taking papers out."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from search.index_stats import KNOWN_FIELDS, IndexStats, index_stats


def run_stats(index: Path, json_out: bool) -> None:
    """Print the statistics of the index."""
    from search.library import Library

    stats = index_stats(Library(index))
    if json_out:
        sys.stdout.write(json.dumps(stats.to_dict(), ensure_ascii=False, indent=2) + "\n")
        return
    render_stats(stats)


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
