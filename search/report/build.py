"""The numbers of a report, computed once through `Library` and rendered twice (HTML, Markdown).

Every number is a `Library.count`, or a cell of the `Library.table` / `Library.adoption`
`Table` that `search table --by year` and `search adoption --origin` print: the report is
a view of the same numbers, ``(unknown)`` rows included, not a second analysis. Each
figure that one ``search count …`` line can ask for keeps that line beside it, so a
reader can re-run it and the browser test can check each one against the CLI.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from search.filters import Filters
from search.library import Library
from search.report.questions import Question, population, scoped
from search.results import Snippet
from search.review_queue import claim_evidence, paper_values
from search.reviews import Claim, ReviewStats
from search.tables import SINGLE_COUNTRY, UNKNOWN, Table

MATRIX_COUNTRIES = 12
"""Author countries (columns) of a model origin × country matrix shown, most frequent
first; ``(unknown)`` is shown as well, the rest are left to `search adoption --origin`."""


@dataclass(frozen=True, slots=True)
class YearRow:
    """Papers of one year (None: year unknown) for a question and its population."""

    year: int | None
    """The year, None for papers without one."""
    count: int
    """Matching papers that year."""
    denominator: int
    """Papers of the population that year."""
    command: str
    """The ``search count`` line of `count` (empty for the unknown year)."""


@dataclass(frozen=True, slots=True)
class HitRow:
    """One matching paper as the report lists it."""

    paper_id: str
    """Content id."""
    title: str
    """Title (file name when none)."""
    file: str
    """PDF file name."""
    year: int | None
    """Year when known."""
    countries: tuple[str, ...]
    """Author countries."""
    institutions: tuple[str, ...]
    """Institutions."""
    evidence: Snippet | None
    """The deciding sentence (model use, else the affiliation line), with its page."""
    claim: str
    """What `evidence` supports ("uses llama")."""
    verdicts: tuple[tuple[str, str], ...]
    """(claim label, verdict or "unreviewed") for each claim behind the match."""
    link: str
    """``file:///…/paper.pdf#page=N``: opens the PDF at the evidence page."""


@dataclass(frozen=True, slots=True)
class Matrix:
    """Papers per (row, column) of a `Library.adoption` table: model origin × author country."""

    rows: tuple[str, ...]
    """Model origin countries, most papers first; ``(unknown)`` (no catalogued model) last."""
    columns: tuple[str, ...]
    """Author countries shown (the `MATRIX_COUNTRIES` most frequent, then ``(unknown)``)."""
    counts: tuple[tuple[int, ...], ...]
    """counts[i][j]: papers using a model from rows[i] with an author in columns[j]."""
    commands: tuple[tuple[str, ...], ...]
    """The ``search count`` line of each cell; empty where no filter line can ask for it
    (an ``(unknown)`` row or column)."""
    row_totals: tuple[int, ...]
    """Papers using a model of each row's origin (a paper counts once per row)."""
    row_commands: tuple[str, ...]
    """The ``search count`` line of each row total (empty for ``(unknown)``)."""
    column_totals: tuple[int, ...]
    """Papers with an author in each column's country."""
    column_commands: tuple[str, ...]
    """The ``search count`` line of each column total (empty for ``(unknown)``)."""
    total: int
    """Papers behind the matrix (the section's count)."""
    marked: frozenset[tuple[str, str]] = frozenset()
    """Cross-border cells: the model's origin differs from the author country."""
    notes: tuple[str, ...] = ()
    """How to read the cells (the adoption table's footer)."""
    hidden_columns: int = 0
    """Author countries left out of `columns` (see `MATRIX_COUNTRIES`)."""
    command: str = ""
    """The ``search adoption …`` line that prints the whole table."""


