"""The pool's pipelined dispatch: a worker holds its next job while it runs one, and a
job queued behind one that kills or stalls its worker still runs, on a fresh worker."""

from __future__ import annotations

import os
import time

from indexer.worker_pool import IsolatedPool, JobFailed


def _job(kind: str) -> str:
    if kind == "crash":
        os._exit(3)
    if kind == "stall":
        time.sleep(30)
    return f"done {kind}"


def _run(pool: IsolatedPool[str], kinds: list[str]) -> dict[str, object]:
    out: dict[str, object] = {}
    for item in pool.results(((k, (k,)) for k in kinds), tick=0.1):
        if item is not None:
            out[item[0]] = item[1]
    return out


def test_every_job_runs_once_with_two_jobs_per_worker() -> None:
    kinds = [f"p{i}" for i in range(12)]
    with IsolatedPool(2, _job, seconds=20, memory=0, depth=2) as pool:
        out = _run(pool, kinds)
        assert pool.replaced == 0
    assert out == {k: ("ok", f"done {k}") for k in kinds}


def test_a_job_queued_behind_a_crash_runs_on_a_new_worker() -> None:
    kinds = ["a", "crash", "b", "c", "d"]
    with IsolatedPool(1, _job, seconds=20, memory=0, depth=2) as pool:
        out = _run(pool, kinds)
    failed = out.pop("crash")
    assert isinstance(failed, JobFailed) and failed.kind == "crash"
    assert out == {k: ("ok", f"done {k}") for k in ("a", "b", "c", "d")}


def test_a_job_queued_behind_a_stalled_one_runs_after_the_timeout() -> None:
    kinds = ["stall", "a", "b"]
    t0 = time.monotonic()
    with IsolatedPool(1, _job, seconds=1.0, memory=0, depth=2) as pool:
        out = _run(pool, kinds)
    assert time.monotonic() - t0 < 10
    stalled = out.pop("stall")
    assert isinstance(stalled, JobFailed) and stalled.kind == "timeout"
    assert out == {"a": ("ok", "done a"), "b": ("ok", "done b")}
