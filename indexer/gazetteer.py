"""Institution gazetteer: names, aliases and e-mail domains → institution → country.

Affiliation strings name institutions in many forms ("Tsinghua University", "THU",
"Dept. of CS, Tsinghua Univ."), and the country facet needs each of them folded
into one canonical institution with a home country. The knowledge lives in CSV
files, not in code, so it is easy to review and extend:

* ``indexer/data/institutions.csv`` – the built-in list,
* ``indexer/data/institutions_core.csv`` – a small core list read after it,
* a user file – ``$PAPERSCOPE_INSTITUTIONS`` or ``~/.config/paperscope/institutions.csv``.

File format (UTF-8 CSV with a header row)::

    name,country,aliases,domains,city,kind,parent
    Tsinghua University,CN,THU;Tsinghua Univ.,tsinghua.edu.cn,Beijing,university,
    Northeastern University,US,NEU,northeastern.edu,Boston,university,
    Northeastern University,CN,,neu.edu.cn,Shenyang,university,
    "Institute of Software, CAS",CN,ISCAS,,Beijing,institute,Chinese Academy of Sciences

``country`` is an ISO 3166-1 alpha-2 code (HK, TW, MO apart from CN); ``aliases``
and ``domains`` are ``;``-separated. ``parent`` (optional; files without the column,
such as most user files, are read as before) names the institution a row belongs to,
by its canonical name (or an alias): a CAS institute's parent is the Chinese Academy of Sciences, a
university's school or state key lab has the university. The affiliation resolver
rolls sub-units up (see `indexer.affiliations`): a sub-unit of a *university* is
signed as the university, any other child (a CAS institute) is kept and its parent
added, so ``--institution "Chinese Academy of Sciences"`` finds every CAS institute.
Companies' research labs (Google DeepMind, Microsoft Research Asia) have no parent:
they are institutions of their own with their own home country.

Under these curated rows lies the **registry layer** (`indexer.registry`, built by
`indexer.gazetteer_build` from ROR and the world universities list): ~129,000
organisations with ROR ids and parent relationships, found by normalised word
n-grams. On the same span a curated row wins; a registry organisation that is also a
curated row (same ROR id or name and country) is reported as the curated row, which
gets the registry's ROR id. A capitalised word right before a name that is neither a
unit word ("School", "Department") nor another name makes it part of a longer name
("Pacific Northwest University" is not Northwest University); an acronym in brackets
after a name is that name's short form ("Oregon State University (OSU)").

The same name may appear once per real institution (different country/city): such
names are ambiguous and the affiliation resolver picks one only from printed context
(an e-mail domain, a city, the co-affiliations), else reports the country unknown. Files are
read in the order above; a later row with the same (name, country) replaces the
earlier one's country/city/kind/parent and adds its aliases and domains, so a user
file can both extend and correct the built-in rows. Single-word names and aliases
("MIT", "Meta") match case-sensitively; multi-word ones match in any case. Matching is
word-boundary aware and prefers the longest name ("Microsoft Research Asia" over
"Microsoft Research"); a name that starts inside a place name ("York University" in
"New York University") or a one-word name heading a longer one ("Faculty" in "Faculty
of Science") is not a match.
"""

from __future__ import annotations

import csv
import difflib
import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import ahocorasick

from indexer.countries import place_country
from indexer.name_keys import name_key

if TYPE_CHECKING:
    from indexer.registry import Registry, RegistryHit, RegistryOrg

USER_FILE_ENV = "PAPERSCOPE_INSTITUTIONS"
DEFAULT_USER_FILE = Path("~/.config/paperscope/institutions.csv")
BUILTIN_FILES = ("institutions.csv", "institutions_core.csv")

_TRANSLATE = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "`": "'",
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u00a0": " ",
        "\n": " ",
        "\t": " ",
        "ﬁ": "fi",
        "ﬂ": "fl",
        "ﬀ": "ff",
        "ﬃ": "ffi",
        "ﬄ": "ffl",
    }
)
_SPACES = re.compile(r" {2,}")
_CACHE_SIZE = 4096
_SUGGEST_CUTOFF = 0.75


