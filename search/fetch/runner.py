"""Download listed papers into a folder: ``<id>.pdf`` plus its ``<id>.json`` sidecar.

A paper counts as present when its PDF starts with ``%PDF-`` and its sidecar
records the same size; anything else (missing, a ``.part`` left by a killed run, a
size that does not match) is downloaded again — resuming the ``.part`` where the
server allows it. The sidecar is written after its PDF, atomically, so a folder
never holds a sidecar for a PDF that is not complete. Downloads run on a few
threads; the shared `HttpClient` keeps them under one request-rate limit.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from indexer.sidecar import SidecarError, read_sidecar, sidecar_path
from search.fetch.http import HttpClient, HttpError
from search.fetch.openreview import ListedPaper

Outcome = Literal["downloaded", "present", "missing", "failed"]


@dataclass(frozen=True, slots=True)
class FetchResult:
    """What happened to one listed paper."""

    paper: ListedPaper
    """The paper."""
    outcome: Outcome
    """`downloaded`, `present` (already complete), `missing` (dry run), `failed`."""
    reason: str = ""
    """For `failed`: why, in one line."""
    size: int = 0
    """Bytes of the PDF on disk (downloaded or present)."""


@dataclass(slots=True)
class FetchReport:
    """Summary of a fetch run."""

    results: list[FetchResult] = field(default_factory=list)
    """One per listed paper that was considered."""
    seconds: float = 0.0
    """Wall time of the downloads."""
    interrupted: bool = False
    """True when the run was stopped early (complete files stay, .part files resume)."""

    def count(self, *outcomes: Outcome) -> int:
        """How many papers ended with one of `outcomes`."""
        return sum(r.outcome in outcomes for r in self.results)

    @property
    def failed(self) -> list[FetchResult]:
        """Papers that could not be fetched."""
        return [r for r in self.results if r.outcome == "failed"]

    def bytes(self, outcome: Outcome = "downloaded") -> int:
        """Total PDF size of the papers with `outcome`."""
        return sum(r.size for r in self.results if r.outcome == outcome)


class _Stopped(Exception):
    """Raised inside a download thread when the run is interrupted."""


def is_present(pdf: Path) -> int | None:
    """Size of a complete PDF with a matching sidecar, else None."""
    try:
        size = pdf.stat().st_size
        with pdf.open("rb") as fh:
            head = fh.read(5)
        car = read_sidecar(pdf)
    except (OSError, SidecarError):
        return None
    if head != b"%PDF-" or car is None or car.pdf_bytes != size:
        return None
    return size


def fetch_papers(
    papers: Iterable[ListedPaper],
    out_dir: Path,
    client: HttpClient,
    *,
    concurrency: int = 4,
    dry_run: bool = False,
    on_result: Callable[[FetchResult], None] | None = None,
    on_bytes: Callable[[int], None] | None = None,
) -> FetchReport:
    """Download every paper not already present into `out_dir`; see the module docstring."""
    t0 = time.perf_counter()
    out_dir.mkdir(parents=True, exist_ok=True)
    report = FetchReport()
    stop = threading.Event()

    def emit(result: FetchResult) -> None:
        report.results.append(result)
        if on_result:
            on_result(result)

    def counted(n: int) -> None:
        if stop.is_set():
            raise _Stopped
        if on_bytes:
            on_bytes(n)

    todo: list[ListedPaper] = []
    for paper in papers:
        size = is_present(out_dir / f"{paper.id}.pdf")
        if size is not None:
            emit(FetchResult(paper, "present", size=size))
        elif dry_run:
            emit(FetchResult(paper, "missing"))
        else:
            todo.append(paper)
    if not todo:
        report.seconds = time.perf_counter() - t0
        return report

    pool = ThreadPoolExecutor(max(1, concurrency), thread_name_prefix="fetch")
    pending: dict[Future[FetchResult], ListedPaper] = {}
    queue = iter(todo)
    try:
        for paper in queue:
            pending[pool.submit(_fetch_one, paper, out_dir, client, counted)] = paper
            if len(pending) >= concurrency * 2:
                break
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in done:
                paper = pending.pop(fut)
                try:
                    emit(fut.result())
                except _Stopped:
                    pass
                except Exception as exc:  # a bug in one download must not stop the run
                    emit(FetchResult(paper, "failed", f"{type(exc).__name__}: {exc}"))
                nxt = next(queue, None)
                if nxt is not None:
                    pending[pool.submit(_fetch_one, nxt, out_dir, client, counted)] = nxt
    except KeyboardInterrupt:
        report.interrupted = True
        stop.set()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    report.seconds = time.perf_counter() - t0
    return report


def _fetch_one(
    paper: ListedPaper, out_dir: Path, client: HttpClient, on_bytes: Callable[[int], None]
) -> FetchResult:
    pdf = out_dir / f"{paper.id}.pdf"
    try:
        size = client.download(paper.pdf_url, pdf, on_bytes)
    except HttpError as exc:
        return FetchResult(paper, "failed", str(exc))
    except OSError as exc:
        return FetchResult(paper, "failed", f"cannot write {pdf} ({exc.strerror or exc})")
    now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    car = replace(paper.sidecar, pdf_bytes=size, fetched_at=now)
    try:
        write_atomic(sidecar_path(pdf), car.to_json())
    except OSError as exc:
        return FetchResult(paper, "failed", f"cannot write {pdf.stem}.json ({exc.strerror})")
    return FetchResult(paper, "downloaded", size=size)


def write_atomic(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file and a rename."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
