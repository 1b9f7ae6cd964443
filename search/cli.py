"""The `search` command: thin Typer shells over `search.library` and `indexer.pipeline`.

Each command checks its input, makes one library call and renders the result
(rich tables for people, ``--json`` for scripts). Every user mistake ends as one
line on stderr and exit code 2 — never a traceback.
"""

from __future__ import annotations

import functools
import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from search.commands.options import (
    FormatOpt,
    IndexOpt,
    JsonOpt,
    with_filters,
)
from search.errors import PaperscopeError
from search.filters import Filters
from search.query_limits import check_count

app = typer.Typer(
    name="search",
    help=(
        "paperscope: who builds on which AI model, from which country, with the evidence.\n\n"
        "Get papers with `search fetch neurips 2025 --out DIR` (or bring your own PDFs),"
        " index them with `search index DIR`, then ask:"
        " `search count --model qwen --country US`,"
        ' `search papers "reward model" --model llama`, `search show PAPER`; tabulate with'
        " `search table --by year --country US --country CN --all-countries` and"
        " `search adoption --origin`; check hits with `search review --next --model llama`;"
        " publish with `search report --out report.html`. No PDFs at hand? `search demo`"
        " builds a sample corpus and answers the headline questions."
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

        from search.commands.summaries import SUMMARIES

        short = SUMMARIES.get(name or fn.__name__.rstrip("_"))
        return app.command(name=name, short_help=short)(wrapper)

    return decorate


# The options several commands share are declared once, in `search.commands.options`;
# `with_filters` gives a command all the filter options at once.


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
        bool,
        typer.Option(
            "--rebuild",
            help="Delete the index first and index from scratch (refused while another"
            " process writes it).",
        ),
    ] = False,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            help="Run extraction on a Dask cluster: tls://HOST:PORT (with --security), or"
            " tcp://HOST:PORT on a trusted network only.",
        ),
    ] = None,
    security: Annotated[
        str | None,
        typer.Option(
            "--security",
            help="TOML file with the cluster's TLS certificates (ca_file, cert, key).",
            envvar="PAPERSCOPE_DASK_SECURITY",
        ),
    ] = None,
    timeout: Annotated[
        float | None,
        typer.Option(
            "--timeout",
            help="Seconds one file may take before its worker is replaced [default: 60].",
            envvar="PAPERSCOPE_TIMEOUT",
        ),
    ] = None,
    max_memory: Annotated[
        str | None,
        typer.Option(
            "--max-memory",
            help="Memory cap per worker, e.g. 2G or 512M [default: min(2G, RAM/(workers+1))].",
            envvar="PAPERSCOPE_MAX_MEMORY",
        ),
    ] = None,
    prune: Annotated[
        bool,
        typer.Option("--prune", help="First drop papers whose files under these folders are gone."),
    ] = False,
) -> None:
    """Index PDFs (recursively) into the index folder; unchanged files are skipped.

    Prints one line per file that could not be indexed and a summary line. Exit code 0
    when every file was indexed, 1 when some were skipped (the others are indexed) or the
    disk filled up, 2 on usage errors, 130/143 when stopped by Ctrl-C/SIGTERM (what
    finished is kept). Each file gets --timeout seconds and --max-memory: a file past
    either is reported (`FILE: gave up after 60 s`) and the run goes on.

    Examples: `search index ~/papers --venue "NeurIPS 2025" --timeout 30 --max-memory 1G`;
    `search index ~/papers --prune` (after deleting or moving PDFs); `search index ~/papers
    --index other-index`.
    """
    from search.commands.index_cmd import run_index

    raise typer.Exit(
        run_index(
            paths,
            index,
            workers,
            venue,
            year,
            rebuild,
            scheduler,
            timeout=timeout,
            max_memory=max_memory,
            security=security,
            prune=prune,
        )
    )


@command()
@with_filters()
def count(
    filters: Filters,
    index: IndexOpt = Path("index"),
    json_out: JsonOpt = False,
    fmt: FormatOpt = "table",
) -> None:
    """Print the number of matching papers.

    Examples: `search count --model llama --country CN` (Chinese-affiliated papers that use
    Llama); `search count --country US --country CN --all-countries` (US–China
    collaborations); `search count --model-origin CN --country US`.

    Claims a reviewer rejected (`search review`) do not count; `--raw` ignores the review
    log, `--verified-only` counts only verified claims. With a review log the line reads
    `141 · 38 verified · 2 rejected · 101 unreviewed` (claims behind the matches); --json
    always has `verified`, `rejected`, `unsure`, `unreviewed` and `claims`.
    """
    from search.commands.read_cmd import output_format, run_count

    out = output_format(fmt, json_out)
    run_count(filters, index, out)


