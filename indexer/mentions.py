"""Every occurrence of a catalogued model in a paper, with the context that judges it.

A model name alone says little: "Llama" in a reference title, in a related-work survey,
in a results-table row and in "we fine-tune Llama-2-7B" mean four different things. This
module finds the names in one pass over the whole paper (the catalog's Aho-Corasick
automaton, traps applied) and records for each: the page, the section class (from
`sections.find_sections`), the sentence around it, whether it sits in a table row or a
table caption, and the usage cue its sentence carries (only where a cue can matter: not
for reference entries, related-work sentences or table rows, which their place decides).
`usage.classify_usage` turns those into one verdict per model.

A name that reads as a person ("Claude Martin*1", see `Catalog.person_at`) is dropped
where people are named: the front matter, page 1, next to an e-mail address or a
"Correspondence to" line. A table row needs numbers beside the name on its line or in
the lines around it; a line of code in a figure ("data = {'LLaVA': 6.0}") is none.

Cues are word rules over the tokens of the sentence (no parser, no model download: they
run only on sentences that hold a mention, and the sentence's citations are removed first
so "GPT-4 (OpenAI, 2023) is employed" reads as "GPT-4 is employed"). The words live in
``data/usage_cues.toml``. A cue is written ``"<kind>: <phrase>"``; kinds, strongest first:

- ``use``      the authors act on the model ("we fine-tune", "our method uses"), passive
               use right after it ("X is employed"), or the model as instrument or agent
               of a passive verb ("masks are predicted with X", "scored by X", "using X");
- ``role``     the model fills a role in the setup ("X as the judge", "X, which acts as
               the teacher", "the teacher model is X", "the judge X");
- ``base``     the paper's model is built on it ("based on", "initialized from");
- ``link``     a model-hub path or URL names the checkpoint ("huggingface.co/Qwen/...");
- ``compare``  it is compared against ("outperforms", "compared with", "baseline");
- ``setup``    implementation details ("learning rate", "temperature", "checkpoint");
- ``generic``  not the authors' use: an example ("LLMs such as GPT-4"), a writing aid,
               data someone made with it, background framing ("since the release of X"),
               others' work ("Chung et al. (2022) ... leveraging X"), or a negated use
               ("we did not include X", "X was not evaluated", "instead of X",
               "without using X"; but "we do not fine-tune X" still runs X).

Negation reaches the name only through a subject's verb that denies use (include, use,
evaluate, ...) or through a word right before it ("not X", "without using X"); "except
for X" and "neither X nor Y" negate a claim about X, not its use.
"""

from __future__ import annotations

import bisect
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path

from indexer.catalog import Catalog, Hit
from indexer.evidence import (
    RUNNING_CUE,
    RunningLines,
    TableContexts,
    running_lines,
    with_table_context,
)
from indexer.records import ModelMention, PageText, SectionKind, SectionSpan
from indexer.sections import join_pages, section_offsets
from indexer.version_rules import VERSION_WINDOW

CUES_FILE = Path(__file__).parent / "data" / "usage_cues.toml"

