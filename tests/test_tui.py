"""The TUI driven with Pilot on a tiny hand-built index: counts match the query API."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from indexer.records import Affiliation, Author, ModelMention, ModelUsage, PageText, Paper
from search.browse import facet_counts, list_hits, pick, toggle
from search.errors import PaperscopeError
from search.export import default_name, export_results, format_for
from search.filters import Filters, make_filters
from search.library import Library
from search.store import Store

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.anyio

# (id, [(institution, country)], used, mentioned, body text, year, venue)
SAMPLE = [
    (
        "p01",
        [("Tsinghua University", "CN")],
        ["llama"],
        ["gpt"],
        "we fine-tune a reward model",
        2024,
        "NeurIPS",
    ),
    (
        "p02",
        [("Peking University", "CN"), ("Stanford University", "US")],
        ["llama", "qwen"],
        [],
        "instruction tuning with a reward model",
        2025,
        "NeurIPS",
    ),
    ("p03", [("Stanford University", "US")], ["gpt"], ["llama"], "agents that plan", 2025, "ICLR"),
    (
        "p04",
        [("Tsinghua University", "CN")],
        ["qwen", "deepseek"],
        ["llama"],
        "math reasoning with chain of thought",
        2025,
        "ICLR",
    ),
    (
        "p05",
        [("University of Hong Kong", "HK")],
        ["llama"],
        [],
        "vision language alignment",
        2024,
        "CVPR",
    ),
    (
        "p06",
        [("University of Oxford", "GB"), ("Peking University", "CN")],
        ["mistral"],
        ["qwen"],
        "a reward model benchmark",
        2025,
        "NeurIPS",
    ),
    ("p07", [("MIT", "US")], [], ["gpt", "claude"], "a survey of agents", 2023, "ICML"),
    (
        "p08",
        [("Zhejiang University", "CN")],
        ["llama", "gpt"],
        [],
        "code generation agents",
        2025,
        "NeurIPS",
    ),
]


def sample_paper(
    pid, affs, used, mentioned, body, year, venue, pdf_dir: Path | None = None
) -> Paper:
    """A hand-made paper record (no PDF parsing)."""
    affiliations = tuple(
        Affiliation(text=f"{inst}, {cc}", institution=inst, country=cc, evidence="test")
        for inst, cc in affs
    )
    usages = tuple(
        ModelUsage(
            m,
            "used",
            "experiments",
            (
                ModelMention(
                    m, m.title() + "-7B", 3, "body", f"We fine-tune {m.title()}-7B on our data."
                ),
            ),
            4,
        )
        for m in used
    ) + tuple(
        ModelUsage(
            m,
            "mentioned",
            "related work",
            (ModelMention(m, m.title(), 2, "related", f"Prior work used {m.title()}."),),
            1,
        )
        for m in mentioned
    )
    pages = (
        PageText(1, f"Title of {pid}\nAbstract"),
        PageText(2, "related work and background"),
        PageText(3, body),
    )
    path = (pdf_dir / f"{pid}.pdf") if pdf_dir else Path(f"/nonexistent/{pid}.pdf")
    return Paper(
        id=pid,
        file=f"{pid}.pdf",
        path=str(path),
        title=f"A study of {body}",
        pages=pages,
        authors=tuple(Author(f"Author {i}", (i,)) for i in range(len(affiliations))),
        affiliations=affiliations,
        usages=usages,
        year=year,
        venue=venue,
    )


def build_sample_index(path: Path, pdf_dir: Path | None = None) -> Path:
    """Write the SAMPLE papers into a fresh index at `path`."""
    store = Store.create(path)
    with store.writer() as w:
        for row in SAMPLE:
            w.add(sample_paper(*row, pdf_dir=pdf_dir))
        w.commit()
    return path


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample_index(tmp_path_factory.mktemp("tui") / "ix")


@pytest.fixture(scope="module")
def lib(index_dir: Path) -> Library:
    return Library(index_dir)


def make_app(index_dir: Path):
    from tui.app import PaperscopeApp

    return PaperscopeApp(index_dir, debounce=0.05)


async def settle(pilot, screen, generation: int, timeout: float = 5.0) -> None:
    """Wait until the screen has shown results newer than `generation`."""
    waited = 0.0
    while screen.generation <= generation:
        await pilot.pause(0.02)
        waited += 0.02
        assert waited < timeout, "results never arrived"
    await pilot.pause()


def shown_counts(screen, facet: str) -> dict[str, int]:
    from tui.facet_panel import FacetPanel

    return dict(screen.query_one(f"#facet-{facet}", FacetPanel).counts)


def status_text(screen) -> str:
    from tui.status_bar import StatusBar

    return str(screen.query_one(StatusBar).render())


# -- headless helpers (no terminal) ---------------------------------------------------


def test_headless_packages_do_not_import_textual() -> None:
    code = (
        "import sys; import indexer.pipeline, indexer.extract, search.library, search.cli, "
        "search.filters, search.browse, search.export; "
        "assert 'textual' not in sys.modules, [m for m in sys.modules if m.startswith('textual')]"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_facet_count_equals_count_of_picking_the_value(lib: Library) -> None:
    states = [
        make_filters(),
        make_filters("reward"),
        make_filters(countries=["CN"]),
        make_filters(countries=["CN", "US"], all_countries=True),
        make_filters(models=["llama"], mentioned=True, countries=["CN"]),
        make_filters(model_origins=["CN"], years=[2025]),
    ]
    for filters in states:
        for facet, rows in facet_counts(lib, filters).items():
            for fc in rows:
                assert fc.count == lib.count(pick(filters, facet, fc.value)), (filters, facet, fc)


def test_list_hits_equals_find_without_snippets(lib: Library) -> None:
    for filters in (make_filters(), make_filters("reward"), make_filters(countries=["CN"])):
        assert list_hits(lib, filters, limit=5) == lib.find(filters, limit=5, snippets=0)


def test_toggle_adds_and_removes_values() -> None:
    f = toggle(Filters(), "country", "CN")
    assert f.countries == ("CN",)
    f = toggle(f, "year", "2024")
    assert f.years == (2024,)
    assert toggle(toggle(f, "country", "US"), "country", "CN").countries == ("US",)


def test_origin_facet_counts_papers_using_models_from_that_country(lib: Library) -> None:
    origins = {fc.value: fc.count for fc in facet_counts(lib, Filters())["model_origin"]}
    assert origins["CN"] == lib.count(make_filters(model_origins=["CN"])) == 2
    assert origins["FR"] == 1


def test_export_csv_and_json(lib: Library, tmp_path: Path) -> None:
    f = make_filters(countries=["CN"])
    assert export_results(lib, f, tmp_path / "out.csv") == lib.count(f)
    lines = (tmp_path / "out.csv").read_text().splitlines()
    assert lines[0].startswith("paper_id,file,title,year")
    assert len(lines) == 1 + lib.count(f)
    export_results(lib, f, tmp_path / "out.json")
    data = json.loads((tmp_path / "out.json").read_text())
    assert data["count"] == lib.count(f)
    assert data["filters"] == {"countries": ["CN"], "countries_match": "any"}
    assert all("CN" in p["countries"] for p in data["papers"])
    assert all(isinstance(p["year"], int) for p in data["papers"])


def test_export_format_follows_extension_and_bad_path_is_a_user_error(lib: Library) -> None:
    assert format_for(Path("x.JSON")) == "json"
    assert format_for(Path("x")) == "csv"
    assert default_name("json").endswith(".json")
    with pytest.raises(PaperscopeError):
        export_results(lib, Filters(), Path("/proc/nope/out.csv"))


def test_pdf_viewer_prefers_page_aware_viewers_and_reports_when_none(tmp_path: Path) -> None:
    from search.pdf_viewer import open_pdf, viewer_command

    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    cmd, at_page = viewer_command(pdf, 7, which=lambda n: n if n == "zathura" else None)
    assert cmd == ["zathura", "--page", "7", str(pdf)] and at_page
    cmd, at_page = viewer_command(pdf, 7, which=lambda n: n if n in ("xdg-open", "open") else None)
    assert cmd[1] == str(pdf) and not at_page
    none = open_pdf(pdf, 3, which=lambda n: None)
    assert not none.ok and "No PDF viewer" in none.message
    started: list[list[str]] = []
    ok = open_pdf(
        pdf, 3, which=lambda n: n if n == "evince" else None, popen=lambda c, **k: started.append(c)
    )
    assert ok.ok and started == [["evince", "--page-index", "3", str(pdf)]]
    assert not open_pdf(tmp_path / "missing.pdf", 1).ok


# -- the app -----------------------------------------------------------------------------


async def test_start_screen_shows_total_and_facet_counts(index_dir: Path, lib: Library) -> None:
    app = make_app(index_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await settle(pilot, screen, 0)
        assert f"{lib.total()} of {lib.total()} papers" in status_text(screen)
        assert "$ search count" in status_text(screen)
        countries = shown_counts(screen, "country")
        assert countries == {fc.value: fc.count for fc in lib.facets(Filters())["country"]}
        assert screen.query_one("ResultsTable").row_count == lib.total()


async def test_typing_a_query_updates_counts_like_the_query_api(
    index_dir: Path, lib: Library
) -> None:
    app = make_app(index_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await settle(pilot, screen, 0)
        gen = screen.generation
        await pilot.press(*"reward")
        await settle(pilot, screen, gen)
        for _ in range(250):  # the debounce may have fired mid-word: wait for the last one
            if screen.results.filters.query == "reward":
                break
            await pilot.pause(0.02)
        f = make_filters("reward")
        assert screen.results.total == lib.count(f) == 3
        assert f"3 of {lib.total()} papers" in status_text(screen)
        assert "search count reward" in status_text(screen)
        assert shown_counts(screen, "country") == {
            fc.value: fc.count for fc in lib.facets(f)["country"]
        }


async def test_enter_runs_the_query_at_once(index_dir: Path, lib: Library) -> None:
    from tui.app import PaperscopeApp

    app = PaperscopeApp(index_dir, debounce=30.0)  # only Enter can run it
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await settle(pilot, screen, 0)
        gen = screen.generation
        await pilot.press(*"agents", "enter")
        await settle(pilot, screen, gen)
        assert screen.results.total == lib.count(make_filters("agents"))


async def test_toggling_facets_filters_and_counts_match(index_dir: Path, lib: Library) -> None:
    from tui.facet_panel import FacetPanel

    app = make_app(index_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await settle(pilot, screen, 0)
        # Chinese-affiliated papers on Llama: select CN, then the llama model.
        for facet, value in (("country", "CN"), ("model", "llama")):
            panel = screen.query_one(f"#facet-{facet}", FacetPanel)
            options = panel.options
            options.focus()
            options.highlighted = options.get_option_index(value)
            gen = screen.generation
            await pilot.press("enter")
            await settle(pilot, screen, gen)
        f = make_filters(countries=["CN"], models=["llama"])
        assert screen.filters == f
        assert screen.results.total == lib.count(f) == 3
        assert "--model llama --country CN" in status_text(screen)
        for facet in ("institution", "year", "venue"):
            for value, count in shown_counts(screen, facet).items():
                assert count == lib.count(pick(f, facet, value))
        # any mention of llama, then collaborations with the US
        gen = screen.generation
        await pilot.press("f3")
        await settle(pilot, screen, gen)
        assert screen.results.total == lib.count(replace(f, mentioned=True)) == 4
        screen.set_filters(toggle(screen.filters, "country", "US"))
        gen = screen.generation
        await pilot.press("f2")
        await settle(pilot, screen, gen)
        both = make_filters(
            countries=["CN", "US"], all_countries=True, models=["llama"], mentioned=True
        )
        assert screen.filters == both
        assert screen.results.total == lib.count(both) == 1


async def test_bad_query_shows_inline_error_and_keeps_running(index_dir: Path) -> None:
    app = make_app(index_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await settle(pilot, screen, 0)
        gen = screen.generation
        await pilot.press(*"title:(", "enter")
        await settle(pilot, screen, gen)
        error = str(screen.query_one("#query-error").render())
        assert "cannot parse query" in error
        assert screen.query_one("#query-error").has_class("-visible")
        assert "query error" in status_text(screen)
        gen = screen.generation
        await pilot.press("ctrl+u", *"agents", "enter")
        await settle(pilot, screen, gen)
        assert not screen.query_one("#query-error").has_class("-visible")


async def test_opening_a_paper_shows_affiliations_models_and_evidence(index_dir: Path) -> None:
    from tui.paper_screen import PaperScreen

    app = make_app(index_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await settle(pilot, screen, 0)
        gen = screen.generation
        await pilot.press(*"reward", "enter")
        await settle(pilot, screen, gen)
        table = screen.query_one("ResultsTable")
        table.focus()
        await pilot.press("enter")
        await pilot.pause()
        paper = app.screen
        assert isinstance(paper, PaperScreen)
        authors = str(paper.query_one("#paper-authors").render())
        assert "→" in authors
        evidence = paper.evidence
        assert evidence[0].label == "query" and evidence[0].snippet.page == 3
        assert any(e.label.endswith("used") for e in evidence)
        from tui.paperscope_commands import PaperscopeCommands

        names = {name for name, _h, _cb in PaperscopeCommands(paper)._commands()}
        assert {"Open PDF at page", "Back to results", "Help"} <= names
        await pilot.press("o")  # the sample PDFs do not exist: a notification, no crash
        await pilot.pause()
        assert any("PDF not found" in n.message for n in app._notifications)
        await pilot.press("escape")
        assert app.screen is screen


def test_paper_screen_evidence_shows_the_affiliation_line_for_a_country_question(
    index_dir: Path,
) -> None:
    from tui.paper_screen import collect_evidence

    lib = Library(index_dir)
    paper = lib.paper("p02")
    evidence = collect_evidence(lib, paper, make_filters(countries=["CN"]))
    (country,) = [e for e in evidence if e.snippet.source == "country:CN"]
    assert country.label == "CN China · affiliation"
    assert "Peking University" in country.snippet.text and country.snippet.page == 1
    # Without a country question the affiliation lines are not put first (each country
    # still gets its own reviewable line at the end).
    assert not any(
        e.label.endswith("· affiliation") for e in collect_evidence(lib, paper, Filters())
    )


async def test_sorting_by_year_column(index_dir: Path) -> None:
    app = make_app(index_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await settle(pilot, screen, 0)
        table = screen.query_one("ResultsTable")
        table.sort_by("year")
        years = [table.get_row_at(i)[4] for i in range(table.row_count)]
        assert years == sorted(years)
        table.sort_by("year")
        years = [table.get_row_at(i)[4] for i in range(table.row_count)]
        assert years == sorted(years, reverse=True)


async def test_export_writes_the_current_results(
    index_dir: Path, lib: Library, tmp_path: Path
) -> None:
    app = make_app(index_dir)
    target = tmp_path / "chinese.json"
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await settle(pilot, screen, 0)
        screen.set_filters(make_filters(countries=["CN"]))
        await settle(pilot, screen, screen.generation)
        await pilot.press("ctrl+s")
        await pilot.pause()
        dialog = app.screen
        path_input = dialog.query_one("#export-path")
        assert path_input.value.endswith(".csv")
        path_input.value = str(target)
        await pilot.press("enter")
        for _ in range(100):
            if target.exists():
                break
            await pilot.pause(0.02)
        await app.workers.wait_for_complete()
        await pilot.pause()
        data = json.loads(target.read_text())
        assert data["count"] == lib.count(make_filters(countries=["CN"]))
        assert any(str(target) in n.message for n in app._notifications)


async def test_charts_and_help_and_palette_open(index_dir: Path) -> None:
    from tui.chart_screen import ChartScreen
    from tui.help_screen import HelpScreen

    app = make_app(index_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await settle(pilot, screen, 0)
        await pilot.press("f4")
        await pilot.pause()
        assert isinstance(app.screen, ChartScreen)
        await app.workers.wait_for_complete()
        await pilot.press("escape")
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        keys = dict(app.screen.rows)
        assert keys["ctrl+s"] == "Export" and keys["f2"] == "Any/all countries"
        assert keys["ctrl+q"] == "Quit" and keys["f1"] == "Help"
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await pilot.press(*"export json")
        await pilot.pause(0.3)
        assert "Export results as JSON" in str(
            app.screen.query_one("CommandList").get_option_at_index(0).prompt
        )


async def test_palette_lists_every_search_screen_binding(index_dir: Path) -> None:
    from tui.paperscope_commands import PaperscopeCommands
    from tui.search_screen import SearchScreen

    app = make_app(index_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app.screen, 0)
        provider = PaperscopeCommands(app.screen)
        callbacks = {getattr(cb, "func", cb).__name__ for _n, _h, cb in provider._commands()}
        for binding in SearchScreen.BINDINGS:
            name = "action_" + binding.action.split("(")[0]
            assert name in callbacks, name
        names = {name for name, _h, _cb in provider._commands()}
        assert {"Sort results by Year", "Filter country: CN China (5)"} <= names


@pytest.mark.parametrize("kind", ["missing", "empty"])
async def test_missing_or_empty_index_says_how_to_build_one(tmp_path: Path, kind: str) -> None:
    from tui.missing_index_screen import MissingIndexScreen

    target = tmp_path / "ix"
    if kind == "empty":
        Store.create(target)
    app = make_app(target)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, MissingIndexScreen)
        text = str(app.screen.query_one("Static").render())
        assert "search index PDF_DIR" in text and "search demo" in text
        await pilot.press("ctrl+q")
    assert app.return_code == 0 or app.return_code is None


# -- what a new user tripped on (issue 10, item 8) ------------------------------------------


async def test_o_opens_the_page_of_the_passage_shown_before_any_row_is_chosen(
    index_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tui.paper_screen
    from search.pdf_viewer import OpenOutcome

    opened: list[tuple[Path, int]] = []

    def record(pdf: Path, page: int) -> OpenOutcome:
        opened.append((pdf, page))
        return OpenOutcome(True, f"opened at page {page}")

    monkeypatch.setattr(tui.paper_screen, "open_pdf", record)
    app = make_app(index_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await settle(pilot, screen, 0)
        gen = screen.generation
        await pilot.press(*"reward", "enter")
        await settle(pilot, screen, gen)
        screen.query_one("ResultsTable").focus()
        await pilot.press("enter")
        await pilot.pause()
        paper = app.screen
        first = paper.evidence[0].snippet.page
        assert first == 3  # the query passage is on page 3, not page 1
        await pilot.press("o")
        await pilot.pause()
        assert opened[-1][1] == first
        await pilot.press("down", "o")
        await pilot.pause()
        assert opened[-1][1] == paper.evidence[1].snippet.page


async def test_after_the_charts_typing_goes_to_the_query_bar(index_dir: Path) -> None:
    app = make_app(index_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await settle(pilot, screen, 0)
        screen.query_one("ResultsTable").focus()
        await pilot.press("f4")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        assert app.focused is screen.query_one("#query")
        gen = screen.generation
        await pilot.press(*"agents", "enter")
        await settle(pilot, screen, gen)
        assert app.screen is screen  # Enter ran the query, it did not open paper #1
        assert screen.filters.query == "agents"


async def test_a_query_error_clears_the_results_and_greys_the_facets(index_dir: Path) -> None:
    app = make_app(index_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await settle(pilot, screen, 0)
        table = screen.query_one("ResultsTable")
        assert table.row_count > 0
        gen = screen.generation
        await pilot.press(*"title:(", "enter")
        await settle(pilot, screen, gen)
        assert table.row_count == 0
        assert screen.query_one("#body").has_class("-stale")
        gen = screen.generation
        await pilot.press("ctrl+u", *"agents", "enter")
        await settle(pilot, screen, gen)
        assert table.row_count == screen.results.total > 0
        assert not screen.query_one("#body").has_class("-stale")


def _canvas(plot) -> list[str]:
    import re

    return re.sub(r"\x1b\[[0-9;]*m", "", plot.plt.build()).splitlines()


async def test_charts_label_bars_keep_the_legend_clear_and_say_what_is_drawn(
    index_dir: Path, lib: Library
) -> None:
    app = make_app(index_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app.screen, 0)
        await pilot.press("f4")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        charts = app.screen
        countries = lib.facets(Filters(), fields=["country"])["country"]
        lines = _canvas(charts.query_one("#countries-plot"))
        assert f"all {len(countries)} countries" in lines[0]
        for fc in countries:  # every bar carries its value
            assert str(fc.count) in "\n".join(lines[2:])
        adoption = lib.adoption(Filters()).frame(unknown=False)
        lines = _canvas(charts.query_one("#models-plot"))
        n_models = min(len(adoption.index), 8)
        n_countries = min(len(adoption.columns), 3)
        assert f"{n_models} " in lines[0] and f"{n_countries} " in lines[0]
        drawn = adoption.iloc[:n_models, :n_countries]
        for label in drawn.columns:  # the legend rows show only the legend
            row = next(line for line in lines if f"██ {label}" in line)
            assert row.replace(f"██ {label}", "").count("█") == 0, row
        values = {str(int(v)) for v in drawn.to_numpy().ravel() if v}
        body = "\n".join(lines[2 + n_countries :])
        assert all(v in body for v in values)


async def test_at_80_by_24_the_facets_collapse_and_the_results_stay_readable(
    index_dir: Path,
) -> None:
    app = make_app(index_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await settle(pilot, screen, 0)
        facets = screen.query_one("#facets")
        assert not facets.display
        table = screen.query_one("ResultsTable")
        widths = {str(c.key.value): c.width for c in table.columns.values()}
        assert widths["title"] >= 30 and widths["countries"] >= 10 and widths["models"] >= 16
        await pilot.press("f5")
        await pilot.pause()
        assert facets.display
        await pilot.press("f5")
        await pilot.pause()
        assert not facets.display
    async with make_app(index_dir).run_test(size=(120, 40)) as pilot:
        await settle(pilot, pilot.app.screen, 0)
        assert pilot.app.screen.query_one("#facets").display


async def test_chart_f3_switches_to_used_models_when_opened_on_mentions(
    index_dir: Path, lib: Library
) -> None:
    from dataclasses import replace

    from tui.chart_screen import ChartScreen

    app = make_app(index_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app.screen, 0)
        opened_on = replace(Filters(), mentioned=True)
        app.push_screen(ChartScreen(app.screen.library, opened_on))
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("f3")  # back to models *used*
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        used = lib.adoption(Filters()).frame(unknown=False)
        named = lib.adoption(opened_on).frame(unknown=False)
        assert len(used.index) != len(named.index)  # the two charts differ on this index
        lines = _canvas(app.screen.query_one("#models-plot"))
        assert "used" in lines[0]
        assert f" {len(used.index)} models" in lines[0]
