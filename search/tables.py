"""Group-by tables and adoption matrices: the published analysis as cross-tabulations.

The analysis paperscope reproduces is a handful of cross-tabulated counts, each next
to its denominator: US–China collaborations per year beside all papers of that year,
models by author country, model origin by author country. `build_table` and
`build_adoption` answer those with `Table`, one frozen record that the CLI, the TUI and
scripts render alike (`search.output` shapes it into rows for every format).

Semantics follow ``pandas.crosstab(margins=True, dropna=False)``: a paper without a
value for a field is counted in an explicit ``(unknown)`` row or column, never dropped.
Multi-valued fields (country, institution, model, …) count a paper once per value, so
their rows do not sum to the total; the table says so in its notes.

Every count starts from `Library.query(filters)` and is computed by Tantivy
aggregations over fast fields (`Store.aggregate`): no stored record is read, so a
two-way table over thousands of papers takes milliseconds, and whatever later narrows
`Library.query` (say, reviewed verdicts) narrows the tables too.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Final

from search.errors import PaperscopeError
from search.filters import Filters
from search.store import MAX_BUCKETS

if TYPE_CHECKING:
    import pandas as pd

    from search.library import Library
    from search.store import Store

UNKNOWN: Final = "(unknown)"
"""Row/column label of papers without a value for the field."""
SINGLE_COUNTRY: Final = "(single country)"
"""Collaboration row of papers whose authors are all in one country."""
TOTAL: Final = "total"
"""Label of the totals row and column in rendered tables."""

FIELDS: Final = (
    "year",
    "venue",
    "country",
    "institution",
    "model",
    "model-version",
    "model-origin",
    "collaboration",
)
"""What `--by` accepts."""
MULTI_VALUED: Final = frozenset(FIELDS) - {"year", "venue"}
"""Fields a paper can hold several values of (it counts once per value)."""
_PAIR: Final = "–"


@dataclass(frozen=True, slots=True)
class Table:
    """Papers counted by one field (rows) or two (rows × columns), with totals."""

    title: str
    """What the table counts, in words."""
    row_field: str
    """The `--by` field of the rows (``year``, ``model``, …)."""
    column_field: str | None
    """The field of the columns; None for a one-way table (one column, ``papers``)."""
    rows: tuple[str, ...]
    """Row labels, most papers first (years in order); ``(unknown)`` last."""
    columns: tuple[str, ...]
    """Column labels (``("papers",)`` for a one-way table); ``(unknown)`` last."""
    cells: tuple[tuple[int, ...], ...]
    """Papers per (row, column), `rows` × `columns`."""
    row_totals: tuple[int, ...]
    """Papers with each row value (a paper counts once even if it is in several columns)."""
    column_totals: tuple[int, ...]
    """Papers with each column value."""
    total: int
    """Papers matching the filters (the grand total)."""
    filters: Filters
    """The filters every count of the table honours."""
    denominators: tuple[int, ...] | None = None
    """Per row: papers with that row value once the narrowing filters are dropped
    (see `scope`); None when no filter narrows. For an adoption share table, per column:
    the papers of that author country."""
    denominator_axis: str = ""
    """``row`` or ``column``: which labels `denominators` belong to; empty when none."""
    scope: Filters | None = None
    """The filters of the denominators (only venue and year kept), when any."""
    scope_total: int | None = None
    """Papers matching `scope` (the denominator of `total`), when there is a scope."""
    shares: bool = False
    """Adoption ``--share``: show cells divided by their column's denominator."""
    marked: frozenset[tuple[str, str]] = field(default_factory=frozenset)
    """(row, column) cells flagged in the view: model origin ≠ author country."""
    notes: tuple[str, ...] = ()
    """Footer lines that say how to read the numbers."""
    command: str = ""
    """The `search table …` / `search adoption …` words that ask for this table."""

    def command_line(self) -> str:
        """The full command (with the filters) that prints this table."""
        filters = self.filters.command_line().removeprefix("search count")
        return (self.command or "search table") + filters

    @property
    def two_way(self) -> bool:
        """True for a rows × columns matrix."""
        return self.column_field is not None

    def cell(self, row: str, column: str | None = None) -> int:
        """Papers in one cell (0 when the labels are absent)."""
        if row not in self.rows:
            return 0
        col = self.columns[0] if column is None else column
        if col not in self.columns:
            return 0
        return self.cells[self.rows.index(row)][self.columns.index(col)]

    def row_total(self, row: str) -> int:
        """Papers with that row value (0 when absent)."""
        return self.row_totals[self.rows.index(row)] if row in self.rows else 0

    def column_total(self, column: str) -> int:
        """Papers with that column value (0 when absent)."""
        return self.column_totals[self.columns.index(column)] if column in self.columns else 0

    def denominator(self, label: str) -> int | None:
        """The denominator of a row (or, for a share table, of a column)."""
        if self.denominators is None:
            return None
        labels = self.rows if self.denominator_axis == "row" else self.columns
        return self.denominators[labels.index(label)] if label in labels else None

    def share(self, row: str, column: str | None = None) -> float | None:
        """The cell over its denominator (None when there is none or it is 0)."""
        if self.denominator_axis == "column":
            col = self.columns[0] if column is None else column
            den = self.denominator(col)
            return self.cell(row, col) / den if den else None
        den = self.denominator(row)
        value = self.cell(row, column) if column is not None else self.row_total(row)
        return value / den if den else None

    def frame(self, *, unknown: bool = True) -> pd.DataFrame:
        """The cells as a pandas frame (rows × columns), without totals."""
        import pandas as pd

        frame = pd.DataFrame(
            [list(r) for r in self.cells],
            index=pd.Index(list(self.rows), name=self.row_field),
            columns=pd.Index(list(self.columns), name=self.column_field),
            dtype="int64",
        )
        if not unknown:
            specials = (UNKNOWN, SINGLE_COUNTRY)
            frame = frame.drop(index=[r for r in specials if r in frame.index])
            frame = frame.drop(columns=[c for c in specials if c in frame.columns])
        return frame


