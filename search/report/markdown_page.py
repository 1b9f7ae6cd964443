"""A report as Markdown: the same numbers and tables as the HTML page, for a CMS or notebook."""

from __future__ import annotations

from search.report.build import Report, Section


def _pct(n: int, d: int) -> str:
    return f"{100 * n / d:.1f}%" if d else "–"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(report: Report) -> str:
    """The whole document."""
    c = report.corpus
    out = [
        f"# {report.title}",
        "",
        f"Generated {report.generated} from the index `{report.index}` by paperscope.",
        "",
        "## The corpus",
        "",
        "| | papers | share |",
        "|---|---:|---:|",
        f"| papers | {c.papers} | {_pct(c.papers, c.papers)} |",
        f"| with a known author country | {c.with_country} | {_pct(c.with_country, c.papers)} |",
        f"| with a known year | {c.with_year} | {_pct(c.with_year, c.papers)} |",
        f"| with a known venue | {c.with_venue} | {_pct(c.with_venue, c.papers)} |",
        "",
        "| year | papers |",
        "|---|---:|",
        *[f"| {y} | {n} |" for y, n in c.years],
        "",
        "| venue | papers |",
        "|---|---:|",
        *[f"| {_cell(v)} | {n} |" for v, n in c.venues],
        "",
        f"`{c.command}`",
    ]
    for s in report.sections:
        out += ["", f"## {s.question.title}", ""]
        if s.question.note:
            out += [s.question.note, ""]
        out += _matrix(s) if s.matrix is not None else _section(s)
    return "\n".join(out) + "\n"


def _section(s: Section) -> list[str]:
    st = s.stats
    out = [
        f"**{s.count}** of {s.denominator} papers ({_pct(s.count, s.denominator)})",
        "",
        f"`{s.command}` of `{s.denominator_command}`",
        "",
        f"Review: {st.claims} claims · {st.verified} verified · {st.rejected} rejected ·"
        f" {st.unsure} unsure · {st.unreviewed} unreviewed",
        "",
        "| year | papers | of | share |",
        "|---|---:|---:|---:|",
    ]
    for r in s.years:
        label = str(r.year) if r.year is not None else "(unknown)"
        out.append(f"| {label} | {r.count} | {r.denominator} | {_pct(r.count, r.denominator)} |")
    out.append(f"| **all** | {s.count} | {s.denominator} | {_pct(s.count, s.denominator)} |")
    out += ["", "| title | year | countries | evidence | review |", "|---|---:|---|---|---|"]
    for h in s.hits:
        ev = f"p.{h.evidence.page}: {h.evidence.text}" if h.evidence else ""
        if h.link and h.evidence:
            ev = f"[p.{h.evidence.page}]({h.link}): {h.evidence.text}"
        review = "; ".join(f"{label}: {v}" for label, v in h.verdicts)
        out.append(
            f"| {_cell(h.title)} | {h.year or ''} | {' '.join(h.countries)} | {_cell(ev)} |"
            f" {_cell(review)} |"
        )
    return out


def _matrix(s: Section) -> list[str]:
    m = s.matrix
    assert m is not None
    out = [
        "| model origin \\ author country | " + " | ".join(m.columns) + " | total |",
        "|---|" + "---:|" * (len(m.columns) + 1),
    ]
    for i, row in enumerate(m.rows):
        cells = [
            f"{v}*" if (row, col) in m.marked else str(v)
            for v, col in zip(m.counts[i], m.columns, strict=True)
        ]
        out.append(f"| {row} | " + " | ".join(cells) + f" | {m.row_totals[i]} |")
    out.append("| **total** | " + " | ".join(map(str, m.column_totals)) + f" | {m.total} |")
    out += ["", "\\* cross-border: the model comes from another country than the author's."]
    if m.hidden_columns:
        out.append(f"{m.hidden_columns} more author countries: `{m.command}`.")
    out += ["", *[f"_{_cell(note)}_  " for note in m.notes]]
    return out
