"""Printed affiliation strings → institutions → countries.

Every headline question ("papers with a Chinese-affiliated author that use Llama")
goes through the country of an affiliation, so the rules live in one place and
follow the corpus conventions:

1. A location printed in the affiliation wins ("Huawei Noah's Ark Lab, London" → GB):
   a country name or alias, a US state or postal code, a Chinese province, or a
   city (whole comma-separated field, never the first one, never a common word).
2. Otherwise the institution's home country from the gazetteer (Google DeepMind → GB,
   Microsoft Research Asia → CN).
3. A name shared by several institutions ("Northeastern University") is resolved by
   context: the e-mail domains printed on the page (``neu.edu.cn``, ``.edu.cn``), the
   countries of the co-affiliations, the institution's city named on the page. With
   no such context its country stays unknown (never the first namesake).
4. With no affiliation printed at all, institutional e-mail domains speak: a known
   domain gives its institution, a country-code domain its country (``.edu.cn`` → CN,
   ``.ac.uk`` → GB), a bare ``.edu`` is weak US evidence used only when nothing else
   is known. Personal providers (gmail, outlook, qq.com, 163.com …) give nothing.
5. Notes: "work done during an internship at X" / "while at X" is an affiliation for
   this paper; "now at X", "joined X", "currently at X" are later moves and dropped.

An institution missing from the gazetteer still gets a country when the page says
it: a printed location (rule 1), an e-mail domain that is its own (``princeton.edu``
for "Princeton University", ``kaist.ac.kr`` for its initials, ``ox.ac.uk`` for the start
of "Oxford"), a place inside its name ("University of Tokyo", "UC Berkeley", "ETH
Zurich", "University of Queensland"), or, when it is the only affiliation on the page,
the one country every institutional e-mail agrees on. (`indexer.front_matter` adds
one more: the country-code address of an author whose only affiliation it is.)
Otherwise it is kept with ``institution=None`` and ``country=None``: reported, never
guessed. A Hong Kong, Macau or Taiwan institution followed by ", China" stays in its
territory.

Sub-units roll up as the gazetteer's ``parent`` column says (`roll_up`): a school or
lab of a university is signed as the university, a CAS institute is kept and the
Chinese Academy of Sciences added, so the institution facet counts both.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources

import pycountry

from indexer.countries import normalize, place_country, place_in_name, us_states
from indexer.gazetteer import Gazetteer, Institution, Match, normalize_text
from indexer.records import Affiliation

MARKER_SYMBOLS = "*∗†‡§¶#♣♠♢♡♦♥⋆★☆∥‖"
_LEADING_MARKER = re.compile(
    rf"^\s*(?P<m>\d{{1,2}}(?:\s*,\s*\d{{1,2}})*|[{re.escape(MARKER_SYMBOLS)}]+"
    rf"|[a-z](?=[A-Z][A-Za-z]))\s*(?=\S)"
)
LATER_MOVE = re.compile(
    r"\b(?:now\s+(?:at|with|in)|is\s+now|currently\s+(?:at|with)|presently\s+at"
    r"|(?:has\s+)?joined|(?:has\s+)?moved\s+to|current\s+(?:affiliation|address)"
    r"|can\s+be\s+reached)\b",
    re.IGNORECASE,
)
THIS_PAPER_NOTE = re.compile(
    r"\b(?:intern(?:ship|ing|ed)?|work(?:ed)?\s+(?:was\s+)?(?:done|performed|conducted)"
    r"|while\s+(?:at|visiting|with|working)|when\s+(?:at|visiting)|visiting"
    r"|contribution\s+during)\b",
    re.IGNORECASE,
)
_NOT_AFFILIATED = re.compile(
    r"\b(?:outside|independent(?:ly)?\s+of|not\s+(?:affiliated|part))\b", re.I
)
_NOTE_AT = re.compile(r"\b(?:at|with|in|for|to)\s+(?=\S)", re.IGNORECASE)
_FIELD = re.compile(r"[^,;()\u00b7|]+")
_CODE_LIKE = re.compile(r"\b[A-Z]{0,3}-?\d[\dA-Z-]*\b")
AFFILIATION_WORD = re.compile(
    r"\b(?:universit\w*|univ|institut\w*|lab\w*|school|department|dept|college|cent(?:er|re)"
    r"|academy|faculty|inc|ltd|llc|gmbh|corp\w*|company|group|research|hospital"
    r"|foundation|team|ministry|polytechnic|technolog\w*|sciences?|engineering|informatics"
    r"|(?-i:AI))\b",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"[\w.+-]+@([\w-]+(?:\.[\w-]+)+)")
# Country-code TLDs widely used as brand names, not as a location.
_BRAND_TLDS = frozenset(
    {"ai", "io", "co", "me", "tv", "cc", "ly", "so", "gg", "ml", "to", "fm", "am", "im", "ws"}
)
# Domain labels that name no institution ("cs.stanford.edu", "connect.polyu.hk").
# fmt: off
_GENERIC_LABELS = frozenset({
    "edu", "ac", "com", "org", "net", "gov", "mail", "mails", "cs", "ece", "eecs", "www",
    "ai", "ee", "me", "email", "student", "students", "stu", "connect", "alumni", "post",
    "cse", "eng", "inf", "informatik", "math", "phys", "lab", "res", "research",
})
# fmt: on
_ZIP_AFTER = re.compile(r"\s*\d{5}(?:-\d{4})?\b")
_SEPARATE_FROM_CN = frozenset({"HK", "MO", "TW"})
_STRONG_EMAIL = 2.0
_WEAK_EMAIL = 0.5


@dataclass(frozen=True)
class EmailEvidence:
    """What one e-mail domain says about a country."""

    domain: str
    """The address's domain ("mails.tsinghua.edu.cn")."""
    country: str | None
    """Country it points to, None when it says nothing."""
    weight: float
    """Strength: 2 for a known domain or country-code domain, 0.5 for a bare .edu."""
    institutions: tuple[Institution, ...] = ()
    """Gazetteer institutions owning the domain."""
    reason: str = ""
    """Short text for `Affiliation.evidence` ("email: .edu.cn")."""


