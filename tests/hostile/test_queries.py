"""Every query a user can type ends in a result or one clean error, in bounded time and memory.

The property test generates full-text queries (tantivy syntax and its corners: fields,
phrases with slop, ranges, wildcards, unbalanced quotes and parentheses, odd Unicode)
and filters (known and unknown models, countries, years up to 2**70, limits up to
2**64) and runs them through the query API the CLI and the TUI call. CI runs
`QUERY_EXAMPLES` examples; ``PAPERSCOPE_QUERY_EXAMPLES=10000 pytest
tests/hostile/test_queries.py`` runs a longer search.
"""

from __future__ import annotations

import os
import resource
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.errors import PaperscopeError
from search.filters import make_filters
from search.library import Library
from tests.test_tui import index_dir, make_app, settle, status_text  # noqa: F401 (fixtures)

QUERY_EXAMPLES = int(os.environ.get("PAPERSCOPE_QUERY_EXAMPLES", "150"))
SECONDS_PER_QUERY = 10.0
"""A generous bound on the contended CI machine; queries here take milliseconds."""
MEMORY_GROWTH = 1024**3
"""How much the test process's peak RSS may grow over the whole run."""

WORDS = ["reward", "model", "llama", "agents", "plan", "a", "the", "Qwen2.5", "中文", "ß"]
FIELDS = ["title", "body", "authors", "affiliations", "year", "country", "paper_id", "nofield"]
CHARS = list("\"():*~^+-[]{}!\\/<>=.,'_ ")
SPECIAL = [*CHARS, "AND", "OR", "NOT", "TO", "IN"]

word = st.sampled_from(WORDS) | st.text(min_size=1, max_size=12)
slop = st.integers(min_value=0, max_value=2**40).map(lambda n: f"~{n}")
phrase = st.builds(
    lambda ws, s: '"' + " ".join(ws) + '"' + s,
    st.lists(word, min_size=1, max_size=40),
    st.one_of(st.just(""), slop),
)
field = st.builds(lambda f, w: f"{f}:{w}", st.sampled_from(FIELDS), word | phrase | st.just("*"))
rng = st.builds(
    lambda f, a, b: f"{f}:[{a} TO {b}]",
    st.sampled_from(FIELDS),
    st.integers(-(2**70), 2**70),
    st.integers(-(2**70), 2**70),
)
token = word | phrase | field | rng | st.sampled_from(SPECIAL)
plain = st.sampled_from(WORDS) | phrase | field | rng | st.sampled_from(["AND", "OR", "NOT"])
query = st.one_of(
    st.lists(plain, max_size=12).map(" ".join),
    st.lists(token, max_size=30).map(" ".join),
    st.text(alphabet=st.sampled_from(CHARS + list("abcxyz019")), max_size=300),
    st.text(max_size=1200),
)
filters = st.fixed_dictionaries(
    {
        "query": query,
        "models": st.lists(
            st.sampled_from(["llama", "qwen", "gpt", "Llama-2"]) | st.sampled_from(["nope", ""]),
            max_size=2,
        ),
        "countries": st.lists(
            st.sampled_from(["CN", "US", "China", "hk"]) | st.sampled_from(["ZZ", ""]), max_size=2
        ),
        "years": st.lists(st.integers(1990, 2030) | st.integers(-(2**70), 2**70), max_size=2),
        "mentioned": st.booleans(),
        "all_countries": st.booleans(),
    }
)
sizes = st.integers(-5, 2**64)


@pytest.fixture(scope="module")
def lib(index_dir: Path) -> Library:  # noqa: F811
    return Library(index_dir)


def run_query(lib: Library, spec: dict, limit: int) -> bool:
    """What a CLI command does with what a user typed: results (True) or a `PaperscopeError`.

    The text query runs alone first, so an unknown filter value cannot hide it.
    """
    text_only = {**spec, "models": [], "countries": [], "years": []}
    return _run(lib, text_only, limit) | _run(lib, spec, limit)


def _run(lib: Library, spec: dict, limit: int) -> bool:
    try:
        f = make_filters(
            spec["query"],
            models=spec["models"],
            countries=spec["countries"],
            years=spec["years"],
            mentioned=spec["mentioned"],
            all_countries=spec["all_countries"],
        )
        lib.count(f)
        lib.find(f, limit=limit, snippets=2)
        lib.facets(f, size=limit)
    except PaperscopeError as exc:
        assert str(exc) and "\n" not in str(exc), "an error is one line"
        return False
    return True


def test_generated_queries_end_in_a_result_or_one_line_error(lib: Library) -> None:
    start_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    slowest = [0.0]
    refused = [0, 0]  # examples run, of them refused with an error line (text and filters)

    @settings(
        max_examples=QUERY_EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(spec=filters, limit=sizes)
    def check(spec: dict, limit: int) -> None:
        t0 = time.perf_counter()
        refused[0] += 1
        refused[1] += not run_query(lib, spec, limit)
        took = time.perf_counter() - t0
        slowest[0] = max(slowest[0], took)
        assert took < SECONDS_PER_QUERY, (spec, took)

    check()
    growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - start_peak
    print(
        f"{refused[0]} examples, {refused[1]} ended in an error line, slowest"
        f" {slowest[0]:.2f} s, peak RSS growth {growth / 2**20:.0f} MiB"
    )
    assert growth < MEMORY_GROWTH, f"peak RSS grew by {growth / 2**20:.0f} MiB"


@pytest.mark.parametrize(
    "text",
    [
        "title:*",
        '"a b c d e f g h i j"~100000',
        " ".join(f"w{i}" for i in range(30)),
        "(" * 40 + "a" + ")" * 40,
        "year:[0 TO 99999999999999999999]",
        "x" * 5000,
    ],
)
def test_known_hostile_queries_are_refused_or_answered(lib: Library, text: str) -> None:
    run_query(
        lib,
        {
            "query": text,
            "models": [],
            "countries": [],
            "years": [],
            "mentioned": False,
            "all_countries": False,
        },
        2**31,
    )


@pytest.mark.parametrize("limit", [2**31, 2**63, 0, -1])
def test_find_clamps_any_limit(lib: Library, limit: int) -> None:
    hits = lib.find(make_filters(), limit=limit)
    assert len(hits) == (min(lib.total(), limit) if limit > 0 else 0)


@pytest.mark.anyio
@pytest.mark.parametrize("text", ["title:*", '"reward model"~999999'])
async def test_tui_shows_the_error_of_a_query_tantivy_cannot_run(
    index_dir: Path,  # noqa: F811
    text: str,
) -> None:
    app = make_app(index_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await settle(pilot, screen, 0)
        gen = screen.generation
        await pilot.press(*text, "enter")
        await settle(pilot, screen, gen)
        assert screen.query_one("#query-error").has_class("-visible")
        assert "query error" in status_text(screen)
        assert app.is_running
