"""The `search` command: thin Typer shells over `search.library` and `indexer.pipeline`.

Each command checks its input, makes one library call and renders the result
(rich tables for people, ``--json`` for scripts). Every user mistake ends as one
line on stderr and exit code 2 — never a traceback.
"""

from __future__ import annotations

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
JsonOpt = Annotated[bool, typer.Option("--json", help="Same as --format json.")]
FormatOpt = Annotated[
    str,
    typer.Option(
        "--format",
        "-f",
        help="Output: table (for people), csv, tsv, json, jsonl, markdown. CSV/TSV/JSONL are"
        " pure data; their filters, total and index go to stderr as one '# ...' line.",
    ),
]
AllModelsOpt = Annotated[
    bool, typer.Option("--all-models", help="Require every --model (papers using both).")
]


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
    all_models: bool = False,
) -> Filters:
    return make_filters(
        query,
        models=model or (),
        all_models=all_models,
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
    fmt: FormatOpt = "table",
    all_models: AllModelsOpt = False,
) -> None:
    """Print the number of matching papers.

    Examples: `search count --model llama --country CN` (Chinese-affiliated papers that use
    Llama); `search count --country US --country CN --all-countries` (US–China
    collaborations); `search count --model-origin CN --country US`.
    """
    from search.commands.read_cmd import output_format, run_count

    out = output_format(fmt, json_out)
    f = _filters(
        query,
        model,
        mentioned,
        model_origin,
        country,
        all_countries,
        institution,
        year,
        venue,
        all_models,
    )
    run_count(f, index, out)


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
    fmt: FormatOpt = "table",
    all_models: AllModelsOpt = False,
) -> None:
    """List matching papers with countries, models used and the best snippet (page-numbered).

    `--format csv` (or tsv, json, jsonl, markdown) adds, per paper, the deciding sentence
    and page of each model and the affiliation evidence of each country:
    `search papers --model qwen --country US --format csv > qwen-us.csv`.
    """
    from search.commands.read_cmd import output_format, run_papers

    out = output_format(fmt, json_out)
    f = _filters(
        query,
        model,
        mentioned,
        model_origin,
        country,
        all_countries,
        institution,
        year,
        venue,
        all_models,
    )
    run_papers(f, index, out, limit)


@command()
def show(
    paper: Annotated[str, typer.Argument(help="Paper id (or prefix) or PDF file name.")],
    index: IndexOpt = Path("index"),
    json_out: JsonOpt = False,
    fmt: FormatOpt = "table",
) -> None:
    """Authors → affiliations → institution → country, and each model with its evidence.

    `--format csv` lists one row per country and per model with its evidence;
    `--format json` also carries the whole extracted record.
    """
    from search.commands.read_cmd import output_format, run_show

    run_show(paper, index, output_format(fmt, json_out))


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
    fmt: FormatOpt = "table",
    all_models: AllModelsOpt = False,
) -> None:
    """Paper counts per country, institution, model (used and any mention), venue and year.

    For papers without a value (the `(unknown)` row) and totals, use `search table --by FIELD`.
    """
    from search.commands.read_cmd import output_format, run_facets

    out = output_format(fmt, json_out)
    f = _filters(
        query,
        model,
        mentioned,
        model_origin,
        country,
        all_countries,
        institution,
        year,
        venue,
        all_models,
    )
    run_facets(f, index, out, top)


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
    fmt: FormatOpt = "table",
) -> None:
    """Institutions in the index with paper counts; --unresolved lists unknown affiliations.

    Example: `search institutions --unresolved --format csv > unresolved.csv`.
    """
    from search.commands.read_cmd import output_format, run_institutions

    run_institutions(index, output_format(fmt, json_out), unresolved, top)


@command()
def tui(index: IndexOpt = Path("index")) -> None:
    """Open the terminal UI: query bar, facet panels with live counts, results, evidence.

    Keys: type a query and press Enter; ctrl+p opens the command palette; F1 shows the
    bindings; ctrl+q quits.
    """
    from tui.app import run_app

    run_app(index)


@command()
def table(
    query: QueryArg = "",
    by: Annotated[
        list[str] | None,
        typer.Option(
            "--by",
            "-b",
            help="year, venue, country, institution, model, model-version, model-origin,"
            " collaboration; twice for a matrix (rows × columns).",
        ),
    ] = None,
    model: ModelOpt = None,
    all_models: AllModelsOpt = False,
    mentioned: MentionedOpt = False,
    model_origin: OriginOpt = None,
    country: CountryOpt = None,
    all_countries: AllCountriesOpt = False,
    institution: InstitutionOpt = None,
    year: YearOpt = None,
    venue: VenueOpt = None,
    index: IndexOpt = Path("index"),
    json_out: JsonOpt = False,
    fmt: FormatOpt = "table",
) -> None:
    """Papers counted by a field (or two: a matrix), with (unknown), totals and denominators.

    Examples: `search table --by year --country US --country CN --all-countries` (US–China
    collaborations per year next to all papers of that year, and the share);
    `search table --by collaboration --by year`; `search table --by model --by country
    --venue NeurIPS --format csv`. Papers without a value are counted in an (unknown)
    row; for multi-valued fields (countries, models, …) a paper counts once per value.
    When a query, model, model-origin, country or institution filter narrows the
    papers, each row also shows all papers with that value (venue and year kept) and the
    share.
    """
    from search.commands.read_cmd import output_format, run_table

    out = output_format(fmt, json_out)
    f = _filters(
        query,
        model,
        mentioned,
        model_origin,
        country,
        all_countries,
        institution,
        year,
        venue,
        all_models,
    )
    run_table(f, index, out, by or [])


@command()
def adoption(
    query: QueryArg = "",
    origin: Annotated[
        bool, typer.Option("--origin", help="Rows are model-origin countries, not models.")
    ] = False,
    share: Annotated[
        bool,
        typer.Option("--share", help="Divide each cell by the papers of its author country."),
    ] = False,
    model: ModelOpt = None,
    all_models: AllModelsOpt = False,
    mentioned: MentionedOpt = False,
    model_origin: OriginOpt = None,
    country: CountryOpt = None,
    all_countries: AllCountriesOpt = False,
    institution: InstitutionOpt = None,
    year: YearOpt = None,
    venue: VenueOpt = None,
    index: IndexOpt = Path("index"),
    json_out: JsonOpt = False,
    fmt: FormatOpt = "table",
) -> None:
    """Models (or model-origin countries) × author countries: who builds on whose models.

    Cells are papers; a cell marked * is a cross-border flow (the model comes from
    another country than the authors). Examples: `search adoption --origin` (US, CN, FR…
    models × author countries); `search adoption --share --venue NeurIPS` (share of each
    country's papers); `search adoption --mentioned --format csv`.
    """
    from search.commands.read_cmd import output_format, run_adoption

    out = output_format(fmt, json_out)
    f = _filters(
        query,
        model,
        mentioned,
        model_origin,
        country,
        all_countries,
        institution,
        year,
        venue,
        all_models,
    )
    run_adoption(f, index, out, origin=origin, mentioned=mentioned, share=share)


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