@dataclass(frozen=True)
class _Location:
    start: int
    code: str
    surface: str


@lru_cache(maxsize=1)
def personal_email_domains() -> frozenset[str]:
    """Domains of personal mail providers (gmail.com, qq.com, ...), from the data file."""
    with (
        resources.files("indexer")
        .joinpath("data/personal_email_domains.txt")
        .open(encoding="utf-8") as fh
    ):
        return frozenset(
            line.strip().lower() for line in fh if line.strip() and not line.startswith("#")
        )


def email_domains(text: str) -> list[str]:
    """Domains of every e-mail address in a text, in order."""
    return [m.group(1).lower().rstrip(".") for m in _EMAIL.finditer(text)]


def email_evidence(email_or_domain: str, gazetteer: Gazetteer) -> EmailEvidence:
    """What an e-mail address (or bare domain) says about its owner's country."""
    domain = email_or_domain.rsplit("@", 1)[-1].strip().lower().strip(".>)}")
    if not domain or domain in personal_email_domains():
        return EmailEvidence(domain, None, 0.0)
    insts = tuple(gazetteer.by_domain(domain))
    countries = {i.country for i in insts}
    if len(countries) == 1:
        return EmailEvidence(domain, insts[0].country, _STRONG_EMAIL, insts, f"email: {domain}")
    tld = domain.rsplit(".", 1)[-1]
    if len(tld) == 2 and tld not in _BRAND_TLDS:
        code = "GB" if tld == "uk" else tld.upper()
        if pycountry.countries.get(alpha_2=code):
            suffix = ".".join(domain.split(".")[-2:])
            return EmailEvidence(domain, code, _STRONG_EMAIL, insts, f"email: .{suffix}")
    if tld == "edu":
        return EmailEvidence(domain, "US", _WEAK_EMAIL, insts, "email: .edu")
    return EmailEvidence(domain, None, 0.0, insts)


