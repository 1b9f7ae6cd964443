"""Metadata sidecars: ``X.json`` next to ``X.pdf`` says what the venue says.

A PDF often does not print its venue or year (on the shared real corpus only 10 of
60 print a venue and 22 no year), and its title and author names come out of layout
heuristics. A venue's own listing knows them for sure. `search fetch` writes that
listing record next to each PDF it downloads; `extract_paper` reads it and lets its
venue, year, title and authors win over what the PDF prints, recording in
``Paper.meta["metadata_source"]`` which source decided each field. Values the user
passes to ``search index --venue/--year`` still win over both.

Authors from a sidecar keep the affiliations the PDF links to them: a printed author
whose name matches a listed one (same words after case and accent folding, or same
surname and first initial) lends its affiliation indexes. Countries come from the
printed affiliations either way.

Incremental re-indexing compares a PDF's size and mtime, and a known content hash
is not extracted again: a sidecar added or edited *after* its PDF was indexed is
read by ``search index DIR --rebuild``. (`search fetch` writes the sidecar right
after the PDF, so fetch → index needs nothing special.)

The format is defined here once; `search.fetch` writes it, the indexer reads it.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from indexer.records import Author, Paper

SIDECAR_FORMAT = "paperscope-sidecar/1"


@dataclass(frozen=True, slots=True)
class Sidecar:
    """A paper's record as its venue lists it (one JSON file next to the PDF)."""

    id: str
    """Id the files are named by (the OpenReview note id, or a proceedings hash)."""
    title: str = ""
    """Title as listed."""
    authors: tuple[str, ...] = ()
    """Author names in listed order."""
    author_ids: tuple[str | None, ...] = ()
    """OpenReview profile ids ("~Jane_Doe1") per author; None where none is public."""
    venue: str | None = None
    """Short venue name as the index stores it ("NeurIPS")."""
    year: int | None = None
    """Year of the venue."""
    venue_label: str | None = None
    """Venue as the source prints it ("NeurIPS 2025 oral")."""
    venue_id: str | None = None
    """Source venue id ("NeurIPS.cc/2025/Conference")."""
    decision: str | None = None
    """Decision / presentation type ("oral", "spotlight", "poster"), when listed."""
    track: str | None = None
    """Track ("main", "Datasets_and_Benchmarks_Track"), when known."""
    openreview_id: str | None = None
    """OpenReview forum id, for papers listed by OpenReview."""
    url: str | None = None
    """Page of the paper (OpenReview forum, proceedings abstract page)."""
    pdf_url: str | None = None
    """Where the PDF was downloaded from."""
    abstract: str | None = None
    """Abstract as listed."""
    keywords: tuple[str, ...] = ()
    """Keywords as listed."""
    source: str = ""
    """Which listing: "openreview-api2" or "neurips-proceedings"."""
    fetched_at: str = ""
    """When the PDF was fetched (ISO 8601, UTC)."""
    pdf_bytes: int | None = None
    """Size of the downloaded PDF; a re-run re-downloads a PDF of another size."""
    extra: dict[str, Any] = field(default_factory=dict)
    """Any further source fields worth keeping."""

    def to_json(self) -> str:
        """The sidecar file's text."""
        d = {"format": SIDECAR_FORMAT, **asdict(self)}
        return json.dumps(d, ensure_ascii=False, indent=2) + "\n"


class SidecarError(ValueError):
    """A sidecar file that cannot be read; the message says why."""


def sidecar_path(pdf: Path) -> Path:
    """``X.json`` for ``X.pdf``."""
    return Path(pdf).with_suffix(".json")


