"""Snapshots of the TUI's screens at a fixed terminal size, on the tiny sample index.

Update after an intended change with ``pytest tests/test_tui_snapshots.py --snapshot-update``
and look at the SVGs (``tests/__snapshots__/``) before accepting them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_tui import build_sample_index

SIZE = (120, 40)


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample_index(tmp_path_factory.mktemp("snap") / "ix")


def make_app(index_dir: Path):
    from tui.app import PaperscopeApp

    return PaperscopeApp(index_dir, debounce=0.01)


async def wait_for_results(pilot, after: int = 0) -> None:
    screen = pilot.app.screen
    for query in screen.query("#query"):
        query.cursor_blink = False  # a blinking cursor makes screenshots differ
    for _ in range(500):
        if getattr(screen, "generation", 0) > after:
            break
        await pilot.pause(0.01)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def query_and_select(pilot) -> None:
    """Type a query, run it, select China in the country facet."""
    await wait_for_results(pilot)
    screen = pilot.app.screen
    gen = screen.generation
    await pilot.press(*"reward", "enter")
    await wait_for_results(pilot, gen)
    options = screen.query_one("#facet-list-country")
    options.focus()
    options.highlighted = options.get_option_index("CN")
    gen = screen.generation
    await pilot.press("enter")
    await wait_for_results(pilot, gen)


def test_start_screen(snap_compare, index_dir: Path) -> None:
    assert snap_compare(make_app(index_dir), terminal_size=SIZE, run_before=wait_for_results)


def test_query_with_country_selected(snap_compare, index_dir: Path) -> None:
    assert snap_compare(make_app(index_dir), terminal_size=SIZE, run_before=query_and_select)


def test_paper_view(snap_compare, index_dir: Path) -> None:
    async def open_first(pilot) -> None:
        await query_and_select(pilot)
        pilot.app.screen.query_one("ResultsTable").focus()
        await pilot.press("enter")
        await pilot.pause()

    assert snap_compare(make_app(index_dir), terminal_size=SIZE, run_before=open_first)


def test_help_screen(snap_compare, index_dir: Path) -> None:
    async def help_(pilot) -> None:
        await wait_for_results(pilot)
        await pilot.press("f1")

    assert snap_compare(make_app(index_dir), terminal_size=SIZE, run_before=help_)


def test_missing_index_screen(snap_compare) -> None:
    app = make_app(Path("no-such-index-dir"))
    assert snap_compare(app, terminal_size=SIZE)


def test_start_screen_at_80_by_24_collapses_the_facets(snap_compare, index_dir: Path) -> None:
    assert snap_compare(make_app(index_dir), terminal_size=(80, 24), run_before=wait_for_results)
