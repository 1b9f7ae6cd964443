"""`search report` without a browser: the numbers equal `search count`, the page is
self-contained, Markdown carries the same tables, and question files are checked."""

from __future__ import annotations

import json
import re
import shlex
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from search.cli import app
from search.errors import PaperscopeError
from search.filters import make_filters
from search.library import Library
from search.report.build import build_report, year_table
from search.report.questions import Question, builtin_questions, load_questions, population
from search.reviews import Claim, ReviewLog
from search.store import Store
from search.tables import UNKNOWN
from tests.test_library import paper

runner = CliRunner()


def count(command: str) -> int:
    args = shlex.split(command)
    r = runner.invoke(app, [*args[1:], "--json"])
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)["count"]


def test_report_numbers_equal_search_count(demo_index: Path) -> None:
    lib = Library(demo_index)
    report = build_report(lib, builtin_questions(), index_suffix=f" --index {demo_index}")
    assert report.corpus.papers == count(report.corpus.command)
    for s in report.sections:
        assert s.count == count(s.command), s.question.title
        assert s.denominator == count(s.denominator_command)
        if s.matrix is None:
            assert sum(r.count for r in s.years) == s.count
            assert len(s.hits) == s.count
            for r in s.years:
                if r.year is not None:
                    assert r.count == count(r.command)
        else:
            m = s.matrix
            for counts, cmds in zip(m.counts, m.commands, strict=True):
                for v, cmd in list(zip(counts, cmds, strict=True))[:3]:
                    if cmd:
                        assert v == count(cmd)
            totals = [
                *zip(m.row_totals, m.row_commands, strict=True),
                *zip(m.column_totals, m.column_commands, strict=True),
            ]
            for v, cmd in totals:
                if cmd:
                    assert v == count(cmd)


def test_report_years_are_the_search_table_rows(demo_index: Path) -> None:
    lib = Library(demo_index)
    f = make_filters(countries=["US"])
    s = build_report(lib, [Question("US", f, make_filters())]).sections[0]
    shown = {str(r.year) if r.year is not None else UNKNOWN: r.count for r in s.years}
    r = runner.invoke(app, ["table", "--by", "year", "-c", "US", "--json", "-i", str(demo_index)])
    cli = {row["year"]: row["papers"] for row in json.loads(r.stdout)["rows"]}
    assert cli.pop("total") == s.count == sum(shown.values())
    assert all(shown[label] == n for label, n in cli.items())
    assert UNKNOWN in shown and UNKNOWN in cli  # counted even when 0, never dropped


def test_papers_without_a_year_stay_visible(tmp_path: Path) -> None:
    store = Store.create(tmp_path / "ix")
    with store.writer() as w:
        w.add(paper("p1", ["US"], ["llama"], year=2024))
        w.add(paper("p2", ["US"], ["llama"], year=None))
        w.add(paper("p3", ["CN"], ["qwen"], year=2025))
        w.commit()
    lib = Library(tmp_path / "ix")
    f = make_filters(models=["llama"])
    assert year_table(lib, f).row_total(UNKNOWN) == 1
    report = build_report(lib, [Question("llama", f, make_filters())])
    assert dict(report.corpus.years) == {"2024": 1, "2025": 1, UNKNOWN: 1}
    assert report.corpus.with_year == 2
    years = {r.year: (r.count, r.denominator) for r in report.sections[0].years}
    assert years == {2024: (1, 1), 2025: (0, 1), None: (1, 1)}
    from search.report.markdown_page import render_markdown

    assert f"| {UNKNOWN} | 1 | 1 | 100.0% |" in render_markdown(report)


def test_adoption_section_is_the_adoption_table(demo_index: Path) -> None:
    lib = Library(demo_index)
    q = next(q for q in builtin_questions() if q.matrix)
    m = build_report(lib, [q]).sections[0].matrix
    assert m is not None
    table = lib.adoption(origin=True)
    assert m.rows == table.rows and m.row_totals == table.row_totals
    assert m.total == table.total and m.marked == table.marked and m.marked
    assert UNKNOWN in m.rows and m.columns[-1] == UNKNOWN
    for j, c in enumerate(m.columns):
        assert m.column_totals[j] == table.column_total(c)
        assert [row[j] for row in m.counts] == [table.cell(r, c) for r in m.rows]