def _own_email(text: str, evidence: Sequence[EmailEvidence]) -> EmailEvidence | None:
    """An e-mail domain that belongs to the unknown institution named in `text`: a domain
    label equal to one of its words or to its initials ("princeton.edu" for "Princeton
    University", "kaist.ac.kr" for "Korea Advanced Institute of Science and Technology"),
    or the start of a capitalised name word that is no affiliation word ("ox.ac.uk" for
    "University of Oxford")."""
    words = {w.casefold() for w in re.findall(r"[^\W\d_]{3,}", text)}
    initials = "".join(w[0] for w in re.findall(r"[^\W\d_][\w-]*", text) if w[0].isupper())
    words.add(initials.casefold())
    heads = {
        w.casefold()
        for w in re.findall(r"\b[A-Z][^\W\d_]{3,}", text)
        if not AFFILIATION_WORD.fullmatch(w)
    }
    for ev in evidence:
        if ev.country is None:
            continue
        labels = [lb for lb in ev.domain.split(".")[:-1] if lb not in _GENERIC_LABELS]
        if any(len(lb) >= 3 and lb in words for lb in labels):
            return ev
        if any(len(lb) >= 2 and h.startswith(lb) and h != lb for lb in labels for h in heads):
            return ev
    return None


def _unanimous_email(evidence: Sequence[EmailEvidence]) -> EmailEvidence | None:
    """The one country every institutional e-mail on the page points to strongly
    (country-code or known domains), None when they disagree or only a bare .edu speaks."""
    speaking = [ev for ev in evidence if ev.country is not None]
    if not speaking or any(ev.weight < _STRONG_EMAIL for ev in speaking):
        return None
    if len({ev.country for ev in speaking}) != 1:
        return None
    return speaking[0]


def split_marker(text: str) -> tuple[str, str]:
    """Split a leading marker ("1", "†", "a" before a capital) from an affiliation string."""
    m = _LEADING_MARKER.match(text)
    if not m:
        return "", text.strip()
    return m.group("m").replace(" ", ""), text[m.end() :].strip()


def affiliation_part(text: str) -> str:
    """The part of a string that is an affiliation for this paper.

    "Work done during an internship at Alibaba Group" → "Alibaba Group";
    "Tsinghua University; now at Google" → "Tsinghua University"; "joined Meta" → "".
    """
    move = LATER_MOVE.search(text)
    if move:
        text = text[: move.start()]
        if not AFFILIATION_WORD.search(text):
            return ""
    note = THIS_PAPER_NOTE.search(text)
    if note:
        at = _NOTE_AT.search(text, note.end())
        text = text[at.end() :] if at else text[note.end() :]
    return text.strip(" \t,;:.&([")


def is_later_move(text: str) -> bool:
    """True for notes about a later affiliation ("now at X", "joined X")."""
    return LATER_MOVE.search(text) is not None


def is_this_paper_note(text: str) -> bool:
    """True for notes naming an affiliation of this paper ("work done during internship at X")."""
    return (
        THIS_PAPER_NOTE.search(text) is not None
        and not is_later_move(text)
        and not _NOT_AFFILIATED.search(text)
    )


def printed_locations(
    text: str, matches: Sequence[Match] = (), *, cities: bool = True
) -> list[_Location]:
    """Places printed in an affiliation string outside the institution names, in order.

    Cities are looked up only when no country, state or province is printed (the city
    table is large and loads on first use), and never when `cities` is False.
    """
    found = _printed_locations(text, matches, cities=False)
    if found or not cities:
        return found
    return _printed_locations(text, matches, cities=True)


