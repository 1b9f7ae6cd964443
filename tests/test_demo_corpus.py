"""The built-in demo corpus: deterministic PDFs whose labels match what they print."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pymupdf
import pytest

from indexer.demo import DemoCorpus, generate_demo_corpus, make_bad_pdfs, make_paper
from indexer.pdf_text import PdfError, open_pdf, read_pages

ROOT = Path(__file__).resolve().parents[1]
N = 10  # the first ten papers are fixed scenarios covering every byline style


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[DemoCorpus, list[tuple[int, int]]]:
    calls: list[tuple[int, int]] = []
    out = tmp_path_factory.mktemp("demo")
    result = generate_demo_corpus(out, n=N, seed=7, progress=lambda d, t: calls.append((d, t)))
    return result, calls


@pytest.fixture(scope="module")
def labels(corpus: tuple[DemoCorpus, list[tuple[int, int]]]) -> list[dict]:
    text = corpus[0].labels_file.read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines()]


def _page_text(path: Path, page: int | None = None) -> str:
    doc = open_pdf(path)
    pages = read_pages(doc)
    doc.close()
    chosen = pages if page is None else pages[page - 1 : page]
    return "\n".join(p.text for p in chosen)


def _squash(text: str) -> str:
    """Letters and digits only, so line breaks and joined hyphens do not matter."""
    return re.sub(r"[^0-9a-z]", "", text.lower())


def test_progress_is_reported_after_each_paper(corpus):
    result, calls = corpus
    assert result.papers == N
    assert calls == [(i, N) for i in range(1, N + 1)]


def test_labels_file_has_one_entry_per_pdf(corpus, labels):
    result, _ = corpus
    files = sorted(p.name for p in result.pdf_dir.glob("*.pdf"))
    assert sorted(lab["file"] for lab in labels) == files
    assert len(files) == N


def test_labels_follow_the_real_corpus_schema(labels):
    keys = {
        "file", "title", "venue", "source", "anonymous", "affiliations", "countries",
        "models_used", "models_mentioned_only", "evidence", "layout", "affiliation_style",
        "pages", "notes",
    }  # fmt: skip
    for lab in labels:
        assert set(lab) == keys
        assert lab["countries"] == sorted({a["country"] for a in lab["affiliations"]})
        assert not set(lab["models_used"]) & set(lab["models_mentioned_only"])
        assert set(lab["evidence"]) == set(lab["models_used"]) | set(lab["models_mentioned_only"])
        assert lab["layout"] in {"single-column", "two-column"}
        assert lab["anonymous"] == (lab["affiliation_style"] == "none")


def test_page_count_label_matches_pdf_and_stays_in_range(corpus, labels):
    for lab in labels:
        doc = pymupdf.open(corpus[0].pdf_dir / lab["file"])
        assert doc.page_count == lab["pages"]
        assert 6 <= lab["pages"] <= 12


def test_fixed_scenarios_cover_every_byline_style_and_layout(labels):
    assert {lab["affiliation_style"] for lab in labels} == {
        "under-authors", "footnote", "emails-only", "none",
    }  # fmt: skip
    assert {lab["layout"] for lab in labels} == {"single-column", "two-column"}
    assert any(lab["venue"] and lab["venue"].startswith("NeurIPS") for lab in labels)
    assert any(lab["venue"] is None for lab in labels)


def test_page_one_reads_title_then_byline_then_affiliations(corpus, labels):
    for lab in labels:
        text = _page_text(corpus[0].pdf_dir / lab["file"], page=1)
        flat = " ".join(text.split())
        title_at = flat.lower().find(lab["title"].lower())
        assert title_at >= 0, lab["file"]
        after_title = title_at + len(lab["title"])
        abstract_at = flat.lower().find("abstract", after_title)
        assert abstract_at > after_title, lab["file"]
        byline = flat[after_title:abstract_at]
        if lab["affiliation_style"] == "none":
            assert "Anonymous" in byline
            continue
        assert re.search(r"[A-Z][a-z]+ [A-Z][a-zü]+", byline), lab["file"]
        for aff in lab["affiliations"]:
            if "internship" in lab["notes"] and aff["name"] in lab["notes"]:
                continue  # printed in a footnote, later on the page
            if lab["affiliation_style"] == "footnote":
                assert aff["name"] in flat[abstract_at:], (lab["file"], aff["name"])
            else:
                assert aff["name"] in " ".join(byline.split()), (lab["file"], aff["name"])


def test_emails_only_paper_prints_gmail_and_no_institution(corpus, labels):
    lab = next(x for x in labels if x["affiliation_style"] == "emails-only")
    text = _page_text(corpus[0].pdf_dir / lab["file"], page=1)
    assert "@gmail.com" in text
    assert lab["affiliations"] == [] and lab["countries"] == []


def test_venue_line_printed_for_labelled_venues(corpus, labels):
    for lab in labels:
        text = _page_text(corpus[0].pdf_dir / lab["file"], page=1)
        if lab["venue"] and lab["venue"].startswith("NeurIPS"):
            assert f"({lab['venue']})" in text
        if lab["venue"] and lab["venue"].startswith("ICLR"):
            assert f"Published as a conference paper at {lab['venue']}" in text


def _body_text(path: Path, title: str) -> str:
    """All pages joined without running headers and page-number footers."""
    doc = open_pdf(path)
    pages = read_pages(doc)
    doc.close()
    lines = [
        line
        for p in pages
        for line in p.text.split("\n")
        if not line.strip().isdigit() and _squash(line) != _squash(title)
    ]
    return "\n".join(lines)


def test_evidence_sentences_of_used_models_are_in_the_text(corpus, labels):
    for lab in labels:
        body = _squash(_body_text(corpus[0].pdf_dir / lab["file"], lab["title"]))
        for model in lab["models_used"]:
            quote = lab["evidence"][model]
            if quote.startswith("Table "):
                row = quote.split("'", 1)[1].rstrip("'")
                assert _squash(row) in body, (lab["file"], model, row)
            else:
                assert _squash(quote) in body, (lab["file"], model, quote)


def test_same_seed_gives_identical_bytes_in_a_fresh_process(tmp_path):
    here = tmp_path / "here"
    generate_demo_corpus(here, n=2, seed=11)
    code = (
        "import sys; from pathlib import Path; sys.path.insert(0, sys.argv[2]);"
        "from indexer.demo import generate_demo_corpus;"
        "generate_demo_corpus(Path(sys.argv[1]), n=2, seed=11)"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    there = tmp_path / "there"
    subprocess.run([sys.executable, "-c", code, str(there), str(ROOT)], check=True, env=env)
    files = sorted(p.name for p in (here / "pdfs").iterdir())
    assert files == sorted(p.name for p in (there / "pdfs").iterdir())
    for name in files:
        assert (here / "pdfs" / name).read_bytes() == (there / "pdfs" / name).read_bytes()
    assert (here / "labels.jsonl").read_bytes() == (there / "labels.jsonl").read_bytes()


def test_different_seed_gives_different_papers():
    assert make_paper(20, seed=1)[1] != make_paper(20, seed=2)[1]


def test_country_mix_resembles_the_real_corpus():
    labels = [make_paper(i)[2] for i in range(40)]
    share = {c: sum(c in lab["countries"] for lab in labels) / len(labels) for c in ("CN", "US")}
    assert 0.25 <= share["CN"] <= 0.6
    assert 0.25 <= share["US"] <= 0.6
    assert any({"CN", "US"} <= set(lab["countries"]) for lab in labels)
    others = {c for lab in labels for c in lab["countries"]} - {"CN", "US"}
    assert len(others) >= 3


@pytest.fixture(scope="module")
def bad(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return make_bad_pdfs(tmp_path_factory.mktemp("bad"))


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("empty", "empty"),
        ("not_pdf", "not a PDF"),
        ("encrypted", "encrypted"),
        ("image_only", "no text layer"),
        ("truncated", "damaged"),
    ],
)
def test_bad_input_raises_pdf_error_with_reason(bad, kind, message):
    with pytest.raises(PdfError, match=message):
        doc = open_pdf(bad[kind])
        read_pages(doc)
