"""How fast does `search index` run compared with plain PyMuPDF, on a NeurIPS-size corpus?

Runs, on the same corpus with the same number of worker processes:

(a) baseline — ``page.get_text()`` of every page in a ProcessPoolExecutor, nothing else;
(b) ``search index CORPUS --index FRESH`` (the real CLI, in a subprocess);
(c) the same command again on the unchanged corpus (incremental run);
(d) kill-and-resume — ``search index`` into another fresh index, SIGKILLed half-way,
    run again, then checked: one paper document per file, no duplicate paper id,
    one page document per page.

Wall time is measured around each subprocess (interpreter start-up included), peak
memory by sampling the whole process tree (RSS and PSS summed over the parent and
its workers), CPU time from the children's rusage. Prints a table and writes JSON
to bench/out/.

    python bench/make_corpus.py && python bench/index_bench.py
    python bench/index_bench.py --n 600 --corpus /tmp/paperscope-bench/corpus600
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._util import (
    BENCH_DIR,
    DEFAULT_CORPUS,
    PYTHON,
    TreeSampler,
    child_env,
    dir_size,
    mib,
    print_table,
    search_cmd,
    write_json,
)

# -- (a) the baseline, run in a child process -----------------------------------------


def _plain_text(path: str) -> tuple[int, int]:
    """Pages and UTF-8 bytes of plain PyMuPDF text of one PDF."""
    import pymupdf

    with pymupdf.open(path) as doc:
        n = nbytes = 0
        for page in doc:
            nbytes += len(page.get_text().encode())
            n += 1
    return n, nbytes


def baseline_child(corpus: Path, workers: int) -> None:
    """Extract every page's text with `workers` processes; print figures as JSON."""
    files = [str(p) for p in sorted(corpus.rglob("*.pdf"))]
    t0 = time.perf_counter()
    pages = nbytes = 0
    with ProcessPoolExecutor(workers) as pool:
        for n, b in pool.map(_plain_text, files, chunksize=4):
            pages += n
            nbytes += b
    print(
        json.dumps(
            {
                "files": len(files),
                "pages": pages,
                "text_bytes": nbytes,
                "inner_seconds": time.perf_counter() - t0,
            }
        )
    )


# -- where a worker's time goes -----------------------------------------------------


