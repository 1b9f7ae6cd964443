"""Evidence a reviewer can judge at a glance: no page furniture, tables with their captions.

A reviewer accepts or rejects a hit from the sentence shown beside it, so that sentence
must say something. Two kinds of text defeat that:

- *running headers and footers* — the paper's short title at the top of every page,
  "Preprint", page numbers, the venue line ("38th Conference on Neural Information
  Processing Systems (NeurIPS 2024)") and the arXiv stamp. They name the model in a
  paper about it on every page, and PyMuPDF glues them to the first or last sentence of
  the page. `running_lines` finds them per paper, in one pass over the first and last
  few lines of each page (linear in the number of pages): a line repeated at the same
  edge of many pages, or a line that reads as venue, stamp or page number. Mentions on
  them are kept (they still count as mentions) but never decide a use nor show as
  evidence, and sentences around them are cut where they start.
- *bare table rows* — "Qwen-VL-7B 59.3 67.1" says nothing without its table.
  `table_context` finds the table's "Table N:" caption (above or below the rows, on the
  same page) and its column-header cells, and `with_table_context` writes evidence as
  ``Table 1: Zero-shot results … | VLM | GQA | … → Qwen-VL-7B 59.3 67.1``.

This module only chooses and shapes text: which mention *qualifies* as use stays with
`mentions` and `usage`.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from indexer.records import ModelMention, PageText

RUNNING_CUE = "generic: running header or footer"
"""The cue of a mention that sits on a running header or footer line."""
TABLE_ARROW = " → "
"""Separates a table's caption and header from the row in a table-row evidence sentence."""

_TOP_LINES = 3  # lines at the top of a page where a running header can sit
_BOTTOM_LINES = 3  # ... and at the bottom (footers, page numbers)
_FOOTNOTE_LINES = 6  # venue, copyright and stamp lines may sit a bit further in
_MIN_SHARE = 0.4  # a header repeats on at least this share of the pages (alternating
# headers reach ~0.45; a table header cell that opens a third of the pages does not)
_MAX_RUNNING = 160  # a longer line is text, not page furniture

_DIGITS = re.compile(r"\d+")
_LETTER = re.compile(r"[^\W\d_]")
_PAGE_NUMBER = re.compile(
    r"(?i:page\s+)?[-–—]?\s*(?:\d{1,4}|[ivxl]{1,6})\s*[-–—]?(?:\s*(?:of|/)\s*\d{1,4})?"
)
_FURNITURE = re.compile(
    r"arXiv:\d{4}\.\d{4,5}(?:v\d+)?\s*\[[^\]]{1,20}\]\s*\d{1,2}\s+[A-Z][a-z]{2}\s+\d{4}"
    r"|(?:\d+\s*(?:st|nd|rd|th)\s+)?(?:Annual\s+)?Conference\s+on\s+Neural\s+Information"
    r"\s+Processing\s+Systems\b.{0,80}"
    r"|(?:Published|Under\s+review|Accepted|Presented)\s+as\s+an?\s+(?:conference|workshop|"
    r"main\s+conference)\s+paper\s+at\s+.{2,60}"
    r"|Preprint\.?(?:\s+Under\s+review\.?)?|Under\s+review\.?"
    r"|Proceedings\s+of\s+the\s+\d+\s*(?:st|nd|rd|th)?\s+.{0,140}"
    r"|.{0,80}\bPMLR\s+\d+,\s+(?:19|20)\d\d\b.{0,80}"
    r"|Copyright\s+(?:©\s*)?(?:19|20)\d\d\b.{0,100}"
    r"|.{0,60}\bWorkshop\s+(?:on|at)\b.{0,60}\b(?:NeurIPS|ICLR|ICML|CVPR|ACL|EMNLP)\s*(?:19|20)\d\d"
    r"\)?\.?",
    re.IGNORECASE,
)
# Every furniture line holds one of these words: a cheap test before the full pattern.
# Case-sensitive substring tests (`str.__contains__`): three times faster than one
# alternation regex over the same stretch, which was four times faster than IGNORECASE.
_FURNITURE_HINTS = (
    "arXiv:", "Conference", "CONFERENCE", "Paper", "paper", "PAPER", "Preprint", "preprint",
    "PREPRINT", "Review", "review", "REVIEW", "Proceedings", "PROCEEDINGS", "PMLR",
    "Copyright", "COPYRIGHT", "Workshop", "WORKSHOP",
)  # fmt: skip
_CAPTION = re.compile(r"^[ \t]*(?:Table|Tab\.)\s*[A-Z]?\d+\s*[:.|]", re.MULTILINE)
_NUMERIC = re.compile(r"[\s\d.,%±+\-–−/()×x*†‡∗§¶~<>|:↑↓✓✗]*\d[\s\d.,%±+\-–−/()×x*†‡∗§¶~<>|:↑↓✓✗]*")
_NUMBER = re.compile(r"(?<![\w.])[-+]?\d+(?:\.\d+)?%?(?![\w.])")
_PROSE = re.compile(r"[\w\])][.;] [A-Z]|\b(?:we|the|is|are|was|were|that|which)\b")
_CAPTION_END = re.compile(r"[.!?](?=\s|$)")
_CAPTION_STOP = re.compile(r"\s[•◦▪‣]\s|\s(?:Table|Tab\.)\s*[A-Z]?\d+\b")
_MAX_CAPTION = 110
_MAX_HEADER = 110
_MAX_CELLS = 14
_TABLE_LINE = 60  # longest line still read as a table cell or row
_CAPTION_REACH = 600  # how far above the table's first line its caption may end


