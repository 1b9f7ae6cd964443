"""A report as one self-contained HTML file: inline CSS, JS and SVG, no network request.

The page opens from disk and as a mail attachment. A Content-Security-Policy meta tag
forbids every fetch (only inline styles, inline scripts and ``data:`` images may run),
so nothing can leak a request even by mistake. Each number carries its ``search count``
line (``data-command``), so a reader — and the browser test — can re-run it.
"""

from __future__ import annotations

from html import escape

from search.report.build import HitRow, Report, Section
from search.report.charts import bar_chart, heat_map

CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"

CSS = """
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto;
       max-width: 1100px; padding: 1em 1.5em 4em; color: #222; }
h1 { margin-bottom: .2em; } h2 { margin-top: 2.2em; border-bottom: 1px solid #ccc; }
.meta, .cmd, .note { color: #666; font-size: 12px; }
code, .cmd { font-family: ui-monospace, Menlo, Consolas, monospace; }
.headline { font-size: 20px; } .headline .count { font-weight: 700; color: #3465a4; }
table { border-collapse: collapse; margin: .6em 0; }
th, td { border-bottom: 1px solid #e3e3e3; padding: 3px 8px; text-align: left;
         vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.chart svg { max-width: 100%; height: auto; }
.hits { margin-top: 1em; }
.hits input { width: 22em; padding: 4px 6px; }
.hit-list { width: 100%; font-size: 13px; }
.hit-list th { cursor: pointer; user-select: none; background: #f5f5f5; }
.hit-list th.asc::after { content: " ▲"; } .hit-list th.desc::after { content: " ▼"; }
.evidence { color: #333; } .evidence b { background: #fff3a8; font-weight: normal; }
.v-verified { color: #2e7d32; } .v-rejected { color: #c62828; } .v-unsure { color: #ef6c00; }
.v-unreviewed { color: #888; }
nav ol { columns: 2; }
td.cross::after, .cross-key { content: "*"; color: #c62828; }
td.cross { background: #fdf1f1; } td.total { font-weight: 600; background: #f7f7f7; }
"""

JS = """
(function () {
  function words(s) { return s.toLowerCase().split(/\\s+/).filter(Boolean); }
  document.querySelectorAll('.hits').forEach(function (box) {
    var input = box.querySelector('input.hit-filter');
    var shown = box.querySelector('.shown');
    var rows = Array.prototype.slice.call(box.querySelectorAll('tbody tr'));
    function update() {
      var want = words(input.value), n = 0;
      rows.forEach(function (tr) {
        var text = tr.textContent.toLowerCase();
        var ok = want.every(function (w) { return text.indexOf(w) >= 0; });
        tr.style.display = ok ? '' : 'none';
        if (ok) { n++; }
      });
      shown.textContent = n + ' of ' + rows.length + ' shown';
      box.setAttribute('data-shown', n);
    }
    input.addEventListener('input', update);
    box.querySelectorAll('th').forEach(function (th, col) {
      th.addEventListener('click', function () {
        var asc = !th.classList.contains('asc');
        box.querySelectorAll('th').forEach(function (h) { h.classList.remove('asc', 'desc'); });
        th.classList.add(asc ? 'asc' : 'desc');
        var numeric = th.classList.contains('n');
        var tbody = box.querySelector('tbody');
        rows.sort(function (a, b) {
          var x = a.children[col].getAttribute('data-sort') || a.children[col].textContent;
          var y = b.children[col].getAttribute('data-sort') || b.children[col].textContent;
          var c = numeric ? (parseFloat(x) || 0) - (parseFloat(y) || 0)
                          : x.localeCompare(y, undefined, {sensitivity: 'base'});
          return asc ? c : -c;
        });
        rows.forEach(function (tr) { tbody.appendChild(tr); });
      });
    });
    update();
  });
})();
"""


def render_html(report: Report) -> str:
    """The whole page."""
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(report.title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{escape(report.title)}</h1>",
        f'<p class="meta">generated {escape(report.generated)} from the index'
        f" <code>{escape(report.index)}</code> by paperscope",
    ]
    if not report.scope.is_empty():
        parts.append(f" · scope: <code>{escape(report.scope.command_line())}</code>")
    parts.append("</p>")
    parts.append(_corpus(report))
    parts.append("<nav><h2>Questions</h2><ol>")
    for n, s in enumerate(report.sections, 1):
        parts.append(f'<li><a href="#q{n}">{escape(s.question.title)}</a></li>')
    parts.append("</ol></nav>")
    for n, s in enumerate(report.sections, 1):
        parts.append(_matrix(n, s) if s.matrix is not None else _section(n, s))
    parts.append(f"<script>{JS}</script></body></html>")
    return "\n".join(parts) + "\n"