# -- building ---------------------------------------------------------------------------


def build_table(
    library: Library,
    by: str,
    by2: str | None = None,
    filters: Filters = Filters(),
    *,
    denominators: bool = True,
) -> Table:
    """Papers matching `filters` counted by `by` (and `by2`), with totals and, unless
    `denominators` is False (callers that do not show them), the denominators."""
    row_dim = _dimension(by, filters.mentioned)
    col_dim = _dimension(by2, filters.mentioned) if by2 else None
    store: Any = library.store
    if library.reviews_apply(filters):
        store = _ReviewedStore(library, filters)
    q = library.query(filters)
    total = store.count(q)
    if col_dim is None:
        row_counts = row_dim.counts(store, q)
        rows = _order(by, row_counts)
        columns: tuple[str, ...] = ("papers",)
        cells = tuple((row_counts[r],) for r in rows)
        column_totals: tuple[int, ...] = (total,)
    else:
        matrix, given = _crosstab(store, q, row_dim, col_dim)
        row_counts = given if given is not None else row_dim.counts(store, q)
        row_counts = {k: v for k, v in row_counts.items() if v or k == UNKNOWN}
        row_counts.setdefault(UNKNOWN, 0)
        rows = _order(by, row_counts)
        col_counts = col_dim.counts(store, q)
        columns = _order(by2 or "", col_counts)
        cells = tuple(tuple(matrix.get(r, {}).get(c, 0) for c in columns) for r in rows)
        column_totals = tuple(col_counts[c] for c in columns)
    scope = _scope(filters) if denominators else None
    per_row, scope_total = None, None
    if scope is not None:
        scope_q = library.query(scope)
        base = row_dim.counts(store, scope_q)
        per_row = tuple(base.get(r, 0) for r in rows)
        scope_total = store.count(scope_q)
    what = f"Papers by {by}" + (f" × {by2}" if by2 else "")
    return Table(
        title=what,
        row_field=by,
        column_field=by2,
        rows=rows,
        columns=columns,
        cells=cells,
        row_totals=tuple(row_counts[r] for r in rows),
        column_totals=column_totals,
        total=total,
        filters=filters,
        denominators=per_row,
        denominator_axis="row" if per_row is not None else "",
        scope=scope,
        scope_total=scope_total,
        notes=_notes(by, by2, scope),
        command=f"search table --by {by}" + (f" --by {by2}" if by2 else ""),
    )