_MAX_SENTENCE = 300
_ABBREVIATIONS = {
    "al", "e.g", "i.e", "eg", "ie", "fig", "figs", "eq", "eqs", "sec", "secs", "tab", "vs",
    "cf", "etc", "no", "resp", "approx", "ref", "refs", "inc", "ltd", "co", "st", "dr",
    "mr", "ms", "prof", "vol", "pp", "ch", "app", "appx", "eqn", "def", "thm", "v",
}  # fmt: skip
_BOUNDARY = re.compile(r"[.!?][\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])|\n\s*\n|\s[•◦▪‣]\s")
_HEADING_LINE = re.compile(
    r"(?:\d{1,2}(?:\.\d+)*\.?|[A-Z]\.?|[IVX]{1,4}\.?)(?:\s+[A-Z][^\n.,;:]{0,50})?"
    r"|[A-Z][a-z]+(?: [A-Z][a-z]+){0,4}"
)
_WORD_BEFORE = re.compile(r"([^\s(\[]+)\.$")
_NUMERIC_LINE = re.compile(
    r"[\s\d.,%±+\-–−/()×x*†‡∗§¶~<>|:↑↓✓✗]*\d[\s\d.,%±+\-–−/()×x*†‡∗§¶~<>|:↑↓✓✗]*"
)
_NUMBER = re.compile(r"(?<![\w.])[-+]?\d+(?:\.\d+)?%?(?![\w.])")
_ALPHA_WORD = re.compile(r"[A-Za-z]{3,}")
_PROSE = re.compile(r"[\w\])][.;] [A-Z]|\b(?:we|the|is|are|was|were|of|that|which)\b")
_YEAR = re.compile(r"\b(?:19|20)\d\d[a-z]?\b")
_FIGURE = re.compile(r"^(?:Figure|Fig\.)\s*\d+\s*[:.|]", re.MULTILINE)
_CAPTION = re.compile(r"^(?:Table|Tab\.)\s*[A-Z]?\d+\s*[:.|]", re.MULTILINE)
_SENTENCE_END = re.compile(r"[a-z\])][.!?]\s+[A-Z]")
_WORD = re.compile(r"e\.g\.|i\.e\.|[A-Za-z0-9][\w\-']*(?:\.\d+[\w\-]*)*")
_NARRATIVE_CITATION = re.compile(r"\bet\s+al\b")
_ET_AL = re.compile(r"[\w.\-]*\s+et\s+al\b")
_CORRESPONDENCE = re.compile(r"correspond|contact|e-?mail", re.IGNORECASE)
# Code in a figure ("data = {'LLaVA': 6.0}", "plt.bar(x)", "import torch") is no table.
_CODE = re.compile(
    r"[{}=]|^\s*#|['\"][\w\-. ]+['\"]\s*[:,\]]|[A-Za-z_]\.[A-Za-z_]\w*\("
    r"|^\s*(?:import|from|def|class|return|print)\b"
)
_JOINED = re.compile(r"[\w-]")
_DERIVED_FORM = re.compile(r"-(?:like|style|type|esque|inspired|sized)$", re.IGNORECASE)
_CITATION = re.compile(
    r"\s*\((?:[^()]*?(?:19|20)\d\d[a-z]?|[^()]*?et\s+al)[^()]*\)|\s*\[[\d,;\s\-–]+\]"
)


@dataclass(frozen=True)
class Cues:
    """The cue vocabulary of ``data/usage_cues.toml``: lower-case words and word pairs."""

    subjects: frozenset[str]
    own_nouns: frozenset[str]
    self_nouns: frozenset[str]
    own: frozenset[str]
    skip: frozenset[str]
    active: frozenset[str]
    negatable: frozenset[str]
    exclude: frozenset[str]
    negations: frozenset[str]
    negating: frozenset[str]
    negation_links: frozenset[str]
    clause_breaks: frozenset[str]
    auxiliaries: frozenset[str]
    passive_aux: frozenset[str]
    passive: frozenset[str]
    irregular_participles: frozenset[str]
    instrument_preps: frozenset[str]
    not_instrument: frozenset[str]
    instrument: frozenset[str]
    articles: frozenset[str]
    roles: frozenset[str]
    generic_roles: frozenset[str]
    determiners: frozenset[str]
    naming_roles: frozenset[str]
    base_words: frozenset[str]
    compare: frozenset[str]
    setup: frozenset[str]
    generic: frozenset[str]
    provenance: frozenset[str]
    agent_words: frozenset[str]
    data_nouns: frozenset[str]
    writing_aid: frozenset[str]
    background_nouns: frozenset[str]
    background_verbs: frozenset[str]
    base_phrases: frozenset[tuple[str, ...]]
    negating_phrases: frozenset[tuple[str, ...]]


