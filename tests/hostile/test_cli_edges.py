"""Values from the issue that ended in tracebacks: each is now one `error:` line and exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from search.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def odd_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("odd")
    labels = folder / "labels.jsonl"
    labels.write_bytes(b'{"file": "a.pdf"}\n{"file": "caf\xe9.pdf"}\n')
    a_file = folder / "not-an-index"
    a_file.write_text("x")
    pdf = folder / "one.pdf"
    pdf.write_bytes(b"%PDF-1.7\n")
    return {"labels": labels, "file": a_file, "pdf": pdf}


CASES = {
    "1,000-character show key": (["show", "a" * 1000], "no paper 'aaaa"),
    "5,000-character show key": (["show", "a" * 5000], "paper key is 5,000 characters"),
    "year past 64 bits": (["count", "--year", str(2**63)], "is out of range"),
    "limit 2**31": (["papers", "--limit", str(2**31)], "--limit 2147483648 is above the limit"),
    "limit 2**63": (["papers", "--limit", str(2**63)], "is above the limit of 10,000"),
    "top 2**40": (["facets", "--top", str(2**40)], "--top 1099511627776 is above"),
    "title:*": (["count", "title:*"], "the index cannot run this query"),
    "huge slop": (["papers", '"reward model"~100000'], "phrase slop ~100000 is above"),
    "30 words ~1000": (['"' + " ".join(["w"] * 30) + '"~1000'], "phrase slop ~1000"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_values_are_one_line_errors(demo_index: Path, case: str) -> None:
    args, expected = CASES[case]
    if args[0].startswith('"'):
        args = ["count", *args]
    result = runner.invoke(app, [*args, "--index", str(demo_index)])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error: ")
    assert expected in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_index_option_pointing_at_a_file(demo_index: Path, odd_files: dict[str, Path]) -> None:
    result = runner.invoke(app, ["count", "--index", str(odd_files["file"])])
    assert result.exit_code == 2
    assert "is a file; give the index folder" in result.stderr
    result = runner.invoke(app, ["index", str(odd_files["pdf"]), "--index", str(odd_files["file"])])
    assert result.exit_code == 2
    assert "is a file; give a folder for the index" in result.stderr


def test_labels_file_that_is_not_utf8(demo_index: Path, odd_files: dict[str, Path]) -> None:
    result = runner.invoke(app, ["eval", str(odd_files["labels"]), "--index", str(demo_index)])
    assert result.exit_code == 2
    assert result.stderr.strip() == (f"error: {odd_files['labels']}:2: not UTF-8 text (byte 31)")


def test_garbage_scheduler(tmp_path: Path, odd_files: dict[str, Path]) -> None:
    result = runner.invoke(
        app,
        [
            "index",
            str(odd_files["pdf"]),
            "--index",
            str(tmp_path / "ix"),
            "--scheduler",
            "garbage://x",
        ],
    )
    assert result.exit_code == 2
    assert "--scheduler 'garbage://x': give tls://HOST:PORT" in result.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--timeout", "0"], "--timeout 0.0: give seconds between 0 and 604800"),
        (["--max-memory", "10M"], "--max-memory 10 MB is too small"),
        (["--max-memory", "lots"], "--max-memory 'lots': give a size such as 2G"),
        (["--workers", "0"], "--workers 0: give at least 1"),
    ],
)
def test_bad_limits_are_one_line(
    tmp_path: Path, odd_files: dict[str, Path], args: list[str], expected: str
) -> None:
    result = runner.invoke(app, ["index", str(odd_files["pdf"]), "--index", str(tmp_path), *args])
    assert result.exit_code == 2, result.output
    assert expected in result.stderr
