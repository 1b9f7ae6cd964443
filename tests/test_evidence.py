"""Evidence a reviewer can judge at a glance: no page furniture, tables with their captions,
prose first, and the affiliation line behind a country.

The PDFs are generated with PyMuPDF page by page: running header on top, page number at
the foot, body text in a box, tables as a grid of cells (PyMuPDF reads each cell as its
own line, as it does in the real papers).
"""

from __future__ import annotations

import json
from pathlib import Path

import pymupdf
import pytest

from indexer.evidence import RUNNING_CUE, running_lines, table_context, with_table_context
from indexer.extract import extract_paper
from indexer.records import PageText
from indexer.sections import join_pages
from search.filters import make_filters
from search.library import Library
from tests.conftest import needs_shared

FILLER = (
    "This paragraph describes the setting in plain words and goes on for a while so that "
    "the page holds ordinary body text. "
) * 6
HEADER = "Qwen-VL Adapters for Chart Reading"
VENUE = "38th Conference on Neural Information Processing Systems (NeurIPS 2024)."
STAMP = "arXiv:2406.01234v2 [cs.CL] 12 Jun 2024"
TABLE = [("Model", "MMLU", "GSM8K"), ("Qwen-VL-7B", "38.2", "41.0"), ("Ours-7B", "45.1", "50.2")]
CAPTION = "Table 2: Accuracy on MMLU and GSM8K. Higher is better."


def make_pdf(path: Path, bodies: list[str], *, header: str = HEADER, tables=None) -> Path:
    """A paper: page 1 with title, affiliation, venue footer and arXiv stamp; every later
    page with ``header`` on top; page numbers at the foot; ``tables`` maps a page number
    to ("above" | "below", rows) — a captioned grid put on that page."""
    doc = pymupdf.open()
    for number, body in enumerate(bodies, 1):
        page = doc.new_page()
        y = 90
        if number == 1:
            page.insert_text((72, 60), "Qwen-VL Adapters for Chart Reading", fontsize=14)
            page.insert_text((72, 80), "Wei Zhang1", fontsize=10)
            page.insert_text((72, 94), "1Tsinghua University, Beijing, China", fontsize=9)
            y = 120
        elif header:
            page.insert_text((72, 40), header, fontsize=9)
        if tables and number in tables:
            where, rows = tables[number]
            if where == "above":
                page.insert_text((72, y), CAPTION, fontsize=10)
                y += 20
            for row in rows:
                for x, cell in zip((72, 250, 350), row, strict=True):
                    page.insert_text((x, y), cell, fontsize=10)
                y += 14
            if where == "below":
                page.insert_text((72, y + 6), CAPTION, fontsize=10)
                y += 20
            y += 10
        page.insert_textbox(pymupdf.Rect(72, y, 540, 720), body, fontsize=10)
        if number == 1:  # printed last, as camera-ready templates do
            page.insert_text((72, 740), VENUE, fontsize=8)
            page.insert_text((20, 500), STAMP, fontsize=8)
        page.insert_text((300, 770), str(number), fontsize=9)
    doc.save(path)
    return path


def usage_of(paper, model_id: str):
    return next(u for u in paper.usages if u.model_id == model_id)


def body(*sentences: str) -> str:
    return " ".join(sentences) + " " + FILLER


def paper_pages(first_sentence: str = "We evaluate on three benchmarks.") -> list[str]:
    """Six pages; every later page opens with a first-person sentence, which PyMuPDF would
    glue to the running header above it."""
    return [
        "Abstract. We study chart reading. 1 Introduction " + FILLER,
        body(first_sentence),
        body(first_sentence, "3 Experiments"),
        body(first_sentence, "We fine-tune Qwen-VL-7B with LoRA on our chart data."),
        body(first_sentence),
        body(first_sentence),
    ]


# -- running headers and footers ---------------------------------------------------------


def test_running_header_venue_line_stamp_and_page_numbers_are_found(tmp_path: Path) -> None:
    paper = extract_paper(make_pdf(tmp_path / "p.pdf", paper_pages()))
    lines = set(paper.meta["running_lines"])
    assert {HEADER, VENUE, STAMP} <= lines
    # The title on page 1 is the same words but no running header: it stays text.
    assert paper.pages[0].text.startswith("Qwen-VL Adapters for Chart Reading")


def test_a_running_header_naming_the_model_is_never_evidence(tmp_path: Path) -> None:
    paper = extract_paper(make_pdf(tmp_path / "p.pdf", paper_pages()))
    qwen = usage_of(paper, "qwen")
    assert qwen.usage == "used"
    assert qwen.mentions >= 6  # the header mentions still count as mentions
    assert qwen.evidence[0].sentence == "We fine-tune Qwen-VL-7B with LoRA on our chart data."
    for m in qwen.evidence:
        assert "Adapters" not in m.sentence and m.cue != RUNNING_CUE


