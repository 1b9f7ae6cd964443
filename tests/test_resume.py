"""An interrupted indexing run resumes with one record per paper; unchanged files cost nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import indexer.extract
from indexer.pipeline import FileResult, index_pdfs
from search.library import Library
from search.schema import PAGE

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]

KILL_AFTER = 7
"""Files the killed run reports before it dies (two batches of 3 committed, one pending)."""

# A child that indexes with small batches and SIGKILLs itself mid-run: no clean-up,
# no final commit, exactly like `kill -9` or the OOM killer.
KILLED_RUN = """
import os, signal, sys
from pathlib import Path
import indexer.pipeline as pipeline

pipeline.COMMIT_EVERY = 3
seen = 0

def on_result(result):
    global seen
    seen += 1
    if seen == int(sys.argv[3]):
        os.kill(os.getpid(), signal.SIGKILL)

pipeline.index_pdfs([Path(sys.argv[1])], Path(sys.argv[2]), workers=1, on_result=on_result)
"""


def assert_one_record_per_paper(index_dir: Path, pdfs: list[Path]) -> None:
    lib = Library(index_dir)
    assert lib.total() == len(pdfs)
    assert len(lib.store.paper_ids()) == len(pdfs)
    assert {p.file for p in lib.records()} == {p.name for p in pdfs}
    n_pages = sum(p.n_pages for p in lib.records())
    assert lib.store.count(lib.store.term("doc_type", PAGE)) == n_pages


def test_run_killed_with_sigkill_resumes_without_loss_or_duplicates(
    demo_corpus, tmp_path: Path
) -> None:
    index_dir = tmp_path / "ix"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    killed = subprocess.run(
        [
            sys.executable,
            "-c",
            KILLED_RUN,
            str(demo_corpus.pdf_dir),
            str(index_dir),
            str(KILL_AFTER),
        ],
        env=env,
        capture_output=True,
        timeout=300,
    )
    assert killed.returncode == -9, killed.stderr.decode()[-2000:]
    kept = Library(index_dir).total()
    assert 0 < kept < KILL_AFTER, "committed batches survive, the pending one is lost"

    report = index_pdfs([demo_corpus.pdf_dir], index_dir, workers=2)

    pdfs = sorted(demo_corpus.pdf_dir.glob("*.pdf"))
    assert report.count("unchanged") == kept
    assert report.count("indexed") == len(pdfs) - kept
    assert not report.skipped
    assert_one_record_per_paper(index_dir, pdfs)


def test_run_stopped_with_ctrl_c_keeps_its_work_and_resumes(demo_corpus, tmp_path: Path) -> None:
    index_dir = tmp_path / "ix"
    seen: list[FileResult] = []

    def stop_after_five(result: FileResult) -> None:
        seen.append(result)
        if len(seen) == 5:
            raise KeyboardInterrupt

    first = index_pdfs([demo_corpus.pdf_dir], index_dir, workers=2, on_result=stop_after_five)
    assert first.interrupted
    assert Library(index_dir).total() == 5

    second = index_pdfs([demo_corpus.pdf_dir], index_dir, workers=2)

    pdfs = sorted(demo_corpus.pdf_dir.glob("*.pdf"))
    assert not second.interrupted
    assert second.count("unchanged") == 5
    assert second.count("indexed") == len(pdfs) - 5
    assert_one_record_per_paper(index_dir, pdfs)


@pytest.fixture()
def no_extraction(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any extraction fail loudly (workers=1 runs jobs in this process)."""

    monkeypatch.setattr(indexer.extract, "extract_paper", _refuse)


def test_reindexing_an_unchanged_corpus_opens_no_file(
    demo_corpus, demo_index: Path, no_extraction: None
) -> None:
    started: list[int] = []
    report = index_pdfs([demo_corpus.pdf_dir], demo_index, workers=1, on_start=started.append)

    assert started == [0]
    assert report.count("unchanged") == demo_corpus.papers == len(report.results)
    assert Library(demo_index).total() == demo_corpus.papers


def test_touched_files_are_recognised_by_content_and_not_extracted(
    demo_corpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pdfs = sorted(demo_corpus.pdf_dir.glob("*.pdf"))[:4]
    corpus = tmp_path / "pdfs"
    corpus.mkdir()
    for p in pdfs:
        (corpus / p.name).write_bytes(p.read_bytes())
    index_pdfs([corpus], tmp_path / "ix", workers=1)
    monkeypatch.setattr(indexer.extract, "extract_paper", _refuse)
    for p in corpus.iterdir():
        os.utime(p, (1_000_000_000, 1_000_000_000))

    report = index_pdfs([corpus], tmp_path / "ix", workers=1)

    assert [r.outcome for r in report.results] == ["unchanged"] * len(pdfs)
    assert_one_record_per_paper(tmp_path / "ix", sorted(corpus.iterdir()))


def _refuse(*args: object, **kwargs: object) -> None:
    raise AssertionError("a paper was extracted again")