def _printed_locations(text: str, matches: Sequence[Match], *, cities: bool) -> list[_Location]:
    spans = [(m.start, m.end) for m in matches]
    out: list[_Location] = []
    for f in _FIELD.finditer(text):
        start, end = f.start(), f.end()
        if any(s < end and start < e for s, e in spans):
            continue
        field = _CODE_LIKE.sub(" ", f.group()).strip(" .-")
        field = re.sub(r"\s+", " ", field)
        if not field:
            continue
        first = not text[:start].strip()
        code = None
        named = bool(AFFILIATION_WORD.search(field))
        if not named:
            # An all-capital field is an acronym ("(OSU)"), never a city's name.
            code = place_country(field, cities=cities and not first and not field.isupper())
        if code is None:
            words = field.split(" ")
            for n in (3, 2, 1):
                if len(words) > n:
                    code = place_country(" ".join(words[-n:]), cities=False, region_first=named)
                    if code:
                        break
        if code:
            out.append(_Location(start, code, field))
    # "Atlanta, Georgia 30332, USA": the US state, not the country (the one name both
    # a state and a country carry); a zip code or another US place says so.
    us = any(loc.code == "US" for loc in out)
    out = [
        _Location(loc.start, "US", loc.surface)
        if loc.code == "GE"
        and normalize(loc.surface) == "georgia"
        and (us or _ZIP_AFTER.match(text, loc.start + len(loc.surface)))
        else loc
        for loc in out
    ]
    # "Hong Kong, China" / "Taipei, Taiwan, China": the territory, not the mainland.
    return [
        loc
        for i, loc in enumerate(out)
        if not (loc.code == "CN" and i > 0 and out[i - 1].code in _SEPARATE_FROM_CN)
    ]


def _segments(text: str, matches: Sequence[Match]) -> list[str]:
    """One piece of `text` per institution match (the last one keeps the location tail)."""
    if len(matches) == 1:
        return [text]
    out = []
    prev = 0
    for i, m in enumerate(matches):
        end = len(text) if i == len(matches) - 1 else m.end
        out.append(text[prev:end].strip(" ,;&"))
        prev = m.end
    return out


_BRANCH = re.compile(r"\s+(?:at|in)\s+([A-Z][\w'-]*(?:\s+[A-Z][\w'-]*){0,2})")


def _branch_country(text: str, m: Match) -> _Location | None:
    """A campus abroad printed right after the name: "Texas A&M University at Qatar",
    "Carnegie Mellon University in Qatar" (a country, never a city: "at Austin")."""
    branch = _BRANCH.match(text, m.end)
    if branch is None:
        return None
    code = place_country(branch.group(1), cities=False)
    if code is None or code in {c.country for c in m.candidates}:
        return None
    if normalize(branch.group(1)) in us_states()[0]:
        return None  # "University of Wisconsin at Madison" names a state's city
    return _Location(branch.start(1), code, branch.group(1))


def _location_for(m: Match, locations: Sequence[_Location]) -> _Location | None:
    after = [loc for loc in locations if loc.start >= m.end]
    if after:
        return after[0]
    before = [loc for loc in locations if loc.start < m.start]
    return before[-1] if before else None


def _disambiguate(
    m: Match,
    emails: Sequence[EmailEvidence],
    context: Counter[str],
    context_text: str,
) -> tuple[Institution, str, float]:
    """Pick among institutions sharing a name; returns it, the evidence text and the
    evidence's weight (0 when nothing on the page speaks for it)."""
    best: tuple[float, int, Institution, str] | None = None
    for rank, inst in enumerate(m.candidates):
        score = 0.0
        reasons = []
        for ev in emails:
            if inst in ev.institutions:
                score += 3 * _STRONG_EMAIL
                reasons.append(f"email {ev.domain}")
            elif ev.country == inst.country:
                score += ev.weight
                reasons.append(ev.reason.removeprefix("email: ") or ev.domain)
        co = context.get(inst.country, 0)
        if co:
            score += co
            reasons.append(f"{co} co-affiliation(s) in {inst.country}")
        if inst.city and re.search(rf"\b{re.escape(inst.city)}\b", context_text):
            score += _STRONG_EMAIL
            reasons.append(f"city {inst.city}")
        key = (score, -rank)
        if best is None or key > (best[0], best[1]):
            best = (score, -rank, inst, ", ".join(reasons))
    assert best is not None
    inst, why = best[2], best[3]
    if why:
        return inst, f"context: {inst.name} ({why})", best[0]
    return inst, f"gazetteer: {inst.name}", 0.0


