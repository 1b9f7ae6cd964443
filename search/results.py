"""Result records of the query layer: what `Library` returns to the CLI, the TUI and scripts."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Snippet:
    """A passage of a paper that shows why it matched."""

    page: int
    """1-based page number."""
    text: str
    """The passage."""
    highlights: tuple[tuple[int, int], ...] = ()
    """(start, end) character ranges of `text` to highlight."""
    source: str = "text"
    """`text` (full-text match), `model:<id>` (model evidence sentence) or `country:<CC>`
    (the affiliation line that gives the paper that country)."""

    def marked(self, left: str = "[", right: str = "]") -> str:
        """The text with highlights wrapped in `left`/`right`."""
        out, pos = [], 0
        for start, end in self.highlights:
            out += [self.text[pos:start], left, self.text[start:end], right]
            pos = end
        out.append(self.text[pos:])
        return "".join(out)


@dataclass(frozen=True, slots=True)
class Hit:
    """One matching paper with its facets and best snippets."""

    paper_id: str
    """Stable content-hash id."""
    file: str
    """PDF file name."""
    title: str
    """Title as printed."""
    countries: tuple[str, ...]
    """Affiliation countries."""
    institutions: tuple[str, ...]
    """Normalized institutions."""
    models_used: tuple[str, ...]
    """Model ids the paper uses."""
    models_mentioned: tuple[str, ...]
    """Model ids named anywhere (used or not)."""
    year: int | None
    """Year when known."""
    venue: str | None
    """Venue when known."""
    score: float
    """Relevance score (0 when no text query)."""
    snippets: tuple[Snippet, ...] = ()
    """Best passages, best first."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return asdict(self)


@dataclass(frozen=True, slots=True)
class FacetCount:
    """Papers per value of one facet."""

    field: str
    """Facet name: country, institution, model_used, model_mentioned, venue, year."""
    value: str
    """Facet value."""
    count: int
    """Matching papers with that value."""


@dataclass(frozen=True, slots=True)
class Score:
    """Precision / recall / F1 over (paper, value) pairs."""

    tp: int
    """True positives."""
    fp: int
    """False positives."""
    fn: int
    """False negatives."""

    @property
    def precision(self) -> float:
        """tp / (tp + fp); 1.0 when nothing was predicted."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """tp / (tp + fn); 1.0 when nothing was expected."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, float | int]:
        """JSON-ready form, rounded to 4 digits."""
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


@dataclass(frozen=True, slots=True)
class Disagreement:
    """One (paper, value) where the index and the labels differ."""

    file: str
    """PDF file name."""
    metric: str
    """countries, models_used or models_any."""
    value: str
    """The country or model id."""
    kind: str
    """`extra` (index has it, labels do not) or `missing` (labels have it, index does not)."""
    evidence: str = ""
    """What the index holds for it (affiliation or deciding sentence), when any."""
