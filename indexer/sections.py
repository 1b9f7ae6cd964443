"""Coarse section spans of a paper: front matter, body, related work, references, appendix.

Whether a model is *used* or only *mentioned* depends first on where it is named: a name
in the reference list or the related-work section is a citation, the same name in the
experiments or in an appendix after the references is the paper's own work. This module
finds those regions from the page text alone with a handful of line regexes (no layout),
so it costs next to nothing per page.

Headings recognised (one per line, as PyMuPDF prints them):

- numbered: "2 Related Work", "2. Related Work", "II. RELATED WORK", or the number on its
  own line with the title on the next ("2" / "Related Work");
- unnumbered: "Related Work", "References", "Bibliography", "Appendix", "Supplementary
  Material";
- appendix letters after the reference list: "A. Experimental Details", "A Details", or
  "A" on its own line followed by a title.

Decisions: *related* covers Related Work / Background / Prior Work / Literature Review
(also "More Related Work" inside an appendix), and ends at the next heading of the same
level; *Preliminaries* stay in the body (they usually set up the paper's own method). The
reference list starts at the first "References" heading past the opening fifth of the
paper and runs until an appendix heading; everything after that heading is *appendix*.
When no such heading exists, the list starts where reference entries ("Author, A., ...
2023.", "[12] ...", "In Proceedings of") become dense in the last two thirds of the paper.
An unnumbered "Related Work" ends at the next known heading ("Method", "Experiments"); if
none comes for a long stretch it is capped at the next title-case heading line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from indexer.records import PageText, SectionKind, SectionSpan

_REFS = re.compile(
    r"(?:(?:\d{1,2}|[IVX]{1,4})\.?\s*)?(?:references?|r\s?e\s?f\s?e\s?r\s?e\s?n\s?c\s?e\s?s|"
    r"bibliography|literature\s+cited|"
    r"works\s+cited|reference\s+list)\s*:?",
    re.IGNORECASE,
)
_RELATED = re.compile(
    r"(?:(?:more|additional|extended|further|detailed)\s+)?(?:related\s+works?|background|"
    r"prior\s+works?|previous\s+works?|literature\s+review|related\s+literature)"
    r"(?:\s+(?:and|&)\s+(?:related\s+works?|background|motivation|preliminaries))?"
    r"(?:\s+(?:discussion|and\s+discussion))?\s*:?",
    re.IGNORECASE,
)
_APPENDIX = re.compile(
    r"(?:[A-Z]\.?\s+)?(?:appendix|appendices|supplementary|supplemental|technical\s+appendix)"
    r"(?:\s+(?:materials?|information))?(?:\s+[A-Z0-9]{1,2}\b)?(?:\s*[:.\-–—]?\s*[^\n]{0,70})?",
    re.IGNORECASE,
)
_INTRO = re.compile(r"introduction|overview|motivation", re.IGNORECASE)
_NUMBERED = re.compile(r"(?P<num>\d{1,2}|[IVX]{1,5})(?:\.|\s)\s*(?P<title>\S[^\n]{0,80})")
_LETTERED = re.compile(r"(?P<num>[A-Z])(?:\.|\s)\s*(?P<title>\S[^\n]{0,80})")
_BARE_NUMBER = re.compile(r"\d{1,2}|[IVX]{1,5}")
_BARE_LETTER = re.compile(r"[A-Z]")
_AUTHOR_LIKE = re.compile(r"[A-Z][a-z'\-]+,|\b(?:19|20)\d\d\b|et al")
_SMALL_WORDS = {
    "a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to",
    "via", "vs", "with", "without", "is", "are", "do", "does", "we", "our", "into", "over",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Heading:
    """A heading line found in the text."""

    pos: int
    """Offset in the joined text."""
    text: str
    """Heading as printed (number and title)."""
    style: str
    """Numbering style: "arabic", "roman", "letter" or "none"."""
    title: str
    """The title without its number."""
    strict: bool
    """True when the title is in title case (a safer heading)."""


def find_sections(pages: tuple[PageText, ...]) -> tuple[SectionSpan, ...]:
    """Section spans in reading order; the first span is the front matter at page 1."""
    if not pages:
        return ()
    text, starts = join_pages(pages)
    headings = _headings(text)
    spans, found_refs = _sweep(text, headings)
    if not found_refs and (start := _reference_list_start(text, len(text) // 3)) is not None:
        # No "References" heading: pretend one where the entries become dense.
        synthetic = _Heading(start, "References", "none", "References", True)
        spans, _ = _sweep(text, sorted([*headings, synthetic], key=lambda h: h.pos))
    out = []
    for pos, kind, heading in spans:
        page = _page_of(starts, pos)
        out.append(SectionSpan(kind, heading, pages[page].number, pos - starts[page]))
    return tuple(out)


def _sweep(text: str, headings: list[_Heading]) -> tuple[list[tuple[int, SectionKind, str]], bool]:
    """Walk the headings in order, switching section class; also says if references began."""
    spans: list[tuple[int, SectionKind, str]] = [(0, "front", "")]
    refs_from = len(text) // 5
    state: SectionKind = "front"
    related_style = ""
    after_refs = False
    unnumbered: list[int] = []  # unnumbered related spans, which may need capping

    def switch(pos: int, kind: SectionKind, heading: str) -> None:
        nonlocal state
        if kind != state:
            spans.append((pos, kind, heading))
            state = kind

    for h in headings:
        title = h.title.strip()
        known = _REFS.fullmatch(title) or _RELATED.fullmatch(title) or _APPENDIX.fullmatch(h.text)
        if not (h.strict or known or h.style in ("letter", "arabic", "roman")):
            continue
        if _REFS.fullmatch(title) and h.style != "letter" and title.lower() != "reference":
            if h.pos >= refs_from and state != "references":
                switch(h.pos, "references", h.text)
                after_refs = True
            continue
        related = bool(_RELATED.fullmatch(title)) and (
            h.style != "none" or "related" in title.lower()
        )
        appendix = bool(_APPENDIX.fullmatch(h.text)) and h.strict
        if state == "references":
            if appendix or (h.style == "letter" and h.text[0] == "A"):
                switch(h.pos, "related" if related else "appendix", h.text)
            continue
        if related:
            if state != "related" and h.style == "none":
                unnumbered.append(len(spans))
            related_style = h.style
            switch(h.pos, "related", h.text)
            continue
        if after_refs:
            if appendix or h.style == "letter":
                switch(h.pos, "appendix", h.text)
            continue
        if appendix and h.style == "none" and state in ("body", "related"):
            switch(h.pos, "appendix", h.text)
            continue
        if h.style == "letter":
            continue
        if state == "front":
            if h.strict and (
                _INTRO.fullmatch(title) or (h.style == "arabic" and h.text.startswith("1"))
            ):
                switch(h.pos, "body", h.text)
            continue
        same_level = h.style == related_style or related_style == "none"
        if state == "related" and same_level and (h.style != "none" or _is_known_body(title)):
            switch(h.pos, "body", h.text)
    _close_unnumbered_related(text, spans, unnumbered)
    return spans, after_refs


def _close_unnumbered_related(
    text: str, spans: list[tuple[int, SectionKind, str]], indexes: list[int]
) -> None:
    """Cap an unnumbered "Related Work" that found no known next heading.

    Its subsections look like any other title-case line, so only a span longer than a
    related-work section usually is gets closed, at the first such line past its opening.
    """
    for i in reversed(indexes):
        pos, _, _ = spans[i]
        end = spans[i + 1][0] if i + 1 < len(spans) else len(text)
        if end - pos <= _LONG_RELATED:
            continue
        back: SectionKind = spans[i - 1][1] if spans[i - 1][1] != "front" else "body"
        for m in _GENERIC_HEADING.finditer(text, pos + _LONG_RELATED // 3, end):
            title = m.group(1)
            if _titleish(title) and not _RELATED.fullmatch(title):
                spans.insert(i + 1, (m.start(1), back, title))
                break


def _reference_list_start(text: str, lo: int) -> int | None:
    """Where reference entries become dense after ``lo`` (no "References" heading)."""
    lines = text[lo:].split("\n")
    flags = [bool(_REFERENCE_LINE.search(line)) for line in lines]
    pos = lo
    for i, line in enumerate(lines):
        if flags[i] and sum(flags[i : i + 15]) >= 9:
            return pos
        pos += len(line) + 1
    return None


_LONG_RELATED = 9000
_GENERIC_HEADING = re.compile(
    r"(?<=[.!?]\n)([A-Z][A-Za-z\-]*(?: [A-Za-z][A-Za-z\-]*){0,5})\n(?=[A-Z][^\n]{30})"
)
_REFERENCE_LINE = re.compile(
    r"^(?:\[\d{1,3}\]|\d{1,3}\.\s+[A-Z])|^[A-Z][A-Za-z'\-]+,\s+(?:[A-Z]\.|[A-Z][a-z]+,)|"
    r"^(?:[A-Z][a-z]+\s){1,2}[A-Z][a-z'\-]+,\s+(?:[A-Z][a-z]+\s)+[A-Z]|"
    r"arXiv preprint|arXiv:\d|Proceedings|Advances in Neural|Conference on|Association for|"
    r"\bpages\s\d|\b(?:19|20)\d\d[a-z]?\.(?:\s|$)"
)


def join_pages(pages: tuple[PageText, ...]) -> tuple[str, list[int]]:
    """The pages joined by a blank line, with each page's start offset."""
    return "\n\n".join(p.text for p in pages), page_starts(pages)