def resolve_affiliations(
    strings: Sequence[str],
    emails: Sequence[str],
    context_text: str,
    gazetteer: Gazetteer,
) -> tuple[Affiliation, ...]:
    """Resolve printed affiliation strings to institutions and countries.

    Each string may start with its marker ("1Tsinghua University", "† Google",
    "aMeta"); it is split off into `Affiliation.marker`. A string naming several
    institutions gives one `Affiliation` per institution. `emails` are the addresses
    printed with the authors; `context_text` is the page text around the byline
    (cities named there help with ambiguous names). With no strings at all, the
    e-mail domains alone decide (rule 4 of the module docstring).
    """
    groups = resolve_affiliation_groups(strings, emails, context_text, gazetteer)
    return _dedupe([a for group in groups for a in group])


def resolve_affiliation_groups(
    strings: Sequence[str],
    emails: Sequence[str],
    context_text: str,
    gazetteer: Gazetteer,
) -> list[tuple[Affiliation, ...]]:
    """Like `resolve_affiliations`, but one tuple per input string (empty for a string
    that is no affiliation), plus one trailing tuple of e-mail-derived affiliations
    when `strings` gives none."""
    email_evs = [email_evidence(e, gazetteer) for e in dict.fromkeys(emails)]
    parsed: list[tuple[str, str, list[Match], list[_Location]]] = []
    owners: list[int] = []
    for owner, raw in enumerate(strings):
        whole = _unbracket(normalize_text(raw))
        marker, text = split_marker(whole)
        if marker and any(m.start == 0 for m in gazetteer.find(whole)):
            marker, text = "", whole.strip()  # "xAI", "01.AI", "iFLYTEK": the name itself
        text = affiliation_part(text)
        for part in _split_joined(text, gazetteer) if text else [text]:
            matches = _collapse(gazetteer.find(part)) if part else []
            parsed.append((marker, part, matches, printed_locations(part, matches)))
            owners.append(owner)

    context: Counter[str] = Counter()
    for _, _, matches, locations in parsed:
        for m in matches:
            loc = _location_for(m, locations)
            countries = {c.country for c in m.candidates}
            if loc is not None:
                context[loc.code] += 1
            elif len(countries) == 1:
                context[next(iter(countries))] += 1
        if not matches:
            for loc in locations[-1:]:
                context[loc.code] += 1

    parts: list[tuple[Affiliation, ...]] = []
    for marker, text, matches, locations in parsed:
        out: list[Affiliation] = []
        parts.append(())
        if not text:
            continue
        if not matches:
            loc = locations[-1] if locations else None
            country, evidence = (loc.code, f"printed: {loc.surface}") if loc else (None, "unknown")
            if loc is None:
                own = _own_email(text, email_evs)
                if own is not None:
                    country, evidence = own.country, f"email: {own.domain} (its own domain)"
            if country is None or country == "CN":
                # "Quux University of Hong Kong, China" is in Hong Kong.
                named = place_in_name(text, anywhere=bool(AFFILIATION_WORD.search(text)))
                if named and (country is None or named[0] in _SEPARATE_FROM_CN):
                    country, evidence = named[0], f"printed: {named[1]} (in the name)"
            out.append(
                Affiliation(
                    text=text, institution=None, country=country, evidence=evidence, marker=marker
                )
            )
            parts[-1] = tuple(out)
            continue
        picked: list[tuple[Institution, Affiliation]] = []
        for m, segment in zip(matches, _segments(text, matches), strict=True):
            loc = _branch_country(text, m) or _location_for(m, locations)
            countries = {c.country for c in m.candidates}
            territory = [c for c in m.candidates if c.country in _SEPARATE_FROM_CN]
            if loc is not None and loc.code == "CN" and len(territory) == len(m.candidates):
                # "The University of Hong Kong, China": the territory, not the mainland.
                inst = territory[0]
                country, evidence = inst.country, f"gazetteer: {inst.name}"
            elif loc is not None:
                georgia = loc.code == "GE" and normalize(loc.surface) == "georgia"
                if georgia and countries == {"US"}:  # "University of Georgia, Athens, Georgia"
                    loc = _Location(loc.start, "US", loc.surface)
                same = [c for c in m.candidates if c.country == loc.code]
                inst = same[0] if same else m.candidates[0]
                country, evidence = loc.code, f"printed: {loc.surface}"
                if not same and not gazetteer.is_curated(inst):
                    # A registry name printed in another country is a namesake, not it.
                    why = f"{evidence} ({inst.name}, {inst.country} in the registry, is another)"
                    out.append(Affiliation(segment, None, country, why, marker))
                    continue
            elif len(countries) == 1 and not m.needs_context:
                inst = m.candidates[0]
                country, evidence = inst.country, f"gazetteer: {inst.name}"
            else:
                inst, evidence, weight = _disambiguate(m, email_evs, context, context_text)
                country = inst.country
                if weight <= 0:
                    places = ", ".join(sorted(countries))
                    why = f"ambiguous: {m.surface} exists in {places}; nothing printed decides"
                    out.append(Affiliation(segment, None, None, why, marker))
                    continue
            picked.append(
                (inst, Affiliation(segment, inst.name, country, evidence, marker, _ror(inst)))
            )
        # A parent printed next to its sub-unit ("ICT, Chinese Academy of Sciences") is
        # carried by the sub-unit's roll-up.
        above = {a for inst, _ in picked for a in gazetteer.ancestors(inst)}
        kept = [(inst, aff) for inst, aff in picked if inst not in above]
        if len(kept) == 1 and len(picked) > 1:
            kept = [(kept[0][0], replace(kept[0][1], text=text))]
        for inst, aff in kept:
            out.extend(roll_up(aff, inst, gazetteer))
        parts[-1] = tuple(out)

    merged: list[list[Affiliation]] = [[] for _ in strings]
    for owner, affs in zip(owners, parts, strict=True):
        merged[owner].extend(affs)
    groups = [tuple(g) for g in merged]
    if not any(groups):
        groups.append(tuple(_from_emails(email_evs, gazetteer)))
    return _single_unknown_by_email(groups, email_evs)


