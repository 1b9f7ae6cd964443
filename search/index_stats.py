"""What an index holds and how complete it is: `search stats`, and the last indexing run.

Every count paperscope prints has a denominator, and an analyst needs to know how much of
the index can answer a question at all: a year trend over papers of which a third have no
known year is a trend over two thirds. `index_stats` gathers the papers and pages, the
share of papers with a known year / venue / country / institution, the affiliation
strings no country could be given, the models used and mentioned, the size on disk, the
schema version and the last `search index` run (recorded by `record_run` in
``last_run.json`` next to the index's ``paperscope.json``).
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import tantivy

from search.library import Library
from search.schema import PAGE, PAPER
from search.store import META_FILE

LAST_RUN_FILE = "last_run.json"
KNOWN_FIELDS = ("year", "venue", "country", "institution")
"""Fields whose coverage `search stats` reports (papers with at least one value)."""


@dataclass(frozen=True, slots=True)
class IndexStats:
    """Contents and completeness of one index."""

    index: str
    """The index folder."""
    papers: int
    """Papers indexed."""
    pages: int
    """Pages indexed."""
    known: dict[str, int]
    """Papers with a known value, per field of `KNOWN_FIELDS`."""
    unresolved_affiliations: int
    """Distinct affiliation strings no country could be given."""
    papers_with_unresolved: int
    """Papers with at least one such affiliation."""
    models_used: int
    """Catalog families used by at least one paper."""
    models_mentioned: int
    """Catalog families named by at least one paper."""
    papers_using_a_model: int
    """Papers that use at least one catalogued model."""
    versions_used: int
    """Distinct model versions used ("gpt/4o")."""
    size_bytes: int
    """Size of the index folder on disk."""
    schema_version: int | None
    """Schema version in ``paperscope.json``."""
    created: float | None
    """When the index was created (Unix time)."""
    last_run: dict[str, Any] | None
    """The last `search index` run (see `record_run`), None before the first."""

    def share(self, field: str) -> float:
        """Share of papers with a known value of ``field`` (0 for an empty index)."""
        return self.known[field] / self.papers if self.papers else 0.0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, shares included."""
        d = asdict(self)
        d["known_share"] = {f: round(self.share(f), 4) for f in self.known}
        return d


def index_stats(library: Library) -> IndexStats:
    """Gather the statistics of ``library``'s index (one pass over the paper records for
    the unresolved affiliations; the rest from fast fields)."""
    store = library.store
    papers_q = store.term("doc_type", PAPER)

    def with_value(field: str) -> int:
        q = tantivy.Query.boolean_query(
            [
                (tantivy.Occur.Must, papers_q),
                (tantivy.Occur.Must, tantivy.Query.exists_query(field)),
            ]
        )
        return store.count(q)

    unresolved: set[str] = set()
    papers_with_unresolved = 0
    for paper in library.records():
        texts = {" ".join(a.text.split()) for a in paper.affiliations if a.country is None}
        unresolved |= texts
        papers_with_unresolved += bool(texts)
    path = Path(store.path)
    meta = _read_json(path / META_FILE) or {}
    return IndexStats(
        index=str(path),
        papers=store.count(papers_q),
        pages=store.count(store.term("doc_type", PAGE)),
        known={f: with_value(f) for f in KNOWN_FIELDS},
        unresolved_affiliations=len(unresolved),
        papers_with_unresolved=papers_with_unresolved,
        models_used=len(store.terms(papers_q, "model_used", size=10_000)),
        models_mentioned=len(store.terms(papers_q, "model_mentioned", size=10_000)),
        papers_using_a_model=with_value("model_used"),
        versions_used=len(store.terms(papers_q, "model_version_used", size=10_000)),
        size_bytes=sum(p.stat().st_size for p in path.rglob("*") if p.is_file()),
        schema_version=meta.get("schema_version"),
        created=meta.get("created"),
        last_run=last_run(path),
    )


def record_run(
    index_dir: Path | str,
    paths: Sequence[Path],
    outcomes: dict[str, int],
    *,
    pages: int,
    seconds: float,
    pruned: int = 0,
) -> None:
    """Write ``last_run.json`` in the index folder: when, what was indexed, the outcomes."""
    record = {
        "finished": time.time(),
        "paths": [str(Path(p).expanduser().resolve()) for p in paths],
        "outcomes": outcomes,
        "pages": pages,
        "seconds": round(seconds, 2),
        "pruned": pruned,
    }
    target = Path(index_dir) / LAST_RUN_FILE
    tmp = target.with_suffix(".tmp")
    tmp.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    tmp.replace(target)


def last_run(index_dir: Path | str) -> dict[str, Any] | None:
    """The last recorded `search index` run, None when there is none (or it is unreadable)."""
    return _read_json(Path(index_dir) / LAST_RUN_FILE)


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None
