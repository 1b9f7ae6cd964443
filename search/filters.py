"""What an analyst asks for, normalized: `Filters` and how user words become ids.

Users type "GPT-4o", "Llama-2", "China", "Tsinghua"; the index holds ``gpt/4o``,
``llama/2``, ``CN`` and "Tsinghua University". `make_filters` folds every alias through
the model catalog (a name that gives a version filters that version, a family name the
whole family), the country names and the institution gazetteer, and turns unknown values
into an error that lists close matches. The CLI, the TUI and scripts all build their
`Filters` here, so a value means the same thing everywhere.

Nothing is folded silently: each value keeps a `Resolution` (what was typed, what the
filter uses, in words) on `Filters.resolutions`; the CLI prints a note for the ones that
are broader than what was typed ("LLaMA-7B" → the Llama family) and JSON output carries
them all. Common names resolve from a small precomputed table
(`indexer.alias_table`), so a cold `search count` does not load the whole catalog.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from search.errors import PaperscopeError, UnknownValueError


@dataclass(frozen=True, slots=True)
class Resolution:
    """How one value typed for a filter was read."""

    option: str
    """The option it was given to ("--model", "--country", "--model-origin", "--institution")."""
    given: str
    """The value as typed ("ChatGPT", "China")."""
    value: str
    """What the filter uses: a catalog id, a version id ("gpt/4o"), an ISO code, a name."""
    meaning: str
    """The value in words ("GPT version 4o", "the whole GPT family", "China")."""
    folded: bool = False
    """True when the filter is broader than what was typed ("LLaMA-7B" → every Llama)."""

    def note(self) -> str:
        """One line for people: ``--model LLaMA-7B → llama (the whole Llama family, ...)``."""
        return f"{self.option} {_quote(self.given)} → {self.value} ({self.meaning})"

    def to_dict(self) -> dict[str, object]:
        """JSON-ready."""
        return {
            "option": self.option,
            "given": self.given,
            "value": self.value,
            "meaning": self.meaning,
            "folded": self.folded,
        }


@dataclass(frozen=True, slots=True)
class Filters:
    """A faceted query over papers; empty fields do not filter."""

    query: str = ""
    """Full-text query (Tantivy syntax: words, "phrases", AND/OR/NOT, field:value)."""
    models: tuple[str, ...] = ()
    """Catalog ids (``gpt``) or version ids (``gpt/4o``); a paper matches any of them
    (every one with `all_models`)."""
    all_models: bool = False
    """Require every model in `models` instead of any."""
    mentioned: bool = False
    """Count any mention of `models`, not only use."""
    model_origins: tuple[str, ...] = ()
    """Developer countries of the models (``CN``: papers using Chinese-developed models)."""
    countries: tuple[str, ...] = ()
    """ISO alpha-2 codes of author affiliations."""
    all_countries: bool = False
    """Require every country in `countries` (collaborations) instead of any."""
    institutions: tuple[str, ...] = ()
    """Normalized institution names; any of them."""
    years: tuple[int, ...] = ()
    """Publication years; any of them."""
    venues: tuple[str, ...] = ()
    """Venue names ("NeurIPS"); any of them."""
    reviews: str = "apply"
    """How counts use the review log (`search.reviews.MODES`): ``apply`` drops rejected
    claims, ``raw`` ignores the log, ``verified`` keeps only verified claims."""
    given: tuple[tuple[str, tuple[str, ...]], ...] = field(default=(), compare=False)
    """What the user typed, option by option, before aliases were resolved (for output)."""
    resolutions: tuple[Resolution, ...] = field(default=(), compare=False)
    """How each typed model/country/institution value was read (see `Resolution`)."""

    def notes(self) -> list[str]:
        """Lines for model names that were read as something else than typed (for stderr).

        "GPT-4o" → ``gpt/4o``, "LLaMA-7B" → ``llama`` (the whole family), but not
        "llama" → ``llama``: a script's reader sees what was counted.
        """
        return [
            r.note()
            for r in self.resolutions
            if r.folded or (r.option == "--model" and r.given.strip().lower() != r.value)
        ]

    def is_empty(self) -> bool:
        """True when nothing is filtered."""
        return not (
            self.query.strip()
            or self.models
            or self.model_origins
            or self.countries
            or self.institutions
            or self.years
            or self.venues
        )

    def as_dict(self) -> dict[str, object]:
        """The non-empty filters, JSON-ready (for `--json` output)."""
        out: dict[str, object] = {}
        if self.query.strip():
            out["query"] = self.query
        if self.models:
            out["models"] = list(self.models)
            out["usage"] = "any mention" if self.mentioned else "used"
            if self.all_models and len(self.models) > 1:
                out["models_match"] = "all"
        if self.model_origins:
            out["model_origins"] = list(self.model_origins)
            out["usage"] = "any mention" if self.mentioned else "used"
        if self.countries:
            out["countries"] = list(self.countries)
            out["countries_match"] = "all" if self.all_countries else "any"
        for name in ("institutions", "years", "venues"):
            if value := getattr(self, name):
                out[name] = list(value)
        if self.reviews != "apply":
            out["reviews"] = self.reviews
        return out

    def given_dict(self) -> dict[str, object]:
        """The filters as the user typed them (option → values), JSON-ready."""
        out: dict[str, object] = {}
        for name, values in self.given:
            if not values:
                out[name] = True
            else:
                out[name] = values[0] if name == "query" else list(values)
        return out

    def resolved(self) -> list[dict[str, object]]:
        """How each typed value was read, JSON-ready (the ``resolved`` entry of `--json`)."""
        return [r.to_dict() for r in self.resolutions]

    def command_line(self) -> str:
        """The `search count …` command that asks the same question."""
        parts = ["search", "count"]
        if self.query.strip():
            parts.append(_quote(self.query))
        parts += [f"--model {m}" for m in self.models]
        if self.all_models and len(self.models) > 1:
            parts.append("--all-models")
        parts += [f"--model-origin {c}" for c in self.model_origins]
        if self.mentioned and (self.models or self.model_origins):
            parts.append("--mentioned")
        parts += [f"--country {c}" for c in self.countries]
        if self.all_countries and len(self.countries) > 1:
            parts.append("--all-countries")
        parts += [f"--institution {_quote(i)}" for i in self.institutions]
        parts += [f"--year {y}" for y in self.years]
        parts += [f"--venue {_quote(v)}" for v in self.venues]
        if self.reviews != "apply":
            parts.append("--raw" if self.reviews == "raw" else "--verified-only")
        return " ".join(parts)


def make_filters(
    query: str = "",
    *,
    models: Iterable[str] = (),
    all_models: bool = False,
    mentioned: bool = False,
    model_origins: Iterable[str] = (),
    countries: Iterable[str] = (),
    all_countries: bool = False,
    institutions: Iterable[str] = (),
    years: Iterable[int] = (),
    venues: Iterable[str] = (),
    reviews: str = "apply",
) -> Filters:
    """Build `Filters` from what a user typed, resolving aliases; raise on unknown values."""
    if reviews not in ("apply", "raw", "verified"):
        raise PaperscopeError(f"unknown review mode {reviews!r}; use apply, raw or verified")
    models, model_origins, countries = list(models), list(model_origins), list(countries)
    institutions, years, venues = list(institutions), list(years), list(venues)
    if all_countries and not countries:
        raise PaperscopeError("--all-countries needs at least one --country (e.g. -c US -c CN)")
    if all_models and not models:
        raise PaperscopeError("--all-models needs at least one --model (e.g. -m llama -m qwen)")
    typed = {
        "query": [query.strip()] if query.strip() else [],
        "model": [str(m) for m in models],
        "model_origin": [str(c) for c in model_origins],
        "country": [str(c) for c in countries],
        "institution": [str(i) for i in institutions],
        "year": [str(y) for y in years],
        "venue": [str(v) for v in venues],
    }
    flags = {"mentioned": mentioned, "all_models": all_models, "all_countries": all_countries}
    given = tuple((k, tuple(v)) for k, v in typed.items() if v)
    given += tuple((k, ()) for k, v in flags.items() if v)  # a flag: no values
    if reviews != "apply":
        given += (("reviews", (reviews,)),)
    from search.query_limits import check_year

    years_out = [check_year(y) for y in years]
    venues_out: list[str] = []
    for v in venues:
        name, year = split_venue(v)
        venues_out.append(name)
        if year:
            years_out.append(year)
    read_models = [read_model(m) for m in models]
    read_origins = [read_country(c, "--model-origin") for c in model_origins]
    read_countries = [read_country(c) for c in countries]
    read_institutions = [
        Resolution("--institution", i, resolve_institution(i), "institution") for i in institutions
    ]
    return Filters(
        query=query.strip(),
        models=_unique(r.value for r in read_models),
        all_models=all_models,
        mentioned=mentioned,
        model_origins=_unique(r.value for r in read_origins),
        countries=_unique(r.value for r in read_countries),
        all_countries=all_countries,
        institutions=_unique(r.value for r in read_institutions),
        years=tuple(sorted(set(years_out))),
        venues=_unique(venues_out),
        reviews=reviews,
        given=given,
        resolutions=(*read_models, *read_origins, *read_countries, *read_institutions),
    )


def resolve_model(name: str) -> str:
    """Catalog id or version id for a model name ("Llama" → "llama", "GPT-4o" → "gpt/4o")."""
    return read_model(name).value


def read_model(name: str) -> Resolution:
    """How a typed model name reads: a version of a family, or the whole family.

    A name that names a version ("GPT-4o", "gpt-4o-mini", "o1", "Llama-3.1-8B",
    "Qwen2.5-VL") filters that version; a family name or an alias that names no version
    ("GPT", "Meta Llama", "LLaMA-7B") filters the whole family, and says so when the
    typed name looked more specific. A version id as `search models` prints it
    ("gpt/4o") is taken as it is.
    """
    from indexer import alias_table

    text = name.strip()
    family_part, slash, version_part = text.partition("/")
    fast = _fast_models()
    family = _family(family_part, fast) if slash else None
    version = re.sub(r"[\s_]+", "-", version_part.strip().lower())
    if family == family_part.strip().lower() and _VERSION_ID.fullmatch(version):
        value = f"{family}/{version}"
        meaning = f"version {value[len(family) + 1 :]} of {_model_name(family, fast)}"
        return Resolution("--model", name, value, meaning)
    family = _family(text, fast)
    if family is None:
        raise UnknownValueError("model", name, _suggest_models(text))
    value = _version(family, text, fast) or family
    display = _model_name(family, fast)
    key = alias_table.model_key(text)
    # Broader than typed: not the family's id or name, nor a name the catalog lists
    # ("Meta Llama", "code llama"), but "LLaMA-7B" or "Llama-3.1-8B-Instruct".
    listed = _catalog_name(text, fast)
    if value == family:
        # A listed name that itself spells a version ("gpt4o" from "gpt/4o?") is no excuse.
        listed = listed and not _version(family, key, fast)
        folded = not listed and key not in {family.replace("-", ""), alias_table.model_key(display)}
        meaning = f"the whole {display} family" + (", every version" if folded else "")
        return Resolution("--model", name, family, meaning, folded)
    version = value[len(family) + 1 :]
    plain = {alias_table.model_key(v) for v in (version, family + version, display + version)}
    folded = not listed and key not in plain
    meaning = f"version {version} of {display}" + (
        "; sizes, tunings and snapshots are not told apart" if folded else ""
    )
    return Resolution("--model", name, value, meaning, folded)


_VERSION_ID = re.compile(r"[a-z0-9][a-z0-9.\-]*")


def _fast_models() -> bool:
    """True when the precomputed table can answer for models: no user catalog file
    extends the built-in one, and the table is present and in step with the catalog."""
    from indexer import alias_table

    return alias_table.user_catalog_file() is None and alias_table.usable()


def _catalog_name(text: str, fast: bool) -> bool:
    """True when ``text`` is a family's id, name or alias as the catalog lists it."""
    from indexer import alias_table

    if fast:
        return alias_table.model_family(text) is not None
    from indexer.catalog import load_catalog

    return load_catalog().is_name(text)


