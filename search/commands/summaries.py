"""One-line summaries of the `search` commands, as `search --help` lists them.

Click cuts a command's docstring to its first ~45 characters for the command list, which
left half the lines ending in "..."; these lines are written to be read whole. A test
checks that every command has one and that none is cut.
"""

from __future__ import annotations

from typing import Final

SUMMARIES: Final = {
    "index": "Index PDFs into the index folder (parallel, resumable).",
    "count": "Number of matching papers (--format json for scripts).",
    "papers": "Matching papers with countries, models and evidence.",
    "show": "One paper: affiliations → countries, models with evidence.",
    "facets": "Papers per country, institution, model, year, venue.",
    "eval": "Precision and recall of the index against a labels file.",
    "demo": "A sample corpus, indexed, with the headline answers.",
    "institutions": "Institutions by papers (--unresolved: unplaced ones).",
    "tui": "Terminal UI: query bar, live facets, results, evidence.",
    "table": "Papers by year / country / model / collaboration … (--by).",
    "adoption": "Models or origins × author countries; cross-border marked.",
    "fetch": "Download a venue's accepted papers with their metadata.",
    "review": "Verify or reject one claim, or walk a question's claims.",
    "reviews": "List the verdicts; export / import a review log.",
    "report": "Write a shareable HTML or Markdown report with charts.",
    "models": "The model catalog: families, versions, origin, counts.",
    "stats": "What the index holds and how complete it is.",
    "remove": "Drop papers from the index.",
    "resolve": "Affiliation text → institution, ROR id, country.",
}
"""Command name → its line in `search --help`."""
