"""The model-version facet: versions (``gpt/4o``) beside the families, with live counts that
equal `search count --model VERSION`, selectable in the TUI like any other facet."""

from __future__ import annotations

from pathlib import Path

import pytest

from search.browse import facet_counts, pick, selected, toggle
from search.filters import make_filters
from search.library import Library
from tests.test_tui import make_app, settle, shown_counts

pytestmark = pytest.mark.anyio


def test_version_counts_equal_picking_the_version(demo_index: Path) -> None:
    lib = Library(demo_index)
    top = facet_counts(lib, make_filters())["model_version"]
    assert top and all("/" in fc.value for fc in top)
    version = top[0].value
    family = version.split("/")[0]
    states = [
        make_filters(),
        make_filters(countries=["CN"]),
        make_filters(models=[version]),
        make_filters(models=[family, version]),
        make_filters(models=[version], mentioned=True, years=[2025]),
    ]
    for filters in states:
        for facet, rows in facet_counts(lib, filters).items():
            for fc in rows:
                assert fc.count == lib.count(pick(filters, facet, fc.value)), (filters, facet, fc)


def test_families_and_versions_share_the_model_filter() -> None:
    f = make_filters(models=["llama", "gpt/4o"])
    assert selected(f, "model") == ("llama",) and selected(f, "model_version") == ("gpt/4o",)
    assert toggle(f, "model_version", "gpt/4o").models == ("llama",)
    assert toggle(f, "model", "qwen").models == ("gpt/4o", "llama", "qwen")
    assert pick(f, "model_version", "qwen/2.5").models == ("qwen/2.5",)


async def test_selecting_a_version_in_the_tui(demo_index: Path) -> None:
    from tui.facet_panel import FacetPanel

    lib = Library(demo_index)
    app = make_app(demo_index)
    async with app.run_test(size=(130, 45)) as pilot:
        screen = app.screen
        await settle(pilot, screen, 0)
        shown = shown_counts(screen, "model_version")
        expected = lib.facets(make_filters(), fields=["model_version_used"], size=25)
        assert shown == {fc.value: fc.count for fc in expected["model_version_used"]}
        version = max(shown, key=lambda v: (shown[v], v))
        panel = screen.query_one("#facet-model_version", FacetPanel)
        assert "Model version" in str(panel.query_one(".facet-title").render())

        options = panel.options
        options.focus()
        options.highlighted = options.get_option_index(version)
        gen = screen.generation
        await pilot.press("enter")
        await settle(pilot, screen, gen)
        f = make_filters(models=[version])
        assert screen.filters.models == (version,)
        assert screen.results.total == lib.count(f) == shown[version]
        assert f"--model {version}" in str(screen.query_one("StatusBar").render())
        assert panel.selected == {version}
        # the family panel still lists every family, counted as if chosen alone
        for value, count in shown_counts(screen, "model").items():
            assert count == lib.count(pick(screen.filters, "model", value))

        gen = screen.generation
        await pilot.press("f3")  # any mention: the version panel follows the switch
        await settle(pilot, screen, gen)
        assert "any mention" in str(panel.query_one(".facet-title").render())
        assert screen.results.total == lib.count(make_filters(models=[version], mentioned=True))
