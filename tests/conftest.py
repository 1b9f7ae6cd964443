"""Shared fixtures: a sample-corpus index, and a real-corpus index when ../shared exists."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus"
SHARED_PDFS = SHARED / "pdfs"
SHARED_LABELS = SHARED / "labels.jsonl"
HAVE_SHARED = SHARED_PDFS.is_dir() and SHARED_LABELS.is_file()

needs_shared = pytest.mark.skipif(
    not HAVE_SHARED, reason="../shared/corpus (real PDFs and labels) is not present"
)

DEMO_PAPERS = 30


@pytest.fixture(scope="session")
def demo_corpus(tmp_path_factory: pytest.TempPathFactory):
    """A small generated sample corpus (PDFs + ground-truth labels)."""
    from indexer.demo import generate_demo_corpus

    return generate_demo_corpus(tmp_path_factory.mktemp("demo"), n=DEMO_PAPERS)


@pytest.fixture(scope="session")
def demo_index(demo_corpus, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of the sample corpus."""
    from indexer.pipeline import index_pdfs

    index_dir = tmp_path_factory.mktemp("demo-index")
    report = index_pdfs([demo_corpus.pdf_dir], index_dir, workers=2)
    assert not report.skipped, report.skipped
    return index_dir


@pytest.fixture(scope="session")
def shared_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of the real PDFs in ../shared/corpus/pdfs."""
    if not HAVE_SHARED:
        pytest.skip("../shared/corpus (real PDFs and labels) is not present")
    from indexer.pipeline import index_pdfs

    index_dir = tmp_path_factory.mktemp("shared-index")
    index_pdfs([SHARED_PDFS], index_dir, workers=2)
    return index_dir


@pytest.fixture(scope="session")
def catalog(tmp_path_factory: pytest.TempPathFactory):
    """The built-in model catalog, whatever the machine's user catalog file says."""
    from indexer.catalog import load_catalog

    empty = tmp_path_factory.mktemp("cat") / "empty.toml"
    empty.write_text("", encoding="utf-8")
    return load_catalog(empty)
