"""Build the registry layer of the institution gazetteer from research-organisation registries.

A hand-kept list cannot reach the long tail of a NeurIPS year (thousands of
institutions); the registries curators use can. This step reads a registries folder
(the layout of ``../shared/registries``, see its README) and writes
``indexer/data/registry.tsv.gz``, which `indexer.registry` loads lazily:

* ROR records (``ror/ror_records_merged.jsonl.gz``): active organisations with their
  ROR id, country, city, type, aliases, acronyms, labels in other languages, domains
  and parent relationships;
* ROR's 2021 full name list (``ror/ror_2021_names_by_country.csv.gz``): name and
  country of organisations missing from the records file (no ROR id);
* the world universities and domains list (``university-domains-list``): e-mail
  domains, and universities missing from ROR;
* names shared by several countries (``pmbalgorithm/multi_country_institutions.txt``):
  such a name resolves only with printed context;
* country-name variants (``country-codes``, ``pmbalgorithm/countryList.json``) into
  ``indexer/data/country_variants.csv``, read under the hand-kept country aliases.

CSrankings is licensed CC BY-NC-ND: it is never read here (``tests`` may use it to
check the result). Names that would match ordinary words are left out: one-word
names other than universities and institutes, and names made only of generic words
("National Research Institute"). The curated CSV files stay on top at run time.

Run ``python -m indexer.gazetteer_build ../shared/registries`` (``--out`` to write
elsewhere); the output is deterministic for a given input.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import re
import sys
from collections import Counter
from pathlib import Path

import pycountry

from indexer.countries import normalize, resolve_country
from indexer.name_keys import fold, name_key

DEFAULT_OUT = Path(__file__).parent / "data" / "registry.tsv.gz"
COUNTRY_VARIANTS = "country_variants.csv"
_VARIANT_COLUMNS = (
    "official_name_en",
    "official_name_fr",
    "official_name_es",
    "official_name_cn",
    "UNTERM English Short",
    "UNTERM French Short",
    "UNTERM Spanish Short",
    "UNTERM Chinese Short",
    "CLDR display name",
)
FORMAT_VERSION = 1
# A key whose every word occurs in this many registry names names no one institution.
_GENERIC_COUNT = 250
_KIND = {
    "education": "university",
    "company": "company",
    "facility": "institute",
    "nonprofit": "nonprofit",
    "government": "government",
    "healthcare": "healthcare",
    "funder": "funder",
    "archive": "archive",
    "other": "other",
}
# Words of department and discipline names: "Computer Science Department" is a
# sub-unit somewhere, never one organisation.
_DISCIPLINES = (
    "computer computing computational electrical electronic electronics mechanical civil "
    "chemical mathematics mathematical statistics statistical physics biology chemistry "
    "informatics information data artificial intelligence machine learning vision language "
    "robotics automation software systems communication communications telecommunications "
    "biomedical control signal processing network networks security cyber quantum economics "
    "finance business management law medicine graduate faculty division unit group lab "
    "department school center institute science engineering technology research deep neural "
    "analytics intelligent smart digital cognitive brain linguistics psychology humanities "
    "media design architecture national international state federal central general public "
    "royal higher advanced applied university college academy polytechnic hospital medical "
    "foundation society association council agency ministry laboratory"
)
_NATIONALITIES = (
    "american african asian australian austrian belgian brazilian british canadian chinese "
    "czech danish dutch european finnish french german greek indian irish islamic israeli "
    "italian japanese korean mexican norwegian polish portuguese russian scottish spanish "
    "swedish swiss turkish welsh arab asia europe america new north south east west "
    "northern southern eastern western central"
)
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&-]{1,9}$")
_TRAILING_BRACKET = re.compile(r"\s*\([^()]*\)\s*$")
_LATIN = re.compile(r"^[\x00-\u024f\u1e00-\u1eff]+$")


class _Orgs:
    """Organisations being collected, indexed by (name key, country) to merge sources."""

    def __init__(self) -> None:
        self.rows: list[dict] = []
        self.by_key: dict[tuple[str, str], int] = {}
        self.by_ror: dict[str, int] = {}

    def add(self, row: dict, forms: list[str]) -> int:
        idx = len(self.rows)
        row["forms"] = forms
        self.rows.append(row)
        if row.get("ror"):
            self.by_ror[row["ror"]] = idx
        for form in forms:
            self.by_key.setdefault((name_key(form), row["country"]), idx)
        return idx

    def find(self, name: str, country: str) -> int | None:
        return self.by_key.get((name_key(name), country))


def _read_ror(folder: Path, orgs: _Orgs) -> dict[int, list[str]]:
    parents: dict[int, list[str]] = {}
    with gzip.open(folder / "ror" / "ror_records_merged.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec.get("status") != "active" or not rec.get("country_code"):
                continue
            forms = [rec["name"], *rec.get("aliases", [])]
            forms += [lb["value"] for lb in rec.get("labels", []) if _LATIN.match(lb["value"])]
            # "Tata Sons (India)", "Institut ... (ISTP)": papers print the name without it
            # (not "Indian Institute of Technology (Banaras Hindu University)").
            forms += [_TRAILING_BRACKET.sub("", f) for f in forms if _droppable_bracket(f)]
            types = rec.get("types") or []
            idx = orgs.add(
                {
                    "name": rec["name"],
                    "country": rec["country_code"],
                    "ror": rec["id"],
                    "kind": _KIND.get(types[0], "") if types else "",
                    "city": rec.get("city") or "",
                    "acronyms": [a for a in rec.get("acronyms", []) if _ACRONYM.match(a)],
                    "domains": [d.lower() for d in rec.get("domains", [])],
                },
                list(dict.fromkeys(forms)),
            )
            if rec.get("parents"):
                parents[idx] = list(rec["parents"])
    return parents


def _read_ror_2021(folder: Path, orgs: _Orgs) -> None:
    path = folder / "ror" / "ror_2021_names_by_country.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            name, country = row["name"].strip(), row["country_code"].strip().upper()
            if not name or len(country) != 2:
                continue
            if row.get("ror_id_in_merged") or orgs.find(name, country) is not None:
                continue
            kind = _KIND.get(row["types"].split(";")[0].strip().lower(), "")
            orgs.add(
                {"name": name, "country": country, "ror": "", "kind": kind, "city": ""}, [name]
            )


def _read_universities(folder: Path, orgs: _Orgs) -> None:
    path = folder / "university-domains-list" / "world_universities_and_domains.json"
    for uni in json.loads(path.read_text(encoding="utf-8")):
        name, country = (uni.get("name") or "").strip(), (uni.get("alpha_two_code") or "").upper()
        if not name or len(country) != 2:
            continue
        domains = [d.lower().strip() for d in uni.get("domains") or [] if d.strip()]
        idx = orgs.find(name, country)
        if idx is None:
            orgs.add(
                {"name": name, "country": country, "ror": "", "kind": "university", "city": ""},
                [name],
            )
            idx = len(orgs.rows) - 1
        row = orgs.rows[idx]
        row["domains"] = list(dict.fromkeys([*row.get("domains", []), *domains]))


def _read_shared_names(folder: Path) -> dict[str, list[list[str]]]:
    """Name key → [[city, country code], ...] for names found in several countries.

    Country names are read with the variants of this same folder first, so the result
    never depends on a variants file an earlier build left in the package."""
    variants = {normalize(name): code for name, code in country_variants(folder)}

    def code_of(name: str) -> str | None:
        return variants.get(normalize(name)) or resolve_country(name)

    path = folder / "pmbalgorithm" / "multi_country_institutions.txt"
    out: dict[str, list[list[str]]] = {}
    current: list[list[str]] | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        text = line.strip()
        if not text or set(text) <= {"="}:
            continue
        if text.startswith("•"):
            if current is not None:
                city, _, country = text.lstrip("• ").rpartition(", ")
                code = code_of(country)
                if code and [city, code] not in current:
                    current.append([city, code])
            continue
        name = re.sub(r"\s*\([^()]*\)$", "", text)
        if name == text:  # the title line
            current = None
            continue
        current = out.setdefault(name_key(name), [])
    return out


def _generic_words(orgs: _Orgs) -> frozenset[str]:
    """Words so common in names that a name made only of them is no name ("National
    Research Institute"); places and nationalities are never generic ("Korea University",
    "Indian Institute of Science" are names)."""
    counts: Counter[str] = Counter()
    for row in orgs.rows:
        counts.update(set(name_key(row["name"]).split()))
    places = set(_NATIONALITIES.split())
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            places.update(name_key(getattr(c, attr, "") or "").split())
    common = {w for w, n in counts.items() if n >= _GENERIC_COUNT and w not in places}
    return frozenset(common | {name_key(w) for w in _DISCIPLINES.split()})


def _keep_form(form: str, key: str, kind: str, generic: frozenset[str]) -> bool:
    words = key.split()
    if not words or len(key) < 4:
        return False
    if len(words) == 1:
        # One-word names ("Ceres", "Identity", "SURF") are too often ordinary words.
        return (
            kind in ("university", "institute")
            and " " not in form.strip()
            and len(form) >= 6
            and not form.isupper()
            and words[0] not in generic
            and words[0] == fold(form)  # no synonym: "Laboratorium" is a laboratory
        )
    return not all(w in generic for w in words)


def _droppable_bracket(form: str) -> bool:
    """A trailing bracket holding a country or an acronym, which papers leave out."""
    m = _TRAILING_BRACKET.search(form)
    if m is None:
        return False
    inner = m.group().strip(" ()")
    return bool(resolve_country(inner)) or (inner.isupper() and len(inner) <= 8)


def country_variants(folder: Path) -> list[tuple[str, str]]:
    """(name, alpha-2) for the ways papers print a country: official and short names in
    English, French, Spanish and Chinese (``country-codes``) and local forms
    ("Deutschland", "España", "Suomi", from ``pmbalgorithm/countryList.json``)."""
    out: dict[str, str] = {}
    alpha3: dict[str, str] = {}
    codes = folder / "country-codes" / "country-codes.csv"
    pmb = folder / "pmbalgorithm" / "countryList.json"
    if not codes.is_file():
        return []
    with codes.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            code = (row.get("ISO3166-1-Alpha-2") or "").strip()
            if len(code) != 2:
                continue
            alpha3[row.get("ISO3166-1-Alpha-3", "").strip()] = code
            for col in _VARIANT_COLUMNS:
                name = _TRAILING_BRACKET.sub("", row.get(col) or "").strip()
                name = re.sub(r"^(?:the|la|le|les|el|los|las|l')\s+", "", name, flags=re.I)
                if len(name) >= 4:
                    out.setdefault(name, code)
    for entry in json.loads(pmb.read_text(encoding="utf-8")) if pmb.is_file() else ():
        code = alpha3.get(entry.get("alpha3") or "")
        for name in entry.get("aliases") or ():
            name = name.strip()
            if code and len(name) >= 4:
                out.setdefault(name, code)
    return sorted(out.items())


def write_country_variants(rows: list[tuple[str, str]], out: Path) -> None:
    """The country-name variants as a two-column CSV (``alias,code``)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["alias", "code"])
    w.writerows(rows)
    out.write_text(buf.getvalue(), encoding="utf-8")


