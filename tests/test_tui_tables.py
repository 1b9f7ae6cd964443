"""The TUI's table view shows the same `Table` records as `search table` / `search adoption`."""

from __future__ import annotations

from pathlib import Path

import pytest

from search.filters import make_filters
from search.library import Library
from tests.test_tui import make_app, settle

pytestmark = pytest.mark.anyio


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.test_tui import build_sample_index

    return build_sample_index(tmp_path_factory.mktemp("tui-tables") / "ix")


def grid_rows(screen) -> list[list[str]]:
    grid = screen.query_one("#group-table")
    return [[str(c) for c in grid.get_row_at(i)] for i in range(grid.row_count)]


async def test_f7_opens_the_tables_with_the_library_numbers(index_dir: Path) -> None:
    from tui.table_screen import VIEWS, TableScreen

    lib = Library(index_dir)
    app = make_app(index_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app.screen, 0)
        await pilot.press("f7")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TableScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        expected = lib.table("year")
        rows = grid_rows(screen)
        assert [r[0] for r in rows] == [*expected.rows, "total"]
        assert [int(r[1]) for r in rows] == [*expected.row_totals, expected.total]
        assert "search table --by year" in str(screen.query_one("#table-caption").render())

        await pilot.press("t")  # models × author country: the adoption matrix
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert VIEWS[screen.view].adoption
        adoption = lib.adoption(make_filters())
        rows = grid_rows(screen)
        assert [r[0] for r in rows] == [*adoption.rows, "total"]
        first = adoption.rows[0]
        for j, col in enumerate(adoption.columns):
            shown = rows[0][1 + j]
            assert shown.rstrip("*") == str(adoption.cell(first, col))
            assert shown.endswith("*") == ((first, col) in adoption.marked)

        await pilot.press("s")  # shares of each author country's papers
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.table is not None and screen.table.shares
        assert grid_rows(screen)[0][1].rstrip("*").endswith("%")
        await pilot.press("escape")
        assert not isinstance(app.screen, TableScreen)
