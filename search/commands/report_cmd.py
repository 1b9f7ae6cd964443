"""`search report`: check the arguments, answer the questions, write one file."""

from __future__ import annotations

from pathlib import Path

import typer

from search.errors import PaperscopeError
from search.filters import Filters
from search.library import Library

FORMATS = ("html", "markdown")


def run_report(
    library: Library,
    questions_file: Path | None,
    scope: Filters,
    out: Path | None,
    fmt: str | None,
    index: Path,
) -> None:
    """Write the report and say where."""
    from search.report import write_report
    from search.report.questions import load_questions

    if fmt is None:
        fmt = (
            "markdown" if out is not None and out.suffix.lower() in (".md", ".markdown") else "html"
        )
    if fmt not in FORMATS:
        raise PaperscopeError(f"unknown format {fmt!r}; use html or markdown")
    if out is None:
        out = Path("report.md" if fmt == "markdown" else "report.html")
    questions = load_questions(questions_file) if questions_file is not None else None
    suffix = "" if index == Path("index") else f" --index {index}"
    report = write_report(
        library, out, questions=questions, scope=scope, fmt=fmt, index_suffix=suffix
    )
    typer.echo(
        f"{len(report.sections)} questions over {report.corpus.papers} papers written to"
        f" {out.resolve()}"
    )
