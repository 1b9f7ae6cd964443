"""The model catalog as rows, with how often each family and version occurs in an index.

`search models` answers "which names does paperscope know, what do they fold into, and
how many papers use each version?": a reviewer checks the catalog against the index
without reading TOML, and a journalist sees that ``gpt/4o`` and ``gpt/4`` are counted
apart. The rows are plain dataclasses; the CLI renders them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from indexer.catalog import Catalog, load_catalog
from search.errors import UnknownValueError
from search.filters import Filters
from search.library import Library


@dataclass(frozen=True, slots=True)
class VersionCount:
    """Papers naming one version of a model family."""

    id: str
    """Version id ("gpt/4o")."""
    used: int
    """Papers that use this version."""
    mentioned: int
    """Papers that name it (used or not)."""


@dataclass(frozen=True, slots=True)
class ModelRow:
    """One catalog family with its counts in the index."""

    id: str
    """Catalog id ("gpt")."""
    name: str
    """Display name."""
    organisation: str
    """Developing organisation."""
    origin_country: str
    """ISO alpha-2 code of the organisation's country."""
    kind: str
    """llm, vlm, image, ..."""
    aliases: tuple[str, ...]
    """Other names `--model` accepts for the family (versions resolve too)."""
    used: int | None
    """Papers that use the family, None without an index."""
    mentioned: int | None
    """Papers that name it, None without an index."""
    versions: tuple[VersionCount, ...]
    """Versions found in the index, most used first."""

    def to_dict(self) -> dict[str, object]:
        """JSON-ready."""
        return asdict(self)


def model_rows(library: Library | None, model: str | None = None) -> list[ModelRow]:
    """Every catalog family (or the one ``model`` names), with index counts when given.

    Families are sorted by papers using them, then id. ``model`` may be an id, a name or
    an alias ("GPT-4o" lists the GPT family).
    """
    catalog = load_catalog()
    ids = catalog.ids()
    if model is not None:
        found = catalog.resolve(model) or catalog.resolve(model.split("/", 1)[0])
        if found is None:
            raise UnknownValueError("model", model, catalog.suggest(model))
        ids = [found]
    counts = _counts(library) if library is not None else None
    rows = [_row(catalog, i, counts) for i in ids]
    rows.sort(key=lambda r: (-(r.used or 0), -(r.mentioned or 0), r.id))
    return rows


def _counts(library: Library) -> dict[str, dict[str, int]]:
    q = library.query(Filters())
    store = library.store
    return {
        field: store.terms(q, field, size=100_000)
        for field in (
            "model_used",
            "model_mentioned",
            "model_version_used",
            "model_version_mentioned",
        )
    }


def _row(catalog: Catalog, model_id: str, counts: dict[str, dict[str, int]] | None) -> ModelRow:
    info = catalog.get(model_id)
    versions: tuple[VersionCount, ...] = ()
    used = mentioned = None
    if counts is not None:
        used = counts["model_used"].get(model_id, 0)
        mentioned = counts["model_mentioned"].get(model_id, 0)
        prefix = model_id + "/"
        named = {v: n for v, n in counts["model_version_mentioned"].items() if v.startswith(prefix)}
        versions = tuple(
            VersionCount(v, counts["model_version_used"].get(v, 0), n)
            for v, n in sorted(
                named.items(),
                key=lambda kv: (-counts["model_version_used"].get(kv[0], 0), -kv[1], kv[0]),
            )
        )
    return ModelRow(
        id=info.id,
        name=info.name,
        organisation=info.organisation,
        origin_country=info.origin_country,
        kind=info.kind,
        aliases=info.aliases,
        used=used,
        mentioned=mentioned,
        versions=versions,
    )
