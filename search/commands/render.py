"""Rich rendering of query results for people (the `--json` paths never come here)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table
from rich.text import Text

from indexer.records import Paper
from search.filters import Filters
from search.hit_evidence import COUNTRY_SOURCE
from search.results import FacetCount, Hit, Snippet

if TYPE_CHECKING:
    from search.tables import Table as GroupTable

console = Console(highlight=False)


def append_highlighted(text: Text, snippet: Snippet, style: str = "bold yellow") -> Text:
    """Append the snippet's passage to `text`, its highlight ranges in `style`."""
    pos = 0
    for start, end in snippet.highlights:
        text.append(snippet.text[pos:start])
        text.append(snippet.text[start:end], style=style)
        pos = end
    text.append(snippet.text[pos:])
    return text


def snippet_text(snippet: Snippet) -> Text:
    """A snippet as rich text: page number, then the passage with highlights in bold."""
    return append_highlighted(Text(f"p.{snippet.page} ", style="dim"), snippet)


def evidence_cell(hit: Hit) -> Text:
    """The best passage (full text or model sentence), then the country evidence lines."""
    country = [s for s in hit.snippets if s.source.startswith(COUNTRY_SOURCE)]
    other = [s for s in hit.snippets if not s.source.startswith(COUNTRY_SOURCE)]
    text = snippet_text(other[0]) if other else Text("")
    for s in country:
        if text:
            text.append("\n")
        text.append(f"{s.source.removeprefix(COUNTRY_SOURCE)} ", style="bold cyan")
        text.append_text(snippet_text(s))
    return text


def papers_table(hits: Sequence[Hit], *, total: int, filters: Filters) -> None:
    """The `search papers` table."""
    table = Table(show_lines=True, expand=True)
    table.add_column("#", justify="right", style="dim", width=3)
    table.add_column("Paper", ratio=3)
    table.add_column("Countries", ratio=1)
    table.add_column("Models used", ratio=1)
    table.add_column("Evidence", ratio=4)
    for n, hit in enumerate(hits, 1):
        title = Text(hit.title or "(untitled)", style="bold")
        title.append(f"\n{hit.file}  {hit.paper_id}", style="dim")
        evidence = evidence_cell(hit)
        table.add_row(str(n), title, ", ".join(hit.countries), ", ".join(hit.models_used), evidence)
    console.print(table)
    console.print(f"{len(hits)} of {total} papers  ({filters.command_line()})", style="dim")


def paper_view(paper: Paper) -> None:
    """The `search show` view."""
    console.print(Text(paper.title or "(untitled)", style="bold"))
    meta = [paper.file, paper.id, f"{paper.n_pages} pages"]
    if paper.venue or paper.year:
        meta.insert(0, " ".join(str(x) for x in (paper.venue, paper.year) if x))
    if paper.openreview_id:
        meta.append(f"OpenReview {paper.openreview_id}")
    console.print(" · ".join(meta), style="dim")
    if decided := paper.meta.get("metadata_source"):
        from_car = [k for k, v in decided.items() if v.startswith("sidecar")]
        if from_car:
            console.print(f"{', '.join(from_car)} from {paper.meta.get('sidecar')}", style="dim")
    console.print()
    console.print(Text("Authors → affiliations", style="bold underline"))
    for author in paper.authors:
        affs = [
            paper.affiliations[i] for i in author.affiliations if 0 <= i < len(paper.affiliations)
        ]
        names = "; ".join(a.institution or a.text for a in affs) or "—"
        console.print(f"  {author.name} → {names}")
    console.print()
    console.print(Text("Affiliations → institution → country (evidence)", style="bold underline"))
    if not paper.affiliations:
        console.print("  none printed (anonymous or personal e-mail only)", style="dim")
    for aff in paper.affiliations:
        mark = f"[{aff.marker}] " if aff.marker else ""
        line = Text(f"  {mark}{aff.text}")
        line.append(f"\n      → {aff.institution or '?'} → {aff.country or '?'}", style="cyan")
        if aff.ror:
            line.append(f"  {aff.ror}", style="cyan")
        line.append(f"  ({aff.evidence})", style="dim")
        console.print(line)
    console.print()
    console.print(Text("Models", style="bold underline"))
    if not paper.usages:
        console.print("  no catalogued model named", style="dim")
    order = sorted(paper.usages, key=lambda u: (u.usage != "used", u.model_id))
    for usage in order:
        style = "green" if usage.usage == "used" else "yellow"
        head = Text(f"  {usage.model_id}", style=f"bold {style}")
        head.append(f"  {usage.usage}", style=style)
        head.append(f" — {usage.reason} ({usage.mentions} mentions)", style="dim")
        console.print(head)
        if usage.versions:
            others = [v for v in usage.versions if v not in usage.versions_used]
            parts = [f"used: {', '.join(usage.versions_used)}"] if usage.versions_used else []
            parts += [f"named: {', '.join(others)}"] if others else []
            console.print(f"      versions {'; '.join(parts)}", style="cyan")
        for m in usage.evidence[:3]:
            start = m.sentence.find(m.surface)
            spans = ((start, start + len(m.surface)),) if start >= 0 else ()
            line = Text("      ")
            line.append(snippet_text(Snippet(m.page, m.sentence.replace("\n", " "), spans)))
            line.append(f"  [{m.section}{', table' if m.in_table else ''}]", style="dim")
            console.print(line)


