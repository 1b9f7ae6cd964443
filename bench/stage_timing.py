"""CPU time of the analysis stage against whole extraction, on a folder of PDFs.

Changes to sentence and evidence selection (running headers, table captions) run in the
analysis stage; on a shared machine wall time is noise, so this measures CPU time in one
process, the minimum of several passes. To compare two checkouts, run it with each on
``PYTHONPATH`` in turn, alternating:

    PYTHONPATH=/work/main python bench/stage_timing.py ../shared/corpus/pdfs
    PYTHONPATH=. python bench/stage_timing.py ../shared/corpus/pdfs
"""

from __future__ import annotations

import argparse
import inspect
import time
from collections.abc import Callable
from pathlib import Path

from indexer.catalog import load_catalog
from indexer.extract import extract_paper, load_tables
from indexer.mentions import find_mentions
from indexer.pdf_text import open_pdf, read_pages
from indexer.sections import find_sections, page_starts
from indexer.usage import classify_usage


def main() -> None:
    """Print the analysis and whole-extraction CPU seconds."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path, help="folder of PDFs (not recursive)")
    ap.add_argument("--passes", type=int, default=5, help="passes; the minimum is printed")
    args = ap.parse_args()
    load_tables()
    catalog = load_catalog()
    pdfs = sorted(args.folder.glob("*.pdf"))
    papers = [read_pages(open_pdf(p)) for p in pdfs]
    running_lines = None
    if "running" in inspect.signature(find_mentions).parameters:  # checkouts with it
        from indexer.evidence import running_lines

    def analysis() -> None:
        for pages in papers:
            sections = find_sections(pages)
            if running_lines is not None:
                running = running_lines(pages, page_starts(pages))
                mentions = find_mentions(pages, sections, catalog, running)
            else:
                mentions = find_mentions(pages, sections, catalog)
            classify_usage(mentions, catalog)

    def whole() -> None:
        for p in pdfs:
            extract_paper(p)

    a = _best(analysis, args.passes)
    w = _best(whole, max(1, args.passes // 2))
    print(f"{len(pdfs)} PDFs: analysis {a:.3f} s CPU, whole extraction {w:.3f} s CPU")


def _best(f: Callable[[], None], n: int) -> float:
    times = []
    for _ in range(n):
        t = time.process_time()
        f()
        times.append(time.process_time() - t)
    return min(times)


if __name__ == "__main__":
    main()
