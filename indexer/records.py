"""Record types the indexer produces and the query layer reads back.

One frozen dataclass per domain idea, so the extraction stages, the index and the
tests all speak the same vocabulary. Everything here is plain data: it pickles
across worker processes and round-trips through JSON (``to_dict``/``from_dict``).
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

SectionKind = Literal[
    "front",  # title, authors, affiliations, abstract
    "body",  # introduction, method, experiments, conclusion
    "related",  # related work / background
    "references",  # bibliography
    "appendix",  # supplementary material (often after the references)
]
"""Coarse section classes a mention can fall in."""

Usage = Literal["used", "mentioned"]
"""`used`: the paper's own experiments run, fine-tune, build on or evaluate the model.
`mentioned`: named only (related work, references, background)."""


@dataclass(frozen=True, slots=True)
class PageText:
    """Clean text of one PDF page."""

    number: int
    """1-based page number as a reader would cite it."""
    text: str
    """Text in reading order, ligatures expanded, end-of-line hyphenation joined."""


@dataclass(frozen=True, slots=True)
class SectionSpan:
    """A contiguous run of the paper that belongs to one section class."""

    kind: SectionKind
    """Coarse class of the section."""
    heading: str
    """Heading as printed ("2 Related Work"), empty for the front matter."""
    page: int
    """1-based page where the span starts."""
    start: int
    """Character offset in that page's text where the span starts."""


@dataclass(frozen=True, slots=True)
class Affiliation:
    """One printed affiliation string resolved to an institution and a country."""

    text: str
    """The affiliation as printed (one institution's part of it)."""
    institution: str | None
    """Normalized institution name from the gazetteer, None when unknown."""
    country: str | None
    """ISO 3166-1 alpha-2 code (HK, TW, MO apart from CN); None when it cannot be known."""
    evidence: str
    """What decided the country ("gazetteer: Tsinghua University", "printed: China")."""
    marker: str = ""
    """Superscript / footnote marker linking it to authors ("1", "†"), empty when none."""
    ror: str | None = None
    """ROR id of the institution ("https://ror.org/03cve4549"), None when unknown."""


@dataclass(frozen=True, slots=True)
class Author:
    """An author as printed in the byline, with the affiliations linked to them."""

    name: str
    """Name as printed, markers removed."""
    affiliations: tuple[int, ...] = ()
    """Indexes into `Paper.affiliations`."""
    email: str = ""
    """E-mail address when one is printed for this author."""


@dataclass(frozen=True, slots=True)
class ModelMention:
    """One occurrence of a catalogued model name in the text."""

    model_id: str
    """Catalog id the surface form folds into (``llama`` for "Llama-2-7B-chat")."""
    surface: str
    """The text as printed."""
    page: int
    """1-based page number."""
    section: SectionKind
    """Section class the mention falls in."""
    sentence: str
    """The sentence around the mention, for evidence."""
    in_table: bool = False
    """True when the mention sits in a table or figure caption/row."""
    cue: str = ""
    """The usage cue found in the sentence ("we fine-tune"), empty when none."""
    version: str = ""
    """Normalized version id under the family ("gpt/4o", "llama/3.1"), empty when the
    mention names only the family."""


@dataclass(frozen=True, slots=True)
class ModelUsage:
    """The per-paper verdict for one model."""

    model_id: str
    """Catalog id."""
    usage: Usage
    """`used` or `mentioned`."""
    reason: str
    """Short human-readable reason for the verdict."""
    evidence: tuple[ModelMention, ...] = ()
    """The mentions that decided it, best first (at most a handful)."""
    mentions: int = 0
    """How many times the model is named in the paper."""
    versions: tuple[str, ...] = ()
    """Version ids named anywhere in the paper ("gpt/4o"), sorted."""
    versions_used: tuple[str, ...] = ()
    """Version ids the paper uses (a subset of `versions`), sorted."""


