"""One output contract for every read command: rows out of the library, one writer.

Every read command (`count`, `papers`, `facets`, `table`, `adoption`, `institutions`,
`show`, and whatever comes next) turns what `Library` returned into an `Output` — a
column list, rows, the total, the filters as typed and as resolved, and the index —
and hands it to `write`, which speaks every format alike: ``csv``, ``tsv``, ``json``,
``jsonl`` and ``markdown`` here, ``table`` (rich, for people) in
`search.commands.render`. This is sqlite-utils' "one output function serves every
command" with datasette's JSON shape (``columns``, ``rows``, the filters, the full
count).

CSV, TSV and JSON Lines stay pure data that pandas, a spreadsheet or a newsroom CMS
reads without edits; their filters, total and index go to stderr as one ``# …`` line.
JSON carries them in the object, Markdown in a line under the table. Spreadsheet
formula injection is neutralised in one place (`neutralise`), used by the TUI export
too.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, TextIO

from search.errors import PaperscopeError
from search.filters import Filters

if TYPE_CHECKING:
    from indexer.records import Paper
    from search.institutions import InstitutionCount
    from search.results import FacetCount, Hit
    from search.tables import Table

FORMATS: Final = ("table", "csv", "tsv", "json", "jsonl", "markdown")
"""What `--format` accepts; ``table`` is the human view."""

_FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True)
class Output:
    """What a read command answers, ready for any format."""

    command: str
    """The command that produced it (``count``, ``table``, …)."""
    columns: tuple[str, ...]
    """Column names, in order."""
    rows: tuple[tuple[Any, ...], ...]
    """One tuple per row, values in `columns` order (lists, dicts and None allowed)."""
    index: str
    """The index folder the numbers come from."""
    total: int | None = None
    """The full count behind the rows (all matching papers, not only the rows shown)."""
    filters: Filters | None = None
    """The filters, as typed (`Filters.given`) and as resolved."""
    notes: tuple[str, ...] = ()
    """How to read the numbers (table footers)."""
    extra: dict[str, Any] = field(default_factory=dict)
    """Command-specific JSON members (a table's cross-border cells, a paper's record)."""

    def records(self) -> list[dict[str, Any]]:
        """The rows as column → value objects."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def meta(self) -> dict[str, Any]:
        """Filters (given and resolved), total and index: what every format carries."""
        f = self.filters or Filters()
        return {
            "command": self.command,
            "index": self.index,
            "filters": {"given": f.given_dict(), "resolved": f.as_dict()},
            "resolved": f.resolved(),  # how each typed value was read ("GPT-4o" → gpt/4o)
            "total": self.total,
        }

    def to_json(self) -> dict[str, Any]:
        """The JSON object of `--format json`."""
        out = self.meta()
        out.update(columns=list(self.columns), rows=self.records())
        if self.notes:
            out["notes"] = list(self.notes)
        out.update(self.extra)
        return out


def check_format(fmt: str) -> str:
    """The format name, or a one-line error listing the formats."""
    key = fmt.strip().lower()
    key = {"md": "markdown", "ndjson": "jsonl", "text": "table"}.get(key, key)
    if key not in FORMATS:
        raise PaperscopeError(f"unknown format {fmt!r}; use one of: {', '.join(FORMATS)}")
    return key