@dataclass(frozen=True, slots=True)
class Section:
    """One answered question."""

    question: Question
    """What was asked."""
    filters: Filters
    """The question within the report's scope (what was counted)."""
    count: int
    """Matching papers."""
    denominator: int
    """Papers of the population."""
    command: str
    """``search count`` line of `count`."""
    denominator_command: str
    """``search count`` line of `denominator`."""
    years: tuple[YearRow, ...] = ()
    """Per-year counts."""
    stats: ReviewStats = field(default_factory=ReviewStats)
    """Review state of the claims behind the matches."""
    hits: tuple[HitRow, ...] = ()
    """The matching papers."""
    matrix: Matrix | None = None
    """For matrix questions."""

    @property
    def share(self) -> float | None:
        """count / denominator, None when the population is empty."""
        return self.count / self.denominator if self.denominator else None


@dataclass(frozen=True, slots=True)
class Corpus:
    """What the report's numbers are out of."""

    papers: int
    """Papers in scope."""
    with_country: int
    """... with at least one known author country."""
    with_year: int
    """... with a known year."""
    with_venue: int
    """... with a known venue."""
    years: tuple[tuple[str, int], ...]
    """Papers per year, "(unknown)" last."""
    venues: tuple[tuple[str, int], ...]
    """Papers per venue, "(unknown)" last."""
    command: str
    """``search count`` line of `papers`."""


@dataclass(frozen=True, slots=True)
class Report:
    """Everything a report shows."""

    title: str
    """Report title."""
    generated: str
    """UTC time of generation."""
    index: str
    """Index folder (absolute)."""
    scope: Filters
    """Filters applied to every question."""
    corpus: Corpus
    """The denominators."""
    sections: tuple[Section, ...]
    """One per question."""


def year_table(library: Library, filters: Filters) -> Table:
    """Matching papers per year: the `Library.table` that `search table --by year` prints,
    with its ``(unknown)`` row (papers without a year; always present, maybe 0)."""
    return library.table("year", filters=filters, denominators=False)


def _per_year(table: Table) -> dict[int | None, int]:
    """A year table's rows as year → papers, None for ``(unknown)``."""
    return {
        (None if label == UNKNOWN else int(label)): n
        for label, n in zip(table.rows, table.row_totals, strict=True)
    }


def _labelled(table: Table) -> tuple[tuple[str, int], ...]:
    """A one-way table's rows as (label, papers), ``(unknown)`` last (kept even at 0)."""
    return tuple(zip(table.rows, table.row_totals, strict=True))


def build_report(
    library: Library,
    questions: list[Question],
    scope: Filters = Filters(),
    *,
    title: str = "paperscope report",
    index_suffix: str = "",
) -> Report:
    """Answer `questions` within `scope` (see `search.report.questions`)."""
    years = year_table(library, scope)
    venues = library.table("venue", filters=scope)
    corpus = Corpus(
        papers=years.total,
        with_country=library.known(scope, "country"),
        with_year=years.total - years.row_total(UNKNOWN),
        with_venue=venues.total - venues.row_total(UNKNOWN),
        years=_labelled(years),
        venues=_labelled(venues),
        command=scope.command_line() + index_suffix,
    )
    sections = tuple(_section(library, q, scope, index_suffix) for q in questions)
    return Report(
        title=title,
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        index=str(Path(library.store.path).resolve()),
        scope=scope,
        corpus=corpus,
        sections=sections,
    )


def _year_order(items):
    return sorted(items, key=lambda kv: (kv[0] is None, kv[0] or 0))


def _section(library: Library, q: Question, scope: Filters, suffix: str) -> Section:
    if q.matrix:
        return _matrix_section(library, q, scope, suffix)
    f = scoped(q.filters, scope)
    pop = population(q, scope)
    matching, population_table = year_table(library, f), year_table(library, pop)
    counts, dens = _per_year(matching), _per_year(population_table)
    years = tuple(
        YearRow(
            y,
            counts.get(y, 0),
            dens.get(y, 0),
            replace(f, years=(y,)).command_line() + suffix if y is not None else "",
        )
        for y, _n in _year_order({**dens, **counts}.items())
    )
    return Section(
        question=q,
        filters=f,
        count=matching.total,
        denominator=population_table.total,
        command=f.command_line() + suffix,
        denominator_command=pop.command_line() + suffix,
        years=years,
        stats=library.review_stats(f),
        hits=tuple(_hits(library, f)),
    )


