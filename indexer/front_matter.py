"""Page-1 layout → title, authors and printed affiliations.

Clean page text loses what tells a byline apart: font sizes, superscript markers
and positions. This module reads page 1's spans (``get_text("dict")``) once and
handles the layouts papers use:

* a byline with superscript markers and numbered affiliation lines under it
  ("Yushi Bai‡†, Xin Lv§" / "‡Tsinghua University §Zhipu.AI"),
* unmarked affiliation lines under the authors, possibly spread over several lines,
* per-author blocks (ACM / IEEE / NeurIPS grids: name, department, institution,
  city and country, e-mail stacked under each author, in several columns),
* ICML-style footnotes at the bottom of page 1 ("1MMLab, CUHK 2Shanghai AI Laboratory"),
* organisation-only bylines ("DeepSeek-AI"), grouped e-mails (``{a,b}@cs.x.edu``),
* anonymous submissions and personal-e-mail-only papers (nothing is invented),
* bylines that fill page 1 and go on at the top of page 2 (read up to its abstract),
* names with no separator but a span break or a wide gap ("Jun Zhang  Shansan Gong"),
* IEEE/robotics page-1 footnotes "A. B. and C. D. are with the Department of ..., City,
  Country" (author biographies at the end are never read; "is now with" is a move),
* a name wrapped over two lines of a narrow author block ("Archit" / "Sharma"),
* marked names over an unmarked affiliation list (markers 1..n, n lines: by order),
* figure labels near the byline: a line in another font family than the names is no
  name.

E-mail addresses that spell an author's name ("huangtao@…" is Tao Huang's) are linked
to that author; an unknown institution that is the author's only one (or whose other
affiliations lie elsewhere) takes the country code of the address.

Footnotes are read only for affiliation lists, for notes naming an affiliation of
this paper ("work done during an internship at X") and for e-mail addresses; notes
about later moves ("now at X", "joined X") are skipped, e-mails included.
The strings go to `indexer.affiliations` for institution and country resolution.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace

import pymupdf

from indexer.affiliations import (
    AFFILIATION_WORD,
    MARKER_SYMBOLS,
    affiliation_part,
    email_evidence,
    is_later_move,
    is_this_paper_note,
    printed_locations,
    resolve_affiliation_groups,
)
from indexer.countries import place_country
from indexer.gazetteer import Gazetteer, normalize_text
from indexer.pdf_text import TEXT_FLAGS
from indexer.records import Affiliation, Author, PageText


@dataclass(frozen=True)
class FrontMatter:
    """What page 1 says about the paper's identity."""

    title: str
    """Title as printed, on one line."""
    authors: tuple[Author, ...]
    """Authors in byline order, linked to `affiliations` by index."""
    affiliations: tuple[Affiliation, ...]
    """Distinct printed affiliations, resolved to institutions and countries."""


_SYMBOLS = set(MARKER_SYMBOLS)
_MARKER_TEXT = re.compile(rf"^[\d,\s{re.escape(MARKER_SYMBOLS)}]+$|^[a-z]$|^[a-z](,[a-z])*$")
_ABSTRACT = re.compile(r"^(?:a\s?b\s?s\s?t\s?r\s?a\s?c\s?t|summary)\b", re.IGNORECASE)
_INTRO = re.compile(r"^(?:1\.?|I\.)?\s*introduction\b", re.IGNORECASE)
_CAPTION = re.compile(r"^(?:figure|fig\.|table)\s*\d", re.IGNORECASE)
_URL = re.compile(r"https?://|www\.|github\.com|\.github\.io|huggingface\.co", re.IGNORECASE)
_WHITESPACE = re.compile(r"\s+")
_NOTE_WORDS = re.compile(
    r"equal(?:ly)?\s+contribut|contributed\s+equally|correspond|project\s+lead|co-first"
    r"|first\s+author|lead\s+contribution|major\s+contribution|work\s+done|\bintern(?:ship|ed|ing)?\b"
    r"|now\s+at|joined|while\s+at|advising|supervis|contribution|this\s+work",
    re.IGNORECASE,
)
_FOOTER = re.compile(
    r"(?:^|[.;]\s*)(?:Proceedings\s+of|Copyright|Preprint|Published\s+(?:at|in|as)|Under\s+review"
    r"|Accepted\s+(?:at|to|by|for)|In\s+submission|\d+(?:st|nd|rd|th)\s+Conference)\b",
    re.IGNORECASE,
)
_CORRESPONDENCE = re.compile(r"\b(?:correspon-?\s?dence|corresponding\s+authors?)\b.*$", re.I)
_GROUPED_EMAIL = re.compile(r"\{([^{}]+)\}\s*@\s*([\w-]+(?:\.[\w-]+)+)")
_EMAIL_TEXT = re.compile(
    r"(?:e-?mails?\s*:?\s*)?(?:\{[^{}]*\}|[\w.+-]+)\s*@\s*[\w-]+(?:\.[\w-]+)+[,;]?", re.IGNORECASE
)
_SINGLE_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_NAME_SPLIT = re.compile(r"\s*(?:,|;|\band\b|&|\s{2,})\s*")
_NAME_WORD = re.compile(
    r"^(?:[A-Z\u00c0-\u024f][\w\u00c0-\u024f'’.\-˘´˙¸`¨ˇ]*|[A-Z]\.|van|von|der|de|da|di|del|la|le|du|dos|bin|al)$"
)
_GLUE = frozenset({"of", "and", "for", "the", "in", "at", "on", "de", "di", "la", "le", "du", "&"})
_SYMBOL_RUN = re.compile(rf"([{re.escape(MARKER_SYMBOLS)}]+)")
_TOP_SHARE = 0.6
_GLUE_END = re.compile(r"\b(?:of|and|for|the|at|in|on|de|di|du|des|la|le|für)$", re.IGNORECASE)
_PROSE_MIN_WORDS = 9
_MIN_BYLINE_RATIO = 0.7
_LOW_MARKER_RATIO = 0.85
_NAME_SIZE_SLACK = 0.15
_INLINE_DIGITS = re.compile(r"(?<=[^\W\d_])\s*(\d{1,2}(?:\s*,?\s*\d{1,2})*)(?=[\s,]|$)")
_SAME_ROW = 3.0
# Stands for a whitespace-only span: a space everywhere (it is whitespace to `\s`), and
# the place where "Jun Zhang Shansan Gong" printed as two spans splits.
_SPAN_GAP = "\u2002"
_MIN_RUN_ON_WORDS = 4
# Several spaces inside a span separate names as a span break does ("Yifan Sun   Wei Li").
_WIDE_GAP = re.compile(r"(?<=\S) {2,}(?=\S)")


