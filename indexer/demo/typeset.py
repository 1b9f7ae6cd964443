"""Typesetting for the demo corpus: Base-14 font metrics, line wrapping and raw PDF
content streams (one or two columns, superscripts, tables, footnotes).

Pages are written as raw content-stream operators rather than through a layout
engine: a few milliseconds per page, byte-identical for a given seed.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import pymupdf

PAGE_W, PAGE_H = 612.0, 792.0
FIXED_DATE = "D:20250601120000Z"

# Font key -> (PyMuPDF built-in font code for metrics, Base-14 PostScript name).
FONTS: dict[str, tuple[str, str]] = {
    "R": ("tiro", "Times-Roman"),
    "B": ("tibo", "Times-Bold"),
    "I": ("tiit", "Times-Italic"),
    "M": ("cour", "Courier"),
    "H": ("helv", "Helvetica"),
    "HB": ("hebo", "Helvetica-Bold"),
}
_FONT_RES = {key: f"F{i}" for i, key in enumerate(FONTS)}

Segment = tuple[str, str, float, float]
"""A run of text: (text, font key, size, rise above the baseline)."""


# ---------------------------------------------------------------------- metrics


@cache
def _widths(font: str) -> dict[str, float]:
    """Advance widths (at size 1) of every WinAnsi character of a Base-14 font."""
    f = pymupdf.Font(FONTS[font][0])
    table = {}
    for code in range(32, 256):
        try:
            ch = bytes([code]).decode("cp1252")
        except UnicodeDecodeError:
            continue
        table[ch] = f.glyph_advance(ord(ch))
    return table


def text_width(text: str, font: str, size: float) -> float:
    """Printed width of `text` in points."""
    return _unit_width(text, font) * size


@lru_cache(maxsize=65536)
def _unit_width(text: str, font: str) -> float:
    w = _widths(font)
    return sum(w.get(c, 0.5) for c in text)


def _pdf_str(text: str) -> bytes:
    raw = text.encode("cp1252", errors="replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


# ------------------------------------------------------------------------- canvas


class Canvas:
    """Content-stream operators of one page (top-left coordinates)."""

    def __init__(self) -> None:
        self.ops: list[bytes] = []

    def text(self, x: float, y: float, s: str, font: str, size: float) -> None:
        self.ops.append(
            b"BT /%s %.2f Tf 1 0 0 1 %.2f %.2f Tm (%s) Tj ET"
            % (_FONT_RES[font].encode(), size, x, PAGE_H - y, _pdf_str(s))
        )

    def segments(self, x: float, y: float, segs: Sequence[Segment]) -> float:
        """Draw runs left to right, one text operator per run of equal style."""
        merged: list[list[Any]] = []
        for s, font, size, rise in segs:
            if merged and merged[-1][1:4] == [font, size, rise]:
                merged[-1][0] += s
            else:
                merged.append([s, font, size, rise, x])
            x += text_width(s, font, size)
        for s, font, size, rise, x0 in merged:
            if s.strip():
                self.text(x0, y - rise, s, font, size)
        return x

    def rotated(self, x: float, y: float, s: str, font: str, size: float) -> None:
        self.ops.append(
            b"BT /%s %.2f Tf 0 1 -1 0 %.2f %.2f Tm 0.5 g (%s) Tj ET"
            % (_FONT_RES[font].encode(), size, x, PAGE_H - y, _pdf_str(s))
        )

    def rule(self, x0: float, y: float, x1: float, width: float = 0.5) -> None:
        self.ops.append(
            b"q %.2f w %.2f %.2f m %.2f %.2f l S Q" % (width, x0, PAGE_H - y, x1, PAGE_H - y)
        )

    def box(self, x0: float, y0: float, x1: float, y1: float, gray: float) -> None:
        self.ops.append(
            b"q %.2f g %.2f %.2f %.2f %.2f re f Q" % (gray, x0, PAGE_H - y1, x1 - x0, y1 - y0)
        )


# ---------------------------------------------------------------------- wrapping


def _seg_width(segs: Sequence[Segment]) -> float:
    return sum(text_width(s, f, z) for s, f, z, _ in segs)


def _rich(text: str, font: str, size: float) -> list[list[Segment]]:
    """Split text into word tokens; ``^{...}`` marks a superscript."""
    tokens: list[list[Segment]] = []
    for word in text.split(" "):
        if not word:
            continue
        segs: list[Segment] = []
        rest = word
        while "^{" in rest:
            pre, _, tail = rest.partition("^{")
            sup, _, rest = tail.partition("}")
            if pre:
                segs.append((pre, font, size, 0.0))
            segs.append((sup, font, size * 0.7, size * 0.38))
        if rest:
            segs.append((rest, font, size, 0.0))
        tokens.append(segs)
    return tokens


def _wrap(
    tokens: list[list[Segment]], width: float, space: float, hyphenate: random.Random | None = None
) -> list[list[list[Segment]]]:
    """Greedy line breaking; breaks at a hyphen inside a long word like LaTeX does."""
    lines: list[list[list[Segment]]] = []
    line: list[list[Segment]] = []
    used = 0.0
    queue = list(tokens)
    while queue:
        tok = queue.pop(0)
        w = _seg_width(tok)
        need = w if not line else used + space + w
        if need <= width or not line:
            if need > width and not line and len(tok) == 1:
                pass  # a single over-long word: let it overflow
            line.append(tok)
            used = need
            continue
        split = _split_word(tok, width - used - space, hyphenate) if hyphenate else None
        if split:
            line.append(split[0])
            queue.insert(0, split[1])
        else:
            queue.insert(0, tok)
        lines.append(line)
        line, used = [], 0.0
    if line:
        lines.append(line)
    return lines


def _split_word(
    tok: list[Segment], room: float, rng: random.Random
) -> tuple[list[Segment], list[Segment]] | None:
    if len(tok) != 1 or room < 15:
        return None
    word, font, size, rise = tok[0]
    cands: list[int] = []
    for i in range(2, len(word) - 2):
        if word[i] == "-" and word[i - 1].isalnum() and word[i + 1].isalnum():
            cands.append(i + 1)
    if not cands and len(word) >= 11 and word.isalpha() and word.islower() and rng.random() < 0.5:
        cands = [
            i for i in range(5, len(word) - 4) if word[i - 1] in "aeiou" and word[i] not in "aeiou"
        ]
        cands = [c for c in cands if c <= len(word) - 4]
        if cands:
            head = word[: cands[-1]] + "-"
            if text_width(head, font, size) <= room:
                return [(head, font, size, rise)], [(word[cands[-1] :], font, size, rise)]
            return None
    for c in reversed(cands):
        head = word[:c]
        if text_width(head, font, size) <= room:
            return [(head, font, size, rise)], [(word[c:], font, size, rise)]
    return None


def _wrap_plain(
    text: str, width: float, font: str, size: float, rng: random.Random | None
) -> list[str]:
    """Fast path of `_wrap` for text in one font (no superscripts)."""
    space = _unit_width(" ", font) * size
    lines: list[str] = []
    line: list[str] = []
    used = 0.0
    words = text.split()
    i = 0
    while i < len(words):
        word = words[i]
        w = _unit_width(word, font) * size
        need = w if not line else used + space + w
        if need <= width or not line:
            line.append(word)
            used = need
            i += 1
            continue
        split = _split_word([(word, font, size, 0.0)], width - used - space, rng) if rng else None
        if split:
            line.append(split[0][0][0])
            words[i] = split[1][0][0]
        lines.append(" ".join(line))
        line, used = [], 0.0
    if line:
        lines.append(" ".join(line))
    return lines


def _flatten(line: list[list[Segment]], font: str, size: float) -> list[Segment]:
    out: list[Segment] = []
    for i, tok in enumerate(line):
        if i:
            out.append((" ", font, size, 0.0))
        out.extend(tok)
    return out


# --------------------------------------------------------------------- typesetter


@dataclass
class Style:
    """Page geometry and typography of one template."""

    columns: tuple[tuple[float, float], ...]
    top: float = 72.0
    bottom: float = 720.0
    size: float = 10.0
    leading: float = 12.0
    parskip: float = 5.0
    indent: float = 0.0
    head_size: float = 12.0
    numbered_dot: bool = False
    upper_heads: bool = False
    header: str = ""
    running_title: str = ""
    footer1: str = ""
    stamp: str = ""


class Typesetter:
    """Flows headings, paragraphs, tables and references into pages and columns."""

    def __init__(self, doc: pymupdf.Document, style: Style, rng: random.Random) -> None:
        self.doc, self.st, self.rng = doc, style, rng
        self.pages: list[Canvas] = []
        self.canvas = Canvas()
        self.col = 0
        self.y = style.top
        self.body_top = style.top
        self.p1_bottom = style.bottom
        self.footnotes: list[str] = []
        self.footnote_size = 8.0
        self._new_page(first=True)

    # pages and columns
    def _new_page(self, first: bool = False) -> None:
        if not first:
            self._finish_page()
        self.canvas = Canvas()
        self.pages.append(self.canvas)
        self.col, self.y = 0, self.st.top
        if self.st.header:
            self.canvas.text(self.st.columns[0][0], 50, self.st.header, "R", 10)
        if self.st.running_title and len(self.pages) > 1:
            x0, x1 = self.st.columns[0][0], self.st.columns[-1][1]
            w = text_width(self.st.running_title, "R", 9)
            self.canvas.text((x0 + x1 - w) / 2, 50, self.st.running_title, "R", 9)
            self.canvas.rule(x0, 56, x1, 0.5)

    def _page_no(self) -> int:
        return len(self.pages)

    def _bottom(self) -> float:
        if self._page_no() == 1 and (self.col == 0 or len(self.st.columns) == 1):
            return self.p1_bottom
        return self.st.bottom

    def _col_top(self) -> float:
        return self.body_top if self._page_no() == 1 else self.st.top

    def _next_column(self) -> None:
        if self._page_no() == 1 and self.col == 0:
            self._write_footnotes()
        if self.col + 1 < len(self.st.columns):
            self.col += 1
            self.y = self._col_top()
        else:
            self._new_page()

    def new_page(self) -> None:
        if self._page_no() == 1:
            self._write_footnotes()
        self._new_page()

    def _ensure(self, h: float) -> None:
        if self.y + h > self._bottom() + 0.01:
            self._next_column()

    def set_footnotes(self, notes: list[str], size: float = 8.0) -> None:
        """Reserve room at the bottom of page 1 (first column) for footnotes and the venue line."""
        self.footnotes, self.footnote_size = notes, size
        x0, x1 = self.st.columns[0]
        lead = size * 1.2
        n = sum(len(_wrap(_rich(t, "R", size), x1 - x0, text_width(" ", "R", size))) for t in notes)
        reserve = (n * lead + 12 if notes else 0) + (18 if self.st.footer1 else 0)
        self.p1_bottom = self.st.bottom - reserve

    def _write_footnotes(self) -> None:
        if not self.footnotes and not self.st.footer1:
            return
        page1 = self.pages[0]
        x0, x1 = self.st.columns[0]
        size, lead = self.footnote_size, self.footnote_size * 1.2
        y = self.p1_bottom + 8
        if self.footnotes:
            page1.rule(x0, y, x0 + 120, 0.4)
            y += lead
            for note in self.footnotes:
                for line in _wrap(_rich(note, "R", size), x1 - x0, text_width(" ", "R", size)):
                    page1.segments(x0, y, _flatten(line, "R", size))
                    y += lead
        if self.st.footer1:
            page1.text(self.st.columns[0][0], self.st.bottom - 2, self.st.footer1, "R", 9)
        self.footnotes = []
        self.st.footer1 = ""

    def _finish_page(self) -> None:
        if self._page_no() == 1:
            self._write_footnotes()
        n = str(self._page_no())
        x0, x1 = self.st.columns[0][0], self.st.columns[-1][1]
        self.canvas.text((x0 + x1 - text_width(n, "R", 10)) / 2, PAGE_H - 40, n, "R", 10)
        if self._page_no() == 1 and self.st.stamp:
            self.canvas.rotated(38, 560, self.st.stamp, "R", 20)

    # flow items
    def _x(self) -> tuple[float, float]:
        return self.st.columns[self.col]

    def paragraph(
        self,
        text: str,
        *,
        size: float | None = None,
        font: str = "R",
        indent: float | None = None,
        margin: float = 0.0,
        skip: float | None = None,
        hang: float = 0.0,
    ) -> None:
        size = size or self.st.size
        lead = self.st.leading * size / self.st.size
        x0, x1 = self._x()
        x0, x1 = x0 + margin, x1 - margin
        first = self.st.indent if indent is None else indent
        room = x1 - x0 - max(first, hang)
        if "^{" in text:
            space = text_width(" ", font, size)
            lines: list[Any] = [
                _flatten(line, font, size)
                for line in _wrap(_rich(text, font, size), room, space, self.rng)
            ]
        else:
            lines = _wrap_plain(text, room, font, size, self.rng)
        for i, line in enumerate(lines):
            self._ensure(lead)
            lx = self._x()[0] + margin + (first if i == 0 else hang)
            self.y += lead
            if isinstance(line, str):
                self.canvas.text(lx, self.y - 2, line, font, size)
            else:
                self.canvas.segments(lx, self.y - 2, line)
        self.y += self.st.parskip if skip is None else skip

    def heading(self, text: str, level: int = 1) -> None:
        size = self.st.head_size if level == 1 else self.st.size
        if self.st.upper_heads and level == 1:
            text = text.upper()
        self._ensure(size * 1.4 + 3 * self.st.leading)
        self.y += size * 0.8 if self.y > self._col_top() + 1 else 0
        self.y += size * 1.3
        self.canvas.text(self._x()[0], self.y - 2, text, "B", size)
        self.y += 3

    def centered(self, text: str, font: str, size: float) -> None:
        x0, x1 = self._x()
        self._ensure(size * 1.5)
        self.y += size * 1.4
        self.canvas.text((x0 + x1 - text_width(text, font, size)) / 2, self.y - 2, text, font, size)
        self.y += 2

    def table(self, caption: str, header: list[str], rows: list[list[str]]) -> None:
        x0, x1 = self._x()
        size = self.st.size - 1
        while True:
            first_w = max(text_width(r[0], "R", size) for r in [header, *rows]) + 8
            cell_w = max(text_width(c, "B", size) for c in header[1:]) + 8
            cell_w = max(cell_w, text_width("00.0", "R", size) + 8)
            total = first_w + cell_w * (len(header) - 1)
            if total <= x1 - x0 or size < 6:
                break
            size -= 0.5
        lead = size * 1.25
        cap_lines = len(_wrap(_rich(caption, "R", size), x1 - x0, text_width(" ", "R", size)))
        self._ensure(cap_lines * lead + (len(rows) + 2) * lead + 12)
        x0, x1 = self._x()
        self.paragraph(caption, size=size, indent=0, skip=3)
        left = x0 + max(0.0, (x1 - x0 - total) / 2)
        self.canvas.rule(left, self.y + 1, left + total, 0.8)
        for j, row in enumerate([header, *rows]):
            self.y += lead
            font = "B" if j == 0 else "R"
            self.canvas.text(left, self.y - 2, row[0], font, size)
            for k, cell in enumerate(row[1:]):
                cx = left + first_w + k * cell_w + (cell_w - text_width(cell, font, size)) / 2
                self.canvas.text(cx, self.y - 2, cell, font, size)
            if j == 0:
                self.canvas.rule(left, self.y + 2, left + total, 0.4)
        self.y += 4
        self.canvas.rule(left, self.y, left + total, 0.8)
        self.y += self.st.leading

    def finish(self, metadata: dict[str, str]) -> bytes:
        self._finish_page()
        fonts = {}
        for key, (_, base) in FONTS.items():
            xref = self.doc.get_new_xref()
            self.doc.update_object(
                xref, f"<</Type/Font/Subtype/Type1/BaseFont/{base}/Encoding/WinAnsiEncoding>>"
            )
            fonts[key] = xref
        res = "<</Font<<" + "".join(f"/{_FONT_RES[k]} {x} 0 R" for k, x in fonts.items()) + ">>>>"
        rx = self.doc.get_new_xref()
        self.doc.update_object(rx, res)
        for canvas in self.pages:
            page = self.doc.new_page(width=PAGE_W, height=PAGE_H)
            cx = self.doc.get_new_xref()
            self.doc.update_object(cx, "<<>>")
            self.doc.update_stream(cx, b"\n".join(canvas.ops))
            parent = self.doc.xref_get_key(page.xref, "Parent")[1]
            self.doc.update_object(
                page.xref,
                f"<</Type/Page/Parent {parent}/MediaBox[0 0 {PAGE_W:g} {PAGE_H:g}]"
                f"/Contents {cx} 0 R/Resources {rx} 0 R>>",
            )
        self.doc.set_metadata(metadata)
        return self.doc.tobytes(garbage=3, deflate=True, no_new_id=True)


def draw_lines(
    canvas: Canvas,
    text: str,
    x0: float,
    x1: float,
    y: float,
    font: str,
    size: float,
    lead: float,
    align: str = "center",
    sep: str = " ",
) -> float:
    """Wrap and draw `text` (with ^{...} superscripts) between x0 and x1; return the new y."""
    if sep == " ":
        tokens = _rich(text, font, size)
    else:  # units that must not be split (one author with its markers)
        tokens = [
            [seg for tok in _rich(u, font, size) for seg in (*tok, (" ", font, size, 0.0))][:-1]
            for u in text.split(sep)
        ]
    space = text_width(" ", font, size) * (1 if sep == " " else 3)
    for line in _wrap(tokens, x1 - x0, space):
        segs: list[Segment] = []
        for i, tok in enumerate(line):
            if i:
                segs.append((" " if sep == " " else "   ", font, size, 0.0))
            segs.extend(tok)
        w = _seg_width(segs)
        x = x0 if align == "left" else (x0 + x1 - w) / 2
        y += lead
        canvas.segments(x, y - 2, segs)
    return y
