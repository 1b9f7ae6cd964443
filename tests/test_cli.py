"""Every `search` command through Typer's CliRunner, on a generated sample index."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from search.cli import app

runner = CliRunner()


def run(*args: str | Path) -> tuple[int, str, str]:
    result = runner.invoke(app, [str(a) for a in args])
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), result.exception
    return result.exit_code, result.stdout, result.stderr


COMMANDS = [
    "index",
    "count",
    "papers",
    "show",
    "facets",
    "eval",
    "demo",
    "institutions",
    "tui",
    "table",
    "adoption",
    "models",
]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_text(command: str) -> None:
    code, out, _ = run(command, "--help")
    assert code == 0
    assert "Usage:" in out
    assert len(out.split("Options")[0]) > 80  # a real description, not just a usage line


def test_count_prints_only_a_number(demo_index: Path) -> None:
    code, out, _ = run("count", "--index", demo_index)
    assert code == 0
    assert out.strip().isdigit()
    assert int(out) > 0


def test_count_json_reports_filters(demo_index: Path) -> None:
    code, out, _ = run(
        "count", "--model", "Llama-2", "--country", "China", "--json", "--index", demo_index
    )
    assert code == 0
    data = json.loads(out)
    assert data["filters"]["resolved"]["models"] == ["llama/2"]  # a version of the family
    assert data["filters"]["resolved"]["countries"] == ["CN"]
    assert data["filters"]["given"] == {"model": ["Llama-2"], "country": ["China"]}
    assert [r["value"] for r in data["resolved"]] == ["llama/2", "CN"]
    assert data["count"] == data["total"]
    assert isinstance(data["count"], int)


def test_a_model_name_read_as_a_version_or_family_is_noted_on_stderr(demo_index: Path) -> None:
    code, out, err = run("count", "--model", "LLaMA-7B", "--index", demo_index)
    assert code == 0 and out.strip().isdigit()
    assert "note: --model LLaMA-7B → llama (the whole Llama family" in err
    code, out, err = run("count", "--model", "llama", "--index", demo_index)
    assert code == 0 and err == ""


def test_models_lists_the_catalog_with_version_counts(demo_index: Path) -> None:
    code, out, _ = run("models", "--json", "--index", demo_index)
    assert code == 0
    data = json.loads(out)
    rows = {r["id"]: r for r in data["models"]}
    assert rows["qwen"]["origin_country"] == "CN" and rows["qwen"]["organisation"] == "Alibaba"
    assert data["total"] == len(rows) > 20
    for row in rows.values():
        assert all(v["id"].startswith(row["id"] + "/") for v in row["versions"])
        assert all(v["used"] <= v["mentioned"] for v in row["versions"])
        assert row["used"] <= row["mentioned"]
    code, out, _ = run("models", "GPT-4o", "--index", demo_index)
    assert code == 0 and "OpenAI" in out
    code, _, err = run("models", "nosuchmodel", "--index", demo_index)
    assert code == 2 and err.startswith("error:")


def test_all_countries_is_a_subset_of_any_country(demo_index: Path) -> None:
    def count(*extra: str) -> int:
        return int(
            run("count", "--country", "US", "--country", "CN", *extra, "--index", demo_index)[1]
        )

    both, either = count("--all-countries"), count()
    us = int(run("count", "--country", "US", "--index", demo_index)[1])
    cn = int(run("count", "--country", "CN", "--index", demo_index)[1])
    assert both <= min(us, cn)
    assert either == us + cn - both


def test_mentioned_counts_at_least_the_used(demo_index: Path) -> None:
    used = int(run("count", "--model", "gpt", "--index", demo_index)[1])
    any_mention = int(run("count", "--model", "gpt", "--mentioned", "--index", demo_index)[1])
    assert any_mention >= used > 0


def test_unknown_model_lists_close_matches(demo_index: Path) -> None:
    code, out, err = run("count", "--model", "lama", "--index", demo_index)
    assert code == 2
    assert "unknown model 'lama'" in err
    assert "llama" in err
    assert "Traceback" not in err + out


def test_unknown_country_is_a_one_line_error(demo_index: Path) -> None:
    code, _, err = run("count", "--country", "Atlantis", "--index", demo_index)
    assert code == 2
    assert err.strip().count("\n") == 0
    assert "unknown country" in err


def test_missing_index_says_how_to_build_one(tmp_path: Path) -> None:
    code, _, err = run("count", "--index", tmp_path / "nowhere")
    assert code == 2
    assert "search index" in err and "search demo" in err


def test_bad_query_is_a_one_line_error(demo_index: Path) -> None:
    code, _, err = run("count", "title:(unclosed", "--index", demo_index)
    assert code == 2
    assert "cannot parse query" in err


def test_papers_table_and_json(demo_index: Path) -> None:
    code, out, _ = run("papers", "--model", "qwen", "--limit", "3", "--index", demo_index)
    assert code == 0
    assert "p." in out  # page-numbered evidence
    code, out, _ = run("papers", "--model", "qwen", "--limit", "3", "--json", "--index", demo_index)
    data = json.loads(out)
    rows = data["rows"]
    assert 0 < len(rows) <= 3 <= data["total"] or len(rows) == data["total"]
    assert all("qwen" in r["models_used"] for r in rows)
    assert all(r["snippets"] and r["snippets"][0]["page"] >= 1 for r in rows)


def test_papers_full_text_snippets_are_highlighted(demo_index: Path) -> None:
    code, out, _ = run("papers", "model", "--limit", "2", "--json", "--index", demo_index)
    assert code == 0
    row = json.loads(out)["rows"][0]
    snip = row["snippets"][0]
    start, end = snip["highlights"][0]
    assert snip["text"][start:end].lower().startswith("model")


def test_show_by_file_name(demo_index: Path) -> None:
    _, out, _ = run("papers", "--limit", "1", "--json", "--index", demo_index)
    file = json.loads(out)["rows"][0]["file"]
    code, out, _ = run("show", file, "--index", demo_index)
    assert code == 0
    assert "Affiliations" in out and "Models" in out
    code, out, _ = run("show", file, "--json", "--index", demo_index)
    assert json.loads(out)["file"] == file


def test_show_unknown_paper(demo_index: Path) -> None:
    code, _, err = run("show", "no-such-paper.pdf", "--index", demo_index)
    assert code == 2
    assert "no paper" in err


def test_facets_json_has_every_facet(demo_index: Path) -> None:
    code, out, _ = run("facets", "--json", "--index", demo_index)
    assert code == 0
    data = json.loads(out)
    assert set(data["facets"]) >= {"country", "institution", "model_used", "model_mentioned"}
    assert sum(data["facets"]["country"].values()) >= data["count"] * 0.5


def test_eval_against_ground_truth(demo_index: Path, demo_corpus) -> None:
    code, out, _ = run("eval", demo_corpus.labels_file, "--json", "--index", demo_index)
    assert code == 0
    data = json.loads(out)
    assert data["papers"] > 0
    for metric in ("countries", "models_used", "models_any"):
        assert set(data[metric]) >= {"precision", "recall", "f1"}


def test_eval_bad_labels_file(demo_index: Path, tmp_path: Path) -> None:
    bad = tmp_path / "labels.jsonl"
    bad.write_text('{"file": "x.pdf"}\nnot json\n')
    code, _, err = run("eval", bad, "--index", demo_index)
    assert code == 2
    assert f"{bad}:2" in err


def test_institutions_lists_counts(demo_index: Path) -> None:
    code, out, _ = run("institutions", "--json", "--index", demo_index)
    assert code == 0
    rows = json.loads(out)["rows"]
    assert rows and rows[0]["papers"] >= rows[-1]["papers"]


def test_index_skips_bad_files_and_keeps_the_rest(tmp_path: Path, demo_corpus) -> None:
    from indexer.demo import make_bad_pdfs

    pdfs = tmp_path / "pdfs"
    pdfs.mkdir()
    good = sorted(demo_corpus.pdf_dir.glob("*.pdf"))[:3]
    for p in good:
        shutil.copy(p, pdfs / p.name)
    bad = make_bad_pdfs(pdfs / "bad")
    index_dir = tmp_path / "index"
    code, out, err = run("index", pdfs, "--index", index_dir, "--workers", "1")
    assert code == 1
    assert "indexed 3 papers" in out
    assert f"skipped {len(bad)}" in out
    for path in bad.values():
        assert str(path) in err
    assert "Traceback" not in err
    assert run("count", "--index", index_dir)[1].strip() == "3"


def test_reindexing_is_idempotent_and_replaces_changed_files(tmp_path: Path, demo_corpus) -> None:
    pdfs = tmp_path / "pdfs"
    pdfs.mkdir()
    files = sorted(demo_corpus.pdf_dir.glob("*.pdf"))[:3]
    for p in files:
        shutil.copy(p, pdfs / p.name)
    index_dir = tmp_path / "index"
    assert run("index", pdfs, "--index", index_dir, "--workers", "1")[0] == 0
    code, out, _ = run("index", pdfs, "--index", index_dir, "--workers", "1")
    assert code == 0
    assert "indexed 0 papers" in out and "3 unchanged" in out
    # Replace one file's content with another paper: its record is replaced, not added.
    shutil.copy(sorted(demo_corpus.pdf_dir.glob("*.pdf"))[5], pdfs / files[0].name)
    code, out, _ = run("index", pdfs, "--index", index_dir, "--workers", "1")
    assert "indexed 1 papers" in out
    assert run("count", "--index", index_dir)[1].strip() == "3"


def test_index_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = run("index", tmp_path / "missing", "--index", tmp_path / "ix")
    assert code == 2
    assert "no such file or folder" in err


def test_demo_builds_and_answers(tmp_path: Path) -> None:
    code, out, _ = run(
        "demo",
        "--papers",
        "6",
        "--out",
        tmp_path / "corpus",
        "--index",
        tmp_path / "index",
        "--workers",
        "1",
    )
    assert code == 0
    assert "US–China collaborations" in out
    assert "search count --country US --country CN --all-countries" in out
    assert "precision" in out


def test_top_level_help_lists_every_command_with_a_whole_line() -> None:
    import typer.main

    from search.commands.summaries import SUMMARIES

    names = set(typer.main.get_command(app).commands)  # type: ignore[attr-defined]
    assert names == set(SUMMARIES)
    assert all(len(line) <= 60 and not line.endswith("...") for line in SUMMARIES.values())
    code, out, _ = run("--help")
    listing = out.split("Commands:")[1]
    assert code == 0 and "..." not in listing
    for name, line in SUMMARIES.items():
        assert f"{name} " in listing and line.split()[0] in listing, name
    intro = out.split("Options:")[0]
    for word in ("search table", "search adoption", "search report", "search fetch",
                 "search review"):  # fmt: skip
        assert word in " ".join(intro.split()), word


FILTER_FLAGS = (
    "--model",
    "--all-models",
    "--mentioned",
    "--model-origin",
    "--country",
    "--all-countries",
    "--institution",
    "--year",
    "--venue",
    "--raw",
    "--verified-only",
)


@pytest.mark.parametrize("command", ["count", "papers", "facets", "table", "adoption", "report"])
def test_every_counting_command_takes_every_filter(command: str) -> None:
    result = CliRunner().invoke(app, [command, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    missing = [flag for flag in FILTER_FLAGS if flag not in result.output]
    assert not missing, f"search {command} lacks {missing}"


def test_raw_and_verified_only_exclude_each_other(demo_index: Path) -> None:
    result = CliRunner().invoke(
        app, ["table", "--by", "year", "--raw", "--verified-only", "--index", str(demo_index)]
    )
    assert result.exit_code == 2
    assert "exclude each other" in result.output
