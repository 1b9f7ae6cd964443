"""Index a folder of PDFs: worker processes extract, one writer commits.

Extraction (PyMuPDF, affiliations, mentions) runs in a process pool — or on a
Dask cluster — and the parent process is the index's single writer. Work is
committed in batches, so a run that is interrupted (Ctrl-C, a killed process)
keeps every batch it committed and the next run resumes: files whose size and
mtime match what the index holds are not even opened, files whose content hash
is already indexed are not extracted again. A file that cannot be read is
reported with its reason and the run goes on.

Each file is extracted under a time budget and a memory cap (`indexer.limits`) by an
`IsolatedPool` worker: a file past either, or one that crashes its worker, costs one
line and a fresh worker, never the run. The writer commits on a timer even while every
worker is stuck, and SIGINT/SIGTERM stop the run between papers with everything that
finished committed.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import multiprocessing
import os
import re
import signal
import stat
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from indexer.limits import Limits, resolve_limits
from indexer.records import Paper, display_path
from indexer.worker_pool import IsolatedPool, JobFailed
from search.store import Store, StoredFile, StoreWriter

COMMIT_EVERY = 200
"""Papers per commit: bounds what an interrupted run loses and how often segments are written."""
COMMIT_SECONDS = 30.0
"""Longest time between commits."""
EXECUTOR_WINDOW = 256
"""Jobs in flight on an external executor (a Dask cluster has more cores than this machine)."""
TICK_SECONDS = 0.25
"""Longest wait for a worker before the loop checks the commit timer and stop signals."""

Outcome = Literal["indexed", "replaced", "unchanged", "duplicate", "skipped"]


@dataclass(frozen=True, slots=True)
class FileResult:
    """What happened to one file."""

    path: Path
    """The file."""
    outcome: Outcome
    """`indexed` (new), `replaced` (changed file), `unchanged`, `duplicate`, `skipped` (bad)."""
    reason: str = ""
    """For `skipped`: why; for `duplicate`: the file holding the same content."""
    pages: int = 0
    """Pages indexed."""


@dataclass(slots=True)
class IndexReport:
    """Summary of an indexing run."""

    results: list[FileResult] = field(default_factory=list)
    """One per file considered."""
    seconds: float = 0.0
    """Wall time."""
    interrupted: bool = False
    """True when the run was stopped early (what was committed stays)."""
    signal: int = 0
    """The signal that stopped the run (SIGINT, SIGTERM), 0 when none."""

    def count(self, *outcomes: Outcome) -> int:
        """How many files ended with one of `outcomes`."""
        return sum(r.outcome in outcomes for r in self.results)

    @property
    def pages(self) -> int:
        """Pages indexed in this run."""
        return sum(r.pages for r in self.results)

    @property
    def skipped(self) -> list[FileResult]:
        """Files that could not be indexed."""
        return [r for r in self.results if r.outcome == "skipped"]


class NoPdfsError(ValueError):
    """A path given to index does not exist or holds no PDF."""


# -- discovery ---------------------------------------------------------------------


def discover(paths: Sequence[Path]) -> tuple[list[Path], list[FileResult]]:
    """Every PDF under `paths` (recursively, sorted, each once) and the entries skipped.

    Symlinks to files and folders are followed; a symlink loop, a dangling link, a FIFO
    or another special file named ``*.pdf`` is reported once as skipped with its reason
    instead of being dropped silently (or blocking the run, for a FIFO).
    """
    found: dict[Path, None] = {}
    skipped: dict[Path, FileResult] = {}
    seen_dirs: set[tuple[int, int]] = set()

    def consider(p: Path, named: bool) -> None:
        try:
            st = p.stat()
        except OSError as exc:
            if named or p.suffix.lower() == ".pdf" or p.is_symlink():
                skipped.setdefault(p, FileResult(p, "skipped", _link_reason(p, exc)))
            return
        if stat.S_ISDIR(st.st_mode):
            key = (st.st_dev, st.st_ino)
            if key in seen_dirs:
                if p.is_symlink():
                    skipped.setdefault(
                        p, FileResult(p, "skipped", "symlink loop (folder seen already)")
                    )
                return
            seen_dirs.add(key)
            try:
                children = sorted(os.scandir(p), key=lambda e: e.name)
            except OSError as exc:
                skipped.setdefault(
                    p, FileResult(p, "skipped", f"cannot list folder ({exc.strerror})")
                )
                return
            for entry in children:
                consider(Path(entry.path), False)
            return
        if not named and p.suffix.lower() != ".pdf":
            return
        if not stat.S_ISREG(st.st_mode):
            kind = "FIFO" if stat.S_ISFIFO(st.st_mode) else "special file (device or socket)"
            skipped.setdefault(p, FileResult(p, "skipped", f"not a regular file ({kind})"))
            return
        found.setdefault(p.resolve(), None)

    for path in paths:
        if not os.path.lexists(path):
            raise NoPdfsError(f"{display_path(path)}: no such file or folder")
        consider(Path(path), True)
    return list(found), list(skipped.values())


def _link_reason(p: Path, exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "symlink loop"
    if p.is_symlink() and exc.errno == errno.ENOENT:
        try:
            target = os.readlink(p)
        except OSError:
            target = "?"
        return f"dangling symlink (to {display_path(target)})"
    return f"cannot read file ({exc.strerror})"


# -- worker side -------------------------------------------------------------------

_KNOWN_IDS: frozenset[str] = frozenset()


def _init_worker(known_ids: frozenset[str]) -> None:
    global _KNOWN_IDS
    _KNOWN_IDS = known_ids
    # Warm the per-process tables once, not in the first job (no-op after a warm fork).
    from indexer.extract import load_tables

    load_tables()


def extract_job(
    path: str, venue: str | None, year: int | None, skip_known: bool = True
) -> tuple[str, Paper | str | None]:
    """Run in a worker: ("ok", Paper), ("known", paper_id) or ("error", reason).

    `skip_known` trusts the ids `_init_worker` set; off on executors that never ran it.
    A failed allocation is raised as `MemoryError` (the pool reports the memory cap).
    """
    from indexer.extract import content_id, extract_paper
    from indexer.pdf_text import PdfError, mupdf_messages

    p = Path(path)
    mupdf_messages()  # drop what an earlier file left
    try:
        # Hash first only when there is something to match: extract_paper hashes anyway.
        if skip_known and _KNOWN_IDS and (pid := content_id(p)) in _KNOWN_IDS:
            return "known", pid
        return "ok", extract_paper(p, venue=venue, year=year)
    except MemoryError:
        raise
    except PdfError as exc:
        if _is_out_of_memory(exc):
            raise MemoryError from None
        return "error", _with_messages(str(exc))
    except OSError as exc:
        return "error", f"cannot read file ({exc.strerror or exc})"
    except Exception as exc:  # a malformed PDF must not stop the run
        if _is_out_of_memory(exc):
            raise MemoryError from None
        return "error", _with_messages(
            f"extraction failed ({type(exc).__name__}: {str(exc)[:100]})"
        )


_OOM = re.compile(r"(?:m|c|re)alloc\b.*\bfailed|out of memory|cannot allocate", re.IGNORECASE)


def _is_out_of_memory(exc: BaseException) -> bool:
    """True for MuPDF's report of an allocation refused under the memory cap."""
    return _OOM.search(str(exc)) is not None


