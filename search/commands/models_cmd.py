"""`search models [MODEL]`: the catalog with family and version counts from the index."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

from search.errors import IndexMissingError
from search.models_info import ModelRow, model_rows


def run_models(model: str | None, index: Path, json_out: bool) -> None:
    """Print the catalog rows (counts left blank when there is no index yet)."""
    from search.library import Library

    try:
        library: Library | None = Library(index)
    except IndexMissingError:
        library = None
    rows = model_rows(library, model)
    if json_out:
        payload = {
            "index": str(index) if library is not None else None,
            "total": len(rows),
            "models": [r.to_dict() for r in rows],
        }
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return
    render_models(rows, detail=model is not None, indexed=library is not None)


def render_models(rows: list[ModelRow], *, detail: bool, indexed: bool) -> None:
    """A table of families; with ``detail`` every version on its own line."""
    console = Console(highlight=False)
    table = Table(expand=True, show_lines=detail)
    table.add_column("id", style="bold", no_wrap=True)
    table.add_column("name, aliases" if detail else "name", ratio=2)
    table.add_column("developer", ratio=1)
    table.add_column("origin", no_wrap=True)
    table.add_column("used", justify="right")
    table.add_column("named", justify="right")
    table.add_column("versions: used/named", ratio=3)
    shown = None if detail else 3
    for r in rows:
        names = r.name + (f"\n[dim]{', '.join(r.aliases)}[/dim]" if detail and r.aliases else "")
        versions = r.versions[:shown] if shown else r.versions
        text = ("\n" if detail else ", ").join(f"{v.id} {v.used}/{v.mentioned}" for v in versions)
        if shown and len(r.versions) > shown:
            text += f", +{len(r.versions) - shown}"
        table.add_row(
            r.id,
            names,
            r.organisation,
            r.origin_country,
            "-" if r.used is None else str(r.used),
            "-" if r.mentioned is None else str(r.mentioned),
            text,
        )
    console.print(table)
    note = f"{len(rows)} model families"
    if not indexed:
        note += " (no index: counts need `search index` or `search demo`)"
    console.print(
        note + ".  `--model ID` or `--model VERSION` (gpt, gpt/4o, GPT-4o) filters.", style="dim"
    )