@lru_cache(maxsize=4)
def load_cues(path: Path = CUES_FILE) -> Cues:
    """The cue vocabulary, read once per process (``path`` for tests and user files)."""
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    words, phrases = data.get("words", {}), data.get("phrases", {})
    values: dict[str, frozenset] = {}
    for f in fields(Cues):
        if f.name.endswith("_phrases"):
            raw = phrases.get(f.name.removesuffix("_phrases"))
            if raw is not None:
                values[f.name] = frozenset(tuple(p.lower().split()) for p in raw)
        elif f.name in words:
            values[f.name] = frozenset(words[f.name].lower().split())
    missing = [f.name for f in fields(Cues) if f.name not in values]
    if missing:
        raise ValueError(f"{path}: missing cue list(s) {missing}")
    return Cues(**values)


def find_mentions(
    pages: tuple[PageText, ...],
    sections: tuple[SectionSpan, ...],
    catalog: Catalog,
    running: RunningLines | None = None,
) -> list[ModelMention]:
    """Every catalogued model name in the paper, in reading order.

    ``running``: the paper's running headers and footers when already found
    (`evidence.running_lines`), else they are found here.
    """
    if not pages:
        return []
    raw, starts = join_pages(pages)
    spans = section_offsets(sections, pages, starts) or [(0, "body")]
    span_starts = [s for s, _ in spans]
    out = []
    cache: dict[tuple[str, str, bool], str] = {}
    last_span = (0, -1)
    # Sentences, rows and captions are read with running headers and footers blanked out.
    if running is None:
        running = running_lines(pages, starts)
    text = running.mask(raw)
    tables = TableContexts(text)
    for hit in catalog.scan_document(raw):
        page_idx = bisect.bisect_right(starts, hit.start) - 1
        span_idx = bisect.bisect_right(span_starts, hit.start) - 1
        section: SectionKind = spans[span_idx][1] if span_idx >= 0 else "front"
        if catalog.person_at(raw, hit) and _names_people(raw, hit, section, page_idx):
            continue  # "Claude Martin*1" in the byline, "Correspondence to: Claude Evans"
        if running.covers(hit.start):
            # The paper's short title atop every page: a mention, never evidence.
            in_table, sentence, cue = False, running.line_at(raw, hit.start), RUNNING_CUE
        elif section == "references":
            # A citation: the entry's line is evidence enough, no cue can make it a use.
            in_table, sentence, cue = False, _lines_around(text, hit.start, hit.end), ""
        else:
            in_table, row = table_row(text, hit.start, hit.start + len(hit.surface))
            if in_table:
                sentence = _row_with_context(tables, hit.start, row)
            else:
                # The next name often sits in the last sentence: reuse its bounds when both
                # were real boundaries within reach of this name too.
                left, right = last_span
                if not (hit.start - 400 <= left < hit.start and hit.end <= right):
                    left, right = _sentence_span(text, hit.start, hit.end)
                    clamped = left == max(0, hit.start - 400) or right == hit.end + 400
                    last_span = (0, -1) if clamped else (left, right)
                sentence = _one_line(text, _after_headings(text, left, hit.start), right, hit.start)
            if not in_table and (caption := _caption_before(text, hit.start)):
                in_table, sentence = True, caption
            # A table row or a related-work sentence is judged by where it is, not its words.
            cue = ""
            if _ET_AL.match(text, hit.end):
                cue = "generic: citation"  # "(Qwen et al., 2025)" names the authors
            elif not in_table and section != "related":
                in_url = hit.start > 0 and text[hit.start - 1] == "/"
                key = (sentence, hit.surface, in_url)
                if key not in cache:
                    cache[key] = find_cue(sentence, hit.surface, in_url)
                cue = cache[key]
        out.append(
            ModelMention(
                model_id=hit.model_id,
                surface=hit.surface,
                page=pages[page_idx].number,
                section=section,
                sentence=sentence,
                in_table=in_table,
                cue=cue,
                version=catalog.version(hit.model_id, text[hit.start : hit.start + VERSION_WINDOW]),
            )
        )
    return out


