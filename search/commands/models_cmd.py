"""`search models [MODEL]`: the catalog with family and version counts from the index.

Speaks the read commands' output contract (`search.output`): a rich table for people,
``csv``/``tsv``/``jsonl``/``markdown`` rows and a ``json`` object for scripts.
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table

from search.commands.read_cmd import where
from search.errors import IndexMissingError
from search.filters import Filters
from search.models_info import ModelRow, model_rows
from search.output import Output, write

MODEL_COLUMNS = (
    "id",
    "name",
    "organisation",
    "origin_country",
    "kind",
    "aliases",
    "used",
    "mentioned",
    "versions",
)
"""Columns of `search models --format csv`; ``versions`` reads ``gpt/4o 3/5`` (used/named)."""


def run_models(model: str | None, index: Path, fmt: str) -> None:
    """Print the catalog rows (counts left blank when there is no index yet)."""
    from search.library import Library

    try:
        library: Library | None = Library(index)
    except IndexMissingError:
        library = None
    rows = model_rows(library, model)
    out = models_output(rows, model, index, indexed=library is not None)
    write(
        out,
        fmt,
        human=lambda: render_models(rows, detail=model is not None, indexed=library is not None),
    )


def models_output(rows: list[ModelRow], model: str | None, index: Path, *, indexed: bool) -> Output:
    """One row per family; JSON also carries the structured rows under ``models``."""
    filters = Filters()
    if model is not None and rows:
        filters = Filters(models=(rows[0].id,), given=(("model", (model,)),))
    data = tuple(
        (
            r.id,
            r.name,
            r.organisation,
            r.origin_country,
            r.kind,
            list(r.aliases),
            r.used,
            r.mentioned,
            [f"{v.id} {v.used}/{v.mentioned}" for v in r.versions],
        )
        for r in rows
    )
    notes = ["versions: papers using / naming each version"]
    if not indexed:
        notes.append("no index here: counts need `search index` or `search demo`")
    return Output(
        "models",
        MODEL_COLUMNS,
        data,
        where(index),
        len(rows),
        filters,
        tuple(notes),
        extra={"indexed": indexed, "models": [r.to_dict() for r in rows]},
    )


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
