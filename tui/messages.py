"""Events the widgets and screens of the TUI tell each other about, as dataclasses.

Widgets post these instead of reaching into each other, so a widget can be tested
alone and the screen decides what an event means (usually: run the query again).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from textual.message import Message

from search.filters import Filters
from search.results import FacetCount, Hit


@dataclass
class SearchSubmitted(Message):
    """The query text was submitted (Enter) or settled after typing (debounced)."""

    query: str
    """The full-text query as typed."""


@dataclass
class FacetToggled(Message):
    """A facet value was selected or deselected."""

    facet: str
    """Facet name (``country``, ``model``, ``model_origin``, ...)."""
    value: str
    """The value toggled."""


@dataclass
class FacetModeToggled(Message):
    """A facet's mode switch was flipped (countries any/all, models used/any mention)."""

    facet: str
    """``country`` or ``model``."""


@dataclass
class ResultsLoaded(Message):
    """A query finished: counts, facets and the first hits for one state of the filters."""

    filters: Filters
    """The filters the results are for."""
    total: int
    """Matching papers."""
    hits: list[Hit]
    """The best hits, at most the table limit."""
    facets: dict[str, list[FacetCount]]
    """Counts per facet value (see `search.browse.facet_counts`)."""
    seconds: float
    """Time the query layer took."""
    marks: dict[str, str] = field(default_factory=dict)
    """Review state of the hits that have verdicts (paper id → ``✓2 ✗1``)."""


@dataclass
class QueryFailed(Message):
    """A query could not run (bad syntax, unknown value); the text says why."""

    filters: Filters
    """The filters that failed."""
    error: str
    """One-line reason to show the user."""


@dataclass
class PaperSelected(Message):
    """A paper was chosen in the results (to open its evidence view)."""

    paper_id: str
    """Id of the paper."""
