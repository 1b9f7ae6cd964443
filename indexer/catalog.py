"""The model catalog: which model names exist, what they fold into, and where they come from.

Everything paperscope knows about models lives in a data file, ``indexer/data/models.toml``,
so a reviewer can read and extend it without touching code. This module loads that file
(plus an optional user file), answers look-ups for the CLI (`Catalog.resolve`,
`Catalog.suggest`, `Catalog.by_origin`) and compiles the names into one matcher the
mention finder runs over a paper's full text (`Catalog.scan`). Import stays light:
``tomllib``, ``re`` and the C ``ahocorasick`` automaton, nothing else.

File format (TOML; one table per model id, the user file uses the same format)::

    [llama]                       # the id: lower case, what labels and queries use
    name = "Llama"                # display name
    organisation = "Meta"
    origin_country = "US"         # ISO 3166-1 alpha-2 of the developing organisation
    kind = "llm"                  # llm, vlm, image, video, encoder, speech, architecture, ...
    aliases = ["llama 2", "codellama"]   # extra names `resolve` accepts (case-insensitive)
    derived_from = []             # family relations, informational only
    patterns = ['code llama', 'llama']   # surface stems the mention finder looks for
    traps = ['llama[-\\s]?index']        # regexes that veto a stem they cover
    doc_veto = []                 # regexes: if one matches anywhere in a paper, ...
    doc_veto_unless = ""          # ... drop this model's hits unless this regex is near
    person_name = false           # the family name is also a given name ("Claude", "Gemma")
    name_words = ["Sonnet"]       # capitalised words that continue the model's name
    versions = [{re = 'llama ?(\\d(?:\\.\\d)?)', id = '{1}'}]  # version ids, see below

Patterns are regular expressions matched case-insensitively; wrap a part in ``(?-i:...)``
to make it case-sensitive (``(?-i:SAM)`` does not match "Sam"). A literal space in a
pattern matches any run of spaces, hyphens, underscores or nothing ("code llama" matches
"CodeLlama", "Code-Llama", "Code Llama"). A pattern must start with at least two literal
characters (after an optional ``(?-i:``): they are the anchor the automaton looks for.
A pattern may also be an inline table ``{re = 'o1', near = 'openai|gpt'}``: the hit counts
only when ``near`` matches within 60 characters.

A hit needs a word boundary on the left (no letter or digit just before it; a hyphen is
fine, so "Satori-Qwen-7B" names Qwen but "TinyLlama" does not name Llama) and no letter
right after it (so "GPTQ", "BERTScore", "CLIPIQA" are not hits); digits, hyphens and,
after a capital or digit, a plural "s" may follow ("Llama-2-7B-chat", "GPT4o",
"Claude1.3", "GPTs"; not "Olmos"). A compound that names two families
("DeepSeek-R1-Distill-Qwen-7B") yields a hit for each family named, but "Word-Family"
with nothing after it is a new model or method named after the family ("Ada-CLIP",
"Mini-Gemini") and is not a hit. The first surface form wins where hits overlap.

A hit inside an e-mail address ("claude@", "{roberta,li}@nvidia.com") is not a hit. For
a ``person_name`` family, `Catalog.person_at` tells a person from the model: the name in
title case followed by a capitalised surname that is not one of its ``name_words``
("Claude Martin", not "Claude Sonnet"); the mention finder drops such hits where people
are named (the byline, a correspondence line, next to an e-mail address).

Versions: ``versions`` is an ordered list of ``{re, id}``; `Catalog.version` tries them
on the text where a mention starts (same regex conventions as ``patterns``, matched at the
name's first letter, the match not followed by a letter or digit) and the first match
gives the version id ``FAMILY/ID``: ``{1}``, ``{2}`` in ``id`` are the regex groups (lower
case, spaces become "-"); a "-" or "." next to an empty group is dropped, and an id that
comes out empty means "no version" ("Qwen-7B"). The scheme of the ids is described at the
top of ``data/models.toml`` (``gpt/4o``, ``gpt/4o-mini``, ``llama/3.1``, ``qwen/2.5-vl``).

A user file (``load_catalog(path)``, else ``$PAPERSCOPE_MODELS``, else
``~/.config/paperscope/models.toml``) adds new ids or overrides fields of existing ones:
each field given replaces the built-in value, fields left out keep it.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import ahocorasick

from indexer.version_rules import (
    VERSION_WINDOW,
    VersionRule,
    VersionRuleError,
    compile_versions,
    match_version,
)
from search.errors import PaperscopeError, decode_text

DATA_FILE = Path(__file__).parent / "data" / "models.toml"
USER_FILE = Path("~/.config/paperscope/models.toml")
ENV_VAR = "PAPERSCOPE_MODELS"

_NEAR_CHARS = 60
_TRAP_CHARS = 80
_ANCHOR = re.compile(r"(?:\(\?-i:)?([A-Za-z0-9][A-Za-z0-9\-_ ]*)([?*{]?)")
_TAIL = re.compile(r"(?:[-_.:/]?[A-Za-z0-9]*\d[A-Za-z0-9]*|[-_][A-Za-z][A-Za-z0-9]*)*")
_SPACED_VERSION = re.compile(r"[ \n]\d(?:\.\d)?(?![\w.])")  # a line break may split "Qwen 2.5"
_SPACED_SIZE = re.compile(r"[ \n]\d+(?:\.\d+)?[BbMm](?![\w.])")
_NORMALIZE = re.compile(r"[^a-z0-9]+")
_EMAIL_TAIL = re.compile(r"[\w.+\-]*(?:,[\w.+\-]+)*\}?@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")
_SURNAME = re.compile(r"(?:[ \t]+|[ \t]*\n[ \t]*)([A-Z][a-z]+(?:[-'A-Z][a-z]+)?)(?![A-Za-z])")


class CatalogError(PaperscopeError):
    """The catalog file is malformed; the message says where (file, line, field, why)."""


@dataclass(frozen=True)
class ModelInfo:
    """One catalogued model family."""

    id: str
    """Catalog id (``llama``)."""
    name: str
    """Display name (``Llama``)."""
    organisation: str
    """Developing organisation (``Meta``)."""
    origin_country: str
    """ISO 3166-1 alpha-2 code of the developing organisation."""
    aliases: tuple[str, ...] = ()
    """Names `Catalog.resolve` accepts besides the id and the patterns."""
    derived_from: tuple[str, ...] = ()
    """Ids this family is built on (informational: a Vicuna paper is not a Llama paper)."""
    kind: str = "llm"
    """Coarse kind: llm, vlm, image, video, encoder, speech, architecture, ..."""
    patterns: tuple[str | dict[str, str], ...] = ()
    """Surface stems the mention finder looks for (regex source or ``{re, near}``)."""
    traps: tuple[str, ...] = ()
    """Regexes that veto a hit they cover ("LlamaIndex", "Claude E. Shannon")."""
    doc_veto: tuple[str, ...] = ()
    """Regexes that, found anywhere in a paper, mark the short name as something else."""
    doc_veto_unless: str = ""
    """Regex that keeps a hit despite `doc_veto` when it is near the hit."""
    person_name: bool = False
    """True when the family name is also a given name ("Claude", "Gemma")."""
    name_words: tuple[str, ...] = ()
    """Capitalised words that continue the model's name ("Sonnet"), not a surname."""
    versions: tuple[dict[str, str], ...] = ()
    """Version rules ``{re, id}`` tried in order (`Catalog.version`)."""