def _row_with_context(tables: TableContexts, start: int, row: str) -> str:
    """A table row with its table's caption and column header in front (see `evidence`)."""
    if not _NUMBER.search(row):
        return row  # a chart legend: labels, no cells
    text = tables.text
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    context = tables.at(line_start, len(text) if line_end < 0 else line_end)
    return with_table_context(context, row)


def _names_people(text: str, hit: Hit, section: SectionKind, page_idx: int) -> bool:
    """True where people are named: the byline and page 1, or next to an e-mail address."""
    if section == "front" or page_idx == 0:
        return True
    window = text[max(0, hit.start - 60) : hit.end + 80]
    return "@" in window or _CORRESPONDENCE.search(window) is not None


def _caption_before(text: str, start: int) -> str:
    """The "Table N: ..." caption sentence the name sits in, else ``""``."""
    lo = max(0, start - 300)
    found = None
    for m in _CAPTION.finditer(text, lo, start):
        found = m
    if found is None or _SENTENCE_END.search(text, found.end(), start):
        return ""
    return sentence_around(text, start, start, floor=found.start())


def _lines_around(text: str, start: int, end: int) -> str:
    lo = text.rfind("\n", 0, text.rfind("\n", 0, start)) + 1
    hi = text.find("\n", text.find("\n", end) + 1)
    return " ".join(text[lo : hi if hi >= 0 else len(text)].split())[:_MAX_SENTENCE]


def sentence_around(text: str, start: int, end: int, floor: int = 0) -> str:
    """The sentence holding ``text[start:end]``, on one line, at most ~300 characters.

    ``floor`` is an offset the sentence may not start before (a caption's "Table 3:").
    """
    left, right = _sentence_span(text, start, end, floor)
    return _one_line(text, _after_headings(text, left, start), right, start)


def _one_line(text: str, left: int, right: int, start: int) -> str:
    """``text[left:right]`` on one line, cut to ~300 characters around ``start``."""
    sentence = " ".join(text[left:right].split())
    if len(sentence) <= _MAX_SENTENCE:
        return sentence
    # Keep the part around the mention.
    offset = len(" ".join(text[left:start].split()))
    half = _MAX_SENTENCE // 2
    a = max(0, min(offset - half, len(sentence) - _MAX_SENTENCE))
    return sentence[a : a + _MAX_SENTENCE].strip()


def _sentence_span(text: str, start: int, end: int, floor: int = 0) -> tuple[int, int]:
    """Offsets of the sentence holding ``text[start:end]``, headings before it included."""
    lo = max(floor, start - 400)
    left = lo
    # The last real boundary wins: test candidates from the name backwards.
    for m in reversed(list(_BOUNDARY.finditer(text, lo, start + 1))):  # lookahead sees the name
        if _is_boundary(text, m.start()):
            left = m.end()
            break
    right = min(len(text), end + 400)
    for m in _BOUNDARY.finditer(text, end, right):
        if _is_boundary(text, m.start()):
            right = m.start() + 1
            break
    return left, right


def _after_headings(text: str, left: int, start: int) -> int:
    """Skip heading lines ("3 Experiments") between ``left`` and the name at ``start``.

    A line the sentence goes on from ("We\nfurther evaluate") is no heading.
    """
    while (
        (nl := text.find("\n", left, start)) >= 0
        and _HEADING_LINE.fullmatch(text, left, nl)
        and not text[nl + 1 : nl + 2].islower()
    ):
        left = nl + 1
    return left


def _is_boundary(text: str, dot: int) -> bool:
    if text[dot] != ".":
        return True
    m = _WORD_BEFORE.search(text, max(0, dot - 12), dot + 1)
    if not m:
        return True
    word = m.group(1).lower().rstrip(".")
    if word in _ABBREVIATIONS:
        return False
    return not (len(word) == 1 and word.isalpha())  # initials: "J. Smith"


