"""A small process pool that can kill and replace one worker: per-job deadlines and caps.

`concurrent.futures.ProcessPoolExecutor` cannot stop one stuck job: a worker spinning
in MuPDF's C code ignores everything but SIGKILL, and one killed worker breaks the
whole pool (`BrokenProcessPool`, every pending future failed, the blame on an arbitrary
file). Here each worker has its own pipe and runs one job at a time, so the parent
knows which file each worker holds and when it started:

* a job past its deadline gets its worker SIGKILLed, reaped and replaced;
* a worker that dies (segfault, OOM killer, ``kill -9``) is reaped and replaced, and
  only the file it held is reported;
* each worker runs under ``RLIMIT_AS`` (its memory cap), ignores SIGINT (the parent
  decides what Ctrl-C means) and asks the kernel to SIGKILL it when the parent dies,
  so no worker outlives the run;
* `PoolRun.results` wakes up at least every `tick` seconds even while every worker is
  stuck, so the caller can commit on a timer and notice a stop request.

Workers are forked where the platform allows it, so they share the tables the parent
built before starting the pool.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import resource
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any, Generic, TypeVar

K = TypeVar("K")

_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True, slots=True)
class JobFailed:
    """A job that produced no result: its worker was killed or died."""

    kind: str
    """``timeout``, ``memory`` or ``crash``."""
    detail: str
    """For ``crash``: how the worker ended ("signal 9", "exit code 1"); else ''."""


@dataclass(slots=True)
class _Worker:
    """One worker process and the job it holds (mutable: the pool reassigns it)."""

    process: Any
    """The `multiprocessing` process."""
    conn: Connection
    """The parent's end of its pipe."""
    job: Any = None
    """Arguments of the job it runs, None when idle."""
    key: Any = None
    """The caller's key for that job (the file)."""
    started: float = 0.0
    """`time.monotonic()` when the job was sent: its deadline is this plus the budget."""
    queued: deque[tuple[Any, Any]] = field(default_factory=deque)
    """(key, args) of jobs sent behind `job`, waiting in the pipe: the worker starts the
    next one as soon as it has sent a result, without waiting for the parent."""


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL this process when its parent dies (no orphans after kill -9)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the pipe's EOF still ends the worker
        pass