@dataclass(frozen=True)
class Institution:
    """One real institution with its home country."""

    name: str
    """Canonical name ("Tsinghua University")."""
    country: str
    """ISO 3166-1 alpha-2 code of its home (registered) location."""
    aliases: tuple[str, ...] = ()
    """Other printed forms and abbreviations ("THU")."""
    domains: tuple[str, ...] = ()
    """E-mail / web domains ("tsinghua.edu.cn"); sub-domains match too."""
    city: str = ""
    """Home city, used to tell apart institutions that share a name."""
    kind: str = ""
    """Free-form category: university, company, lab, institute, ..."""
    parent: str = ""
    """Canonical name of the institution this one belongs to ("" for none)."""
    ror: str = ""
    """Nine-character ROR id ("03cve4549"), "" when unknown."""


@dataclass(frozen=True)
class Match:
    """One institution name found in a text, with every institution it may denote."""

    start: int
    """Character offset of the name in the searched text."""
    end: int
    """Offset just past the name."""
    surface: str
    """The text as printed."""
    candidates: tuple[Institution, ...]
    """Institutions with that name or alias; several when the name is ambiguous."""
    needs_context: bool = False
    """A registry name found in several countries: only printed context (a place, an
    e-mail domain, a co-affiliation, a city) may pick one."""


def normalize_text(text: str) -> str:
    """Fold typographic variants (curly quotes, dashes, ligatures, line breaks), same length
    semantics as the matcher uses; repair accents a PDF printed as separate characters
    ("Universit¨at" → "Universität") and apostrophes lost to encoding ("People¿s")."""
    if _HAS_SPACING_ACCENT.search(text):
        text = _SPACING_ACCENT.sub(_join_accent, text)
    if "\u00bf" in text or "\ufffd" in text or "?s" in text:
        text = _LOST_APOSTROPHE.sub("'", text)
    text = unicodedata.normalize("NFC", text).translate(_TRANSLATE)
    return _SPACES.sub(" ", text)


# Spacing accents LaTeX PDFs print before their letter ("Universit¨at", "Ciuc˘a").
_COMBINING = {
    "\u00a8": "\u0308",  # ¨
    "\u00b4": "\u0301",  # ´
    "\u02d8": "\u0306",  # ˘
    "\u02d9": "\u0307",  # ˙
    "\u02c7": "\u030c",  # ˇ
    "\u02dd": "\u030b",  # ˝
    "\u02dc": "\u0303",  # ˜
    "\u02c6": "\u0302",  # ˆ
}
_HAS_SPACING_ACCENT = re.compile("[" + "".join(_COMBINING) + "]")
_SPACING_ACCENT = re.compile("([" + "".join(_COMBINING) + r"])\s?([A-Za-z])")
_LOST_APOSTROPHE = re.compile(r"(?<=[A-Za-z])[\u00bf\ufffd?](?=s\b)")


def _join_accent(m: re.Match[str]) -> str:
    return unicodedata.normalize("NFC", m.group(2) + _COMBINING[m.group(1)])


def _lower(text: str) -> str:
    # Character-wise lower case that never changes the string length (offsets stay valid).
    if text.isascii():  # the same result, without a Python loop over the characters
        return text.lower()
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def _key(name: str) -> str:
    return _lower(normalize_text(name).strip())


def _joins(a: str, b: str) -> bool:
    # Two adjacent characters belong to one word; a digit next to a letter does not
    # ("1Tsinghua University" carries a marker, not a longer word).
    return a.isalnum() and b.isalnum() and a.isdigit() == b.isdigit()


_ROR_ID = re.compile(r"(?:https?://)?(?:ror\.org/)?(0[a-z0-9]{6}[0-9]{2})", re.IGNORECASE)
# Words that head a sub-unit printed before its institution without a comma ("School of
# Computer Science Tsinghua University"); any other capitalised word right before a name
# makes it part of a longer, different name ("Pacific Northwest University").
_UNIT_WORD = re.compile(
    r"(?:Department|Dept|School|Faculty|College|Laborator(?:y|ies)|Labs?|Institute|Cent(?:er|re)"
    r"|Group|Division|Program(?:me)?|Unit|Section|Sciences?|Engineering|Technology|Research"
    r"|Studies|Graduate|Key|State|Computing|Informatics|Mathematics|Physics|Medicine|Campus"
    r"|Hospital|Affiliated|Academy|Branch|Office|Team|Chair|Inc|Ltd|Co|Corp"
    r"|The|And|Of|At|For|In|With|From|Joint|Also)\.?"
)
_TITLE_WORD_BEFORE = re.compile(r"(?<![\w'.-])([A-Z][a-z][\w'-]*) $")


