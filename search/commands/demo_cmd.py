"""`search demo`: make a sample corpus, index it, answer the headline questions.

The sample papers get their own index (``demo-corpus/index`` by default), never the
user's default ``index/``: papers a user indexes later must not be counted together with
200 generated ones. The demo says where the index is and how to point the one-liners at
it (``export PAPERSCOPE_INDEX=demo-corpus/index``).
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from search.filters import Filters, make_filters


def headline_questions() -> list[tuple[str, Filters]]:
    """The questions of the published NeurIPS analysis, as filters."""
    return [
        ("Papers in the index", make_filters()),
        ("US–China collaborations", make_filters(countries=["US", "CN"], all_countries=True)),
        (
            "Chinese-affiliated papers that use Llama",
            make_filters(countries=["CN"], models=["llama"]),
        ),
        (
            "Chinese-affiliated papers that use the transformer",
            make_filters(countries=["CN"], models=["transformer"]),
        ),
        ("Papers with US authors that use Qwen", make_filters(countries=["US"], models=["qwen"])),
        (
            "Papers with US authors that use Chinese-developed models",
            make_filters(countries=["US"], model_origins=["CN"]),
        ),
    ]


DEMO_DIR = Path("demo-corpus")
"""Where `search demo` writes by default (the README's export line names it)."""
DEMO_INDEX_NAME = "index"
"""The demo's index folder inside its corpus folder."""


def demo_index(out: Path) -> Path:
    """The index folder of a demo corpus written to ``out``."""
    return out / DEMO_INDEX_NAME


def run_demo(papers: int, out: Path, index_dir: Path | None, workers: int | None) -> int:
    """Generate, index, answer; return the exit code."""
    from indexer.demo import generate_demo_corpus
    from search.commands.index_cmd import run_index
    from search.evaluate import evaluate
    from search.library import Library

    console = Console(highlight=False, soft_wrap=True)
    with Progress(
        TextColumn("[bold]writing sample PDFs"),
        BarColumn(),
        MofNCompleteColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as progress:
        task = progress.add_task("demo", total=papers)
        corpus = generate_demo_corpus(
            out, n=papers, progress=lambda done, total: progress.update(task, completed=done)
        )
    index_dir = index_dir or demo_index(out)
    unchanged = corpus.papers - corpus.rewritten
    console.print(
        f"wrote {corpus.rewritten} sample papers to {corpus.pdf_dir}"
        + (f" ({unchanged} already there, unchanged)" if unchanged else "")
        + (f"; removed {corpus.removed} left from an earlier run" if corpus.removed else "")
    )
    console.print(f"indexing them into {index_dir} (the demo's own index; yours is index/)")
    code = run_index([corpus.pdf_dir], index_dir, workers, None, None, False, None, prune=True)
    lib = Library(index_dir)
    console.print()
    suffix = f" --index {index_dir}"
    for question, f in headline_questions():
        console.print(
            f"{question:<58} [bold]{lib.count(f):>5}[/bold]   [dim]{f.command_line()}{suffix}[/dim]"
        )
    report = evaluate(lib, corpus.labels_file)
    console.print()
    console.print(f"accuracy against the sample's ground truth ({report.papers} papers):")
    for name, s in report.scores.items():
        console.print(
            f"  {name:<12} precision {s.precision:.3f}  recall {s.recall:.3f}  F1 {s.f1:.3f}"
        )
    console.print()
    console.print("to ask the demo index with the README's one-liners, select it first:")
    console.print(f"  [bold]export PAPERSCOPE_INDEX={index_dir}[/bold]")
    console.print(
        "then: `search papers --model llama --country CN`, `search show PAPER`, `search tui`;"
        " `unset PAPERSCOPE_INDEX` before `search index YOUR_PDFS` (they go to index/)"
    )
    return code
