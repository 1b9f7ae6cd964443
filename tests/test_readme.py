"""The README's query one-liners run as written (on the sample index)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from search.cli import app

README = Path(__file__).resolve().parents[1] / "README.md"
QUERY_COMMANDS = ("count", "papers", "facets", "table", "adoption", "models", "stats")
EXPORT = re.compile(r"^export PAPERSCOPE_INDEX=(\S+)", re.M)


def readme_one_liners() -> list[str]:
    lines = []
    for block in re.findall(r"```bash\n(.*?)```", README.read_text(encoding="utf-8"), re.S):
        for line in block.splitlines():
            command = line.split("  #")[0].strip()
            if command.startswith("search ") and command.split()[1] in QUERY_COMMANDS:
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
