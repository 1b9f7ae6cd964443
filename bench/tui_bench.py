"""Keystroke-to-updated-results latency of the TUI, measured with Pilot on a real index.

Usage::

    python bench/tui_bench.py [INDEX_DIR] [--rounds N]     # default /tmp/tui-index

Three figures, each the time from a key press until the results table, facet counts
and status line show the new state (median and p95 over many presses):

* typing: one character of a query, with the debounce switched off (the work a
  keystroke costs; the debounce then adds its fixed quiet time on top);
* typing + debounce: the same with the default debounce (what a user waits for
  after the last keystroke);
* facet toggle: Enter on a facet value.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tui.app import PaperscopeApp
from tui.query_bar import DEBOUNCE_SECONDS

PAUSE = 0.05
"""Quiet time between key presses (a fast typist's rhythm; lets each repaint finish)."""
WORDS = ("model", "reward", "agents", "llama", "data", "vision", "training", "benchmark")


async def _wait(pilot, screen, generation: int, timeout: float = 10.0) -> None:
    start = time.perf_counter()
    while screen.generation <= generation:
        await pilot.pause(0.001)
        if time.perf_counter() - start > timeout:
            raise TimeoutError("results never arrived")


async def _typing(index: Path, debounce: float, rounds: int) -> tuple[list[float], list[float]]:
    app = PaperscopeApp(index, debounce=debounce)
    latencies: list[float] = []
    query_seconds: list[float] = []
    async with app.run_test(size=(140, 45)) as pilot:
        screen = app.screen
        await _wait(pilot, screen, 0)
        for word in (WORDS * rounds)[:rounds]:
            for key in [*word, *["backspace"] * len(word)]:
                gen = screen.generation
                start = time.perf_counter()
                await pilot.press(key)
                await _wait(pilot, screen, gen)
                latencies.append(screen.shown_at - start)
                query_seconds.append(screen.results.seconds)
                await pilot.pause(PAUSE)
    return latencies, query_seconds


async def _facets(index: Path, rounds: int) -> list[float]:
    from tui.facet_panel import FacetPanel

    app = PaperscopeApp(index)
    latencies: list[float] = []
    async with app.run_test(size=(140, 45)) as pilot:
        screen = app.screen
        await _wait(pilot, screen, 0)
        for facet in ("country", "model", "year", "venue", "institution") * rounds:
            options = screen.query_one(f"#facet-{facet}", FacetPanel).options
            if not options.option_count:
                continue
            options.focus()
            options.highlighted = 0
            await pilot.pause(0.3)  # let the focus scroll settle before timing
            for _ in range(2):  # select, then deselect
                gen = screen.generation
                start = time.perf_counter()
                await pilot.press("enter")
                await _wait(pilot, screen, gen)
                latencies.append(screen.shown_at - start)
                await pilot.pause(PAUSE)
    return latencies


def _line(name: str, values: list[float]) -> str:
    ms = sorted(v * 1000 for v in values)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return f"{name:<28} n={len(ms):<4} median {statistics.median(ms):7.1f} ms   p95 {p95:7.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("index", nargs="?", type=Path, default=Path("/tmp/tui-index"))
    parser.add_argument("--rounds", type=int, default=4, help="Words typed / facet passes.")
    args = parser.parse_args()
    from search.library import Library

    total = Library(args.index).total()
    print(f"index {args.index}: {total} papers")
    typed, query = asyncio.run(_typing(args.index, 0.0, args.rounds))
    print(_line("typing (no debounce)", typed))
    print(_line("  of which query layer", query))
    typed_db, _ = asyncio.run(_typing(args.index, DEBOUNCE_SECONDS, max(1, args.rounds // 2)))
    print(_line(f"typing + {DEBOUNCE_SECONDS * 1000:.0f} ms debounce", typed_db))
    print(_line("facet toggle", asyncio.run(_facets(args.index, max(1, args.rounds // 2)))))


if __name__ == "__main__":
    main()