@dataclass
class _Seg:
    """A run of a line: text or a marker."""

    text: str
    marker: bool


@dataclass
class _Line:
    """One printed line of page 1 with its font size, style and position."""

    segs: list[_Seg]
    size: float
    bold: bool
    x0: float
    y0: float
    x1: float
    y1: float
    block: int
    plain: str = ""
    markers: list[str] = field(default_factory=list)
    family: str = ""
    """Font family of the line's longest text span, without style ("nimbusromno")."""

    def __post_init__(self) -> None:
        self.plain = _WHITESPACE.sub(" ", "".join(s.text for s in self.segs if not s.marker))
        self.plain = self.plain.strip()
        self.markers = [s.text for s in self.segs if s.marker]

    @property
    def with_digits(self) -> str:
        """Text with superscript digits kept ("R2-Guard") and symbol markers dropped."""
        text = "".join(s.text if not s.marker or s.text.isdigit() else "" for s in self.segs)
        return _WHITESPACE.sub(" ", text).strip()

    @property
    def starts_with_marker(self) -> bool:
        """The first visible run is a marker ("1Tsinghua University", "†Work done ...")."""
        for s in self.segs:
            if s.text.strip():
                return s.marker
        return False


def _is_marker_text(text: str) -> bool:
    """Text of a small span that is a marker: digits, symbols, a letter, an odd glyph."""
    if _MARKER_TEXT.match(text):
        return True
    # Dingbats that extract as odd glyphs ("♣q", private-use characters).
    return (
        len(text) <= 3
        and not any(c.isupper() for c in text)
        and not (len(text) > 1 and text.isalpha())
    )


def _split_symbols(text: str) -> list[_Seg]:
    """Cut marker symbols (∗ † ‡ …) out of a normal-size text span."""
    if not _SYMBOL_RUN.search(text):
        return [_Seg(text, False)]
    out: list[_Seg] = []
    for i, part in enumerate(_SYMBOL_RUN.split(text)):
        if part:
            out.append(_Seg(part, i % 2 == 1))
    return out


def _block_wanted(block: dict, top: float, body: float) -> bool:
    """Top of the page (title, byline: above `top`) or a footnote-like block further down."""
    if block["bbox"][1] < top:
        return True
    spans = [s for ln in block["lines"] for s in ln["spans"] if s["text"].strip()]
    if not spans:
        return False
    biggest = max(s["size"] for s in spans)
    first = spans[0]
    return (
        biggest < body - 0.3
        or first["size"] < biggest * _LOW_MARKER_RATIO
        or bool(first["flags"] & 1)
        or first["text"].strip()[0] in _SYMBOLS
    )


def _page_lines(
    page: pymupdf.Page,
    *,
    every_block: bool = False,
    textpage: pymupdf.TextPage | None = None,
) -> tuple[list[_Line], float]:
    """Lines of the page parts that matter (all of them with `every_block`), and the
    body font size. `textpage`, when given, is the page's already extracted text."""
    data = page.get_text("dict", flags=TEXT_FLAGS, textpage=textpage)
    height = page.rect.height
    sizes: Counter[int] = Counter()
    # Body text under the abstract heading is never byline: its lines are not built.
    top = height * _TOP_SHARE
    for block in data["blocks"]:
        for line in block.get("lines", ()):
            spans = line["spans"]
            for s in spans:
                sizes[round(s["size"])] += len(s["text"])
            if line["bbox"][1] < top:
                head = next((s["text"].lstrip() for s in spans if s["text"].strip()), "")
                if _ABSTRACT.match(head) or _INTRO.match(head):
                    top = line["bbox"][1] + 1
    body = float(sizes.most_common(1)[0][0]) if sizes else 10.0
    lines: list[_Line] = []
    for block in data["blocks"]:
        if block.get("type") != 0 or not (every_block or _block_wanted(block, top, body)):
            continue
        for line in block["lines"]:
            if abs(line["dir"][1]) > 0.1 or line["dir"][0] < 0:
                continue
            spans = [s for s in line["spans"] if s["text"].strip()]
            if not spans:
                continue
            size = max(s["size"] for s in spans)
            segs: list[_Seg] = []
            bold_chars = total_chars = 0
            for s in line["spans"]:
                text = normalize_text(_WIDE_GAP.sub(_SPAN_GAP, s["text"]))
                stripped = text.strip()
                small = s["size"] < size * _LOW_MARKER_RATIO or bool(s["flags"] & 1)
                if stripped and small and _is_marker_text(stripped):
                    segs.append(_Seg(stripped, True))
                    continue
                if not stripped:
                    # A span of its own between two names is where a byline splits them.
                    segs.append(_Seg(_SPAN_GAP if text else "", False))
                    continue
                segs.extend(_split_symbols(text))
                n = len(stripped)
                total_chars += n
                if s["flags"] & 16 or "bold" in s["font"].lower():
                    bold_chars += n
            merged: list[_Seg] = []
            for seg in segs:
                if merged and not seg.marker and not merged[-1].marker:
                    merged[-1].text += seg.text
                elif merged and seg.marker and merged[-1].marker:
                    merged[-1].text += "," + seg.text
                elif seg.text:
                    merged.append(seg)
            x0, y0, x1, y1 = line["bbox"]
            ln = _Line(merged, size, bold_chars > total_chars / 2, x0, y0, x1, y1, block["number"])
            longest = max(spans, key=lambda s: len(s["text"]))
            ln.family = _font_family(longest.get("font", ""))
            if ln.plain or ln.markers:
                lines.append(ln)
    return lines, body


