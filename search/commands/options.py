"""The options every read command shares, declared once.

Typer reads a command's options from its signature, so eight commands that filter papers
would each repeat the same dozen parameters and the same call that turns them into
`Filters`. `with_filters` adds those parameters to a command's signature and hands the
command one ready `Filters` instead: a new filter is added here, once, and every command
that counts papers gets it.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from search.errors import PaperscopeError
from search.filters import Filters, make_filters

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
        "--model",
        "-m",
        help="Model family or version (llama, gpt, GPT-4o, Llama-3.1, Qwen2.5-VL, gpt/4o);"
        " repeat = any of. `search models` lists them.",
    ),
]
AllModelsOpt = Annotated[
    bool, typer.Option("--all-models", help="Require every --model (papers using both).")
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
RawOpt = Annotated[
    bool, typer.Option("--raw", help="Ignore the review log: rejected claims count too.")
]
VerifiedOnlyOpt = Annotated[
    bool, typer.Option("--verified-only", help="Count only claims a reviewer verified.")
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

_FILTER_OPTIONS: tuple[tuple[str, Any, Any], ...] = (
    ("query", QueryArg, ""),
    ("model", ModelOpt, None),
    ("all_models", AllModelsOpt, False),
    ("mentioned", MentionedOpt, False),
    ("model_origin", OriginOpt, None),
    ("country", CountryOpt, None),
    ("all_countries", AllCountriesOpt, False),
    ("institution", InstitutionOpt, None),
    ("year", YearOpt, None),
    ("venue", VenueOpt, None),
    ("raw", RawOpt, False),
    ("verified_only", VerifiedOnlyOpt, False),
)
"""(parameter, Typer annotation, default) of the filter options, in `--help` order."""


def build_filters(
    query: str = "",
    model: list[str] | None = None,
    all_models: bool = False,
    mentioned: bool = False,
    model_origin: list[str] | None = None,
    country: list[str] | None = None,
    all_countries: bool = False,
    institution: list[str] | None = None,
    year: list[int] | None = None,
    venue: list[str] | None = None,
    raw: bool = False,
    verified_only: bool = False,
) -> Filters:
    """`Filters` from the options as typed; what a name was read as goes to stderr."""
    if raw and verified_only:
        raise PaperscopeError("--raw and --verified-only exclude each other; pick one")
    f = make_filters(
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
        reviews="raw" if raw else "verified" if verified_only else "apply",
    )
    for note in f.notes():  # nothing folded silently: "--model LLaMA-7B → llama (...)"
        typer.echo(f"note: {note}", err=True)
    return f


def with_filters(
    *, query: bool = True, review_modes: bool = True
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Give a command the filter options; it receives them as one ``filters: Filters``.

    With `query` False the full-text query is not offered (commands whose positional
    arguments are something else); with `review_modes` False neither are ``--raw`` and
    ``--verified-only`` (commands about the review log itself). The options follow the
    command's own in `--help`.
    """
    skip = set() if query else {"query"}
    skip |= set() if review_modes else {"raw", "verified_only"}
    wanted = [spec for spec in _FILTER_OPTIONS if spec[0] not in skip]
    names = [name for name, _annotation, _default in wanted]

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        own = inspect.signature(fn, eval_str=True)
        if "filters" not in own.parameters:
            raise TypeError(f"{fn.__name__} must take a `filters` parameter")
        params = [p for p in own.parameters.values() if p.name != "filters"]
        kind = inspect.Parameter.KEYWORD_ONLY
        added = [
            inspect.Parameter(name, kind, default=default, annotation=annotation)
            for name, annotation, default in wanted
        ]
        # Arguments (the query) go first, as Click lists them; options keep their order.
        params = [p.replace(kind=kind) for p in params]
        args = [p for p in added if p.name == "query"]
        options = [p for p in added if p.name != "query"]

        @functools.wraps(fn)
        def wrapper(*a: Any, **kwargs: Any) -> Any:
            given = {name: kwargs.pop(name) for name in names if name in kwargs}
            return fn(*a, filters=build_filters(**given), **kwargs)

        signature = own.replace(parameters=[*args, *params, *options])
        wrapper.__signature__ = signature  # type: ignore[attr-defined]
        wrapper.__annotations__ = {p.name: p.annotation for p in signature.parameters.values()} | {
            "return": own.return_annotation
        }
        return wrapper

    return decorate
