"""Bodies of the read commands: one library call, one `Output`, one writer.

Each function takes what the CLI parsed, asks `Library` once, shapes the answer with
`search.output` and writes it in the requested format; ``--format table`` goes to the
rich views in `search.commands.render`. New read commands follow the same three steps.
"""

from __future__ import annotations

from pathlib import Path

from search.filters import Filters

# `search.output` is imported where it is used: a plain `search count` in a script loop
# prints a number and should not pay for the writers.


def output_format(fmt: str, json_out: bool) -> str:
    """`--json` is `--format json`; anything else is checked against the formats."""
    if json_out:
        return "json"
    if fmt == "table":
        return fmt
    from search.output import check_format

    return check_format(fmt)


def where(index: Path | str) -> str:
    """The index folder as an absolute path: outputs say where their numbers come from."""
    return str(Path(index).expanduser().resolve())


def _library(index: Path):  # -> Library (import kept lazy for start-up time)
    from search.library import Library

    return Library(index)


def _reviewed(lib, filters: Filters) -> bool:
    """True when the index has a review log and `filters` name claims it can judge."""
    return lib.review_log() is not None and bool(lib.claim_fields(filters))


def review_line(lib, filters: Filters, stats=None) -> None:
    """``review: 38 verified · 2 rejected · …`` under a human view, when there is a log
    (`stats`: the `ReviewStats` when the caller has them already)."""
    if _reviewed(lib, filters):
        import typer

        typer.echo(f"review: {(stats or lib.review_stats(filters)).summary()}")


def run_count(filters: Filters, index: Path, fmt: str) -> None:
    """`search count`: the number alone for people (with the review state when there is a
    review log), the contract for scripts (always with the review counts)."""
    lib = _library(index)
    n = lib.count(filters)
    if fmt == "table":
        import typer

        if _reviewed(lib, filters):
            typer.echo(f"{n} · {lib.review_stats(filters).summary()}")
        else:
            typer.echo(n)
        return
    from search.output import count_output, write

    out = count_output(n, filters, where(index))
    out.extra.update(lib.review_stats(filters).to_dict())
    write(out, fmt)


def run_papers(filters: Filters, index: Path, fmt: str, limit: int) -> None:
    """`search papers`: hits with evidence; data formats add each model's deciding
    sentence and each country's affiliation evidence from the records."""
    lib = _library(index)
    human = fmt == "table"
    hits = lib.find(filters, limit=limit, snippets=1 if human else 3)
    total = lib.count(filters)
    if human:
        from search.commands.render import papers_table

        papers_table(hits, total=total, filters=filters)
        review_line(lib, filters)
        return
    from search.output import papers_output, write

    records = lib.papers_by_id(h.paper_id for h in hits)
    write(papers_output(hits, records, total, filters, where(index)), fmt)


def run_facets(filters: Filters, index: Path, fmt: str, top: int) -> None:
    """`search facets`: papers per value of every facet, and `(unknown)`: papers without one."""
    from search.commands.render import facets_table
    from search.output import facets_output, write
    from search.results import FacetCount
    from search.tables import UNKNOWN

    lib = _library(index)
    result = lib.facets(filters, size=top)
    missing = lib.unknown(filters, list(result))
    for name, values in result.items():  # papers without a value are counted, not dropped
        values.append(FacetCount(name, UNKNOWN, missing[name]))
    total = lib.count(filters)
    out = facets_output(result, total, filters, where(index))
    stats = lib.review_stats(filters)
    out.extra.update(stats.to_dict())

    def human() -> None:
        facets_table(result, total)
        review_line(lib, filters, stats)

    write(out, fmt, human=human)


def run_show(key: str, index: Path, fmt: str) -> None:
    """`search show`: one paper's countries and models with their evidence."""
    from search.commands.render import paper_view
    from search.output import show_output, write

    record = _library(index).paper(key)
    write(show_output(record, key, where(index)), fmt, human=lambda: paper_view(record))


def run_institutions(index: Path, fmt: str, unresolved: bool, top: int) -> None:
    """`search institutions`: institutions (or unresolved affiliations) by papers."""
    from search.commands.render import institutions_table
    from search.institutions import institution_counts
    from search.output import institutions_output, write

    rows = institution_counts(_library(index), unresolved=unresolved)
    shown = rows[:top]
    out = institutions_output(shown, len(rows), unresolved, where(index))
    write(out, fmt, human=lambda: institutions_table(shown, unresolved))


def run_table(filters: Filters, index: Path, fmt: str, by: list[str]) -> None:
    """`search table --by FIELD [--by FIELD2]`."""
    from search.commands.render import table_view
    from search.errors import PaperscopeError
    from search.output import table_output, write
    from search.tables import check_field

    if not by or len(by) > 2:
        raise PaperscopeError("give one --by FIELD (a list) or two (a matrix), e.g. --by year")
    fields = [check_field(b) for b in by]
    table = _library(index).table(fields[0], fields[1] if len(fields) > 1 else None, filters)
    out = table_output(table, where(index))
    write(out, fmt, human=lambda: table_view(table, index=where(index)))


def run_adoption(filters: Filters, index: Path, fmt: str, *, origin: bool, share: bool) -> None:
    """`search adoption`: models (or model origins) × author countries."""
    from search.commands.render import table_view
    from search.output import table_output, write

    table = _library(index).adoption(filters, origin=origin, share=share)
    out = table_output(table, where(index), command="adoption")
    write(out, fmt, human=lambda: table_view(table, index=where(index)))