def build_adoption(
    library: Library,
    filters: Filters = Filters(),
    *,
    origin: bool = False,
    mentioned: bool = False,
    share: bool = False,
) -> Table:
    """Models (or, with `origin`, model-origin countries) × author countries.

    Cells are papers; a cell whose model origin differs from the author country is a
    cross-border flow and is `marked`. With `share`, each cell is shown divided by the
    papers of its author country among the matches (the column total).
    """
    from indexer.catalog import load_catalog

    mentioned = mentioned or filters.mentioned
    by = "model-origin" if origin else "model"
    table = build_table(
        library, by, "country", replace(filters, mentioned=mentioned), denominators=False
    )
    catalog = load_catalog()
    marked = set()
    for r in table.rows:
        if r in (UNKNOWN, SINGLE_COUNTRY):
            continue
        home = r if origin else (catalog.models[r].origin_country if r in catalog.models else "")
        for c, n in zip(table.columns, table.cells[table.rows.index(r)], strict=True):
            if n and home and c != UNKNOWN and c != home:
                marked.add((r, c))
    verb = "mentioning" if mentioned else "using"
    what = "model origin" if origin else "model"
    notes = [
        f"cells: papers {verb} the {what} (row) with an author in the country (column);"
        " ‹*› cross-border: the model comes from another country",
        f"{UNKNOWN} row: papers {verb} no catalogued model; {UNKNOWN} column: no known"
        " author country",
        "a paper counts once per model and once per country: rows and columns do not sum"
        " to the totals",
    ]
    if share:
        notes.append("share: papers in the cell ÷ papers with an author in that country")
    return replace(
        table,
        title=f"Adoption: {what} {'mentioned' if mentioned else 'used'} × author country",
        denominators=table.column_totals if share else None,
        denominator_axis="column" if share else "",
        scope=None,
        scope_total=None,
        shares=share,
        marked=frozenset(marked),
        notes=tuple(notes),
        command="search adoption"
        + " --origin" * origin
        + " --share" * share
        + " --mentioned" * (mentioned and not filters.mentioned),
    )


def check_field(name: str) -> str:
    """The `--by` field name, normalised; raise a one-line error listing the choices."""
    key = name.strip().lower().replace("_", "-")
    aliases = {"countries": "country", "models": "model", "origin": "model-origin"}
    key = aliases.get(key, key)
    if key not in FIELDS:
        raise PaperscopeError(f"unknown --by field {name!r}; use one of: {', '.join(FIELDS)}")
    return key


# -- dimensions: how one field splits the matching papers --------------------------------


class _ReviewedStore:
    """The store as the review log sees it (`search.reviews`): a model, country or
    institution value of a paper counts unless a reviewer rejected that claim (or, with
    ``--verified-only``, only when one verified it). Raw aggregations cannot see verdicts,
    so with a review log every dimension counts label by label with `Library.claim_term`
    queries; aggregations are only used to list the labels present (a superset)."""

    exact = True

    def __init__(self, library: Library, filters: Filters) -> None:
        self._library = library
        self._filters = filters
        self._store = library.store

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def term(self, field: str, value: str | int) -> Any:
        if isinstance(value, int):
            return self._store.term(field, value)
        return self._library.claim_term(field, value, self._filters)

    def any_of(self, field: str, values: Any) -> Any:
        return self._store.either(*(self.term(field, v) for v in values))

    def has_value(self, field: str) -> Any:
        return self._library.claim_exists(field, self._filters)


def _exact(store: Any) -> bool:
    """True for a `_ReviewedStore`: count by label, not by raw aggregation."""
    return getattr(store, "exact", False)


class _Dimension:
    """One field as a way to split papers: labels with their counts, and their queries."""

    def split(self, store: Store, q: Any) -> list[tuple[str, Any]]:
        """(label, query) of every value present among `q`'s matches, `(unknown)` included."""
        raise NotImplementedError

    def counts(self, store: Store, q: Any) -> dict[str, int]:
        """Papers per label among `q`'s matches (labels with 0 papers left out, but
        ``(unknown)`` always present)."""
        out = {label: store.count(store.all_of(q, sub)) for label, sub in self.split(store, q)}
        out.setdefault(UNKNOWN, 0)
        return {k: v for k, v in out.items() if v or k == UNKNOWN}

    def nested(self, store: Store, q: Any, inner: dict[str, Any]) -> dict[str, dict[str, Any]]:
        """Per label, the result of aggregation `inner` over that label's papers."""
        out = {}
        for label, sub in self.split(store, q):
            result = _counted(store, store.all_of(q, sub), inner)
            if result["doc_count"] or label == UNKNOWN:
                out[label] = result
        return out