def table_row(text: str, start: int, end: int) -> tuple[bool, str]:
    """Whether the name sits in a table row (numbers beside it), and that row."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    if line_end < 0:
        line_end = len(text)
    line = text[line_start:line_end].strip()
    if line.endswith(".") or _PROSE.search(line) or _CODE.search(line):
        return False, ""
    if _ET_AL.match(text, end):
        return False, ""  # "(Qwen et al., 2025)": an author in a citation
    # Stay on the page: pages are joined by a blank line.
    after = text[line_end + 1 : line_end + 300].split("\n\n", 1)[0].split("\n")[:4]
    before_text = text[max(0, line_start - 200) : max(0, line_start - 1)]
    before = before_text.rsplit("\n\n", 1)[-1].split("\n")[-2:]
    rest = _CITATION.sub("", text[line_start:start] + " " + text[end:line_end])
    rest = _YEAR.sub("", rest).strip()
    words = _ALPHA_WORD.findall(rest)
    numbers = _NUMBER.findall(rest)
    if len(numbers) >= 2 and len(words) <= 6:
        return True, line[:_MAX_SENTENCE]
    if len(line) > 70 or len(words) > 6:
        return False, ""
    numeric_after = [ln.strip() for ln in after if _NUMERIC_LINE.fullmatch(ln.strip())]
    numeric_before = sum(1 for ln in before if _NUMERIC_LINE.fullmatch(ln.strip()))
    if len(numeric_after) >= 2 or (numeric_after and numeric_before):
        return True, " ".join([line, *_own_cells(after)])[:_MAX_SENTENCE]
    # A chart legend or axis label: a run of short label lines next to a figure caption.
    if len(line) <= 40:
        page_lo = text.rfind("\n\n", 0, line_start) + 2
        page_hi = text.find("\n\n", line_end)
        page_hi = len(text) if page_hi < 0 else page_hi
        around = text[max(page_lo, line_start - 150) : min(page_hi, line_end + 150)].split("\n")
        labels = [ln for ln in around[1:-1] if _is_label(ln)] if len(around) >= 8 else []
        near = (max(page_lo, line_start - 1500), min(page_hi, line_end + 1500))
        if len(labels) >= 6 and _FIGURE.search(text, *near):
            return True, " ".join(ln.strip() for ln in labels)[:_MAX_SENTENCE]
    return False, ""


def _own_cells(after: list[str]) -> list[str]:
    """The numeric lines right below a row label (a dash for a missing value included):
    its cells, not the next row's."""
    cells = []
    for ln in after:
        cell = ln.strip()
        if not (_NUMERIC_LINE.fullmatch(cell) or cell in ("-", "–", "—", "−")):
            break
        cells.append(cell)
    return cells


def _is_label(line: str) -> bool:
    s = line.strip()
    return (
        0 < len(s) <= 40
        and len(s.split()) <= 5
        and not s.endswith((".", ","))
        and not _CODE.search(s)
    )