def neutralise(value: Any) -> Any:
    """A spreadsheet-safe cell: text starting with ``= + - @``, a tab or a carriage return
    gets a leading single quote (OWASP CSV injection), so no formula runs on opening."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def flat(value: Any) -> Any:
    """A cell for CSV, TSV and Markdown: lists joined with ``; ``, passages as
    ``p.N: text``, evidence dicts as ``key p.N: sentence`` joined with `` | ``, None as
    empty."""
    if value is None:
        return ""
    if isinstance(value, dict):
        if "text" in value:
            return _passage(value)
        parts = []
        for key, item in value.items():
            if isinstance(item, dict):
                usage = item.get("usage")
                label = f"{key} ({usage})" if usage and usage != "used" else str(key)
                parts.append(f"{label} {_passage(item)}".strip())
            else:
                parts.append(f"{key}: {item}")
        return " | ".join(parts)
    if isinstance(value, list | tuple):
        return ("; " if all(not isinstance(v, dict) for v in value) else " | ").join(
            str(flat(v)) for v in value
        )
    if isinstance(value, float):
        return round(value, 4)
    return value


def _passage(item: dict[str, Any]) -> str:
    page = f"p.{item['page']}: " if item.get("page") else ""
    return f"{page}{item.get('text', '')}"


def write(
    out: Output,
    fmt: str,
    *,
    human: Callable[[], None] | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> None:
    """Write `out` in format `fmt`; ``table`` calls `human` (the command's rich view)."""
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    fmt = check_format(fmt)
    if fmt == "table":
        if human is None:
            raise PaperscopeError(f"`search {out.command}` has no table view; use --format csv")
        human()
    elif fmt == "json":
        stdout.write(json.dumps(out.to_json(), ensure_ascii=False, indent=2, default=str) + "\n")
    elif fmt == "jsonl":
        for record in out.records():
            stdout.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
        stderr.write(meta_line(out) + "\n")
    elif fmt in ("csv", "tsv"):
        stdout.write(delimited(out.columns, out.rows, "," if fmt == "csv" else "\t"))
        stderr.write(meta_line(out) + "\n")
    else:
        stdout.write(markdown(out))


def delimited(columns: Sequence[str], rows: Iterable[Sequence[Any]], sep: str = ",") -> str:
    """CSV (or TSV) text with a header row; every text cell neutralised."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=sep, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([neutralise(flat(v)) for v in row])
    return buf.getvalue()


def markdown(out: Output) -> str:
    """A GitHub-flavoured Markdown table, then the filters, total and index in a line."""

    def cell(value: Any) -> str:
        return str(flat(value)).replace("\n", " ").replace("|", "\\|")

    numeric = [
        bool(out.rows)
        and all(isinstance(r[i], int | float) for r in out.rows if r[i] not in ("", None))
        for i in range(len(out.columns))
    ]
    lines = ["| " + " | ".join(cell(c) for c in out.columns) + " |"]
    lines.append("|" + "|".join("---:" if n else "---" for n in numeric) + "|")
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in out.rows]
    lines.append("")
    lines += [f"_{cell(note)}_  " for note in out.notes]
    lines.append(f"_{meta_text(out)}_")
    return "\n".join(lines) + "\n"


def meta_text(out: Output) -> str:
    """`search count …` equivalent, total and index in words."""
    parts = []
    if out.filters is not None and not out.filters.is_empty():
        parts.append(f"filters: {out.filters.command_line().removeprefix('search count ')}")
    else:
        parts.append("filters: none")
    if out.total is not None:
        parts.append(f"total: {out.total}")
    parts.append(f"index: {out.index}")
    return "; ".join(parts)


def meta_line(out: Output) -> str:
    """The stderr line of the pure-data formats: ``# search <command>; filters …``."""
    return f"# search {out.command}; {meta_text(out)}"


# -- shaping: library results → Output ----------------------------------------------------


def count_output(n: int, filters: Filters, index: str) -> Output:
    """`search count`: one row, one number."""
    return Output("count", ("count",), ((n,),), index, n, filters, extra={"count": n})


def facets_output(
    facets: dict[str, list[FacetCount]], total: int, filters: Filters, index: str
) -> Output:
    """`search facets`: one row per (facet, value) in long form."""
    rows = tuple((name, fc.value, fc.count) for name, values in facets.items() for fc in values)
    extra = {
        "count": total,
        "facets": {k: {fc.value: fc.count for fc in v} for k, v in facets.items()},
    }
    return Output("facets", ("facet", "value", "papers"), rows, index, total, filters, extra=extra)


PAPER_COLUMNS: Final = (
    "rank",
    "paper_id",
    "file",
    "title",
    "year",
    "venue",
    "countries",
    "institutions",
    "models_used",
    "models_mentioned",
    "score",
    "snippets",
    "model_evidence",
    "country_evidence",
)


def papers_output(
    hits: Sequence[Hit],
    records: dict[str, Paper],
    total: int,
    filters: Filters,
    index: str,
) -> Output:
    """`search papers`: one row per hit, with the deciding evidence of each model (page and
    sentence) and the affiliation evidence of each country from the paper's record."""
    rows = []
    for rank, hit in enumerate(hits, 1):
        paper = records.get(hit.paper_id)
        rows.append(
            (
                rank,
                hit.paper_id,
                hit.file,
                hit.title,
                hit.year,
                hit.venue,
                list(hit.countries),
                list(hit.institutions),
                list(hit.models_used),
                list(hit.models_mentioned),
                round(hit.score, 4),
                [
                    {
                        "page": s.page,
                        "text": s.text,
                        "highlights": [list(h) for h in s.highlights],
                        "source": s.source,
                    }
                    for s in hit.snippets
                ],
                model_evidence(paper) if paper else {},
                country_evidence(paper) if paper else {},
            )
        )
    return Output("papers", PAPER_COLUMNS, tuple(rows), index, total, filters)


def model_evidence(paper: Paper) -> dict[str, dict[str, Any]]:
    """Per model (used first): usage, and the page and sentence that decided it."""
    out: dict[str, dict[str, Any]] = {}
    for usage in sorted(paper.usages, key=lambda u: (u.usage != "used", u.model_id)):
        first = usage.evidence[0] if usage.evidence else None
        out[usage.model_id] = {
            "usage": usage.usage,
            "page": first.page if first else None,
            "text": " ".join(first.sentence.split()) if first else "",
        }
    return out


def country_evidence(paper: Paper) -> dict[str, str]:
    """Per country: the affiliations that gave it, with how each was resolved."""
    out: dict[str, list[str]] = {}
    for aff in paper.affiliations:
        if aff.country:
            name = aff.institution or " ".join(aff.text.split())
            out.setdefault(aff.country, []).append(f"{name} ({aff.evidence})")
    return {c: "; ".join(dict.fromkeys(v)) for c, v in out.items()}


def table_output(table: Table, index: str, command: str = "table") -> Output:
    """`search table` / `search adoption`: the cells with totals (and denominators)."""
    from search.tables import TOTAL

    den = table.denominators is not None and table.denominator_axis == "row"
    first = table.row_field
    columns = [first, *table.columns] if table.two_way else [first, "papers"]
    if table.two_way:
        columns.append(TOTAL)
    if den:
        columns += ["all papers", "share"]
    rows: list[tuple[Any, ...]] = []
    for i, label in enumerate(table.rows):
        if table.shares:
            cells = [_ratio(table.share(label, c)) for c in table.columns]
            row: list[Any] = [label, *cells, table.row_totals[i]]
        elif table.two_way:
            row = [label, *table.cells[i], table.row_totals[i]]
        else:
            row = [label, table.row_totals[i]]
        if den:
            d = table.denominators[i] if table.denominators else 0
            row += [d, _ratio(table.row_totals[i] / d if d else None)]
        rows.append(tuple(row))
    last: list[Any] = [TOTAL]
    if table.two_way:
        last += [*table.column_totals, table.total]
    else:
        last.append(table.total)
    if den:
        scope_total = table.scope_total or 0
        last += [scope_total, _ratio(table.total / scope_total if scope_total else None)]
    rows.append(tuple(last))
    extra: dict[str, Any] = {
        "title": table.title,
        "row_field": table.row_field,
        "column_field": table.column_field,
        "cross_border": sorted([list(rc) for rc in table.marked]),
        "unit": "share of the column's papers" if table.shares else "papers",
    }
    if table.scope is not None:
        extra["denominator_filters"] = table.scope.as_dict()
    return Output(
        command,
        tuple(columns),
        tuple(rows),
        index,
        table.total,
        table.filters,
        tuple(table.notes),
        extra,
    )


def _ratio(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def institutions_output(
    rows: Sequence[InstitutionCount], total: int, unresolved: bool, index: str
) -> Output:
    """`search institutions`: institutions (or unresolved affiliation strings) by papers."""
    if unresolved:
        cols: tuple[str, ...] = ("affiliation", "papers")
        data = tuple((r.name, r.papers) for r in rows)
    else:
        cols = ("institution", "ror", "country", "papers")
        data = tuple((r.name, r.ror, r.country, r.papers) for r in rows)
    return Output("institutions", cols, data, index, total, Filters())


SHOW_COLUMNS: Final = ("kind", "value", "detail", "page", "evidence")


def show_output(paper: Paper, given: str, index: str) -> Output:
    """`search show`: one row per country (its affiliations) and per model (its evidence);
    JSON also carries the whole record."""
    from indexer.records import to_dict

    rows: list[tuple[Any, ...]] = []
    for aff in paper.affiliations:
        rows.append(
            (
                "country",
                aff.country,
                aff.institution,
                None,
                f"{' '.join(aff.text.split())} ({aff.evidence})",
            )
        )
    for usage in sorted(paper.usages, key=lambda u: (u.usage != "used", u.model_id)):
        first = usage.evidence[0] if usage.evidence else None
        rows.append(
            (
                "model",
                usage.model_id,
                usage.usage,
                first.page if first else None,
                " ".join(first.sentence.split()) if first else usage.reason,
            )
        )
    record = to_dict(paper)
    record.pop("pages", None)
    record.update(
        countries=list(paper.countries),
        institutions=list(paper.institutions),
        models_used=list(paper.models_used),
        models_mentioned=list(paper.models_mentioned),
    )
    filters = Filters(given=(("paper", (given,)),))
    return Output("show", SHOW_COLUMNS, tuple(rows), index, 1, filters, extra=record)
