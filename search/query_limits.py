"""Bounds on what one query may ask of the index, checked before tantivy sees it.

Tantivy executes whatever parses: a phrase of ten words with slop 100,000, or thirty
words with slop 1,000, passed 8 GB in under 30 s; ``--limit 2147483648`` aborts the
process inside Rust (the top-k heap is allocated up front); a year beyond 64 bits or a
1,000-character id prefix ends in a bare ``ValueError``. Each bound here is far above
what an analyst types and far below what hurts, and a query past one is refused with
one line that names the bound.
"""

from __future__ import annotations

import re

from search.errors import QuerySyntaxError

MAX_QUERY_CHARS = 1_000
"""Characters in a full-text query."""
MAX_TERMS = 64
"""Words in a full-text query (tantivy splits "a-b" into two)."""
MAX_SLOP = 20
"""Largest phrase slop (``"reward model"~20``: words up to 20 positions apart)."""
MAX_DEPTH = 16
"""Deepest nesting of parentheses."""
MAX_RESULTS = 10_000
"""Most papers one listing (``--limit``) or facet (``--top``) returns."""
MAX_YEAR = 9_999
"""Years are four digits (and must fit tantivy's 64-bit integers)."""
MAX_KEY_CHARS = 1_024
"""Longest paper key (`search show`): ids are 16 characters, file names at most 255 bytes."""

_SLOP = re.compile(r'"\s*~\s*(\d+)')
_WORD = re.compile(r"[^\W_]+")


def check_query(text: str) -> None:
    """Raise `QuerySyntaxError` when `text` is past one of the bounds above."""
    if len(text) > MAX_QUERY_CHARS:
        raise QuerySyntaxError(
            f"query is {len(text):,} characters long; the limit is {MAX_QUERY_CHARS:,}"
        )
    if "\x00" in text:
        raise QuerySyntaxError("query contains a NUL character")
    words = len(_WORD.findall(text))
    if words > MAX_TERMS:
        raise QuerySyntaxError(f"query has {words} words; the limit is {MAX_TERMS}")
    for m in _SLOP.finditer(text):
        if len(m.group(1)) > 6 or int(m.group(1)) > MAX_SLOP:
            raise QuerySyntaxError(
                f"phrase slop ~{m.group(1)} is above the limit of {MAX_SLOP}"
                f' (use "..."~{MAX_SLOP} or less)'
            )
    depth = deepest = 0
    for ch in text:
        if ch == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif ch == ")":
            depth = max(0, depth - 1)
    if deepest > MAX_DEPTH:
        raise QuerySyntaxError(f"query nests parentheses {deepest} deep; the limit is {MAX_DEPTH}")


def check_year(year: int) -> int:
    """`year` if it is a plausible year, else a one-line error."""
    if not 0 < year <= MAX_YEAR:
        raise QuerySyntaxError(f"year {year} is out of range (1 to {MAX_YEAR})")
    return year


def check_count(value: int, option: str) -> int:
    """A result count (`--limit`, `--top`) between 1 and `MAX_RESULTS`, else one line."""
    if value < 1:
        raise QuerySyntaxError(f"{option} {value}: give at least 1")
    if value > MAX_RESULTS:
        raise QuerySyntaxError(f"{option} {value} is above the limit of {MAX_RESULTS:,}")
    return value
