"""How fast are queries on a NeurIPS-size index, in-process and from a cold `search` process?

In-process (``Library``), each repeated ``--runs`` times, p50/p95 in milliseconds:

* count with facet filters (``--model llama --country CN`` …), filters resolved each time;
* facet counts (every facet field) over all papers and over a filtered set;
* a full-text phrase query returning the top 20 papers with a page-numbered snippet each;
* two-way group-by tables (``Library.table``: year × country, model × country,
  collaboration × year, model-origin × country) and one-way tables with denominators;
* adoption matrices (``Library.adoption``: models × countries, model origin × countries
  with shares).

Then a cold ``search count --model qwen --country US --index DIR`` process end to end
(median of ``--cold-runs``, each run next to a bare ``python -c pass`` so a busy machine
shows in both), and which heavy modules such a process imports: the query path must not
load PyMuPDF, spaCy, pandas, Textual, pycountry, the gazetteer or the whole model catalog
(filter names resolve from the precomputed ``indexer/data/aliases.json``).

    python bench/query_bench.py --index /tmp/paperscope-bench/index
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._util import (
    DEFAULT_INDEX,
    PYTHON,
    child_env,
    percentile,
    print_table,
    search_cmd,
    write_json,
)

HEAVY = (
    "pymupdf",
    "fitz",
    "spacy",
    "pandas",
    "numpy",
    "textual",
    "distributed",
    "dask",
    "rich",
    "pycountry",
    "indexer.gazetteer",
    "indexer.countries",
    "indexer.catalog",
)
"""Modules a cold `search count` should not need (rich is only reported, not required)."""
REQUIRED_ABSENT = tuple(m for m in HEAVY if m not in ("numpy", "rich", "distributed", "dask"))

COUNTS = (
    {"models": ("llama",), "countries": ("CN",)},
    {"models": ("qwen",), "countries": ("US",)},
    {"models": ("gpt",), "countries": ("US", "CN"), "all_countries": True},
    {"model_origins": ("CN",), "countries": ("US",)},
)
PHRASES = ('"reward model"', '"large language models"')
COLD_ARGS = ("count", "--model", "qwen", "--country", "US")

TWO_WAY = (
    ("year", "country", {}),
    ("model", "country", {}),
    ("collaboration", "year", {}),
    ("model-origin", "country", {"venues": ("NeurIPS",)}),
    ("year", None, {"countries": ("US", "CN"), "all_countries": True}),
)
ADOPTION = (
    {},
    {"origin": True, "share": True},
    {"mentioned": True},
)

TARGETS_MS = {
    "count": 2.0,
    "phrase+20 snippets": 50.0,
    "two-way table": 50.0,
    "adoption": 50.0,
}
COLD_TARGET_S = 0.3


def timed(fn: Callable[[], object], runs: int) -> dict[str, float]:
    """p50/p95/max in ms of `runs` calls (after one warm-up call)."""
    fn()
    ms = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        ms.append((time.perf_counter() - t0) * 1000)
    return {"p50": percentile(ms, 50), "p95": percentile(ms, 95), "max": max(ms), "runs": runs}


def in_process(index: Path, runs: int) -> tuple[dict[str, dict[str, float]], dict[str, object]]:
    from search.filters import Filters, make_filters
    from search.library import Library

    t0 = time.perf_counter()
    lib = Library(index)
    total = lib.total()
    open_ms = (time.perf_counter() - t0) * 1000
    figures: dict[str, dict[str, float]] = {}
    answers: dict[str, object] = {"total": total, "open_ms": open_ms}

    count_ms: list[dict[str, float]] = []
    for spec in COUNTS:
        label = " ".join(f"{k}={v}" for k, v in spec.items())
        answers[f"count {label}"] = lib.count(make_filters(**spec))
        count_ms.append(timed(lambda spec=spec: lib.count(make_filters(**spec)), runs))
        figures[f"count {label}"] = count_ms[-1]
    figures["count"] = {
        "p50": statistics.median(c["p50"] for c in count_ms),
        "p95": max(c["p95"] for c in count_ms),
        "max": max(c["max"] for c in count_ms),
        "runs": runs * len(COUNTS),
    }
    figures["facets (all papers)"] = timed(lambda: lib.facets(Filters()), runs)
    llama_cn = make_filters(models=("llama",), countries=("CN",))
    figures["facets (llama, CN)"] = timed(lambda: lib.facets(llama_cn), runs)

    phrase_ms = []
    for phrase in PHRASES:
        f = make_filters(phrase)
        hits = lib.find(f, limit=20)
        answers[f"find {phrase}"] = {
            "hits": len(hits),
            "with_snippet": sum(bool(h.snippets) for h in hits),
            "matches": lib.count(f),
        }
        phrase_ms.append(timed(lambda f=f: lib.find(f, limit=20), runs))
        figures[f"phrase {phrase} +20 snippets"] = phrase_ms[-1]
    figures["phrase+20 snippets"] = {
        "p50": statistics.median(p["p50"] for p in phrase_ms),
        "p95": max(p["p95"] for p in phrase_ms),
        "max": max(p["max"] for p in phrase_ms),
        "runs": runs * len(PHRASES),
    }

    table_runs = max(5, runs // 4)
    table_ms = []
    for by, by2, spec in TWO_WAY:
        label = f"table {by}" + (f" x {by2}" if by2 else " (+denominators)")
        label += "".join(f" {k}={v}" for k, v in spec.items())
        f = make_filters(**spec)
        t = lib.table(by, by2, f)
        answers[label] = f"{len(t.rows)} rows x {len(t.columns)} columns, total {t.total}"
        table_ms.append(timed(lambda by=by, by2=by2, f=f: lib.table(by, by2, f), table_runs))
        figures[label] = table_ms[-1]
    figures["two-way table"] = _summary(table_ms, table_runs)
    adoption_ms = []
    for spec in ADOPTION:
        label = "adoption " + (" ".join(spec) or "used")
        t = lib.adoption(Filters(), **spec)
        answers[label] = f"{len(t.rows)} rows x {len(t.columns)} columns, {len(t.marked)} marked"
        adoption_ms.append(timed(lambda spec=spec: lib.adoption(Filters(), **spec), table_runs))
        figures[label] = adoption_ms[-1]
    figures["adoption"] = _summary(adoption_ms, table_runs)
    return figures, answers


def _summary(parts: list[dict[str, float]], runs: int) -> dict[str, float]:
    """The worst p50, p95 and max over several timed queries (each must meet the target)."""
    return {
        "p50": max(p["p50"] for p in parts),
        "p95": max(p["p95"] for p in parts),
        "max": max(p["max"] for p in parts),
        "runs": runs * len(parts),
    }


def cold(index: Path, runs: int) -> dict[str, object]:
    """Median wall time of a fresh `search count` process, its output and heavy imports."""
    cmd = [*search_cmd(), *COLD_ARGS, "--index", str(index)]
    env = child_env()
    seconds, cpu, interp, interp_cpu = [], [], [], []
    out = ""
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run([PYTHON, "-c", "pass"], check=True)
        interp.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        interp_cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        before = after
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True)
        seconds.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        out = proc.stdout.strip()
    probe = (
        "import atexit, json, sys\n"
        f"HEAVY = {HEAVY!r}\n"
        "atexit.register(lambda: sys.stderr.write('HEAVY=' + json.dumps("
        "[m for m in HEAVY if m in sys.modules]) + '\\n'))\n"
        f"sys.argv = ['search', *{[*COLD_ARGS, '--index', str(index)]!r}]\n"
        "from search.cli import main\n"
        "main()\n"
    )
    proc = subprocess.run(
        [PYTHON, "-X", "importtime", "-c", probe], capture_output=True, text=True, env=env
    )
    heavy: list[str] = []
    imports: list[tuple[int, str]] = []
    for line in proc.stderr.splitlines():
        if line.startswith("HEAVY="):
            heavy = json.loads(line[len("HEAVY=") :])
        elif line.startswith("import time:") and line.count("|") == 2:
            _self, cum, raw_name = line[len("import time:") :].split("|")
            # Nested imports are indented under their importer: keep top-level ones.
            if cum.strip().isdigit() and not raw_name[1:].startswith(" "):
                imports.append((int(cum), raw_name.strip()))
    imports.sort(reverse=True)
    return {
        "command": " ".join(cmd),
        "median_s": statistics.median(seconds),
        "min_s": min(seconds),
        # CPU time is what the wall time would be on an idle machine (one thread, warm cache).
        "median_cpu_s": statistics.median(cpu),
        "runs": runs,
        "output": out,
        "bare_python_s": statistics.median(interp),
        "bare_python_cpu_s": statistics.median(interp_cpu),
        "heavy_modules_loaded": heavy,
        "top_imports_ms": [(name, us / 1000) for us, name in imports[:12]],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", type=Path, default=DEFAULT_INDEX, help=f"[{DEFAULT_INDEX}]")
    ap.add_argument("--runs", type=int, default=200, help="in-process repetitions [200]")
    ap.add_argument("--cold-runs", type=int, default=10, help="cold processes [10]")
    args = ap.parse_args(argv)

    figures, answers = in_process(args.index, args.runs)
    c = cold(args.index, args.cold_runs)
    rows = []
    for name, f in figures.items():
        target = TARGETS_MS.get(name)
        rows.append(
            [
                name,
                f"{f['p50']:.2f}",
                f"{f['p95']:.2f}",
                f"{f['max']:.1f}",
                f"<= {target:g}" if target else "",
                ("OK" if f["p50"] <= target else "MISS") if target else "",
            ]
        )
    print(f"index {args.index}: {answers['total']} papers (opened in {answers['open_ms']:.0f} ms)")
    print_table(rows, ["in-process (ms)", "p50", "p95", "max", "target p50", ""])
    print()
    for k, v in answers.items():
        if k not in ("total", "open_ms"):
            print(f"  {k}: {v}")
    ok_cold = c["median_s"] <= COLD_TARGET_S
    print(
        f"\ncold `{' '.join(COLD_ARGS)}`: median {c['median_s']:.3f} s (min {c['min_s']:.3f},"
        f" bare python {c['bare_python_s']:.3f}; CPU {c['median_cpu_s']:.3f} s, bare python"
        f" {c['bare_python_cpu_s']:.3f}) over {c['runs']}"
        f" runs -> {c['output']}"
        f"  [target <= {COLD_TARGET_S} s: {'OK' if ok_cold else 'MISS'}]"
    )
    bad = [m for m in c["heavy_modules_loaded"] if m in REQUIRED_ABSENT]
    print(
        f"heavy modules loaded: {c['heavy_modules_loaded'] or 'none'}"
        f"  [{'OK' if not bad else 'MISS: ' + ', '.join(bad)}]"
    )
    print("slowest top-level imports (cumulative ms):")
    for name, ms in c["top_imports_ms"][:8]:
        print(f"  {ms:7.1f}  {name}")
    path = write_json(
        "query_bench",
        {"index": str(args.index), "in_process_ms": figures, "answers": answers, "cold": c},
    )
    print(f"\nJSON: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
