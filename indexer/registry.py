"""The registry layer of the gazetteer: ~130,000 organisations from ROR and the world
universities list, matched by normalised word n-grams.

A hand-kept list cannot reach a NeurIPS year's long tail, so `indexer.gazetteer`
puts this layer under the curated CSV files. It is built by `indexer.gazetteer_build`
into ``indexer/data/registry.tsv.gz`` and loaded lazily, once per process (workers
forked after `indexer.extract.load_tables` share it): the file holds plain text
sections, the loader keeps dicts from key to row numbers and parses an
organisation's row only when one of its names is found.

Matching (`Registry.find`) cuts each comma-separated field of an affiliation line
into words (`indexer.name_keys`) and looks up every n-gram that starts with a
capitalised word, longest first. So "Dept. of EE, Tsinghua Univ." finds Tsinghua
University and "Universidad de Chile" the University of Chile. Acronyms count only
when the organisation's city is printed in the same line ("OSU, Columbus").
"""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from indexer.name_keys import text_tokens

DATA_FILE = "registry.tsv.gz"
ENV_FILE = "PAPERSCOPE_REGISTRY"
# Three-letter words printed next to places that are no organisation's acronym.
_NOT_ACRONYMS = frozenset({"USA", "PRC", "UAE", "ROC", "SAR", "UMR", "CNRS", "MOE", "AND"})
_SECTIONS = (
    "orgs",
    "keys",
    "keys_rows",
    "acronyms",
    "acronyms_rows",
    "domains",
    "domains_rows",
    "firsts",
    "firsts_rows",
    "shared",
)
_FIELD = re.compile(r"[^,;()\[\]|:/]+")
_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9&-]{2,9}\b")


@dataclass(frozen=True, slots=True)
class RegistryOrg:
    """One organisation of the registry layer."""

    index: int
    """Row number in the data file."""
    name: str
    """Display name ("Tsinghua University")."""
    country: str
    """ISO 3166-1 alpha-2 code of its (first) location."""
    ror: str
    """Nine-character ROR id, "" for organisations only in ROR's 2021 name list."""
    kind: str
    """university, company, institute, nonprofit, government, healthcare, ..."""
    city: str
    """City of its (first) location, "" when unknown."""
    parent: int
    """Row of its parent organisation (ROR ``parents``), -1 at the top."""


@dataclass(frozen=True, slots=True)
class RegistryHit:
    """One organisation name found in a text."""

    start: int
    """Offset of the name in the searched text."""
    end: int
    """Offset just past it."""
    orgs: tuple[RegistryOrg, ...]
    """Organisations with that name (several when the name is shared)."""
    shared: tuple[tuple[str, str], ...] = ()
    """(city, country) of namesakes the registries list elsewhere ("Aberystwyth
    University" also in Mauritius): the name needs printed context."""
    via: str = "name"
    """"name" or "acronym"."""


