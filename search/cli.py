"""The `search` command: thin Typer shells over `search.library` and `indexer.pipeline`.

Each command checks its input, makes one library call and renders the result
(rich tables for people, ``--json`` for scripts). Every user mistake ends as one
line on stderr and exit code 2 — never a traceback.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from search.errors import PaperscopeError
from search.filters import Filters, make_filters

app = typer.Typer(
    name="search",
    help=(
        "paperscope: who builds on which AI model, from which country, with the evidence.\n\n"
        "Index PDFs with `search index PDF_DIR`, then ask:"
        " `search count --model qwen --country US`,"
        ' `search papers "reward model" --model llama`, `search show PAPER`. No PDFs at hand?'
        " `search demo` builds a sample corpus and answers the headline questions."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def command(name: str | None = None):
    """`app.command` that turns `PaperscopeError` into one line on stderr and exit 2."""

    def decorate(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            try:
                return fn(*args, **kwargs)
            except PaperscopeError as exc:
                typer.echo(f"error: {exc}", err=True)
                raise typer.Exit(exc.exit_code) from None

        return app.command(name=name)(wrapper)

    return decorate


# -- shared options ------------------------------------------------------------------

IndexOpt = Annotated[
    Path, typer.Option("--index", "-i", help="Index folder.", envvar="PAPERSCOPE_INDEX")
]
QueryArg = Annotated[
    str,
    typer.Argument(
        help='Full-text query: words, "exact phrases", AND/OR/NOT, title:word. Empty: all papers.'
    ),
]
ModelOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--model", "-m", help="Model id or alias (llama, Qwen2.5, GPT-4o); repeat = any of."
    ),
]
MentionedOpt = Annotated[
    bool, typer.Option("--mentioned", help="Count any mention of the model, not only use.")
]
OriginOpt = Annotated[
    list[str] | None,
    typer.Option("--model-origin", help="Models developed in this country (CN, US, FR…); any of."),
]
CountryOpt = Annotated[
    list[str] | None,
    typer.Option("--country", "-c", help="Author country (US, CN, China, HK…); repeat = any of."),
]
AllCountriesOpt = Annotated[
    bool,
    typer.Option("--all-countries", help="Require every --country (US–China collaborations)."),
]
InstitutionOpt = Annotated[
    list[str] | None,
    typer.Option("--institution", help="Institution name or alias (Tsinghua, CMU); any of."),
]
YearOpt = Annotated[list[int] | None, typer.Option("--year", help="Publication year; any of.")]
VenueOpt = Annotated[
    list[str] | None, typer.Option("--venue", help='Venue ("NeurIPS" or "NeurIPS 2025"); any of.')
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Machine-readable JSON output.")]


def _filters(
    query: str,
    model: list[str] | None,
    mentioned: bool,
    model_origin: list[str] | None,
    country: list[str] | None,
    all_countries: bool,
    institution: list[str] | None,
    year: list[int] | None,
    venue: list[str] | None,
) -> Filters:
    return make_filters(
        query,
        models=model or (),
        mentioned=mentioned,
        model_origins=model_origin or (),
        countries=country or (),
        all_countries=all_countries,
        institutions=institution or (),
        years=year or (),
        venues=venue or (),
    )


def _library(index: Path):  # -> Library (import kept lazy for start-up time)
    from search.library import Library

    return Library(index)


def _print_json(obj: object) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


# -- commands --------------------------------------------------------------------------


@command()
def index(
    paths: Annotated[
        list[Path], typer.Argument(help="PDF files or folders (searched recursively).")
    ],
    index: IndexOpt = Path("index"),
    workers: Annotated[
        int | None, typer.Option("--workers", "-w", help="Extraction processes [default: cores].")
    ] = None,
    venue: Annotated[
        str | None, typer.Option("--venue", help='Venue for every paper ("NeurIPS 2025").')
    ] = None,
    year: Annotated[int | None, typer.Option("--year", help="Year for every paper.")] = None,
    rebuild: Annotated[
        bool, typer.Option("--rebuild", help="Delete the index first and index from scratch.")
    ] = False,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="Run extraction on a Dask cluster (tcp://HOST:PORT)."),
    ] = None,
) -> None:
    """Index PDFs (recursively) into the index folder; unchanged files are skipped.

    Prints one line per file that could not be indexed and a summary line. Exit code 0
    when every file was indexed, 1 when some were skipped (the others are indexed).
    """
    from search.commands.index_cmd import run_index

    raise typer.Exit(run_index(paths, index, workers, venue, year, rebuild, scheduler))


@command()
def count(
    query: QueryArg = "",
    model: ModelOpt = None,
    mentioned: MentionedOpt = False,
    model_origin: OriginOpt = None,
    country: CountryOpt = None,
    all_countries: AllCountriesOpt = False,
    institution: InstitutionOpt = None,
    year: YearOpt = None,
    venue: VenueOpt = None,
    index: IndexOpt = Path("index"),
    json_out: JsonOpt = False,
) -> None:
    """Print the number of matching papers.

    Examples: `search count --model llama --country CN` (Chinese-affiliated papers that use
    Llama); `search count --country US --country CN --all-countries` (US–China
    collaborations); `search count --model-origin CN --country US`.
    """
    f = _filters(
        query, model, mentioned, model_origin, country, all_countries, institution, year, venue
    )
    n = _library(index).count(f)
    if json_out:
        _print_json({"count": n, "filters": f.as_dict()})
    else:
        typer.echo(n)


@command()
def papers(
    query: QueryArg = "",
    model: ModelOpt = None,
    mentioned: MentionedOpt = False,
    model_origin: OriginOpt = None,
    country: CountryOpt = None,
    all_countries: AllCountriesOpt = False,
    institution: InstitutionOpt = None,
    year: YearOpt = None,
    venue: VenueOpt = None,
    limit: Annotated[int, typer.Option("--limit", "-n", help="Papers to list.", min=1)] = 20,
    index: IndexOpt = Path("index"),
    json_out: JsonOpt = False,
) -> None:
    """List matching papers with countries, models used and the best snippet (page-numbered)."""
    from search.commands.render import papers_table

    f = _filters(
        query, model, mentioned, model_origin, country, all_countries, institution, year, venue
    )
    lib = _library(index)
    hits = lib.find(f, limit=limit, snippets=3 if json_out else 1)
    if json_out:
        for hit in hits:
            sys.stdout.write(json.dumps(hit.to_dict(), ensure_ascii=False) + "\n")
        return
    papers_table(hits, total=lib.count(f), filters=f)


@command()
def show(
    paper: Annotated[str, typer.Argument(help="Paper id (or prefix) or PDF file name.")],
    index: IndexOpt = Path("index"),
    json_out: JsonOpt = False,
) -> None:
    """Authors → affiliations → institution → country, and each model with its evidence."""
    from search.commands.render import paper_view

    record = _library(index).paper(paper)
    if json_out:
        from indexer.records import to_dict

        d = to_dict(record)
        d.pop("pages")
        d.update(
            countries=record.countries,
            institutions=record.institutions,
            models_used=record.models_used,
            models_mentioned=record.models_mentioned,
        )
        _print_json(d)
    else:
        paper_view(record)


@command()
def facets(
    query: QueryArg = "",
    model: ModelOpt = None,
    mentioned: MentionedOpt = False,
    model_origin: OriginOpt = None,
    country: CountryOpt = None,
    all_countries: AllCountriesOpt = False,
    institution: InstitutionOpt = None,
    year: YearOpt = None,
    venue: VenueOpt = None,
    top: Annotated[int, typer.Option("--top", help="Values per facet.", min=1)] = 15,
    index: IndexOpt = Path("index"),
    json_out: JsonOpt = False,
) -> None:
    """Paper counts per country, institution, model (used and any mention), venue and year."""
    from search.commands.render import facets_table

    f = _filters(
        query, model, mentioned, model_origin, country, all_countries, institution, year, venue
    )
    lib = _library(index)
    result = lib.facets(f, size=top)
    total = lib.count(f)
    if json_out:
        _print_json(
            {
                "count": total,
                "filters": f.as_dict(),
                "facets": {k: {fc.value: fc.count for fc in v} for k, v in result.items()},
            }
        )
    else:
        facets_table(result, total)


@command(name="eval")
def eval_(
    labels: Annotated[Path, typer.Argument(help="Labels JSONL (format: shared/corpus/README.md).")],
    index: IndexOpt = Path("index"),
    json_out: JsonOpt = False,
) -> None:
    """Compare the index with a labels file: each disagreement, then precision/recall/F1."""
    from search.commands.render import eval_report
    from search.evaluate import evaluate

    report = evaluate(_library(index), labels)
    if json_out:
        _print_json(report.to_dict())
    else:
        eval_report(report)


@command()
def demo(
    papers: Annotated[
        int, typer.Option("--papers", help="Sample papers to generate.", min=1)
    ] = 200,
    out: Annotated[
        Path, typer.Option("--out", help="Where the sample PDFs and labels are written.")
    ] = Path("demo-corpus"),
    index: IndexOpt = Path("index"),
    workers: Annotated[int | None, typer.Option("--workers", "-w", help="Processes.")] = None,
) -> None:
    """Generate a sample corpus of NeurIPS-style PDFs, index it and answer the headline questions.

    Needs no files of yours: the PDFs are written with PyMuPDF into --out (with a
    ground-truth labels.jsonl), indexed into --index, then counted and evaluated.
    """
    from search.commands.demo_cmd import run_demo

    raise typer.Exit(run_demo(papers, out, index, workers))


@command()
def institutions(
    unresolved: Annotated[
        bool, typer.Option("--unresolved", help="Only affiliation strings with no country.")
    ] = False,
    top: Annotated[int, typer.Option("--top", help="Rows to show.", min=1)] = 50,
    index: IndexOpt = Path("index"),
    json_out: JsonOpt = False,
) -> None:
    """Institutions in the index with paper counts; --unresolved lists unknown affiliations."""
    from search.commands.render import institutions_table
    from search.institutions import institution_counts

    rows = institution_counts(_library(index), unresolved=unresolved)[:top]
    if json_out:
        _print_json([dataclasses.asdict(r) for r in rows])
    else:
        institutions_table(rows, unresolved)


@command()
def resolve(
    text: Annotated[
        str | None, typer.Argument(help="Affiliation as printed (quote it).", show_default=False)
    ] = None,
    jsonl: Annotated[
        Path | None,
        typer.Option(
            "--jsonl",
            help='JSON-lines file (- for stdin), one object with a "text" field per line.',
        ),
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Resolve affiliation strings to institution, ROR id and country, with the evidence.

    Examples:

      search resolve "Dept. of EE, Tsinghua Univ., Beijing 100084, China"

      search resolve --jsonl affiliations.jsonl > resolved.jsonl

    One string prints institution, ROR id, country and evidence (tab-separated), one
    line per institution it names. --jsonl writes, in input order, one line
    {"text", "affiliations": [{"institution", "ror", "country"}], "countries"} per input
    line; a bad line gets one error line on stderr (exit 1) and the run goes on.
    """
    from search.commands.resolve_cmd import run_jsonl, run_text

    if (text is None) == (jsonl is None):
        raise PaperscopeError(
            'give one affiliation text or --jsonl FILE (see "search resolve --help")'
        )
    if jsonl is not None:
        raise typer.Exit(run_jsonl(jsonl, sys.stdout, sys.stderr))
    raise typer.Exit(run_text(text or "", as_json=json_out, out=sys.stdout))


@command()
def tui(index: IndexOpt = Path("index")) -> None:
    """Open the terminal UI: query bar, facet panels with live counts, results, evidence.

    Keys: type a query and press Enter; ctrl+p opens the command palette; F1 shows the
    bindings; ctrl+q quits.
    """
    from tui.app import run_app

    run_app(index)


def main() -> None:
    """Console-script entry point: run the app, turn user errors into one line."""
    try:
        app()
    except PaperscopeError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise SystemExit(exc.exit_code) from None
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        raise SystemExit(130) from None