def _status_kib(field: str) -> int:
    """A ``kB`` field of /proc/self/status (0 where there is none)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _cap_memory(cap: int) -> None:
    """Let this process hold about `cap` bytes: RLIMIT_AS at its address space + headroom.

    A forked worker inherits the parent's address space (hundreds of MB reserved by the
    index writer's threads, barely touched), so a bare ``RLIMIT_AS = cap`` would leave a
    small cap nothing; the headroom is `cap` minus what the worker holds resident now.
    """
    if cap <= 0:
        return
    vm, rss = _status_kib("VmSize") * 1024, _status_kib("VmRSS") * 1024
    limit = vm + max(cap - rss, 64 * 1024**2) if vm else cap
    with contextlib.suppress(ValueError, OSError):  # a lower hard limit wins
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _worker_main(
    conn: Connection,
    fn: Callable[..., Any],
    memory: int,
    initializer: Callable[..., None] | None,
    initargs: tuple[Any, ...],
    parent: int,
) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with_parent()
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(0)
    _cap_memory(memory)
    if initializer is not None:
        initializer(*initargs)
    while True:
        try:
            args = conn.recv()
        except (EOFError, OSError):
            return
        if args is None:
            return
        try:
            out: tuple[str, Any] = ("ok", fn(*args))
        except MemoryError:
            out = ("memory", None)
        except Exception as exc:
            out = ("error", f"{type(exc).__name__}: {str(exc)[:200]}")
        try:
            conn.send(out)
        except MemoryError:
            out = ("memory", None)
            conn.send(out)
        if out[0] == "memory":
            os._exit(0)  # a failed allocation may have left MuPDF half-way: start afresh


class IsolatedPool(Generic[K]):
    """`n` worker processes running `fn(*args)` one job each, under `memory` and `seconds`."""

    def __init__(
        self,
        n: int,
        fn: Callable[..., Any],
        *,
        seconds: float,
        memory: int,
        initializer: Callable[..., None] | None = None,
        initargs: tuple[Any, ...] = (),
        depth: int = 2,
    ) -> None:
        self.n = max(1, n)
        self.depth = max(1, depth)
        """Jobs a worker holds at once: the one it runs and those queued in its pipe."""
        self.fn = fn
        self.seconds = seconds
        self.memory = memory
        self.initializer = initializer
        self.initargs = initargs
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
        self._ctx = multiprocessing.get_context(method)
        self._workers: list[_Worker] = []
        self._returned: deque[tuple[K, tuple[Any, ...]]] = deque()
        """Queued jobs of workers that were lost: sent again before any new job."""
        self.replaced = 0
        """Workers killed or lost and started again."""

    # -- lifecycle ------------------------------------------------------------------

    def _spawn(self) -> _Worker:
        parent_conn, child_conn = self._ctx.Pipe(duplex=True)
        proc = self._ctx.Process(
            target=_worker_main,
            args=(child_conn, self.fn, self.memory, self.initializer, self.initargs, os.getpid()),
            daemon=True,
        )
        proc.start()
        child_conn.close()
        worker = _Worker(proc, parent_conn)
        self._workers.append(worker)
        return worker

    def _discard(self, worker: _Worker, *, kill: bool) -> None:
        if kill and worker.process.is_alive():
            with contextlib.suppress(ProcessLookupError):
                os.kill(worker.process.pid, signal.SIGKILL)
        worker.process.join(5)
        worker.conn.close()
        self._workers.remove(worker)
        self._returned.extendleft(reversed(worker.queued))  # never started: run them again
        worker.queued.clear()

    def close(self, *, kill: bool = False) -> None:
        """Stop every worker and reap it: politely when idle, SIGKILL when busy or `kill`."""
        for w in list(self._workers):
            if not kill and w.job is None and w.process.is_alive():
                with contextlib.suppress(OSError, ValueError):
                    w.conn.send(None)
        deadline = time.monotonic() + (0 if kill else 1.0)
        for w in list(self._workers):
            if not kill and w.job is None:
                w.process.join(max(0.0, deadline - time.monotonic()))
            self._discard(w, kill=True)

    def __enter__(self) -> IsolatedPool[K]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close(kill=exc[0] is not None)

    # -- running --------------------------------------------------------------------

    def results(
        self,
        jobs: Iterable[tuple[K, tuple[Any, ...]]],
        *,
        tick: float = 0.5,
        should_stop: Callable[[], bool] = lambda: False,
    ) -> Iterator[tuple[K, tuple[str, Any] | JobFailed] | None]:
        """Run `jobs` ((key, args) pairs); yield (key, ("ok"|"error", value) or `JobFailed`).

        Yields None at least every `tick` seconds while waiting; returns early (leaving
        the caller to `close(kill=True)`) once `should_stop()` is true.
        """
        queue: deque[tuple[K, tuple[Any, ...]]] = deque()
        source = iter(jobs)
        exhausted = False

        def fill() -> list[tuple[K, JobFailed]]:
            """Give every idle worker a job (starting workers as needed)."""
            nonlocal exhausted
            lost: list[tuple[K, JobFailed]] = []
            while self._returned:
                queue.appendleft(self._returned.pop())
            while not exhausted and len(queue) < self.n * self.depth:
                nxt = next(source, None)
                if nxt is None:
                    exhausted = True
                else:
                    queue.append(nxt)
            idle = [w for w in self._workers if w.job is None]
            while queue and (idle or len(self._workers) < self.n):
                w = idle.pop() if idle else self._spawn()
                key, args = queue.popleft()
                if not self._send(w, key, args):
                    lost.append((key, JobFailed("crash", self._ended(w))))
                    self._replace(w)
            # Then one more job behind each busy worker's current one (at most `depth`).
            for w in list(self._workers):
                if not queue or len(self._workers) < self.n:
                    break
                if w.job is not None and 1 + len(w.queued) < self.depth:
                    key, args = queue.popleft()
                    w.queued.append((key, args))
                    try:
                        w.conn.send(args)
                    except (OSError, ValueError):
                        w.queued.pop()  # its worker is gone: `_collect` reports its job
                        queue.appendleft((key, args))
            return lost

        while True:
            if should_stop():
                return
            finished: list[tuple[K, tuple[str, Any] | JobFailed]] = [*fill()]
            busy = [w for w in self._workers if w.job is not None]
            if not busy:
                yield from finished
                if exhausted and not queue and not self._returned:
                    return
                continue
            now = time.monotonic()
            nearest = min(w.started + self.seconds for w in busy)
            timeout = max(0.0, min(tick, nearest - now))
            ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout)
            for w in busy:
                if w.conn in ready or w.process.sentinel in ready:
                    finished.append(self._collect(w))
            now = time.monotonic()
            for w in [w for w in self._workers if w.job is not None]:
                if now - w.started >= self.seconds:
                    key = w.key
                    self._replace(w)
                    finished.append((key, JobFailed("timeout", "")))
            # Workers get their next job before the caller handles these results (the
            # writer's work on one paper must not leave a worker idle).
            if finished and not should_stop():
                finished += fill()
            if not finished:
                yield None
            yield from finished

    def _send(self, w: _Worker, key: K, args: tuple[Any, ...]) -> bool:
        w.job, w.key, w.started = args, key, time.monotonic()
        try:
            w.conn.send(args)
        except (OSError, ValueError):
            return False
        return True

    def _collect(self, w: _Worker) -> tuple[K, tuple[str, Any] | JobFailed]:
        key = w.key
        out: Any = None
        try:
            if w.conn.poll():
                out = w.conn.recv()
        except (EOFError, OSError):
            out = None
        except Exception:  # a result that cannot be unpickled
            out = ("error", "worker sent an unreadable result")
        if out is None:
            failed = JobFailed("crash", self._ended(w))
            self._replace(w)
            return key, failed
        w.job = w.key = None
        if w.queued and out[0] != "memory":  # the worker went on with the next one
            w.key, w.job = w.queued.popleft()
            w.started = time.monotonic()
        if out[0] == "memory":
            self._replace(w)
            return key, JobFailed("memory", "")
        return key, out

    def _replace(self, w: _Worker) -> None:
        self._discard(w, kill=True)
        self.replaced += 1

    @staticmethod
    def _ended(w: _Worker) -> str:
        w.process.join(1)
        code = w.process.exitcode
        if code is None:
            return "no answer"
        if code < 0:
            return f"signal {-code}"
        return f"exit code {code}"
