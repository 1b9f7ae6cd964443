"""A NeurIPS-size index in a few minutes: index the real papers once, then write N copies.

`make_corpus.py` + `search index` build the 5,290-paper benchmark index from 5,290
distinct files that repeat the 60 real PDFs round robin; extraction takes 6–7 minutes on
an idle 2-core machine (much longer on a shared one). Query benchmarks only need the
index, not the extraction: this script indexes the source PDFs once, then writes N
paper records (and their page documents) round robin with distinct ids, files and
paths — the same documents and facet values `search index` would write for
`make_corpus.py`'s copies, with extraction paid once per source paper.

    python bench/clone_index.py       # 5,290 papers → /tmp/paperscope-bench/index-clone
    python bench/query_bench.py --index /tmp/paperscope-bench/index-clone
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._util import BENCH_DIR, NEURIPS_PAPERS, SHARED_PDFS


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pdfs", type=Path, default=SHARED_PDFS, help=f"source PDFs [{SHARED_PDFS}]")
    ap.add_argument("--n", type=int, default=NEURIPS_PAPERS, help=f"papers [{NEURIPS_PAPERS}]")
    ap.add_argument("--out", type=Path, default=BENCH_DIR / "index-clone", help="index folder")
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args(argv)

    from indexer.pipeline import index_pdfs
    from indexer.records import PageText
    from search.library import Library
    from search.store import Store

    source = args.out.with_name(args.out.name + "-source")
    t0 = time.perf_counter()
    if not args.pdfs.is_dir():
        from indexer.demo import generate_demo_corpus

        args.pdfs = generate_demo_corpus(BENCH_DIR / "clone-demo", n=60).pdf_dir
    index_pdfs([args.pdfs], source, workers=args.workers)
    lib = Library(source)
    papers = [
        replace(p, pages=tuple(PageText(n, text) for n, text in lib.pages(p.id)))
        for p in lib.records()
    ]
    print(f"indexed {len(papers)} source papers in {time.perf_counter() - t0:.0f} s")
    t1 = time.perf_counter()
    store = Store.create(args.out, rebuild=True)
    with store.writer() as w:
        for i in range(args.n):
            p = papers[i % len(papers)]
            pid = hashlib.sha256(f"{p.id}:{i}".encode()).hexdigest()[: len(p.id)]
            file = f"{i:05d}-{p.file}"
            w.add(replace(p, id=pid, file=file, path=f"/clone/{file}"))
            if w.pending >= 500:
                w.commit()
        w.commit()
    print(
        f"wrote {args.n} papers to {args.out} in {time.perf_counter() - t1:.0f} s"
        f" ({Library(args.out).total()} in the index)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