@dataclass(frozen=True, slots=True)
class Paper:
    """Everything the indexer extracted from one PDF."""

    id: str
    """Stable id: hash of the file's bytes."""
    file: str
    """File name (join key with labels)."""
    path: str
    """Absolute path at indexing time."""
    title: str
    """Title as printed."""
    pages: tuple[PageText, ...]
    """Page texts."""
    authors: tuple[Author, ...] = ()
    """Authors in byline order."""
    affiliations: tuple[Affiliation, ...] = ()
    """Distinct printed affiliations."""
    sections: tuple[SectionSpan, ...] = ()
    """Section spans in reading order."""
    usages: tuple[ModelUsage, ...] = ()
    """One verdict per model named in the paper."""
    venue: str | None = None
    """Venue printed on the paper ("NeurIPS 2024") or given by the user."""
    year: int | None = None
    """Publication year when known."""
    file_size: int = 0
    """Size in bytes, for incremental re-indexing."""
    file_mtime: float = 0.0
    """Modification time, for incremental re-indexing."""
    meta: dict[str, Any] = field(default_factory=dict)
    """Free-form extraction diagnostics (timings, warnings)."""
    page_count: int = 0
    """Number of pages, kept when `pages` is dropped (records read back from the index)."""
    openreview_id: str | None = None
    """OpenReview forum id when the paper came with a fetch sidecar."""

    @property
    def countries(self) -> tuple[str, ...]:
        """Sorted distinct countries of the affiliations."""
        return tuple(sorted({a.country for a in self.affiliations if a.country}))

    @property
    def institutions(self) -> tuple[str, ...]:
        """Sorted distinct normalized institutions."""
        return tuple(sorted({a.institution for a in self.affiliations if a.institution}))

    @property
    def models_used(self) -> tuple[str, ...]:
        """Sorted ids of models the paper uses."""
        return tuple(sorted(u.model_id for u in self.usages if u.usage == "used"))

    @property
    def models_mentioned(self) -> tuple[str, ...]:
        """Sorted ids of every model named (used or not)."""
        return tuple(sorted(u.model_id for u in self.usages))

    @property
    def model_versions_used(self) -> tuple[str, ...]:
        """Sorted version ids ("gpt/4o") of the models the paper uses."""
        return tuple(sorted({v for u in self.usages if u.usage == "used" for v in u.versions_used}))

    @property
    def model_versions_mentioned(self) -> tuple[str, ...]:
        """Sorted version ids named anywhere (used or not)."""
        return tuple(sorted({v for u in self.usages for v in u.versions}))

    @property
    def rors(self) -> tuple[str, ...]:
        """Sorted distinct ROR ids of the affiliations."""
        return tuple(sorted({a.ror for a in self.affiliations if a.ror}))

    @property
    def n_pages(self) -> int:
        """Number of pages."""
        return self.page_count or len(self.pages)


def display_path(path: os.PathLike[str] | str) -> str:
    """A path as the text a record holds (`Paper.file`, `Paper.path`) and the index is
    keyed by: bytes that are not UTF-8 shown as ``\\xe9``."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def to_dict(obj: Any) -> dict[str, Any]:
    """A record as plain JSON-ready data."""
    return asdict(obj)


def paper_from_dict(d: dict[str, Any]) -> Paper:
    """Rebuild a `Paper` from `to_dict` output (pages may be absent)."""
    return Paper(
        id=d["id"],
        file=d["file"],
        path=d["path"],
        title=d["title"],
        pages=tuple(PageText(**p) for p in d.get("pages", ())),
        authors=tuple(
            Author(name=a["name"], affiliations=tuple(a["affiliations"]), email=a.get("email", ""))
            for a in d.get("authors", ())
        ),
        affiliations=tuple(Affiliation(**a) for a in d.get("affiliations", ())),
        sections=tuple(SectionSpan(**s) for s in d.get("sections", ())),
        usages=tuple(
            ModelUsage(
                model_id=u["model_id"],
                usage=u["usage"],
                reason=u["reason"],
                evidence=tuple(ModelMention(**m) for m in u.get("evidence", ())),
                mentions=u.get("mentions", 0),
                versions=tuple(u.get("versions", ())),
                versions_used=tuple(u.get("versions_used", ())),
            )
            for u in d.get("usages", ())
        ),
        venue=d.get("venue"),
        year=d.get("year"),
        file_size=d.get("file_size", 0),
        file_mtime=d.get("file_mtime", 0.0),
        meta=d.get("meta", {}),
        page_count=d.get("page_count", 0),
        openreview_id=d.get("openreview_id"),
    )