def test_a_model_named_only_in_the_running_header_is_not_used(tmp_path: Path) -> None:
    # Without the header rule "Qwen-VL Adapters ... We evaluate on three benchmarks." reads
    # as the authors evaluating Qwen-VL on every page.
    pages = paper_pages()
    pages[3] = body("We evaluate on three benchmarks.")
    qwen = usage_of(extract_paper(make_pdf(tmp_path / "p.pdf", pages)), "qwen")
    assert qwen.usage == "mentioned"
    assert all(m.page == 1 for m in qwen.evidence)  # the title, never a page header


def test_sentences_stop_where_a_header_or_footer_starts(tmp_path: Path) -> None:
    pages = paper_pages()
    pages[0] = (
        "Abstract. We study chart reading. 1 Introduction "
        + FILLER
        + (" We build on Llama-2-7B as our language backbone")
    )
    llama = usage_of(extract_paper(make_pdf(tmp_path / "p.pdf", pages)), "llama")
    assert all("Conference" not in m.sentence and "arXiv" not in m.sentence for m in llama.evidence)


def test_a_table_header_cell_opening_some_pages_is_no_running_header() -> None:
    texts = []
    for i in range(12):
        top = "Model\nMMLU\nLlama-2-7B\n45.1\n" if i % 3 == 1 else "Some body text here.\n"
        texts.append(f"Short Title\n{top}{FILLER}\n{i + 1}")
    pages = tuple(PageText(i + 1, t) for i, t in enumerate(texts))
    _, starts = join_pages(pages)
    found = running_lines(pages, starts)
    assert "Short Title" in found.texts
    assert "Model" not in found.texts
    text, _ = join_pages(pages)
    assert [text[a:b] for a, b in found.spans].count("Short Title") == 11  # not on page 1


def test_full_text_snippets_prefer_body_text_over_the_running_header(tmp_path: Path) -> None:
    from indexer.pipeline import index_pdfs

    pages = paper_pages()
    pages[4] = body("Chart adapters are small modules trained on top of a frozen encoder.")
    (tmp_path / "pdfs").mkdir()
    make_pdf(tmp_path / "pdfs" / "p.pdf", pages)
    index_pdfs([tmp_path / "pdfs"], tmp_path / "index", workers=1)
    lib = Library(tmp_path / "index")
    (hit,) = lib.find(make_filters("adapters"), snippets=2)
    assert hit.snippets[0].page == 5
    assert "small modules" in hit.snippets[0].text
    assert all(HEADER not in s.text for s in hit.snippets)
    # Only the header and the title match "chart reading": a passage still comes back.
    (hit,) = lib.find(make_filters('"chart reading"'), snippets=1)
    assert hit.snippets


def test_a_passage_loses_its_header_line_and_keeps_its_highlights() -> None:
    from search.hit_evidence import without_running_lines

    fragment = f"{HEADER}\nChart adapters are small modules.\n7"
    at = fragment.index("adapters")
    spans = ((fragment.index("Adapters"), fragment.index("Adapters") + 8), (at, at + 8))
    text, moved = without_running_lines(fragment, spans, [HEADER])
    assert text == "Chart adapters are small modules."
    assert [text[a:b] for a, b in moved] == ["adapters"]
    assert without_running_lines(HEADER, spans[:1], [HEADER]) == ("", ())
    # A passage cut in the middle of the header loses the piece; a body line that only
    # repeats some of its words ("Chart Reading" as a heading) stays.
    piece = "Adapters for Chart Reading\nChart Reading\nWe read charts."
    text, _ = without_running_lines(piece, ((len(piece) - 7, len(piece) - 1),), [HEADER])
    assert text == "Chart Reading\nWe read charts."


# -- tables --------------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["above", "below"])
def test_a_table_row_is_shown_with_its_caption_and_column_header(
    tmp_path: Path, where: str
) -> None:
    pages = paper_pages()
    pages[3] = body("We report accuracy for every model in the table.")
    paper = extract_paper(make_pdf(tmp_path / "p.pdf", pages, tables={4: (where, TABLE)}))
    qwen = usage_of(paper, "qwen")
    assert qwen.usage == "used"
    assert qwen.evidence[0].sentence == (
        "Table 2: Accuracy on MMLU and GSM8K. | Model | MMLU | GSM8K → Qwen-VL-7B 38.2 41.0"
    )
    assert qwen.evidence[0].in_table and qwen.evidence[0].page == 4


def test_prose_stating_the_use_comes_before_the_table_row(tmp_path: Path) -> None:
    paper = extract_paper(make_pdf(tmp_path / "p.pdf", paper_pages(), tables={5: ("above", TABLE)}))
    sentences = [m.sentence for m in usage_of(paper, "qwen").evidence]
    assert sentences[0] == "We fine-tune Qwen-VL-7B with LoRA on our chart data."
    assert sentences[1].startswith("Table 2: Accuracy on MMLU and GSM8K.")
    assert sentences[1].endswith("→ Qwen-VL-7B 38.2 41.0")