def _with_messages(reason: str) -> str:
    from indexer.pdf_text import mupdf_messages

    if msgs := mupdf_messages():
        return f"{reason} [MuPDF: {msgs}]"
    return reason


# -- parent side -------------------------------------------------------------------


class _StopFlag:
    """Set by SIGINT/SIGTERM while a run is going: the loop stops between papers."""

    def __init__(self) -> None:
        self.signum = 0

    def __call__(self) -> bool:
        return self.signum != 0

    def handler(self, signum: int, _frame: object) -> None:
        self.signum = signum


@contextlib.contextmanager
def _stop_on_signals(flag: _StopFlag) -> Iterator[None]:
    """SIGINT and SIGTERM set `flag` instead of raising in the middle of a write."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    for s in old:
        signal.signal(s, flag.handler)
    try:
        yield
    finally:
        for s, h in old.items():
            signal.signal(s, h)


def index_pdfs(
    paths: Sequence[Path],
    index_dir: Path,
    *,
    workers: int | None = None,
    venue: str | None = None,
    year: int | None = None,
    rebuild: bool = False,
    executor: Executor | None = None,
    limits: Limits | None = None,
    on_start: Callable[[int], None] | None = None,
    on_result: Callable[[FileResult], None] | None = None,
) -> IndexReport:
    """Index every PDF under `paths` into `index_dir`; see the module docstring.

    `executor` (e.g. a Dask ``Client.get_executor()``) replaces the local process pool.
    `limits` bounds each file's time and each worker's memory (default: `resolve_limits`).
    SIGINT/SIGTERM stop the run between papers: what finished is committed, the workers
    are killed and reaped, and the report says which signal (`IndexReport.signal`).
    """
    t0 = time.perf_counter()
    files, bad_entries = discover(paths)
    n = max(1, workers or os.cpu_count() or 1)
    limits = limits or resolve_limits(n, None, None)
    store = Store.create(index_dir, rebuild=rebuild)
    stored = store.stored_files()
    by_id = {s.paper_id: p for p, s in stored.items()}
    report = IndexReport()

    def emit(result: FileResult) -> None:
        report.results.append(result)
        if on_result:
            on_result(result)

    todo: list[Path] = []
    for f in files:
        prev = stored.get(display_path(f))
        try:
            st = f.stat()
        except OSError:
            todo.append(f)
            continue
        if prev and prev.size == st.st_size and prev.mtime == st.st_mtime:
            report.results.append(FileResult(f, "unchanged"))
        else:
            todo.append(f)
    if on_start:
        on_start(len(todo) + len(bad_entries))
    for r in bad_entries:
        emit(r)

    stop = _StopFlag()
    writer = store.writer()
    last_commit = time.monotonic()
    seen_ids: dict[str, Path] = {}
    try:
        run = _run(todo, venue, year, n, executor, frozenset(by_id), limits, stop)
        with _stop_on_signals(stop), contextlib.closing(run):  # closing reaps the workers
            for item in run:
                if item is not None:
                    _take(item, writer, stored, by_id, seen_ids, emit, limits)
                if writer.pending and (
                    writer.pending >= COMMIT_EVERY
                    or time.monotonic() - last_commit > COMMIT_SECONDS
                ):
                    writer.commit()
                    last_commit = time.monotonic()
                if stop():
                    break
            writer.commit()
    except KeyboardInterrupt:  # raised by a callback: what was added is whole papers
        stop.signum = signal.SIGINT
        writer.commit()
    finally:
        writer.close()
    report.interrupted = bool(stop.signum)
    report.signal = stop.signum
    report.seconds = time.perf_counter() - t0
    return report


def _take(
    item: tuple[Path, tuple[str, Paper | str | None] | JobFailed],
    writer: StoreWriter,
    stored: dict[str, StoredFile],
    by_id: dict[str, str],
    seen_ids: dict[str, Path],
    emit: Callable[[FileResult], None],
    limits: Limits,
) -> None:
    """Add one finished job to the writer and report it."""
    path, result = item
    if isinstance(result, JobFailed):
        emit(FileResult(path, "skipped", _failure_reason(result, limits)))
        return
    status, value = result
    if status == "error":
        emit(FileResult(path, "skipped", str(value)))
        return
    if status == "known" or (isinstance(value, Paper) and value.id in by_id):
        pid = value if isinstance(value, str) else value.id
        holder = by_id.get(str(pid))
        same = holder == display_path(path)
        emit(FileResult(path, "unchanged" if same else "duplicate", str(holder or "")))
        return
    assert isinstance(value, Paper)
    if value.id in seen_ids:
        emit(FileResult(path, "duplicate", display_path(seen_ids[value.id])))
        return
    seen_ids[value.id] = path
    old = stored.get(display_path(path))
    if old:
        writer.delete(old.paper_id)
    writer.add(value)
    emit(FileResult(path, "replaced" if old else "indexed", pages=value.n_pages))


def _failure_reason(failed: JobFailed, limits: Limits) -> str:
    if failed.kind == "timeout":
        return f"gave up after {limits.seconds:g} s"
    if failed.kind == "memory":
        return f"over {limits.describe_memory()} (memory cap)"
    return f"worker crashed ({failed.detail})"


Item = tuple[Path, tuple[str, Any] | JobFailed] | None


def _run(
    todo: list[Path],
    venue: str | None,
    year: int | None,
    n: int,
    executor: Executor | None,
    known: frozenset[str],
    limits: Limits,
    stop: Callable[[], bool],
) -> Iterator[Item]:
    """Yield (path, job result) as jobs finish, or None every tick while waiting."""
    if not todo:
        return
    if executor is not None:
        # Its workers never ran `_init_worker` (and an in-process one may hold a stale set).
        yield from _drain(executor, todo, venue, year, max(n * 4, EXECUTOR_WINDOW), stop)
        return
    forked = "fork" in multiprocessing.get_all_start_methods()
    if forked:
        # Forked workers inherit the tables: build them once here, and freeze them out of
        # the garbage collector so the children's collections leave the shared pages alone.
        from indexer.extract import load_tables

        load_tables()
        gc.collect()
        gc.freeze()
    pool: IsolatedPool[Path] = IsolatedPool(
        min(n, len(todo)),
        extract_job,
        seconds=limits.seconds,
        memory=limits.memory,
        initializer=_init_worker,
        initargs=(known,),
    )
    killed = True
    try:
        jobs = ((p, (str(p), venue, year)) for p in todo)
        for item in pool.results(jobs, tick=TICK_SECONDS, should_stop=stop):
            if item is not None and not isinstance(item[1], JobFailed):
                path, (status, value) = item
                # The pool wraps what `extract_job` returned; an exception it let escape
                # (a bug, not the PDF) is reported like any other extraction failure.
                item = (
                    path,
                    value if status == "ok" else ("error", f"extraction failed ({value})"),
                )
            yield item
        killed = stop()
    finally:
        pool.close(kill=killed)
        if forked:
            gc.unfreeze()


def _drain(
    pool: Executor,
    todo: Iterable[Path],
    venue: str | None,
    year: int | None,
    window: int,
    stop: Callable[[], bool],
) -> Iterator[Item]:
    pending: dict[Future[tuple[str, Paper | str | None]], Path] = {}
    queue = iter(todo)
    for p in queue:
        pending[pool.submit(extract_job, str(p), venue, year, False)] = p
        if len(pending) >= window:
            break
    try:
        while pending and not stop():
            done, _ = wait(pending, timeout=TICK_SECONDS, return_when=FIRST_COMPLETED)
            if not done:
                yield None
            for fut in done:
                path = pending.pop(fut)
                try:
                    result: tuple[str, Any] | JobFailed = fut.result()
                except MemoryError:
                    result = JobFailed("memory", "")
                except Exception as exc:  # a lost worker: report the file, go on
                    result = ("error", f"worker failed ({type(exc).__name__}: {str(exc)[:100]})")
                yield path, result
                nxt = next(queue, None)
                if nxt is not None:
                    pending[pool.submit(extract_job, str(nxt), venue, year, False)] = nxt
    finally:
        for fut in pending:
            fut.cancel()
