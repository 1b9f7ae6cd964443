"""The precomputed alias table: in sync with its sources, and the same answers as they give."""

from __future__ import annotations

import subprocess
import sys

import pytest

from indexer import alias_table
from indexer.catalog import _load
from indexer.countries import name_table, normalize
from indexer.countries import resolve_country as full_resolve_country
from search.filters import read_model, resolve_country
from tests.conftest import ROOT


def test_the_table_file_is_what_the_sources_give_now() -> None:
    expected = alias_table.render(alias_table.build())
    actual = alias_table.TABLE_FILE.read_text(encoding="utf-8")
    assert actual == expected, "stale: run `python -m indexer.alias_table` and commit the file"


@pytest.mark.parametrize(
    "text", ["P.R. China", "U.S.A.", "Hong Kong SAR", "Côte d’Ivoire", "  korea,  republic of "]
)
def test_the_table_keys_countries_as_the_country_module_does(text: str) -> None:
    assert alias_table.country_key(text) == normalize(text)


def test_every_country_name_and_code_resolves_as_the_full_tables_do() -> None:
    names = list(name_table())
    codes = ["us", "CN", "chn", "GBR", "hk", "Tw", "xx", "zzz"]
    for text in names + codes:
        assert alias_table.country_code(text) == full_resolve_country(text), text


def test_every_catalog_name_resolves_to_the_family_the_catalog_gives() -> None:
    catalog = _load(None)
    for key, model_id in catalog._names.items():
        assert alias_table.model_family(key) == model_id
    for info in catalog.models.values():
        for name in (info.id, info.name, *info.aliases):
            assert read_model(name).value.split("/")[0] == catalog.resolve(name), name


def test_the_table_knows_where_the_catalog_looks_for_a_user_file() -> None:
    from indexer import catalog

    assert alias_table.USER_CATALOG_ENV == catalog.ENV_VAR
    assert alias_table.USER_CATALOG_FILE == catalog.USER_FILE


def test_a_name_the_table_misses_takes_the_long_way() -> None:
    assert alias_table.model_family("Llama-2-7B-chat") is None
    assert read_model("Llama-2-7B-chat").value == "llama/2"
    assert alias_table.country_code("Atlantis") is None
    with pytest.raises(Exception, match="Atlantis"):
        resolve_country("Atlantis")


def test_a_cold_count_filter_resolution_loads_no_heavy_tables() -> None:
    code = (
        "import sys; from search.filters import make_filters;"
        "f = make_filters(models=['qwen', 'GPT-4o'], countries=['US', 'China']);"
        "assert f.models == ('qwen', 'gpt/4o') and f.countries == ('US', 'CN'), f;"
        "heavy = {'pycountry', 'pandas', 'textual', 'indexer.gazetteer', 'indexer.countries',"
        " 'indexer.catalog'};"
        "print(sorted(heavy & set(sys.modules)))"
    )
    env_home = {"HOME": str(ROOT / "tests"), "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env_home, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_a_table_older_than_its_sources_is_ignored_and_answers_stay_right(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    for name in alias_table.SOURCES:
        source = alias_table.TABLE_FILE.parent / name
        (data / name).write_bytes(source.read_bytes() + b"\n# edited after the table was built\n")
    (data / "aliases.json").write_bytes(alias_table.TABLE_FILE.read_bytes())
    monkeypatch.setattr(alias_table, "TABLE_FILE", data / "aliases.json")
    alias_table.load.cache_clear()
    try:
        assert not alias_table.usable()
        assert alias_table.model_family("qwen") is None
        assert read_model("GPT-4o").value == "gpt/4o"
        assert read_model("qwen").value == "qwen"
        assert resolve_country("China") == "CN"
    finally:
        alias_table.load.cache_clear()