def parse_sidecar(data: dict[str, Any]) -> Sidecar:
    """A `Sidecar` from decoded JSON; raise `SidecarError` when it is not one."""
    if not isinstance(data, dict) or data.get("format") != SIDECAR_FORMAT:
        raise SidecarError(f"not a {SIDECAR_FORMAT} file")
    if not isinstance(data.get("id"), str) or not data["id"]:
        raise SidecarError("no id")

    def text(key: str) -> str | None:
        value = data.get(key)
        return value.strip() or None if isinstance(value, str) else None

    def texts(key: str) -> tuple[str, ...]:
        value = data.get(key) or ()
        if not isinstance(value, list | tuple):
            raise SidecarError(f"{key} is not a list")
        return tuple(str(v).strip() for v in value if str(v).strip())

    year = data.get("year")
    if year is not None and not (isinstance(year, int) and 1900 <= year <= 2100):
        raise SidecarError(f"year {year!r} is not a year")
    ids = data.get("author_ids") or ()
    pdf_bytes = data.get("pdf_bytes")
    return Sidecar(
        id=data["id"],
        title=text("title") or "",
        authors=texts("authors"),
        author_ids=tuple(i if isinstance(i, str) and i else None for i in ids),
        venue=text("venue"),
        year=year,
        venue_label=text("venue_label"),
        venue_id=text("venue_id"),
        decision=text("decision"),
        track=text("track"),
        openreview_id=text("openreview_id"),
        url=text("url"),
        pdf_url=text("pdf_url"),
        abstract=text("abstract"),
        keywords=texts("keywords"),
        source=text("source") or "",
        fetched_at=text("fetched_at") or "",
        pdf_bytes=pdf_bytes if isinstance(pdf_bytes, int) else None,
        extra=data.get("extra") if isinstance(data.get("extra"), dict) else {},
    )


def read_sidecar(pdf: Path) -> Sidecar | None:
    """The sidecar next to `pdf`, None when there is none; `SidecarError` when unreadable."""
    path = sidecar_path(pdf)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise SidecarError(f"cannot read {path.name} ({exc})") from None
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise SidecarError(f"{path.name} is not JSON ({exc})") from None
    return parse_sidecar(data)


def apply_sidecar(
    paper: Paper, pdf: Path, *, venue: str | None = None, year: int | None = None
) -> Paper:
    """`paper` with the sidecar's venue, year, title, authors and OpenReview id.

    `venue`/`year` are the user's values (they win over the sidecar). Without a
    sidecar the paper is returned unchanged; an unreadable one is noted in
    ``meta["sidecar_error"]`` and ignored.
    """
    try:
        car = read_sidecar(pdf)
    except SidecarError as exc:
        return replace(paper, meta={**paper.meta, "sidecar_error": str(exc)})
    if car is None:
        return paper
    source = f"sidecar ({car.source})" if car.source else "sidecar"
    decided: dict[str, str] = {}

    def pick(user: Any, listed: Any, printed: Any, name: str) -> Any:
        if user:
            decided[name] = "user"
            return user
        if listed:
            decided[name] = source
            return listed
        decided[name] = "pdf" if printed else "none"
        return printed

    new_venue = pick(venue, car.venue, paper.venue, "venue")
    new_year = pick(year, car.year, paper.year, "year")
    title = pick(None, car.title, paper.title, "title")
    authors = paper.authors
    if car.authors:
        authors = merge_authors(car.authors, paper.authors)
        decided["authors"] = source
    else:
        decided["authors"] = "pdf" if paper.authors else "none"
    meta = {**paper.meta, "metadata_source": decided, "sidecar": sidecar_path(pdf).name}
    if car.decision:
        meta["decision"] = car.decision
    return replace(
        paper,
        venue=new_venue,
        year=new_year,
        title=title,
        authors=authors,
        openreview_id=car.openreview_id or paper.openreview_id,
        meta=meta,
    )


def merge_authors(listed: tuple[str, ...], printed: tuple[Author, ...]) -> tuple[Author, ...]:
    """Listed names in listed order, each with the affiliations of its printed match.

    Exact matches (same words, any order) are paired first, then the rest by surname
    and first initial, so "J. Doe" cannot take "Jane Doe" from a listed "Jane Doe".
    """
    unused = list(printed)
    match: dict[int, Author] = {}
    for same in (_same_words, _same_initial):
        for i, name in enumerate(listed):
            if i in match:
                continue
            found = next((a for a in unused if same(name, a.name)), None)
            if found is not None:
                unused.remove(found)
                match[i] = found
    return tuple(
        Author(name=name, affiliations=match[i].affiliations, email=match[i].email)
        if i in match
        else Author(name=name)
        for i, name in enumerate(listed)
    )


def _words(name: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(c if c.isalnum() else " " for c in folded if not unicodedata.combining(c))
    return plain.split()


def _same_words(a: str, b: str) -> bool:  # "Li Wei" / "Wei Li"
    wa = _words(a)
    return bool(wa) and sorted(wa) == sorted(_words(b))


def _same_initial(a: str, b: str) -> bool:  # "J. Smith" / "John Smith"
    wa, wb = _words(a), _words(b)
    return bool(wa and wb) and wa[-1] == wb[-1] and wa[0][0] == wb[0][0]