def _family(text: str, fast: bool) -> str | None:
    from indexer import alias_table

    if fast and (found := alias_table.model_family(text)):
        return found
    from indexer.catalog import load_catalog

    return load_catalog().resolve(text)


def _version(family: str, text: str, fast: bool) -> str:
    if fast:
        from indexer import alias_table
        from indexer.version_rules import compile_versions, match_version

        rules = alias_table.model_versions(family)
        if not rules or alias_table.model_key(text) == family.replace("-", ""):
            return ""  # "qwen": the family itself
        part = match_version(compile_versions(family, rules), text.strip())
        return f"{family}/{part}" if part else ""
    from indexer.catalog import load_catalog

    return load_catalog().version(family, text.strip())


def _model_name(family: str, fast: bool) -> str:
    if fast:
        from indexer import alias_table

        if found := alias_table.model_name(family):
            return found
    from indexer.catalog import load_catalog

    return load_catalog().get(family).name


def _suggest_models(text: str) -> list[str]:
    from indexer.catalog import load_catalog

    return load_catalog().suggest(text)


def resolve_country(name: str) -> str:
    """ISO alpha-2 code for a country name or code ("China" → "CN")."""
    return read_country(name).value


def read_country(name: str, option: str = "--country") -> Resolution:
    """How a typed country reads ("China" → CN); unknown names list close matches."""
    from indexer import alias_table

    found = alias_table.country_code(name)
    if found is None:
        from indexer.countries import resolve_country as lookup
        from indexer.countries import suggest_countries

        found = lookup(name)
        if found is None:
            raise UnknownValueError("country", name, suggest_countries(name))
    display = alias_table.country_display(found)
    if display == found and not alias_table.usable():
        from indexer.countries import country_name

        display = country_name(found)
    return Resolution(option, name, found, display)


