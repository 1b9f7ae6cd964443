"""Extraction on a Dask cluster builds the same index as the local process pool."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer import pipeline
from indexer.pipeline import index_pdfs
from search.library import Library

distributed = pytest.importorskip(
    "distributed", reason="dask.distributed is not installed (needed for --scheduler)"
)

pytestmark = pytest.mark.slow


def summary(index_dir: Path) -> dict[str, object]:
    """What two indexes of the same PDFs must agree on."""
    lib = Library(index_dir)
    facets = lib.facets(fields=("country", "model_used", "model_mentioned"), size=1000)
    return {
        "total": lib.total(),
        "ids": lib.store.paper_ids(),
        "facets": {k: sorted((f.value, f.count) for f in v) for k, v in facets.items()},
    }


def test_dask_executor_builds_the_same_index_as_local_workers(
    demo_corpus, demo_index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A single-process run earlier in this process leaves its known paper ids behind;
    # an in-process Dask worker shares them and must not take them for this index's.
    monkeypatch.setattr(pipeline, "_KNOWN_IDS", frozenset(Library(demo_index).store.paper_ids()))
    with distributed.Client(
        processes=False, n_workers=1, threads_per_worker=1, dashboard_address=None
    ) as client:
        report = index_pdfs([demo_corpus.pdf_dir], tmp_path / "ix", executor=client.get_executor())

    assert not report.skipped, report.skipped
    assert report.count("indexed") == demo_corpus.papers
    local, remote = summary(demo_index), summary(tmp_path / "ix")
    assert remote["total"] == local["total"] == demo_corpus.papers
    assert remote["ids"] == local["ids"]
    assert remote["facets"] == local["facets"]
    assert local["facets"]["country"], "the sample corpus should resolve some countries"
