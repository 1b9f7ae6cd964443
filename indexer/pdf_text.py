"""PDF → clean page text with PyMuPDF.

Every later stage (front matter, sections, model mentions, the full-text index)
reads the text this module produces, so its cleaning rules live in one place:
ligatures expanded, end-of-line hyphenation joined only where it is a word
break (``instruc-\\ntion``) and kept where the hyphen belongs to a name
(``LLaMA-\\nAdapter``, ``GPT-\\n4``), stray control characters dropped.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pymupdf

from indexer.records import PageText

# Default text flags minus ligature preservation (so "ﬁ" comes out as "fi").
TEXT_FLAGS = (
    pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_MEDIABOX_CLIP
) & ~pymupdf.TEXT_PRESERVE_LIGATURES

# One translate pass: ligatures expanded, odd spaces made plain, control characters dropped.
_TRANSLATE: dict[int, str | None] = {
    ord(k): v
    for k, v in {
        "ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "ft", "ﬆ": "st",
        "\t": " ", "\u00a0": " ", "\u2009": " ", "\u202f": " ",
    }.items()
}  # fmt: skip
_TRANSLATE.update(dict.fromkeys([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFD]))
# Most pages hold none of those characters: a regex finds that faster than translate runs.
_ODD = re.compile("[" + re.escape("".join(chr(c) for c in _TRANSLATE)) + "]")
# Runs of spaces collapse (spaces around a line break go in `_trim_line_edges`).
_SPACE_RUN = re.compile(r" {2,}")
# A hyphen at a line end between two lower-case letters is a typesetting break.
# The patterns start at the hyphen and look back from there: a leading lookbehind
# would make the regex engine try every position of the page.
_SOFT_BREAK = re.compile(r"[-\u00ad](?<=[a-z][-\u00ad])\n(?=[a-z])")
# The same for pages without a soft hyphen (nearly all): a literal start is found faster.
_SOFT_BREAK_HYPHEN = re.compile(r"-(?<=[a-z]-)\n(?=[a-z])")
# Any other hyphen at a line end belongs to the word (Llama-2, LLaMA-Adapter).
_HARD_BREAK = re.compile(r"-(?<=\S-)\n(?=\S)")


class PdfError(Exception):
    """A file that cannot be read as a paper; the message is the one-line reason."""


def clean_text(raw: str) -> str:
    """Apply the cleaning rules to one page's raw text."""
    text = raw.translate(_TRANSLATE) if _ODD.search(raw) else raw
    text = _trim_line_edges(text)
    if "  " in text:
        text = _SPACE_RUN.sub(" ", text)
    text = (_SOFT_BREAK if "\u00ad" in text else _SOFT_BREAK_HYPHEN).sub("", text)
    text = _HARD_BREAK.sub("-", text)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text.strip()


def _trim_line_edges(text: str) -> str:
    """Drop the spaces on either side of every line break (faster than a regex)."""
    lines = text.split("\n")
    if len(lines) == 1:
        return text
    inner = [line.strip(" ") for line in lines[1:-1]]
    return "\n".join([lines[0].rstrip(" "), *inner, lines[-1].lstrip(" ")])


def open_pdf(path: Path) -> pymupdf.Document:
    """Open a PDF or raise `PdfError` saying why it is not usable."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise PdfError(f"cannot read file ({exc.strerror})") from None
    if size == 0:
        raise PdfError("empty file (0 bytes)")
    with path.open("rb") as fh:
        head = fh.read(1024)
    if b"%PDF-" not in head:
        raise PdfError("not a PDF (no %PDF header)")
    try:
        doc = pymupdf.open(path, filetype="pdf")
    except Exception as exc:  # PyMuPDF raises its own FileDataError/RuntimeError family
        raise PdfError(f"unreadable PDF ({_short(exc)})") from None
    if doc.needs_pass:
        doc.close()
        raise PdfError("encrypted PDF (password required)")
    if doc.is_repaired:
        doc.close()
        raise PdfError("damaged PDF (truncated or corrupt: its cross-reference table is broken)")
    if doc.page_count == 0:
        doc.close()
        raise PdfError("PDF has no pages")
    return doc


def first_textpage(doc: pymupdf.Document) -> tuple[pymupdf.Page, pymupdf.TextPage]:
    """Page 1 and its extracted text, shared by `read_pages` and the front-matter parser.

    The page is returned too: a TextPage only lives as long as its page object.
    """
    try:
        page = doc[0]
        return page, page.get_textpage(flags=TEXT_FLAGS)
    except Exception as exc:
        raise PdfError(f"page 1 cannot be read ({_short(exc)})") from None


def read_pages(
    doc: pymupdf.Document, first: tuple[pymupdf.Page, pymupdf.TextPage] | None = None
) -> tuple[PageText, ...]:
    """Clean text of every page, 1-based page numbers (`first`: page 1 already extracted)."""
    pages = []
    for i in range(doc.page_count):
        try:
            if i == 0 and first is not None:
                raw = first[0].get_text("text", textpage=first[1])
            else:
                raw = doc[i].get_text("text", flags=TEXT_FLAGS)
        except Exception as exc:
            raise PdfError(f"page {i + 1} cannot be read ({_short(exc)})") from None
        pages.append(PageText(number=i + 1, text=clean_text(raw)))
    if sum(len(p.text) for p in pages) < 200:
        raise PdfError("no text layer (scanned or image-only PDF)")
    return tuple(pages)


def _short(exc: BaseException) -> str:
    msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return msg[:120]
