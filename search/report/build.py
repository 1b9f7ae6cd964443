"""The numbers of a report, computed once through `Library` and rendered twice (HTML, Markdown).

Every number is a `Library.count` (or the year facet, which sums the same documents) of
filters whose ``search count …`` line is kept beside it, so a reader can re-run any
figure and the browser test can check each one against the CLI.
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

MATRIX_COUNTRIES = 12
"""Author countries (columns) of a model origin × country matrix, most frequent first."""


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
    """Papers per (row, column): model origin × author country."""

    rows: tuple[str, ...]
    """Model origin countries."""
    columns: tuple[str, ...]
    """Author countries."""
    counts: tuple[tuple[int, ...], ...]
    """counts[i][j]: papers using a model from rows[i] with an author in columns[j]."""
    commands: tuple[tuple[str, ...], ...]
    """The ``search count`` line of each cell."""


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


def year_counts(library: Library, filters: Filters) -> dict[int | None, int]:
    """Matching papers per year, None for unknown years (sums to `library.count`).

    The one place the report groups by year; switch it to `Library.table` when there is one.
    """
    total = library.count(filters)
    rows = library.facets(filters, fields=["year"], size=1000)["year"]
    out: dict[int | None, int] = {int(fc.value): fc.count for fc in rows}
    if unknown := total - sum(out.values()):
        out[None] = unknown
    return out


def build_report(
    library: Library,
    questions: list[Question],
    scope: Filters = Filters(),
    *,
    title: str = "paperscope report",
    index_suffix: str = "",
) -> Report:
    """Answer `questions` within `scope` (see `search.report.questions`)."""
    papers = library.count(scope)
    years = year_counts(library, scope)
    venue_rows = library.facets(scope, fields=["venue"], size=1000)["venue"]
    venues = [(fc.value, fc.count) for fc in venue_rows]
    with_venue = library.known(scope, "venue")
    if papers - with_venue:
        venues.append(("(unknown)", papers - with_venue))
    corpus = Corpus(
        papers=papers,
        with_country=library.known(scope, "country"),
        with_year=library.known(scope, "year"),
        with_venue=with_venue,
        years=tuple(
            (str(y) if y is not None else "(unknown)", n) for y, n in _year_order(years.items())
        ),
        venues=tuple(venues),
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
    counts, dens = year_counts(library, f), year_counts(library, pop)
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
        count=library.count(f),
        denominator=library.count(pop),
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
    from indexer.catalog import load_catalog

    catalog = load_catalog()
    base = scoped(q.filters, scope)
    field = "model_mentioned" if base.mentioned else "model_used"
    used = library.facets(base, fields=[field], size=10_000)[field]
    origins = sorted(
        {catalog.get(fc.value).origin_country for fc in used if fc.value in catalog.models}
    )
    country_rows = library.facets(base, fields=["country"], size=MATRIX_COUNTRIES)["country"]
    columns = tuple(fc.value for fc in country_rows)
    counts, commands = [], []
    for origin in origins:
        row, cmds = [], []
        for country in columns:
            cell = replace(base, model_origins=(origin,), countries=(country,), all_countries=False)
            row.append(library.count(cell))
            cmds.append(cell.command_line() + suffix)
        counts.append(tuple(row))
        commands.append(tuple(cmds))
    order = sorted(range(len(origins)), key=lambda i: (-sum(counts[i]), origins[i]))
    matrix = Matrix(
        rows=tuple(origins[i] for i in order),
        columns=columns,
        counts=tuple(counts[i] for i in order),
        commands=tuple(commands[i] for i in order),
    )
    total = library.count(base)
    return Section(
        question=q,
        filters=base,
        count=total,
        denominator=total,
        command=base.command_line() + suffix,
        denominator_command=base.command_line() + suffix,
        matrix=matrix,
    )