@command()
@with_filters()
def papers(
    filters: Filters,
    limit: Annotated[int, typer.Option("--limit", "-n", help="Papers to list.", min=1)] = 20,
    index: IndexOpt = Path("index"),
    json_out: JsonOpt = False,
    fmt: FormatOpt = "table",
) -> None:
    """List matching papers with countries, models used and the best snippet (page-numbered).

    `--format csv` (or tsv, json, jsonl, markdown) adds, per paper, the deciding sentence
    and page of each model and the affiliation evidence of each country:
    `search papers --model qwen --country US --format csv > qwen-us.csv`.
    """
    from search.commands.read_cmd import output_format, run_papers

    out = output_format(fmt, json_out)
    run_papers(filters, index, out, check_count(limit, "--limit"))


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
@with_filters()
def facets(
    filters: Filters,
    top: Annotated[int, typer.Option("--top", help="Values per facet.", min=1)] = 15,
    index: IndexOpt = Path("index"),
    json_out: JsonOpt = False,
    fmt: FormatOpt = "table",
) -> None:
    """Paper counts per country, institution, model (used and any mention), venue and year.

    For papers without a value (the `(unknown)` row) and totals, use `search table --by FIELD`.
    """
    from search.commands.read_cmd import output_format, run_facets

    out = output_format(fmt, json_out)
    run_facets(filters, index, out, check_count(top, "--top"))


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
        Path, typer.Option("--out", help="Where the sample PDFs, labels and index are written.")
    ] = Path("demo-corpus"),
    index: Annotated[
        Path | None,
        typer.Option("--index", "-i", help="The demo's index folder [default: OUT/index]."),
    ] = None,
    workers: Annotated[int | None, typer.Option("--workers", "-w", help="Processes.")] = None,
) -> None:
    """Generate a sample corpus of NeurIPS-style PDFs, index it and answer the headline questions.

    Needs no files of yours: the PDFs are written with PyMuPDF into --out (with a
    ground-truth labels.jsonl), indexed into OUT/index — its own index, apart from your
    default index/ and from PAPERSCOPE_INDEX — then counted and evaluated. Re-running
    rewrites no unchanged PDF. Then `export PAPERSCOPE_INDEX=demo-corpus/index` to run
    the README's one-liners on it.
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

    run_institutions(index, output_format(fmt, json_out), unresolved, check_count(top, "--top"))


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


@command()
@with_filters()
def table(
    filters: Filters,
    by: Annotated[
        list[str] | None,
        typer.Option(
            "--by",
            "-b",
            help="year, venue, country, institution, model, model-version, model-origin,"
            " collaboration; twice for a matrix (rows × columns).",
        ),
    ] = None,
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
    run_table(filters, index, out, by or [])


@command()
@with_filters()
def adoption(
    filters: Filters,
    origin: Annotated[
        bool, typer.Option("--origin", help="Rows are model-origin countries, not models.")
    ] = False,
    share: Annotated[
        bool,
        typer.Option("--share", help="Divide each cell by the papers of its author country."),
    ] = False,
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
    run_adoption(filters, index, out, origin=origin, share=share)


@command()
def fetch(
    venue: Annotated[
        str | None, typer.Argument(help="Venue short name: neurips (or use --venue-id).")
    ] = None,
    year: Annotated[int | None, typer.Argument(help="Year, e.g. 2025.")] = None,
    venue_id: Annotated[
        str | None,
        typer.Option(
            "--venue-id", help="Any OpenReview (API v2) venue id: ICLR.cc/2025/Conference."
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help="Folder for PDFs + sidecars [default: papers/neurips2025]."
        ),
    ] = None,
    limit: Annotated[
        int | None, typer.Option("--limit", "-n", help="Fetch at most N papers.", min=1)
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="List what would be fetched; download nothing.")
    ] = False,
    concurrency: Annotated[
        int, typer.Option("--concurrency", "-k", help="Downloads at once.", min=1, max=32)
    ] = 4,
    track: Annotated[
        str,
        typer.Option(
            "--track", help="NeurIPS track: main, datasets (datasets & benchmarks) or all."
        ),
    ] = "main",
    source: Annotated[
        str,
        typer.Option(
            "--source",
            help="auto (OpenReview from 2023, proceedings site before), openreview, proceedings.",
        ),
    ] = "auto",
    api_url: Annotated[
        str,
        typer.Option(
            "--api-url", envvar="PAPERSCOPE_OPENREVIEW_API", help="OpenReview API base URL."
        ),
    ] = "https://api2.openreview.net",
    site_url: Annotated[
        str,
        typer.Option(
            "--site-url", envvar="PAPERSCOPE_PROCEEDINGS_URL", help="NeurIPS proceedings site URL."
        ),
    ] = "https://papers.nips.cc",
    rate: Annotated[
        float,
        typer.Option(
            "--rate",
            envvar="PAPERSCOPE_FETCH_RATE",
            help="Requests per second (0: no limit).",
            min=0,
        ),
    ] = 2.0,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout", envvar="PAPERSCOPE_FETCH_TIMEOUT", help="Seconds per request.", min=0.1
        ),
    ] = 60.0,
    retries: Annotated[
        int,
        typer.Option(
            "--retries", envvar="PAPERSCOPE_FETCH_RETRIES", help="Retries per request.", min=0
        ),
    ] = 5,
    backoff: Annotated[
        float,
        typer.Option(
            "--backoff",
            envvar="PAPERSCOPE_FETCH_BACKOFF",
            help="First retry delay in seconds (doubles; Retry-After wins).",
            min=0,
        ),
    ] = 1.0,
    page_size: Annotated[
        int, typer.Option("--page-size", help="Notes per listing request.", min=1, max=1000)
    ] = 1000,
) -> None:
    """Download a venue's accepted papers: DIR/<id>.pdf plus a DIR/<id>.json sidecar.

    Examples: `search fetch neurips 2025 --out papers/neurips2025` (OpenReview);
    `search fetch neurips 2021` (proceedings site); `search fetch --venue-id
    ICLR.cc/2025/Conference --limit 20 --dry-run`. Then `search index papers/neurips2025`:
    the sidecars give each paper its venue, year, title, authors and OpenReview id.

    Polite and resumable: --rate requests per second, --concurrency downloads at once,
    retries that honour Retry-After, files checked (%PDF, size) before they count; run
    the same command again to fetch only what is missing or broken. A token for
    non-public venues is read from PAPERSCOPE_OPENREVIEW_TOKEN and never printed.
    Exit code 0 when every paper is in DIR, 1 when some failed (each named), 2 on usage.
    """
    from search.commands.fetch_cmd import FetchOptions, run_fetch

    if track not in ("main", "datasets", "all"):
        raise PaperscopeError(f"--track {track!r}: use main, datasets or all")
    if source not in ("auto", "openreview", "proceedings"):
        raise PaperscopeError(f"--source {source!r}: use auto, openreview or proceedings")
    opts = FetchOptions(
        venue=venue,
        year=year,
        venue_id=venue_id,
        out=out,
        limit=limit,
        dry_run=dry_run,
        concurrency=concurrency,
        track=track,
        source=source,
        api_url=api_url,
        site_url=site_url,
        rate=rate,
        timeout=timeout,
        retries=retries,
        backoff=backoff,
        page_size=page_size,
    )
    raise typer.Exit(run_fetch(opts))


ReviewerOpt = Annotated[
    str | None,
    typer.Option("--reviewer", help="Who gives the verdict [default: your login name]."),
]


@command()
@with_filters(query=False, review_modes=False)
def review(
    filters: Filters,
    paper: Annotated[
        str | None, typer.Argument(help="Paper id (or prefix) or PDF file name.")
    ] = None,
    verify: Annotated[bool, typer.Option("--verify", help="The claim is right.")] = False,
    reject: Annotated[bool, typer.Option("--reject", help="The claim is wrong.")] = False,
    unsure: Annotated[bool, typer.Option("--unsure", help="Cannot tell from the paper.")] = False,
    note: Annotated[str, typer.Option("--note", help="Why (kept with the verdict).")] = "",
    reviewer: ReviewerOpt = None,
    next_: Annotated[
        bool,
        typer.Option(
            "--next", help="Walk the unreviewed claims behind the filters, one key per verdict."
        ),
    ] = False,
    query: Annotated[
        str, typer.Option("--query", "-q", help="Full-text query (with --next).")
    ] = "",
    index: IndexOpt = Path("index"),
) -> None:
    """Record a verdict on one claim, or walk the claims behind a question (--next).

    A claim is what the index says of a paper: that it uses (or, with --mentioned,
    mentions) a model, or that an author is in a country or institution. Verdicts live in
    INDEX/reviews.sqlite; rejected claims stop counting. Examples:

      search review a-chatqa.pdf --model qwen --reject --note "only in a table of baselines"

      search review 3f2a9c --country CN --verify

      search review --next --model llama --country CN   # v/r/u verdict, s skip, o open PDF, q quit
    """
    from search.commands.review_cmd import record_verdict, walk

    lib = _library(index)
    if next_:
        f = replace(filters, query=query.strip())
        walk(lib, f, note=note, reviewer=reviewer)
        return
    if paper is None:
        raise PaperscopeError("name a PAPER (id, prefix or file name), or use --next")
    verdicts = [
        v for v, on in (("verified", verify), ("rejected", reject), ("unsure", unsure)) if on
    ]
    if len(verdicts) != 1:
        raise PaperscopeError("give exactly one of --verify, --reject, --unsure")
    claims = lib.claim_fields(filters) if not filters.model_origins else []
    if len(claims) != 1:
        raise PaperscopeError(
            "name exactly one claim: one --model (with --mentioned for a mention),"
            " --country or --institution"
        )
    kind, value = claims[0]
    v = record_verdict(lib, paper, kind, value, verdicts[0], note, reviewer)
    typer.echo(f"{v.paper_id[:12]} {v.claim.label()}: {v.verdict} ({v.reviewer}, {v.at})")


@command()
@with_filters(query=False, review_modes=False)
def reviews(
    filters: Filters,
    action: Annotated[
        str, typer.Argument(help="list (default), export FILE or import FILE (JSON Lines).")
    ] = "list",
    file: Annotated[Path | None, typer.Argument(help="The JSON Lines file.")] = None,
    history: Annotated[
        bool, typer.Option("--history", help="Every verdict ever given, not only the latest.")
    ] = False,
    index: IndexOpt = Path("index"),
    json_out: JsonOpt = False,
    fmt: FormatOpt = "table",
) -> None:
    """List the verdicts (on papers matching the filters), or move the log between reviewers.

    Examples: `search reviews --model llama`; `search reviews --format csv > verdicts.csv`;
    `search reviews export mine.jsonl`; `search reviews import theirs.jsonl` (merges; a
    claim two reviewers judged differently is listed as a conflict and left as it was —
    exit code 1 — until you record a new verdict).
    """
    from search.commands.read_cmd import output_format
    from search.commands.review_cmd import exchange, list_verdicts

    if action in ("export", "import"):
        if file is None:
            raise PaperscopeError(f"`search reviews {action}` needs a FILE")
        raise typer.Exit(exchange(index, action, file))
    if action != "list":
        raise PaperscopeError(f"unknown action {action!r}; use list, export FILE or import FILE")
    list_verdicts(_library(index), filters, history=history, fmt=output_format(fmt, json_out))


@command()
@with_filters(query=False)
def report(
    filters: Filters,
    questions: Annotated[
        Path | None,
        typer.Argument(help="TOML file of questions [default: the published analysis]."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="File to write [default: report.html / report.md]."),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option("--format", help="html (one self-contained page) or markdown."),
    ] = None,
    index: IndexOpt = Path("index"),
) -> None:
    """Write the answers as one shareable file: numbers, per-year tables, charts, evidence.

    The HTML page is self-contained (inline CSS, JS and SVG; it makes no network request)
    and opens from disk or a mail attachment. Each question shows its count, denominator
    and share, a per-year table and chart, the review state, and the papers with their
    deciding sentence and a link to the PDF page. Filters scope every question. Examples:

      search report --out report.html                  # the published analysis

      search report --venue "NeurIPS 2025" --format markdown --out neurips.md

      search report questions.toml --out mine.html     # your questions (format: README)
    """
    from search.commands.report_cmd import run_report

    run_report(_library(index), questions, filters, out, fmt, index)


@command()
def models(
    model: Annotated[
        str | None, typer.Argument(help="A family id or name (gpt, Llama, GPT-4o) to detail.")
    ] = None,
    index: IndexOpt = Path("index"),
    json_out: JsonOpt = False,
    fmt: FormatOpt = "table",
) -> None:
    """The model catalog: ids, names and aliases, developer and origin country, and per
    family the papers that use / mention it with the versions found in the index.

    Examples: `search models` (every family, most used first); `search models gpt`
    (GPT with every version: gpt/4o, gpt/4o-mini, gpt/3.5, gpt/o1 …); `search models
    --format csv` (one row per family; `--json` is `--format json`). Any version printed
    works as a filter: `search count --model gpt/4o`.
    """
    from search.commands.models_cmd import run_models
    from search.commands.read_cmd import output_format

    run_models(model, index, output_format(fmt, json_out))


@command()
def stats(
    index: IndexOpt = Path("index"), json_out: JsonOpt = False, fmt: FormatOpt = "table"
) -> None:
    """What the index holds and how complete it is: papers, pages, the share of papers
    with a known year / venue / country / institution, unresolved affiliations, models
    used and mentioned, size on disk, schema version and the last `search index` run.

    Examples: `search stats`; `search stats --json` for scripts; `search stats --format
    csv` (one row per measure: measure, value, share of papers).
    """
    from search.commands.read_cmd import output_format
    from search.commands.stats_cmd import run_stats

    run_stats(index, output_format(fmt, json_out))


@command()
def remove(
    papers: Annotated[
        list[str], typer.Argument(help="Paper ids, unique id prefixes or PDF file names.")
    ],
    index: IndexOpt = Path("index"),
) -> None:
    """Drop papers from the index (all or none: an unknown name drops nothing).

    Examples: `search remove a-chatqa.pdf`; `search remove 3f2a9c`. To drop every paper
    whose PDF was deleted, run `search index FOLDER --prune` instead.
    """
    from search.commands.stats_cmd import run_remove

    run_remove(papers, index)


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