def profile_stages(files: list[Path]) -> dict[str, float]:
    """CPU seconds per extraction stage over `files`, run in this process, plus the writer.

    Mirrors `indexer.extract.extract_paper` stage by stage, then pickles each paper (the
    cost of shipping it to the parent) and adds it to a throw-away index.
    """
    import pickle
    import tempfile

    from indexer.catalog import load_catalog
    from indexer.extract import content_id, extract_paper
    from indexer.front_matter import parse_front_matter
    from indexer.gazetteer import load_gazetteer
    from indexer.mentions import find_mentions
    from indexer.pdf_text import TEXT_FLAGS, clean_text, open_pdf
    from indexer.records import PageText
    from indexer.sections import find_sections
    from indexer.usage import classify_usage
    from indexer.venue import detect_venue
    from search.store import Store, paper_documents

    clock = time.process_time
    t0 = clock()
    catalog, gazetteer = load_catalog(), load_gazetteer()
    cost: dict[str, float] = {"load catalog + gazetteer (once per process)": clock() - t0}
    pages_total = 0
    pickled = 0

    def add(stage: str, since: float) -> float:
        now = clock()
        cost[stage] = cost.get(stage, 0.0) + now - since
        return now

    with tempfile.TemporaryDirectory() as tmp:
        writer = Store.create(Path(tmp) / "ix").writer()
        for f in files:
            t = clock()
            content_id(f)
            t = add("content hash (sha256)", t)
            doc = open_pdf(f)
            t = add("open PDF", t)
            raws = [doc[i].get_text("text", flags=TEXT_FLAGS) for i in range(doc.page_count)]
            t = add("PyMuPDF get_text", t)
            pages = tuple(PageText(i + 1, clean_text(r)) for i, r in enumerate(raws))
            pages_total += len(pages)
            t = add("text cleaning", t)
            parse_front_matter(doc, pages, gazetteer)
            doc.close()
            t = add("front matter (title, authors, affiliations)", t)
            sections = find_sections(pages)
            t = add("sections", t)
            mentions = find_mentions(pages, sections, catalog)
            t = add("mentions", t)
            classify_usage(mentions, catalog)
            t = add("usage", t)
            detect_venue(pages[0].text)
            t = add("venue", t)
            paper = extract_paper(f)  # the real record for the writer (not counted)
            t = clock()
            blob = pickle.dumps(paper, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.loads(blob)
            pickled += len(blob)
            t = add("pickle to parent (dumps + loads)", t)
            for d in paper_documents(paper):
                writer._writer.add_document(d)
            t = add("tantivy documents + add_document", t)
        t = clock()
        writer.commit()
        writer.close()
        add("tantivy commit + merge wait", t)
    cost["_papers"] = len(files)
    cost["_pages"] = pages_total
    cost["_pickled_bytes"] = pickled
    return cost


def print_profile(cost: dict[str, float]) -> None:
    n, pages = cost["_papers"], cost["_pages"]
    stages = {k: v for k, v in cost.items() if not k.startswith("_")}
    per_paper = sum(v for k, v in stages.items() if "once" not in k)
    rows = [
        [k, f"{v * 1000 / n:.1f}", f"{v * 1000 / pages:.2f}", f"{100 * v / per_paper:.0f}%"]
        for k, v in stages.items()
    ]
    rows.append(
        [
            "total per paper",
            f"{per_paper * 1000 / n:.1f}",
            f"{per_paper * 1000 / pages:.2f}",
            "100%",
        ]
    )
    print(f"stage CPU cost over {n} papers / {pages} pages (in-process, CPU time):")
    print_table(rows, ["stage", "ms/paper", "ms/page", "share"])
    print(f"pickled record size: {cost['_pickled_bytes'] / n / 1024:.0f} KiB/paper")


# -- the parent: run, time and sample children ----------------------------------------


def run_measured(cmd: list[str], *, kill_after: float | None = None) -> dict[str, object]:
    """Run `cmd`, sampling its tree's memory; SIGKILL its process group after `kill_after` s."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=child_env(),
        start_new_session=True,
    )
    killed = False
    with TreeSampler(proc.pid) as sampler:
        try:
            out, err = proc.communicate(timeout=kill_after)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            killed = True
            out, err = proc.communicate()
    seconds = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if not killed and proc.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err[-2000:]}")
    cpu_seen = dict(sampler.result.cpu)
    parent = cpu_seen.pop(proc.pid, 0.0)
    return {
        "seconds": seconds,
        # A killed tree's workers are never reaped by us: fall back to the sampled times.
        "cpu_seconds": cpu if not killed else parent + sum(cpu_seen.values()),
        "parent_cpu_seconds": parent,
        "workers_cpu_seconds": sum(cpu_seen.values()),
        "peak_rss": sampler.result.peak_rss,
        "peak_pss": sampler.result.peak_pss,
        "returncode": proc.returncode,
        "killed": killed,
        "stdout": out.strip()[-2000:],
        "stderr": err.strip()[-2000:],
    }


def index_cmd(corpus: Path, index: Path, workers: int) -> list[str]:
    return [*search_cmd(), "index", str(corpus), "--index", str(index), "--workers", str(workers)]


def check_index(index: Path, files: int, pages: int | None) -> dict[str, object]:
    """One paper document per file, no duplicate id, one page document per page."""
    from search.library import Library
    from search.schema import PAGE

    lib = Library(index)
    total = lib.total()
    ids = lib.store.paper_ids()
    page_docs = lib.store.count(lib.store.term("doc_type", PAGE))
    ok = total == files == len(ids) and (pages is None or page_docs == pages)
    return {"total": total, "distinct_ids": len(ids), "page_docs": page_docs, "ok": ok}


def committed(index: Path) -> int:
    """Papers visible in the index (0 when nothing was committed yet)."""
    from search.errors import PaperscopeError
    from search.library import Library

    try:
        return Library(index).total()
    except PaperscopeError:
        return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help=f"[{DEFAULT_CORPUS}]")
    ap.add_argument("--n", type=int, default=None, help="use only the first N files")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="processes [cores]")
    ap.add_argument(
        "--work-dir", type=Path, default=BENCH_DIR, help=f"indexes go here [{BENCH_DIR}]"
    )
    ap.add_argument("--skip-baseline", action="store_true")
    ap.add_argument("--skip-resume", action="store_true")
    ap.add_argument("--kill-after", type=float, default=None, help="seconds [half the index run]")
    ap.add_argument(
        "--profile", type=int, default=0, metavar="K", help="only print the stage costs of K papers"
    )
    ap.add_argument("--baseline-child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.baseline_child:
        baseline_child(args.corpus, args.workers)
        return 0
    if args.profile:
        # Distinct papers: the corpus repeats its sources round robin.
        seen: dict[str, Path] = {}
        for f in sorted(args.corpus.rglob("*.pdf")):
            seen.setdefault(f.stem.split("-", 1)[-1], f)
        cost = profile_stages(list(seen.values())[: args.profile])
        print_profile(cost)
        write_json("index_profile", {"corpus": str(args.corpus), "cost_seconds": cost})
        return 0

    corpus = args.corpus.resolve()
    files = sorted(corpus.rglob("*.pdf"))
    if not files:
        ap.error(f"no PDFs under {corpus}; run bench/make_corpus.py first")
    if args.n and args.n < len(files):
        # A subset: link the first N into their own folder so the CLI sees only them.
        sub = args.work_dir / f"subset-{args.n}"
        shutil.rmtree(sub, ignore_errors=True)
        sub.mkdir(parents=True)
        for f in files[: args.n]:
            os.link(f, sub / f.name)
        corpus, files = sub, sorted(sub.glob("*.pdf"))
    n_files = len(files)
    corpus_bytes = sum(f.stat().st_size for f in files)
    w = args.workers
    print(f"corpus: {n_files} PDFs, {corpus_bytes / 2**30:.2f} GiB in {corpus}; {w} workers")
    results: dict[str, object] = {
        "corpus": str(corpus),
        "files": n_files,
        "corpus_bytes": corpus_bytes,
        "workers": w,
    }
    rows: list[list[object]] = []

    pages: int | None = None
    text_bytes: int | None = None
    base_pps = None
    if not args.skip_baseline:
        cmd = [PYTHON, __file__, "--baseline-child", "--corpus", str(corpus), "--workers", str(w)]
        r = run_measured(cmd)
        inner = json.loads(r["stdout"].splitlines()[-1])
        pages, text_bytes = inner["pages"], inner["text_bytes"]
        base_pps = pages / r["seconds"]
        results["baseline"] = {**r, **inner}
        rows.append(row("plain PyMuPDF get_text", r, n_files, pages))
        print(rows[-1])

    index = args.work_dir / "index"
    shutil.rmtree(index, ignore_errors=True)
    r = run_measured(index_cmd(corpus, index, w))
    chk = check_index(index, n_files, pages)
    pages = pages or chk["page_docs"]
    idx_bytes = dir_size(index)
    results["index"] = {**r, "check": chk, "index_bytes": idx_bytes}
    rows.append(row("search index (fresh)", r, n_files, pages))
    print(rows[-1])
    index_seconds = r["seconds"]

    r = run_measured(index_cmd(corpus, index, w))
    results["reindex_unchanged"] = r
    rows.append(row("search index (unchanged)", r, n_files, None))
    print(rows[-1])

    if not args.skip_resume:
        resumed = args.work_dir / "index-resume"
        shutil.rmtree(resumed, ignore_errors=True)
        kill_after = args.kill_after or index_seconds / 2
        killed = run_measured(index_cmd(corpus, resumed, w), kill_after=kill_after)
        kept = committed(resumed)
        second = run_measured(index_cmd(corpus, resumed, w))
        chk2 = check_index(resumed, n_files, pages)
        results["resume"] = {
            "kill_after": kill_after,
            "killed_run": killed,
            "committed_before_restart": kept,
            "restart": second,
            "check": chk2,
        }
        rows.append(row(f"killed at {kill_after:.0f} s ({kept} kept)", killed, None, None))
        rows.append(row("restart after SIGKILL", second, n_files - kept, None))
        shutil.rmtree(resumed, ignore_errors=True)

    print()
    header = [
        "run",
        "wall s",
        "papers/s",
        "pages/s",
        "CPU s",
        "of it parent",
        "peak RSS",
        "peak PSS",
    ]
    print_table(rows, header)
    print()
    idx = results["index"]
    summary = []
    if base_pps:
        ratio = (pages / idx["seconds"]) / base_pps
        results["throughput_ratio"] = ratio
        cpu_ratio = results["baseline"]["cpu_seconds"] / idx["cpu_seconds"]
        results["cpu_ratio"] = cpu_ratio
        summary.append(f"index / baseline throughput: {ratio:.2f} (target >= 0.70)")
        summary.append(
            f"baseline CPU / index CPU: {cpu_ratio:.2f} (same ratio, immune to other load)"
        )
    if text_bytes:
        results["text_bytes"] = text_bytes
        results["index_to_text"] = idx_bytes / text_bytes
        summary.append(
            f"index size {mib(idx_bytes)} vs extracted text {mib(text_bytes)}:"
            f" {idx_bytes / text_bytes:.2f}x (target <= 1.5x)"
        )
    else:
        summary.append(f"index size {mib(idx_bytes)}")
    summary.append(
        f"fresh index check: {chk['total']} papers, {chk['distinct_ids']} distinct ids,"
        f" {chk['page_docs']} page docs -> {'OK' if chk['ok'] else 'MISMATCH'}"
    )
    if "resume" in results:
        c = results["resume"]["check"]
        summary.append(
            f"after kill + restart: {c['total']} papers, {c['distinct_ids']} distinct ids,"
            f" {c['page_docs']} page docs for {n_files} files -> {'OK' if c['ok'] else 'MISMATCH'}"
        )
    print("\n".join(summary))
    path = write_json("index_bench", results)
    print(f"\nJSON: {path}")
    ok = chk["ok"] and ("resume" not in results or results["resume"]["check"]["ok"])
    return 0 if ok else 1


def row(name: str, r: dict[str, object], papers: int | None, pages: int | None) -> list[object]:
    s = r["seconds"]
    return [
        name,
        f"{s:.1f}",
        f"{papers / s:.1f}" if papers else "",
        f"{pages / s:.0f}" if pages else "",
        f"{r['cpu_seconds']:.0f}",
        f"{r['parent_cpu_seconds']:.0f}",
        mib(r["peak_rss"]),
        mib(r["peak_pss"]),
    ]


if __name__ == "__main__":
    raise SystemExit(main())
