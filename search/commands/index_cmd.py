"""`search index`: run the indexing pipeline with a progress bar and a summary line."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from search.errors import PaperscopeError
from search.filters import split_venue
from search.index_stats import record_run
from search.store import META_FILE


def run_index(
    paths: list[Path],
    index_dir: Path,
    workers: int | None,
    venue: str | None,
    year: int | None,
    rebuild: bool,
    scheduler: str | None,
    *,
    prune: bool = False,
) -> int:
    """Index `paths`; print skipped files and the summary; return the exit code.

    With `prune`, papers indexed from files under `paths` that are gone are dropped first.
    The run is recorded in the index folder (`search stats` shows it).
    """
    from indexer.pipeline import FileResult, NoPdfsError, discover_pdfs, index_pdfs

    err = Console(stderr=True, highlight=False)
    venue_name, venue_year = split_venue(venue) if venue else (None, None)
    try:
        if not discover_pdfs(paths):
            raise PaperscopeError(f"no PDF files under {', '.join(map(str, paths))}")
    except NoPdfsError as exc:
        raise PaperscopeError(str(exc)) from None

    pruned = 0
    if prune and not rebuild and (index_dir / META_FILE).exists():
        from search.hygiene import prune as prune_gone

        dropped = prune_gone(index_dir, paths)
        for d in dropped:
            err.print(f"{d.path}: gone, dropped from the index", markup=False, soft_wrap=True)
        pruned = len(dropped)

    executor, client = None, None
    if scheduler:
        executor, client = _dask_executor(scheduler)
    progress = Progress(
        TextColumn("[bold]indexing"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[pages]} pages"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    )
    task = progress.add_task("index", total=None, pages=0)

    def on_start(n: int) -> None:
        progress.update(task, total=n)

    def on_result(r: FileResult) -> None:
        if r.outcome == "skipped":
            progress.console.print(f"{r.path}: {r.reason}", markup=False, soft_wrap=True)
        progress.update(task, advance=1, pages=progress.tasks[0].fields["pages"] + r.pages)

    try:
        with progress:
            report = index_pdfs(
                paths,
                index_dir,
                workers=workers,
                venue=venue_name,
                year=year or venue_year,
                rebuild=rebuild,
                executor=executor,
                on_start=on_start,
                on_result=on_result,
            )
    finally:
        if client is not None:
            client.close()
    new = report.count("indexed", "replaced")
    extra = []
    if unchanged := report.count("unchanged"):
        extra.append(f"{unchanged} unchanged")
    if dup := report.count("duplicate"):
        extra.append(f"{dup} duplicates")
    if pruned:
        extra.append(f"{pruned} pruned")
    tail = f" ({', '.join(extra)})" if extra else ""
    record_run(
        index_dir,
        paths,
        {o: report.count(o) for o in ("indexed", "replaced", "unchanged", "duplicate", "skipped")},
        pages=report.pages,
        seconds=report.seconds,
        pruned=pruned,
    )
    print(
        f"indexed {new} papers ({report.pages} pages) in {report.seconds:.1f} s;"
        f" skipped {len(report.skipped)}{tail}"
    )
    if report.interrupted:
        err.print("interrupted: what was indexed so far is kept; run the same command to resume")
        return 130
    return 1 if report.skipped else 0


def _dask_executor(address: str):
    try:
        from distributed import Client
    except ImportError:
        raise PaperscopeError(
            "--scheduler needs dask.distributed (pip install distributed)"
        ) from None
    try:
        client = Client(address, timeout="10s")
    except OSError as exc:
        raise PaperscopeError(f"cannot reach Dask scheduler {address} ({exc})") from None
    return client.get_executor(), client