_FONT_STYLE = re.compile(
    r"[-,].*$|(?:bold|italic|oblique|medium|regular|roman|light|semibold|mt|ps)+$|\d+$"
)


def _font_family(font: str) -> str:
    """Family of a PDF font name: no subset prefix, style or size ("ABCDEF+Times-Bold" →
    "times", "CMBX12" → "cmbx", "NimbusRomNo9L-Medi" → "nimbusromno9l")."""
    name = font.split("+", 1)[-1].lower()
    prev = None
    while prev != name:
        prev, name = name, _FONT_STYLE.sub("", name)
    return name


def _is_prose(text: str) -> bool:
    words = re.findall(r"[A-Za-z][A-Za-z'-]*", text)
    if len(words) < _PROSE_MIN_WORDS:
        return False
    lower = sum(1 for w in words if w[0].islower())
    return lower / len(words) >= 0.5


def _title(lines: list[_Line], height: float) -> tuple[str, float]:
    """The title (largest font near the top of the page) and the y where it ends."""
    top = [ln for ln in lines if ln.y0 < height * 0.45 and re.search(r"\w", ln.plain)]
    top.sort(key=lambda ln: (round(ln.y0), ln.x0))
    clusters: list[list[_Line]] = []
    for ln in top:
        for cl in clusters:
            last = cl[-1]
            if abs(ln.size - last.size) <= 0.6 and -2 <= ln.y0 - last.y0 <= ln.size * 2.2:
                cl.append(ln)
                break
        else:
            clusters.append([ln])
    clusters = [cl for cl in clusters if len(re.sub(r"\W", "", " ".join(c.plain for c in cl))) >= 8]
    if not clusters:
        return "", 0.0
    picked = max(clusters, key=lambda cl: (round(cl[0].size, 1), -cl[0].y0))
    parts: list[str] = []
    for ln in picked:
        text = ln.with_digits
        if parts and parts[-1].endswith("-") and text[:1].islower():
            parts[-1] = parts[-1][:-1] + text
        elif parts and (text.startswith((":", ",")) or parts[-1].endswith(("-", "–"))):
            parts[-1] += text
        else:
            parts.append(text)
    title = re.sub(r"\s+", " ", " ".join(parts)).strip()
    title = re.sub(r"\s+([:,?])", r"\1", title)
    return title, max(ln.y1 for ln in picked)


def _stacks(lines: list[_Line]) -> list[list[_Line]]:
    """Group byline lines into vertical stacks (one per author block or centred column)."""
    stacks: list[list[_Line]] = []
    for ln in sorted(lines, key=lambda ln: (round(ln.y0), ln.x0)):
        best = None
        best_gap = 1e9
        for st in stacks:
            last = st[-1]
            gap = ln.y0 - last.y1
            if gap < -0.5 * min(ln.size, last.size) or gap > max(ln.size, last.size) * 1.2:
                continue
            overlap = min(ln.x1, last.x1) - max(ln.x0, last.x0)
            if overlap < 0.3 * min(ln.x1 - ln.x0, last.x1 - last.x0):
                continue
            if gap < best_gap:
                best, best_gap = st, gap
        if best is None:
            stacks.append([ln])
        else:
            best.append(ln)
    return stacks


def _emails(text: str) -> list[str]:
    out = []
    for m in _GROUPED_EMAIL.finditer(text):
        for user in m.group(1).split(","):
            user = user.strip()
            if user:
                out.append(f"{user}@{m.group(2)}")
    rest = _GROUPED_EMAIL.sub(" ", text)
    out.extend(m.group(0).rstrip(".") for m in _SINGLE_EMAIL.finditer(rest))
    return out


def _without_emails(line: _Line) -> _Line:
    """The line with its e-mail addresses (and "Email:" labels) removed."""
    segs = [
        _Seg(_EMAIL_TEXT.sub(" ", seg.text), False) if not seg.marker else seg for seg in line.segs
    ]
    return _Line(segs, line.size, line.bold, line.x0, line.y0, line.x1, line.y1, line.block)


def _is_name_part(part: str) -> bool:
    words = part.split()
    return 1 <= len(words) <= 6 and all(_NAME_WORD.match(w) for w in words)