def page_starts(pages: tuple[PageText, ...]) -> list[int]:
    """Where each page starts in `join_pages` text, without building that text."""
    starts = []
    pos = 0
    for p in pages:
        starts.append(pos)
        pos += len(p.text) + 2
    return starts


def section_offsets(
    sections: tuple[SectionSpan, ...], pages: tuple[PageText, ...], starts: list[int]
) -> list[tuple[int, SectionKind]]:
    """Each span's start as an offset in the `join_pages` text, in order."""
    index = {p.number: i for i, p in enumerate(pages)}
    out = []
    for s in sections:
        i = index.get(s.page)
        if i is not None:
            out.append((starts[i] + s.start, s.kind))
    out.sort(key=lambda t: t[0])
    return out


def _page_of(starts: list[int], pos: int) -> int:
    lo, hi = 0, len(starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if starts[mid] <= pos:
            lo = mid
        else:
            hi = mid - 1
    return lo


_CANDIDATE = re.compile(
    r"^(?:(?:\d{1,2}|[IVX]{1,5}|[A-Z])\.?[ \t]*$"  # "2" or "A" alone: the title follows
    r"|(?:\d{1,2}|[IVX]{1,5}|[A-Z])[. \t][ \t]*[A-Z][^\n]{0,85}$"  # "2 Related Work"
    r"|(?:[A-Z]\.?[ \t]+)?(?i:references?|r\s?e\s?f\s?e\s?r|bibliography|literature|works|"
    r"related|background|prior|previous|more|additional|extended|further|detailed|appendi|"
    r"supplement|technical|introduction|overview|motivation|method|approach|proposed|"
    r"experiment|result|evaluation|analysis|discussion|conclusion|limitation|preliminar|"
    r"problem|setup|implementation)[^\n]{0,80}$)",
    re.MULTILINE,
)
# The same candidates after a line break: a pattern that starts with a literal lets the
# regex engine jump from line break to line break instead of trying every position.
_CANDIDATE_AFTER_BREAK = re.compile(
    r"\n(" + _CANDIDATE.pattern.removeprefix("^") + ")", re.MULTILINE
)


def _candidates(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of every `_CANDIDATE` match, as ``_CANDIDATE.finditer(text)`` gives them."""
    pos = 0
    if first := _CANDIDATE.match(text):
        yield first.span()
        pos = first.end()  # a candidate ends before a line break, never just after one
    for m in _CANDIDATE_AFTER_BREAK.finditer(text, pos):
        yield m.span(1)


def _headings(text: str) -> list[_Heading]:
    out: list[_Heading] = []
    for start, end in _candidates(text):
        s = text[start:end].strip()
        if not s or len(s) > 90:
            continue
        prev_end = start - 1
        prev = text[text.rfind("\n", 0, max(0, prev_end)) + 1 : max(0, prev_end)].rstrip()
        if prev.endswith((",", ";", ":", "-", " and", " of", " the")):
            continue  # a wrapped line of a sentence or reference entry
        nxt_end = text.find("\n", end + 1)
        nxt = text[end + 1 : nxt_end if nxt_end >= 0 else len(text)].strip()
        if _BARE_NUMBER.fullmatch(s) and _sentenceish(nxt):
            style = "arabic" if s.isdigit() else "roman"
            out.append(_Heading(start, f"{s} {nxt}", style, nxt, _titleish(nxt)))
            continue
        if _BARE_LETTER.fullmatch(s) and _sentenceish(nxt):
            out.append(_Heading(start, f"{s} {nxt}", "letter", nxt, _titleish(nxt)))
            continue
        num = _NUMBERED.fullmatch(s)
        if num and _sentenceish(num.group("title")):
            style = "arabic" if num.group("num").isdigit() else "roman"
            title = num.group("title")
            out.append(_Heading(start, s, style, title, _titleish(title)))
            continue
        let = _LETTERED.fullmatch(s)
        if let and _sentenceish(let.group("title")) and not _AUTHOR_LIKE.search(s):
            title = let.group("title")
            out.append(_Heading(start, s, "letter", title, _titleish(title)))
            continue
        if _sentenceish(s) and (
            _REFS.fullmatch(s)
            or _RELATED.fullmatch(s)
            or _APPENDIX.fullmatch(s)
            or _INTRO.fullmatch(s)
            or _is_known_body(s)
        ):
            out.append(_Heading(start, s, "none", s, _titleish(s)))
    return out


_KNOWN_BODY = re.compile(
    r"(?:(?:the\s+)?proposed\s+)?(?:methods?|methodology|approach|our\s+approach|"
    r"experiments?|experimental\s+(?:setup|results|settings?)|results|evaluation|analysis|"
    r"discussion|conclusions?|limitations|preliminaries|problem\s+(?:setup|formulation)|"
    r"method(?:ology)?\s+and\s+\w+|setup|implementation(?:\s+details)?|"
    r"conclusions?\s+and\s+(?:future\s+work|discussion|limitations))\s*:?",
    re.IGNORECASE,
)


def _is_known_body(title: str) -> bool:
    return bool(_KNOWN_BODY.fullmatch(title.strip()))


_WORD = re.compile(r"[A-Za-z][A-Za-z\-']*")


def _sentenceish(s: str) -> bool:
    """Short, capitalised, no sentence punctuation: could be a heading."""
    s = s.strip()
    if not s or len(s) > 80 or not s[0].isupper():
        return False
    if s[-1] in ".,;" or s.count(",") > 1:
        return False
    words = _WORD.findall(s)
    return 0 < len(words) <= 12 and sum(map(str.isdigit, s)) <= 3


def _titleish(s: str) -> bool:
    """A heading in title case or upper case."""
    if not _sentenceish(s):
        return False
    words = _WORD.findall(s)
    if len(words) > 10:
        return False
    return all(w[0].isupper() or w.lower() in _SMALL_WORDS for w in words) or s.isupper()
