"""The README's query one-liners run as written (on the sample index)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from search.cli import app

README = Path(__file__).resolve().parents[1] / "README.md"
QUERY_COMMANDS = ("count", "papers", "facets", "table", "adoption")


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


@pytest.mark.parametrize("command", readme_one_liners())
def test_readme_one_liner_runs(command: str, demo_index: Path) -> None:
    args = [*shlex.split(command)[1:], "--index", str(demo_index)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.stderr