def _city_short_forms(row: dict) -> list[str]:
    city = row.get("city") or ""
    if not city or row["kind"] != "university":
        return []
    out = []
    for form in row["forms"]:
        if form.endswith(f" in {city}") or form.endswith(f", {city}"):
            out.append(form[: -len(city) - 3].rstrip(" ,"))
        tail = f"University of {city}"
        if form.endswith(tail) and form != tail:
            out.append(tail)
    return out


def build(folder: Path) -> dict:
    """The registry layer as a JSON-ready dict (see `indexer.registry` for the format)."""
    orgs = _Orgs()
    parents = _read_ror(folder, orgs)
    _read_ror_2021(folder, orgs)
    _read_universities(folder, orgs)
    generic = _generic_words(orgs)
    keys: dict[str, list[int]] = {}
    acronyms: dict[str, list[int]] = {}
    domains: dict[str, list[int]] = {}
    for idx, row in enumerate(orgs.rows):
        for form in row["forms"]:
            key = name_key(form)
            if not _keep_form(form, key, row["kind"], generic):
                continue
            if " " not in key and form != row["name"] and form.isascii():
                continue  # one-word aliases ("Gordon", "Autonomie") are too often words
            # "Tech. Univ. Dresden": "Tech." reads as technology, the name says technical.
            variant = f" {key} ".replace(" technical ", " technology ").strip()
            for k in dict.fromkeys((key, variant)):
                bucket = keys.setdefault(k, [])
                if idx not in bucket:
                    bucket.append(idx)
        for acr in row.get("acronyms", []):
            acronyms.setdefault(acr, []).append(idx)
        for dom in row.get("domains", []):
            bucket = domains.setdefault(dom, [])
            if idx not in bucket:
                bucket.append(idx)
    # Short forms papers print for a name that carries its city ("Czech Technical
    # University in Prague" → "Czech Technical University", "Philipps University of
    # Marburg" → "University of Marburg"): added only when no organisation has them.
    for idx, row in enumerate(orgs.rows):
        for form in _city_short_forms(row):
            key = name_key(form)
            if key not in keys and _keep_form(form, key, row["kind"], generic):
                keys[key] = [idx]
    table = []
    for idx, row in enumerate(orgs.rows):
        parent = -1
        for pid in parents.get(idx, []):
            if pid in orgs.by_ror:
                parent = orgs.by_ror[pid]
                break
        table.append([row["name"], row["country"], row["ror"], row["kind"], row["city"], parent])
    return {
        "format": FORMAT_VERSION,
        "orgs": table,
        "keys": keys,
        "acronyms": acronyms,
        "domains": domains,
        "shared": _read_shared_names(folder),
        "generic": sorted(generic),
    }