def _pct(n: int, d: int) -> str:
    return f"{100 * n / d:.1f}%" if d else "–"


def _corpus(report: Report) -> str:
    c = report.corpus
    rows = [
        ("papers", c.papers, c.papers),
        ("with a known author country", c.with_country, c.papers),
        ("with a known year", c.with_year, c.papers),
        ("with a known venue", c.with_venue, c.papers),
    ]
    out = [
        f'<section id="corpus" data-count="{c.papers}" data-command="{escape(c.command)}">',
        "<h2>The corpus</h2><table><tr><th></th><th class='n'>papers</th><th class='n'>share</th>"
        "</tr>",
    ]
    for label, n, d in rows:
        out.append(
            f"<tr><td>{label}</td><td class='n'>{n}</td><td class='n'>{_pct(n, d)}</td></tr>"
        )
    out.append("</table><div style='display:flex;gap:3em;flex-wrap:wrap'>")
    for name, items in (("year", c.years), ("venue", c.venues)):
        out.append(f"<table><tr><th>{name}</th><th class='n'>papers</th></tr>")
        out += [f"<tr><td>{escape(k)}</td><td class='n'>{v}</td></tr>" for k, v in items]
        out.append("</table>")
    out.append(f"</div><p class='cmd'>{escape(c.command)}</p></section>")
    return "\n".join(out)


def _section(n: int, s: Section) -> str:
    q = s.question
    # the (unknown) bar is drawn when it holds papers: the chart shows what the table does
    years = [r for r in s.years if r.year is not None or r.count or r.denominator]
    chart = bar_chart(
        [str(r.year) if r.year is not None else "(unknown)" for r in years],
        [r.count for r in years],
        [r.denominator for r in years] if s.denominator != s.count else None,
        q.title,
    )
    out = [
        f'<section class="question" id="q{n}" data-count="{s.count}"'
        f' data-command="{escape(s.command)}" data-denominator="{s.denominator}"'
        f' data-denominator-command="{escape(s.denominator_command)}">',
        f"<h2>{escape(q.title)}</h2>",
    ]
    if q.note:
        out.append(f"<p class='note'>{escape(q.note)}</p>")
    out.append(
        f"<p class='headline'><span class='count'>{s.count}</span> of"
        f" <span class='denominator'>{s.denominator}</span> papers"
        f" (<span class='share'>{_pct(s.count, s.denominator)}</span>)</p>"
    )
    out.append(f"<p class='cmd'>{escape(s.command)}<br>of: {escape(s.denominator_command)}</p>")
    st = s.stats
    out.append(
        f"<p class='review' data-verified='{st.verified}' data-rejected='{st.rejected}'"
        f" data-unreviewed='{st.unreviewed}'>review: {st.claims} claims behind these papers ·"
        f" <span class='v-verified'>{st.verified} verified</span> ·"
        f" <span class='v-rejected'>{st.rejected} rejected</span> ·"
        f" <span class='v-unsure'>{st.unsure} unsure</span> ·"
        f" <span class='v-unreviewed'>{st.unreviewed} unreviewed</span>"
        f"{' (rejected claims are not counted)' if s.filters.reviews == 'apply' else ''}</p>"
    )
    out.append(f"<div class='chart'>{chart}</div>")
    out.append(
        "<table class='per-year'><tr><th>year</th><th class='n'>papers</th>"
        "<th class='n'>of</th><th class='n'>share</th></tr>"
    )
    for r in s.years:
        label = str(r.year) if r.year is not None else "(unknown)"
        out.append(
            f"<tr data-count='{r.count}' data-command='{escape(r.command)}'><td>{label}</td>"
            f"<td class='n'>{r.count}</td><td class='n'>{r.denominator}</td>"
            f"<td class='n'>{_pct(r.count, r.denominator)}</td></tr>"
        )
    out.append(
        f"<tr><th>all</th><th class='n'>{s.count}</th><th class='n'>{s.denominator}</th>"
        f"<th class='n'>{_pct(s.count, s.denominator)}</th></tr></table>"
    )
    out.append(_hits(s.hits))
    out.append("</section>")
    return "\n".join(out)


