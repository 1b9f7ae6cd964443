"""How much one PDF may cost: time, memory and text volume, with defaults that scale.

A hostile or broken PDF (form XObjects nested 34 deep, 50 MB of text in one content
stream) can keep a MuPDF call busy for hours or drive a worker past the machine's
memory. Each file is therefore extracted under a time budget and a memory cap, and
the analysis stages (front matter, sections, mentions, usage) read at most a bounded
amount of text per page and per paper, so no page can make them slow; the full text
still goes into the index. The defaults fit a 2-core, 4 GB machine and grow with it;
``search index --timeout/--max-memory`` or ``PAPERSCOPE_TIMEOUT`` /
``PAPERSCOPE_MAX_MEMORY`` change them.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from search.errors import PaperscopeError

TIMEOUT_ENV = "PAPERSCOPE_TIMEOUT"
MEMORY_ENV = "PAPERSCOPE_MAX_MEMORY"
DEFAULT_SECONDS = 60.0
"""Time budget per file: a 400-page thesis takes ~10 s on the reference machine."""
MAX_DEFAULT_MEMORY = 2 * 1024**3
"""Memory cap per worker when the machine has room for it."""
MIN_MEMORY = 256 * 1024**2
"""Below this a worker cannot even open an ordinary paper."""
MAX_WORKERS_PER_CORE = 4
"""`--workers` above this many per core only thrash: clamped with a note."""

ANALYSIS_PAGE_CHARS = 50_000
"""Characters of a page the analysis stages read (a dense paper page holds ~6,000)."""
ANALYSIS_PAPER_CHARS = 2_000_000
"""Characters of a paper the analysis stages read (a 400-page thesis holds ~1.5 M)."""


@dataclass(frozen=True, slots=True)
class Limits:
    """What one file may cost a worker."""

    seconds: float = DEFAULT_SECONDS
    """Wall-clock budget for extracting one file; the worker is killed past it."""
    memory: int = MAX_DEFAULT_MEMORY
    """Address-space cap of a worker process, in bytes."""

    def describe_memory(self) -> str:
        """The cap as people write it ("2 GB", "512 MB")."""
        return format_bytes(self.memory)


def total_memory() -> int:
    """Physical memory of the machine in bytes (4 GB when it cannot be read)."""
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return 4 * 1024**3


def default_memory(workers: int) -> int:
    """min(2 GB, RAM / (workers + 1)): the workers and the writer fit in RAM together."""
    return max(MIN_MEMORY, min(MAX_DEFAULT_MEMORY, total_memory() // (workers + 1)))


def resolve_limits(workers: int, seconds: float | None, memory: str | int | None) -> Limits:
    """Limits from the options, else the environment, else the defaults."""
    if seconds is None and (env := os.environ.get(TIMEOUT_ENV, "").strip()):
        seconds = parse_seconds(env, TIMEOUT_ENV)
    if memory is None and (env := os.environ.get(MEMORY_ENV, "").strip()):
        memory = env
    secs = DEFAULT_SECONDS if seconds is None else float(seconds)
    if not 0 < secs <= 7 * 24 * 3600:
        raise PaperscopeError(f"--timeout {seconds!r}: give seconds between 0 and 604800")
    if memory is None:
        mem = default_memory(workers)
    elif isinstance(memory, int):
        mem = memory
    else:
        mem = parse_bytes(memory, "--max-memory")
    if mem < MIN_MEMORY:
        raise PaperscopeError(
            f"--max-memory {format_bytes(mem)} is too small: a worker needs at least"
            f" {format_bytes(MIN_MEMORY)}"
        )
    return Limits(seconds=secs, memory=mem)


def parse_seconds(text: str, what: str) -> float:
    """'60', '2.5' → seconds; raise a one-line error otherwise."""
    try:
        value = float(text)
    except ValueError:
        raise PaperscopeError(f"{what}={text!r} is not a number of seconds") from None
    if not 0 < value <= 7 * 24 * 3600:
        raise PaperscopeError(f"{what}={text!r}: give seconds between 0 and 604800")
    return value


_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3, "t": 1024**4}
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*$", re.IGNORECASE)


def parse_bytes(text: str, what: str) -> int:
    """'2G', '512MB', '1.5GiB', '1073741824' → bytes; raise a one-line error otherwise."""
    m = _SIZE.match(text)
    if m is None:
        raise PaperscopeError(f"{what} {text!r}: give a size such as 2G, 512M or 1500000000")
    value = int(float(m.group(1)) * _UNITS[m.group(2).lower()])
    if value > 1024**5:
        raise PaperscopeError(f"{what} {text!r} is larger than any machine")
    return value


def format_bytes(n: int) -> str:
    """Bytes as the largest whole-ish unit ("2 GB", "1.5 GB", "300 MB")."""
    for unit, size in (("TB", 1024**4), ("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if n >= size:
            value = n / size
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{n} bytes"


def clamp_workers(requested: int | None) -> tuple[int, str]:
    """Worker count to use and a note when `requested` was clamped ('' otherwise)."""
    cores = os.cpu_count() or 1
    if requested is None:
        return cores, ""
    if requested < 1:
        raise PaperscopeError(f"--workers {requested}: give at least 1")
    top = MAX_WORKERS_PER_CORE * cores
    if requested > top:
        return (
            top,
            f"--workers {requested} is more than {MAX_WORKERS_PER_CORE} per core: using {top}",
        )
    return requested, ""