def _bracketed_short_form(text: str, prev_end: int, start: int, end: int) -> bool:
    """An acronym in brackets right after a name is that name's short form ("Oregon State
    University (OSU)"), not a second institution that shares the acronym."""
    return (
        text[prev_end:start].strip() == "("
        and text[end : end + 1] == ")"
        and text[start:end].replace("-", "").replace("&", "").isupper()
    )


def _spelled_before(text: str, start: int, end: int) -> bool:
    """A bracketed acronym whose letters are the initials of the words before it ("Foo
    Bar University (FBU)") abbreviates them, whatever else shares it."""
    acr = text[start:end]
    if not (acr.isalpha() and acr.isupper() and text[start - 1 : start] == "("):
        return False
    if text[end : end + 1] != ")":
        return False
    words = re.findall(r"[A-Za-z][\w'-]*", text[max(0, start - 120) : start])
    initials = "".join(w[0] for w in words if w[0].isupper())
    return len(acr) >= 2 and initials.endswith(acr)


def _inside_longer_name(text: str, start: int, spans: Sequence[tuple[int, int]]) -> bool:
    """A capitalised word that is no unit word and no other name sits right before the
    match: it is part of a longer name ("Pacific Northwest University" is not Northwest
    University)."""
    prev = _TITLE_WORD_BEFORE.search(text, max(0, start - 40), start)
    if prev is None or _UNIT_WORD.fullmatch(prev.group(1)):
        return False
    return not any(s <= prev.start(1) < e for s, e in spans)


_PREV_WORD = re.compile(r"([A-Z][\w'.-]*) $")


def _inside_place_name(text: str, start: int, end: int) -> bool:
    """The match begins inside a place name ("New York University" is not "York University")."""
    prev = _PREV_WORD.search(text, 0, start)
    if prev is None:
        return False
    first = text[start:end].split(" ", 1)[0]
    return place_country(f"{prev.group(1)} {first}", cities=False) is not None