def facets_table(facets: dict[str, list[FacetCount]], total: int) -> None:
    """The `search facets` tables, side by side where the terminal allows."""
    from rich.columns import Columns

    tables = []
    for name, rows in facets.items():
        if not rows:
            continue
        t = Table(title=name, title_style="bold", show_edge=False)
        t.add_column("value")
        t.add_column("papers", justify="right")
        for fc in rows:
            t.add_row(fc.value, str(fc.count))
        tables.append(t)
    console.print(f"{total} papers", style="bold")
    console.print(Columns(tables, padding=(0, 3)))


def eval_report(report) -> None:
    """The `search eval` output: disagreements, then the scores."""
    for d in report.disagreements:
        console.print(
            f"{d.file}: {d.metric} {d.kind} {d.value}" + (f" — {d.evidence}" if d.evidence else ""),
            style="red" if d.kind == "extra" else "yellow",
        )
    if report.not_indexed:
        console.print(
            f"not in the index ({len(report.not_indexed)}): " + ", ".join(report.not_indexed),
            style="dim",
        )
    t = Table(title=f"{report.papers} labelled papers", show_edge=False)
    for col in ("metric", "precision", "recall", "F1", "tp", "fp", "fn"):
        t.add_column(col, justify="left" if col == "metric" else "right")
    for name, s in report.scores.items():
        t.add_row(
            name,
            f"{s.precision:.3f}",
            f"{s.recall:.3f}",
            f"{s.f1:.3f}",
            str(s.tp),
            str(s.fp),
            str(s.fn),
        )
    console.print(t)


def institutions_table(rows, unresolved: bool) -> None:
    """The `search institutions` table."""
    t = Table(show_edge=False)
    t.add_column("affiliation as printed" if unresolved else "institution")
    if not unresolved:
        t.add_column("country")
    t.add_column("papers", justify="right")
    for r in rows:
        if unresolved:
            t.add_row(r.name, str(r.papers))
        else:
            t.add_row(r.name, r.country or "?", str(r.papers))
    console.print(t)


def table_view(table: GroupTable, *, index: str) -> None:
    """The `search table` / `search adoption` view: cells, totals, denominators, footer."""
    from search.tables import TOTAL, UNKNOWN

    den = table.denominators is not None and table.denominator_axis == "row"
    t = Table(title=table.title, title_style="bold", show_edge=False, show_footer=False)
    t.add_column(table.row_field, style="bold")
    shown = table.columns if table.two_way else ("papers",)
    for col in shown:
        t.add_column(col, justify="right", style="dim" if col == UNKNOWN else None)
    if table.two_way:
        t.add_column(TOTAL, justify="right", style="bold")
    if den:
        t.add_column("all papers", justify="right", style="cyan")
        t.add_column("share", justify="right", style="cyan")
    for i, label in enumerate(table.rows):
        cells: list[str | Text] = [Text(label, style="dim" if label.startswith("(") else "")]
        if table.two_way:
            for j, col in enumerate(table.columns):
                n = table.cells[i][j]
                text = _percent(table.share(label, col)) if table.shares else str(n)
                if (label, col) in table.marked:
                    cells.append(Text(text + "*", style="bold magenta"))
                else:
                    cells.append(Text(text, style="dim" if not n else ""))
        cells.append(str(table.row_totals[i]))
        if den:
            d = table.denominators[i] if table.denominators else 0
            cells += [str(d), _percent(table.row_totals[i] / d if d else None)]
        t.add_row(*cells, end_section=i == len(table.rows) - 1)
    last: list[str] = [TOTAL]
    if table.two_way:
        last += [str(n) for n in table.column_totals]
    last.append(str(table.total))
    if den:
        scope_total = table.scope_total or 0
        last += [str(scope_total), _percent(table.total / scope_total if scope_total else None)]
    t.add_row(*last, style="bold")
    # A matrix is read across: let it be as wide as its cells rather than truncate them.
    widths = [len(table.row_field), *(len(r) for r in table.rows), len(TOTAL)]
    natural = max(widths) + 3
    for j, col in enumerate(shown):
        values = [str(row[j]) for row in table.cells] if table.two_way else []
        natural += max([len(col), 6, *(len(v) + 1 for v in values)]) + 3
    natural += 10 + (28 if den else 0)
    wide = console if natural <= console.width else Console(highlight=False, width=natural)
    wide.print(t)
    for note in table.notes:
        console.print(note, style="dim")
    console.print(f"{table.total} papers  ({table.command_line()}; index {index})", style="dim")


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"