class _Terms(_Dimension):
    """A raw or numeric fast field: one terms aggregation gives every value and the
    papers without one (``missing``)."""

    def __init__(self, field_name: str) -> None:
        self.field = field_name

    def agg(self, inner: dict[str, Any] | None = None) -> dict[str, Any]:
        spec: dict[str, Any] = {
            "terms": {"field": self.field, "size": MAX_BUCKETS, "missing": UNKNOWN}
        }
        if inner is not None:
            spec["aggs"] = {"in": inner}
        return spec

    def read(self, result: dict[str, Any]) -> dict[str, dict[str, Any]]:
        return {_key(b["key"]): b for b in result["buckets"]}

    def _raw_counts(self, store: Store, q: Any) -> dict[str, int]:
        buckets = self.read(store.aggregate(q, {"t": self.agg()})["t"])
        out = {k: int(b["doc_count"]) for k, b in buckets.items()}
        out.setdefault(UNKNOWN, 0)
        return out

    def counts(self, store: Store, q: Any) -> dict[str, int]:
        if _exact(store):
            return super().counts(store, q)
        return self._raw_counts(store, q)

    def nested(self, store: Store, q: Any, inner: dict[str, Any]) -> dict[str, dict[str, Any]]:
        return self.read(store.aggregate(q, {"t": self.agg(inner)})["t"])

    def split(self, store: Store, q: Any) -> list[tuple[str, Any]]:
        out = []
        for label in self._raw_counts(store, q):
            if label == UNKNOWN:
                out.append((label, store.but_not(q, store.has_value(self.field))))
            else:
                value: str | int = int(label) if self.field == "year" else label
                out.append((label, store.term(self.field, value)))
        return out


class _Origin(_Dimension):
    """Model-origin country: the models of one origin, any of them, form a group."""

    def __init__(self, model_field: str) -> None:
        self.field = model_field

    def split(self, store: Store, q: Any) -> list[tuple[str, Any]]:
        from indexer.catalog import load_catalog

        models = load_catalog().models
        present = store.aggregate(q, {"t": _Terms(self.field).agg()})["t"]["buckets"]
        by_origin: dict[str, list[str]] = {}
        for b in present:
            info = models.get(str(b["key"]))
            if info is not None and info.origin_country:
                by_origin.setdefault(info.origin_country, []).append(info.id)
        known = [m for ids in by_origin.values() for m in ids]
        out = [(c, store.any_of(self.field, ids)) for c, ids in sorted(by_origin.items())]
        out.append((UNKNOWN, store.but_not(q, store.any_of(self.field, known))))
        return out


class _Collaboration(_Dimension):
    """Unordered author-country pairs: a US+CN+GB paper is in CN–US, GB–US and CN–GB."""

    field = "country"

    def _pairs(self, store: Store, q: Any, inner: dict[str, Any] | None) -> dict[str, Any]:
        terms = _Terms(self.field)
        second = terms.agg(inner)
        result = store.aggregate(q, {"t": {**terms.agg(), "aggs": {"in": second}}})
        out: dict[str, Any] = {}
        for a, outer in terms.read(result["t"]).items():
            if a == UNKNOWN:
                continue
            for b, bucket in terms.read(outer["in"]).items():
                if a < b:
                    out[f"{a}{_PAIR}{b}"] = bucket
        return out

    def _others(self, store: Store, q: Any) -> list[tuple[str, Any]]:
        present = [c for c in _Terms(self.field)._raw_counts(store, q) if c != UNKNOWN]
        alone = [
            store.but_not(store.term(self.field, c), store.any_of(self.field, set(present) - {c}))
            for c in present
        ]
        return [
            (SINGLE_COUNTRY, store.either(*alone)),
            (UNKNOWN, store.but_not(q, store.has_value(self.field))),
        ]

    def split(self, store: Store, q: Any) -> list[tuple[str, Any]]:
        out = []
        for label in self._pairs(store, q, None):
            a, b = label.split(_PAIR)
            out.append((label, store.all_of(store.term(self.field, a), store.term(self.field, b))))
        return out + self._others(store, q)

    def counts(self, store: Store, q: Any) -> dict[str, int]:
        if _exact(store):
            return super().counts(store, q)
        out = {k: int(b["doc_count"]) for k, b in self._pairs(store, q, None).items()}
        for label, sub in self._others(store, q):
            n = store.count(store.all_of(q, sub))
            if n or label == UNKNOWN:
                out[label] = n
        return out

    def nested(self, store: Store, q: Any, inner: dict[str, Any]) -> dict[str, dict[str, Any]]:
        out = self._pairs(store, q, inner)
        for label, sub in self._others(store, q):
            result = _counted(store, store.all_of(q, sub), inner)
            if result["doc_count"] or label == UNKNOWN:
                out[label] = result
        return out


