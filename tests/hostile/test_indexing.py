"""`search index` against hostile inputs and hostile events: it finishes, reports, keeps its work.

Each case is generated here (tests/hostile/cases.py): forms nested 34 deep, a content
stream of visible text that needs gigabytes, 200,000 invisible text operators, a
cyclic page tree, padding after ``%%EOF``, a non-UTF-8 file name, a FIFO, a dangling
link and a symlink loop. The runs use small limits (``--timeout``, ``--max-memory``)
so each test takes seconds; the processes are checked by PID afterwards.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest

from indexer import pipeline
from indexer.demo.corpus import make_paper
from indexer.limits import Limits
from search.errors import DiskFullError, IndexBusyError
from search.library import Library
from search.store import Store
from tests.hostile import cases

ROOT = Path(__file__).resolve().parents[2]
SEARCH = [sys.executable, "-c", "from search.cli import main; main()"]
GOOD = 3
STUCK_CPU = 1.5
"""CPU seconds after which a worker is surely on laughs.pdf (a sample paper takes ~0.3 s)."""


def good_pdfs(folder: Path, n: int = GOOD, start: int = 0) -> list[bytes]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(start, start + n):
        _, data, _ = make_paper(i)
        (folder / f"good-{i}.pdf").write_bytes(data)
        out.append(data)
    return out


def start(args: list[str], **kw) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200"}
    return subprocess.Popen(
        [*SEARCH, "index", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        **kw,
    )


def tree(proc: psutil.Process) -> list[psutil.Process]:
    try:
        return [proc, *proc.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def wait_sampling(popen: subprocess.Popen, timeout: float) -> int:
    """Wait for `popen`, sampling its process tree; return the peak summed RSS in bytes."""
    root = psutil.Process(popen.pid)
    peak = 0
    deadline = time.monotonic() + timeout
    while popen.poll() is None:
        total = 0
        for p in tree(root):
            with contextlib.suppress(psutil.Error):
                total += p.memory_info().rss
        peak = max(peak, total)
        if time.monotonic() > deadline:
            popen.kill()
            pytest.fail(f"index run still going after {timeout} s")
        time.sleep(0.05)
    return peak


def stuck_worker(popen: subprocess.Popen, timeout: float = 60) -> tuple[psutil.Process, list[int]]:
    """The worker that has spent `STUCK_CPU` on laughs.pdf, and every PID of the tree."""
    root = psutil.Process(popen.pid)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert popen.poll() is None, popen.communicate()
        for child in root.children(recursive=True):
            try:
                if sum(child.cpu_times()[:2]) > STUCK_CPU:
                    return child, [p.pid for p in tree(root)]
            except psutil.Error:
                continue
        time.sleep(0.1)
    pytest.fail("no worker got stuck")


def alive(pids: list[int]) -> list[int]:
    out = []
    for pid in pids:
        try:
            if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                out.append(pid)
        except psutil.NoSuchProcess:
            pass
    return out


def lines_for(stderr: str, name: str) -> list[str]:
    return [line for line in stderr.splitlines() if name in line]


# -- a folder of hostile files -----------------------------------------------------------


def test_hostile_folder_finishes_indexes_the_good_and_reports_each_bad_file_once(
    tmp_path: Path,
) -> None:
    pdfs = tmp_path / "pdfs"
    good = good_pdfs(pdfs)
    cases.billion_laughs(pdfs / "laughs.pdf")
    cases.invisible_operators(pdfs / "invisible.pdf")
    cases.cyclic_page_tree(pdfs / "cyclic.pdf")
    cases.with_trailing_bytes(good[0] + b"x", pdfs / "padded.pdf")  # new content: new paper
    odd = cases.odd_name(pdfs, good[1] + b"\n% odd\n")
    specials = cases.special_entries(pdfs)
    ix = tmp_path / "ix"

    t0 = time.monotonic()
    run = start([str(pdfs), "--index", str(ix), "--timeout", "3", "--workers", "2"])
    wait_sampling(run, timeout=120)
    out, err = run.communicate()
    took = time.monotonic() - t0

    assert run.returncode == 1, err
    assert took < 60, took
    assert "Traceback" not in err
    assert out.strip().startswith(f"indexed {GOOD + 2} papers"), out
    assert out.count("\n") == 1, "stdout holds the summary line only (MuPDF messages go to stderr)"
    expected = {
        "laughs.pdf": "gave up after 3 s",
        "invisible.pdf": "too many text operators",
        "cyclic.pdf": "page tree",
        "pipe.pdf": "not a regular file (FIFO)",
        "gone.pdf": "dangling symlink",
        "loop.pdf": "symlink loop",
    }
    for name, reason in expected.items():
        found = lines_for(err, name)
        assert len(found) == 1, (name, err)
        assert reason in found[0], found
    assert "padded.pdf" not in err
    assert "caf" not in err
    lib = Library(ix)
    assert lib.total() == GOOD + 2
    files = {p.file for p in lib.records()}
    assert "padded.pdf" in files
    assert os.fsencode(odd).rsplit(b"/", 1)[1].decode("utf-8", "backslashreplace") in files
    assert specials["fifo"].exists()


def test_memory_cap_stops_a_page_that_needs_gigabytes(tmp_path: Path) -> None:
    pdfs = tmp_path / "pdfs"
    good_pdfs(pdfs, n=1)
    cases.huge_text(pdfs / "huge.pdf", megabytes=30)
    run = start(
        [str(pdfs), "--index", str(tmp_path / "ix"), "--workers", "1", "--max-memory", "400M"]
    )
    peak = wait_sampling(run, timeout=120)
    _out, err = run.communicate()
    assert run.returncode == 1, err
    assert lines_for(err, "huge.pdf") == [f"{pdfs / 'huge.pdf'}: over 400 MB (memory cap)"]
    assert Library(tmp_path / "ix").total() == 1
    # The parent (~250 MB with its tables and the writer) and one capped worker.
    assert peak < 1024**3, f"process tree peaked at {peak / 2**20:.0f} MiB"


def test_a_huge_page_is_indexed_whole_but_analysed_in_bounded_time(tmp_path: Path) -> None:
    from indexer.extract import extract_paper

    path = tmp_path / "big.pdf"
    cases.huge_text(path, megabytes=2)
    t0 = time.perf_counter()
    paper = extract_paper(path)
    took = time.perf_counter() - t0
    assert len(paper.pages[0].text) > 1_000_000, "the full text is kept for the index"
    assert took < 30, took
    assert "llama" in paper.models_mentioned


# -- workers that die, parents that are stopped ---------------------------------------------


def test_a_killed_worker_costs_one_line_and_the_run_goes_on(tmp_path: Path) -> None:
    pdfs = tmp_path / "pdfs"
    good_pdfs(pdfs)
    cases.billion_laughs(pdfs / "laughs.pdf")
    run = start([str(pdfs), "--index", str(tmp_path / "ix"), "--timeout", "120", "-w", "2"])
    worker, pids = stuck_worker(run)
    worker.send_signal(signal.SIGKILL)
    out, err = run.communicate(timeout=60)
    assert run.returncode == 1, err
    assert lines_for(err, "laughs.pdf") == [f"{pdfs / 'laughs.pdf'}: worker crashed (signal 9)"]
    assert "Traceback" not in err and "BrokenProcessPool" not in err
    assert out.startswith(f"indexed {GOOD} papers"), out
    assert not alive(pids)
    assert Library(tmp_path / "ix").total() == GOOD


@pytest.mark.parametrize(
    ("sig", "code", "group"),
    [(signal.SIGTERM, 143, False), (signal.SIGINT, 130, False), (signal.SIGINT, 130, True)],
    ids=["SIGTERM", "SIGINT", "ctrl-c-to-the-process-group"],
)
def test_a_signal_stops_the_run_at_once_keeping_finished_work_and_no_worker(
    tmp_path: Path, sig: signal.Signals, code: int, group: bool
) -> None:
    pdfs = tmp_path / "pdfs"
    good_pdfs(pdfs)
    cases.billion_laughs(pdfs / "laughs.pdf")
    args = [str(pdfs), "--index", str(tmp_path / "ix"), "--timeout", "120", "-w", "2"]
    run = start(args, start_new_session=group)
    _worker, pids = stuck_worker(run)
    t0 = time.monotonic()
    if group:  # what a terminal's Ctrl-C does: every process of the group gets SIGINT
        os.killpg(run.pid, sig)
    else:
        run.send_signal(sig)
    out, err = run.communicate(timeout=30)
    took = time.monotonic() - t0
    assert run.returncode == code, err
    assert took < 2.0 * 2, f"{took:.1f} s to stop (2 s target; the CI machine is shared)"
    assert "Traceback" not in err
    assert lines_for(err, "stopped by") == [
        f"stopped by {sig.name}: what was indexed so far is kept; run the same command to resume"
    ]
    assert out.startswith(f"indexed {GOOD} papers"), out
    assert not alive(pids), "every worker is killed and reaped"
    assert Library(tmp_path / "ix").total() == GOOD


def test_workers_die_with_a_parent_killed_by_sigkill(tmp_path: Path) -> None:
    pdfs = tmp_path / "pdfs"
    good_pdfs(pdfs, n=1)
    cases.billion_laughs(pdfs / "laughs.pdf")
    run = start([str(pdfs), "--index", str(tmp_path / "ix"), "--timeout", "120", "-w", "2"])
    _worker, pids = stuck_worker(run)
    run.kill()  # no handler runs: the kernel's parent-death signal must end the workers
    run.communicate(timeout=30)
    assert run.returncode == -signal.SIGKILL
    deadline = time.monotonic() + 5
    while alive(pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(pids), "a worker outlived its parent"


def test_finished_papers_are_committed_on_the_timer_while_a_worker_is_stuck(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pdfs = tmp_path / "pdfs"
    good_pdfs(pdfs)
    cases.billion_laughs(pdfs / "laughs.pdf")
    ix = tmp_path / "ix"
    monkeypatch.setattr(pipeline, "COMMIT_SECONDS", 0.5)
    reports = []
    thread = threading.Thread(
        target=lambda: reports.append(
            pipeline.index_pdfs([pdfs], ix, workers=2, limits=Limits(seconds=12, memory=2**31))
        )
    )
    thread.start()
    try:
        deadline = time.monotonic() + 11
        total = 0
        while time.monotonic() < deadline and total < GOOD:
            time.sleep(0.3)
            if (ix / "meta.json").exists():
                total = Library(ix).total()
        assert total == GOOD, "the good papers are visible while laughs.pdf is still running"
        assert thread.is_alive()
    finally:
        thread.join(60)
    assert [r.reason for r in reports[0].skipped] == ["gave up after 12 s"]


# -- the index's lifecycle --------------------------------------------------------------------


def test_rebuild_waits_for_the_writer_lock_and_deletes_nothing_under_a_live_writer(
    tmp_path: Path,
) -> None:
    pdfs = tmp_path / "pdfs"
    good_pdfs(pdfs, n=1)
    ix = tmp_path / "ix"
    pipeline.index_pdfs([pdfs], ix, workers=1)
    before = sorted(p.name for p in ix.iterdir())
    store = Store.create(ix)
    writer = store.writer()
    try:
        with pytest.raises(IndexBusyError):
            Store.create(ix, rebuild=True)
        run = start([str(pdfs), "--index", str(ix), "--rebuild"])
        _out, err = run.communicate(timeout=60)
        assert run.returncode == 2
        assert "being written by another process" in err
        assert sorted(p.name for p in ix.iterdir()) == before
    finally:
        writer.close()
        del writer
    assert Library(ix).total() == 1


def _mount_tmpfs(path: Path, size: str) -> bool:
    path.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)])
    return done.returncode == 0


@pytest.fixture()
def tiny_disk(tmp_path: Path):
    mount = tmp_path / "tiny"
    if not _mount_tmpfs(mount, "256k"):
        pytest.skip("mounting a 256 KB tmpfs needs root (the injected ENOSPC test still runs)")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_is_one_line_exit_1_and_committed_papers_stay(
    tmp_path: Path, tiny_disk: Path
) -> None:
    pdfs = tmp_path / "pdfs"
    good_pdfs(pdfs, n=12)
    ix = tiny_disk / "ix"
    run = start([str(pdfs), "--index", str(ix), "-w", "2"])
    _out, err = run.communicate(timeout=120)
    assert run.returncode == 1, err
    assert err.strip().splitlines()[-1] == (
        f"error: no space left on device while writing {ix}; committed papers are kept"
    )
    assert "Traceback" not in err
    assert Library(ix).total() < 12, "the index stays readable with what it committed"


def test_enospc_at_the_writer_boundary_becomes_disk_full(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pdfs = tmp_path / "pdfs"
    good_pdfs(pdfs, n=2)
    ix = tmp_path / "ix"
    pipeline.index_pdfs([pdfs], ix, workers=1)
    good_pdfs(pdfs, n=1, start=5)

    import search.store

    real = search.store.StoreWriter.commit

    def full(self) -> None:
        self._io(lambda: (_ for _ in ()).throw(OSError(28, "No space left on device")))
        real(self)

    monkeypatch.setattr(search.store.StoreWriter, "commit", full)
    with pytest.raises(DiskFullError, match="no space left on device while writing"):
        pipeline.index_pdfs([pdfs], ix, workers=1)
    monkeypatch.undo()
    assert Library(ix).total() == 2


@pytest.fixture()
def read_only_index(tmp_path: Path, demo_index: Path):
    """A copy of the sample index the test process truly cannot write to."""
    if os.geteuid() == 0:
        mount = tmp_path / "ro"
        if not _mount_tmpfs(mount, "64m"):
            pytest.skip("root cannot be kept from writing without a read-only mount")
        shutil.copytree(demo_index, mount / "ix")
        if subprocess.run(["mount", "-o", "remount,ro", str(mount)]).returncode != 0:
            subprocess.run(["umount", "-l", str(mount)], check=False)
            pytest.skip("this machine cannot remount a tmpfs read-only")
        yield mount / "ix"
        subprocess.run(["umount", "-l", str(mount)], check=False)
        return
    copy = tmp_path / "ix"
    shutil.copytree(demo_index, copy)
    for p in [copy, *copy.iterdir()]:
        p.chmod(0o555 if p.is_dir() else 0o444)
    yield copy
    copy.chmod(0o755)


def test_a_read_only_index_is_searchable_and_never_advised_away(read_only_index: Path) -> None:
    with pytest.raises(OSError):
        (read_only_index / "probe").write_text("x")
    lib = Library(read_only_index)
    assert lib.total() > 0
    assert lib.find(limit=2)
    run = start([str(read_only_index), "--index", str(read_only_index)])
    _out, err = run.communicate(timeout=60)
    assert run.returncode in (1, 2)
    assert "--rebuild" not in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err


def test_absurd_worker_counts_are_clamped_with_a_note(tmp_path: Path) -> None:
    pdfs = tmp_path / "pdfs"
    good_pdfs(pdfs, n=1)
    run = start([str(pdfs), "--index", str(tmp_path / "ix"), "--workers", "100000"])
    out, err = run.communicate(timeout=60)
    assert run.returncode == 0, err
    top = 4 * (os.cpu_count() or 1)
    assert f"note: --workers 100000 is more than 4 per core: using {top}" in err
    assert out.startswith("indexed 1 papers")
