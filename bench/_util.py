"""Helpers the benchmark scripts share: paths, a process-tree memory sampler, tables, JSON.

The benchmarks measure whole process trees (the `search` CLI and its worker pool),
so memory is sampled from outside, summing every descendant's resident set.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
"""The repository root (so scripts run from anywhere)."""
SHARED_PDFS = ROOT.parent / "shared" / "corpus" / "pdfs"
"""Real papers, when present."""
BENCH_DIR = Path("/tmp/paperscope-bench")
"""Where the corpus and the indexes go (never inside the repository)."""
DEFAULT_CORPUS = BENCH_DIR / "corpus"
DEFAULT_INDEX = BENCH_DIR / "index"
OUT_DIR = ROOT / "bench" / "out"
"""JSON results (git-ignored)."""
PYTHON = sys.executable
SEARCH_CLI = Path(PYTHON).with_name("search")
"""The installed console script next to this interpreter."""

NEURIPS_PAPERS = 5290


def search_cmd() -> list[str]:
    """How to run the `search` CLI: the console script when installed, else ``-m``."""
    if SEARCH_CLI.exists():
        return [str(SEARCH_CLI)]
    return [PYTHON, "-c", "from search.cli import main; main()"]


def child_env() -> dict[str, str]:
    """Environment for subprocesses: the repository importable, no output buffering."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    env["PYTHONUNBUFFERED"] = "1"
    return env


@dataclass
class TreeMemory:
    """Peak memory of a process tree, sampled in a background thread."""

    peak_rss: int = 0
    """Largest sum of resident set sizes over the tree (counts shared pages once per process)."""
    peak_pss: int = 0
    """Largest sum of proportional set sizes (shared pages split between processes)."""
    samples: int = 0
    cpu: dict[int, float] = field(default_factory=dict)
    """Last CPU seconds (user + system) seen per process id."""


class TreeSampler:
    """Sample the memory of `pid` and all its descendants every `interval` seconds.

    PSS comes from the kernel walking every page table (~10 ms per sample of a 3-process
    tree): it is read on every `pss_every`-th sample only, so the sampler itself takes
    ~1% of a core instead of ~5% from the runs it measures.
    """

    def __init__(
        self, pid: int, interval: float = 0.2, pss: bool = True, pss_every: int = 5
    ) -> None:
        self.pid = pid
        self.interval = interval
        self.pss = pss
        self.pss_every = pss_every
        self.result = TreeMemory()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def sample(self) -> None:
        """Take one sample now."""
        try:
            root = psutil.Process(self.pid)
            procs = [root, *root.children(recursive=True)]
        except psutil.Error:
            return
        with_pss = self.pss and self.result.samples % self.pss_every == 0
        rss = pss = 0
        for p in procs:
            try:
                t = p.cpu_times()
                self.result.cpu[p.pid] = t.user + t.system
                if with_pss:
                    info = p.memory_full_info()
                    rss += info.rss
                    pss += info.pss
                else:
                    rss += p.memory_info().rss
            except psutil.Error:
                continue
        self.result.peak_rss = max(self.result.peak_rss, rss)
        self.result.peak_pss = max(self.result.peak_pss, pss)
        self.result.samples += 1

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)


def cpu_ticks() -> tuple[int, int]:
    """(stolen, total) CPU ticks of the whole machine so far, from /proc/stat (0, 0 elsewhere).

    Steal is time a virtual machine's CPUs were runnable but the host ran something else:
    a run with much of it was slowed by neighbours, not by the code.
    """
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    except OSError:
        return 0, 0
    ticks = [int(f) for f in fields]
    return (ticks[7] if len(ticks) > 7 else 0), sum(ticks[:8])


def dir_size(path: Path) -> int:
    """Bytes of every file under `path`."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def mib(n: float) -> str:
    return f"{n / 2**20:,.0f} MiB"


def percentile(values: Sequence[float], q: float) -> float:
    """The `q`-th percentile (0–100) by linear interpolation."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(q) - 1]


def print_table(rows: Sequence[Sequence[object]], header: Sequence[str]) -> None:
    """A plain aligned table on stdout."""
    cells = [[str(c) for c in header], *[[str(c) for c in r] for r in rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    for k, row in enumerate(cells):
        print(
            "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )
        if k == 0:
            print("  ".join("-" * w for w in widths))


def write_json(name: str, data: dict[str, object]) -> Path:
    """Write results to bench/out/NAME-<timestamp>.json and NAME-latest.json."""
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    data = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "host": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "machine": platform.machine(),
        },
        **data,
    }
    text = json.dumps(data, indent=2, default=str)
    stamped = OUT_DIR / f"{name}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    stamped.write_text(text)
    (OUT_DIR / f"{name}-latest.json").write_text(text)
    return stamped
