"""Every occurrence of a catalogued model in a paper, with the context that judges it.

A model name alone says little: "Llama" in a reference title, in a related-work survey,
in a results-table row and in "we fine-tune Llama-2-7B" mean four different things. This
module finds the names in one pass over the whole paper (the catalog's Aho-Corasick
automaton, traps applied) and records for each: the page, the section class (from
`sections.find_sections`), the sentence around it, whether it sits in a table row or a
table caption, and the usage cue its sentence carries (only where a cue can matter: not
for reference entries, related-work sentences or table rows, which their place decides).
`usage.classify_usage` turns those into one verdict per model.

Cues are word rules over the tokens of the sentence (no parser, no model download: they
run only on sentences that hold a mention, and the sentence's citations are removed first
so "GPT-4 (OpenAI, 2023) is employed" reads as "GPT-4 is employed"). A cue is written
``"<kind>: <phrase>"``; kinds, strongest first:

- ``use``      the authors act on the model ("we fine-tune", "we use", "is employed");
- ``role``     the model fills a role in the setup ("as the backbone / judge / teacher");
- ``base``     the paper's model is built on it ("based on", "initialized from");
- ``link``     a model-hub path or URL names the checkpoint ("huggingface.co/Qwen/...");
- ``compare``  it is compared against ("outperforms", "compared with", "baseline");
- ``setup``    implementation details ("learning rate", "temperature", "checkpoint");
- ``generic``  named as an example ("LLMs such as GPT-4"), a citation, or a benchmark.
"""

from __future__ import annotations

import bisect
import re

from indexer.catalog import Catalog
from indexer.records import ModelMention, PageText, SectionKind, SectionSpan
from indexer.sections import join_pages, section_offsets