def _looks_like_names(line: _Line) -> bool:
    """Every part is a name, and at least one has two words (a lone "Vision" is not)."""
    names = _author_names(line)
    return (
        bool(names)
        and all(_is_name_part(name) for name, _ in names)
        and any(" " in name.strip() for name, _ in names)
    )


def _split_markers(marker: str) -> list[str]:
    out = []
    for tok in re.split(r"[,\s]+", marker):
        if not tok:
            continue
        if tok.isdigit():
            out.append(tok)
            continue
        buf = ""
        for ch in tok:
            if ch.isdigit():
                buf += ch
                continue
            if buf:
                out.append(buf)
                buf = ""
            out.append(ch)
        if buf:
            out.append(buf)
    return out


class _Builder:
    """Collects affiliation strings, their owners and e-mails while lines are read."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.strings: list[str] = []
        self.markers: list[str] = []
        self.owners: list[int | None] = []
        self.open = False
        self.emails: list[str] = []

    def add(self, text: str, marker: str, owner: int | None) -> None:
        text = text.strip(" ,;")
        if not text:
            return
        self.strings.append(text)
        self.markers.append(marker)
        self.owners.append(owner)

    def name_crosses(self, text: str) -> bool:
        """An institution name runs from the last string into `text` ("..., Georgia" /
        "Institute of Technology")."""
        if not self.strings:
            return False
        prev = self.strings[-1]
        return any(m.start < len(prev) < m.end for m in self.gazetteer.find(f"{prev} {text}"))

    def place_crosses(self, text: str) -> bool:
        """A place name runs from the last string into `text` ("... Hong" / "Kong, China")."""
        if not self.strings or not text.strip():
            return False
        head = self.strings[-1].rsplit(None, 1)[-1] + " " + text.split(None, 1)[0].rstrip(",.;")
        return place_country(head, cities=False) is not None

    def extend_last(self, text: str) -> None:
        """Continue the last string with the next printed line."""
        text = text.strip(" ;")
        if not text or not self.strings:
            return
        prev = self.strings[-1]
        if prev.endswith("-") and text[:1].islower():
            self.strings[-1] = prev[:-1] + text
            return
        spaced = f"{prev} {text}"
        # A name wrapped across lines ("... University of Hong" / "Kong") reads on with a
        # space; separate lines of an address block ("Informatics" / "King's College") with
        # a comma.
        crosses = self.name_crosses(text) or self.place_crosses(text)
        if crosses or _ends_glued(prev) or text[:1].islower():
            self.strings[-1] = spaced
        else:
            self.strings[-1] = f"{prev}, {text}"


def _ends_glued(text: str) -> bool:
    """The text stops mid-phrase ("Institute for", "Science and", "Dept.,")."""
    return text.endswith((",", "-", "&")) or bool(_GLUE_END.search(text))


def _affiliation_like(text: str, gazetteer: Gazetteer) -> bool:
    """Names an institution, carries an affiliation word in a name-like phrase, or a place."""
    if not re.search(r"[A-Za-z]{2}", text):
        return False
    if gazetteer.find(text) or printed_locations(text, cities=False):
        return True
    if not AFFILIATION_WORD.search(text):
        return False
    words = [w for w in re.findall(r"[^\W\d_][\w'’.-]*", text) if w.lower() not in _GLUE]
    capitalized = sum(1 for w in words if w[0].isupper())
    return bool(words) and capitalized / len(words) >= 0.6


def _ends_with_location(text: str, gazetteer: Gazetteer) -> bool:
    """The string closes with a place ("Coventry, UK"), so the next line starts a new one."""
    text = normalize_text(text)
    locs = printed_locations(text, gazetteer.find(text), cities=False)
    if not locs:
        return False
    tail = text[locs[-1].start :]
    return len(tail.split(",")) <= 2


def _pieces(line: _Line) -> list[tuple[str, str]]:
    """(marker, text) pieces of an affiliation line; the marker precedes its text."""
    out: list[tuple[str, str]] = []
    marker = ""
    buf = ""
    for seg in line.segs:
        if seg.marker:
            if buf.strip() or marker:
                out.append((marker, buf))
            marker, buf = seg.text, ""
        else:
            buf += seg.text
    if buf.strip() or marker:
        out.append((marker, buf))
    # Textual digit markers ("1 School of ...", "2Shanghai AI Lab") in plain text.
    result: list[tuple[str, str]] = []
    for mk, text in out:
        parts = re.split(r"(?:(?<=\s)|^)(\d{1,2})\s?(?=[A-Z])", text)
        if len(parts) == 1:
            result.append((mk, text))
            continue
        if parts[0].strip() or mk:
            result.append((mk, parts[0]))
        for i in range(1, len(parts), 2):
            result.append((parts[i], parts[i + 1]))
    return [(mk, re.sub(r"\s+", " ", t).strip()) for mk, t in result]


def _run_on_names(part: str) -> list[str]:
    """Names printed one after another with only spaces between them, split where the
    PDF starts a new span or leaves a wide gap ("Jun Zhang Shansan Gong" → two authors)
    when every piece is a name of two words or more; otherwise the part as one name."""
    words = part.split()
    if len(words) >= _MIN_RUN_ON_WORDS and _SPAN_GAP in part:
        pieces = [p.strip() for p in part.split(_SPAN_GAP) if p.strip()]
        if len(pieces) > 1 and all(len(p.split()) >= 2 and _is_name_part(p) for p in pieces):
            return [" ".join(p.split()) for p in pieces]
    return [" ".join(words)] if words else []


def _author_names(line: _Line) -> list[tuple[str, list[str]]]:
    """(name, markers) pairs of a byline line; markers follow the name they belong to."""
    out: list[tuple[str, list[str]]] = []
    buf = ""

    def flush() -> None:
        nonlocal buf
        # Digits printed at full size after a name are markers too ("Kuratov 1 2 Aydar").
        chunks = _INLINE_DIGITS.split(buf)
        for i, chunk in enumerate(chunks):
            if i % 2 == 1:
                if out:
                    out[-1][1].extend(_split_markers(chunk))
                continue
            for part in _NAME_SPLIT.split(chunk):
                for name in _run_on_names(part.strip(" ,")):
                    if re.search(r"[A-Za-z]", name):
                        out.append((name, []))
        buf = ""

    for seg in line.segs:
        if seg.marker:
            flush()
            if out:
                out[-1][1].extend(_split_markers(seg.text))
        else:
            buf += seg.text
    flush()
    return out


def _front_end(
    lines: list[_Line], title_bottom: float, height: float, *, seen_names: bool = False
) -> tuple[float, bool]:
    """y where the byline area ends: the abstract heading, a caption, or running prose;
    and whether one of them was found (else the byline may go on on the next page)."""
    end = height * 0.75
    for ln in sorted(lines, key=lambda ln: ln.y0):
        if ln.y0 <= title_bottom:
            continue
        text = ln.plain
        if _ABSTRACT.match(text) or _INTRO.match(text) or _CAPTION.match(text):
            return min(end, ln.y0), True
        if seen_names and _is_prose(text) and "@" not in text:
            return min(end, ln.y0), True
        seen_names = seen_names or _looks_like_names(ln)
    return end, False


@dataclass
class _Byline:
    """Authors read off the byline, with what links them to affiliations."""

    authors: list[tuple[str, list[str]]] = field(default_factory=list)
    positions: list[tuple[float, float]] = field(default_factory=list)
    emails: dict[int, str] = field(default_factory=dict)
    defined: set[str] = field(default_factory=set)
    size: float = 0.0
    """Font size of the first line of names."""
    family: str = ""
    """Font family of the first line of names ("" when unknown)."""


def _join_split_names(stack: list[_Line], gazetteer: Gazetteer) -> list[_Line]:
    """A name wrapped in a narrow author block ("Archit" over "Sharma"): a one-word line
    and the short line under it in the same style are one name, when together they read
    as a name and neither is an institution."""
    out: list[_Line] = []
    for ln in stack:
        prev = out[-1] if out else None
        words = ln.plain.split()
        if (
            prev is not None
            and " " not in prev.plain
            and not prev.markers
            and _NAME_WORD.match(prev.plain)
            and 1 <= len(words) <= 2
            and all(_NAME_WORD.match(w) for w in words)
            and abs(ln.size - prev.size) < 0.2
            and ln.bold == prev.bold
            and not AFFILIATION_WORD.search(f"{prev.plain} {ln.plain}")
            and not gazetteer.find(prev.plain)
            and not gazetteer.find(ln.plain)
        ):
            segs = [*prev.segs, _Seg(" ", False), *ln.segs]
            out[-1] = _Line(
                segs, prev.size, prev.bold, min(prev.x0, ln.x0), prev.y0,
                max(prev.x1, ln.x1), ln.y1, prev.block,
            )  # fmt: skip
            continue
        out.append(ln)
    return out


def _read_byline(
    front: list[_Line],
    builder: _Builder,
    gazetteer: Gazetteer,
    result: _Byline | None = None,
    y_offset: float = 0.0,
) -> _Byline:
    """Classify the lines between title and abstract: names, affiliations, e-mails, notes.

    Affiliation strings go to `builder`; the authors come back (added to `result` when
    the byline goes on from an earlier page, `y_offset` below it).
    """
    result = result if result is not None else _Byline()
    authors = result.authors
    positions = result.positions
    author_emails = result.emails
    defined = result.defined
    byline_size = result.size
    for stack in _stacks(front):
        stack = _join_split_names(stack, gazetteer)
        name_style: tuple[float, bool] | None = None
        owner: int | None = None
        prev_aff = False
        for ln in stack:
            text = ln.plain
            if "@" in text:
                found = _emails(text)
                builder.emails.extend(found)
                if owner is not None and len(found) == 1:
                    author_emails.setdefault(owner, found[0])
                ln = _without_emails(ln)
                text = ln.plain
                if not (found and _affiliation_like(text, gazetteer)):
                    prev_aff = False
                    continue
            if _URL.search(text):
                prev_aff = False
                continue
            if ln.starts_with_marker and _NOTE_WORDS.search(text):
                _read_note(ln, builder)
                prev_aff = False
                continue
            starts_marked = ln.starts_with_marker or bool(re.match(r"^\d{1,2}\s?[A-Z]", text))
            if (
                prev_aff
                and not ln.markers
                and not starts_marked
                and (
                    (builder.open and (_ends_glued(builder.strings[-1]) or text[:1].islower()))
                    or builder.name_crosses(text)
                    # The address's last line: "..., Hong Kong" / "China".
                    or place_country(text.strip(" ,."), cities=False) is not None
                )
            ):
                builder.extend_last(text)
                builder.open = not _ends_with_location(builder.strings[-1], gazetteer)
                continue
            style = (round(ln.size, 1), ln.bold)
            names_ok = (
                _looks_like_names(ln) and not starts_marked and not AFFILIATION_WORD.search(text)
            )
            if name_style is not None and style != name_style:
                names_ok = False
            if byline_size and abs(ln.size - byline_size) > byline_size * _NAME_SIZE_SLACK:
                names_ok = False  # labels of a figure, not a byline
            if result.family and ln.family and ln.family != result.family:
                names_ok = False  # figure text set in another font near the byline
            matches = gazetteer.find(text)
            covered = sum(m.end - m.start for m in matches)
            if names_ok and covered < 0.6 * len(text):
                names = _author_names(ln)
                if name_style is None:
                    name_style = style
                byline_size = byline_size or ln.size
                result.size = byline_size
                result.family = result.family or ln.family
                authors.extend(names)
                positions.extend((ln.y0 + y_offset, ln.x0 + i * 1e-3) for i in range(len(names)))
                owner = len(authors) - 1 if len(names) == 1 else None
                prev_aff = False
                continue
            if not (starts_marked or ln.markers or _affiliation_like(text, gazetteer)):
                prev_aff = False
                continue
            pieces = _pieces(ln)
            for i, (mk, piece) in enumerate(pieces):
                if (
                    i == 0
                    and not mk
                    and prev_aff
                    and (builder.open or builder.place_crosses(piece))
                ):
                    builder.extend_last(piece)
                else:
                    builder.add(piece, mk, None if mk else owner)
                    for m in _split_markers(mk):
                        defined.add(m)
                builder.open = bool(builder.strings) and not _ends_with_location(
                    builder.strings[-1], gazetteer
                )
            prev_aff = True

    return result


def parse_front_matter(
    doc: pymupdf.Document,
    pages: tuple[PageText, ...],
    gazetteer: Gazetteer,
    *,
    first: tuple[pymupdf.Page, pymupdf.TextPage] | None = None,
) -> FrontMatter:
    """Title, authors and resolved affiliations from page 1's layout.

    Everything is read from page 1's layout in `doc`; `pages` (the clean page texts)
    is part of the stage's uniform signature and not needed here. `first` is page 1
    and its text as `pdf_text.first_textpage` extracted them, so it is not read twice.
    """
    page, textpage = first if first is not None else (doc[0], None)
    height = page.rect.height
    lines, body = _page_lines(page, textpage=textpage)
    title, title_bottom = _title(lines, height)
    end, closed = _front_end(lines, title_bottom, height)
    front = sorted((ln for ln in lines if title_bottom < ln.y0 < end), key=lambda ln: ln.y0)
    if front:
        # Figure labels between the byline and the abstract are set much smaller.
        ref = front[0].size
        front = [ln for ln in front if ln.size >= ref * _MIN_BYLINE_RATIO or "@" in ln.plain]

    builder = _Builder(gazetteer)
    if not closed and len(doc) > 1:
        # No abstract on page 1: a long byline may fill the page and run on to page 2.
        front = _whole_page_byline(page, title_bottom, front, textpage)
    byline = _read_byline(front, builder, gazetteer)
    if not closed and byline.authors and len(doc) > 1:
        front += _continue_byline(doc[1], title, byline, builder, gazetteer, height)
    authors, author_emails, defined = byline.authors, byline.emails, byline.defined
    author_markers = {m for _, ms in authors for m in ms}
    _read_footnotes(lines, end, height, body, author_markers, defined, builder, gazetteer)

    context = "\n".join(ln.plain for ln in front)
    strings = [
        f"{mk}{' ' if mk[:1].isdigit() or mk[:1] in _SYMBOLS else ''}{s}" if mk else s
        for s, mk in zip(builder.strings, builder.markers, strict=True)
    ]
    groups = resolve_affiliation_groups(strings, builder.emails, context, gazetteer)

    affiliations: list[Affiliation] = []
    index: dict[tuple[str, str | None, str | None, str], int] = {}
    owner_links: dict[int, list[int]] = {}
    group_links: list[list[int]] = []
    for gi, group in enumerate(groups):
        group_links.append([])
        for aff in group:
            key = (aff.text, aff.institution, aff.country, aff.marker)
            if key not in index:
                index[key] = len(affiliations)
                affiliations.append(aff)
            group_links[-1].append(index[key])
            owner = builder.owners[gi] if gi < len(builder.owners) else None
            if owner is not None:
                owner_links.setdefault(owner, []).append(index[key])
    by_order = _markers_by_order(authors, builder.markers, group_links)

    out_authors = []
    all_unmarked = [i for i, a in enumerate(affiliations) if not a.marker]
    owned = _email_owners(builder.emails, [name for name, _ in authors], author_emails)
    for ai in _reading_order(byline.positions):
        name, markers = authors[ai]
        links = [i for i, a in enumerate(affiliations) if a.marker and a.marker in markers]
        links += owner_links.get(ai, [])
        if not links and by_order:
            links = [i for m in markers for i in by_order.get(m, ())]
        if not links and not markers and not owner_links:
            links = all_unmarked
        out_authors.append(
            Author(
                name=name,
                affiliations=tuple(sorted(set(links))),
                email=author_emails.get(ai) or owned.get(ai, ""),
            )
        )
    located = locate_by_author_email(affiliations, out_authors, gazetteer)
    return FrontMatter(title=title, authors=tuple(out_authors), affiliations=located)


def _markers_by_order(
    authors: list[tuple[str, list[str]]], string_markers: list[str], group_links: list[list[int]]
) -> dict[str, list[int]]:
    """Marked names over an unmarked list ("Alice¹ Bob²" over "Univ. A" / "Lab B"): when
    the names use the markers 1..n (or a..n) and exactly n unmarked affiliation strings
    follow, marker k is the k-th string. Any other case links nothing by order."""
    used = {m for _, ms in authors for m in ms}
    if not used or any(string_markers) or len(group_links) != len(used):
        return {}
    n = len(used)
    for seq in ([str(i) for i in range(1, n + 1)], [chr(ord("a") + i) for i in range(n)]):
        if used == set(seq):
            return {m: group_links[i] for i, m in enumerate(seq)}
    return {}


def _name_keys(name: str) -> set[str]:
    """Forms an author's name takes in an e-mail's local part ("huangtao", "thuang", ...)."""
    words = [
        re.sub(r"[^a-z]", "", unicodedata.normalize("NFKD", w).casefold())
        for w in re.split(r"[\s\-]+", name)
    ]
    words = [w for w in words if w]
    if len(words) < 2:
        return set()
    first, last, given = words[0], words[-1], "".join(words[:-1])
    return {
        given + last,
        last + given,
        first + last,
        last + first,
        first[0] + last,
        last + first[0],
        first + last[0],
    }


def _email_owners(emails: list[str], names: list[str], known: dict[int, str]) -> dict[int, str]:
    """Authors whose e-mail address spells their name ("huangtao@..." is Tao Huang's);
    an address two authors could own is left alone."""
    keys = [_name_keys(n) for n in names]
    taken = set(known.values())
    out: dict[int, str] = {}
    for email in dict.fromkeys(emails):
        if email in taken:
            continue
        local = re.sub(r"[^a-z]", "", email.split("@", 1)[0].casefold())
        if len(local) < 4:
            continue
        hits = [i for i, k in enumerate(keys) if local in k and i not in known]
        if len(hits) == 1 and hits[0] not in out:
            out[hits[0]] = email
    return out


def locate_by_author_email(
    affiliations: list[Affiliation], authors: list[Author], gazetteer: Gazetteer
) -> tuple[Affiliation, ...]:
    """Give an unknown institution the country of its author's own e-mail address.

    An author whose only affiliation is unknown, or whose other affiliations lie in
    other countries than the address's country code, wrote from the unknown one
    ("NAVER Cloud" with ``@navercorp.kr``-style addresses, a lab with ``@x.ac.jp``).
    Authors that disagree leave the affiliation unknown.
    """
    votes: dict[int, set[tuple[str, str]]] = {}
    for author in authors:
        if not author.email:
            continue
        ev = email_evidence(author.email, gazetteer)
        if ev.country is None:
            continue
        links = [affiliations[i] for i in author.affiliations]
        unknown = [i for i in author.affiliations if affiliations[i].country is None]
        if len(unknown) != 1 or any(affiliations[i].institution for i in unknown):
            continue
        others = [a for a in links if a.country is not None]
        owners = {i.name for i in ev.institutions}
        if others and (
            ev.weight < 2 or any(a.country == ev.country or a.institution in owners for a in others)
        ):
            continue
        votes.setdefault(unknown[0], set()).add((ev.country, ev.reason))
    out = list(affiliations)
    for i, found in votes.items():
        if len({c for c, _ in found}) == 1:
            country, reason = sorted(found)[0]
            out[i] = replace(out[i], country=country, evidence=f"{reason} (its author's address)")
    return tuple(out)


def _whole_page_byline(
    page: pymupdf.Page,
    title_bottom: float,
    front: list[_Line],
    textpage: pymupdf.TextPage | None = None,
) -> list[_Line]:
    """Every line under the title set as large as the byline's first line (the footnotes
    at the bottom stay out)."""
    if not front:
        return front
    size = front[0].size * (1 - _NAME_SIZE_SLACK)
    lines, _ = _page_lines(page, every_block=True, textpage=textpage)
    return sorted(
        (ln for ln in lines if ln.y0 > title_bottom and ln.size >= size),
        key=lambda ln: ln.y0,
    )


def _continue_byline(
    page: pymupdf.Page,
    title: str,
    byline: _Byline,
    builder: _Builder,
    gazetteer: Gazetteer,
    y_offset: float,
) -> list[_Line]:
    """Read the rest of a byline that runs over onto page 2, up to its abstract heading,
    caption or prose (without one the page is not a byline's continuation). Running
    heads (the title again, smaller type) are skipped. Returns the lines read."""
    lines, _ = _page_lines(page)
    end, closed = _front_end(lines, -1.0, page.rect.height, seen_names=True)
    if not closed:
        return []
    squeeze = re.sub(r"\W", "", title).casefold()
    front = [
        ln
        for ln in sorted(lines, key=lambda ln: ln.y0)
        if ln.y0 < end
        and ln.size >= byline.size * (1 - _NAME_SIZE_SLACK)
        and not (squeeze and re.sub(r"\W", "", ln.plain).casefold() in squeeze)
    ]
    if front:
        _read_byline(front, builder, gazetteer, byline, y_offset)
    return front


def _reading_order(positions: list[tuple[float, float]]) -> list[int]:
    """Indexes of byline entries row by row, left to right (author blocks are read in
    columns, names are listed in rows)."""
    order = sorted(range(len(positions)), key=lambda i: positions[i][0])
    rows: list[list[int]] = []
    for i in order:
        if rows and abs(positions[i][0] - positions[rows[-1][0]][0]) <= _SAME_ROW:
            rows[-1].append(i)
        else:
            rows.append([i])
    return [i for row in rows for i in sorted(row, key=lambda i: positions[i][1])]


def _read_note(line: _Line, builder: _Builder) -> None:
    """A marked note: "work done during internship at X" adds X; "now at X" adds nothing."""
    text = line.plain
    if is_later_move(text):
        return
    if "@" in text:
        builder.emails.extend(_emails(text))
    if is_this_paper_note(text) and affiliation_part(text):
        builder.add(text, line.markers[0] if line.markers else "", None)


# IEEE/robotics page-1 footnotes: "A. B. and C. D. are with the Department of ...,
# University of ..., City, Country (e-mail: ...)". "is now with" is a later move.
_IS_WITH = re.compile(r"\b(?:is|are)\s+(?:also\s+)?with\s+(?:the\s+)?", re.IGNORECASE)
_IS_WITH_END = re.compile(
    r"\s*[(\[]?\s*e-?mails?\s*:|\s*\(\s*[\w.+-]+@|\s*[;.]\s+(?:and\s+)?(?:[A-Z]\.\s?)+"
    r"|\.\s+(?=[A-Z][a-z]+\s)|\.\s*$",
)
_ALSO_WITH = re.compile(r",?\s+and\s+(?:(?:is|are)\s+)?also\s+with\s+(?:the\s+)?", re.I)
_ABBREVIATION_END = re.compile(
    r"\b(?:Univ|Dept|Inst|Technol|Tech|Sci|Eng|Lab|Labs|Natl|Nat|Acad|Res|Ctr|Co|Inc|Ltd|Corp"
    r"|St|Mt|Dr|Rd|Ave|Blvd|Coll|Intl|Comput|Elect|Electr|Mech|Lab|Assoc|Div|Grad)$"
)


def _is_with_affiliations(text: str) -> list[str]:
    """Affiliations named in an IEEE "X is with ..." / "Y are with ..." footnote."""
    if not _IS_WITH.search(text):
        return []
    text = re.sub(r"\s+", " ", text)
    out = []
    for m in _IS_WITH.finditer(text):
        if is_later_move(text[max(0, m.start() - 12) : m.end()]):
            continue
        pos = m.end()
        while True:
            end = _IS_WITH_END.search(text, pos)
            if end is None:
                stop = len(text)
                break
            if end.group().strip().startswith(".") and _ABBREVIATION_END.search(
                text, 0, end.start()
            ):
                pos = end.end()
                continue
            stop = end.start()
            break
        for aff in _ALSO_WITH.split(text[m.end() : stop]):
            aff = aff.strip(" ,;.")
            if aff and not is_later_move(aff) and len(aff) < 300:
                out.append(aff)
    return list(dict.fromkeys(out))


def _read_footnotes(
    lines: list[_Line],
    front_end: float,
    height: float,
    body: float,
    author_markers: set[str],
    defined: set[str],
    builder: _Builder,
    gazetteer: Gazetteer,
) -> None:
    """Page-1 footnotes: ICML-style affiliation lists, this-paper notes, e-mails."""
    # Without markers on the byline (or none detected) and no affiliation above, a
    # footnote list of affiliation-like entries is taken on its own.
    fallback = not author_markers and not builder.strings
    blocks: dict[int, list[_Line]] = {}
    for ln in lines:
        if ln.y0 > max(front_end, height * 0.45):
            blocks.setdefault(ln.block, []).append(ln)
    for blines in blocks.values():
        if not blines[0].starts_with_marker and any(ln.size >= body - 0.3 for ln in blines):
            continue
        ieee = _is_with_affiliations(" ".join(ln.plain for ln in blines))
        if ieee:
            for text in ieee:
                builder.add(text, "", None)
            builder.emails.extend(e for ln in blines for e in _emails(ln.plain))
            continue
        segs: list[_Seg] = []
        for ln in blines:
            if segs and not segs[-1].marker and segs[-1].text.endswith("-"):
                segs[-1].text = segs[-1].text[:-1]
            elif segs:
                segs.append(_Seg(" ", False))
            segs.extend(_Seg(s.text, s.marker) for s in ln.segs)
        joined = _Line(segs, blines[0].size, False, 0, 0, 0, 0, blines[0].block)
        pieces = [(mk, text) for mk, text in _pieces(joined) if text]
        candidates: list[tuple[str, str]] = []
        block_is_affiliations = False
        for mk, text in pieces:
            text = re.sub(r"\s+", " ", text).strip()
            footer = _FOOTER.search(text)
            if footer:
                text = text[: footer.start()].strip()
            corr = _CORRESPONDENCE.search(text)
            if corr:
                builder.emails.extend(_emails(corr.group(0)))
                text = text[: corr.start()].strip(" .")
            if is_later_move(text):
                continue
            if "@" in text:
                builder.emails.extend(_emails(text))
            if is_this_paper_note(text):
                if affiliation_part(text):
                    builder.add(text, mk, None)
                continue
            marks = _split_markers(mk)
            if (
                len(marks) == 1
                and (marks[0].isdigit() or marks[0].islower())
                and (marks[0] in author_markers or fallback)
                and marks[0] not in defined
                and not _NOTE_WORDS.search(text)
                and len(text) < 200
            ):
                looks = _affiliation_like(text, gazetteer) and not _is_prose(text)
                if looks or not fallback:
                    candidates.append((marks[0], text))
                block_is_affiliations = block_is_affiliations or looks
        if block_is_affiliations:
            for mk, text in candidates:
                builder.add(text, mk, None)
                defined.add(mk)