def _hits(library: Library, f: Filters) -> list[HitRow]:
    log = library.review_log()
    latest = log.latest() if log is not None else {}
    terms = library.claim_fields(f)
    rows = []
    for paper in library.records(f):
        claims = [Claim(paper.id, k, v) for k, v in terms if v in paper_values(paper, k)]
        evidence, decided = None, ""
        for claim in claims:
            found = claim_evidence(paper, claim, n=1)
            if found:
                evidence, decided = found[0], claim.label()
                break
        page = evidence.page if evidence else 1
        link = Path(paper.path).as_uri() + f"#page={page}" if paper.path.startswith("/") else ""
        verdicts = tuple(
            (c.label(), latest[c].verdict if c in latest else "unreviewed") for c in claims
        )
        rows.append(
            HitRow(
                paper_id=paper.id,
                title=paper.title or paper.file,
                file=paper.file,
                year=paper.year,
                countries=paper.countries,
                institutions=paper.institutions,
                evidence=evidence,
                claim=decided,
                verdicts=verdicts,
                link=link,
            )
        )
    rows.sort(key=lambda r: (-(r.year or 0), r.title.lower()))
    return rows


def _matrix_section(library: Library, q: Question, scope: Filters, suffix: str) -> Section:
    """The `Library.adoption(origin=True)` table: its cells, totals and cross-border marks."""
    base = scoped(q.filters, scope)
    table = library.adoption(base, origin=True)
    known = [c for c in table.columns if c not in (UNKNOWN, SINGLE_COUNTRY)]
    shown = known[:MATRIX_COUNTRIES] + [c for c in table.columns if c == UNKNOWN]
    index = [table.columns.index(c) for c in shown]

    def line(f: Filters | None) -> str:
        return f.command_line() + suffix if f is not None else ""

    matrix = Matrix(
        rows=table.rows,
        columns=tuple(shown),
        counts=tuple(tuple(row[j] for j in index) for row in table.cells),
        commands=tuple(tuple(line(_cell_filters(base, r, c)) for c in shown) for r in table.rows),
        row_totals=table.row_totals,
        row_commands=tuple(line(_cell_filters(base, r, None)) for r in table.rows),
        column_totals=tuple(table.column_totals[j] for j in index),
        column_commands=tuple(line(_cell_filters(base, None, c)) for c in shown),
        total=table.total,
        marked=table.marked,
        notes=table.notes,
        hidden_columns=max(0, len(known) - MATRIX_COUNTRIES),
        command=table.command_line() + suffix,
    )
    total = table.total
    return Section(
        question=q,
        filters=base,
        count=total,
        denominator=total,
        command=base.command_line() + suffix,
        denominator_command=base.command_line() + suffix,
        matrix=matrix,
    )


def _cell_filters(base: Filters, origin: str | None, country: str | None) -> Filters | None:
    """The `search count` filters of one adoption cell (or row / column total, with None
    for the other label); None where no filter line asks exactly that (an ``(unknown)``
    label, or a scope whose own origin / country lists cannot be narrowed further)."""
    specials = (UNKNOWN, SINGLE_COUNTRY)
    if origin in specials or country in specials:
        return None
    out = base
    if origin is not None:
        if base.model_origins and base.model_origins != (origin,):
            return None
        out = replace(out, model_origins=(origin,))
    if country is not None:
        if not base.countries:
            out = replace(out, countries=(country,), all_countries=False)
        elif base.all_countries or len(base.countries) == 1:
            both = tuple(dict.fromkeys((*base.countries, country)))
            out = replace(out, countries=both, all_countries=len(both) > 1)
        else:
            return None
    return out