def _hits(hits: tuple[HitRow, ...]) -> str:
    out = [
        f"<div class='hits' data-rows='{len(hits)}'>",
        "<input class='hit-filter' type='search' placeholder='filter these papers…'"
        " aria-label='filter papers'> <span class='shown'></span>",
        "<table class='hit-list'><thead><tr><th>title</th><th class='n'>year</th>"
        "<th>countries</th><th>institutions</th><th>evidence</th><th>review</th></tr>"
        "</thead><tbody>",
    ]
    for h in hits:
        ev = ""
        if h.evidence is not None:
            text = h.evidence.marked("\x00", "\x01")
            text = escape(text).replace("\x00", "<b>").replace("\x01", "</b>")
            page = f"p.{h.evidence.page}"
            page = f"<a href='{escape(h.link)}'>{page}</a>" if h.link else page
            ev = f"{page} <span class='evidence'>{text}</span>"
        elif h.link:
            ev = f"<a href='{escape(h.link)}'>open PDF</a>"
        review = "<br>".join(
            f"<span class='v-{v}'>{escape(label)}: {v}</span>" for label, v in h.verdicts
        )
        out.append(
            f"<tr><td><b>{escape(h.title)}</b><br><span class='meta'>{escape(h.file)}</span></td>"
            f"<td class='n' data-sort='{h.year or 0}'>{h.year or ''}</td>"
            f"<td>{escape(' '.join(h.countries))}</td>"
            f"<td>{escape('; '.join(h.institutions))}</td><td>{ev}</td><td>{review}</td></tr>"
        )
    out.append("</tbody></table></div>")
    return "\n".join(out)


def _matrix(n: int, s: Section) -> str:
    m = s.matrix
    assert m is not None
    q = s.question
    out = [
        f'<section class="question matrix" id="q{n}" data-count="{s.count}"'
        f' data-command="{escape(s.command)}">',
        f"<h2>{escape(q.title)}</h2>",
    ]
    if q.note:
        out.append(f"<p class='note'>{escape(q.note)}</p>")
    known = [i for i, r in enumerate(m.rows) if r != "(unknown)"]
    cols = [j for j, c in enumerate(m.columns) if c != "(unknown)"]
    heat = heat_map(
        [m.rows[i] for i in known],
        [m.columns[j] for j in cols],
        [[m.counts[i][j] for j in cols] for i in known],
        q.title,
    )
    out.append(f"<div class='chart'>{heat}</div>")
    out.append("<table class='matrix-table'><tr><th>model origin \\ author country</th>")
    out += [f"<th class='n'>{escape(c)}</th>" for c in m.columns]
    out.append("<th class='n'>total</th></tr>")
    for i, row in enumerate(m.rows):
        out.append(f"<tr><th>{escape(row)}</th>")
        out += [
            _cell(v, cmd, "cross" if (row, col) in m.marked else "")
            for v, cmd, col in zip(m.counts[i], m.commands[i], m.columns, strict=True)
        ]
        out.append(_cell(m.row_totals[i], m.row_commands[i], "total") + "</tr>")
    out.append("<tr><th>total</th>")
    out += [
        _cell(v, cmd, "total") for v, cmd in zip(m.column_totals, m.column_commands, strict=True)
    ]
    out.append(_cell(m.total, s.command, "total") + "</tr></table>")
    more = (
        f" {m.hidden_columns} more author countries: {escape(m.command)}."
        if m.hidden_columns
        else ""
    )
    out.append(
        "<p class='cmd'>each cell: papers using a model developed in the row's country with"
        " at least one author in the column's country (hover for the command);"
        " <span class='cross-key'>*</span> cross-border: the model comes from another"
        f" country.{more}</p>"
    )
    out += [f"<p class='note'>{escape(note)}</p>" for note in m.notes]
    out.append("</section>")
    return "\n".join(out)


def _cell(value: int, command: str, css: str) -> str:
    """A number cell; with its `search count` line when one asks for it (the browser test
    checks each such cell against the CLI)."""
    klass = f"n {css}".strip()
    if not command:
        return f"<td class='{klass}' data-count='{value}'>{value}</td>"
    return (
        f"<td class='{klass}' data-count='{value}' data-command='{escape(command)}'"
        f" title='{escape(command)}'>{value}</td>"
    )
