"""Index hygiene: the demo keeps to its own index, pruning, removing, and `search stats`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from search.cli import app
from search.library import Library

runner = CliRunner()


def run(*args: str | Path, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, [str(a) for a in args], env=env)
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def folders(demo_corpus, tmp_path: Path) -> tuple[Path, Path]:
    """Two folders with three sample PDFs each."""
    pdfs = sorted(demo_corpus.pdf_dir.glob("*.pdf"))
    a, b = tmp_path / "a", tmp_path / "b"
    for folder, chunk in ((a, pdfs[:3]), (b, pdfs[3:6])):
        folder.mkdir()
        for pdf in chunk:
            shutil.copy(pdf, folder / pdf.name)
    return a, b


def test_demo_writes_its_own_index_and_rewrites_nothing_unchanged(tmp_path: Path) -> None:
    out = tmp_path / "demo-corpus"
    users_index = tmp_path / "my-index"
    env = {"PAPERSCOPE_INDEX": str(users_index)}
    args = ("demo", "--papers", "4", "--out", out, "--workers", "1")
    code, text, _ = run(*args, env=env)
    assert code == 0
    assert not users_index.exists()  # PAPERSCOPE_INDEX is the user's, not the demo's
    assert Library(out / "index").total() == 4
    assert f"export PAPERSCOPE_INDEX={out / 'index'}" in text
    mtimes = {p.name: p.stat().st_mtime_ns for p in (out / "pdfs").glob("*.pdf")}

    code, text, _ = run(*args, env=env)
    assert code == 0
    assert "wrote 0 sample papers" in text and "4 already there, unchanged" in text
    assert {p.name: p.stat().st_mtime_ns for p in (out / "pdfs").glob("*.pdf")} == mtimes

    code, text, _ = run("demo", "--papers", "2", "--out", out, "--workers", "1", env=env)
    assert code == 0
    assert "removed 2 left from an earlier run" in text
    assert len(list((out / "pdfs").glob("*.pdf"))) == 2
    assert Library(out / "index").total() == 2  # the removed PDFs were pruned


def test_prune_drops_papers_whose_files_are_gone_under_the_given_folders(
    folders: tuple[Path, Path], tmp_path: Path
) -> None:
    a, b = folders
    index = tmp_path / "index"
    assert run("index", a, b, "--index", index, "--workers", "1")[0] == 0
    assert Library(index).total() == 6
    gone_a = sorted(a.glob("*.pdf"))[0]
    gone_b = sorted(b.glob("*.pdf"))[0]
    gone_a.unlink()
    gone_b.unlink()

    code, out, err = run("index", a, "--prune", "--index", index, "--workers", "1")
    assert code == 0
    assert f"{gone_a}: gone, dropped from the index" in err
    assert str(gone_b) not in err  # b was not named: its files are left alone
    assert "1 pruned" in out
    lib = Library(index)
    assert lib.total() == 5
    assert {p.file for p in lib.records()} == {p.name for p in (*a.glob("*"), *b.glob("*"))} | {
        gone_b.name
    }


def test_remove_by_file_name_or_id_prefix_and_nothing_on_an_unknown_name(
    folders: tuple[Path, Path], tmp_path: Path
) -> None:
    a, _b = folders
    index = tmp_path / "index"
    run("index", a, "--index", index, "--workers", "1")
    papers = sorted(Library(index).records(), key=lambda p: p.file)
    code, _, err = run("remove", papers[0].file, "no-such-paper.pdf", "--index", index)
    assert code == 2 and err.startswith("error: no paper 'no-such-paper.pdf'")
    assert Library(index).total() == 3  # all or none

    code, out, _ = run("remove", papers[0].file, papers[1].id[:10], "--index", index)
    assert code == 0
    assert out.count("removed ") == 2
    assert [p.id for p in Library(index).records()] == [papers[2].id]


def test_stats_match_the_records_and_show_the_last_run(
    folders: tuple[Path, Path], tmp_path: Path
) -> None:
    a, b = folders
    index = tmp_path / "index"
    run("index", a, b, "--index", index, "--workers", "1")
    code, out, _ = run("stats", "--json", "--index", index)
    assert code == 0
    stats = json.loads(out)
    records = Library(index).records()
    assert stats["papers"] == len(records) == 6
    assert stats["pages"] == sum(p.n_pages for p in records)
    assert stats["known"]["year"] == sum(p.year is not None for p in records)
    assert stats["known"]["venue"] == sum(p.venue is not None for p in records)
    assert stats["known"]["country"] == sum(bool(p.countries) for p in records)
    assert stats["known"]["institution"] == sum(bool(p.institutions) for p in records)
    assert stats["known_share"]["country"] == round(stats["known"]["country"] / 6, 4)
    assert stats["models_used"] == len({m for p in records for m in p.models_used})
    assert stats["models_mentioned"] == len({m for p in records for m in p.models_mentioned})
    assert stats["schema_version"] == 3 and stats["size_bytes"] > 0
    run_ = stats["last_run"]
    assert run_["outcomes"]["indexed"] == 6 and run_["paths"] == [str(a), str(b)]

    code, out, _ = run("stats", "--index", index)
    assert code == 0 and "known country" in out and "last run" in out