def find_cue(sentence: str, surface: str = "", in_url: bool = False) -> str:
    """The strongest usage cue in a sentence, as ``"<kind>: <phrase>"``, or ``""``."""
    if in_url:
        return "link: model hub path"
    if (at := sentence.find(surface)) >= 0 and _ET_AL.match(sentence, at + len(surface)):
        return "generic: citation"  # "Qwen et al. (2025)" names the authors
    if _DERIVED_FORM.search(surface):
        return "generic: " + surface  # "BERT-like models", "GPT-style decoding"
    c = load_cues()
    # Citations between the name and its verb do not count as words.
    stripped = _without_citations(sentence)
    pos = _find_name(stripped, surface, strict=True) if surface else -1
    if pos >= 0:
        sentence = stripped
    else:  # the name sits inside a citation: strip around it
        sentence = sentence.replace("’", "'")
        pos = _find_name(sentence, surface) if surface else -1
        if pos >= 0:
            head = _CITATION.sub("", sentence[:pos])
            tail = _CITATION.sub("", sentence[pos + len(surface) :])
            sentence, pos = head + surface + tail, len(head)
    words, starts = _tokenize(sentence)
    at = bisect.bisect_left(starts, pos) if pos >= 0 else 0
    last = bisect.bisect_left(starts, pos + len(surface))
    before = words[max(0, at - 6) : at]
    generic = not c.generic.isdisjoint(before)
    # The word before the name once articles, adjectives and "LLM(s)" are skipped.
    k = at - 1
    while k >= 0 and at - k <= 3 and (words[k] in c.articles or words[k] in c.generic_roles):
        k -= 1
    prev = words[k] if k >= 0 else ""
    prev_pair = (words[k - 1], prev) if k >= 1 else ()
    own = not c.own.isdisjoint(words)

    # 0. Not research use: a writing aid, background framing, a negation before the name.
    if not c.writing_aid.isdisjoint(words):
        return "generic: writing aid"
    if found := _background(words, k, last, c):
        return f"generic: {found}"
    if not own and _NARRATIVE_CITATION.search(sentence, 0, max(pos, 0)):
        return "generic: others' work"  # "Chung et al. (2022) introduced ..., leveraging X"
    if found := _negated_before(words, k, c):
        return f"generic: {found}"
    role = _role(words, at, last, c)
    # Data someone made with the model: "the UltraChat dataset generated by GPT-3.5" (but
    # "data are distilled from X, which acts as the teacher" names X's role in the work).
    made_by = (
        len(prev_pair) == 2
        and prev_pair[0] in c.provenance
        and prev_pair[1] in c.agent_words
        and not c.data_nouns.isdisjoint(words)
        and (k < 2 or words[k - 2] not in c.own)
    )
    if made_by and "our" not in words and not role:
        return f"generic: {' '.join(prev_pair)}"
    # 1. First person acting on the model: "we fine-tune X", "for X, we use".
    if found := _first_person(words, at, last, c):
        return found
    if "our" in words[max(0, at - 3) : at]:
        return "use: our"  # "(in our case GPT-4o)", "our Llama-2 baseline"
    if (
        not own
        and not role
        and not c.provenance.isdisjoint(words[:at])
        and not c.data_nouns.isdisjoint(words)
    ):
        return "generic: data made with the model"  # "a dataset generated by ChatGPT"
    # 2. Passive use right after the name: "GPT-4 is employed to score".
    if found := _passive_after(sentence, words, starts, pos, last, c):
        return found
    # 3. The model as instrument or agent: "masks are predicted with SAM", "using X".
    if not generic and (found := _instrument(sentence, words, starts, k, own, c)):
        return found
    # 4. A role: "X as the judge", "the teacher model is X", "the judge GPT-4o".
    if role:
        return f"role: {role}"
    if not generic and (found := _named_role(words, k, prev, c)):
        return f"role: {found}"
    # 5. Built on it: "based on X", "initialized from the pre-trained X".
    if prev_pair in c.base_phrases:
        return f"base: {' '.join(prev_pair)}"
    if prev in c.base_words:
        return f"base: {prev}"
    if generic:
        return "generic: " + next(w for w in before if w in c.generic)
    for kind, vocabulary in (("compare", c.compare), ("setup", c.setup)):
        found = next((w for w in words if w in vocabulary), None)
        if found:
            return f"{kind}: {found}"
    return ""


def _background(words: tuple[str, ...], k: int, last: int, c: Cues) -> str:
    """ "since the release of X", "since X was released": time framing, not use."""
    if k >= 1 and words[k] == "of" and words[k - 1] in c.background_nouns:
        return f"background: {words[k - 1]} of"
    if k >= 0 and words[k] == "since" and not c.background_verbs.isdisjoint(words[last : last + 3]):
        return "background: since"
    return ""