_MAX_SENTENCE = 300
_ABBREVIATIONS = {
    "al", "e.g", "i.e", "eg", "ie", "fig", "figs", "eq", "eqs", "sec", "secs", "tab", "vs",
    "cf", "etc", "no", "resp", "approx", "ref", "refs", "inc", "ltd", "co", "st", "dr",
    "mr", "ms", "prof", "vol", "pp", "ch", "app", "appx", "eqn", "def", "thm", "v",
}  # fmt: skip
_BOUNDARY = re.compile(r"[.!?][\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])|\n\s*\n")
_HEADING_LINE = re.compile(
    r"\d{1,2}(?:\.\d+)*\.?\s+[A-Z][^\n.,;:]{0,50}|[A-Z][a-z]+(?: [A-Z][a-z]+){0,4}"
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
_DERIVED_FORM = re.compile(r"-(?:like|style|type|esque|inspired|sized)$", re.IGNORECASE)
_CITATION = re.compile(
    r"\s*\((?:[^()]*?(?:19|20)\d\d[a-z]?|[^()]*?et\s+al)[^()]*\)|\s*\[[\d,;\s\-–]+\]"
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _pairs(*phrases: str) -> frozenset[tuple[str, ...]]:
    return frozenset(tuple(p.split()) for p in phrases)


# The cue vocabulary: lower-case words, matched on the tokens of one sentence.
_SUBJECTS = _words("we our us this")
_OWN = _words("we our us")
_NEGATIONS = _words("not never no without neither nor don't didn't cannot unlike")
_SKIP = _words(
    "also then further first additionally directly can could will would may might should "
    "must do did does have has had mainly primarily only simply carefully randomly finally "
    "next instead here therefore thus still now again each all both separately respectively "
    "however empirically manually jointly subsequently similarly likewise specifically "
    "mostly always often consistently to exclusively"
)
_ACTIVE = _words(
    "use uses used using utilize utilizes utilized utilise utilised employ employs employed "
    "adopt adopts adopted fine-tune fine-tunes fine-tuned finetune finetunes finetuned train "
    "trains trained retrain retrained evaluate evaluates evaluated test tests tested prompt "
    "prompts prompted query queries queried choose chose chosen select selects selected "
    "leverage leverages leveraged apply applies applied compare compares compared benchmark "
    "benchmarked initialize initialized initialise initialised distill distills distilled run "
    "ran experiment experimented deploy deployed build built implement implemented consider "
    "considered include includes included instruct instructed ask asked generate generated "
    "collect collected sample sampled call called access accessed take took rl-tune rl-tuned "
    "tune tuned pre-train pre-trained pretrain pretrained continue continued extend extended "
    "replace replaced feed fed obtain obtained report reported observe observed pick picked "
    "opt inherit inherited adapt adapted equip equipped marry scale scaled measure measured "
    "analyze analyzed analyse analysed probe probed study studied explore explored "
    "investigate investigated let rely relied verify verified examine examined load loaded "
    "serve served invoke invoked start started revert reverted resort resorted switch "
    "switched turn turned fall preserve preserved keep kept retain retained freeze froze "
    "frozen combine combined integrate integrated incorporate incorporated ensemble "
    "follow followed modify modified swap swapped substitute substituted plug extract "
    "extracted encode encoded embed embedded"
)
_PASSIVE_AUX = _words("is are was were been being be")
_PASSIVE = _words(
    "used employed adopted fine-tuned finetuned trained evaluated prompted queried chosen "
    "selected utilized utilised leveraged applied initialized initialised tested compared "
    "deployed run included instructed asked considered taken called invoked accessed "
    "distilled sampled benchmarked loaded served"
)
_INSTRUMENT = _words("using via through utilizing employing leveraging adopting prompting")
_ARTICLES = _words(
    "a an the our their its this these pre-trained pretrained fine-tuned finetuned frozen "
    "off-the-shelf open-source proprietary strong powerful base original vanilla same"
)
_ROLES = _words(
    "backbone backbones base judge judges teacher teachers student students baseline baselines "
    "evaluator evaluators annotator annotators policy policies critic critics generator "
    "generators verifier verifiers encoder encoders decoder decoders reference oracle oracles "
    "grader graders labeler labelers labeller labellers rater raters scorer scorers summarizer "
    "summarizers retriever retrievers agent agents planner planners solver solvers prm prms "
    "orm orms classifier classifiers tokenizer tokenizers initialization starting backend "
    "backends engine engines simulator simulators attacker attackers target targets victim "
    "victims model models llm llms vlm vlms mllm mllms component components extractor "
    "extractors ranker rankers rewriter rewriters filter filters assistant assistants reward"
)
_GENERIC_ROLES = _words("model models llm llms vlm vlms mllm mllms")
_DETERMINERS = _words("the our a an its their")
_BASE_PHRASES = _pairs(
    "based on", "built on", "built upon", "build on", "builds on", "initialized from",
    "initialized with", "initialised from", "fine-tuned from", "fine-tuned on",
    "finetuned from", "trained from", "distilled from", "derived from", "starting from",
    "start from", "pre-trained from", "continued pre-training", "continual pre-training",
    "experiments with", "experiment with", "equipped with", "equip with", "instantiated with",
    "powered by", "driven by", "top of",
)  # fmt: skip
_BASE_WORDS = _words("upon atop")
_COMPARE = _words(
    "compare compares compared comparing comparison comparisons outperform outperforms "
    "outperformed outperforming surpass surpasses surpassed surpassing beat beats exceed "
    "exceeds exceeded versus vs baseline baselines competitive rival rivals superior "
    "inferior better worse higher lower improve improves improved improvement gain gains "
    "achieve achieves achieved achieving score scores accuracy performance results win "
    "pass gap"
)
_SETUP = _words(
    "hyperparameter hyperparameters hyper-parameter hyper-parameters learning rate batch "
    "epoch epochs lora checkpoint checkpoints temperature top-p top-k tokens gpu gpus a100 "
    "h100 api apis implementation setting settings setup configuration inference decoding "
    "greedy sampling context quantized quantization vllm deepspeed zero-shot few-shot "
    "weights parameters pre-trained pretrained"
)
_GENERIC = _words("such e.g. eg example instance like including exemplified represented namely")
_PROVENANCE = _words(
    "generated created synthesized synthesised collected constructed annotated produced "
    "curated written labeled labelled generation construction annotation synthesis "
    "distilled translated rewritten"
)
_WRITING_AID = _words(
    "polish polishing polished proofread proofreading typos wording "
    "manuscript copy-edit copy-editing copyediting"
)
_AGENT_WORDS = _words("by from with using via through")
_DATA_NOUNS = _words(
    "data dataset datasets samples corpus instructions conversations responses dialogues "
    "dialogue questions answers benchmark"
)


def find_mentions(
    pages: tuple[PageText, ...], sections: tuple[SectionSpan, ...], catalog: Catalog
) -> list[ModelMention]:
    """Every catalogued model name in the paper, in reading order."""
    if not pages:
        return []
    text, starts = join_pages(pages)
    spans = section_offsets(sections, pages, starts) or [(0, "body")]
    span_starts = [s for s, _ in spans]
    out = []
    cache: dict[tuple[str, str, bool], str] = {}
    for hit in catalog.scan_document(text):
        page_idx = bisect.bisect_right(starts, hit.start) - 1
        span_idx = bisect.bisect_right(span_starts, hit.start) - 1
        section: SectionKind = spans[span_idx][1] if span_idx >= 0 else "front"
        if section == "references":
            # A citation: the entry's line is evidence enough, no cue can make it a use.
            in_table, sentence, cue = False, _lines_around(text, hit.start, hit.end), ""
        else:
            in_table, row = table_row(text, hit.start, hit.start + len(hit.surface))
            sentence = row if in_table else sentence_around(text, hit.start, hit.end)
            if not in_table and (caption := _caption_before(text, hit.start)):
                in_table, sentence = True, caption
            # A table row or a related-work sentence is judged by where it is, not its words.
            cue = ""
            if not in_table and section != "related":
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
            )
        )
    return out


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
    lo = max(floor, start - 400)
    left = lo
    for m in _BOUNDARY.finditer(text, lo, start):
        if _is_boundary(text, m.start()):
            left = m.end()
    right = min(len(text), end + 400)
    for m in _BOUNDARY.finditer(text, end, right):
        if _is_boundary(text, m.start()):
            right = m.start() + 1
            break
    # A heading line ("3 Experiments") before the sentence is not part of it.
    while (nl := text.find("\n", left, start)) >= 0 and _HEADING_LINE.fullmatch(text, left, nl):
        left = nl + 1
    sentence = " ".join(text[left:right].split())
    if len(sentence) <= _MAX_SENTENCE:
        return sentence
    # Keep the part around the mention.
    offset = len(" ".join(text[left:start].split()))
    half = _MAX_SENTENCE // 2
    a = max(0, min(offset - half, len(sentence) - _MAX_SENTENCE))
    return sentence[a : a + _MAX_SENTENCE].strip()


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
    if line.endswith(".") or _PROSE.search(line):
        return False, ""
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
        return True, " ".join([line, *numeric_after])[:_MAX_SENTENCE]
    # A chart legend or axis label: a run of short label lines next to a figure caption.
    if len(line) <= 40:
        page_lo = text.rfind("\n\n", 0, line_start) + 2
        page_hi = text.find("\n\n", line_end)
        page_hi = len(text) if page_hi < 0 else page_hi
        around = text[max(page_lo, line_start - 150) : min(page_hi, line_end + 150)].split("\n")
        labels = [ln for ln in around[1:-1] if _is_label(ln)]
        near = (max(page_lo, line_start - 1500), min(page_hi, line_end + 1500))
        if len(labels) >= 6 and _FIGURE.search(text, *near):
            return True, " ".join(ln.strip() for ln in labels)[:_MAX_SENTENCE]
    return False, ""


