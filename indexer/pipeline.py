"""Index a folder of PDFs: worker processes extract, one writer commits.

Extraction (PyMuPDF, affiliations, mentions) runs in a process pool — or on a
Dask cluster — and the parent process is the index's single writer. Work is
committed in batches, so a run that is interrupted (Ctrl-C, a killed process)
keeps every batch it committed and the next run resumes: files whose size and
mtime match what the index holds are not even opened, files whose content hash
is already indexed are not extracted again. A file that cannot be read is
reported with its reason and the run goes on.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from indexer.records import Paper
from search.store import Store

COMMIT_EVERY = 200
"""Papers per commit: bounds what an interrupted run loses and how often segments are written."""
COMMIT_SECONDS = 30.0
"""Longest time between commits."""
EXECUTOR_WINDOW = 256
"""Jobs in flight on an external executor (a Dask cluster has more cores than this machine)."""

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


def discover_pdfs(paths: Sequence[Path]) -> list[Path]:
    """Every PDF under `paths` (recursively), sorted, each once."""
    found: dict[Path, None] = {}
    for path in paths:
        if not path.exists():
            raise NoPdfsError(f"{path}: no such file or folder")
        if path.is_file():
            found[path.resolve()] = None
            continue
        for p in sorted(path.rglob("*")):
            if p.suffix.lower() == ".pdf" and p.is_file():
                found[p.resolve()] = None
    return list(found)


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
    """
    from indexer.extract import content_id, extract_paper
    from indexer.pdf_text import PdfError

    p = Path(path)
    try:
        # Hash first only when there is something to match: extract_paper hashes anyway.
        if skip_known and _KNOWN_IDS and (pid := content_id(p)) in _KNOWN_IDS:
            return "known", pid
        return "ok", extract_paper(p, venue=venue, year=year)
    except PdfError as exc:
        return "error", str(exc)
    except OSError as exc:
        return "error", f"cannot read file ({exc.strerror or exc})"
    except Exception as exc:  # a malformed PDF must not stop the run
        return "error", f"extraction failed ({type(exc).__name__}: {str(exc)[:100]})"


# -- parent side -------------------------------------------------------------------


def index_pdfs(
    paths: Sequence[Path],
    index_dir: Path,
    *,
    workers: int | None = None,
    venue: str | None = None,
    year: int | None = None,
    rebuild: bool = False,
    executor: Executor | None = None,
    on_start: Callable[[int], None] | None = None,
    on_result: Callable[[FileResult], None] | None = None,
) -> IndexReport:
    """Index every PDF under `paths` into `index_dir`; see the module docstring.

    `executor` (e.g. a Dask ``Client.get_executor()``) replaces the local process pool.
    """
    t0 = time.perf_counter()
    files = discover_pdfs(paths)
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
        prev = stored.get(str(f))
        st = f.stat()
        if prev and prev.size == st.st_size and prev.mtime == st.st_mtime:
            report.results.append(FileResult(f, "unchanged"))
        else:
            todo.append(f)
    if on_start:
        on_start(len(todo))

    writer = store.writer()
    last_commit = time.monotonic()
    seen_ids: dict[str, Path] = {}
    try:
        for path, (status, value) in _run(todo, venue, year, workers, executor, frozenset(by_id)):
            if status == "error":
                emit(FileResult(path, "skipped", str(value)))
                continue
            if status == "known" or (isinstance(value, Paper) and value.id in by_id):
                pid = value if isinstance(value, str) else value.id
                holder = by_id.get(pid)
                emit(
                    FileResult(
                        path, "unchanged" if holder == str(path) else "duplicate", str(holder or "")
                    )
                )
                continue
            assert isinstance(value, Paper)
            if value.id in seen_ids:
                emit(FileResult(path, "duplicate", str(seen_ids[value.id])))
                continue
            seen_ids[value.id] = path
            old = stored.get(str(path))
            if old:
                writer.delete(old.paper_id)
            writer.add(value)
            emit(FileResult(path, "replaced" if old else "indexed", pages=value.n_pages))
            if writer.pending >= COMMIT_EVERY or time.monotonic() - last_commit > COMMIT_SECONDS:
                writer.commit()
                last_commit = time.monotonic()
        writer.commit()
    except KeyboardInterrupt:
        report.interrupted = True
        writer.commit()
    finally:
        writer.close()
    report.seconds = time.perf_counter() - t0
    return report


def _run(
    todo: list[Path],
    venue: str | None,
    year: int | None,
    workers: int | None,
    executor: Executor | None,
    known: frozenset[str],
) -> Iterator[tuple[Path, tuple[str, Paper | str | None]]]:
    """Yield (path, job result) as jobs finish, keeping a bounded number in flight."""
    if not todo:
        return
    n = max(1, workers or os.cpu_count() or 1)
    if executor is not None:
        # Its workers never ran `_init_worker` (and an in-process one may hold a stale set).
        yield from _drain(executor, todo, venue, year, max(n * 4, EXECUTOR_WINDOW), False)
        return
    if n == 1:
        _init_worker(known)
        for p in todo:
            yield p, extract_job(str(p), venue, year)
        return
    forked = multiprocessing.get_start_method() == "fork"
    if forked:
        # Forked workers inherit the tables: build them once here, and freeze them out of
        # the garbage collector so the children's collections leave the shared pages alone.
        from indexer.extract import load_tables

        load_tables()
        gc.collect()
        gc.freeze()
    try:
        with ProcessPoolExecutor(n, initializer=_init_worker, initargs=(known,)) as pool:
            try:
                yield from _drain(pool, todo, venue, year, n * 4, True)
            except KeyboardInterrupt:
                pool.shutdown(wait=False, cancel_futures=True)
                raise
    finally:
        if forked:
            gc.unfreeze()


def _drain(
    pool: Executor,
    todo: Iterable[Path],
    venue: str | None,
    year: int | None,
    window: int,
    skip_known: bool,
) -> Iterator[tuple[Path, tuple[str, Paper | str | None]]]:
    pending: dict[Future[tuple[str, Paper | str | None]], Path] = {}
    queue = iter(todo)
    for p in queue:
        pending[pool.submit(extract_job, str(p), venue, year, skip_known)] = p
        if len(pending) >= window:
            break
    while pending:
        done, _ = wait(pending, return_when=FIRST_COMPLETED)
        for fut in done:
            path = pending.pop(fut)
            try:
                result = fut.result()
            except Exception as exc:  # a crashed worker: report the file, go on
                result = ("error", f"worker failed ({type(exc).__name__})")
            yield path, result
            nxt = next(queue, None)
            if nxt is not None:
                pending[pool.submit(extract_job, str(nxt), venue, year, skip_known)] = nxt
