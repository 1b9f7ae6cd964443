"""Build a NeurIPS-size benchmark corpus (5,290 distinct PDFs) from a few real ones.

The indexer skips files whose content hash it already holds, so a corpus made of
hard links or plain copies would measure nothing. Each copy here gets a unique PDF
comment appended after ``%%EOF``: the bytes (and the content hash) differ, the
document is unchanged — PyMuPDF reads the same xref table and the same text.

    python bench/make_corpus.py                 # 5,290 files into /tmp/paperscope-bench/corpus
    python bench/make_corpus.py --n 600         # a smaller corpus to iterate on

Sources: the real PDFs in ../shared/corpus/pdfs, or a generated sample corpus
(`indexer.demo`) when those are absent.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._util import DEFAULT_CORPUS, NEURIPS_PAPERS, SHARED_PDFS

BYTES_PER_FILE_GUESS = 1_700_000
"""Average real-paper size, for the disk-space check."""
DISK_MARGIN = 4 * 2**30
"""Free space to leave for the indexes the benchmarks build next to the corpus."""


def sources(out: Path, demo_n: int) -> list[Path]:
    """The source PDFs: real papers when present, else a generated sample corpus."""
    if SHARED_PDFS.is_dir() and any(SHARED_PDFS.glob("*.pdf")):
        return sorted(SHARED_PDFS.glob("*.pdf"))
    from indexer.demo import generate_demo_corpus

    demo = generate_demo_corpus(out.parent / "demo-source", n=demo_n)
    return sorted(Path(demo.pdf_dir).glob("*.pdf"))


def copy_name(i: int, src: Path) -> str:
    return f"{i:05d}-{src.stem}.pdf"


def tag(i: int) -> bytes:
    """The bytes appended to copy `i`: a PDF comment, ignored by every reader."""
    return f"\n%paperscope-bench copy {i:05d}\n".encode()


def make_corpus(out: Path, n: int, srcs: list[Path], *, force: bool = False) -> dict[str, float]:
    """Write `n` distinct copies of `srcs` (round robin) into `out`; return figures."""
    out.mkdir(parents=True, exist_ok=True)
    data = {s: s.read_bytes() for s in srcs}
    wanted = {copy_name(i, srcs[i % len(srcs)]): i for i in range(n)}
    for old in out.glob("*.pdf"):
        if old.name not in wanted:
            old.unlink()
    t0 = time.perf_counter()
    written = total = 0
    for name, i in wanted.items():
        src = srcs[i % len(srcs)]
        body = data[src] + tag(i)
        target = out / name
        total += len(body)
        if not force and target.exists() and target.stat().st_size == len(body):
            continue
        tmp = target.with_suffix(".part")
        tmp.write_bytes(body)
        tmp.replace(target)
        written += 1
    return {"files": n, "written": written, "bytes": total, "seconds": time.perf_counter() - t0}


def verify(out: Path, srcs: list[Path], k: int, seed: int = 7) -> int:
    """Check `k` random copies open without repair and give their source's exact text."""
    import pymupdf

    by_stem = {s.stem: s for s in srcs}
    files = sorted(out.glob("*.pdf"))
    bad = 0
    for f in random.Random(seed).sample(files, min(k, len(files))):
        src = by_stem[f.stem.split("-", 1)[1]]
        with pymupdf.open(f) as a, pymupdf.open(src) as b:
            same = a.page_count == b.page_count and all(
                a[i].get_text() == b[i].get_text() for i in range(a.page_count)
            )
            if a.is_repaired or not same:
                print(f"{f.name}: differs from {src.name}", file=sys.stderr)
                bad += 1
    return bad


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=NEURIPS_PAPERS, help="files to write [5290]")
    ap.add_argument("--out", type=Path, default=DEFAULT_CORPUS, help=f"folder [{DEFAULT_CORPUS}]")
    ap.add_argument("--demo-n", type=int, default=200, help="sample papers when no real PDFs")
    ap.add_argument("--verify", type=int, default=20, help="random copies to check [20]")
    ap.add_argument("--force", action="store_true", help="rewrite files that already exist")
    args = ap.parse_args(argv)

    out = args.out.resolve()
    repo = Path(__file__).resolve().parents[1]
    if out.is_relative_to(repo):
        ap.error(f"--out must be outside the repository ({repo})")
    out.mkdir(parents=True, exist_ok=True)
    srcs = sources(out, args.demo_n)
    if not srcs:
        ap.error("no source PDFs found")
    avg = sum(s.stat().st_size for s in srcs) / len(srcs) or BYTES_PER_FILE_GUESS
    free = shutil.disk_usage(out).free
    n = args.n
    if n * avg > free - DISK_MARGIN:
        n = max(len(srcs), int((free - DISK_MARGIN) / avg))
        print(f"disk: {free / 2**30:.1f} GiB free, writing {n} files instead of {args.n}")
    fig = make_corpus(out, n, srcs, force=args.force)
    print(
        f"{fig['files']} PDFs ({fig['bytes'] / 2**30:.2f} GiB) from {len(srcs)} sources in {out};"
        f" wrote {fig['written']} in {fig['seconds']:.1f} s"
    )
    bad = verify(out, srcs, args.verify) if args.verify else 0
    if args.verify:
        print(f"verified {min(args.verify, n)} random copies: {'OK' if not bad else f'{bad} bad'}")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
