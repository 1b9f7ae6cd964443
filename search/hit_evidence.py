"""The passages a hit is shown with, beyond the model sentences: country evidence, and
full-text passages that are not page furniture.

A reviewer judging "this paper has a Chinese author" needs the affiliation line that
says so, whether or not the question also named a model; and a full-text passage that
is the paper's running title or a "Published as a conference paper at ICLR 2024" footer
shows nothing. Both rules live here so `Library` only asks for them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from indexer.evidence import is_running_text
from search.results import Snippet

COUNTRY_SOURCE = "country:"
"""Prefix of `Snippet.source` for country evidence: ``country:CN``."""


def country_snippets(
    affiliations: Iterable[dict[str, Any]], countries: Sequence[str]
) -> list[Snippet]:
    """One snippet per wanted country the paper has: the affiliation line that gives it.

    ``affiliations`` are `Affiliation` records as stored (dicts). The text reads
    ``<affiliation as printed> (<evidence>)``; the printed place, e-mail domain or
    institution the evidence names is highlighted where the line shows it, else the line.
    """
    by_country: dict[str, dict[str, Any]] = {}
    for aff in affiliations:
        cc = aff.get("country")
        if cc in countries and (cc not in by_country or _better(aff, by_country[cc])):
            by_country[cc] = aff
    out = []
    for cc in countries:
        if (aff := by_country.get(cc)) is None:
            continue
        line = " ".join(str(aff.get("text", "")).split())
        evidence = str(aff.get("evidence", ""))
        text = f"{line} ({evidence})" if evidence else line
        out.append(Snippet(1, text, (_highlight(line, evidence),), f"{COUNTRY_SOURCE}{cc}"))
    return out


def _better(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Printed places and e-mail domains are easier to check than a gazetteer look-up."""
    return _strength(a) > _strength(b)


def _strength(aff: dict[str, Any]) -> int:
    evidence = str(aff.get("evidence", ""))
    return 2 if evidence.startswith("printed") else 1 if evidence.startswith("email") else 0


def _highlight(line: str, evidence: str) -> tuple[int, int]:
    """The part of ``line`` the evidence points at ("printed: China" → "China")."""
    detail = evidence.split(": ", 1)[1] if ": " in evidence else ""
    detail = detail.split(" (", 1)[0].strip()
    at = line.lower().find(detail.lower()) if detail else -1
    if at >= 0:
        return at, at + len(detail)
    return 0, len(line)


def without_running_lines(
    fragment: str, highlights: Sequence[tuple[int, int]], known: Sequence[str]
) -> tuple[str, tuple[tuple[int, int], ...]]:
    """A full-text fragment with its page-furniture lines cut out (a running header or
    footer of the paper, a venue line, an arXiv stamp, a page number), highlights moved
    along; ``("", ())`` when every highlighted word sat on such a line."""
    kept: list[tuple[int, int]] = []  # (start, end) of the lines kept
    lines = fragment.split("\n")
    pos = 0
    for i, line in enumerate(lines):
        end = pos + len(line)
        cut = "start" if i == 0 else "end" if i == len(lines) - 1 else ""
        if not is_running_text(line, known, cut=cut):
            kept.append((pos, end))
        pos = end + 1
    if len(kept) == fragment.count("\n") + 1:
        return fragment, tuple(highlights)
    out: list[str] = []
    shift: list[tuple[int, int, int]] = []  # (start, end, new start) of each kept line
    at = 0
    for start, end in kept:
        shift.append((start, end, at))
        out.append(fragment[start:end])
        at += end - start + 1
    moved = tuple(
        (new + hs - start, new + he - start)
        for hs, he in highlights
        for start, end, new in shift
        if start <= hs and he <= end
    )
    if not moved:
        return "", ()
    return "\n".join(out), moved
