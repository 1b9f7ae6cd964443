"""Page text cleaning and PDF opening rules."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from indexer.pdf_text import PdfError, clean_text, open_pdf, read_pages


def test_ligatures_are_expanded() -> None:
    assert clean_text("Efﬁcient ﬂow") == "Efficient flow"


def test_line_end_hyphen_between_lowercase_letters_is_joined() -> None:
    assert clean_text("instruc-\ntion following") == "instruction following"


def test_hyphen_that_belongs_to_a_name_is_kept() -> None:
    assert (
        clean_text("LLaMA-\nAdapter and GPT-\n4 and Llama-\n2")
        == "LLaMA-Adapter and GPT-4 and Llama-2"
    )


def test_whitespace_is_normalized_and_control_characters_dropped() -> None:
    assert clean_text("  a\u00a0 b\x01  \n   c  ") == "a b\nc"


def _pdf(tmp_path: Path, text: str, pages: int = 1) -> Path:
    doc = pymupdf.open()
    for i in range(pages):
        page = doc.new_page()
        page.insert_text((72, 72), f"{text} page {i + 1}", fontsize=11)
    path = tmp_path / "p.pdf"
    doc.save(path)
    return path


def test_pages_are_numbered_from_one(tmp_path: Path) -> None:
    path = _pdf(tmp_path, "A sentence about transformers.\n" * 8, pages=3)
    pages = read_pages(open_pdf(path))
    assert [p.number for p in pages] == [1, 2, 3]
    assert pages[2].text.endswith("page 3")


@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"", "empty file"), (b"hello, not a pdf", "not a PDF"), (b"%PDF-1.7\n garbage", "PDF")],
)
def test_unusable_files_raise_pdf_error_with_a_reason(
    tmp_path: Path, content: bytes, reason: str
) -> None:
    path = tmp_path / "bad.pdf"
    path.write_bytes(content)
    with pytest.raises(PdfError, match=reason):
        read_pages(open_pdf(path))


def test_page_without_text_layer_is_reported(tmp_path: Path) -> None:
    doc = pymupdf.open()
    doc.new_page().draw_rect(pymupdf.Rect(50, 50, 200, 200), fill=(0, 0, 0))
    path = tmp_path / "scan.pdf"
    doc.save(path)
    with pytest.raises(PdfError, match="no text layer"):
        read_pages(open_pdf(path))