def write(data: dict, out: Path) -> int:
    """Write the layer as deterministic gzipped TSV sections; returns the size in bytes.

    Sections start with a ``#name`` line: ``#orgs`` (name, country, ROR id, kind, city,
    parent row or -1, tab-separated; the row number is the organisation's index),
    ``#keys`` (one name key a line) with ``#keys_rows`` (the space-separated rows of
    each key, same order), the same pair for ``acronyms`` and ``domains``, and
    ``#firsts`` with ``#firsts_rows`` (each first word of a key and the most words a key
    starting with it has: the matcher tries no longer n-grams), and
    ``#shared`` (name key, tab, ``city|country`` pairs joined by ``;``). Text, not
    JSON: the loader zips split lines into dicts and parses a row only when found.
    """
    lines = [f"#paperscope-registry\t{data['format']}", "#orgs"]
    for row in data["orgs"]:
        lines.append("\t".join(_clean(str(v)) for v in row))
    for section in ("keys", "acronyms", "domains"):
        names = sorted(data[section])
        lines.append(f"#{section}")
        lines.extend(_clean(k) for k in names)
        lines.append(f"#{section}_rows")
        lines.extend(" ".join(map(str, data[section][k])) for k in names)
    firsts: dict[str, int] = {}
    for key in data["keys"]:
        words = key.split(" ")
        firsts[words[0]] = max(firsts.get(words[0], 0), len(words))
    lines.append("#firsts")
    lines.extend(sorted(firsts))
    lines.append("#firsts_rows")
    lines.extend(str(firsts[w]) for w in sorted(firsts))
    lines.append("#shared")
    for key in sorted(data["shared"]):
        places = ";".join(f"{_clean(c)}|{_clean(k)}" for c, k in data["shared"][key])
        lines.append(f"{_clean(key)}\t{places}")
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0, compresslevel=9) as gz:
        gz.write(("\n".join(lines) + "\n").encode("utf-8"))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(buf.getvalue())
    return len(buf.getvalue())