def _negated_before(words: tuple[str, ...], k: int, c: Cues) -> str:
    """A negation just before the name: "without using X", "instead of X", "Y, not X"."""
    for i in range(max(0, k - 2), k + 1):
        w = words[i]
        pair = (words[i - 1], w) if i >= 1 else ()
        if pair in c.negating_phrases:
            found = " ".join(pair)
        elif w in c.negating and (w != "not" or i == k):  # "not only X" is no negation
            found = w
        else:
            continue
        # The negation must govern the name: "without using X", "except for X"; not
        # "without context X can solve" or "without fine-tuning X" (X runs as it is).
        if all(b in c.negatable or b in c.negation_links for b in words[i + 1 : k + 1]):
            return f"negated: {found}"
    return ""


def _subject_verbs(words: tuple[str, ...], c: Cues) -> Iterator[tuple[int, int, bool]]:
    """(subject index, verb index, negated) for each first-person clause of the sentence."""
    if c.subjects.isdisjoint(words) and "our" not in words and "this" not in words:
        return  # most sentences: no first person at all
    n = len(words)
    for i, w in enumerate(words):
        if w in c.subjects:
            j = i + 1
        elif i + 1 < n and (
            (w == "our" and words[i + 1] in c.own_nouns)
            or (w == "this" and words[i + 1] in c.self_nouns)
        ):
            j = i + 2  # "our method uses", "this work employs"
        else:
            continue
        negated = False
        while j < n and j - i <= 5:
            if words[j] in c.negations:
                negated = True
            elif not (words[j] in c.skip or words[j].endswith("ly")):
                break
            j += 1
        if j < n and (j == i + 1 or not _participle(words[j], c)):
            yield i, j, negated  # "our method compared to X" is no clause


@lru_cache(maxsize=1024)
def _without_citations(sentence: str) -> str:
    return _CITATION.sub("", sentence.replace("’", "'"))


@lru_cache(maxsize=4096)
def _tokenize(sentence: str) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """The sentence's words, lower-cased, and where each starts."""
    lower = sentence.lower()
    if len(lower) != len(sentence):  # a rare character whose lower case is longer
        found = [(m.group(0).lower(), m.start()) for m in _WORD.finditer(sentence)]
    else:
        found = [(m.group(0), m.start()) for m in _WORD.finditer(lower)]
    return tuple(w for w, _ in found), tuple(s for _, s in found)


def _participle(word: str, c: Cues) -> bool:
    return word.endswith("ed") or word in c.irregular_participles


def _find_name(sentence: str, surface: str, strict: bool = False) -> int:
    """Where the name stands as a whole word ("DeepSeek-R1", not in "DeepSeek-R1-Zero").

    Else where it first occurs at all, or -1 when ``strict``.
    """
    first = at = sentence.find(surface)
    while at >= 0:
        before = sentence[at - 1 : at] if at else ""
        after = sentence[at + len(surface) : at + len(surface) + 1]
        if not _JOINED.match(before) and not _JOINED.match(after):
            return at
        at = sentence.find(surface, at + 1)
    return -1 if strict else first


def _first_person(words: tuple[str, ...], at: int, last: int, c: Cues) -> str:
    """ "we fine-tune X", "for X, we use"; a negated use ("we did not include X") is generic."""
    denied = ""
    for i, j, negated in _subject_verbs(words, c):
        verb = words[j]
        if j < at <= j + 15:
            # The verb's reach ends where another clause starts: "we fine-tune 14M
            # parameters, while Vicuna fine-tunes all of them".
            if not c.clause_breaks.isdisjoint(words[j + 1 : at]):
                continue
        elif 0 <= i - last <= 4:
            # "For X, we use": X in a phrase before the subject, not a clause of its own
            # ("Although X is strong, we use Y").
            if not c.auxiliaries.isdisjoint(words[last:i]):
                continue
        else:
            continue
        phrase = " ".join(words[i : j + 1])
        if verb in c.exclude:
            denied = denied or phrase
        elif verb in c.active:
            if not negated:
                return f"use: {phrase}"
            if verb in c.negatable:
                denied = denied or phrase
    return f"generic: negated '{denied}'" if denied else ""


