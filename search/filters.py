"""What an analyst asks for, normalized: `Filters` and how user words become ids.

Users type "Llama-2", "China", "Tsinghua"; the index holds ``llama``, ``CN`` and
"Tsinghua University". `make_filters` folds every alias through the model catalog,
the country names and the institution gazetteer, and turns unknown values into
an error that lists close matches. The CLI, the TUI and scripts all build their
`Filters` here, so a value means the same thing everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from search.errors import PaperscopeError, UnknownValueError


@dataclass(frozen=True, slots=True)
class Filters:
    """A faceted query over papers; empty fields do not filter."""

    query: str = ""
    """Full-text query (Tantivy syntax: words, "phrases", AND/OR/NOT, field:value)."""
    models: tuple[str, ...] = ()
    """Catalog ids; a paper matches when it has any of them."""
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
        if self.model_origins:
            out["model_origins"] = list(self.model_origins)
            out["usage"] = "any mention" if self.mentioned else "used"
        if self.countries:
            out["countries"] = list(self.countries)
            out["countries_match"] = "all" if self.all_countries else "any"
        for name in ("institutions", "years", "venues"):
            if value := getattr(self, name):
                out[name] = list(value)
        return out

    def command_line(self) -> str:
        """The `search count …` command that asks the same question."""
        parts = ["search", "count"]
        if self.query.strip():
            parts.append(_quote(self.query))
        parts += [f"--model {m}" for m in self.models]
        parts += [f"--model-origin {c}" for c in self.model_origins]
        if self.mentioned and (self.models or self.model_origins):
            parts.append("--mentioned")
        parts += [f"--country {c}" for c in self.countries]
        if self.all_countries and len(self.countries) > 1:
            parts.append("--all-countries")
        parts += [f"--institution {_quote(i)}" for i in self.institutions]
        parts += [f"--year {y}" for y in self.years]
        parts += [f"--venue {_quote(v)}" for v in self.venues]
        return " ".join(parts)


def make_filters(
    query: str = "",
    *,
    models: Iterable[str] = (),
    mentioned: bool = False,
    model_origins: Iterable[str] = (),
    countries: Iterable[str] = (),
    all_countries: bool = False,
    institutions: Iterable[str] = (),
    years: Iterable[int] = (),
    venues: Iterable[str] = (),
) -> Filters:
    """Build `Filters` from what a user typed, resolving aliases; raise on unknown values."""
    from search.query_limits import check_year

    years_out = [check_year(y) for y in years]
    venues_out: list[str] = []
    for v in venues:
        name, year = split_venue(v)
        venues_out.append(name)
        if year:
            years_out.append(year)
    return Filters(
        query=query.strip(),
        models=_unique(resolve_model(m) for m in models),
        mentioned=mentioned,
        model_origins=_unique(resolve_country(c) for c in model_origins),
        countries=_unique(resolve_country(c) for c in countries),
        all_countries=all_countries,
        institutions=_unique(resolve_institution(i) for i in institutions),
        years=tuple(sorted(set(years_out))),
        venues=_unique(venues_out),
    )


def resolve_model(name: str) -> str:
    """Catalog id for a model name or alias ("Llama-2" → "llama")."""
    from indexer.catalog import load_catalog

    catalog = load_catalog()
    if found := catalog.resolve(name):
        return found
    raise UnknownValueError("model", name, catalog.suggest(name))


def resolve_country(name: str) -> str:
    """ISO alpha-2 code for a country name or code ("China" → "CN")."""
    from indexer.countries import resolve_country as lookup
    from indexer.countries import suggest_countries

    if found := lookup(name):
        return found
    raise UnknownValueError("country", name, suggest_countries(name))


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


def _canonical_venue(name: str) -> str:
    return _VENUES.get(name.lower(), name)


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def _quote(text: str) -> str:
    if re.fullmatch(r"[\w.:-]+", text):
        return text
    return "'" + text.replace("'", "'\\''") + "'"