def _clean(value: str) -> str:
    return re.sub(r"[\t\n\r;|#]", " ", value)


def main(argv: list[str] | None = None) -> int:
    """Command line: build from a registries folder."""
    parser = argparse.ArgumentParser(
        prog="python -m indexer.gazetteer_build",
        description="Build indexer/data/registry.tsv.gz from a registries folder "
        "(ROR records + 2021 names, university domains list, multi-country names).",
    )
    parser.add_argument("folder", type=Path, help="registries folder, e.g. ../shared/registries")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output file")
    args = parser.parse_args(argv)
    needed = [
        "ror/ror_records_merged.jsonl.gz",
        "ror/ror_2021_names_by_country.csv.gz",
        "university-domains-list/world_universities_and_domains.json",
        "pmbalgorithm/multi_country_institutions.txt",
        "pmbalgorithm/countryList.json",
        "country-codes/country-codes.csv",
    ]
    missing = [n for n in needed if not (args.folder / n).is_file()]
    if missing:
        print(f"error: {args.folder}: missing {', '.join(missing)}", file=sys.stderr)
        return 2
    data = build(args.folder)
    size = write(data, args.out)
    variants = country_variants(args.folder)
    write_country_variants(variants, args.out.parent / COUNTRY_VARIANTS)
    print(
        f"{args.out}: {len(data['orgs'])} organisations, {len(data['keys'])} names, "
        f"{len(data['domains'])} domains, {size / 1e6:.1f} MB; "
        f"{len(variants)} country-name variants"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