def test_a_row_keeps_its_own_cells_and_dashes_not_the_next_rows(catalog) -> None:
    from indexer.mentions import find_mentions
    from indexer.sections import find_sections

    table = "Table 4: Pass@1.\nModel\nGSM8K\nMATH\nLlama-2-7B\n45.1\n–\nOurs-7B\n50.2\n51.0\n"
    pages = (
        PageText(1, "Abstract\nWe study things.\n1 Introduction\n" + FILLER),
        PageText(2, "3 Experiments\n" + FILLER + "\n" + table + FILLER),
    )
    (m,) = find_mentions(pages, find_sections(pages), catalog)
    assert m.sentence == "Table 4: Pass@1. | Model | GSM8K | MATH → Llama-2-7B 45.1 –"


def test_ranking_prose_then_captioned_row_then_caption_then_glued_cells() -> None:
    from indexer.records import ModelMention
    from indexer.usage import evidence_rank

    def m(sentence: str, in_table: bool = False, cue: str = "") -> ModelMention:
        return ModelMention("qwen", "Qwen-VL-7B", 4, "body", sentence, in_table, cue)

    first_person = m("We fine-tune Qwen-VL-7B on charts.", cue="use: we fine-tune")
    prose = m("Our adapter outperforms Qwen-VL-7B on all charts.", cue="compare: outperforms")
    row = m("Table 2: Accuracy. | Model | MMLU → Qwen-VL-7B 38.2 41.0", True)
    caption = m("Table 3: Results of Qwen-VL-7B and others.", True)
    glued = m("Qwen-VL-7B 38.2 41.0 Ours 45.1 50.2 LLaVA 33.0 35.1", cue="compare: ours")
    strength = {first_person: 5, prose: 3, row: 4, caption: 4, glued: 3}
    ranked = sorted(strength, key=lambda x: evidence_rank(x, strength[x]))
    assert ranked == [first_person, prose, row, caption, glued]


def test_no_caption_means_no_context_a_figure_label_is_no_header() -> None:
    text = "Figure 3: Scores.\nAccuracy\nBaseline\nLlama-2-7B\n45.1\n50.2\n"
    at = text.index("Llama")
    assert table_context(text, at, text.index("\n", at)) == ""
    assert with_table_context("", "Llama-2-7B 45.1 50.2") == "Llama-2-7B 45.1 50.2"


# -- country evidence ----------------------------------------------------------------------


def test_country_questions_carry_the_affiliation_line_as_evidence(demo_index: Path) -> None:
    lib = Library(demo_index)
    hits = lib.find(make_filters(countries=["CN"]), limit=5)
    assert hits
    for hit in hits:
        (snip,) = [s for s in hit.snippets if s.source == "country:CN"]
        assert snip.page == 1 and snip.text and snip.highlights
        record = lib.paper(hit.paper_id)
        assert any(a.text in snip.text for a in record.affiliations if a.country == "CN")
    # No country asked for: no country snippet.
    assert not any(s.source.startswith("country:") for h in lib.find(limit=5) for s in h.snippets)


def test_country_snippet_prefers_a_printed_place_and_highlights_it() -> None:
    from search.hit_evidence import country_snippets

    affs = [
        {"text": "Tsinghua University", "country": "CN", "evidence": "gazetteer: Tsinghua"},
        {"text": "Shanghai AI Lab, Shanghai, China", "country": "CN", "evidence": "printed: China"},
        {"text": "MIT", "country": "US", "evidence": "gazetteer: Massachusetts Institute of"},
    ]
    (cn,) = country_snippets(affs, ["CN", "HK"])
    assert cn.source == "country:CN" and cn.page == 1
    assert cn.text == "Shanghai AI Lab, Shanghai, China (printed: China)"
    assert [cn.text[a:b] for a, b in cn.highlights] == ["China"]
    (us,) = country_snippets(affs, ["US"])
    assert [us.text[a:b] for a, b in us.highlights] == ["MIT"]  # the line, as printed


def test_search_papers_shows_country_evidence_for_country_only_questions(
    demo_index: Path,
) -> None:
    from typer.testing import CliRunner

    from search.cli import app

    runner = CliRunner()
    args = ["papers", "--country", "CN", "--limit", "3", "--index", str(demo_index)]
    out = runner.invoke(app, args, env={"COLUMNS": "200"})
    assert out.exit_code == 0, out.output
    assert "CN p.1" in out.output
    out = runner.invoke(app, [*args, "--json"])
    rows = json.loads(out.stdout)["rows"]
    assert rows and all(any(s["source"] == "country:CN" for s in row["snippets"]) for row in rows)


# -- the real corpus -------------------------------------------------------------------------


@needs_shared
def test_no_evidence_sentence_on_the_real_papers_is_page_furniture(shared_index: Path) -> None:
    lib = Library(shared_index)
    checked = 0
    for paper in lib.records():
        running = [t for t in paper.meta.get("running_lines", ()) if len(t) >= 12]
        for usage in paper.usages:
            for m in usage.evidence:
                checked += 1
                assert m.cue != RUNNING_CUE
                assert not any(t in m.sentence for t in running), (paper.file, m.sentence)
    assert checked > 300