class Gazetteer:
    """Institutions indexed by name, alias and e-mail domain: the curated rows, and under
    them (when given) the registry layer of `indexer.registry`."""

    def __init__(
        self, institutions: Iterable[Institution], registry: Registry | None = None
    ) -> None:
        self.registry = registry
        self._from_registry: dict[int, Institution] = {}
        self._curated_by_ror: dict[str, Institution] = {}
        self._curated_by_key: dict[tuple[str, str], Institution] = {}
        institutions = tuple(institutions)
        if registry is not None and len(registry):
            institutions = self._link_registry(institutions, registry)
        self.institutions: tuple[Institution, ...] = institutions
        self._curated = frozenset(institutions)
        self._by_key: dict[str, list[Institution]] = {}
        self._case_sensitive: dict[str, set[str]] = {}
        self._by_domain: dict[str, list[Institution]] = {}
        for inst in self.institutions:
            for form in (inst.name, *inst.aliases):
                form = normalize_text(form).strip()
                if len(form) < 2:
                    continue
                key = _lower(form)
                bucket = self._by_key.setdefault(key, [])
                if inst not in bucket:
                    bucket.append(inst)
                if " " not in form:
                    self._case_sensitive.setdefault(key, set()).add(form)
            for dom in inst.domains:
                dom = dom.strip().lower().lstrip("@.")
                if dom:
                    bucket = self._by_domain.setdefault(dom, [])
                    if inst not in bucket:
                        bucket.append(inst)
        # A multi-word form of the same key makes the key case-insensitive.
        for inst in self.institutions:
            for form in (inst.name, *inst.aliases):
                form = normalize_text(form).strip()
                if " " in form:
                    self._case_sensitive.pop(_lower(form), None)
        self._automaton = ahocorasick.Automaton()
        for key in self._by_key:
            self._automaton.add_word(key, key)
        if self._by_key:
            self._automaton.make_automaton()
        self._by_name: dict[str, list[Institution]] = {}
        for inst in self.institutions:
            self._by_name.setdefault(_lower(inst.name), []).append(inst)
        self._cache: dict[str, tuple[Match, ...]] = {}
        self._registry_parent: dict[Institution, RegistryOrg] = {}

    def __len__(self) -> int:
        return len(self.institutions)

    def _link_registry(
        self, institutions: tuple[Institution, ...], registry: Registry
    ) -> tuple[Institution, ...]:
        """Give curated rows their ROR id (same name or alias and country in the
        registry) and remember them, so registry hits fold into the curated row."""
        out = []
        for inst in institutions:
            keys = [name_key(form) for form in (inst.name, *inst.aliases)]
            if not inst.ror:
                for key in keys:
                    same = [o for o in registry.lookup(key) if o.country == inst.country and o.ror]
                    if same:
                        inst = replace(inst, ror=same[0].ror)
                        break
            out.append(inst)
            if inst.ror:
                self._curated_by_ror.setdefault(inst.ror, inst)
            for key in keys:
                if len(key.split()) > 1:
                    self._curated_by_key.setdefault((key, inst.country), inst)
        return tuple(out)

    def is_curated(self, inst: Institution) -> bool:
        """True for a row of the curated CSV files (or the user file), False for one
        built from the registry layer."""
        return inst in self._curated

    def institution_of(self, org: RegistryOrg) -> Institution:
        """The institution a registry organisation stands for: the curated row with its
        ROR id or name, else one built from the registry (parent by ROR relationship)."""
        inst = self._from_registry.get(org.index)
        if inst is not None:
            return inst
        inst = self._curated_by_ror.get(org.ror) if org.ror else None
        if inst is None:
            inst = self._curated_by_key.get((name_key(org.name), org.country))
        if inst is None:
            parent = self.registry.parent(org) if self.registry is not None else None
            inst = Institution(
                name=org.name,
                country=org.country,
                city=org.city,
                kind=org.kind,
                parent=parent.name if parent is not None and parent.index != org.index else "",
                ror=org.ror,
            )
            if parent is not None and parent.index != org.index:
                self._registry_parent[inst] = parent
        self._from_registry[org.index] = inst
        return inst

    def find(self, text: str) -> list[Match]:
        """Every institution name in `text`, longest non-overlapping matches, in text order.

        Offsets refer to ``normalize_text(text)``.
        """
        if not self._by_key:
            return []
        cached = self._cache.get(text)
        if cached is not None:
            return list(cached)
        found = self._find(text)
        if len(self._cache) > _CACHE_SIZE:
            self._cache.clear()
        self._cache[text] = tuple(found)
        return found

    def _find(self, text: str) -> list[Match]:
        norm = normalize_text(text)
        low = _lower(norm)
        found: list[tuple[int, int, str]] = []
        for end_idx, key in self._automaton.iter(low):
            start = end_idx - len(key) + 1
            end = end_idx + 1
            if start > 0 and _joins(low[start - 1], key[0]):
                continue
            if end < len(low) and _joins(key[-1], low[end]):
                continue
            forms = self._case_sensitive.get(key)
            if forms is not None:
                if norm[start:end] not in forms:
                    continue
                # A one-word name that goes on ("Faculty of Science", "Institute of ...")
                # is the head of a longer, different name.
                if low.startswith(" of ", end):
                    continue
            if _inside_place_name(norm, start, end):
                continue
            found.append((start, end, key))
        hits: list[tuple[int, int, str | RegistryHit]] = list(found)
        if self.registry is not None:
            for hit in self.registry.find(norm):
                if not _inside_place_name(norm, hit.start, hit.end):
                    hits.append((hit.start, hit.end, hit))
        spans = [(s, e) for s, e, _ in hits]
        hits = [h for h in hits if not _inside_longer_name(norm, h[0], spans)]
        # Longest first; on equal spans the curated row (a str key) wins.
        hits.sort(key=lambda m: (-(m[1] - m[0]), not isinstance(m[2], str), m[0]))
        taken: list[tuple[int, int, str | RegistryHit]] = []
        for m in hits:
            if all(m[1] <= t[0] or m[0] >= t[1] for t in taken):
                taken.append(m)
        taken.sort(key=lambda m: m[0])
        taken = [
            m
            for i, m in enumerate(taken)
            if not (i and _bracketed_short_form(norm, taken[i - 1][1], m[0], m[1]))
            and not _spelled_before(norm, m[0], m[1])
        ]
        return [
            Match(start=s, end=e, surface=norm[s:e], candidates=tuple(self._by_key[k]))
            if isinstance(k, str)
            else self._registry_match(norm, k)
            for s, e, k in taken
        ]

    def _registry_match(self, norm: str, hit: RegistryHit) -> Match:
        """A registry hit as a `Match`; a name the registries list in several countries
        gets a candidate per country and needs printed context, unless one of the listed
        cities is part of the name ("Aberystwyth University")."""
        cands = list(dict.fromkeys(self.institution_of(o) for o in hit.orgs))
        surface = norm[hit.start : hit.end]
        if hit.shared:
            own = {
                cc
                for city, cc in hit.shared
                if city and re.search(rf"\b{re.escape(city)}\b", surface, re.IGNORECASE)
            }
            if len(own) == 1:
                home = [c for c in cands if c.country in own]
                cands = home or [Institution(name=cands[0].name, country=own.pop())]
            else:
                for city, cc in hit.shared:
                    if not any(c.country == cc for c in cands):
                        cands.append(Institution(name=cands[0].name, country=cc, city=city))
        needs = len({c.country for c in cands}) > 1
        return Match(hit.start, hit.end, surface, tuple(cands), needs_context=needs)

    def match(self, text: str) -> list[Institution]:
        """All institutions whose name or alias occurs in `text` (every candidate of an
        ambiguous name), in text order, without duplicates."""
        out: list[Institution] = []
        for m in self.find(text):
            for inst in m.candidates:
                if inst not in out:
                    out.append(inst)
        return out

    def by_domain(self, email_or_domain: str) -> list[Institution]:
        """Institutions owning an e-mail address's domain or one of its parent domains."""
        domain = email_or_domain.rsplit("@", 1)[-1].strip().lower().rstrip(".>)")
        parts = domain.split(".")
        for i in range(len(parts) - 1):
            hit = self._by_domain.get(".".join(parts[i:]))
            if hit:
                return list(hit)
        if self.registry is not None:
            orgs = self.registry.by_domain(domain)
            return list(dict.fromkeys(self.institution_of(o) for o in orgs))
        return []

    def parent_of(self, inst: Institution) -> Institution | None:
        """The institution `inst` belongs to (same country preferred); None at the top."""
        if not inst.parent:
            return None
        org = self._registry_parent.get(inst)
        if org is not None:
            return self.institution_of(org)
        key = _key(inst.parent)
        found = self._by_name.get(key) or self._by_key.get(key)
        if not found:
            return None
        same = [p for p in found if p.country == inst.country]
        parent = (same or found)[0]
        return None if parent == inst else parent

    def ancestors(self, inst: Institution) -> list[Institution]:
        """Parent, grandparent, ... of `inst`, nearest first (cycles cut)."""
        out: list[Institution] = []
        cur = self.parent_of(inst)
        while cur is not None and cur not in out and cur != inst:
            out.append(cur)
            cur = self.parent_of(cur)
        return out

    def signed_as(self, inst: Institution) -> Institution:
        """The institution papers are indexed under: the university a school, lab or
        institute belongs to, else `inst` itself (see the ``parent`` column)."""
        for anc in self.ancestors(inst):
            if anc.kind == "university":
                return anc
        return inst

    def resolve_name(self, name: str) -> str | None:
        """Canonical institution name for a name, alias or abbreviation, as papers are
        indexed (a university's sub-unit gives the university); None when unknown."""
        key = _key(name)
        if not key:
            return None
        insts = self._by_name.get(key) or self._by_key.get(key)
        if not insts and self.registry is not None:
            ror = _ROR_ID.fullmatch(name.strip())
            org = self.registry.by_ror(ror.group(1)) if ror else None
            orgs = (org,) if org is not None else self.registry.lookup(name_key(name))
            insts = [self.institution_of(o) for o in orgs]
        if not insts:
            matches = self.find(name)
            if len(matches) == 1 and len(matches[0].surface) >= len(name.strip()) * 0.6:
                insts = list(matches[0].candidates)
        if not insts:
            return None
        return self.signed_as(insts[0]).name

    def suggest(self, name: str, n: int = 5) -> list[str]:
        """Canonical names close to `name`, best first (for "did you mean" hints)."""
        key = _key(name)
        if not key:
            return []
        out: list[str] = []
        hits = [k for k in self._by_key if k.startswith(key) or f" {key}" in k]
        hits.sort(key=len)
        scored = []
        for k in self._by_key:
            # Compare with the whole name and with its start ("Tsinghau" ~ "tsinghua univ...").
            ratio = max(
                difflib.SequenceMatcher(None, key, k).ratio(),
                difflib.SequenceMatcher(None, key, k[: len(key) + 1]).ratio(),
            )
            if ratio >= _SUGGEST_CUTOFF:
                scored.append((-ratio, len(k), k))
        hits += [k for _, _, k in sorted(scored)[: n * 3]]
        for k in hits:
            for inst in self._by_key[k]:
                if inst.name not in out:
                    out.append(inst.name)
        return out[:n]


