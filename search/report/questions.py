"""The questions a report answers: the published analysis built in, others from a TOML file.

A question is a set of filters (the same ones `search count` takes) and, optionally, the
population its share is of. The built-in set is the published analysis: US–China
collaborations per year; the transformer and Llama among Chinese-affiliated papers; Qwen
among US papers; and the model origin × author country matrix.

TOML format (``search report questions.toml``)::

    [[question]]
    title = "Chinese-affiliated papers that fine-tune Mistral"   # required
    models = ["mistral"]          # any of the filter keys below; all optional
    countries = ["CN"]
    # mentioned = true            # count any mention, not only use
    # model_origins = ["CN"]      # models developed in these countries
    # all_countries = true        # require every listed country (collaborations)
    # institutions = ["Tsinghua"], years = [2025], venues = ["NeurIPS"], query = '"reward model"'
    note = "free text shown under the title"                    # optional

    [question.denominator]        # optional: the population the share is of
    countries = ["CN"]            # (default: the question without its model filters and
                                  #  query; when nothing is left out, every paper)

    [[question]]
    title = "Who builds on whose models"
    matrix = "model_origin x country"    # a heat map: model origin × author country

Names and aliases are resolved like the CLI's (``Llama-2`` is ``llama``, ``China`` is
``CN``); an unknown key or value is one error naming the file and the question.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Final

from search.errors import PaperscopeError
from search.filters import Filters, make_filters

MATRIX_KINDS: Final = ("model_origin x country",)
"""Matrix questions the report knows how to draw."""
_FILTER_KEYS: Final = (
    "query",
    "models",
    "mentioned",
    "model_origins",
    "countries",
    "all_countries",
    "institutions",
    "years",
    "venues",
)


@dataclass(frozen=True, slots=True)
class Question:
    """One section of a report."""

    title: str
    """Heading, as a reader would ask it."""
    filters: Filters = field(default_factory=Filters)
    """What is counted (before the report's own filters are added)."""
    denominator: Filters | None = None
    """The population the share is of; None: derived (see the module docstring)."""
    matrix: str = ""
    """Empty for a count question, else one of `MATRIX_KINDS`."""
    note: str = ""
    """Free text shown under the title."""


def builtin_questions() -> list[Question]:
    """The published analysis."""
    cn, us = make_filters(countries=["CN"]), make_filters(countries=["US"])
    return [
        Question(
            "US–China collaborations",
            make_filters(countries=["US", "CN"], all_countries=True),
            note="Papers with at least one US and one Chinese (mainland) affiliation.",
        ),
        Question(
            "Chinese-affiliated papers that use the transformer",
            make_filters(models=["transformer"], countries=["CN"]),
            cn,
        ),
        Question(
            "Chinese-affiliated papers that use Llama",
            make_filters(models=["llama"], countries=["CN"]),
            cn,
        ),
        Question("US papers that use Qwen", make_filters(models=["qwen"], countries=["US"]), us),
        Question(
            "Model origin × author country",
            matrix="model_origin x country",
            note="Papers using models developed in a country (rows), by author country.",
        ),
    ]


def load_questions(path: Path) -> list[Question]:
    """Questions from a TOML file (format in the module docstring)."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise PaperscopeError(f"cannot read {path}: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise PaperscopeError(f"{path}: not valid TOML ({exc})") from None
    unknown = set(data) - {"question"}
    if unknown:
        raise PaperscopeError(f"{path}: unknown table {sorted(unknown)[0]!r}; use [[question]]")
    items = data.get("question", [])
    if not isinstance(items, list) or not items:
        raise PaperscopeError(f"{path}: no [[question]] tables")
    return [_question(path, n, item) for n, item in enumerate(items, 1)]


def _question(path: Path, n: int, item: Any) -> Question:
    where = f"{path}: question {n}"
    if not isinstance(item, dict) or not str(item.get("title", "")).strip():
        raise PaperscopeError(f"{where} has no title")
    where = f"{path}: question {n} ({item['title']!r})"
    allowed = {*_FILTER_KEYS, "title", "note", "denominator", "matrix"}
    if extra := set(item) - allowed:
        raise PaperscopeError(f"{where}: unknown key {sorted(extra)[0]!r}")
    matrix = str(item.get("matrix", ""))
    if matrix and matrix not in MATRIX_KINDS:
        raise PaperscopeError(f"{where}: matrix must be one of {', '.join(MATRIX_KINDS)}")
    den = item.get("denominator")
    return Question(
        title=str(item["title"]).strip(),
        filters=_filters(where, item),
        denominator=_filters(f"{where} denominator", den) if den is not None else None,
        matrix=matrix,
        note=str(item.get("note", "")),
    )


def _filters(where: str, table: Any) -> Filters:
    if not isinstance(table, dict):
        raise PaperscopeError(f"{where}: expected a table of filters")
    kwargs = {k: v for k, v in table.items() if k in _FILTER_KEYS}
    if extra := set(table) - {*_FILTER_KEYS, "title", "note", "denominator", "matrix"}:
        raise PaperscopeError(f"{where}: unknown key {sorted(extra)[0]!r}")
    for key, value in kwargs.items():
        flag = key in ("mentioned", "all_countries")
        if flag and not isinstance(value, bool):
            raise PaperscopeError(f"{where}: {key} must be true or false")
        if key == "query" and not isinstance(value, str):
            raise PaperscopeError(f"{where}: query must be a string")
        if not flag and key != "query" and not isinstance(value, list):
            raise PaperscopeError(f"{where}: {key} must be a list, e.g. {key} = [...]")
    try:
        return make_filters(**kwargs)
    except PaperscopeError as exc:
        raise PaperscopeError(f"{where}: {exc}") from None


def scoped(question: Filters, scope: Filters) -> Filters:
    """A question's filters within the report's scope: the scope fills what it leaves empty."""
    out = question
    for f in fields(Filters):
        mine = getattr(question, f.name)
        if f.name in ("mentioned", "all_countries"):
            continue
        if f.name == "reviews":
            out = replace(out, reviews=scope.reviews)
        elif not mine and getattr(scope, f.name):
            out = replace(out, **{f.name: getattr(scope, f.name)})
            if f.name in ("models", "model_origins"):
                out = replace(out, mentioned=scope.mentioned)
            if f.name == "countries":
                out = replace(out, all_countries=scope.all_countries)
    return out


def population(question: Question, scope: Filters) -> Filters:
    """The filters of a question's denominator within the scope."""
    if question.denominator is not None:
        return scoped(question.denominator, scope)
    q = question.filters
    base = replace(q, query="", models=(), model_origins=(), mentioned=False)
    if base == q:
        return scope
    return scoped(base, scope)