@dataclass(frozen=True, slots=True)
class Hit:
    """One occurrence of a catalogued name in a text."""

    model_id: str
    """Catalog id."""
    start: int
    """Offset of the stem in the scanned text."""
    end: int
    """Offset just past the stem."""
    surface: str
    """Stem plus its version tail as printed ("Llama-2-7B-chat")."""


@dataclass(frozen=True, slots=True)
class _Stem:
    model_id: str
    regex: re.Pattern[str]
    near: re.Pattern[str] | None


@dataclass
class Catalog:
    """The loaded catalog with its compiled matcher."""

    models: dict[str, ModelInfo]
    _names: dict[str, str] = field(init=False, repr=False)
    _automaton: Any = field(init=False, repr=False)
    _traps: dict[str, re.Pattern[str] | None] = field(init=False, repr=False)
    _vetoes: dict[str, tuple[re.Pattern[str], re.Pattern[str] | None]] = field(
        init=False, repr=False
    )
    _versions: dict[str, tuple[VersionRule, ...]] = field(init=False, repr=False)
    _version_cache: dict[tuple[str, str], str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._names = {}
        for info in self.models.values():
            for name in (info.name, *info.aliases):
                self._names.setdefault(_normalize(name), info.id)
        for info in self.models.values():  # ids win over other models' aliases
            self._names[_normalize(info.id)] = info.id
        self._compile()
        try:
            self._versions = {
                info.id: compile_versions(info.id, info.versions)
                for info in self.models.values()
                if info.versions
            }
        except VersionRuleError as exc:
            raise CatalogError(str(exc)) from None
        self._version_cache = {}

    # -- look-ups -------------------------------------------------------------------

    def ids(self) -> list[str]:
        """Every catalogued id, sorted."""
        return sorted(self.models)

    def get(self, model_id: str) -> ModelInfo:
        """The model with that id (KeyError when unknown)."""
        return self.models[model_id]

    def resolve(self, name: str) -> str | None:
        """The id a user-typed name stands for ("Llama-2", "gpt-4o", "QwQ"), else None."""
        text = name.strip()
        if not text:
            return None
        if found := self._names.get(_normalize(text)):
            return found
        hits = self.scan(text)
        if hits and hits[0].start == 0:
            return hits[0].model_id
        return None

    def is_name(self, name: str) -> bool:
        """True when ``name`` is an id, display name or alias (case and punctuation aside)."""
        return _normalize(name) in self._names

    def suggest(self, name: str, n: int = 5) -> list[str]:
        """Ids whose names are close to ``name``, best first (for error messages)."""
        key = _normalize(name)
        if not key:
            return []
        out: list[str] = []
        for close in difflib.get_close_matches(key, list(self._names), n=n * 3, cutoff=0.5):
            model_id = self._names[close]
            if model_id not in out:
                out.append(model_id)
        for model_id in self.ids():  # "lla" → llama: prefixes count too
            if len(key) >= 2 and model_id.startswith(key) and model_id not in out:
                out.append(model_id)
        return out[:n]

    def version(self, model_id: str, text: str) -> str:
        """The version id ("gpt/4o") that ``text`` names, starting at the family's name.

        ``text`` is what follows the start of a mention (a few dozen characters are
        enough: "GPT-4o-mini for ...", "Claude 3.5 Sonnet") or a name a user typed;
        ``""`` when it names no version of ``model_id``.
        """
        rules = self._versions.get(model_id)
        if not rules:
            return ""
        key = (model_id, text[:VERSION_WINDOW])
        found = self._version_cache.get(key)
        if found is None:
            part = match_version(rules, key[1])
            found = f"{model_id}/{part}" if part else ""
            if len(self._version_cache) < 50_000:
                self._version_cache[key] = found
        return found

    def by_origin(self, country: str) -> list[str]:
        """Ids developed in that country (ISO alpha-2, or a country name)."""
        code = _country_code(country)
        return sorted(m.id for m in self.models.values() if m.origin_country == code)

    # -- matching -------------------------------------------------------------------

    def scan(self, text: str) -> list[Hit]:
        """Every catalogued name in ``text``, in order, traps and boundaries applied."""
        candidates: list[tuple[int, int, str]] = []
        # Keys start with the space `_word_starts` puts before every word: `end_idx` is
        # one past the name's last character in `text`.
        for end_idx, (anchor_len, stems) in self._automaton.iter(_word_starts(text)):
            start = end_idx - anchor_len
            if start > 0 and text[start - 1].isalnum():  # "é", "ß": not an ASCII letter
                continue
            for stem in stems:
                m = stem.regex.match(text, start)
                if m is None:
                    continue
                end = m.end()
                nxt = text[end : end + 1]
                if nxt.isalpha():
                    # Only a plural "s" may follow, and only after a capital or digit
                    # ("GPTs", "LLaMAs"), not after a lower-case stem ("Olmos", "llamas").
                    last = text[end - 1]
                    plural = nxt == "s" and (last.isupper() or last.isdigit())
                    if not plural or text[end + 1 : end + 2].isalpha():
                        continue
                if _derived_name(text, start, end):
                    continue  # "Ada-CLIP", "Mini-Gemini": a new name ending in a family name
                if _in_email(text, start, end):
                    continue  # "claude.evans@uni.edu", "{roberta,li}@nvidia.com"
                if stem.near is not None:
                    window = text[max(0, start - _NEAR_CHARS) : end + _NEAR_CHARS]
                    if not stem.near.search(window):
                        continue
                candidates.append((start, end, stem.model_id))
                break
        hits: list[Hit] = []
        last_end = -1
        for start, end, model_id in sorted(candidates, key=lambda c: (c[0], -c[1])):
            if start < last_end:
                continue
            if self._trapped(text, start, end, model_id):
                continue
            last_end = end
            hits.append(Hit(model_id, start, end, _surface(text, start, end)))
        return hits

    def scan_document(self, text: str) -> list[Hit]:
        """`scan` plus the per-paper vetoes (a paper that defines SAM as an optimiser)."""
        hits = self.scan(text)
        vetoed = {
            model_id
            for model_id, (veto, _unless) in self._vetoes.items()
            if any(h.model_id == model_id for h in hits) and veto.search(text)
        }
        if not vetoed:
            return hits
        out = []
        for h in hits:
            if h.model_id in vetoed:
                unless = self._vetoes[h.model_id][1]
                window = text[max(0, h.start - _TRAP_CHARS) : h.end + _TRAP_CHARS]
                if unless is None or not unless.search(window):
                    continue
            out.append(h)
        return out

    def person_at(self, text: str, hit: Hit) -> bool:
        """True when the hit reads as a person's given name: "Claude Martin", "Gemma Chan".

        Only for ``person_name`` families, printed in title case with nothing after but a
        capitalised word that is not one of the model's ``name_words``. Whether the place
        names people (a byline, an e-mail nearby) is for the caller to judge.
        """
        info = self.models.get(hit.model_id)
        if info is None or not info.person_name or hit.surface != text[hit.start : hit.end]:
            return False
        if not hit.surface.istitle():
            return False
        m = _SURNAME.match(text, hit.end)
        return m is not None and m.group(1) not in info.name_words

    def _trapped(self, text: str, start: int, end: int, model_id: str) -> bool:
        trap = self._traps.get(model_id)
        if trap is None:
            return False
        w0 = max(0, start - _TRAP_CHARS)
        window = text[w0 : end + _TRAP_CHARS]
        return any(m.start() + w0 <= start and m.end() + w0 >= end for m in trap.finditer(window))

    def _compile(self) -> None:
        automaton = ahocorasick.Automaton()
        table: dict[str, list[_Stem]] = {}
        self._traps = {}
        self._vetoes = {}
        for info in self.models.values():
            for raw in info.patterns:
                source, near = _split_pattern(raw, info.id)
                anchor = _ANCHOR.match(source)
                if anchor is None or len(_anchor_text(anchor)) < 2:
                    raise CatalogError(
                        f"{info.id}: pattern {source!r} must start with two literal characters"
                    )
                try:
                    regex = re.compile(source.replace(" ", r"[\s\-_]*"), re.IGNORECASE)
                    near_re = re.compile(near, re.IGNORECASE) if near else None
                except re.error as exc:
                    raise CatalogError(f"{info.id}: bad pattern {source!r} ({exc})") from None
                table.setdefault(_anchor_text(anchor), []).append(_Stem(info.id, regex, near_re))
            self._traps[info.id] = _union(info.traps, info.id)
            if info.doc_veto:
                veto = _union(info.doc_veto, info.id)
                assert veto is not None
                unless = _union((info.doc_veto_unless,), info.id) if info.doc_veto_unless else None
                self._vetoes[info.id] = (veto, unless)
        # Anchors that differ only in punctuation ("gpt-", "gpt.") share a key; each
        # stem's regex still needs its own literal start, so the merge changes nothing.
        keys: dict[str, list[_Stem]] = {}
        for anchor, stems in table.items():
            keys.setdefault(_word_starts(anchor), []).extend(stems)
        for key, stems in keys.items():
            # Longer regex sources first: "hunyuan video" before "hunyuan".
            stems.sort(key=lambda s: -len(s.regex.pattern))
            automaton.add_word(key, (len(key) - 1, tuple(stems)))
        if table:
            automaton.make_automaton()
        self._automaton = automaton


def _derived_name(text: str, start: int, end: int) -> bool:
    """True for "Word-Family" with nothing after: a new model or method named after one.

    "Satori-Qwen-7B" or "Math-Shepherd-Mistral-7B" name a checkpoint of the family (a
    version, size or name part follows), "Ada-CLIP" and "Mini-Gemini" do not.
    """
    if start < 2 or text[start - 1] != "-" or not text[start - 2].isalnum():
        return False
    nxt = text[end : end + 2]
    follows = bool(nxt) and (nxt[0].isdigit() or (nxt[0] in "-_." and nxt[1:2].isalnum()))
    return not follows


def _in_email(text: str, start: int, end: int) -> bool:
    """True for a name inside an e-mail address (local part or domain)."""
    if start and text[start - 1] == "@":
        return True
    return text.find("@", end, end + 64) >= 0 and _EMAIL_TAIL.match(text, end) is not None


def _split_pattern(raw: Any, model_id: str) -> tuple[str, str]:
    if isinstance(raw, str):
        return raw, ""
    if isinstance(raw, dict) and isinstance(raw.get("re"), str):
        return raw["re"], str(raw.get("near", ""))
    raise CatalogError(f"{model_id}: a pattern is a string or {{re = '...', near = '...'}}")


def _anchor_text(match: re.Match[str]) -> str:
    literal = match.group(1)
    if match.group(2):  # a quantifier makes the last character optional
        literal = literal[:-1]
    return literal.split(" ")[0].lower()


def _union(sources: tuple[str, ...], model_id: str) -> re.Pattern[str] | None:
    if not sources:
        return None
    try:
        return re.compile("|".join(f"(?:{s})" for s in sources), re.IGNORECASE)
    except re.error as exc:
        raise CatalogError(f"{model_id}: bad trap or veto regex ({exc})") from None


def _surface(text: str, start: int, end: int) -> str:
    tail = _TAIL.match(text, end)
    stop = tail.end() if tail else end
    if stop == end and (spaced := _SPACED_VERSION.match(text, stop)):
        stop = spaced.end()  # "Llama 2", "Claude 3.5"
    if size := _SPACED_SIZE.match(text, stop):
        stop = size.end()  # "Llama 3.1 70B"
    return text[start:stop].rstrip(".-_:/").replace("\n", " ")


# Every byte but a-z and 0-9 becomes a space.
_WORD_MASK = bytes(c if 0x61 <= c <= 0x7A or 0x30 <= c <= 0x39 else 0x20 for c in range(256))


def _word_starts(text: str) -> str:
    """``text`` lower-cased, one space before it and in place of every non-[a-z0-9] character.

    Same length as ``text`` plus one, offsets shifted by one. Automaton keys begin with a
    space, so names are only found where a word starts: most bare anchors sat inside
    words ("prompt", "sample", "optimal") and cost a Python loop turn each.
    """
    lower = text.lower()
    if len(lower) != len(text):  # "İ" lower-cases to two characters
        lower = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return " " + lower.encode("ascii", "replace").translate(_WORD_MASK).decode("ascii")


def _normalize(name: str) -> str:
    return _NORMALIZE.sub("", name.lower())


def _country_code(country: str) -> str:
    code = country.strip()
    if len(code) == 2:
        return code.upper()
    import pycountry  # only for full country names, rarely typed

    try:
        return pycountry.countries.lookup(code).alpha_2
    except LookupError:
        return code.upper()


# -- loading ----------------------------------------------------------------------------

_FIELDS = {
    "name",
    "organisation",
    "origin_country",
    "aliases",
    "derived_from",
    "kind",
    "patterns",
    "traps",
    "doc_veto",
    "doc_veto_unless",
    "person_name",
    "name_words",
    "versions",
}
_TUPLES = {"aliases", "derived_from", "patterns", "traps", "doc_veto", "name_words", "versions"}


MAX_TEXT = 2_000
"""Longest string a catalog field may hold (names, regexes)."""
MAX_ITEMS = 1_000
"""Most entries a list field may hold."""
_ID = re.compile(r"[a-z0-9][a-z0-9._-]*")


def _text(value: Any) -> str | None:
    """None when `value` is a string of sane length, else what is wrong with it."""
    if not isinstance(value, str):
        return f"expected a string, got {_type_name(value)}"
    if len(value) > MAX_TEXT:
        return f"{len(value):,} characters; the limit is {MAX_TEXT:,}"
    return None


def _regex(value: Any) -> str | None:
    if (bad := _text(value)) is not None:
        return bad
    try:
        re.compile(value)
    except re.error as exc:
        return f"bad regular expression {value!r} ({exc})"
    return None


def _country(value: Any) -> str | None:
    if (bad := _text(value)) is not None:
        return bad
    if not re.fullmatch(r"[A-Za-z]{2}", value):
        return f"expected an ISO 3166-1 alpha-2 code such as US or CN, got {value!r}"
    return None


def _flag(value: Any) -> str | None:
    return None if isinstance(value, bool) else f"expected true or false, got {_type_name(value)}"


def _pattern(value: Any) -> str | None:
    if isinstance(value, dict):
        extra = set(value) - {"re", "near"}
        if extra or "re" not in value:
            return "a pattern table is {re = '...', near = '...'}"
        return _regex(value["re"]) or (_regex(value["near"]) if "near" in value else None)
    return _regex(value)


def _version(value: Any) -> str | None:
    if not isinstance(value, dict) or set(value) != {"re", "id"}:
        return "a version rule is {re = '...', id = '...'}"
    return _regex(value["re"]) or _text(value["id"])


def _list_of(check: Any) -> Any:
    def validate(value: Any) -> str | None:
        if not isinstance(value, list):
            return f"expected a list, got {_type_name(value)} (write [{value!r}] for one)"
        if len(value) > MAX_ITEMS:
            return f"{len(value):,} entries; the limit is {MAX_ITEMS:,}"
        for i, item in enumerate(value):
            if (bad := check(item)) is not None:
                return f"entry {i + 1}: {bad}"
        return None

    return validate


# One validator per field: None when the value is fine, else the reason. A field in
# `_FIELDS` without a validator here is accepted as it is.
_VALIDATORS: dict[str, Any] = {
    "name": _text,
    "organisation": _text,
    "origin_country": _country,
    "aliases": _list_of(_text),
    "derived_from": _list_of(_text),
    "kind": _text,
    "patterns": _list_of(_pattern),
    "traps": _list_of(_regex),
    "doc_veto": _list_of(_regex),
    "doc_veto_unless": _regex,
    "person_name": _flag,
    "name_words": _list_of(_text),
    "versions": _list_of(_version),
}


def _type_name(value: Any) -> str:
    names = {str: "a string", bool: "true/false", int: "a number", float: "a number"}
    names |= {list: "a list", dict: "a table"}
    return names.get(type(value), type(value).__name__)


def _line_of(text: str, model_id: str, field_name: str | None = None) -> str:
    """':LINE' of the table header (or of `field_name` within the table), '' if not found."""
    lines = text.splitlines()
    header = re.compile(r"\s*\[\s*\"?" + re.escape(model_id) + r"\"?\s*\]")
    for i, line in enumerate(lines):
        if header.match(line):
            if field_name is None:
                return f":{i + 1}"
            for j in range(i + 1, len(lines)):
                if lines[j].lstrip().startswith("["):
                    break
                if re.match(r"\s*" + re.escape(field_name) + r"\s*=", lines[j]):
                    return f":{j + 1}"
            return f":{i + 1}"
    return ""


def _read(path: Path) -> dict[str, dict[str, Any]]:
    """Load and validate one catalog file; every problem is one line naming file and field."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CatalogError(f"{path}: cannot read the model catalog ({exc.strerror})") from None
    text = decode_text(raw, path, CatalogError)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"{path}: not valid TOML ({exc})") from None
    for model_id, table in data.items():
        if not isinstance(table, dict):
            raise CatalogError(f"{path}{_line_of(text, model_id)}: [{model_id}] must be a table")
        if not _ID.fullmatch(model_id):
            raise CatalogError(
                f"{path}{_line_of(text, model_id)}: [{model_id}]: an id is lower-case letters,"
                " digits, '.', '_' or '-'"
            )
        unknown = set(table) - _FIELDS
        if unknown:
            raise CatalogError(
                f"{path}{_line_of(text, model_id, sorted(unknown)[0])}: [{model_id}] has unknown"
                f" field(s) {sorted(unknown)}; known: {', '.join(sorted(_FIELDS))}"
            )
        for name, value in table.items():
            check = _VALIDATORS.get(name)
            if check is not None and (bad := check(value)) is not None:
                where = _line_of(text, model_id, name)
                raise CatalogError(f"{path}{where}: [{model_id}] {name}: {bad}")
    return data


def _merge(base: dict[str, dict[str, Any]], extra: dict[str, dict[str, Any]]) -> None:
    for model_id, table in extra.items():
        base.setdefault(model_id, {}).update(table)


def _build(tables: dict[str, dict[str, Any]], source: str) -> dict[str, ModelInfo]:
    models = {}
    for model_id, table in tables.items():
        missing = {"name", "organisation", "origin_country"} - set(table)
        if missing:
            raise CatalogError(f"{source}: [{model_id}] lacks {sorted(missing)}")
        kwargs = {k: tuple(v) if k in _TUPLES else v for k, v in table.items()}
        kwargs["origin_country"] = str(kwargs["origin_country"]).upper()
        kwargs.setdefault("patterns", (re.escape(model_id),))
        models[model_id] = ModelInfo(id=model_id, **kwargs)
    return models


def _user_file() -> Path | None:
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    path = USER_FILE.expanduser()
    return path if path.is_file() else None


@lru_cache(maxsize=8)
def _load(user_file: Path | None) -> Catalog:
    tables = _read(DATA_FILE)
    if user_file is not None:
        _merge(tables, _read(user_file))
    try:
        return Catalog(_build(tables, str(user_file or DATA_FILE)))
    except CatalogError as exc:
        if user_file is None or str(exc).startswith(str(user_file)):
            raise
        raise CatalogError(f"{user_file}: {exc}") from None


def check_user_catalog() -> None:
    """Validate the user's catalog file now (one-line `CatalogError`), cheaply: the
    matcher is not built."""
    if (path := _user_file()) is not None:
        _read(path)


def load_catalog(user_file: Path | None = None) -> Catalog:
    """The built-in catalog plus the user's file, loaded once per process."""
    return _load(user_file if user_file is not None else _user_file())