def _is_label(line: str) -> bool:
    s = line.strip()
    return 0 < len(s) <= 40 and len(s.split()) <= 5 and not s.endswith((".", ","))


def find_cue(sentence: str, surface: str = "", in_url: bool = False) -> str:
    """The strongest usage cue in a sentence, as ``"<kind>: <phrase>"``, or ``""``."""
    if in_url:
        return "link: model hub path"
    if _DERIVED_FORM.search(surface):
        return "generic: " + surface  # "BERT-like models", "GPT-style decoding"
    pos = sentence.find(surface) if surface else -1
    if pos >= 0:  # citations between the name and its verb do not count as words
        head = _CITATION.sub("", sentence[:pos])
        tail = _CITATION.sub("", sentence[pos + len(surface) :])
        sentence, pos = head + surface + tail, len(head)
    tokens = [(m.group(0).lower(), m.start()) for m in _WORD.finditer(sentence)]
    words = [t for t, _ in tokens]
    n = len(words)
    at = next((i for i, (_, s) in enumerate(tokens) if s >= pos), n) if pos >= 0 else 0
    last = next((i for i, (_, s) in enumerate(tokens) if s >= pos + len(surface)), n)
    before = words[max(0, at - 6) : at]
    generic = not _GENERIC.isdisjoint(before)
    # The word before the name once articles, adjectives and "LLM(s)" are skipped.
    k = at - 1
    while k >= 0 and at - k <= 3 and (words[k] in _ARTICLES or words[k] in _GENERIC_ROLES):
        k -= 1
    prev = words[k] if k >= 0 else ""
    prev_pair = (words[k - 1], prev) if k >= 1 else ()

    # 0. A writing aid ("we used ChatGPT to polish the manuscript") is not research use.
    if not _WRITING_AID.isdisjoint(words):
        return "generic: writing aid"
    # Data someone made with the model: "the UltraChat dataset generated by GPT-3.5".
    made_by = (
        len(prev_pair) == 2
        and prev_pair[0] in _PROVENANCE
        and prev_pair[1] in _AGENT_WORDS
        and not _DATA_NOUNS.isdisjoint(words)
        and (k < 2 or words[k - 2] not in _OWN)
    )
    if made_by and "our" not in words:
        return f"generic: {' '.join(prev_pair)}"
    # 1. First person acting on the model: "we fine-tune X", "for X, we use".
    for i, w in enumerate(words):
        if w not in _SUBJECTS:
            continue
        j = i + 1
        while j < n and j - i <= 4 and (words[j] in _SKIP or words[j].endswith("ly")):
            j += 1
        if j < n and words[j] in _ACTIVE and (j < at <= j + 15 or 0 <= i - last <= 4):
            return f"use: {' '.join(words[i : j + 1])}"
    if "our" in words[max(0, at - 3) : at]:
        return "use: our"  # "(in our case GPT-4o)", "our Llama-2 baseline"
    own = not _OWN.isdisjoint(words)
    if not own and not _PROVENANCE.isdisjoint(words[:at]) and not _DATA_NOUNS.isdisjoint(words):
        return "generic: data made with the model"  # "a dataset generated by ChatGPT"
    # 2. Passive use right after the name: "GPT-4 is employed to score".
    for i in range(last, min(n, last + 3)):
        if any(c in sentence[pos : tokens[i][1]] for c in ",;:"):
            break
        if words[i] in _PASSIVE_AUX:
            nxt = words[i + 1 : i + 3]
            participle = nxt[1:2] if nxt and nxt[0].endswith("ly") else nxt[:1]
            if participle and participle[0] in _PASSIVE:
                return f"use: {words[i]} {' '.join(nxt)}"
            break
    # 3. Instrument right before the name: "using a RoBERTa classifier".
    if prev in _INSTRUMENT and not generic:
        return f"use: {prev}"
    # 4. A role: "X as the judge", "as our backbone".
    for i, w in enumerate(words):
        if w != "as" or not (last <= i <= last + 8 or at - 12 <= i < at):
            continue
        if (i and words[i - 1] in ("such", "well")) or words[i + 1 : i + 2] == ["well"]:
            continue
        roles = [r for r in words[i + 1 : i + 5] if r in _ROLES]
        if roles and (
            roles[0] not in _GENERIC_ROLES
            or words[i + 1] == roles[0]
            or words[i + 1] in _DETERMINERS
        ):
            return f"role: as {roles[0]}"
    # 5. Built on it: "based on X", "initialized from the pre-trained X".
    if prev_pair in _BASE_PHRASES:
        return f"base: {' '.join(prev_pair)}"
    if prev in _BASE_WORDS:
        return f"base: {prev}"
    if generic:
        return "generic: " + next(w for w in before if w in _GENERIC)
    for kind, vocabulary in (("compare", _COMPARE), ("setup", _SETUP)):
        found = next((w for w in words if w in vocabulary), None)
        if found:
            return f"{kind}: {found}"
    return ""