@dataclass(frozen=True, slots=True)
class RunningLines:
    """The running header and footer lines of one paper, as spans of its joined text."""

    spans: tuple[tuple[int, int], ...]
    """(start, end) of each running line in the `join_pages` text, sorted."""
    texts: tuple[str, ...]
    """The distinct running lines as printed (stripped), for matching snippets later."""

    def covers(self, pos: int) -> bool:
        """Whether the character at ``pos`` sits on a running line."""
        i = bisect.bisect_right(self.spans, (pos, math.inf)) - 1
        return i >= 0 and self.spans[i][0] <= pos < self.spans[i][1]

    def line_at(self, text: str, pos: int) -> str:
        """The running line holding ``pos`` (as printed), ``""`` when there is none."""
        i = bisect.bisect_right(self.spans, (pos, math.inf)) - 1
        if i >= 0 and self.spans[i][0] <= pos < self.spans[i][1]:
            return text[self.spans[i][0] : self.spans[i][1]].strip()
        return ""

    def printed(self) -> list[str]:
        """The running lines with words in them (page numbers are known anyway), for
        `Paper.meta` so full-text snippets can avoid them later."""
        return [t for t in self.texts if _LETTER.search(t)]

    def mask(self, text: str) -> str:
        """``text`` with every running line blanked out (same length, so offsets hold).

        A blanked line reads as an empty line: sentences end there, and a table row
        does not take a page number for one of its cells.
        """
        if not self.spans:
            return text
        parts: list[str] = []
        pos = 0
        for start, end in self.spans:
            parts += [text[pos:start], " " * (end - start)]
            pos = end
        parts.append(text[pos:])
        return "".join(parts)


