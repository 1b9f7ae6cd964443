"""Malformed user catalogs and gazetteers: one line naming the file, the line or field, why."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from indexer.catalog import CatalogError, load_catalog
from indexer.gazetteer import load_gazetteer
from indexer.user_gazetteer import GazetteerError

ROOT = Path(__file__).resolve().parents[2]
HEAD = '[foo]\nname = "Foo"\norganisation = "X"\norigin_country = "US"\n'

CATALOGS = {
    "aliases is a string": (HEAD + 'aliases = "fooey"\n', ":5: [foo] aliases: expected a list"),
    "bad regex": (HEAD + 'patterns = ["fo(o"]\n', ":5: [foo] patterns: entry 1: bad regular"),
    "bad trap": (HEAD + 'traps = ["[x"]\n', ":5: [foo] traps: entry 1: bad regular"),
    "bool as string": (HEAD + 'person_name = "yes"\n', "person_name: expected true or false"),
    "unknown field": (HEAD + "colour = 1\n", ":5: [foo] has unknown field(s) ['colour']"),
    "bad country": (HEAD.replace('"US"', '"USA"'), ":4: [foo] origin_country: expected an ISO"),
    "not a table": ('foo = "bar"\n', "[foo] must be a table"),
    "bad TOML": ("[foo\nname = 1\n", "not valid TOML"),
    "oversized": (HEAD + f'aliases = ["{"x" * 5000}"]\n', "5,000 characters; the limit is"),
    "pattern table": (HEAD + "patterns = [{near = 'x'}]\n", "a pattern table is"),
    "bad id": ('["Foo Bar"]\nname = "F"\n', "an id is lower-case"),
}


@pytest.mark.parametrize("case", sorted(CATALOGS))
def test_malformed_catalog_is_one_line_naming_file_and_field(tmp_path: Path, case: str) -> None:
    text, expected = CATALOGS[case]
    path = tmp_path / "models.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        load_catalog(path)
    message = str(info.value)
    assert message.startswith(str(path)), message
    assert expected in message
    assert "\n" not in message


def test_catalog_that_is_not_utf8_or_missing(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes(HEAD.encode() + b'kind = "caf\xe9"\n')
    with pytest.raises(CatalogError, match=r"latin1.toml:5: not UTF-8 text"):
        load_catalog(path)
    with pytest.raises(CatalogError, match="cannot read the model catalog"):
        load_catalog(tmp_path / "absent.toml")


def test_a_valid_user_catalog_still_loads(tmp_path: Path) -> None:
    path = tmp_path / "models.toml"
    path.write_text(HEAD + 'aliases = ["fooey"]\npatterns = ["foo(?:bar)?"]\n', "utf-8")
    catalog = load_catalog(path)
    assert catalog.resolve("fooey") == "foo"
    assert catalog.get("foo").aliases == ("fooey",)


GAZETTEERS = {
    "three-letter country": ("name,country\nFoo U,USA\n", ":2: country 'USA' is not"),
    "unknown column": ("name,country,zzz\nFoo,US,1\n", ":1: unknown column(s) 'zzz'"),
    "missing column": ("name,aliases\nFoo,F\n", ":1: header lacks country"),
    "too many fields": ("name,country\nFoo,US,x\n", ":2: 3 fields for 2 columns"),
    "empty name": ("name,country\n,US\n", ":2: name is empty"),
    "unterminated quote": ('name,country\n"Foo,US\n', "not valid CSV"),
    "oversized": ("name,country\n" + "x" * 2000 + ",US\n", ":2: name is 2,000 characters"),
    "empty file": ("", "empty file"),
}


@pytest.mark.parametrize("case", sorted(GAZETTEERS))
def test_malformed_gazetteer_is_one_line_naming_file_and_line(tmp_path: Path, case: str) -> None:
    text, expected = GAZETTEERS[case]
    path = tmp_path / "institutions.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GazetteerError) as info:
        load_gazetteer(path)
    message = str(info.value)
    assert message.startswith(str(path)), message
    assert expected in message
    assert "\n" not in message


def test_gazetteer_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "inst.csv"
    path.write_bytes(b"name,country\nCaf\xe9 Lab,FR\n")
    with pytest.raises(GazetteerError, match=r"inst.csv:2: not UTF-8 text"):
        load_gazetteer(path)


def test_a_valid_user_gazetteer_still_loads(tmp_path: Path) -> None:
    path = tmp_path / "inst.csv"
    path.write_text("name,country,aliases\nFooquux Lab,US,FQL\n", encoding="utf-8")
    assert load_gazetteer(path).resolve_name("FQL") == "Fooquux Lab"


@pytest.mark.parametrize(
    ("env", "content", "expected"),
    [
        ("PAPERSCOPE_MODELS", HEAD + 'aliases = "fooey"\n', "aliases: expected a list"),
        ("PAPERSCOPE_INSTITUTIONS", "name,country\nFoo,USA\n", "is not an ISO 3166-1"),
    ],
)
def test_the_cli_reports_a_bad_user_file_in_one_line(
    tmp_path: Path, env: str, content: str, expected: str
) -> None:
    path = tmp_path / ("user.toml" if env == "PAPERSCOPE_MODELS" else "user.csv")
    path.write_text(content, encoding="utf-8")
    done = subprocess.run(
        [
            *(sys.executable, "-c", "from search.cli import main; main()", "count"),
            *(("--model", "llama") if env == "PAPERSCOPE_MODELS" else ("--institution", "Foo")),
        ],
        env={**os.environ, "PYTHONPATH": str(ROOT), env: str(path)},
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.strip().startswith(f"error: {path}")
    assert expected in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
