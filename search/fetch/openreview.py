"""The accepted papers of an OpenReview venue, read from the API v2.

Every call and field here was checked against `openreview-py`
(github.com/openreview/openreview-py), not guessed:

- ``GET {api}/notes`` with ``content.venueid=<venue id>``, ``offset``, ``limit`` —
  `OpenReviewClient.get_notes` (openreview/api/client.py) turns ``content={k: v}``
  into ``params['content.' + k]`` and sends ``offset``/``limit``; the body is
  ``{"notes": [...], "count": N}``. A page holds at most 1000 notes
  (``self.limit = 1000``; docstring: "limit ... between 0 and 1000"), and
  `tools.iterget` pages by adding the page size to ``offset`` until a page is empty.
- Accepted papers are the submissions whose ``content.venueid`` *is* the venue id:
  on a decision, `Venue.post_decisions` (openreview/venue/venue.py) sets
  ``content.venueid = {'value': venue_id}`` for accepted papers (rejected ones get
  the rejected-submission venue id) and ``content.venue = {'value':
  tools.decision_to_venue(short_name, decision)}`` — "NeurIPS 2025 oral": the short
  name plus the decision with "Accept" and its brackets removed (openreview/tools.py).
  So one query lists them, and the decision is what follows the year in ``venue``.
- A note's JSON keys (`Note.from_json`): ``id``, ``forum``, ``number``, ``content``,
  ``pdate`` … In API v2 every content field is wrapped: ``content[k]['value']``.
  The submission form (`submission_v2` in openreview/stages/default_content.py):
  ``title`` string, ``authors`` string[], ``authorids`` profile ids ("~Jane_Doe1")
  or e-mails, ``keywords`` string[], ``TLDR`` string, ``abstract`` string, ``pdf``
  file. Venues on the newer form (`submission_v2_unified_authors`) give ``authors``
  as objects ``{fullname, username, institutions}`` instead; both are read.
- The PDF: ``GET {api}/pdf?id=<note id>`` — `OpenReviewClient.get_pdf`
  (``self.pdf_url = self.baseurl + '/pdf'``, ``params['id'] = id``).
- Base URL https://api2.openreview.net (the client refuses api.openreview.net for
  v2 and names api2). Only API v2 venues are read (NeurIPS 2023 onward, ICLR 2024
  onward …); older NeurIPS years come from the proceedings site (`proceedings`).

E-mail addresses in ``authorids`` are not copied into sidecars: only public profile
ids are kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from indexer.sidecar import Sidecar
from search.fetch.http import HttpClient, with_params

DEFAULT_API = "https://api2.openreview.net"
FORUM_URL = "https://openreview.net/forum?id="
MAX_PAGE = 1000
SOURCE = "openreview-api2"
_SAFE_ID = re.compile(r"[A-Za-z0-9_\-]{1,100}")


@dataclass(frozen=True, slots=True)
class ListedPaper:
    """One paper a listing offers: where its PDF is and what the sidecar will say."""

    sidecar: Sidecar
    """Metadata to write next to the PDF (``pdf_bytes`` and ``fetched_at`` filled later)."""
    pdf_url: str
    """Where to download the PDF."""

    @property
    def id(self) -> str:
        """File stem: DIR/<id>.pdf and DIR/<id>.json."""
        return self.sidecar.id


def list_venue(
    client: HttpClient,
    venue_id: str,
    *,
    api: str = DEFAULT_API,
    limit: int | None = None,
    page_size: int = MAX_PAGE,
    on_page: Callable[[int, int | None], None] | None = None,
) -> Iterator[ListedPaper]:
    """Accepted papers of `venue_id`, page by page (`limit` stops early).

    `on_page(listed_so_far, count)` is called after each page (count may be None).
    """
    api = api.rstrip("/")
    page_size = max(1, min(page_size, MAX_PAGE))
    offset = 0
    listed = 0
    while True:
        want = page_size if limit is None else min(page_size, limit - listed)
        if want <= 0:
            return
        body = client.get_json(
            f"{api}/notes", {"content.venueid": venue_id, "offset": offset, "limit": want}
        )
        notes = body.get("notes") if isinstance(body, dict) else None
        if not isinstance(notes, list):
            raise ValueError(f"{api}/notes: answer has no 'notes' list")
        count = body.get("count") if isinstance(body.get("count"), int) else None
        for note in notes:
            paper = paper_from_note(note, venue_id, api)
            if paper is not None:
                listed += 1
                yield paper
        offset += len(notes)
        if on_page:
            on_page(listed, count)
        if not notes or (offset >= count if count is not None else len(notes) < want):
            return


def paper_from_note(note: dict[str, Any], venue_id: str, api: str) -> ListedPaper | None:
    """A `ListedPaper` from one API v2 note; None when it has no usable id."""
    note_id = note.get("id")
    if not isinstance(note_id, str) or not _SAFE_ID.fullmatch(note_id):
        return None  # ids name files: nothing that could leave the folder ("../x")
    content = note.get("content") or {}

    def value(key: str) -> Any:
        field = content.get(key)
        return field.get("value") if isinstance(field, dict) else None

    names, ids = _authors(value("authors"), value("authorids"))
    label = value("venue") if isinstance(value("venue"), str) else None
    short, decision = split_venue_label(label)
    venue_name = canonical_venue(short) if short else venue_from_id(venue_id)
    year = _year(short) or _year(venue_id)
    keywords = value("keywords")
    forum = note.get("forum") if isinstance(note.get("forum"), str) else note_id
    sidecar = Sidecar(
        id=note_id,
        title=_text(value("title")),
        authors=names,
        author_ids=ids,
        venue=venue_name,
        year=year,
        venue_label=label,
        venue_id=value("venueid") if isinstance(value("venueid"), str) else venue_id,
        decision=decision,
        track=_track(venue_id),
        openreview_id=forum,
        url=FORUM_URL + forum,
        pdf_url=with_params(f"{api}/pdf", {"id": note_id}),
        abstract=_text(value("abstract")) or None,
        keywords=tuple(str(k) for k in keywords) if isinstance(keywords, list) else (),
        source=SOURCE,
        extra={
            k: v for k, v in (("number", note.get("number")), ("pdate", note.get("pdate"))) if v
        },
    )
    return ListedPaper(sidecar=sidecar, pdf_url=sidecar.pdf_url or "")


_LABEL = re.compile(r"^\s*(.*?\b(?:19|20)\d\d)\b\s*(.*?)\s*$")


def split_venue_label(label: str | None) -> tuple[str | None, str | None]:
    """ "NeurIPS 2025 oral" → ("NeurIPS 2025", "oral"); no year → (label, None)."""
    if not label:
        return None, None
    if m := _LABEL.match(label):
        return m.group(1), (m.group(2) or None)
    return label.strip(), None


def canonical_venue(short: str) -> str:
    """ "NeurIPS 2025" → "NeurIPS" (the name the index stores, as `search index --venue`)."""
    from search.filters import split_venue

    try:
        return split_venue(short)[0]
    except Exception:  # a label without a name: keep it as listed
        return short.strip()


def venue_from_id(venue_id: str) -> str:
    """ "NeurIPS.cc/2025/Conference" → "NeurIPS"."""
    root = venue_id.split("/", 1)[0]
    return canonical_venue(root.split(".", 1)[0] or root)


def _track(venue_id: str) -> str:
    tail = venue_id.rstrip("/").rsplit("/", 1)[-1]
    return "main" if tail == "Conference" else tail


def _year(text: str | None) -> int | None:
    m = re.search(r"\b((?:19|20)\d\d)\b", text or "")
    return int(m.group(1)) if m else None


def _text(v: Any) -> str:
    return " ".join(v.split()) if isinstance(v, str) else ""


def _authors(authors: Any, authorids: Any) -> tuple[tuple[str, ...], tuple[str | None, ...]]:
    names: list[str] = []
    ids: list[str | None] = []
    if isinstance(authors, list):
        for i, a in enumerate(authors):
            if isinstance(a, dict):  # unified-authors form: {fullname, username, institutions}
                names.append(_text(a.get("fullname")))
                ids.append(_profile(a.get("username")))
            else:
                names.append(_text(a))
                listed = (
                    authorids[i] if isinstance(authorids, list) and i < len(authorids) else None
                )
                ids.append(_profile(listed))
    keep = [(n, i) for n, i in zip(names, ids, strict=True) if n]
    return tuple(n for n, _ in keep), tuple(i for _, i in keep)


def _profile(v: Any) -> str | None:
    return v if isinstance(v, str) and v.startswith("~") else None