def running_lines(pages: tuple[PageText, ...], starts: list[int]) -> RunningLines:
    """Find the paper's running headers and footers (``starts``: `join_pages` offsets).

    Looks only at the first and last few lines of each page, so the cost grows with
    the number of pages, not with the length of the text.
    """
    edges = [_edge_lines(p.text) for p in pages]
    # How many pages carry each (edge, normalised line): a header repeats with its page
    # number changing, hence digits folded.
    seen: Counter[tuple[str, str]] = Counter()
    for i, (top, bottom) in enumerate(edges):
        keys = {("top", key) for *_, key in top} if i > 0 else set()
        keys |= {("bottom", key) for *_, key in bottom}
        seen.update(keys)
    need = max(3, math.ceil(_MIN_SHARE * len(pages)))
    repeated = {k for k, n in seen.items() if n >= need}
    spans: list[tuple[int, int]] = []
    texts: set[str] = set()
    for i, (top, bottom) in enumerate(edges):
        found = list(_furniture_near_edges(pages[i].text))
        if repeated:
            for edge, lines in (("top", top), ("bottom", bottom)):
                for j, (a, b, line, key) in enumerate(lines):
                    if _repeated(line, key, edge, i, j, len(lines), repeated):
                        found.append((a, b, line))
        for a, b, line in found:
            spans.append((starts[i] + a, starts[i] + b))
            texts.add(line)
    return RunningLines(tuple(sorted(set(spans))), tuple(sorted(texts)))


def _repeated(
    line: str, key: str, edge: str, page: int, j: int, n: int, repeated: set[tuple[str, str]]
) -> bool:
    """A line repeated at this edge of many pages (page 1 has no running header); a bare
    number counts only where page numbers stand, on the outermost line."""
    if (edge, key) not in repeated or (edge == "top" and page == 0):
        return False
    extreme = j == 0 if edge == "top" else j == n - 1
    return bool(_LETTER.search(line)) or (extreme and bool(_PAGE_NUMBER.fullmatch(line)))


def _edge_lines(
    page: str,
) -> tuple[list[tuple[int, int, str, str]], list[tuple[int, int, str, str]]]:
    """(start, end, stripped line, `_norm` key) of the first and last non-empty lines."""
    top: list[tuple[int, int, str, str]] = []
    pos = 0
    while len(top) < _TOP_LINES and pos < len(page):
        end = page.find("\n", pos)
        end = len(page) if end < 0 else end
        if (line := page[pos:end].strip()) and len(line) <= _MAX_RUNNING:
            top.append((pos, end, line, _norm(line)))
        elif line:
            break  # a paragraph line: the page's text has begun
        pos = end + 1
    bottom: list[tuple[int, int, str, str]] = []
    end = len(page)
    floor = top[-1][1] if top else 0
    while len(bottom) < _BOTTOM_LINES and end > floor:
        start = page.rfind("\n", 0, end) + 1
        if (line := page[start:end].strip()) and len(line) <= _MAX_RUNNING:
            bottom.append((start, end, line, _norm(line)))
        elif line:
            break
        end = start - 1
    bottom.reverse()
    return top, bottom


def _furniture_near_edges(page: str) -> list[tuple[int, int, str]]:
    """Venue, copyright and stamp lines among the first and last few lines of a page
    (page-1 footnotes, a stamp printed in the margin and read out of order)."""
    top_end = 0
    for _ in range(_FOOTNOTE_LINES):
        nl = page.find("\n", top_end)
        if nl < 0:
            top_end = len(page)
            break
        top_end = nl + 1
    bottom_start = len(page)
    for _ in range(_FOOTNOTE_LINES):
        nl = page.rfind("\n", top_end, bottom_start - 1)
        if nl < 0:
            bottom_start = top_end
            break
        bottom_start = nl + 1
    out = []
    for lo, hi in ((0, top_end), (bottom_start, len(page))):
        if hi <= lo or not _has_hint(page[lo:hi]):
            continue  # one search for the whole stretch: most pages have no furniture words
        pos = lo
        while pos < hi:
            end = page.find("\n", pos, hi)
            end = hi if end < 0 else end
            line = page[pos:end].strip()
            if line and len(line) <= _MAX_RUNNING and _furniture(line):
                out.append((pos, end, line))
            pos = end + 1
    return out


def _furniture(line: str) -> bool:
    """A venue line, an arXiv stamp, "Preprint", a proceedings or copyright line."""
    return _has_hint(line) and bool(_FURNITURE.fullmatch(line))


