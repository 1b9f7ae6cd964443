"""`search index`: run the indexing pipeline with a progress bar and a summary line."""

from __future__ import annotations

import ipaddress
import signal
import sys
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
    timeout: float | None = None,
    max_memory: str | None = None,
    security: str | None = None,
    *,
    prune: bool = False,
) -> int:
    """Index `paths`; print skipped files and the summary; return the exit code.

    With `prune`, papers indexed from files under `paths` that are gone are dropped first.
    The run is recorded in the index folder (`search stats` shows it).
    """
    from indexer.limits import clamp_workers, resolve_limits
    from indexer.pipeline import FileResult, NoPdfsError, discover, display_path, index_pdfs

    err = Console(stderr=True, highlight=False)
    venue_name, venue_year = split_venue(venue) if venue else (None, None)
    n_workers, note = clamp_workers(workers)
    if note:
        err.print(f"note: {note}", markup=False)
    limits = resolve_limits(n_workers, timeout, max_memory)
    from indexer.catalog import check_user_catalog
    from indexer.user_gazetteer import check_user_gazetteer

    check_user_catalog()  # a malformed user file stops the run here, before any work
    check_user_gazetteer()
    try:
        found, odd = discover(paths)
        if not found and not odd:
            names = ", ".join(display_path(p) for p in paths)
            raise PaperscopeError(f"no PDF files under {names}")
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
        executor, client = _dask_executor(scheduler, security)
    elif security:
        raise PaperscopeError("--security needs --scheduler (a Dask cluster to talk to)")
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
            line = f"{display_path(r.path)}: {r.reason}"
            progress.console.print(line, markup=False, soft_wrap=True)
        progress.update(task, advance=1, pages=progress.tasks[0].fields["pages"] + r.pages)

    try:
        with progress:
            report = index_pdfs(
                paths,
                index_dir,
                workers=n_workers,
                limits=limits,
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
        name = signal.Signals(report.signal).name if report.signal else "SIGINT"
        err.print(
            f"stopped by {name}: what was indexed so far is kept; run the same command to resume",
            markup=False,
            soft_wrap=True,
        )
        return 128 + (report.signal or signal.SIGINT)
    return 1 if report.skipped else 0


DASK_SCHEMES = ("tcp", "tls", "inproc", "ucx", "ws", "wss")


def _dask_executor(address: str, security_file: str | None):
    """A Dask executor on the cluster at `address` (TLS when `security_file` says so)."""
    scheme, sep, rest = address.partition("://")
    if not sep or scheme not in DASK_SCHEMES or not rest:
        raise PaperscopeError(
            f"--scheduler {address!r}: give tls://HOST:PORT (or tcp://HOST:PORT on a"
            " trusted network)"
        )
    try:
        from distributed import Client
    except ImportError:
        raise PaperscopeError(
            "--scheduler needs dask.distributed (pip install distributed)"
        ) from None
    from search.commands.dask_security import load_security

    security = load_security(security_file) if security_file else None
    if scheme == "tcp" and not _loopback(rest):
        print(
            f"warning: {address} is plain TCP: anyone on the network can read the papers and"
            " any cluster member can run code in this process; use tls:// with --security",
            file=sys.stderr,
        )
    if scheme == "tls" and security is None:
        from distributed.security import Security

        if not Security().tls_ca_file:  # nor in Dask's own configuration
            raise PaperscopeError(
                f"--scheduler {address}: tls:// needs certificates; pass --security FILE.toml"
            )
    try:
        client = Client(address, timeout="10s", security=security)
    except (OSError, ValueError, TypeError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise PaperscopeError(f"cannot reach Dask scheduler {address} ({reason})") from None
    return client.get_executor(), client


def _loopback(host_port: str) -> bool:
    host = host_port.rsplit(":", 1)[0].strip("[]") if ":" in host_port else host_port
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
