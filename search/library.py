"""The headless query API: count, find, facets, show, adoption matrix.

`Library` is what the CLI commands, the TUI and scripts call; it returns
dataclasses (and pandas frames on request) and never prints. A full-text query
is matched on paper documents (title + body) and then on page documents of the
hits to produce page-numbered snippets; model filters without a text query show
the sentences that decided the model's usage instead.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import tantivy

from indexer.records import Paper, paper_from_dict
from search.errors import PaperscopeError
from search.filters import Filters
from search.hit_evidence import country_snippets, without_running_lines
from search.results import FacetCount, Hit, Snippet
from search.schema import DEFAULT_QUERY_FIELDS, FACET_FIELDS, PAGE, PAGE_QUERY_FIELDS, PAPER
from search.store import Store

if TYPE_CHECKING:
    import pandas as pd

DEFAULT_INDEX = Path("index")
"""Where commands look for the index when none is given."""

_TEXT_FIELDS = (*DEFAULT_QUERY_FIELDS, "authors", "affiliations")
_SPARE_PAGES = 3  # pages read beyond those shown, to replace passages on page furniture
_Occur = tantivy.Occur


class Library:
    """Read access to one paperscope index."""

    def __init__(self, index_dir: Path | str = DEFAULT_INDEX) -> None:
        self.store = Store.open(index_dir)

    # -- questions ---------------------------------------------------------------

    def count(self, filters: Filters = Filters()) -> int:
        """Number of papers matching."""
        return self.store.count(self.query(filters))

    def total(self) -> int:
        """Number of papers in the index."""
        return self.count(Filters())

    def find(
        self, filters: Filters = Filters(), *, limit: int = 20, snippets: int = 1
    ) -> list[Hit]:
        """Best `limit` papers, each with up to `snippets` passages (best first).

        With country filters each hit also carries, after those, one ``country:XX``
        snippet per wanted country it has: the affiliation line that gives it.
        """
        scored = self.store.top(self.query(filters), limit)
        text_query = self._page_query(filters) if filters.query.strip() else None
        return [self._hit(score, doc, filters, text_query, snippets) for score, doc in scored]

    def facets(
        self,
        filters: Filters = Filters(),
        *,
        fields: Sequence[str] = (*FACET_FIELDS, "year"),
        size: int = 50,
    ) -> dict[str, list[FacetCount]]:
        """Papers per value of each facet among the matches, most frequent first."""
        q = self.query(filters)
        out: dict[str, list[FacetCount]] = {}
        for name in fields:
            counts = self.store.terms(q, name, size=size)
            rows = sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))
            out[name] = [FacetCount(name, str(int(v)) if name == "year" else v, c) for v, c in rows]
        return out

    def paper(self, key: str) -> Paper:
        """One paper by id (or id prefix) or file name."""
        key = key.strip()
        for field in ("paper_id", "file"):
            q = self._all(self._type(PAPER), self.store.term(field, key))
            if found := self.store.top(q, 1):
                return self._record(found[0][1])
        matches = sorted(self.store.paper_ids(prefix=key)) if key else []
        if len(matches) == 1:
            return self.paper(matches[0])
        if len(matches) > 1:
            raise PaperscopeError(f"paper id prefix {key!r} is ambiguous ({len(matches)} papers)")
        raise PaperscopeError(
            f"no paper {key!r} in the index; use an id or file name from `search papers`"
        )

    def pages(self, paper_id: str) -> list[tuple[int, str]]:
        """(page number, text) of every page of one paper."""
        q = self._all(self._type(PAGE), self.store.term("paper_id", paper_id))
        docs = self.store.top(q, 10_000)
        return sorted((d["page"][0], d["text"][0]) for _s, d in docs)

    def records(self, filters: Filters = Filters()) -> list[Paper]:
        """Full records (without page text) of every matching paper."""
        q = self.query(filters)
        return [self._record(d) for _s, d in self.store.top(q, self.store.count(q))]

    def frame(self, filters: Filters = Filters()) -> pd.DataFrame:
        """One row per matching paper: id, file, title, year, venue, countries, models."""
        import pandas as pd

        rows = [
            {
                "paper_id": p.id,
                "file": p.file,
                "title": p.title,
                "year": p.year,
                "venue": p.venue,
                "countries": list(p.countries),
                "institutions": list(p.institutions),
                "models_used": list(p.models_used),
                "models_mentioned": list(p.models_mentioned),
            }
            for p in self.records(filters)
        ]
        return pd.DataFrame(
            rows,
            columns=[
                "paper_id",
                "file",
                "title",
                "year",
                "venue",
                "countries",
                "institutions",
                "models_used",
                "models_mentioned",
            ],
        )

    def adoption(self, filters: Filters = Filters(), *, mentioned: bool = False) -> pd.DataFrame:
        """Papers per (model, author country) among the matches: models × countries."""
        import pandas as pd

        field = "model_mentioned" if mentioned else "model_used"
        base = self.query(filters)
        models = self.store.terms(base, field)
        table: dict[str, dict[str, int]] = {}
        for model in models:
            q = self._all(base, self.store.term(field, model))
            table[model] = self.store.terms(q, "country")
        frame = pd.DataFrame(table).T.fillna(0).astype(int)
        if frame.empty:
            return frame
        frame = frame.loc[frame.sum(axis=1).sort_values(ascending=False).index]
        return frame[frame.sum(axis=0).sort_values(ascending=False).index]

    # -- query building ----------------------------------------------------------

    def query(self, filters: Filters) -> tantivy.Query:
        """The tantivy query over paper documents for `filters`."""
        parts: list[tantivy.Query] = [self._type(PAPER)]
        if filters.query.strip():
            parts.append(self.store.parse(filters.query, _TEXT_FIELDS))
        model_field = "model_mentioned" if filters.mentioned else "model_used"
        if filters.models:
            parts.append(self._any(model_field, filters.models))
        if filters.model_origins:
            from indexer.catalog import load_catalog

            catalog = load_catalog()
            ids = sorted({m for c in filters.model_origins for m in catalog.by_origin(c)})
            parts.append(self._any(model_field, ids) if ids else tantivy.Query.empty_query())
        if filters.countries:
            if filters.all_countries:
                parts += [self.store.term("country", c) for c in filters.countries]
            else:
                parts.append(self._any("country", filters.countries))
        if filters.institutions:
            parts.append(self._any("institution", filters.institutions))
        if filters.years:
            parts.append(
                tantivy.Query.boolean_query(
                    [(_Occur.Should, self.store.term("year", y)) for y in filters.years]
                )
            )
        if filters.venues:
            parts.append(self._any("venue", filters.venues))
        return self._all(*parts)

    def _page_query(self, filters: Filters) -> tantivy.Query:
        return self.store.parse_lenient(filters.query, PAGE_QUERY_FIELDS)

    def _type(self, kind: str) -> tantivy.Query:
        return self.store.term("doc_type", kind)

    def _any(self, field: str, values: Sequence[str]) -> tantivy.Query:
        return tantivy.Query.boolean_query(
            [(_Occur.Should, self.store.term(field, v)) for v in values]
        )

    @staticmethod
    def _all(*queries: tantivy.Query) -> tantivy.Query:
        return tantivy.Query.boolean_query([(_Occur.Must, q) for q in queries])

    # -- hits and snippets --------------------------------------------------------

    def snippets(self, paper_id: str, filters: Filters, n: int = 3) -> list[Snippet]:
        """Best page-numbered passages of one paper for the full-text query of `filters`."""
        if not filters.query.strip() or n <= 0:
            return []
        running = self.paper(paper_id).meta.get("running_lines", ())
        return self._text_snippets(paper_id, self._page_query(filters), n, running)

    def country_snippets(self, paper: Paper, filters: Filters) -> list[Snippet]:
        """The affiliation lines that give the paper the countries `filters` ask for."""
        return country_snippets(
            [
                {"text": a.text, "country": a.country, "evidence": a.evidence}
                for a in paper.affiliations
            ],
            filters.countries,
        )

    def _hit(
        self,
        score: float,
        doc: dict[str, list[Any]],
        filters: Filters,
        text_query: tantivy.Query | None,
        n_snippets: int,
    ) -> Hit:
        """A hit from stored fields; the JSON record is parsed only for model evidence."""
        pid = doc["paper_id"][0]
        snippets: list[Snippet] = []
        stored: dict[str, Any] | None = None  # the JSON record, parsed when needed
        if text_query is not None and n_snippets > 0:
            stored = _stored(doc)
            running = stored.get("meta", {}).get("running_lines", ())
            snippets = self._text_snippets(pid, text_query, n_snippets, running)
        if len(snippets) < n_snippets and (filters.models or filters.model_origins):
            stored = stored or _stored(doc)
            paper = paper_from_dict(stored)
            snippets += self._model_snippets(paper, filters, n_snippets - len(snippets))
        if filters.countries and n_snippets > 0:
            stored = stored or _stored(doc)
            snippets += country_snippets(stored.get("affiliations", ()), filters.countries)
        return Hit(
            paper_id=pid,
            file=doc["file"][0],
            title=_first(doc, "title", ""),
            countries=tuple(doc.get("country", ())),
            institutions=tuple(doc.get("institution", ())),
            models_used=tuple(doc.get("model_used", ())),
            models_mentioned=tuple(doc.get("model_mentioned", ())),
            year=_first(doc, "year", None),
            venue=_first(doc, "venue", None),
            score=float(score) if filters.query.strip() else 0.0,
            snippets=tuple(snippets),
        )

    def _text_snippets(
        self, paper_id: str, text_query: tantivy.Query, n: int, running: Sequence[str] = ()
    ) -> list[Snippet]:
        """Best passages; those whose matches all sit on a running header or footer
        (`running`: the paper's, from its record) come only when nothing else matched."""
        q = self._all(self._type(PAGE), self.store.term("paper_id", paper_id), text_query)
        out: list[Snippet] = []
        furniture: list[Snippet] = []
        docs = self.store.top_docs(q, n)
        i = 0
        while len(out) < n:
            if i == len(docs):
                if len(docs) != n:
                    break  # no more pages match (or the spare ones were read already)
                # A page was lost to page furniture: read a few more, only then.
                docs = docs + self.store.top_docs(q, _SPARE_PAGES, offset=n)
                if i == len(docs):
                    break
            _score, doc = docs[i]
            i += 1
            snip = self.store.snippet(text_query, doc, "text")
            text = snip.fragment()
            if not text.strip():
                continue
            spans = _char_spans(text, [(r.start, r.end) for r in snip.highlighted()])
            page = int(doc.to_dict()["page"][0])
            kept, kept_spans = without_running_lines(text, spans, running)
            if not kept:
                furniture.append(Snippet(page=page, text=_oneline(text), highlights=spans))
                continue
            out.append(Snippet(page=page, text=_oneline(kept), highlights=kept_spans))
        return out or furniture[:n]

    def _model_snippets(self, paper: Paper, filters: Filters, n: int) -> list[Snippet]:
        wanted = set(filters.models)
        if filters.model_origins:
            from indexer.catalog import load_catalog

            catalog = load_catalog()
            wanted |= {m for c in filters.model_origins for m in catalog.by_origin(c)}
        out: list[Snippet] = []
        for usage in paper.usages:
            if usage.model_id not in wanted or (usage.usage != "used" and not filters.mentioned):
                continue
            for mention in usage.evidence[:n]:
                text = _oneline(mention.sentence)
                start = text.find(mention.surface)
                spans = ((start, start + len(mention.surface)),) if start >= 0 else ()
                out.append(Snippet(mention.page, text, spans, source=f"model:{usage.model_id}"))
            if len(out) >= n:
                break
        return out[:n]

    @staticmethod
    def _record(doc: dict[str, list[Any]]) -> Paper:
        return paper_from_dict(json.loads(bytes(doc["record"][0])))


def _stored(doc: dict[str, list[Any]]) -> dict[str, Any]:
    """The paper's JSON record as stored with its document."""
    return json.loads(bytes(doc["record"][0]))


def _first(doc: dict[str, list[Any]], field: str, default: Any) -> Any:
    values = doc.get(field) or ()
    return values[0] if values else default


def _oneline(text: str) -> str:
    return text.replace("\n", " ")


def _char_spans(text: str, byte_spans: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """Tantivy reports UTF-8 byte ranges; Python slices by character."""
    raw = text.encode()
    return tuple(
        (len(raw[:s].decode(errors="ignore")), len(raw[:e].decode(errors="ignore")))
        for s, e in byte_spans
    )
