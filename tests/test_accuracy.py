"""Accuracy floors on the hand-labelled real papers, measured through the whole pipeline.

The index is built from ../shared/corpus/pdfs exactly as `search index` builds it and
scored with the same code as `search eval`. Floors only go up.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from search.evaluate import evaluate
from search.library import Library
from tests.conftest import SHARED_LABELS, needs_shared

pytestmark = needs_shared

FLOORS = {
    # metric: (precision, recall, f1)
    "countries": (0.98, 0.98, 0.98),
    "models_used": (0.97, 0.97, 0.97),
    "models_any": (0.98, 0.98, 0.98),
}


@pytest.fixture(scope="module")
def report(shared_index: Path):
    return evaluate(Library(shared_index), SHARED_LABELS)


def test_every_labelled_paper_is_indexed(report) -> None:
    assert report.not_indexed == []
    assert report.papers == sum(1 for line in SHARED_LABELS.open() if line.strip())


@pytest.mark.parametrize("metric", sorted(FLOORS))
def test_accuracy_floor(report, metric: str) -> None:
    p, r, f1 = FLOORS[metric]
    score = report.scores[metric]
    misses = [d for d in report.disagreements if d.metric == metric]
    detail = "\n".join(f"{d.file}: {d.kind} {d.value} — {d.evidence}" for d in misses)
    assert score.precision >= p, detail
    assert score.recall >= r, detail
    assert score.f1 >= f1, detail


def test_all_sixty_real_pdfs_index_without_skips(shared_index: Path) -> None:
    from tests.conftest import SHARED_PDFS

    assert Library(shared_index).total() == len(list(SHARED_PDFS.glob("*.pdf")))
