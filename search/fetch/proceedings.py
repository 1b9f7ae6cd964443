"""Accepted papers of a NeurIPS year from the proceedings site (papers.nips.cc).

NeurIPS years before 2023 are not on OpenReview's API v2. The proceedings site
lists every accepted paper of a year on one index page,
``{site}/paper_files/paper/{year}``: a ``<ul class="paper-list">`` of ``<li>``
items (class ``conference`` or ``datasets_and_benchmarks``), each holding a link
``/paper_files/paper/{year}/hash/{hash}-Abstract-{Track}.html`` whose text is the
title, and an ``<i>`` with the comma-separated authors. Older years link
``{hash}-Abstract.html`` (no track). The PDF sits at the same path with ``/hash/``
→ ``/file/`` and ``-Abstract`` → ``-Paper``, ``.html`` → ``.pdf``
(``…/file/{hash}-Paper-Conference.pdf``).

This structure was read from public scrapers of the site and links to it (e.g.
github.com/99hgz/nips-scraper, `_parse_listing`), not from the live site: the
parser therefore accepts any ``<li>`` with such a link, wherever the list sits,
and a page with none is an error that says so. Abstracts are not fetched (one more
request per paper); the sidecar leaves them empty.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser

from indexer.sidecar import Sidecar
from search.fetch.http import HttpClient
from search.fetch.openreview import ListedPaper

DEFAULT_SITE = "https://papers.nips.cc"
SOURCE = "neurips-proceedings"
_ABSTRACT = re.compile(
    r"/paper(?:_files/paper)?/(?P<year>\d{4})/hash/(?P<hash>[0-9a-f]{16,64})"
    r"-Abstract(?:-(?P<track>[A-Za-z_]+))?\.html$"
)


def list_year(
    client: HttpClient,
    year: int,
    *,
    site: str = DEFAULT_SITE,
    track: str = "main",
    limit: int | None = None,
) -> Iterator[ListedPaper]:
    """Accepted papers of NeurIPS `year` in `track` ("main", "datasets" or "all")."""
    site = site.rstrip("/")
    url = f"{site}/paper_files/paper/{year}"
    items = parse_index(client.get_text(url))
    if not items:
        raise ValueError(f"{url}: no paper links found (has the page layout changed?)")
    n = 0
    for href, title, authors in items:
        m = _ABSTRACT.search(href)
        assert m is not None
        paper_track = m.group("track") or "Conference"
        is_main = paper_track == "Conference"
        if (track == "main" and not is_main) or (track == "datasets" and is_main):
            continue
        if limit is not None and n >= limit:
            return
        n += 1
        page = href if href.startswith("http") else site + href
        pdf = page.replace("/hash/", "/file/").replace("-Abstract", "-Paper")[:-5] + ".pdf"
        yield ListedPaper(
            sidecar=Sidecar(
                id=m.group("hash"),
                title=title,
                authors=authors,
                author_ids=(None,) * len(authors),
                venue="NeurIPS",
                year=int(m.group("year")),
                venue_label=f"NeurIPS {m.group('year')}",
                venue_id=url,
                track="main" if is_main else paper_track,
                url=page,
                pdf_url=pdf,
                source=SOURCE,
            ),
            pdf_url=pdf,
        )


def parse_index(html: str) -> list[tuple[str, str, tuple[str, ...]]]:
    """(abstract-page href, title, authors) for every paper item on a year page."""
    parser = _IndexParser()
    parser.feed(html)
    parser.close()
    return parser.items


class _IndexParser(HTMLParser):
    """Collects each <li>'s first abstract link, its text and the <i> author list."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[tuple[str, str, tuple[str, ...]]] = []
        self._href: str | None = None
        self._title: list[str] = []
        self._authors: list[str] = []
        self._in: str | None = None  # "a" or "i" while inside the element we read

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "li":
            self._flush()
        elif tag == "a" and self._href is None:
            href = dict(attrs).get("href") or ""
            if _ABSTRACT.search(href):
                self._href, self._in = href, "a"
        elif tag == "i" and self._href is not None and not self._authors:
            self._in = "i"

    def handle_endtag(self, tag: str) -> None:
        if tag in ("a", "i") and self._in == tag:
            self._in = None
        elif tag == "li":
            self._flush()

    def handle_data(self, data: str) -> None:
        if self._in == "a":
            self._title.append(data)
        elif self._in == "i":
            self._authors.append(data)

    def close(self) -> None:
        super().close()
        self._flush()

    def _flush(self) -> None:
        if self._href is not None:
            title = " ".join("".join(self._title).split())
            names = tuple(
                n for n in (" ".join(a.split()) for a in "".join(self._authors).split(",")) if n
            )
            self.items.append((self._href, title, names))
        self._href, self._title, self._authors, self._in = None, [], [], None
