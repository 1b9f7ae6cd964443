"""One PDF in, one `Paper` out: the extraction pipeline run in each worker.

Stages: clean page text (pdf_text) → venue/year (venue) → title, authors,
affiliations, countries (front_matter) → section spans (sections) → model
mentions (mentions) → used vs mentioned (usage). The gazetteer and the model
catalog are loaded once per process and reused for every paper.

``python -m indexer.extract FILE.pdf`` prints the extracted record as JSON, which
is the quickest way to see what paperscope makes of a paper.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

from indexer.catalog import load_catalog
from indexer.evidence import running_lines
from indexer.front_matter import parse_front_matter
from indexer.gazetteer import load_gazetteer
from indexer.limits import ANALYSIS_PAGE_CHARS, ANALYSIS_PAPER_CHARS
from indexer.mentions import find_mentions
from indexer.pdf_text import PdfError, first_textpage, open_pdf, read_pages
from indexer.records import PageText, Paper, display_path, to_dict
from indexer.sections import find_sections, page_starts
from indexer.sidecar import apply_sidecar
from indexer.usage import classify_usage
from indexer.venue import detect_venue

HASH_CHUNK = 1 << 20


def load_tables() -> None:
    """Build every table the stages look up: catalog, gazetteer (with its ~129k-name
    registry layer, ~0.2 s), usage cues, place names.

    Each is built once per process on first use; a worker calls this before its first
    paper, and a parent that forks its workers calls it before forking, so they share
    the parent's tables instead of each building its own (~0.5 s of CPU per worker).
    """
    from indexer.affiliations import personal_email_domains
    from indexer.countries import city_table, name_table, region_table, us_states
    from indexer.mentions import load_cues

    load_catalog()
    load_gazetteer()
    load_cues()
    personal_email_domains()
    name_table()
    us_states()
    region_table()
    city_table()


def content_id(path: Path) -> str:
    """Stable paper id: the first 16 hex digits of the file's SHA-256."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(HASH_CHUNK):
            h.update(chunk)
    return h.hexdigest()[:16]


def extract_paper(path: Path, *, venue: str | None = None, year: int | None = None) -> Paper:
    """Extract everything paperscope knows about one PDF; raise `PdfError` when unusable.

    `venue`/`year` given by the user win over a sidecar ``X.json`` next to the PDF
    (written by `search fetch`, see `indexer.sidecar`), which wins over what the paper prints.
    """
    path = Path(path)
    t0 = time.perf_counter()
    try:
        stat = path.stat()
    except OSError as exc:
        raise PdfError(f"cannot read file ({exc.strerror})") from None
    doc = open_pdf(path)
    try:
        first = first_textpage(doc)
        pages = read_pages(doc, first)
        t_text = time.perf_counter()
        # The analysis stages read a bounded prefix of the text; the index gets all of it.
        analysed = analysis_pages(pages)
        front = parse_front_matter(doc, analysed, load_gazetteer(), first=first)
    finally:
        doc.close()
    catalog = load_catalog()
    sections = find_sections(analysed)
    running = running_lines(analysed, page_starts(analysed))
    mentions = find_mentions(analysed, sections, catalog, running)
    usages = classify_usage(mentions, catalog)
    printed = detect_venue(analysed[0].text)
    t_end = time.perf_counter()
    paper = Paper(
        id=content_id(path),
        file=display_path(path.name),
        path=display_path(path.resolve()),
        title=front.title,
        pages=pages,
        authors=front.authors,
        affiliations=front.affiliations,
        sections=sections,
        usages=usages,
        venue=venue or printed.name,
        year=year or printed.year,
        file_size=stat.st_size,
        file_mtime=stat.st_mtime,
        page_count=len(pages),
        meta={
            "text_seconds": round(t_text - t0, 4),
            "analysis_seconds": round(t_end - t_text, 4),
            # Page furniture, so full-text snippets can avoid it (see `indexer.evidence`).
            "running_lines": running.printed(),
        },
    )
    return apply_sidecar(paper, path, venue=venue, year=year)  # X.json next to X.pdf


def analysis_pages(
    pages: tuple[PageText, ...],
    page_chars: int = ANALYSIS_PAGE_CHARS,
    paper_chars: int = ANALYSIS_PAPER_CHARS,
) -> tuple[PageText, ...]:
    """`pages` cut to at most `page_chars` per page and `paper_chars` in all (prefixes,
    so offsets and page numbers stay those of the full text)."""
    if all(len(p.text) <= page_chars for p in pages) and (
        sum(len(p.text) for p in pages) <= paper_chars
    ):
        return pages
    out = []
    budget = paper_chars
    for p in pages:
        text = p.text[: min(page_chars, max(budget, 0))]
        budget -= len(text)
        out.append(p if len(text) == len(p.text) else replace(p, text=text))
    return tuple(out)


def main(argv: list[str] | None = None) -> int:
    """Print the extracted record of each PDF given on the command line."""
    args = sys.argv[1:] if argv is None else argv
    status = 0
    for arg in args:
        try:
            paper = extract_paper(Path(arg))
        except PdfError as exc:
            print(f"{arg}: {exc}", file=sys.stderr)
            status = 1
            continue
        record = to_dict(replace(paper, pages=()))
        record["countries"] = paper.countries
        record["models_used"] = paper.models_used
        record["models_mentioned"] = paper.models_mentioned
        print(json.dumps(record, indent=2, ensure_ascii=False))
    return status


if __name__ == "__main__":
    raise SystemExit(main())
