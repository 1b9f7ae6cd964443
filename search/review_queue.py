"""The claims behind a question, with the evidence a reviewer judges them by.

A count like "Chinese-affiliated papers that use Llama" rests, for each matching paper,
on the claims that made it match (uses llama; author country CN). `claims_behind` lists
them, `claim_evidence` gives the page-numbered sentences behind each one, and
`review_queue` orders the unreviewed ones for ``search review --next`` and the TUI's
review queue. Headless: the CLI and the TUI only show what this returns.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from search.errors import PaperscopeError
from search.filters import Filters
from search.results import Snippet
from search.reviews import Claim, ReviewStats, check_claim

if TYPE_CHECKING:
    from indexer.records import Paper
    from search.library import Library

VERDICT_KEYS = {"v": "verified", "r": "rejected", "u": "unsure"}
"""Key → verdict, in the CLI walk (`search review --next`) and the TUI review queue."""


@dataclass(frozen=True, slots=True)
class QueueItem:
    """One claim to judge, with its paper and evidence."""

    paper: Paper
    """The paper (record without page text)."""
    claim: Claim
    """The claim."""
    evidence: tuple[Snippet, ...]
    """Page-numbered sentences behind the claim, best first."""


@dataclass(frozen=True, slots=True)
class ReviewQueue:
    """The unreviewed claims behind a question and how far its review has come."""

    items: tuple[QueueItem, ...]
    """Unreviewed claims, paper by paper."""
    stats: ReviewStats
    """Verdicts among all the claims behind the question."""


def paper_values(paper: Paper, kind: str) -> tuple[str, ...]:
    """The values a paper claims for one kind (its index field)."""
    check_claim(kind)
    return {
        "model_used": paper.models_used,
        "model_mentioned": paper.models_mentioned,
        "country": paper.countries,
        "institution": paper.institutions,
    }[kind]


def check_paper_claim(paper: Paper, claim: Claim) -> None:
    """Raise a one-line error when the index does not make `claim` about `paper`."""
    values = paper_values(paper, claim.kind)
    if claim.value not in values:
        have = ", ".join(values) or "none"
        raise PaperscopeError(
            f"{paper.file} has no {claim.kind} claim {claim.value!r} (it has: {have})"
        )


def claim_evidence(paper: Paper, claim: Claim, n: int = 3) -> tuple[Snippet, ...]:
    """The sentences behind a claim: model mentions, or the affiliation lines (page 1)."""
    if claim.kind in ("model_used", "model_mentioned"):
        out = []
        for usage in paper.usages:
            if usage.model_id != claim.value:
                continue
            for m in usage.evidence[:n]:
                text = " ".join(m.sentence.split())
                start = text.find(m.surface)
                spans = ((start, start + len(m.surface)),) if start >= 0 else ()
                out.append(Snippet(m.page, text, spans, source=f"model:{usage.model_id}"))
        return tuple(out)
    out = []
    for aff in paper.affiliations:
        value = aff.country if claim.kind == "country" else aff.institution
        if value != claim.value:
            continue
        text = " ".join(aff.text.split())
        line = f"{text} → {aff.institution or '?'} → {aff.country or '?'} ({aff.evidence})"
        out.append(Snippet(1, line, ((0, len(text)),), source=f"{claim.kind}:{claim.value}"))
    return tuple(out[:n])


def claims_behind(library: Library, filters: Filters) -> Iterator[tuple[Paper, Claim]]:
    """Each matching paper (the log ignored) with each claim it matches the filters by."""
    terms = library.claim_fields(filters)
    if not terms:
        raise PaperscopeError(
            "no claims to review: add --model, --model-origin, --country or --institution"
            " (e.g. `search review --next --model llama --country CN`)"
        )
    for paper in library.records(replace(filters, reviews="raw")):
        for kind, value in terms:
            if value in paper_values(paper, kind):
                yield paper, Claim(paper.id, kind, value)


def review_queue(library: Library, filters: Filters) -> ReviewQueue:
    """The unreviewed claims behind `filters`, with evidence, and the review progress."""
    log = library.review_log()
    judged = log.latest() if log is not None else {}
    items = tuple(
        QueueItem(paper, claim, claim_evidence(paper, claim))
        for paper, claim in claims_behind(library, filters)
        if claim not in judged
    )
    return ReviewQueue(items, library.review_stats(filters))


def review_mark(counts: dict[str, int]) -> str:
    """A paper's verdicts in a few characters: ``✓2 ✗1 ?1``, empty when none."""
    signs = (("verified", "✓"), ("rejected", "✗"), ("unsure", "?"))
    return " ".join(f"{sign}{counts[v]}" for v, sign in signs if counts.get(v))


def review_marks(library: Library, paper_ids: list[str]) -> dict[str, str]:
    """`review_mark` of each paper that has verdicts (empty without a review log)."""
    log = library.review_log()
    if log is None:
        return {}
    per: dict[str, dict[str, int]] = {}
    wanted = set(paper_ids)
    for claim, verdict in log.latest().items():
        if claim.paper_id in wanted:
            counts = per.setdefault(claim.paper_id, {})
            counts[verdict.verdict] = counts.get(verdict.verdict, 0) + 1
    return {pid: review_mark(c) for pid, c in per.items()}
