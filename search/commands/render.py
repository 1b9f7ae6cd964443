"""Rich rendering of query results for people (the `--json` paths never come here)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

from indexer.records import Paper
from search.filters import Filters
from search.hit_evidence import COUNTRY_SOURCE
from search.results import FacetCount, Hit, Snippet

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
    console.print(" · ".join(meta), style="dim")
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
