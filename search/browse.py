"""Facet counts and selections for interactive drill-down (the TUI's query side).

An analyst browsing papers picks facet values one at a time and wants each value's
count to say what picking it would give. That needs a few `Library` calls per
refresh (one per facet with a selection, one per model-origin country) and a rule
for what the number means; both live here, headless, so the TUI only renders and
the rule is tested without a terminal:

* a facet without a selection counts papers among the current matches
  (plain drill-down);
* an "any of" facet with a selection counts each value as if it were the only one
  selected in that facet (so the other values stay visible and comparable);
* countries in "all of" mode count each value as if it were added to the selection
  (collaborations narrow the set).

In every case the number next to a value equals ``library.count(pick(filters,
facet, value))``.

The model and model-version facets share one filter, `Filters.models` (as ``--model llama
--model gpt/4o`` does on the CLI): families in one panel, versions (``gpt/4o``) in the
other, any of them matching. For the counting rule they are one facet: a value counts as
if it were the only model selected.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Final

from search.filters import Filters
from search.library import Library
from search.results import FacetCount, Hit, Snippet

FACETS: Final = (
    "country",
    "model",
    "model_version",
    "model_origin",
    "institution",
    "year",
    "venue",
)
"""Facet names the browser shows, in display order."""

_MODEL_FACETS: Final = ("model", "model_version")
"""Facets that share `Filters.models`: family ids (``gpt``) and version ids (``gpt/4o``)."""

_FILTER_FIELD: Final = {
    "country": "countries",
    "model": "models",
    "model_version": "models",
    "model_origin": "model_origins",
    "institution": "institutions",
    "year": "years",
    "venue": "venues",
}


def index_field(facet: str, filters: Filters) -> str:
    """The index field behind a facet (``model`` follows the used / any-mention switch)."""
    if facet in _MODEL_FACETS:
        return f"{facet}_{'mentioned' if filters.mentioned else 'used'}"
    return facet


def selected(filters: Filters, facet: str) -> tuple[str, ...]:
    """Values selected in one facet, as strings (versions are the model ids with a ``/``)."""
    values = tuple(str(v) for v in getattr(filters, _FILTER_FIELD[facet]))
    if facet in _MODEL_FACETS:
        return tuple(v for v in values if ("/" in v) == (facet == "model_version"))
    return values


def _with(filters: Filters, facet: str, values: Sequence[str], *, alone: bool = False) -> Filters:
    """`filters` with `values` selected in `facet`; the other model facet's selection is
    kept unless `alone` (counting a value as the only model selected)."""
    name = _FILTER_FIELD[facet]
    if facet == "year":
        return replace(filters, years=tuple(sorted({int(v) for v in values})))
    if facet in _MODEL_FACETS and not alone:
        other = next(f for f in _MODEL_FACETS if f != facet)
        values = [*selected(filters, other), *values]
    return replace(filters, **{name: tuple(dict.fromkeys(values))})


def toggle(filters: Filters, facet: str, value: str) -> Filters:
    """Select `value` in `facet` if it is not selected, else deselect it."""
    current = selected(filters, facet)
    if value in current:
        return _with(filters, facet, [v for v in current if v != value])
    return _with(filters, facet, [*current, value])


def clear(filters: Filters, facet: str) -> Filters:
    """Drop every selection of one facet."""
    return _with(filters, facet, [])


def _narrows(filters: Filters, facet: str) -> bool:
    """True when a further value in `facet` narrows the matches (all-of countries)."""
    return facet == "country" and filters.all_countries


def pick(filters: Filters, facet: str, value: str) -> Filters:
    """The filters a value's count describes (see the module docstring)."""
    if _narrows(filters, facet) and value not in selected(filters, facet):
        return _with(filters, facet, [*selected(filters, facet), value])
    if _narrows(filters, facet):
        return filters
    return _with(filters, facet, [value], alone=True)


def facet_counts(
    library: Library,
    filters: Filters,
    *,
    facets: Sequence[str] = FACETS,
    size: int = 40,
) -> dict[str, list[FacetCount]]:
    """Counts per value of each facet under `filters`, most frequent first.

    Selected values are always listed (with their count, possibly 0) so they can be
    deselected; at most `size` other values per facet.
    """
    out: dict[str, list[FacetCount]] = {}
    plain = [f for f in facets if f != "model_origin" and _plain(filters, f)]
    if plain:
        fields = [index_field(f, filters) for f in plain]
        got = library.facets(filters, fields=fields, size=size)
        for facet, field in zip(plain, fields, strict=True):
            out[facet] = got[field]
    # A selected facet counts without its own values (model and model version share
    # one filter): facets whose base is the same filters are counted in one call.
    by_base: dict[Filters, list[str]] = {}
    for facet in facets:
        if facet == "model_origin" or facet in out:
            continue
        by_base.setdefault(_with(filters, facet, [], alone=True), []).append(facet)
    for base, group in by_base.items():
        fields = [index_field(f, filters) for f in group]
        got = library.facets(base, fields=fields, size=size)
        for facet, field in zip(group, fields, strict=True):
            out[facet] = got[field]
    if "model_origin" in facets:
        out["model_origin"] = _origin_counts(library, filters, size)
    for facet in facets:
        out[facet] = _with_selected(library, out[facet], facet, filters)
    return {f: out[f] for f in facets}


def _plain(filters: Filters, facet: str) -> bool:
    """Counted among the current matches (no selection, or an all-of facet)."""
    if facet in _MODEL_FACETS:
        return not filters.models
    return not selected(filters, facet) or _narrows(filters, facet)


def _origin_counts(library: Library, filters: Filters, size: int) -> list[FacetCount]:
    from indexer.catalog import load_catalog

    catalog = load_catalog()
    base = clear(filters, "model_origin")
    field = index_field("model", filters)
    present = library.facets(base, fields=[field], size=10_000)[field]
    origins = sorted({catalog.get(fc.value).origin_country for fc in present if _known(fc.value)})
    rows = [
        FacetCount("model_origin", cc, library.count(pick(filters, "model_origin", cc)))
        for cc in origins
    ]
    rows = [r for r in rows if r.count]
    rows.sort(key=lambda r: (-r.count, r.value))
    return rows[:size]


def _known(model_id: str) -> bool:
    from indexer.catalog import load_catalog

    return model_id in load_catalog().models


def _with_selected(
    library: Library, rows: list[FacetCount], facet: str, filters: Filters
) -> list[FacetCount]:
    have = {r.value for r in rows}
    field = rows[0].field if rows else index_field(facet, filters)
    missing = [v for v in selected(filters, facet) if v not in have]
    return rows + [FacetCount(field, v, library.count(pick(filters, facet, v))) for v in missing]


def list_hits(library: Library, filters: Filters, *, limit: int = 500) -> list[Hit]:
    """Best `limit` matches without snippets: a results table needs no evidence."""
    return library.find(filters, limit=limit, snippets=0)


def paper_snippets(
    library: Library,
    paper_id: str,
    filters: Filters,
    *,
    limit: int = 5,
    running: Sequence[str] | None = None,
) -> list[Snippet]:
    """Best passages of one paper for the full-text query of `filters` (page-numbered;
    `running`: its running lines when the caller holds its record)."""
    return library.snippets(paper_id, filters, limit, running)