def _has_hint(text: str) -> bool:
    """Whether ``text`` holds a word every furniture line holds."""
    for word in _FURNITURE_HINTS:  # noqa: SIM110 (a plain loop beats any() and a genexpr)
        if word in text:
            return True
    return False


def _norm(line: str) -> str:
    return " ".join(_DIGITS.sub("#", line.lower()).split())


def is_running_text(line: str, known: Iterable[str] = (), *, cut: str = "") -> bool:
    """Whether a line is page furniture: a known running line of the paper, or one that
    reads as venue line, arXiv stamp or page number.

    ``cut``: "start" or "end" when the line is the first or last of a passage cut out of
    the page, so it may hold only the end or the start of a running line.
    """
    s = " ".join(line.split())
    if not s:
        return False
    if _furniture(s) or _PAGE_NUMBER.fullmatch(s):
        return True
    for k in known:
        k = " ".join(k.split())
        if s == k:
            return True
        if len(s) >= 8 and (
            (cut == "start" and k.endswith(s)) or (cut == "end" and k.startswith(s))
        ):
            return True
    return False


def is_running(mention: ModelMention) -> bool:
    """Whether a mention sits on a running header or footer (never evidence)."""
    return mention.cue == RUNNING_CUE


# -- tables ------------------------------------------------------------------------------


def table_context(text: str, line_start: int, line_end: int) -> str:
    """The caption and column header of the table a row at ``text[line_start:line_end]``
    belongs to, as ``"Table 2: Caption … | Model | MMLU | …"``; ``""`` without a caption.

    The search stays on the row's page (pages are joined by a blank line). Without a
    "Table N" caption the lines above a row are as likely a figure's labels as a header,
    so nothing is returned.
    """
    return _table_extent(text, line_start, line_end)[2]


def _table_extent(text: str, line_start: int, line_end: int) -> tuple[int, int, str]:
    """(first line, end of the last line, context) of the table holding the row."""
    page_lo = text.rfind("\n\n", 0, line_start)
    page_lo = 0 if page_lo < 0 else page_lo + 2
    page_hi = text.find("\n\n", line_end)
    page_hi = len(text) if page_hi < 0 else page_hi
    first, header = _table_head(text, page_lo, line_start)
    last = _table_end(text, line_end, page_hi)
    caption = _caption_for(text, page_lo, page_hi, first, last)
    if not caption:
        return first, last, ""
    return first, last, f"{caption} | {header}" if header else caption


