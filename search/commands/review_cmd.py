"""`search review` and `search reviews`: record verdicts, walk the queue, list, move logs.

The interactive walk reads one key per claim: from the keyboard when stdin is a
terminal (`click.getchar`), else one line per answer from stdin — so a test, or a
script, drives it by feeding ``v\\nr\\nq\\n``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import typer
from rich.text import Text

from search.commands.read_cmd import where
from search.commands.render import console, snippet_text
from search.errors import PaperscopeError
from search.filters import Filters
from search.library import Library
from search.output import Output, write
from search.review_queue import VERDICT_KEYS, QueueItem, check_paper_claim, review_queue
from search.reviews import Claim, ReviewLog, Verdict

PROMPT = "[v]erified  [r]ejected  [u]nsure  [s]kip  [o]pen PDF  [q]uit > "


def record_verdict(
    library: Library, paper: str, claim_kind: str, value: str, verdict: str, note: str, reviewer
) -> Verdict:
    """Check that the index makes the claim, then append the verdict."""
    record = library.paper(paper)
    claim = Claim(record.id, claim_kind, value)
    check_paper_claim(record, claim)
    log = library.review_log(create=True)
    assert log is not None
    return log.record(claim, verdict, note=note, reviewer=reviewer)


def read_key(prompt: str) -> str:
    """One answer: a key press on a terminal, else the first letter of a stdin line."""
    typer.echo(prompt, nl=False)
    if sys.stdin.isatty():
        import click

        key = click.getchar()
        typer.echo(key)
        return key.lower()
    line = sys.stdin.readline()
    if not line:
        typer.echo()
        return "q"  # end of input stops the walk
    return (line.strip()[:1] or "s").lower()


def show_item(item: QueueItem, position: str) -> None:
    """The paper, the claim and its evidence, page-numbered."""
    paper = item.paper
    console.print()
    console.print(Text(position, style="dim"))
    console.print(Text(paper.title or "(untitled)", style="bold"))
    console.print(
        f"{paper.file} · {paper.id[:12]} · {', '.join(paper.countries) or 'no country'}",
        style="dim",
    )
    console.print(Text(f"claim: {item.claim.label()}", style="bold cyan"))
    if not item.evidence:
        console.print("  no evidence sentence stored", style="dim")
    for snippet in item.evidence:
        console.print(Text("  ").append(snippet_text(snippet)))


def walk(
    library: Library,
    filters: Filters,
    *,
    note: str,
    reviewer: str | None,
    key: Callable[[str], str] = read_key,
) -> int:
    """The interactive loop of `search review --next`; returns the verdicts recorded."""
    queue = review_queue(library, filters)
    stats = queue.stats
    done = stats.reviewed
    typer.echo(
        f"{done} of {stats.claims} reviewed · {len(queue.items)} to go  ({filters.command_line()})"
    )
    if not queue.items:
        typer.echo("nothing left to review for this question")
        return 0
    log = library.review_log(create=True)
    assert log is not None
    recorded = 0
    for item in queue.items:
        show_item(item, f"{done} of {stats.claims} reviewed")
        while True:
            answer = key(PROMPT)
            if answer == "o":
                from search.pdf_viewer import open_pdf

                page = item.evidence[0].page if item.evidence else 1
                typer.echo(open_pdf(Path(item.paper.path), page).message)
                continue
            break
        if answer == "q":
            break
        if answer in VERDICT_KEYS:
            log.record(item.claim, VERDICT_KEYS[answer], note=note, reviewer=reviewer)
            recorded += 1
            done += 1
            typer.echo(f"  → {VERDICT_KEYS[answer]}")
        else:
            typer.echo("  → skipped")
    typer.echo(f"{done} of {stats.claims} reviewed · {recorded} verdicts recorded this session")
    return recorded


REVIEW_COLUMNS = ("paper_id", "file", "kind", "value", "verdict", "reviewer", "at", "note")
"""Columns of `search reviews --format csv` (one verdict per row)."""


def list_verdicts(library: Library, filters: Filters, *, history: bool, fmt: str) -> None:
    """`search reviews`: the verdicts on papers matching `filters` (latest, or every one)."""
    log = library.review_log()
    rows: list[Verdict] = []
    if log is not None:
        rows = log.history() if history else list(log.latest().values())
        if not filters.is_empty():
            from dataclasses import replace

            ids = {p.id for p in library.records(replace(filters, reviews="raw"))}
            wanted = set(library.claim_fields(filters))
            rows = [
                r for r in rows if r.paper_id in ids and (not wanted or (r.kind, r.value) in wanted)
            ]
    found = library.papers_by_id(r.paper_id for r in rows)
    files = {r.paper_id: found[r.paper_id].file if r.paper_id in found else "" for r in rows}
    out = Output(
        "reviews",
        REVIEW_COLUMNS,
        tuple(
            (r.paper_id, files[r.paper_id], r.kind, r.value, r.verdict, r.reviewer, r.at, r.note)
            for r in rows
        ),
        where(library.store.path),
        len(rows),
        filters,
        ("every verdict ever given" if history else "the latest verdict per claim",),
        extra={"history": history, "log": bool(log)},
    )
    write(out, fmt, human=lambda: _verdicts_table(rows, files, log is not None, library))


def _verdicts_table(
    rows: list[Verdict], files: dict[str, str], logged: bool, library: Library
) -> None:
    if not rows:
        typer.echo("no verdicts" + ("" if logged else f" (no review log in {library.store.path})"))
        return
    from rich.table import Table

    t = Table(show_edge=False)
    for col in ("paper", "claim", "verdict", "reviewer", "at", "note"):
        t.add_column(col)
    for r in rows:
        style = {"verified": "green", "rejected": "red"}.get(r.verdict, "yellow")
        t.add_row(
            files[r.paper_id] or f"{r.paper_id[:12]} (not in the index)",
            r.claim.label(),
            Text(r.verdict, style=style),
            r.reviewer,
            r.at,
            r.note,
        )
    console.print(t)
    console.print(f"{len(rows)} verdicts", style="dim")


def exchange(index: Path, action: str, file: Path) -> int:
    """`search reviews export|import FILE`; returns the exit code (1 when conflicts)."""
    if action == "export":
        log = ReviewLog.open(index)
        if log is None:
            raise PaperscopeError(f"no review log in {index}: record verdicts with `search review`")
        n = log.export_jsonl(file)
        typer.echo(f"{n} verdicts written to {file}")
        return 0
    log = ReviewLog.open(index, create=True)
    assert log is not None
    report = log.import_jsonl(file)
    typer.echo(
        f"{report.added} verdicts added, {report.duplicates} already present,"
        f" {len(report.conflicts)} conflicts"
    )
    for c in report.conflicts:
        typer.echo(
            f"conflict: {c.claim.paper_id[:12]} {c.claim.label()}: kept {c.local.verdict}"
            f" ({c.local.reviewer}, {c.local.at}), not merged {c.incoming.verdict}"
            f" ({c.incoming.reviewer}, {c.incoming.at})",
            err=True,
        )
    if report.conflicts:
        typer.echo(
            "decide each conflict with `search review PAPER --model/--country/--institution …"
            " --verify|--reject|--unsure`",
            err=True,
        )
    return 1 if report.conflicts else 0