def _split(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    return tuple(v.strip() for v in value.split(";") if v.strip())


def read_institutions(lines: Iterable[str]) -> list[Institution]:
    """Parse gazetteer CSV lines; rows without a name or a 2-letter country are skipped."""
    out = []
    for row in csv.DictReader(lines):
        name = (row.get("name") or "").strip()
        country = (row.get("country") or "").strip().upper()
        if not name or len(country) != 2 or not country.isalpha():
            continue
        out.append(
            Institution(
                name=name,
                country=country,
                aliases=_split(row.get("aliases")),
                domains=tuple(d.lower() for d in _split(row.get("domains"))),
                city=(row.get("city") or "").strip(),
                kind=(row.get("kind") or "").strip(),
                parent=(row.get("parent") or "").strip(),
            )
        )
    return out


def merge_institutions(*layers: Iterable[Institution]) -> list[Institution]:
    """Later rows with the same (name, country) override earlier ones and add their aliases."""
    merged: dict[tuple[str, str], Institution] = {}
    for layer in layers:
        for inst in layer:
            key = (inst.name.casefold(), inst.country)
            old = merged.get(key)
            if old is not None:
                inst = Institution(
                    name=inst.name,
                    country=inst.country,
                    aliases=tuple(dict.fromkeys((*old.aliases, *inst.aliases))),
                    domains=tuple(dict.fromkeys((*old.domains, *inst.domains))),
                    city=inst.city or old.city,
                    kind=inst.kind or old.kind,
                    parent=inst.parent or old.parent,
                )
            merged[key] = inst
    return list(merged.values())


def _builtin_rows(file_name: str) -> list[Institution]:
    res = resources.files("indexer").joinpath("data", file_name)
    if not res.is_file():
        return []
    with res.open(encoding="utf-8", newline="") as fh:
        return read_institutions(fh)


def default_user_file() -> Path | None:
    """The user gazetteer file in effect: $PAPERSCOPE_INSTITUTIONS, else the config file."""
    env = os.environ.get(USER_FILE_ENV)
    if env:
        return Path(env).expanduser()
    path = DEFAULT_USER_FILE.expanduser()
    return path if path.is_file() else None


def load_gazetteer(user_file: Path | None = None) -> Gazetteer:
    """The built-in gazetteer extended by the user file (cached per process)."""
    path = user_file if user_file is not None else default_user_file()
    return _load(str(path.expanduser().resolve()) if path is not None else "")


@lru_cache(maxsize=8)
def _load(user_path: str) -> Gazetteer:
    from indexer.registry import load_registry

    layers = [_builtin_rows(name) for name in BUILTIN_FILES]
    if user_path:
        from indexer.user_gazetteer import read_user_file

        layers.append(read_institutions(read_user_file(user_path)))
    return Gazetteer(merge_institutions(*layers), registry=load_registry())