class TableContexts:
    """`table_context` for the rows of one text, each table worked out once.

    Every row of a table has the same caption and header, and a big results table has
    dozens of catalogued rows: the first row's look-up records the table's extent, the
    others reuse it, so the cost stays linear in the table's length.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._tables: list[tuple[int, int, str]] = []  # (first line, last line, context)

    def at(self, line_start: int, line_end: int) -> str:
        """The context of the row at ``text[line_start:line_end]``."""
        for first, last, context in self._tables:
            if first <= line_start and line_end <= last:
                return context
        first, last, context = _table_extent(self.text, line_start, line_end)
        self._tables.append((min(first, line_start), max(last, line_end), context))
        return context


def with_table_context(context: str, row: str) -> str:
    """A table-row evidence sentence: the context, then the row."""
    return f"{context}{TABLE_ARROW}{row}" if context else row


def table_row_text(sentence: str) -> str:
    """The row part of a table-row evidence sentence (all of it when it has no context)."""
    at = sentence.rfind(TABLE_ARROW)
    return sentence[at + len(TABLE_ARROW) :] if at >= 0 else sentence


def _lines_back(text: str, lo: int, pos: int) -> Iterable[tuple[int, int, str]]:
    """(start, end, stripped) of the lines before offset ``pos`` (a line start), upwards."""
    end = pos - 1
    while end > lo:
        start = max(lo, text.rfind("\n", lo, end) + 1)
        yield start, end, text[start:end].strip()
        end = start - 1


def _tableish(line: str) -> bool:
    """A cell, a header cell or a row of a table: short, no prose, no caption."""
    return (
        0 < len(line) <= _TABLE_LINE
        and not _CAPTION.match(line)
        and not (line.endswith(".") and len(line) > 15 and not _NUMERIC.fullmatch(line))
        and not _PROSE.search(line)
    )


def _table_head(text: str, page_lo: int, line_start: int) -> tuple[int, str]:
    """Where the table holding the row starts, and its header cells joined by " | "."""
    block: list[tuple[int, str]] = []  # table lines above the row, top first once reversed
    for start, _end, line in _lines_back(text, page_lo, line_start):
        if not line:
            continue
        if not _tableish(line):
            break
        block.append((start, line))
        if len(block) > 400:
            break
    block.reverse()
    if not block:
        return line_start, ""
    first = block[0][0]
    row_end = text.find("\n", line_start)
    lines = [ln for _, ln in block] + [text[line_start : row_end if row_end >= 0 else None].strip()]
    header: list[str] = []
    wrapped = False  # the previous line was a URL broken after a slash
    for j, line in enumerate(lines[:-1]):
        if _NUMERIC.fullmatch(line) or len(_NUMBER.findall(line)) >= 2:
            break  # the rows have begun (cells on their own lines, or a row on one line)
        if _NUMERIC.fullmatch(lines[j + 1]):
            break  # a row label with its cells below
        if "://" in line or "http" in line:
            header = []  # a footnote URL printed above the table: the header starts below it
            wrapped = line.endswith("/")
            continue
        if not wrapped:
            header.append(line)
        wrapped = False
    joined = " | ".join(header[:_MAX_CELLS])
    if len(joined) > _MAX_HEADER:
        joined = joined[: _MAX_HEADER - 1].rsplit(" | ", 1)[0] + " | …"
    elif len(header) > _MAX_CELLS:
        joined += " | …"
    return first, joined


def _table_end(text: str, line_end: int, page_hi: int) -> int:
    """Where the table holding the row ends: the last table line below it."""
    pos = line_end
    last = line_end
    while pos < page_hi:
        nl = text.find("\n", pos + 1)
        nl = page_hi if nl < 0 or nl > page_hi else nl
        line = text[pos + 1 : nl].strip()
        if line and not _tableish(line):
            break
        last = nl
        pos = nl
    return last


def _caption_for(text: str, page_lo: int, page_hi: int, first: int, last: int) -> str:
    """The caption of a table spanning ``text[first:last]``.

    Right above it, else right below it, else further above it on the page, else the
    page's only table caption.
    """
    above = None
    for m in _CAPTION.finditer(text, max(page_lo, first - _CAPTION_REACH), first):
        above = m
    if above is not None and first - above.start() <= _CAPTION_REACH // 2:
        return _caption_text(text, above.start(), first)
    if below := _CAPTION.search(text, last, min(page_hi, last + 300)):
        return _caption_text(text, below.start(), page_hi)
    if above is not None:
        return _caption_text(text, above.start(), first)
    on_page = list(_CAPTION.finditer(text, page_lo, page_hi))
    if len(on_page) == 1:
        return _caption_text(text, on_page[0].start(), page_hi)
    return ""


def _caption_text(text: str, start: int, hi: int) -> str:
    """The caption's first sentence on one line, shortened to fit.

    A caption without a full stop ends where a bullet or the next "Table N" starts.
    """
    chunk = " ".join(text[start : min(hi, start + 400)].split())
    if m := _CAPTION_END.search(chunk, chunk.find(":") + 2 if ":" in chunk[:12] else 8):
        chunk = chunk[: m.start() + 1]
    if m := _CAPTION_STOP.search(chunk, 8):
        chunk = chunk[: m.start()].rstrip()
    if len(chunk) > _MAX_CAPTION:
        chunk = chunk[: _MAX_CAPTION - 1].rsplit(" ", 1)[0] + " …"
    return chunk
