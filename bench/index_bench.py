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
import statistics
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
    cpu_ticks,
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

    Mirrors `indexer.extract.extract_paper` stage by stage on this thread's CPU clock
    (Tantivy indexes on threads of its own, which a process clock would charge to
    whatever stage runs meanwhile), after one untimed pass that loads every per-process
    table. Then pickles each paper (the cost of shipping it to the parent) and writes
    all of them to a throw-away index, timed on the process clock, threads included.
    """
    import pickle
    import tempfile

    from indexer.catalog import load_catalog
    from indexer.evidence import running_lines
    from indexer.extract import analysis_pages, content_id, extract_paper
    from indexer.front_matter import parse_front_matter
    from indexer.gazetteer import load_gazetteer
    from indexer.mentions import find_mentions
    from indexer.pdf_text import PdfError, first_textpage, open_pdf, read_pages
    from indexer.sections import find_sections, page_starts
    from indexer.sidecar import apply_sidecar
    from indexer.usage import classify_usage
    from indexer.venue import detect_venue
    from search.store import Store

    clock = time.thread_time
    t0 = clock()
    catalog, gazetteer = load_catalog(), load_gazetteer()
    papers = []
    for f in files:  # warm-up: city and region tables, regex caches; keeps the records
        try:
            papers.append(extract_paper(f))
        except PdfError:
            continue
    cost: dict[str, float] = {"load tables + warm-up pass (once per process)": clock() - t0}
    pages_total = 0
    pickled = 0

    def add(stage: str, since: float) -> float:
        now = clock()
        cost[stage] = cost.get(stage, 0.0) + now - since
        return now

    for f in files:
        t = clock()
        content_id(f)
        t = add("content hash (sha256)", t)
        try:
            doc = open_pdf(f)
        except PdfError:
            continue
        t = add("open PDF", t)
        first = first_textpage(doc)
        pages = read_pages(doc, first)  # PyMuPDF get_text + cleaning, split below
        pages_total += len(pages)
        t = add("PyMuPDF get_text + text cleaning", t)
        pages = analysis_pages(pages)
        parse_front_matter(doc, pages, gazetteer, first=first)
        t = add("front matter (title, authors, affiliations)", t)
        doc.close()
        t = add("close PDF", t)
        sections = find_sections(pages)
        t = add("sections", t)
        running = running_lines(pages, page_starts(pages))
        t = add("running headers and footers", t)
        mentions = find_mentions(pages, sections, catalog, running)
        t = add("mentions", t)
        classify_usage(mentions, catalog)
        t = add("usage", t)
        detect_venue(pages[0].text)
        t = add("venue", t)
        apply_sidecar(papers[0], f)
        t = add("sidecar", t)
    _split_cleaning(cost, files)
    t = clock()
    for paper in papers:
        blob = pickle.dumps(paper, protocol=pickle.HIGHEST_PROTOCOL)
        pickle.loads(blob)
        pickled += len(blob)
    add("pickle to parent (dumps + loads)", t)
    with tempfile.TemporaryDirectory() as tmp:
        t = time.process_time()
        with Store.create(Path(tmp) / "ix").writer() as writer:
            for paper in papers:
                writer.add(paper)
            writer.commit()
        cost["Tantivy writer (documents, indexing threads, commit)"] = time.process_time() - t
    cost["_papers"] = len(papers)
    cost["_pages"] = pages_total
    cost["_pickled_bytes"] = pickled
    return cost


def _split_cleaning(cost: dict[str, float], files: list[Path]) -> None:
    """Split "get_text + cleaning" by timing `clean_text` alone on the same raw text."""
    from indexer.pdf_text import TEXT_FLAGS, PdfError, clean_text, open_pdf

    raws = []
    for f in files:
        try:
            doc = open_pdf(f)
        except PdfError:
            continue
        raws += [page.get_text("text", flags=TEXT_FLAGS) for page in doc]
        doc.close()
    t = time.thread_time()
    for raw in raws:
        clean_text(raw)
    cleaning = time.thread_time() - t
    both = cost.pop("PyMuPDF get_text + text cleaning")
    extra = {"PyMuPDF get_text": both - cleaning, "text cleaning": cleaning}
    # Keep the stage order: insert after "open PDF".
    items = list(cost.items())
    at = [k for k, _ in items].index("open PDF") + 1
    cost.clear()
    cost.update(items[:at] + list(extra.items()) + items[at:])


def print_profile(cost: dict[str, float]) -> None:
    n, pages = cost["_papers"], cost["_pages"]
    stages = {k: v for k, v in cost.items() if not k.startswith("_")}
    per_paper = sum(v for k, v in stages.items() if "once" not in k)
    rows = [
        [k, f"{v * 1000 / n:.1f}", f"{v * 1000 / pages:.2f}", f"{100 * v / per_paper:.0f}%"]
        if "once" not in k
        else [k, f"({v:.2f} s)", "", ""]
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
    print(f"stage CPU cost over {n} papers / {pages} pages (in-process CPU time, warm caches):")
    print_table(rows, ["stage", "ms/paper", "ms/page", "share"])
    print(f"pickled record size: {cost['_pickled_bytes'] / n / 1024:.0f} KiB/paper")


# -- the parent: run, time and sample children ----------------------------------------


def run_measured(cmd: list[str], *, kill_after: float | None = None) -> dict[str, object]:
    """Run `cmd`, sampling its tree's memory; SIGKILL its process group after `kill_after` s."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    steal0, ticks0 = cpu_ticks()
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
    steal1, ticks1 = cpu_ticks()
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
        "steal_share": (steal1 - steal0) / max(1, ticks1 - ticks0),
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
    ap.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="baseline + fresh index pairs, alternated; the ratio is their median [1]",
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
    index = args.work_dir / "index"
    rounds: list[dict[str, object]] = []
    for k in range(1, args.rounds + 1):
        tag = f" #{k}" if args.rounds > 1 else ""
        this: dict[str, object] = {}
        if not args.skip_baseline:
            r = run_measured(
                [PYTHON, __file__, "--baseline-child", "--corpus", str(corpus), "--workers", str(w)]
            )
            inner = json.loads(r["stdout"].splitlines()[-1])
            pages, text_bytes = inner["pages"], inner["text_bytes"]
            this["baseline"] = {**r, **inner}
            rows.append(row("plain PyMuPDF get_text" + tag, r, n_files, pages))
            print(rows[-1])
        shutil.rmtree(index, ignore_errors=True)
        r = run_measured(index_cmd(corpus, index, w))
        chk = check_index(index, n_files, pages)
        pages = pages or chk["page_docs"]
        this["index"] = {**r, "check": chk, "index_bytes": dir_size(index)}
        rows.append(row("search index (fresh)" + tag, r, n_files, pages))
        print(rows[-1])
        if "baseline" in this:
            base, idx = this["baseline"], this["index"]
            this["throughput_ratio"] = base["seconds"] / idx["seconds"]
            this["cpu_ratio"] = base["cpu_seconds"] / idx["cpu_seconds"]
        rounds.append(this)
    results["rounds"] = rounds
    results["index"] = rounds[-1]["index"]
    if "baseline" in rounds[-1]:
        results["baseline"] = rounds[-1]["baseline"]
    chk = results["index"]["check"]
    idx_bytes = results["index"]["index_bytes"]
    index_seconds = results["index"]["seconds"]

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
    summary = []
    ratios = [r["throughput_ratio"] for r in rounds if "throughput_ratio" in r]
    if ratios:
        cpu_ratios = [r["cpu_ratio"] for r in rounds]
        results["throughput_ratio"] = statistics.median(ratios)
        results["cpu_ratio"] = statistics.median(cpu_ratios)
        summary.append(f"index / baseline throughput: {_median_text(ratios)} (target >= 0.70)")
        summary.append(
            f"baseline CPU / index CPU: {_median_text(cpu_ratios)}"
            " (the same ratio from CPU time, less sensitive to other load)"
        )
    steal = max(
        (run["steal_share"] for r in rounds for run in r.values() if isinstance(run, dict)),
        default=0.0,
    )
    summary.append(
        f"CPU steal by the host during the timed runs: up to {100 * steal:.1f}%"
        " (above a few % the figures are unreliable)"
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


def _median_text(values: list[float]) -> str:
    """ "0.74", or "0.74 (median of 0.71, 0.74, 0.77)" for several rounds."""
    text = f"{statistics.median(values):.2f}"
    if len(values) > 1:
        text += f" (median of {', '.join(f'{x:.2f}' for x in values)})"
    return text


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