class Registry:
    """Registry organisations by name key, acronym and e-mail domain."""

    def __init__(self, text: str) -> None:
        self._sections: dict[str, list[str]] = {}
        pos = 0
        for name in _SECTIONS:
            head = text.find(f"#{name}\n", pos)
            if head < 0:
                continue
            body_start = head + len(name) + 2
            nxt = text.find("\n#", body_start - 1)
            body = text[body_start : nxt if nxt >= 0 else len(text)]
            self._sections[name] = body.split("\n") if body else []
            pos = nxt + 1 if nxt >= 0 else len(text)
        self._rows = self._sections.get("orgs", [])
        self._keys = self._table("keys")
        self._firsts = self._table("firsts")
        self._acronyms_table: dict[str, str] | None = None
        self._domains_table: dict[str, str] | None = None
        self._shared_table: dict[str, str] | None = None
        self._orgs: dict[int, RegistryOrg] = {}

    def _table(self, name: str) -> dict[str, str]:
        keys, rows = self._sections.get(name, []), self._sections.get(f"{name}_rows", [])
        return dict(zip(keys, rows, strict=True))

    @property
    def _acronyms(self) -> dict[str, str]:
        if self._acronyms_table is None:
            self._acronyms_table = self._table("acronyms")
        return self._acronyms_table

    @property
    def _domains(self) -> dict[str, str]:
        if self._domains_table is None:
            self._domains_table = self._table("domains")
        return self._domains_table

    @property
    def _shared(self) -> dict[str, str]:
        if self._shared_table is None:
            lines = self._sections.get("shared", [])
            self._shared_table = dict(line.split("\t", 1) for line in lines if "\t" in line)
        return self._shared_table

    def __len__(self) -> int:
        return len(self._rows)

    def org(self, index: int) -> RegistryOrg:
        """The organisation on row `index`."""
        org = self._orgs.get(index)
        if org is None:
            name, country, ror, kind, city, parent = self._rows[index].split("\t")
            org = RegistryOrg(index, name, country, ror, kind, city, int(parent))
            self._orgs[index] = org
        return org

    def _many(self, value: str | None) -> tuple[RegistryOrg, ...]:
        if not value:
            return ()
        return tuple(self.org(int(i)) for i in value.split(" "))

    def lookup(self, key: str) -> tuple[RegistryOrg, ...]:
        """Organisations whose name, alias or label has this name key."""
        return self._many(self._keys.get(key))

    def shared_places(self, key: str) -> tuple[tuple[str, str], ...]:
        """(city, country) pairs of a name that exists in several countries; () otherwise."""
        value = self._shared.get(key)
        if not value:
            return ()
        return tuple(tuple(p.split("|", 1)) for p in value.split(";"))  # type: ignore[misc]

    def by_domain(self, domain: str) -> tuple[RegistryOrg, ...]:
        """Organisations owning a domain or one of its parent domains."""
        parts = domain.lower().strip(".").split(".")
        for i in range(len(parts) - 1):
            hit = self._domains.get(".".join(parts[i:]))
            if hit:
                return self._many(hit)
        return ()

    def by_ror(self, ror: str) -> RegistryOrg | None:
        """The organisation with a ROR id (linear scan: for tools, not for the matcher)."""
        ror = ror.rsplit("/", 1)[-1]
        for i, row in enumerate(self._rows):
            if row.split("\t", 3)[2] == ror:
                return self.org(i)
        return None

    def parent(self, org: RegistryOrg) -> RegistryOrg | None:
        """The organisation `org` belongs to (ROR ``parents``), None at the top."""
        return self.org(org.parent) if org.parent >= 0 else None

    def find(self, text: str) -> list[RegistryHit]:
        """Every organisation name in `text`: per comma-separated field, the longest
        name starting at each capitalised word; overlaps resolved longest first."""
        found: list[RegistryHit] = []
        prev: tuple[int, list] | None = None
        for field in _FIELD.finditer(text):
            toks = [t for t in text_tokens(field.group()) if t.key]
            base = field.start()
            if prev is not None and 1 <= len(toks) <= 3 and toks[0].upper:
                # "Indian Institute of Technology, Kharagpur": a name and its place
                # printed as two fields.
                key = " ".join(t.key for t in (*prev[1], *toks))
                value = self._keys.get(key)
                if value and prev[1][0].upper:
                    start, end = prev[0] + prev[1][0].start, base + toks[-1].end
                    found.append(
                        RegistryHit(start, end, self._many(value), self.shared_places(key))
                    )
            prev = (base, toks) if toks else None
            for i, tok in enumerate(toks):
                longest = self._firsts.get(tok.key) if tok.upper else None
                if longest is None:
                    continue
                for n in range(min(int(longest), len(toks) - i), 0, -1):
                    key = " ".join(t.key for t in toks[i : i + n])
                    value = self._keys.get(key)
                    if value:
                        found.append(
                            RegistryHit(
                                base + tok.start,
                                base + toks[i + n - 1].end,
                                self._many(value),
                                self.shared_places(key),
                            )
                        )
                        break
        found += self._acronym_hits(text)
        found.sort(key=lambda h: (-(h.end - h.start), h.start))
        taken: list[RegistryHit] = []
        for h in found:
            if all(h.end <= t.start or h.start >= t.end for t in taken):
                taken.append(h)
        taken.sort(key=lambda h: h.start)
        return taken

    def _acronym_hits(self, text: str) -> list[RegistryHit]:
        """Acronyms whose organisation's city is printed elsewhere in the line."""
        out = []
        for m in _ACRONYM.finditer(text):
            value = self._acronyms.get(m.group())
            if not value or m.group() in _NOT_ACRONYMS:
                continue
            rest = text[: m.start()] + " " + text[m.end() :]
            orgs = tuple(
                o
                for o in self._many(value)
                if o.city and re.search(rf"\b{re.escape(o.city)}\b", rest)
            )
            if len({o.country for o in orgs}) == 1:
                out.append(RegistryHit(m.start(), m.end(), orgs[:1], via="acronym"))
        return out


def registry_path() -> Path | None:
    """The registry data file: ``$PAPERSCOPE_REGISTRY`` when set, else the packaged one."""
    import os

    env = os.environ.get(ENV_FILE)
    if env:
        return Path(env).expanduser()
    res = resources.files("indexer").joinpath("data", DATA_FILE)
    return Path(str(res)) if res.is_file() else None


class RegistryError(ValueError):
    """The registry file named by ``$PAPERSCOPE_REGISTRY`` cannot be used."""


@lru_cache(maxsize=1)
def load_registry() -> Registry:
    """The registry layer, loaded once per process (empty when no data file is packaged;
    `RegistryError` when ``$PAPERSCOPE_REGISTRY`` names a file that cannot be read)."""
    path = registry_path()
    if path is None:
        return Registry("")
    not_registry = f"{path}: not a registry file (build one: python -m indexer.gazetteer_build)"
    try:
        text = gzip.decompress(path.read_bytes()).decode("utf-8")
    except (gzip.BadGzipFile, EOFError, UnicodeDecodeError, ValueError):
        raise RegistryError(not_registry) from None
    except OSError as exc:
        raise RegistryError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if not text.startswith("#paperscope-registry"):
        raise RegistryError(not_registry)
    return Registry(text)
