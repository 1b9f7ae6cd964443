"""PDF → clean page text with PyMuPDF.

Every later stage (front matter, sections, model mentions, the full-text index)
reads the text this module produces, so its cleaning rules live in one place:
ligatures expanded, end-of-line hyphenation joined only where it is a word
break (``instruc-\\ntion``) and kept where the hyphen belongs to a name
(``LLaMA-\\nAdapter``, ``GPT-\\n4``), stray control characters dropped.
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

import pymupdf

from indexer.records import PageText

# MuPDF's own warnings and errors would go to stdout, mixed with data: keep them in
# its store instead; `mupdf_messages` hands them to the line reporting the file.
pymupdf.TOOLS.mupdf_display_errors(False)
pymupdf.TOOLS.mupdf_display_warnings(False)
MAX_MESSAGE_CHARS = 300
"""MuPDF text attached to a file's line at most (a broken file can log thousands)."""
TAIL_BYTES = 1024 * 1024
"""How far from its end a repaired file is searched for its last ``%%EOF``."""
TEXT_OPERATORS_NOTED = 100_000
"""Text-showing operators on a page without visible text that make the reason say so."""

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
        doc = _open(path)
    except MemoryError:
        raise
    except Exception as exc:  # PyMuPDF raises its own FileDataError/RuntimeError family
        raise PdfError(f"unreadable PDF ({_short(exc)})") from None
    if doc.needs_pass:
        doc.close()
        raise PdfError("encrypted PDF (password required)")
    if doc.is_repaired and not _complete(path, size):
        doc.close()
        raise PdfError("damaged PDF (truncated or corrupt: its cross-reference table is broken)")
    if doc.page_count == 0:
        doc.close()
        raise PdfError("PDF has no pages")
    return doc


def _open(path: Path) -> pymupdf.Document:
    """Open by name, or from memory when the name is not valid UTF-8 (MuPDF wants UTF-8)."""
    try:
        os.fsencode(path).decode("utf-8")
    except UnicodeDecodeError:
        return pymupdf.open(stream=path.read_bytes(), filetype="pdf")
    return pymupdf.open(path, filetype="pdf")


def _complete(path: Path, size: int) -> bool:
    """True when a PDF MuPDF had to repair still ends its body with ``%%EOF``.

    Padding or junk after the last ``%%EOF`` (some upload tools add it) makes MuPDF
    rebuild the cross-reference table of a file that is whole; a truncated file has
    no ``%%EOF`` after its last object.
    """
    with path.open("rb") as fh:
        fh.seek(max(0, size - TAIL_BYTES))
        tail = fh.read()
    end = tail.rfind(b"%%EOF")
    return end >= 0 and tail.rfind(b"endobj") < end


def mupdf_messages() -> str:
    """MuPDF's warnings and errors since the last call (the last ones, shortened)."""
    text = pymupdf.TOOLS.mupdf_warnings(reset=True).strip()
    if not text:
        return ""
    lines = list(dict.fromkeys(line.strip() for line in text.splitlines() if line.strip()))
    out = "; ".join(lines[-3:])
    return out if len(out) <= MAX_MESSAGE_CHARS else out[: MAX_MESSAGE_CHARS - 1] + "…"


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
        ops = _text_operators(doc)
        if ops >= TEXT_OPERATORS_NOTED:
            raise PdfError(f"too many text operators ({ops:,}) and no visible text")
        raise PdfError("no text layer (scanned or image-only PDF)")
    return tuple(pages)


def _text_operators(doc: pymupdf.Document) -> int:
    """Text-showing operators (Tj, TJ) in the pages' content streams (first 20 pages)."""
    n = 0
    for i in range(min(doc.page_count, 20)):
        try:
            data = doc[i].read_contents()
        except Exception:
            continue
        n += data.count(b"Tj") + data.count(b"TJ")
    return n


def _short(exc: BaseException) -> str:
    msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return msg[:120]