def _counted(store: Store, q: Any, inner: dict[str, Any]) -> dict[str, Any]:
    """Aggregation `inner` over `q`'s matches as ``{"in": …, "doc_count": papers}``, the
    count taken in the same pass (every paper document has one ``doc_type``)."""
    result = store.aggregate(q, {"in": inner, "n": {"terms": {"field": "doc_type", "size": 2}}})
    result["doc_count"] = sum(int(b["doc_count"]) for b in result["n"]["buckets"])
    return result


def _dimension(name: str | None, mentioned: bool) -> _Dimension:
    key = check_field(name or "")
    if key == "model-origin":
        return _Origin("model_mentioned" if mentioned else "model_used")
    if key == "collaboration":
        return _Collaboration()
    field_name = {
        "model": "model_mentioned" if mentioned else "model_used",
        "model-version": "model_version_mentioned" if mentioned else "model_version_used",
    }.get(key, key)
    return _Terms(field_name)


def _crosstab(
    store: Store, q: Any, rows: _Dimension, columns: _Dimension
) -> tuple[dict[str, dict[str, int]], dict[str, int] | None]:
    """Papers per (row label, column label) among `q`'s matches, and the papers per row
    label when the same aggregation gave them (None otherwise)."""
    if not _exact(store) and isinstance(columns, _Terms):
        nested = rows.nested(store, q, columns.agg())
        matrix = {
            r: {c: int(b["doc_count"]) for c, b in columns.read(res["in"]).items()}
            for r, res in nested.items()
        }
        totals = {r: int(res["doc_count"]) for r, res in nested.items() if "doc_count" in res}
        return matrix, totals if len(totals) == len(nested) else None
    if not _exact(store) and isinstance(rows, _Terms):
        flipped, _ = _crosstab(store, q, columns, rows)
        out: dict[str, dict[str, int]] = {}
        for c, per_row in flipped.items():
            for r, n in per_row.items():
                out.setdefault(r, {})[c] = n
        return out, None
    matrix = {
        label: columns.counts(store, store.all_of(q, sub)) for label, sub in rows.split(store, q)
    }
    return matrix, None


# -- ordering, denominators, notes ---------------------------------------------------------

_SPECIAL_ORDER = {SINGLE_COUNTRY: 1, UNKNOWN: 2}


def _order(by: str, counts: dict[str, int]) -> tuple[str, ...]:
    """Years in order, other values by papers (most first); specials last."""

    def key(label: str) -> tuple[int, Any, str]:
        special = _SPECIAL_ORDER.get(label, 0)
        if by == "year" and not special:
            return (0, int(label), label)
        return (special, -counts[label], label)

    return tuple(sorted(counts, key=key))


_NARROWING: Final = ("query", "models", "model_origins", "countries", "institutions")
"""Filters that narrow a group (dropped for the denominators): the full-text query and
the model, model-origin, country and institution filters. Venue and year set the scope
and stay."""


def _scope(filters: Filters) -> Filters | None:
    """The filters of the denominators, or None when no filter narrows."""
    if not (filters.query.strip() or any(getattr(filters, n) for n in _NARROWING[1:])):
        return None
    return Filters(years=filters.years, venues=filters.venues)


def _notes(by: str, by2: str | None, scope: Filters | None) -> tuple[str, ...]:
    notes = []
    multi = [f for f in (by, by2) if f in MULTI_VALUED]
    if multi:
        notes.append(
            f"multi-valued field ({', '.join(multi)}): a paper counts once per value;"
            " rows don't sum to the total"
        )
    else:
        notes.append("single-valued field: rows sum to the total")
    if "collaboration" in (by, by2):
        notes.append(
            f"collaboration: unordered author-country pairs (a US+CN+GB paper is in CN{_PAIR}US,"
            f" GB{_PAIR}US and CN{_PAIR}GB); {SINGLE_COUNTRY}: all authors in one country"
        )
    notes.append(f"{UNKNOWN}: papers among the matches with no value for the field")
    if scope is not None:
        where = ", ".join(
            [f"year {', '.join(map(str, scope.years))}"] * bool(scope.years)
            + [f"venue {', '.join(scope.venues)}"] * bool(scope.venues)
        )
        notes.append(
            "all papers: papers with the same row value without the query, model, model-origin,"
            " country and institution filters"
            + (f" (still {where})" if where else "")
            + "; share = papers ÷ all papers"
        )
    return tuple(notes)


def _key(value: Any) -> str:
    """Bucket keys as labels: years come back as numbers (sometimes floats)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
