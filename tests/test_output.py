"""One output contract: every read command in every format parses with the standard tool
for it and carries the filters, the total and the index."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from search.cli import app
from search.filters import make_filters
from search.library import Library
from search.output import FORMATS, neutralise
from search.store import Store
from tests.test_library import paper

runner = CliRunner()

FILTERED = ["--country", "United States", "--model", "LLaMA"]
COMMANDS = {
    "count": ["count", *FILTERED],
    "papers": ["papers", *FILTERED, "--limit", "3"],
    "facets": ["facets", *FILTERED, "--top", "3"],
    "table": ["table", "--by", "year", "--by", "country", *FILTERED],
    "adoption": ["adoption", "--origin", "--share", *FILTERED],
    "institutions": ["institutions", "--top", "5"],
}
DATA_FORMATS = [f for f in FORMATS if f != "table"]


def invoke(*args: str | Path) -> tuple[str, str]:
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result.stdout, result.stderr


def parse_markdown(text: str) -> list[list[str]]:
    """The pipe table of a Markdown document (header first); fails when malformed."""
    lines = [line for line in text.splitlines() if line.startswith("|")]
    assert len(lines) >= 2
    assert re.fullmatch(r"\|(?:\s*:?-{3,}:?\s*\|)+", lines[1]), lines[1]
    rows = [[c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]] for line in lines]
    widths = {len(r) for r in rows}
    assert len(widths) == 1, widths
    return [rows[0], *rows[2:]]


@pytest.mark.parametrize("fmt", DATA_FORMATS)
@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_format_parses_and_carries_the_filters(
    demo_index: Path, command: str, fmt: str
) -> None:
    out, err = invoke(*COMMANDS[command], "--format", fmt, "--index", demo_index)
    filtered = command != "institutions"
    if fmt == "json":
        data = json.loads(out)
        assert {"columns", "rows", "total", "filters", "index"} <= set(data)
        assert data["index"] == str(demo_index)
        assert all(set(row) == set(data["columns"]) for row in data["rows"])
        if filtered:
            assert data["filters"]["given"]["country"] == ["United States"]
            assert data["filters"]["resolved"]["countries"] == ["US"]
            assert data["filters"]["resolved"]["models"] == ["llama"]
        return
    if fmt == "markdown":
        table = parse_markdown(out)
        assert len(table) >= 2 or command in ("papers", "facets")
        meta = out.strip().splitlines()[-1]
    else:
        meta = err.strip().splitlines()[-1]
        if fmt == "jsonl":
            rows = [json.loads(line) for line in out.splitlines()]
            assert all(isinstance(r, dict) for r in rows)
        else:
            sep = "," if fmt == "csv" else "\t"
            rows = list(csv.reader(io.StringIO(out), delimiter=sep))
            assert len({len(r) for r in rows}) == 1
            frame = pd.read_csv(io.StringIO(out), sep=sep)
            assert list(frame.columns) == rows[0]
    assert f"index: {demo_index}" in meta
    if filtered:
        assert "--model llama" in meta and "--country US" in meta
        assert "total: " in meta


def test_json_flag_is_format_json(demo_index: Path) -> None:
    a, _ = invoke("table", "--by", "venue", "--json", "--index", demo_index)
    b, _ = invoke("table", "--by", "venue", "--format", "json", "--index", demo_index)
    assert json.loads(a) == json.loads(b)


def test_table_csv_reads_into_pandas_with_totals(demo_index: Path) -> None:
    out, _ = invoke("table", "--by", "year", "--format", "csv", "--index", demo_index)
    frame = pd.read_csv(io.StringIO(out), dtype={"year": str})
    assert list(frame.columns) == ["year", "papers"]
    body = frame[frame["year"] != "total"]
    assert body["papers"].sum() == int(frame.loc[frame["year"] == "total", "papers"].iloc[0])
    assert "(unknown)" in set(frame["year"])


def test_denominators_in_the_table_output(demo_index: Path) -> None:
    out, _ = invoke(
        "table", "--by", "year", "-c", "US", "-c", "CN", "--all-countries", "--format", "json",
        "--index", demo_index,
    )  # fmt: skip
    data = json.loads(out)
    assert data["columns"] == ["year", "papers", "all papers", "share"]
    total = Library(demo_index).count(make_filters(countries=["US", "CN"], all_countries=True))
    assert data["rows"][-1]["papers"] == data["total"] == total
    assert data["rows"][-1]["all papers"] == Library(demo_index).total()
    assert data["denominator_filters"] == {}


def test_papers_csv_carries_model_and_country_evidence(demo_index: Path) -> None:
    out, _ = invoke("papers", "--model", "qwen", "--format", "csv", "--index", demo_index)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows
    lib = Library(demo_index)
    for row in rows:
        record = lib.paper(row["paper_id"])
        for model in record.models_used:
            assert re.search(rf"(^| \| ){re.escape(model)} p\.\d+: ", row["model_evidence"])
        for country in record.countries:
            assert f"{country}: " in row["country_evidence"]


def test_human_table_view_has_totals_and_footer(demo_index: Path) -> None:
    out, _ = invoke("table", "--by", "model-origin", "--by", "country", "--index", demo_index)
    assert "total" in out and "(unknown)" in out
    assert "once per value" in out
    out, _ = invoke("adoption", "--origin", "--index", demo_index)
    assert "*" in out and "cross-border" in out


def test_usage_errors_are_one_line(demo_index: Path) -> None:
    for args in (
        ["count", "--all-countries"],
        ["table", "--index", str(demo_index)],
        ["table", "--by", "colour", "--index", str(demo_index)],
        ["count", "--format", "xml", "--index", str(demo_index)],
        ["count", "--venue", "Neurps", "--index", str(demo_index)],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, args
        assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, args


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Llama", "Llama"),
        (-3, -3),
        (None, None),
    ],
)
def test_neutralise(cell, safe) -> None:
    assert neutralise(cell) == safe


def test_formula_titles_are_neutralised_in_cli_and_tui_export(tmp_path: Path) -> None:
    from search.export import export_results

    store = Store.create(tmp_path / "ix")
    with store.writer() as w:
        evil = paper("e1", ["US"], ["llama"])
        import dataclasses

        w.add(dataclasses.replace(evil, title='=HYPERLINK("http://evil","x")'))
        w.commit()
    out, _ = invoke("papers", "--format", "csv", "--index", tmp_path / "ix")
    row = next(csv.DictReader(io.StringIO(out)))
    assert row["title"].startswith("'=")
    export_results(Library(tmp_path / "ix"), make_filters(), tmp_path / "x.csv")
    exported = next(csv.DictReader((tmp_path / "x.csv").open()))
    assert exported["title"].startswith("'=")


@pytest.mark.parametrize("fmt", DATA_FORMATS)
def test_show_in_every_format(demo_index: Path, fmt: str) -> None:
    first, _ = invoke("papers", "--model", "llama", "--limit", "1", "--json", "--index", demo_index)
    file = json.loads(first)["rows"][0]["file"]
    out, err = invoke("show", file, "--format", fmt, "--index", demo_index)
    if fmt == "json":
        data = json.loads(out)
        assert data["file"] == file and data["filters"]["given"] == {"paper": [file]}
        assert any(r["kind"] == "model" and r["value"] == "llama" for r in data["rows"])
    elif fmt == "markdown":
        assert parse_markdown(out)[0] == ["kind", "value", "detail", "page", "evidence"]
    elif fmt == "jsonl":
        assert all(json.loads(line)["kind"] in ("country", "model") for line in out.splitlines())
        assert f"index: {demo_index}" in err
    else:
        frame = pd.read_csv(io.StringIO(out), sep="," if fmt == "csv" else "\t")
        assert "llama" in set(frame["value"])


def test_tables_and_output_are_headless() -> None:
    import subprocess
    import sys

    code = (
        "import sys; import search.tables, search.output, search.commands.read_cmd; "
        "assert not [m for m in sys.modules if m.startswith(('textual', 'pandas'))]"
    )
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
