"""Built-in demo corpus: synthetic AI papers with ground-truth labels.

A fresh install has no PDFs, yet `search demo`, `search eval` and the tests need a
corpus that poses the same problems as real papers: titles in large type,
superscript affiliation markers, affiliations under the authors, in ICML-style
page-1 footnotes, as per-author blocks or as one organisation, grouped e-mails,
anonymous submissions, one- and two-column pages, results tables, references
and appendices after them, and the traps of real text (GPTQ, LlamaIndex,
Vicuna-Bench, "Claude E. Shannon", "now at" footnotes, two Northeastern
Universities). Because every sentence is generated here, the labels are true by
construction and follow the conventions of the hand-labelled corpus.

Pages are written as raw PDF content streams with the Base-14 fonts
(WinAnsi encoding) through PyMuPDF: a few milliseconds per page, byte-identical
for a given seed. Name pools, models and prose templates are data files
(`indexer/data/demo_*.toml`).
"""

from __future__ import annotations

import json
import random
import tomllib
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import pymupdf

DATA_DIR = Path(__file__).parent / "data"
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


@dataclass(frozen=True)
class DemoCorpus:
    """Where a generated demo corpus was written."""

    pdf_dir: Path
    """Folder holding the generated PDFs."""
    labels_file: Path
    """Ground-truth labels, one JSON object per PDF (same schema as the real corpus)."""
    papers: int
    """Number of PDFs written."""


# --------------------------------------------------------------------------- data


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in ("institutions", "models", "prose"):
        with (DATA_DIR / f"demo_{name}.toml").open("rb") as fh:
            out[name] = tomllib.load(fh)
    return out


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


class _Canvas:
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
class _Style:
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


class _Typesetter:
    """Flows headings, paragraphs, tables and references into pages and columns."""

    def __init__(self, doc: pymupdf.Document, style: _Style, rng: random.Random) -> None:
        self.doc, self.st, self.rng = doc, style, rng
        self.pages: list[_Canvas] = []
        self.canvas = _Canvas()
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
        self.canvas = _Canvas()
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