def _passive_after(
    sentence: str, words: tuple[str, ...], starts: tuple[int, ...], pos: int, last: int, c: Cues
) -> str:
    """ "GPT-4 is employed to score"; "X was not evaluated" is a negated use."""
    n = len(words)
    for i in range(last, min(n, last + 3)):
        if any(ch in sentence[pos : starts[i]] for ch in ",;:"):
            break
        if words[i] not in c.passive_aux:
            continue
        nxt = words[i + 1 : i + 4]
        negated = bool(nxt) and nxt[0] in c.negations
        if negated:
            nxt = nxt[1:]
        participle = nxt[1:2] if nxt and nxt[0].endswith("ly") else nxt[:1]
        if participle and participle[0] in c.passive:
            if not negated:
                return f"use: {words[i]} {' '.join(nxt[: 1 + (participle != nxt[:1])])}"
            if participle[0] in c.negatable:
                return f"generic: negated '{words[i]} not {participle[0]}'"
        break
    return ""


def _instrument(
    sentence: str, words: tuple[str, ...], starts: tuple[int, ...], k: int, own: bool, c: Cues
) -> str:
    """ "using a RoBERTa classifier"; "masks are predicted with SAM", "scored by GPT-4"."""
    if k < 0:
        return ""
    prev = words[k]
    if prev in c.instrument:
        return f"use: {prev}"
    if prev not in c.instrument_preps or k < 2:
        return ""
    p = k - 1 if not words[k - 1].endswith("ly") else k - 2  # "generated automatically by"
    part = words[p]
    if not _participle(part, c) or part in c.not_instrument:
        return ""
    if any(ch in sentence[starts[p] : starts[k]] for ch in ",;:()"):
        return ""  # "only the LLM is trained, with the ViT frozen"
    if prev == "by" and part in c.passive:
        return ""  # "the data is used by Vicuna": the agent is a user, not a tool
    window = words[max(0, p - 3) : p]  # "are predicted", "were then jointly scored"
    aux = [w for w in window if w in c.passive_aux]
    if not aux or not c.negations.isdisjoint(window):
        return ""
    if part in c.provenance and not own and not c.data_nouns.isdisjoint(words):
        return ""  # "the data were generated by ChatGPT": provenance, not the authors' tool
    return f"use: {aux[-1]} {part} {prev}"


def _role(words: tuple[str, ...], at: int, last: int, c: Cues) -> str:
    """ "X as the judge", "as our backbone, X", "X, which serves as the teacher"."""
    for i, w in enumerate(words):
        if w != "as" or not (last <= i <= last + 8 or at - 12 <= i < at):
            continue
        if (i and words[i - 1] in ("such", "well")) or words[i + 1 : i + 2] == ["well"]:
            continue
        roles = [r for r in words[i + 1 : i + 5] if r in c.roles]
        if roles and (
            roles[0] not in c.generic_roles
            or words[i + 1] == roles[0]
            or words[i + 1] in c.determiners
        ):
            return f"as {roles[0]}"
    return ""


def _named_role(words: tuple[str, ...], k: int, prev: str, c: Cues) -> str:
    """ "the teacher model is X" (a role named by a copula), "the judge GPT-4o" (apposition)."""
    if prev in ("is", "are", "was", "were") and k >= 1:
        q = k - 1
        if words[q] in c.generic_roles and q >= 1:
            q -= 1
        if words[q] in c.roles and words[q] not in c.generic_roles:
            return f"{words[q]} {prev}"
    if prev in c.naming_roles and k >= 1 and words[k - 1] in c.determiners:
        return f"{words[k - 1]} {prev}"
    return ""
