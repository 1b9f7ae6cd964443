"""Institution statistics of an index, and the affiliation strings nobody could place.

"Unknowns are reported, not guessed": an affiliation that the gazetteer does not
know and that prints no location keeps ``country=None`` in the index;
`institution_counts(..., unresolved=True)` lists those strings with the number of
papers carrying them, so a user can extend the gazetteer file.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from search.library import Library


@dataclass(frozen=True, slots=True)
class InstitutionCount:
    """Papers per institution (or per unresolved affiliation string)."""

    name: str
    """Normalized institution, or the affiliation as printed when unresolved."""
    country: str | None
    """Country, None when unresolved."""
    papers: int
    """Papers carrying it."""
    ror: str | None = None
    """ROR id of the institution ("https://ror.org/03cve4549"), None when unknown."""


def institution_counts(library: Library, *, unresolved: bool = False) -> list[InstitutionCount]:
    """Institutions by paper count; with `unresolved`, affiliation strings without a country."""
    counts: Counter[tuple[str, str | None]] = Counter()
    rors: dict[tuple[str, str | None], str] = {}
    for paper in library.records():
        seen: set[tuple[str, str | None]] = set()
        for aff in paper.affiliations:
            if unresolved:
                if aff.country is None:
                    seen.add((" ".join(aff.text.split()), None))
            elif aff.institution:
                seen.add((aff.institution, aff.country))
                if aff.ror:
                    rors.setdefault((aff.institution, aff.country), aff.ror)
        counts.update(seen)
    return [
        InstitutionCount(name, country, n, rors.get((name, country)))
        for (name, country), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][0]))
    ]