_WRAPPED = re.compile(r"^\s*[\[(](?P<inner>[^\[\]()]*)[\])]\s*[.;,]?\s*$")
_JOIN = re.compile(r"\s+(?:and|&)\s+(?=[A-Z])|\s*;\s*")


def _unbracket(text: str) -> str:
    """A whole affiliation printed in brackets ("[Tsinghua University, Beijing]")."""
    m = _WRAPPED.match(text)
    return m.group("inner").strip() if m else text


def _split_joined(text: str, gazetteer: Gazetteer) -> list[str]:
    """Two affiliations joined by "and", "&" or ";" ("Univ. of X, Germany and Y Institute,
    Paris, France"): split where the left part ends with a printed place, so each keeps
    its own country. Names with "and" inside ("Department of Electrical and Computer
    Engineering") end with no place and stay whole."""
    out = []
    prev = 0
    for sep in _JOIN.finditer(text):
        left = text[prev : sep.start()]
        last = left.rsplit(",", 1)[-1] if "," in left else ""
        last = _CODE_LIKE.sub(" ", last).strip(" .")
        if sep.group().strip() == ";" or (last and place_country(last, cities=True)):
            out.append(left.strip())
            prev = sep.end()
    out.append(text[prev:].strip())
    return [p for p in out if p] or [text]


def _single_unknown_by_email(
    groups: list[tuple[Affiliation, ...]], email_evs: Sequence[EmailEvidence]
) -> list[tuple[Affiliation, ...]]:
    """One unknown institution and nothing else on the page: when every institutional
    e-mail points to one country, the authors' addresses are that institution's
    ("Active Vision Lab, University of Oxford" with ``@robots.ox.ac.uk`` → GB)."""
    affs = [a for group in groups for a in group]
    if not affs or any(a.country or a.institution for a in affs):
        return groups
    if len({a.text for a in affs}) != 1:
        return groups
    ev = _unanimous_email(email_evs)
    if ev is None:
        return groups
    why = f"{ev.reason} (every author e-mail)"
    return [tuple(replace(a, country=ev.country, evidence=why) for a in g) for g in groups]


