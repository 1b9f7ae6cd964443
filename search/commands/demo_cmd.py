"""`search demo`: make a sample corpus, index it, answer the headline questions."""

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


def run_demo(papers: int, out: Path, index_dir: Path, workers: int | None) -> int:
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
    console.print(f"wrote {corpus.papers} sample papers to {corpus.pdf_dir}")
    code = run_index([corpus.pdf_dir], index_dir, workers, None, None, False, None)
    lib = Library(index_dir)
    console.print()
    suffix = "" if index_dir == Path("index") else f" --index {index_dir}"
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
    console.print(
        "next: `search papers --model llama --country CN`, `search show PAPER`, `search tui`"
    )
    return code
