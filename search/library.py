"""The headless query API: count, find, facets, show, adoption matrix.

`Library` is what the CLI commands, the TUI and scripts call; it returns
dataclasses (and pandas frames on request) and never prints. A full-text query
is matched on paper documents (title + body) and then on page documents of the
hits to produce page-numbered snippets; model filters without a text query show
the sentences that decided the model's usage instead.

Every claim term (a model, country or institution value) is built through
`Library.claim_term`, the one hook where the review log (`search.reviews`) changes what
counts: rejected claims drop out unless ``Filters.reviews`` says ``raw``; ``verified``
keeps only verified claims. Aggregated counts go through `Library.claim_terms`.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import tantivy

from indexer.records import ModelMention, Paper, paper_from_dict
from search.errors import PaperscopeError, UnknownValueError
from search.filters import Filters, known_venues
from search.hit_evidence import country_snippets, without_running_lines
from search.query_limits import MAX_KEY_CHARS, MAX_RESULTS
from search.results import FacetCount, Hit, Snippet
from search.schema import DEFAULT_QUERY_FIELDS, FACET_FIELDS, PAGE, PAGE_QUERY_FIELDS, PAPER
from search.store import MAX_BUCKETS, Store

if TYPE_CHECKING:
    import pandas as pd

    from search.reviews import ReviewFilter, ReviewLog, ReviewStats
    from search.tables import Table

DEFAULT_INDEX = Path("index")
"""Where commands look for the index when none is given."""

_TEXT_FIELDS = (*DEFAULT_QUERY_FIELDS, "authors", "affiliations")
_REVIEW_FILE = "reviews.sqlite"
"""`search.reviews.REVIEW_FILE`, repeated so a count on an index without a log never imports
the review module (a test checks they agree)."""
_CLAIM_FIELDS = frozenset(("model_used", "model_mentioned", "country", "institution"))
"""`search.reviews.CLAIM_FIELDS`, repeated for the same reason."""
_FRAME_COLUMNS = [
    "paper_id",
    "file",
    "title",
    "year",
    "venue",
    "countries",
    "institutions",
    "models_used",
    "models_mentioned",
]
_SPARE_PAGES = 3  # pages read beyond those shown, to replace passages on page furniture
_Occur = tantivy.Occur


class Library:
    """Read access to one paperscope index."""

    def __init__(self, index_dir: Path | str = DEFAULT_INDEX) -> None:
        self.store = Store.open(index_dir)
        self._values: dict[tuple[int, str], set[str]] = {}
        self._log: ReviewLog | None = None
        if (self.store.path / _REVIEW_FILE).exists():
            self.review_log(create=True)

    def review_log(self, *, create: bool = False) -> ReviewLog | None:
        """The index's review log (created on request; None when there is none)."""
        if self._log is None and create:
            from search.reviews import ReviewLog

            self._log = ReviewLog.open(self.store.path, create=True)
        return self._log

    # -- questions ---------------------------------------------------------------

    def count(self, filters: Filters = Filters()) -> int:
        """Number of papers matching."""
        return self.store.count(self.query(filters))

    def total(self) -> int:
        """Number of papers in the index."""
        return self.count(Filters())

    def known(self, filters: Filters, field: str) -> int:
        """Matching papers with at least one value of `field` (country, year, venue…).

        The denominators of a share: "of the papers whose countries are known".
        """
        exists = tantivy.Query.exists_query(field, False)
        return self.store.count(self._all(self.query(filters), exists))

    def find(
        self, filters: Filters = Filters(), *, limit: int = 20, snippets: int = 1
    ) -> list[Hit]:
        """Best `limit` papers (at most `MAX_RESULTS`), each with up to `snippets` passages
        (best first).

        With country filters each hit also carries, after those, one ``country:XX``
        snippet per wanted country it has: the affiliation line that gives it.
        """
        limit = min(limit, MAX_RESULTS)
        snippets = min(snippets, 100)
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
        size = min(size, MAX_RESULTS)
        out: dict[str, list[FacetCount]] = {}
        for name in fields:
            counts = self.claim_terms(q, name, self.store.terms(q, name, size=size), filters)
            rows = sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))
            out[name] = [FacetCount(name, str(int(v)) if name == "year" else v, c) for v, c in rows]
        return out

    def unknown(
        self, filters: Filters = Filters(), fields: Sequence[str] = (*FACET_FIELDS, "year")
    ) -> dict[str, int]:
        """Matching papers with no value for each facet (the `(unknown)` of a facet)."""
        q = self.query(filters)
        return {f: self.store.count(self.store.but_not(q, self.store.has_value(f))) for f in fields}

    def paper(self, key: str) -> Paper:
        """One paper by id (or id prefix) or file name."""
        key = key.strip()
        if len(key) > MAX_KEY_CHARS:
            raise PaperscopeError(
                f"paper key is {len(key):,} characters long; ids are 16, file names at most 255"
            )
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
            f"no paper {key[:80]!r} in the index; use an id or file name from `search papers`"
        )

    def pages(self, paper_id: str) -> list[tuple[int, str]]:
        """(page number, text) of every page of one paper."""
        q = self._all(self._type(PAGE), self.store.term("paper_id", paper_id))
        docs = self.store.top(q, 10_000)
        return sorted((d["page"][0], d["text"][0]) for _s, d in docs)

    def papers_by_id(self, paper_ids: Iterable[str]) -> dict[str, Paper]:
        """Records (without page text) of the papers with these exact ids, in one search;
        ids not in the index are left out."""
        ids = sorted(set(paper_ids))
        if not ids:
            return {}
        q = self._all(self._type(PAPER), self._ids(ids))
        return {p.id: p for p in (self._record(d) for _s, d in self.store.top(q, len(ids)))}

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
        frame = pd.DataFrame(rows, columns=_FRAME_COLUMNS)
        # Nullable dtypes: a missing year stays <NA> (a year is 2024, never 2024.0).
        frame["year"] = frame["year"].astype("Int64")
        for name in ("paper_id", "file", "title", "venue"):
            frame[name] = frame[name].astype("string")
        return frame

    def table(
        self,
        by: str,
        by2: str | None = None,
        filters: Filters = Filters(),
        *,
        denominators: bool = True,
    ) -> Table:
        """Papers counted by one field (or two: a matrix), with `(unknown)`, totals and,
        where a filter narrows the groups, denominators (see `search.tables`)."""
        from search.tables import build_table

        return build_table(self, by, by2, filters, denominators=denominators)

    def adoption(
        self,
        filters: Filters = Filters(),
        *,
        origin: bool = False,
        mentioned: bool = False,
        share: bool = False,
    ) -> Table:
        """Models (or model-origin countries) × author countries among the matches;
        cross-border cells marked. `Table.frame(unknown=False)` gives the old matrix."""
        from search.tables import build_adoption

        return build_adoption(self, filters, origin=origin, mentioned=mentioned, share=share)

    # -- reviews -------------------------------------------------------------------

    def review_filter(self, filters: Filters) -> ReviewFilter:
        """How `filters` use this index's review log."""
        from search.reviews import ReviewFilter

        return ReviewFilter(filters.reviews, self._log)

    def reviews_apply(self, filters: Filters) -> bool:
        """True when verdicts can change any count under `filters` (group-by tables then
        count label by label through `claim_term` instead of raw aggregations)."""
        return filters.reviews == "verified" or (
            filters.reviews == "apply" and self._log is not None
        )

    def claim_exists(self, field: str, filters: Filters) -> tantivy.Query:
        """Papers with at least one `field` value that counts under the review mode of
        `filters` (a paper whose every model claim was rejected has no model)."""
        exists = self.store.has_value(field)
        if field.startswith("model_version_"):
            return exists  # versions follow their family's claim in `claim_term` only
        if not self._reviewed(field, filters):
            return exists
        log = self._log
        if filters.reviews == "verified":
            values = log.judged_values(field, "verified") if log is not None else set()
            return self.store.either(*(self.claim_term(field, v, filters) for v in values))
        assert log is not None
        judged = {
            pid
            for v in log.judged_values(field, "rejected")
            for pid in log.papers(field, v, "rejected")
        }
        if not judged:
            return exists
        ids = self._ids(sorted(judged))
        papers = self._all(self.store.term("doc_type", PAPER), ids)
        values = self.store.terms(papers, field, size=10_000)
        kept = self.store.either(*(self.claim_term(field, v, filters) for v in values))
        return self.store.either(self.store.but_not(exists, ids), self._all(ids, kept))

    def _reviewed(self, field: str, filters: Filters) -> bool:
        """True when verdicts can change counts of `field` under `filters`."""
        return field in _CLAIM_FIELDS and self.reviews_apply(filters)

    def claim_term(self, field: str, value: str, filters: Filters) -> tantivy.Query:
        """``field:value`` as the review mode of `filters` counts it (see `search.reviews`).

        A version (``model_version_used:gpt/4o``) stands on its family's claim (``gpt``):
        a rejected GPT claim drops the paper from GPT-4o counts too."""
        term = self.store.term(field, value)
        if field.startswith("model_version_"):
            field = "model_used" if field.endswith("_used") else "model_mentioned"
            value = value.split("/", 1)[0]
        if not self._reviewed(field, filters):
            return term
        rf = self.review_filter(filters)
        if rf.mode == "verified":
            ids = rf.allowed(field, value)
            return self._all(term, self._ids(ids)) if ids else tantivy.Query.empty_query()
        if excluded := rf.excluded(field, value):
            return tantivy.Query.boolean_query(
                [(_Occur.Must, term), (_Occur.MustNot, self._ids(excluded))]
            )
        return term

    def claim_terms(
        self, query: tantivy.Query, field: str, counts: dict[str, int], filters: Filters
    ) -> dict[str, int]:
        """Raw per-value counts of `field` among `query`'s matches, corrected for verdicts.

        Only values with verdicts are re-counted (one count each), so this stays cheap;
        aggregations of other modules (group-by tables) should pass their buckets here.
        """
        if not self._reviewed(field, filters):
            return counts
        rf = self.review_filter(filters)
        out = dict(counts)
        for value in rf.values_to_correct(field, counts):
            out[value] = self.store.count(self._all(query, self.claim_term(field, value, filters)))
        return {k: v for k, v in out.items() if v}

    def claim_fields(self, filters: Filters) -> list[tuple[str, str]]:
        """The (field, value) claims a paper can match `filters` by (models, countries, …)."""
        model_field = "model_mentioned" if filters.mentioned else "model_used"
        models = list(filters.models)
        models += sorted({m for c in filters.model_origins for m in _by_origin(c)})
        # A version id (llama/2) is judged through its family's claim (llama).
        out = [(model_field, m) for m in dict.fromkeys(m.split("/", 1)[0] for m in models)]
        out += [("country", c) for c in filters.countries]
        out += [("institution", i) for i in filters.institutions]
        return out

    def review_stats(self, filters: Filters) -> ReviewStats:
        """Verdicts among the claims behind the matches of `filters` (read without the log)."""
        from dataclasses import replace

        from search.reviews import VERDICTS, ReviewStats

        terms = self.claim_fields(filters)
        if not terms:
            return ReviewStats()
        base = self.query(replace(filters, reviews="raw"))
        totals = dict.fromkeys(("claims", *VERDICTS), 0)
        for field, value in terms:
            q = self._all(base, self.store.term(field, value))
            n = self.store.count(q)
            totals["claims"] += n
            if not n or self._log is None:
                continue
            for verdict in VERDICTS:
                if ids := self._log.papers(field, value, verdict):
                    totals[verdict] += self.store.count(self._all(q, self._ids(ids)))
        return ReviewStats(**totals)

    def _ids(self, paper_ids: Sequence[str]) -> tantivy.Query:
        return tantivy.Query.term_set_query(self.store.schema, "paper_id", list(paper_ids))

    # -- query building ----------------------------------------------------------

    def query(self, filters: Filters) -> tantivy.Query:
        """The tantivy query over paper documents for `filters`."""
        if filters.institutions or filters.venues:
            self.check_values(filters)
        parts: list[tantivy.Query] = [self._type(PAPER)]
        if filters.query.strip():
            parts.append(self.store.parse(filters.query, _TEXT_FIELDS))
        model_field = "model_mentioned" if filters.mentioned else "model_used"
        if filters.models:
            # A version id ("gpt/4o") filters the version facet, a family id the family's.
            version_field = "model_version_mentioned" if filters.mentioned else "model_version_used"
            terms = [
                self.claim_term(version_field if "/" in m else model_field, m, filters)
                for m in filters.models
            ]
            if filters.all_models:
                parts += terms
            else:
                parts.append(tantivy.Query.boolean_query([(_Occur.Should, t) for t in terms]))
        if filters.model_origins:
            ids = sorted({m for c in filters.model_origins for m in _by_origin(c)})
            parts.append(
                self._any(model_field, ids, filters) if ids else tantivy.Query.empty_query()
            )
        if filters.countries:
            if filters.all_countries:
                parts += [self.claim_term("country", c, filters) for c in filters.countries]
            else:
                parts.append(self._any("country", filters.countries, filters))
        if filters.institutions:
            parts.append(self._any("institution", filters.institutions, filters))
        if filters.years:
            parts.append(
                tantivy.Query.boolean_query(
                    [(_Occur.Should, self.store.term("year", y)) for y in filters.years]
                )
            )
        if filters.venues:
            parts.append(self._any("venue", filters.venues))
        return self._all(*parts)

    def check_values(self, filters: Filters) -> None:
        """Raise `UnknownValueError` (with close matches) for an institution or venue that
        neither this index nor the gazetteer / venue list knows: it would silently count 0."""
        for name in filters.institutions:
            indexed = self._indexed_values("institution")
            if name in indexed:
                continue
            from indexer.gazetteer import load_gazetteer

            gazetteer = load_gazetteer()
            if gazetteer.resolve_name(name) is not None:
                continue  # a known institution with no paper here: 0 is the true answer
            close = difflib.get_close_matches(name, sorted(indexed), n=3, cutoff=0.6)
            close += [s for s in gazetteer.suggest(name, 3) if s not in close]
            raise UnknownValueError("institution", name, close[:5])
        for name in filters.venues:
            known = self._indexed_values("venue") | set(known_venues())
            if name not in known:
                lowered = {k.lower(): k for k in known}
                close = difflib.get_close_matches(name.lower(), sorted(lowered), n=5, cutoff=0.5)
                raise UnknownValueError("venue", name, [lowered[c] for c in close])

    def _indexed_values(self, field: str) -> set[str]:
        """Every value of a facet field in the index (cached per searcher)."""
        key = (id(self.store.searcher), field)
        if key not in self._values:
            self._values[key] = set(self.store.terms(self._type(PAPER), field, size=MAX_BUCKETS))
        return self._values[key]

    def _page_query(self, filters: Filters) -> tantivy.Query:
        return self.store.parse_lenient(filters.query, PAGE_QUERY_FIELDS)

    def _type(self, kind: str) -> tantivy.Query:
        return self.store.term("doc_type", kind)

    def _any(
        self, field: str, values: Sequence[str], filters: Filters | None = None
    ) -> tantivy.Query:
        def one(v: str) -> tantivy.Query:
            if filters is None:
                return self.store.term(field, v)
            return self.claim_term(field, v, filters)

        return tantivy.Query.boolean_query([(_Occur.Should, one(v)) for v in values])

    @staticmethod
    def _all(*queries: tantivy.Query) -> tantivy.Query:
        return tantivy.Query.boolean_query([(_Occur.Must, q) for q in queries])

    # -- hits and snippets --------------------------------------------------------

    def snippets(
        self,
        paper_id: str,
        filters: Filters,
        n: int = 3,
        running: Sequence[str] | None = None,
    ) -> list[Snippet]:
        """Best page-numbered passages of one paper for the full-text query of `filters`
        (`running`: the paper's running lines, read from its record when not given)."""
        if not filters.query.strip() or n <= 0:
            return []
        if running is None:
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
        wanted = {m for m in filters.models if "/" not in m}
        versions = {m for m in filters.models if "/" in m}
        if filters.model_origins:
            wanted |= {m for c in filters.model_origins for m in _by_origin(c)}
        out: list[Snippet] = []
        for usage in paper.usages:
            if usage.usage != "used" and not filters.mentioned:
                continue
            evidence = usage.evidence
            if usage.model_id not in wanted:
                # Asked for a version: the sentences that name it first.
                if not any(v.startswith(usage.model_id + "/") for v in versions):
                    continue
                named = [m for m in evidence if _names_version(m, versions)]
                evidence = tuple(named) + tuple(m for m in evidence if m not in named)
            for mention in evidence[:n]:
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


def _names_version(mention: ModelMention, versions: set[str]) -> bool:
    """True when the mention, or another name in its sentence, is one of ``versions``."""
    if mention.version in versions:
        return True
    from indexer.catalog import load_catalog

    catalog = load_catalog()
    text = mention.sentence
    return any(
        catalog.version(h.model_id, text[h.start : h.start + 40]) in versions
        for h in catalog.scan(text)
    )


def _by_origin(country: str) -> list[str]:
    """Catalog ids developed in ``country``: the precomputed table, else the catalog."""
    from indexer import alias_table

    fast = alias_table.user_catalog_file() is None
    if fast and (ids := alias_table.ids_by_origin(country)) is not None:
        return ids
    from indexer.catalog import load_catalog

    return load_catalog().by_origin(country)


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