def _ror(inst: Institution | None) -> str | None:
    return f"https://ror.org/{inst.ror}" if inst is not None and inst.ror else None


def roll_up(aff: Affiliation, inst: Institution, gazetteer: Gazetteer) -> list[Affiliation]:
    """An affiliation to a sub-unit as a bibliometrician signs it (``parent`` column of the
    gazetteer): anything inside a university (school, lab, institute) becomes the
    university; any other child (a CAS institute) is kept and its parents are added.
    Countries never change: the parents take the child's (possibly printed) country."""
    ancestors = gazetteer.ancestors(inst)
    if not ancestors:
        return [aff]
    out = [aff]
    for i, anc in enumerate(ancestors):
        if anc.kind == "university":
            why = f"{aff.evidence}; {inst.name} is part of it"
            out = [Affiliation(aff.text, anc.name, aff.country, why, aff.marker, _ror(anc))]
            ancestors = ancestors[i + 1 :]
            break
    for anc in ancestors:
        why = f"parent of {inst.name} (gazetteer)"
        out.append(Affiliation(aff.text, anc.name, aff.country, why, aff.marker, _ror(anc)))
    return out


def _collapse(matches: Sequence[Match]) -> list[Match]:
    """Merge repeated names of one institution in a string ("KAIST, Korea Advanced ...")."""
    out: list[Match] = []
    for m in matches:
        if out and set(out[-1].candidates) == set(m.candidates):
            continue
        out.append(m)
    return out


def _from_emails(evidence: Sequence[EmailEvidence], gazetteer: Gazetteer) -> list[Affiliation]:
    """Affiliations read off e-mail domains when nothing else is printed."""
    strong: list[Affiliation] = []
    weak: list[Affiliation] = []
    for ev in evidence:
        if ev.country is None:
            continue
        inst = ev.institutions[0] if ev.institutions else None
        aff = Affiliation(
            text=ev.domain,
            institution=inst.name if inst else None,
            country=ev.country,
            evidence=ev.reason,
            ror=_ror(inst),
        )
        affs = roll_up(aff, inst, gazetteer) if inst else [aff]
        (strong if ev.weight >= _STRONG_EMAIL else weak).extend(affs)
    return strong or weak


def _dedupe(affs: Sequence[Affiliation]) -> tuple[Affiliation, ...]:
    seen: set[tuple[str, str | None, str | None, str]] = set()
    out = []
    for a in affs:
        key = (a.text, a.institution, a.country, a.marker)
        if key not in seen:
            seen.add(key)
            out.append(a)
    return tuple(out)


def resolve(text: str, gazetteer: Gazetteer | None = None) -> list[Affiliation]:
    """Resolve one raw affiliation string to institutions, ROR ids and countries.

    The public entry point for strings that come without a paper around them (publisher
    metadata, a spreadsheet column): ``resolve("Dept. of EE, Tsinghua Univ., Beijing
    100084, China")`` gives Tsinghua University, ``https://ror.org/03cve4549``, CN. Lines
    of a multi-line string are separate affiliations; e-mail addresses in the text count
    as evidence; a string that names nothing known and prints no place gives one
    `Affiliation` with ``country=None``. Uses the built-in gazetteer (registry layer and
    curated rows, plus the user file) unless `gazetteer` is given.
    """
    if gazetteer is None:
        from indexer.gazetteer import load_gazetteer

        gazetteer = load_gazetteer()
    lines = [normalize_text(line).strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        return []
    emails = [m.group(0) for line in lines for m in _EMAIL.finditer(line)]
    strings = [_EMAIL.sub(" ", line).strip(" ,;") for line in lines]
    return list(resolve_affiliations(strings, emails, " ".join(lines), gazetteer))
