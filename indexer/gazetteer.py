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

The same name may appear once per real institution (different country/city): such
names are ambiguous and the affiliation resolver picks one from context. Files are
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
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import ahocorasick

from indexer.countries import place_country

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


def normalize_text(text: str) -> str:
    """Fold typographic variants (curly quotes, dashes, ligatures, line breaks), same length
    semantics as the matcher uses."""
    text = unicodedata.normalize("NFC", text).translate(_TRANSLATE)
    return _SPACES.sub(" ", text)


def _lower(text: str) -> str:
    # Character-wise lower case that never changes the string length (offsets stay valid).
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def _key(name: str) -> str:
    return _lower(normalize_text(name).strip())


def _joins(a: str, b: str) -> bool:
    # Two adjacent characters belong to one word; a digit next to a letter does not
    # ("1Tsinghua University" carries a marker, not a longer word).
    return a.isalnum() and b.isalnum() and a.isdigit() == b.isdigit()


_PREV_WORD = re.compile(r"([A-Z][\w'.-]*) $")


def _inside_place_name(text: str, start: int, end: int) -> bool:
    """The match begins inside a place name ("New York University" is not "York University")."""
    prev = _PREV_WORD.search(text, 0, start)
    if prev is None:
        return False
    first = text[start:end].split(" ", 1)[0]
    return place_country(f"{prev.group(1)} {first}", cities=False) is not None


class Gazetteer:
    """Institutions indexed by name, alias and e-mail domain."""

    def __init__(self, institutions: Iterable[Institution]) -> None:
        self.institutions: tuple[Institution, ...] = tuple(institutions)
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

    def __len__(self) -> int:
        return len(self.institutions)

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
        found.sort(key=lambda m: (-(m[1] - m[0]), m[0]))
        taken: list[tuple[int, int, str]] = []
        for m in found:
            if all(m[1] <= t[0] or m[0] >= t[1] for t in taken):
                taken.append(m)
        taken.sort()
        return [
            Match(start=s, end=e, surface=norm[s:e], candidates=tuple(self._by_key[k]))
            for s, e, k in taken
        ]

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
        return []

    def parent_of(self, inst: Institution) -> Institution | None:
        """The institution `inst` belongs to (same country preferred); None at the top."""
        if not inst.parent:
            return None
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
    layers = [_builtin_rows(name) for name in BUILTIN_FILES]
    if user_path:
        from indexer.user_gazetteer import read_user_file

        layers.append(read_institutions(read_user_file(user_path)))
    return Gazetteer(merge_institutions(*layers))
