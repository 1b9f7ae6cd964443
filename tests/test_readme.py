"""The README's query one-liners run as written (on the sample index)."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from search.cli import app

README = Path(__file__).resolve().parents[1] / "README.md"
QUERY_COMMANDS = (
    "count",
    "papers",
    "facets",
    "table",
    "adoption",
    "models",
    "stats",
    "show",
    "institutions",
    "reviews",
)
EXPORT = re.compile(r"^export PAPERSCOPE_INDEX=(\S+)", re.M)


def readme_one_liners(commands: tuple[str, ...] = QUERY_COMMANDS) -> list[str]:
    lines = []
    for block in re.findall(r"```bash\n(.*?)```", README.read_text(encoding="utf-8"), re.S):
        for line in block.splitlines():
            command = line.split("  #")[0].strip()
            words = command.split()
            if command.startswith("search ") and words[1] in commands:
                if words[1:3] in (["reviews", "export"], ["reviews", "import"]):
                    continue  # file exchange: tested in test_reviews
                lines.append(command)
    return lines


def test_readme_has_the_headline_questions() -> None:
    joined = "\n".join(readme_one_liners())
    assert "--country US --country CN --all-countries" in joined
    assert "--model-origin CN" in joined


def test_the_one_liners_select_the_index_search_demo_writes() -> None:
    from search.commands.demo_cmd import DEMO_DIR, demo_index

    exports = EXPORT.findall(README.read_text(encoding="utf-8"))
    assert exports == [str(demo_index(DEMO_DIR))]


@pytest.mark.parametrize("command", readme_one_liners())
def test_readme_one_liner_runs(command: str, demo_index: Path) -> None:
    # As written: the index comes from PAPERSCOPE_INDEX, as after the README's export line.
    result = CliRunner().invoke(
        app, shlex.split(command)[1:], env={"PAPERSCOPE_INDEX": str(demo_index)}
    )
    assert result.exit_code == 0, result.stderr


def test_readme_review_examples_run_on_the_demo_papers(demo_index: Path, tmp_path: Path) -> None:
    """The verdicts the README records name real demo papers (on a copy: verdicts change
    counts, and the session's demo index is shared)."""
    index = tmp_path / "ix"
    shutil.copytree(demo_index, index)
    lines = [c for c in readme_one_liners(("review",)) if "--next" not in c]
    assert len(lines) >= 3
    for command in lines:
        result = CliRunner().invoke(
            app, shlex.split(command)[1:], env={"PAPERSCOPE_INDEX": str(index)}
        )
        assert result.exit_code == 0, (command, result.stderr)
    out = CliRunner().invoke(app, ["reviews", "--index", str(index)]).stdout
    assert f"{len(lines)} verdicts" in out


def test_readme_python_example_runs(demo_index: Path) -> None:
    block = re.search(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert block is not None
    code = block.group(1)
    assert 'Library("demo-corpus/index")' in code
    exec(code.replace('"demo-corpus/index"', repr(str(demo_index))), {})