def _draw_lines(
    canvas: _Canvas,
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


# ----------------------------------------------------------------------- planning


@dataclass
class _Inst:
    """One institution printed in a paper."""

    d: dict[str, Any]
    dept: str
    show_loc: bool

    @property
    def name(self) -> str:
        return str(self.d["name"])

    def printed(self, with_dept: bool = True) -> str:
        parts = [self.dept] if (self.dept and with_dept) else []
        parts.append(self.name)
        if self.show_loc:
            parts += [self.d["city"], self.d["printed"]]
        return ", ".join(parts)


@dataclass
class _Author:
    """One author of a generated paper."""

    given: str
    family: str
    chinese: bool
    insts: list[int] = field(default_factory=list)
    marks: str = ""
    email: str = ""

    @property
    def name(self) -> str:
        return f"{self.given} {self.family}"


@dataclass
class _Plan:
    """Everything decided about one paper before its text is written."""

    index: int
    template: str
    year: int
    aff_style: str
    insts: list[_Inst]
    authors: list[_Author]
    org: dict[str, Any] | None
    area_key: str
    area: dict[str, Any]
    method: str
    title: str
    numeric_cites: bool
    two_column: bool
    footnotes: list[str] = field(default_factory=list)
    extra_affils: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    email_line: str = ""

    @property
    def anonymous(self) -> bool:
        return self.aff_style == "none"


_TEMPLATES = {  # template -> (weight, two-column, numeric citations); *_sub only by scenario
    "neurips": (0.40, False, True),
    "neurips_preprint": (0.11, False, True),
    "iclr": (0.14, False, False),
    "icml": (0.13, True, False),
    "icml_preprint": (0.05, True, False),
    "twocol": (0.13, True, True),
    "neurips_sub": (0.0, False, True),
    "icml_sub": (0.0, True, False),
    "iclr_sub": (0.0, False, False),
}
_LEAD_COUNTRY = {
    "CN": 0.38,
    "US": 0.36,
    "GB": 0.05,
    "SG": 0.035,
    "HK": 0.03,
    "DE": 0.03,
    "KR": 0.02,
    "CA": 0.02,
    "FR": 0.02,
    "JP": 0.015,
    "CH": 0.015,
    "AE": 0.01,
    "TW": 0.01,
    "IL": 0.005,
    "NL": 0.005,
    "IT": 0.005,
}
# Fixed scenarios for the first papers so that even a tiny corpus covers every layout.
_SCENARIOS: list[dict[str, Any]] = [
    {"template": "neurips", "style": "numbered", "lead": "CN"},
    {"template": "icml", "style": "footnote", "lead": "US", "collab": "CN"},
    {"template": "neurips", "style": "blocks", "lead": "GB"},
    {"template": "neurips_preprint", "style": "org", "org": "DeepSeek-AI"},
    {"template": "neurips_sub", "style": "none"},
    {"template": "neurips_preprint", "style": "gmail"},
    {"template": "iclr", "style": "numbered", "lead": "CN", "trap": "northeastern-CN"},
    {"template": "twocol", "style": "blocks", "lead": "US", "trap": "northeastern-US"},
    {"template": "icml_preprint", "style": "footnote", "lead": "CN", "appendix": True},
    {"template": "neurips", "style": "numbered", "lead": "US", "collab": "CN", "appendix": True},
]


def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _ascii(s: str) -> str:
    return (
        unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower().replace(" ", "")
    )


def _person(rng: random.Random, country: str) -> _Author:
    names = _data()["institutions"]["names"]
    trad = _weighted(rng, _data()["institutions"]["name_mix"].get(country, {"western": 1.0}))
    pool = names[trad]
    return _Author(rng.choice(pool["given"]), rng.choice(pool["family"]), trad == "chinese")


def _local_part(rng: random.Random, a: _Author) -> str:
    g, f = _ascii(a.given).replace("-", ""), _ascii(a.family).replace("-", "")
    if a.chinese:
        return rng.choice([f"{f}{g}", f"{g}{f}", f"{g}.{f}", f"{f}{g}{rng.randint(18, 24)}"])
    return rng.choice([f"{g}.{f}", f"{g[0]}{f}", f"{g}", f"{f}"])


def _pick_insts(rng: random.Random, scen: dict[str, Any]) -> list[_Inst]:
    pool = _data()["institutions"]["institution"]
    lead = scen.get("lead") or _weighted(rng, _LEAD_COUNTRY)
    k = rng.choices([1, 2, 3, 4], weights=[0.3, 0.35, 0.22, 0.13])[0]
    countries = [lead]
    for _ in range(k - 1):
        r = rng.random()
        if lead == "CN":
            c = (
                "HK"
                if r < 0.10
                else "US"
                if r < 0.16
                else rng.choice(["SG", "GB", "AE"])
                if r < 0.2
                else "CN"
            )
        elif lead == "US":
            c = (
                "CN"
                if r < 0.07
                else rng.choice(["GB", "CA", "DE", "SG", "KR", "CH"])
                if r < 0.2
                else "US"
            )
        else:
            c = (
                lead
                if r < 0.55
                else "US"
                if r < 0.75
                else "CN"
                if r < 0.85
                else _weighted(rng, _LEAD_COUNTRY)
            )
        countries.append(c)
    if scen.get("collab"):
        countries.append(scen["collab"])
    trap = scen.get("trap", "")
    chosen: list[dict[str, Any]] = []
    if trap.startswith("northeastern"):
        want = trap.split("-")[1]
        chosen.append(
            next(d for d in pool if d.get("trap") == "northeastern" and d["country"] == want)
        )
        if want == "CN" and len(countries) < 2:
            countries.append("CN")
        countries = countries[1:]
    for c in countries:
        cands = [
            d for d in pool if d["country"] == c and d["name"] not in {x["name"] for x in chosen}
        ]
        if not trap:
            cands = [d for d in cands if d.get("trap") != "northeastern" or rng.random() < 0.5]
        if cands:
            chosen.append(rng.choices(cands, weights=[d.get("weight", 1.0) for d in cands])[0])
    insts = []
    for d in chosen:
        if d.get("force_location") or (d.get("trap") and d["country"] == "US"):
            show = True
        elif d.get("located", True) is False or d.get("trap"):
            show = False
        else:
            show = rng.random() < 0.5
        dept = rng.choice(d["depts"]) if d.get("depts") and rng.random() < 0.4 else ""
        insts.append(_Inst(d, dept, show))
    return insts


def _plan(rng: random.Random, index: int) -> _Plan:
    data = _data()
    scen = _SCENARIOS[index] if index < len(_SCENARIOS) else {}
    if index % 100 == 57:  # one more anonymous submission per hundred papers
        scen = {"template": "icml_sub" if index % 200 == 57 else "iclr_sub"}
    template = scen.get("template") or _weighted(rng, {k: v[0] for k, v in _TEMPLATES.items()})
    _, two_col, numeric = _TEMPLATES[template]
    if template.endswith("_sub"):
        style = "none"
    elif template.startswith("icml"):
        style = "footnote"
    else:
        style = scen.get("style") or _weighted(
            rng,
            {"numbered": 0.62, "blocks": 0.26, "org": 0.06, "gmail": 0.03}
            if template != "iclr" and template != "twocol"
            else {"numbered": 0.75, "blocks": 0.25},
        )
    year = 2025 if template.endswith("_sub") else rng.choice([2024, 2025])
    area_key = rng.choice(sorted(data["prose"]["area"]))
    area = data["prose"]["area"][area_key]
    words = data["prose"]["words"]
    method = _method_name(rng, words)
    task = rng.choice(area["tasks"])
    title = (
        rng.choice(area["titles"])
        .replace("{Method}", method)
        .replace("{Adj}", rng.choice(words["adjs"]))
        .replace("{Task}", _title_case(task))
    )
    plan = _Plan(
        index, template, year, style, [], [], None, area_key, area, method, title, numeric, two_col
    )
    if style == "org":
        orgs = data["institutions"]["org_byline"]
        plan.org = next((o for o in orgs if o["name"] == scen.get("org")), None) or rng.choice(orgs)
    _plan_people(rng, plan, scen)
    return plan


def _title_case(s: str) -> str:
    small = {"of", "and", "for", "in", "with", "the", "a", "to", "on"}
    return " ".join(
        w if w in small and i else w[:1].upper() + w[1:] for i, w in enumerate(s.split())
    )


def _method_name(rng: random.Random, words: dict[str, Any]) -> str:
    while True:
        name = rng.choice(words["method_heads"]) + rng.choice(words["method_tails"])
        if rng.random() < 0.3:
            name = name.upper()
        if not _names_a_model(name):
            return name


def _names_a_model(s: str) -> bool:
    """True when a generated method name would contain a catalogued model name."""
    return any(word in s.lower() for word in _model_words())


@cache
def _model_words() -> tuple[str, ...]:
    models = _data()["models"]["model"]
    words = {mid.split("-")[0] for mid in models}
    for m in models.values():
        words.update(n.split("-")[0].split()[0].lower() for n in m["mention"])
    return tuple(sorted(w for w in words if len(w) > 1))


def _plan_people(rng: random.Random, plan: _Plan, scen: dict[str, Any]) -> None:
    style = plan.aff_style
    if style == "none":
        plan.notes.append("Anonymous double-blind submission: no authors, institutions or e-mails.")
        return
    if style == "gmail":
        for _ in range(rng.randint(1, 3)):
            a = _person(rng, rng.choice(["US", "CN", "GB", "DE"]))
            a.email = f"{_local_part(rng, a)}@gmail.com"
            plan.authors.append(a)
        plan.notes.append("Personal gmail addresses only: no institution, no country.")
        _note_name_traps(plan)
        return
    if style == "org":
        org = plan.org or {}
        country = org.get("country", "US")
        plan.authors = [_person(rng, country) for _ in range(rng.randint(3, 9))]
        plan.notes.append(f"Organisation-only byline '{org.get('name')}' (no location printed).")
        _note_name_traps(plan)
        return
    insts = _pick_insts(rng, scen)
    plan.insts = insts
    n_auth = rng.randint(max(2, len(insts)), 6 if style == "blocks" else 10)
    for i in range(n_auth):
        k = i % len(insts) if i < len(insts) else rng.randrange(len(insts))
        a = _person(rng, insts[k].d["country"])
        a.insts = [k]
        if style != "blocks" and len(insts) > 1 and rng.random() < 0.2:
            other = rng.randrange(len(insts))
            if other != k:
                a.insts = sorted([k, other])
        plan.authors.append(a)
    # markers must be numbered in order of first appearance, as LaTeX authors do
    order: list[int] = []
    for a in plan.authors:
        for k in a.insts:
            if k not in order:
                order.append(k)
    plan.insts = [insts[k] for k in order]
    for a in plan.authors:
        a.insts = sorted(order.index(k) for k in a.insts)
        dom = plan.insts[a.insts[0]].d
        host = dom.get("sub") if rng.random() < 0.5 and dom.get("sub") else dom["domain"]
        a.email = f"{_local_part(rng, a)}@{host}"
    for k, inst in enumerate(plan.insts):
        if inst.d.get("trap") == "northeastern" and inst.d["country"] == "CN":
            a = next(a for a in plan.authors if k in a.insts)
            a.email = f"{a.email.partition('@')[0]}@{inst.d['domain']}"
    _plan_footnotes(rng, plan)


def _at_neu(plan: _Plan, a: _Author) -> bool:
    return any(plan.insts[k].d.get("trap") == "northeastern" for k in a.insts)


def _plan_footnotes(rng: random.Random, plan: _Plan) -> None:
    pool = _data()["institutions"]["institution"]
    names = {i.name for i in plan.insts}
    notes: list[str] = []
    if len(plan.authors) > 2 and rng.random() < 0.5:
        for a in plan.authors[:2]:
            a.marks += "*"
        notes.append("^{*}Equal contribution.")
    if rng.random() < 0.4:
        plan.authors[-1].marks += "\u2020"
        notes.append("^{\u2020}Corresponding author.")
    countries = {i.d["country"] for i in plan.insts}
    if rng.random() < 0.15 and len(plan.authors) > 1:
        cands = [
            d
            for d in pool
            if d.get("located") is False
            and not d.get("trap")
            and d["name"] not in names
            and d["country"] in countries
        ]
        if cands:
            d = rng.choice(cands)
            plan.authors[1].marks += "\u2021"
            notes.append(f"^{{\u2021}}Work done during an internship at {d['name']}.")
            plan.extra_affils.append((d["name"], d["country"]))
            plan.notes.append(
                f"'Work done during an internship at {d['name']}' counts ({d['country']})."
            )
    if rng.random() < 0.12 and len(plan.authors) > 2:
        cands = [
            d
            for d in pool
            if d.get("located") is False
            and d["name"] not in names
            and d["country"] not in countries
            and d["name"] not in {n for n, _ in plan.extra_affils}
        ]
        if cands:
            d = rng.choice(cands)
            plan.authors[2].marks += "\u00a7"
            notes.append(f"^{{\u00a7}}Now at {d['name']}.")
            plan.notes.append(f"'Now at {d['name']}' is a later move and does not count.")
    for inst in plan.insts:
        if inst.d.get("trap") == "northeastern":
            where = (
                "CN (Shenyang: Chinese co-affiliations, .edu.cn e-mail)"
                if inst.d["country"] == "CN"
                else "US (Boston, printed)"
            )
            plan.notes.append(f"'Northeastern University' resolves to {where}.")
        if inst.name == "Google DeepMind":
            plan.notes.append("Google DeepMind without location -> GB.")
        if inst.name == "Microsoft Research Asia":
            plan.notes.append("Microsoft Research Asia -> CN.")
        if inst.d["country"] == "HK":
            plan.notes.append(f"{inst.name} ('Hong Kong, China' when located) is HK, not CN.")
        if inst.d.get("force_location"):
            plan.notes.append(f"{inst.name} printed with {inst.d['city']} -> {inst.d['country']}.")
    plan.footnotes = notes
    _note_name_traps(plan)


def _note_name_traps(plan: _Plan) -> None:
    for a in plan.authors:
        if {a.given, a.family} & {"Claude", "Roberta", "Albert", "Sam", "Yi"}:
            plan.notes.append(f"Author '{a.name}' is a person, not a model.")


# ------------------------------------------------------------------------ content

_TRAP_REFS = {
    "gptq": "GPTQ",
    "gptj": "GPT-J-6B",
    "llamaindex": "LlamaIndex",
    "shannon": "A mathematical theory",
}
_TRAP_NOTES = {
    "gptq": "GPTQ quantization in the method is not gpt.",
    "gptj": "GPT-J in related work is not gpt.",
    "llamaindex": "The LlamaIndex library in the method is not llama.",
    "vicunabench": "Vicuna-Bench is a benchmark, not vicuna.",
    "ppoclip": "PPO clip ratio is not CLIP.",
    "bertscore": "BERTScore is a metric, not bert.",
    "shannon": "Shannon entropy cited in the method (reference 'Claude E. Shannon') is not claude.",
}


@dataclass
class _Pick:
    """A model form chosen for a paper and the role it plays."""

    mid: str
    name: str
    role: str


class _Content:
    """Writes the sentences of one paper and records which models they use or name."""

    def __init__(self, rng: random.Random, plan: _Plan, appendix: bool) -> None:
        self.rng, self.plan = rng, plan
        self.prose = _data()["prose"]
        self.used: dict[str, str] = {}
        self.named: dict[str, str] = {}
        self.items: list[tuple[Any, ...]] = []
        self.appendix = appendix
        self.table_no = 0
        self.decks: dict[str, list[str]] = {}
        self._pick_models()
        self._pick_refs()

    # model choice
    def _forms(self, roles: Iterable[str], exclude: set[str]) -> list[_Pick]:
        out = []
        for mid, m in sorted(_data()["models"]["model"].items()):
            if mid in exclude:
                continue
            for f in m["forms"]:
                for r in f["roles"]:
                    if r in roles:
                        out.append(_Pick(mid, f["name"], r))
        return out

    def _pick_models(self) -> None:
        rng, area = self.rng, self.plan.area
        taken: set[str] = set()
        self.primary: list[_Pick] = []
        forced = (self.plan.org or {}).get("uses")
        if forced:
            cands = [
                p
                for p in self._forms(area["roles"] + ["chat", "base", "code"], set())
                if p.mid == forced
            ]
            self.primary.append(rng.choice(cands))
            taken.add(forced)
        for _ in range(rng.choice([1, 2, 2, 3])):
            cands = self._forms(area["roles"], taken)
            if cands:
                p = rng.choice(cands)
                self.primary.append(p)
                taken.add(p.mid)
        self.extra: list[_Pick] = []
        if rng.random() < 0.65:
            cands = self._forms([rng.choice(area["extra_roles"])], taken)
            if cands:
                p = rng.choice(cands)
                self.extra.append(p)
                taken.add(p.mid)
        self.table_only: _Pick | None = None
        if rng.random() < 0.3:
            cands = self._forms(["vlm" if "vlm" in area["roles"] else "chat"], taken)
            if cands:
                self.table_only = rng.choice(cands)
                taken.add(self.table_only.mid)
        self.appendix_only: _Pick | None = None
        if self.appendix and rng.random() < 0.6:
            cands = self._forms(area["roles"] + ["chat"], taken)
            if cands:
                self.appendix_only = rng.choice(cands)
                taken.add(self.appendix_only.mid)
        all_ids = sorted(_data()["models"]["model"])
        rest = [m for m in all_ids if m not in taken]
        rng.shuffle(rest)
        k = rng.choice([0, 1, 2, 2, 3, 4])
        self.mention_ids = rest[:k]
        self.ref_only_ids = rest[k : k + rng.choice([0, 0, 1, 1, 2])]
        self.appendix_mention = (
            rest[k + 3] if self.appendix and len(rest) > k + 3 and rng.random() < 0.3 else None
        )
        self.traps = self._pick_traps()

    def _pick_traps(self) -> list[str]:
        area = self.plan.area_key
        cands = ["gptj", "shannon"]
        if area in {"reasoning", "alignment", "rag", "agents", "code", "efficiency"}:
            cands += ["gptq"]
        if area in {"reasoning", "alignment", "agents"}:
            cands += ["ppoclip"]
        if area in {"rag", "agents"}:
            cands += ["llamaindex", "bertscore"]
        if area == "alignment":
            cands += ["vicunabench"]
        self.rng.shuffle(cands)
        return sorted(cands[: self.rng.choice([0, 1, 1, 2])])

    # references
    def _pick_refs(self) -> None:
        rng = self.rng
        mdata = _data()["models"]
        ids = {p.mid for p in [*self.primary, *self.extra]} | set(self.mention_ids)
        if self.appendix_only:
            ids.add(self.appendix_only.mid)
        refs: list[dict[str, Any]] = []
        self.model_ref: dict[str, dict[str, Any]] = {}
        for mid in sorted(ids):
            cands = [r for r in mdata["ref"] if r["ids"] and r["ids"][0] == mid]
            if cands and rng.random() < 0.85:
                r = rng.choice(cands)
                refs.append(r)
                self.model_ref[mid] = r
        for mid in self.ref_only_ids:
            cands = [r for r in mdata["ref"] if r["ids"] and r["ids"][0] == mid]
            if cands:
                refs.append(rng.choice(cands))
        unnamed = [r for r in mdata["ref"] if not r["ids"]]
        refs += rng.sample(unnamed, rng.randint(0, 2))
        generic = [g for g in mdata["generic_ref"] if "trap" not in g]
        refs += rng.sample(generic, rng.randint(8, min(18, len(generic))))
        trap_refs = [g for g in mdata["generic_ref"] if "trap" in g]
        for key in self.traps:
            prefix = _TRAP_REFS.get(key)
            if prefix:
                refs += [g for g in trap_refs if g["title"].startswith(prefix)]
        refs += [
            g
            for g in trap_refs
            if g["title"].startswith(("Decoupling", "Efficient transformers"))
            and rng.random() < 0.3
        ]
        uniq = {r["title"]: r for r in refs}
        self.refs = sorted(
            uniq.values(), key=lambda r: (r["authors"][0].split()[-1], r["year"], r["title"])
        )
        self.generic_refs = [r for r in self.refs if not r.get("ids")]
        self.ref_named: dict[str, str] = {}
        for r in self.refs:
            for mid in r.get("ids", []):
                self.ref_named.setdefault(mid, f"references only: '{r['title']}'")
            if "trap" in r:
                self.plan.notes.append(f"References: {r['trap']}.")

    def cite(self, ref: dict[str, Any] | None = None) -> str:
        ref = ref or self.rng.choice(self.generic_refs)
        if self.plan.numeric_cites:
            return f"[{self.refs.index(ref) + 1}]"
        a = ref["authors"]
        first = (
            a[0] if len(a[0].split()) == 1 or "Team" in a[0] or " AI" in a[0] else a[0].split()[-1]
        )
        who = (
            first
            if len(a) == 1
            else f"{first} and {a[1].split()[-1]}"
            if len(a) == 2
            else f"{first} et al."
        )
        return f"({who}, {ref['year']})"

    # sentences
    def fill(self, tpl: str, **extra: str) -> str:
        rng, area = self.rng, self.plan.area
        ds = rng.sample(area["datasets"], 2)
        kws = rng.sample(area["kws"], 2)
        slots = {
            "Method": self.plan.method,
            "task": rng.choice(area["tasks"]),
            "kw": kws[0],
            "kw2": kws[1],
            "dataset": ds[0],
            "dataset2": ds[1],
            "metric": rng.choice(area["metrics"]),
            "n": str(rng.choice([4, 8, 16, 32, 64, 128, 256, 512])),
            "pct": f"{rng.uniform(1.2, 9.8):.1f}",
        }
        slots.update(extra)
        if "{cite}" in tpl and "cite" not in extra:
            slots["cite"] = self.cite()
        text = tpl.format(**slots)
        return text[0].upper() + text[1:]

    def use(self, pick: _Pick, kind: str | None = None) -> str:
        tpls = self.prose["use"][kind or pick.role]
        s = self.fill(self.rng.choice(tpls), m=pick.name)
        self.used.setdefault(pick.mid, s)
        return s

    def mention(self, kind: str, mids: list[str]) -> str:
        models = _data()["models"]["model"]
        names = [self.rng.choice(models[m]["mention"]) for m in mids]
        tpls = [t for t in self.prose["mention"][kind] if ("{m2}" in t) == (len(mids) > 1)]
        ref = self.model_ref.get(mids[0])
        tpl = self.rng.choice(tpls)
        if not ref:
            tpl = tpl.replace(" {cite}", "")
        s = self.fill(
            tpl,
            m=names[0],
            m2=names[1] if len(names) > 1 else "",
            cite=self.cite(ref) if ref else "",
        )
        for m in mids:
            self.named.setdefault(m, s)
        return s

    def trap(self, key: str) -> str:
        tpl = self.prose["trap"][key]
        prefix = _TRAP_REFS.get(key)
        ref = next((r for r in self.refs if prefix and r["title"].startswith(prefix)), None)
        self.plan.notes.append(_TRAP_NOTES[key])
        return self.fill(tpl, cite=self.cite(ref) if ref else "")

    def paragraph(self, section: str, k: int, extra: Sequence[str] = ()) -> str:
        deck = self.decks.setdefault(section, [])
        sents = []
        for _ in range(k):
            if not deck:
                deck.extend(self.prose["prose"][section])
                self.rng.shuffle(deck)
            sents.append(self.fill(deck.pop()))
        for s in extra:
            sents.insert(self.rng.randint(0, len(sents)), s)
        return " ".join(sents)


def _numbers(rng: random.Random, n_rows: int, n_cols: int) -> list[list[float]]:
    base = [rng.uniform(30, 78) for _ in range(n_cols)]
    rows = [[min(99.0, b + rng.uniform(-12, 6)) for b in base] for _ in range(n_rows)]
    best = [max(r[j] for r in rows) for j in range(n_cols)]
    rows.append([min(99.5, b + rng.uniform(0.6, 4.5)) for b in best])
    return rows


def _table(c: _Content, picks: list[_Pick], caption_kind: str, n_cols: int) -> tuple[Any, ...]:
    rng, area = c.rng, c.plan.area
    cols = rng.sample(area["datasets"], min(n_cols, len(area["datasets"])))
    metric = rng.choice(area["metrics"])
    vals = _numbers(rng, len(picks), len(cols))
    rows = []
    for label, v in zip([p.name for p in picks] + [f"{c.plan.method} (ours)"], vals, strict=True):
        rows.append([label, *(f"{x:.1f}" for x in v), f"{sum(v) / len(v):.1f}"])
    c.table_no += 1
    caption = (
        f"Table {c.table_no}: {caption_kind} on {', '.join(cols[:-1])} and {cols[-1]} ({metric}). "
        "Best results are in the last row."
    )
    for p, row in zip(picks, rows, strict=False):
        c.used.setdefault(p.mid, f"Table {c.table_no} row '{' '.join(row)}'")
    return ("table", caption, ["Model", *cols, "Avg."], rows)


def _compose(c: _Content, scale: int) -> list[tuple[Any, ...]]:
    """The paper's flow: abstract, numbered sections, references, optional appendix."""
    rng, plan = c.rng, c.plan
    dot = "." if plan.template.startswith("icml") else ""
    items: list[tuple[Any, ...]] = []
    abstract = [c.fill(rng.choice(g)) for g in c.prose["abstract"]["groups"]]
    if c.primary and rng.random() < 0.5:
        abstract.insert(3, c.use(c.primary[0], "abstract"))
    items.append(("abstract", " ".join(abstract)))

    items.append(("h1", f"1{dot} Introduction"))
    intro_ids = c.mention_ids[:2] if c.mention_ids else [p.mid for p in c.primary[:2]]
    if intro_ids and rng.random() < 0.8:
        intro_ids = intro_ids[:2] if len(intro_ids) > 1 else intro_ids
        mention = c.mention("intro", intro_ids)
    else:
        mention = ""
    n_intro = 2 + scale // 2
    for i in range(n_intro):
        first = [mention] if (i == 0 and mention) else []
        last = [c.fill(c.prose["prose"]["intro_end"][0])] if i == n_intro - 1 else []
        items.append(
            ("p", c.paragraph("intro", rng.randint(5, 7), first) + (" " + last[0] if last else ""))
        )

    items.append(("h1", f"2{dot} Related Work"))
    related = [c.mention("related", [m]) for m in c.mention_ids[2:] or c.mention_ids[:1]]
    related += [c.trap(t) for t in c.traps if t == "gptj"]
    n_rel = 2 + scale // 3
    for i in range(n_rel):
        items.append(("p", c.paragraph("related", rng.randint(4, 6), related[i::n_rel])))

    items.append(("h1", f"3{dot} {rng.choice(['Method', plan.method, 'Approach', 'Methodology'])}"))
    method_uses = [c.use(p) for p in c.primary if p.role not in {"chat", "judge"}]
    method_uses += [c.trap(t) for t in c.traps if t in {"gptq", "ppoclip", "llamaindex", "shannon"}]
    n_meth = 3 + scale
    subs = rng.choice(
        [
            [],
            ["Problem Formulation", "Training Objective", "Inference"],
            ["Overview", f"{plan.method} in Detail"],
        ]
    )
    for i in range(n_meth):
        if (
            subs
            and i % max(1, n_meth // len(subs)) == 0
            and i // max(1, n_meth // len(subs)) < len(subs)
        ):
            k = i // max(1, n_meth // len(subs))
            items.append(("h2", f"3.{k + 1}{dot} {subs[k]}"))
        items.append(("p", c.paragraph("method", rng.randint(5, 7), method_uses[i::n_meth])))

    items.append(("h1", f"4{dot} Experiments"))
    items.append(("h2", f"4.1{dot} Experimental Setup"))
    setup = [c.use(p) for p in c.primary if p.role in {"chat", "judge"}]
    setup += [c.use(p) for p in c.extra]
    setup += [c.trap(t) for t in c.traps if t in {"vicunabench", "bertscore"}]
    for i in range(2):
        items.append(("p", c.paragraph("setup", rng.randint(4, 6), setup[i::2])))
    rows = [*c.primary, *[p for p in c.extra if p.role in {"chat", "vlm", "code"}]]
    if c.table_only:
        rows.append(c.table_only)
    rng.shuffle(rows)
    items.append(_table(c, rows, "Main results", 3 if plan.two_column else 4))
    items.append(("h2", f"4.2{dot} Main Results"))
    for _ in range(1 + scale // 2):
        items.append(("p", c.paragraph("results", rng.randint(5, 7))))
    items.append(("h2", f"4.3{dot} Ablation Study"))
    for _ in range(1 + scale // 2):
        items.append(("p", c.paragraph("results", rng.randint(4, 6))))
    items.append(("h2", f"4.4{dot} Analysis"))
    for _ in range(1 + scale // 2):
        items.append(("p", c.paragraph("results", rng.randint(5, 7))))

    items.append(("h1", f"5{dot} Conclusion"))
    items.append(("p", c.paragraph("conclusion", rng.randint(4, 6))))

    items.append(("refs_head", "References"))
    for i, r in enumerate(c.refs):
        a = r["authors"]
        who = (
            a[0]
            if len(a) == 1
            else ", ".join(a[:-1]) + (", and " if len(a) > 2 else " and ") + a[-1]
        )
        text = f"{who}. {r['title']}. {r['where']}, {r['year']}."
        items.append(("ref", f"[{i + 1}] {text}" if plan.numeric_cites else text))

    if c.appendix:
        items.append(("newpage",))
        items.append(("h1", f"A{dot} Additional Experiments"))
        extra = []
        if c.appendix_only:
            extra.append(c.use(c.appendix_only, "appendix"))
        if c.appendix_mention:
            extra.append(c.mention("appendix", [c.appendix_mention]))
        for i in range(2):
            items.append(("p", c.paragraph("appendix", rng.randint(3, 5), extra[i::2])))
        if c.appendix_only and rng.random() < 0.5:
            items.append(
                _table(c, [c.appendix_only], "Additional results", 3 if plan.two_column else 4)
            )
        items.append(("h1", f"B{dot} Implementation Details"))
        for _ in range(1 + scale // 3):
            items.append(("p", c.paragraph("setup", rng.randint(4, 6))))
        if c.appendix_only:
            plan.notes.append(
                f"{c.appendix_only.name} is used only in the appendix after the references."
            )
    return items


# ------------------------------------------------------------------ front matter

_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _style(rng: random.Random, plan: _Plan) -> _Style:
    t, year = plan.template, plan.year
    if plan.two_column:
        if t.startswith("icml"):
            st = _Style(
                columns=((63.0, 297.0), (315.0, 549.0)),
                size=9.5,
                leading=11.0,
                parskip=4.0,
                head_size=11.0,
                running_title=plan.title if len(plan.title) < 90 else plan.method,
            )
        else:
            st = _Style(
                columns=((72.0, 291.0), (321.0, 540.0)),
                size=10.0,
                leading=12.0,
                parskip=0.0,
                indent=10.0,
                head_size=12.0,
            )
    else:
        st = _Style(columns=((108.0, 504.0),), upper_heads=t.startswith("iclr"))
    if t == "neurips":
        st.footer1 = (
            f"{38 if year == 2024 else 39}th Conference on Neural Information Processing Systems "
            f"(NeurIPS {year})."
        )
    elif t == "neurips_preprint":
        st.footer1 = "Preprint. Under review."
    elif t == "neurips_sub":
        st.footer1 = (
            "Submitted to 39th Conference on Neural Information Processing Systems "
            "(NeurIPS 2025). Do not distribute."
        )
    elif t == "iclr":
        st.header = f"Published as a conference paper at ICLR {year}"
    elif t == "iclr_sub":
        st.header = f"Under review as a conference paper at ICLR {year}"
    if not t.endswith("_sub") and (
        t in {"neurips_preprint", "twocol", "icml_preprint"} or rng.random() < 0.3
    ):
        month = rng.randint(1, 12)
        st.stamp = (
            f"arXiv:{year % 100}{month:02d}.{rng.randint(1000, 19999):05d}v{rng.randint(1, 3)} "
            f"[cs.{rng.choice(['CL', 'LG', 'CV', 'AI'])}] "
            f"{rng.randint(1, 28)} {_MONTHS[month - 1]} {year}"
        )
    return st


def _venue(plan: _Plan) -> str | None:
    names = {"neurips": "NeurIPS", "icml": "ICML", "iclr": "ICLR"}
    return f"{names[plan.template]} {plan.year}" if plan.template in names else None


def _icml_venue_line(plan: _Plan) -> str:
    if plan.template == "icml_sub":
        return (
            "Preliminary work. Under review by the International Conference on Machine Learning "
            "(ICML). Do not distribute."
        )
    if plan.template == "icml_preprint":
        return "Preprint."
    if plan.year == 2024:
        return (
            "Proceedings of the 41st International Conference on Machine Learning, "
            "Vienna, Austria. "
            "PMLR 235, 2024. Copyright 2024 by the author(s)."
        )
    return (
        "Proceedings of the 42nd International Conference on Machine Learning, Vancouver, Canada. "
        "PMLR 267, 2025. Copyright 2025 by the author(s)."
    )


def _author_unit(a: _Author, markers: bool) -> str:
    marks = ",".join(str(k + 1) for k in a.insts) if markers else ""
    sym = a.marks
    sup = f"{sym}{marks}" if sym else marks
    return f"{a.name}^{{{sup}}}" if sup else a.name


def _emails(rng: random.Random, plan: _Plan) -> str:
    needs = any(i.d.get("trap") == "northeastern" and i.d["country"] == "CN" for i in plan.insts)
    mode = rng.choice(["none", "grouped", "grouped", "list"])
    if needs:
        mode = "grouped"  # the .edu.cn address is what places this Northeastern in China
    if mode == "none":
        return ""
    if mode == "list":
        return ", ".join(a.email for a in plan.authors[: rng.randint(2, 4)] if a.email) or ""
    groups: dict[str, list[str]] = {}
    for a in plan.authors:
        local, _, dom = a.email.partition("@")
        groups.setdefault(dom, []).append(local)
    parts = [f"{{{','.join(v)}}}@{k}" if len(v) > 1 else f"{v[0]}@{k}" for k, v in groups.items()]
    return "  ".join(parts)


def _front(ts: _Typesetter, rng: random.Random, plan: _Plan) -> None:
    """Title, byline, affiliations and page-1 notes; leaves ts.y below them."""
    cv = ts.canvas
    x0, x1 = ts.st.columns[0][0], ts.st.columns[-1][1]
    t = plan.template
    y = ts.st.top
    center = not t.startswith("iclr")
    if t.startswith("neurips"):
        cv.rule(x0, y + 4, x1, 4)
        y = _draw_lines(cv, plan.title, x0, x1, y + 10, "B", 17, 20)
        cv.rule(x0, y + 10, x1, 1)
        y += 24
    elif t.startswith("icml"):
        cv.rule(x0, y, x1, 1)
        y = _draw_lines(cv, plan.title, x0, x1, y + 4, "B", 14, 17)
        cv.rule(x0, y + 8, x1, 0.5)
        y += 20
    elif t.startswith("iclr"):
        y = _draw_lines(cv, plan.title.upper(), x0, x1, y + 4, "B", 16, 19, align="left")
        y += 16
    else:
        y = _draw_lines(cv, plan.title, x0, x1, y + 6, "HB", 15, 18)
        y += 14
    align = "center" if center else "left"
    style = plan.aff_style
    footnotes = list(plan.footnotes)
    if style == "none":
        if t.startswith("icml"):
            y = _draw_lines(cv, "Anonymous Authors^{1}", x0, x1, y, "B", 10, 13)
            footnotes = [
                "^{1}Anonymous Institution, Anonymous City, Anonymous Region, Anonymous Country. "
                "Correspondence to: Anonymous Author <anon.email@domain.com>."
            ]
        elif t.startswith("iclr"):
            y = _draw_lines(cv, "Anonymous authors", x0, x1, y, "B", 10, 13, align="left")
            y = _draw_lines(
                cv, "Paper under double-blind review", x0, x1, y, "R", 10, 12, align="left"
            )
        else:
            y = _draw_lines(cv, "Anonymous Author(s)", x0, x1, y, "B", 10, 13)
            for line in ("Affiliation", "Address", "email"):
                y = _draw_lines(cv, line, x0, x1, y, "R", 10, 12)
    elif style in {"blocks", "gmail"}:
        y = _blocks(cv, plan, x0, x1, y)
    elif style == "org":
        org = plan.org or {}
        y = _draw_lines(cv, "|".join(a.name for a in plan.authors), x0, x1, y, "B", 10, 13, sep="|")
        y = _draw_lines(cv, org["name"], x0, x1, y + 2, "R", 11, 14)
        if org.get("email"):
            y = _draw_lines(cv, org["email"], x0, x1, y, "M", 9, 11)
    else:
        name_font = "B" if t.startswith("neurips") or t.startswith("iclr") else "R"
        units = [_author_unit(a, len(plan.insts) > 1 or style == "footnote") for a in plan.authors]
        sep = "|"
        if not center:
            units = [u + "," for u in units[:-1]] + units[-1:]
        y = _draw_lines(cv, sep.join(units), x0, x1, y, name_font, 10, 13, align=align, sep=sep)
        multi = len(plan.insts) > 1 or style == "footnote"
        affs = [
            (f"^{{{k + 1}}}" if multi else "") + i.printed(rng.random() < 0.7)
            for k, i in enumerate(plan.insts)
        ]
        if style == "footnote":
            corr = rng.choice(plan.authors)
            neu = [a for a in plan.authors if a.email.endswith(".edu.cn") and _at_neu(plan, a)]
            if neu:
                corr = neu[0]
            lead = [n for n in footnotes if n.startswith("^{*}")]
            rest = [n for n in footnotes if not n.startswith("^{*}")]
            footnotes = [
                *lead,
                " ".join(affs) + f". Correspondence to: {corr.name} <{corr.email}>.",
                *rest,
            ]
        else:
            if rng.random() < 0.5:
                for aff in affs:
                    y = _draw_lines(cv, aff, x0, x1, y, "R", 10, 12, align=align)
            else:
                y = _draw_lines(cv, "   ".join(affs), x0, x1, y, "R", 10, 12, align=align)
            emails = _emails(rng, plan)
            if emails:
                y = _draw_lines(cv, emails, x0, x1, y + 1, "M", 9, 11, align=align)
    if t.startswith("icml"):
        footnotes.append(_icml_venue_line(plan))
    ts.y = y + 10
    ts.body_top = ts.y
    ts.set_footnotes(footnotes)


def _blocks(cv: _Canvas, plan: _Plan, x0: float, x1: float, y: float) -> float:
    n = len(plan.authors)
    ncols = 3 if n >= 3 and n != 4 else 2 if n > 1 else 1
    bw = (x1 - x0) / ncols
    for r in range(0, n, ncols):
        row = plan.authors[r : r + ncols]
        left = x0 + (x1 - x0 - bw * len(row)) / 2
        bottom = y
        for j, a in enumerate(row):
            bx0, bx1 = left + j * bw + 3, left + (j + 1) * bw - 3
            name = f"{a.name}^{{{a.marks}}}" if a.marks else a.name
            by = _draw_lines(cv, name, bx0, bx1, y, "B", 10, 12)
            for k in a.insts:
                inst = plan.insts[k]
                for line in ([inst.dept] if inst.dept else []) + [inst.name]:
                    by = _draw_lines(cv, line, bx0, bx1, by, "R", 9.5, 11)
                if inst.d.get("located", True) is not False or inst.d.get("force_location"):
                    by = _draw_lines(
                        cv, f"{inst.d['city']}, {inst.d['printed']}", bx0, bx1, by, "R", 9.5, 11
                    )
            by = _draw_lines(cv, a.email, bx0, bx1, by, "M", 8.5, 10.5)
            bottom = max(bottom, by)
        y = bottom + 8
    return y


# ------------------------------------------------------------------------ render


def _render(plan: _Plan, items: list[tuple[Any, ...]], rng: random.Random) -> tuple[bytes, int]:
    doc = pymupdf.open()
    st = _style(rng, plan)
    ts = _Typesetter(doc, st, rng)
    _front(ts, rng, plan)
    for item in items:
        kind = item[0]
        if kind == "abstract":
            head = "ABSTRACT" if plan.template.startswith("iclr") else "Abstract"
            ts.centered(head, "B", 12 if not plan.two_column else 11)
            ts.paragraph(item[1], margin=36 if not plan.two_column else 8, indent=0, skip=6)
        elif kind == "h1":
            ts.heading(item[1], 1)
        elif kind == "h2":
            ts.heading(item[1], 2)
        elif kind == "p":
            ts.paragraph(item[1])
        elif kind == "table":
            ts.table(item[1], item[2], item[3])
        elif kind == "refs_head":
            ts.heading(item[1], 1)
        elif kind == "ref":
            ts.paragraph(item[1], size=ts.st.size - 1, indent=0, hang=10, skip=2.5)
        elif kind == "newpage":
            ts.new_page()
    meta = {
        "format": "PDF 1.7",
        "title": plan.title if rng.random() < 0.5 else "",
        "author": "",
        "subject": "",
        "keywords": "",
        "creator": "LaTeX with hyperref",
        "producer": "paperscope demo corpus",
        "creationDate": FIXED_DATE,
        "modDate": FIXED_DATE,
        "trapped": "",
    }
    if not plan.anonymous and plan.aff_style != "org" and rng.random() < 0.3:
        meta["author"] = ", ".join(a.name for a in plan.authors)
    data = ts.finish(meta)
    return data, len(ts.pages)


def _label(plan: _Plan, c: _Content, file: str, pages: int, seed: int) -> dict[str, Any]:
    affs: list[dict[str, str]] = []
    if plan.aff_style == "org" and plan.org:
        affs.append({"name": plan.org["name"], "country": plan.org["country"]})
    for inst in plan.insts:
        affs.append({"name": inst.name, "country": inst.d["country"]})
    for name, country in plan.extra_affils:
        affs.append({"name": name, "country": country})
    seen: set[str] = set()
    affs = [a for a in affs if not (a["name"] in seen or seen.add(a["name"]))]  # type: ignore[func-returns-value]
    named = c.ref_named | c.named
    used = sorted(c.used)
    mentioned = sorted(set(named) - set(c.used))
    evidence = {m: c.used[m] for m in used} | {m: named[m] for m in mentioned}
    style = {
        "numbered": "under-authors",
        "blocks": "under-authors",
        "org": "under-authors",
        "footnote": "footnote",
        "gmail": "emails-only",
        "none": "none",
    }[plan.aff_style]
    notes = [f"Generated demo paper ({plan.template}, {plan.area_key}, {plan.aff_style} byline)."]
    notes += [n if n.endswith(".") else n + "." for n in dict.fromkeys(plan.notes)]
    if plan.template.startswith("iclr") and not plan.anonymous:
        notes.append("Title printed in capitals; labelled in title case.")
    if plan.template == "icml" and plan.year == 2024:
        notes.append("'Vienna, Austria' in the proceedings line is the venue, not an affiliation.")
    if plan.template == "icml" and plan.year == 2025:
        notes.append(
            "'Vancouver, Canada' in the proceedings line is the venue, not an affiliation."
        )
    return {
        "file": file,
        "title": plan.title,
        "venue": _venue(plan),
        "source": f"paperscope demo corpus (seed {seed}, paper {plan.index})",
        "anonymous": plan.anonymous,
        "affiliations": affs,
        "countries": sorted({a["country"] for a in affs}),
        "models_used": used,
        "models_mentioned_only": mentioned,
        "evidence": evidence,
        "layout": "two-column" if plan.two_column else "single-column",
        "affiliation_style": style,
        "pages": pages,
        "notes": " ".join(notes),
    }


def _slug(title: str) -> str:
    words = [w for w in "".join(ch if ch.isalnum() else " " for ch in _ascii_title(title)).split()]
    return "-".join(words[:4]).lower()


def _ascii_title(s: str) -> str:
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()


def make_paper(index: int, seed: int = 2025) -> tuple[str, bytes, dict[str, Any]]:
    """One demo paper: (file name, PDF bytes, label). Deterministic for (index, seed)."""
    attempt_shift = 0
    for attempt in range(4):
        rng = random.Random(f"paperscope-demo:{seed}:{index}:{attempt}")
        plan = _plan(rng, index)
        appendix = (
            bool(_SCENARIOS[index].get("appendix"))
            if index < len(_SCENARIOS)
            else rng.random() < 0.35
        )
        content = _Content(rng, plan, appendix)
        scale = rng.choice([3, 4, 5, 6, 7, 8]) + (4 if plan.two_column else 0) + attempt_shift
        items = _compose(content, scale)
        data, pages = _render(plan, items, rng)
        if 6 <= pages <= 12:
            break
        attempt_shift += 2 if pages < 6 else -2
    file = f"demo-{index:04d}-{_slug(plan.title)}.pdf"
    return file, data, _label(plan, content, file, pages, seed)


def generate_demo_corpus(
    out_dir: Path,
    n: int = 200,
    seed: int = 2025,
    progress: Callable[[int, int], None] | None = None,
) -> DemoCorpus:
    """Write `n` synthetic papers to out_dir/pdfs and their labels to out_dir/labels.jsonl."""
    out_dir = Path(out_dir)
    pdf_dir = out_dir / "pdfs"
    pdf_dir.mkdir(parents=True, exist_ok=True)
    labels_file = out_dir / "labels.jsonl"
    lines = []
    for i in range(n):
        file, data, label = make_paper(i, seed)
        (pdf_dir / file).write_bytes(data)
        lines.append(json.dumps(label, ensure_ascii=False))
        if progress:
            progress(i + 1, n)
    labels_file.write_text("\n".join(lines) + ("\n" if lines else ""), encoding="utf-8")
    return DemoCorpus(pdf_dir=pdf_dir, labels_file=labels_file, papers=n)


# ---------------------------------------------------------------------- bad input


def make_bad_pdfs(out_dir: Path) -> dict[str, Path]:
    """Write one file per kind of unusable input; returns {kind: path}.

    Kinds: ``empty`` (0 bytes), ``not_pdf`` (text with a .pdf name), ``truncated``
    (first half of a valid PDF), ``encrypted`` (user password required),
    ``image_only`` (pages with drawings and an image but no text layer).
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {
        k: out_dir / f"bad-{k.replace('_', '-')}.pdf"
        for k in ("empty", "not_pdf", "truncated", "encrypted", "image_only")
    }
    paths["empty"].write_bytes(b"")
    paths["not_pdf"].write_text("This is a plain text file that only pretends to be a PDF.\n" * 20)
    _, good, _ = make_paper(0)
    paths["truncated"].write_bytes(good[: len(good) // 2])
    doc = pymupdf.open("pdf", good)
    doc.set_metadata({"creationDate": FIXED_DATE, "modDate": FIXED_DATE, "producer": "paperscope"})
    paths["encrypted"].write_bytes(
        doc.tobytes(
            encryption=pymupdf.PDF_ENCRYPT_AES_256,
            user_pw="secret",
            owner_pw="owner",
            no_new_id=True,
        )
    )
    img = pymupdf.open()
    pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 64, 64), False)
    pix.set_rect(pix.irect, (200, 200, 200))
    pix.set_rect(pymupdf.IRect(8, 8, 56, 30), (30, 30, 30))
    for _ in range(2):
        page = img.new_page(width=PAGE_W, height=PAGE_H)
        page.insert_image(pymupdf.Rect(108, 100, 504, 496), pixmap=pix)
        for k in range(30):
            page.draw_rect(
                pymupdf.Rect(108, 520 + 6 * k, 300 + (k * 37) % 200, 523 + 6 * k),
                color=None,
                fill=(0.2, 0.2, 0.2),
            )
    img.set_metadata({"creationDate": FIXED_DATE, "modDate": FIXED_DATE, "producer": "paperscope"})
    paths["image_only"].write_bytes(img.tobytes(garbage=3, deflate=True, no_new_id=True))
    return paths