def resolve_institution(name: str) -> str:
    """Normalized institution name for a name or alias ("Tsinghua" → "Tsinghua University").

    Names the gazetteer does not know are kept as typed: a user's own index may hold
    institutions from a user gazetteer file, and an unknown name simply matches nothing.
    """
    from indexer.gazetteer import load_gazetteer

    return load_gazetteer().resolve_name(name) or name.strip()


_VENUE_YEAR = re.compile(r"^\s*(.*?)[\s'’]*((?:19|20)\d\d)\s*$")


def split_venue(text: str) -> tuple[str, int | None]:
    """ "NeurIPS 2025" → ("NeurIPS", 2025); "ICLR" → ("ICLR", None)."""
    if m := _VENUE_YEAR.match(text):
        name = m.group(1).strip()
        if not name:
            raise PaperscopeError(f"venue {text!r} has no name; use --year for a year alone")
        return _canonical_venue(name), int(m.group(2))
    return _canonical_venue(text.strip()), None


_VENUES = {
    "neurips": "NeurIPS",
    "nips": "NeurIPS",
    "icml": "ICML",
    "iclr": "ICLR",
    "cvpr": "CVPR",
    "iccv": "ICCV",
    "eccv": "ECCV",
    "acl": "ACL",
    "emnlp": "EMNLP",
    "naacl": "NAACL",
    "aaai": "AAAI",
    "ijcai": "IJCAI",
    "kdd": "KDD",
    "colm": "COLM",
    "coling": "COLING",
    "sigir": "SIGIR",
    "www": "WWW",
}


def known_venues() -> tuple[str, ...]:
    """Canonical names of the venues paperscope knows without an index."""
    return tuple(dict.fromkeys(_VENUES.values()))


def _canonical_venue(name: str) -> str:
    return _VENUES.get(name.lower(), name)


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def _quote(text: str) -> str:
    if re.fullmatch(r"[\w.:-]+", text):
        return text
    return "'" + text.replace("'", "'\\''") + "'"