def test_html_is_self_contained_and_markdown_has_the_same_numbers(
    demo_index: Path, tmp_path: Path
) -> None:
    html_file, md_file = tmp_path / "r.html", tmp_path / "r.md"
    for out in (html_file, md_file):
        r = runner.invoke(app, ["report", "--index", str(demo_index), "--out", str(out)])
        assert r.exit_code == 0, r.stderr
    page = html_file.read_text()
    assert page.count("<svg") >= 5 and "Content-Security-Policy" in page
    assert not re.search(r"""(src|href)=["']?https?:""", page)
    assert "<link" not in page and "@import" not in page
    assert "file://" in page and "#page=" in page
    md = md_file.read_text()
    lib = Library(demo_index)
    llama = lib.count(make_filters(models=["llama"], countries=["CN"]))
    cn = lib.count(make_filters(countries=["CN"]))
    assert f"**{llama}** of {cn} papers" in md
    assert f"<span class='count'>{llama}</span> of <span class='denominator'>{cn}</span>" in page


def test_report_honours_review_verdicts(demo_index: Path, tmp_path: Path) -> None:
    ix = tmp_path / "ix"
    shutil.copytree(demo_index, ix)
    lib = Library(ix)
    f = make_filters(models=["llama"], countries=["CN"])
    hit = lib.find(f, limit=1)[0]
    log = ReviewLog.open(ix, create=True)
    log.record(Claim(hit.paper_id, "model_used", "llama"), "rejected", reviewer="t")
    q = [Question("llama in CN", f, make_filters(countries=["CN"]))]
    before = Library(demo_index).count(f)
    s = build_report(Library(ix), q).sections[0]
    assert s.count == before - 1 and s.stats.rejected == 1
    raw = build_report(Library(ix), q, make_filters(reviews="raw")).sections[0]
    assert raw.count == before and "--raw" in raw.command


def test_questions_from_toml(tmp_path: Path, demo_index: Path) -> None:
    good = tmp_path / "q.toml"
    good.write_text(
        """
[[question]]
title = "Qwen in China"
models = ["Qwen"]
countries = ["China"]
[question.denominator]
countries = ["CN"]

[[question]]
title = "Collaborations"
countries = ["US", "CN"]
all_countries = true

[[question]]
title = "Matrix"
matrix = "model_origin x country"
"""
    )
    qs = load_questions(good)
    assert qs[0].filters.models == ("qwen",) and qs[0].filters.countries == ("CN",)
    assert population(qs[1], make_filters()) == make_filters()
    assert population(qs[0], make_filters(years=[2025])).years == (2025,)
    out = tmp_path / "mine.md"
    r = runner.invoke(app, ["report", str(good), "--index", str(demo_index), "--out", str(out)])
    assert r.exit_code == 0 and "3 questions" in r.stdout
    assert "## Qwen in China" in out.read_text()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[question]]\nmodels = ['llama']\n", "has no title"),
        ("[[question]]\ntitle = 'x'\nmodel = ['llama']\n", "unknown key 'model'"),
        ("[[question]]\ntitle = 'x'\nmodels = ['lama-x']\n", "unknown model"),
        ("[[question]]\ntitle = 'x'\nmodels = 'llama'\n", "must be a list"),
        ("[[question]]\ntitle = 'x'\nmatrix = 'a x b'\n", "matrix must be"),
        ("title = 'x'\n", "unknown table 'title'"),
        ("[[question]\n", "not valid TOML"),
    ],
)
def test_bad_question_files_are_one_line_errors(tmp_path: Path, text: str, message: str) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(text)
    with pytest.raises(PaperscopeError, match=re.escape(message)):
        load_questions(bad)


def test_report_cli_errors(demo_index: Path, tmp_path: Path) -> None:
    r = runner.invoke(app, ["report", "--index", str(demo_index), "--format", "pdf"])
    assert r.exit_code == 2 and "unknown format" in r.stderr
    r = runner.invoke(app, ["report", str(tmp_path / "none.toml"), "--index", str(demo_index)])
    assert r.exit_code == 2 and "cannot read" in r.stderr
    r = runner.invoke(app, ["report", "--help"])
    assert "Example" in r.stdout
