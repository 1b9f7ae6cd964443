"""Venue and year from what page 1 prints.

Camera-ready templates print their venue in a footer or header ("38th Conference
on Neural Information Processing Systems (NeurIPS 2024)", "Published as a
conference paper at ICLR 2024", "Proceedings of the 41st International
Conference on Machine Learning"); arXiv stamps give a year when nothing else
does. Only printed evidence is used: a preprint stays without a venue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_YEAR = r"(20\d\d)"
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\((NeurIPS|NIPS)\s*" + _YEAR + r"\)"), "NeurIPS"),
    (re.compile(r"Neural Information Processing Systems\s*\(?(?:NeurIPS)?\s*" + _YEAR), "NeurIPS"),
    (re.compile(r"conference paper at (ICLR|ICML|COLM|CVPR|ACL|EMNLP|NAACL)\s*" + _YEAR), ""),
    (
        re.compile(
            r"International Conference on Machine\s+Learning,.*?(?:PMLR \d+, )?" + _YEAR, re.S
        ),
        "ICML",
    ),
    (
        re.compile(
            r"Proceedings of the \d+\s*(?:st|nd|rd|th)?\s+International Conference on"
            r"\s+Machine\s+Learning",
            re.S,
        ),
        "ICML",
    ),
    (
        re.compile(
            r"\b(CVPR|ICCV|ECCV|AAAI|IJCAI|KDD|WWW|SIGIR|ACL|EMNLP|NAACL|COLING)\s*(?:'|’)?"
            + _YEAR
            + r"\b"
        ),
        "",
    ),
)
_ICML_YEAR = {"40": 2023, "41": 2024, "42": 2025, "43": 2026}
_ARXIV_ID = re.compile(r"arXiv:(\d\d)(\d\d)\.\d{4,5}")
_ARXIV_DATE = re.compile(r"arXiv:\S+\s+\[[^\]]+\]\s+\d{1,2}\s+\w{3}\s+" + _YEAR)


@dataclass(frozen=True, slots=True)
class Venue:
    """Where and when a paper appeared, as far as page 1 says."""

    name: str | None
    """Short venue name ("NeurIPS"), None for preprints."""
    year: int | None
    """Year of the venue, else of the arXiv stamp."""


def detect_venue(first_page: str) -> Venue:
    """Venue and year printed on page 1 (footer, header or arXiv stamp)."""
    head = first_page[:6000]
    for pattern, fixed in _PATTERNS[:4]:
        if m := pattern.search(head):
            groups = [g for g in m.groups() if g]
            name = fixed or groups[0]
            return Venue(name=name.replace("NIPS", "NeurIPS"), year=int(groups[-1]))
    if m := _PATTERNS[4][0].search(head):
        edition = re.search(r"Proceedings of the (\d+)", m.group(0))
        return Venue(name="ICML", year=_ICML_YEAR.get(edition.group(1)) if edition else None)
    if m := _PATTERNS[5][0].search(head[:1500]):
        return Venue(name=m.group(1), year=int(m.group(2)))
    return Venue(name=None, year=_arxiv_year(head))


def _arxiv_year(text: str) -> int | None:
    if m := _ARXIV_DATE.search(text):
        return int(m.group(1))
    if m := _ARXIV_ID.search(text):
        return 2000 + int(m.group(1))
    return None
