"""One output contract: every read command in every format parses with the standard tool
for it and carries the filters, the total and the index."""

from __future__ import annotations

import csv
import io
import json
import os
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
    "models": ["models"],
    "stats": ["stats"],
}
UNFILTERED = ("institutions", "models", "stats")
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
    filtered = command not in UNFILTERED
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


def test_models_one_family_in_every_format(demo_index: Path) -> None:
    data = json.loads(invoke("models", "GPT-4o", "--format", "json", "--index", demo_index)[0])
    assert data["filters"]["given"] == {"model": ["GPT-4o"]}
    assert data["filters"]["resolved"]["models"] == ["gpt"]
    assert [r["id"] for r in data["rows"]] == ["gpt"] == [m["id"] for m in data["models"]]
    row, structured = data["rows"][0], data["models"][0]
    assert row["versions"] == [
        f"{v['id']} {v['used']}/{v['mentioned']}" for v in structured["versions"]
    ]
    assert (
        json.loads(invoke("models", "gpt", "--json", "--index", demo_index)[0])["rows"]
        == data["rows"]
    )
    out, err = invoke("models", "gpt", "--format", "csv", "--index", demo_index)
    frame = pd.read_csv(io.StringIO(out))
    assert list(frame["id"]) == ["gpt"] and frame["used"].iloc[0] == row["used"]
    assert "--model gpt" in err and f"index: {demo_index}" in err


def test_stats_rows_agree_with_the_json_members(demo_index: Path) -> None:
    data = json.loads(invoke("stats", "--format", "json", "--index", demo_index)[0])
    assert data["total"] == data["papers"] == Library(demo_index).total()
    relative = invoke("stats", "--json", "--index", Path(os.path.relpath(demo_index)))[0]
    assert json.loads(relative)["index"] == str(demo_index)
    out, _ = invoke("stats", "--format", "csv", "--index", demo_index)
    frame = pd.read_csv(io.StringIO(out)).set_index("measure")
    assert int(frame.loc["papers", "value"]) == data["papers"]
    for field in ("year", "venue", "country", "institution"):
        assert int(frame.loc[f"known {field}", "value"]) == data["known"][field]
        assert frame.loc[f"known {field}", "share"] == data["known_share"][field]


@pytest.fixture()
def reviewed_index(tmp_path: Path) -> Path:
    """A small index with a review log; one note is a spreadsheet formula."""
    from search.reviews import Claim, ReviewLog

    store = Store.create(tmp_path / "ix")
    with store.writer() as w:
        w.add(paper("p1", ["US", "CN"], ["llama"]))
        w.add(paper("p2", ["CN"], ["qwen"]))
        w.commit()
    log = ReviewLog.open(tmp_path / "ix", create=True)
    assert log is not None
    log.record(Claim("p1", "model_used", "llama"), "rejected", note="=1+1", reviewer="ann")
    log.record(Claim("p2", "model_used", "qwen"), "verified", note="-ok", reviewer="bo")
    log.record(Claim("p2", "country", "CN"), "unsure", reviewer="bo")
    log.close()
    return tmp_path / "ix"


@pytest.mark.parametrize("fmt", DATA_FORMATS)
def test_reviews_in_every_format(reviewed_index: Path, fmt: str) -> None:
    args = ["reviews", "--model", "llama", "--format", fmt, "--index", reviewed_index]
    out, err = invoke(*args)
    if fmt == "json":
        data = json.loads(out)
        assert data["total"] == 1 and data["index"] == str(reviewed_index)
        assert data["filters"]["given"] == {"model": ["llama"]}
        assert data["filters"]["resolved"]["models"] == ["llama"]
        assert [(r["paper_id"], r["verdict"], r["note"]) for r in data["rows"]] == [
            ("p1", "rejected", "=1+1")  # JSON keeps the note as typed
        ]
        return
    if fmt == "jsonl":
        assert [json.loads(line)["verdict"] for line in out.splitlines()] == ["rejected"]
    elif fmt == "markdown":
        table = parse_markdown(out)
        assert table[0][:5] == ["paper_id", "file", "kind", "value", "verdict"]
        assert table[1][4] == "rejected"
        err = out
    else:
        frame = pd.read_csv(io.StringIO(out), sep="," if fmt == "csv" else "\t")
        assert list(frame["verdict"]) == ["rejected"] and list(frame["file"]) == ["p1.pdf"]
        assert list(frame["note"]) == ["'=1+1"]  # neutralised: no formula runs on opening
    assert "--model llama" in err and "total: 1" in err


def test_reviews_csv_lists_every_verdict_neutralised(reviewed_index: Path) -> None:
    out, _ = invoke("reviews", "--format", "csv", "--index", reviewed_index)
    rows = {(r["paper_id"], r["kind"], r["value"]): r for r in csv.DictReader(io.StringIO(out))}
    assert set(rows) == {("p1", "model_used", "llama"), ("p2", "model_used", "qwen"),
                         ("p2", "country", "CN")}  # fmt: skip
    assert rows["p2", "model_used", "qwen"]["note"] == "'-ok"
    human, _ = invoke("reviews", "--index", reviewed_index)
    assert "3 verdicts" in human


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
