"""One normal form for institution names, shared by the registry build and the matcher.

Papers print the same institution as "Technische Universität München", "Tech. Univ.
Munich", "TU München", "Universidad de Chile" or "Dept. of EE, Tsinghua Univ.". The
registry lists one display name plus some aliases and labels in other languages. Both
sides go through `name_key`/`text_tokens`, which fold accents, expand the usual
abbreviations ("Univ." → university, "Inst." → institute, "Technol." → technology),
map the common non-English institution words to their English form (Universität,
Université, Universidad, Politecnico, Instituto …) and drop function words (of, the,
de, di, für …), so "Universidad de Chile" and "University of Chile" give the same key.
The build step (`indexer.gazetteer_build`) stores these keys; at run time an
affiliation line is cut into the same tokens and its n-grams are looked up in a dict.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# fmt: off
_STOP = frozenset({
    "of", "the", "de", "di", "del", "della", "delle", "degli", "dei", "des", "du", "la", "le",
    "les", "der", "die", "das", "fur", "for", "at", "in", "and", "y", "e", "et", "und", "da",
    "do", "dos", "d", "l", "och", "en", "an", "am", "im", "zu", "il", "lo", "el",
})
# fmt: on

_WORDS = {
    "university": (
        "univ universitat universitaet universite universidad universidade universita "
        "universiteit universitet universitatea uniwersytet universiti universitas "
        "univerzita univerza universiteti universitario universitaria universitair"
    ),
    "institute": "inst institut instituto istituto institutet instytut institutt instituut",
    "technology": "tech technol technologies technologie technologia tecnologia",
    "department": "dept dep depts departamento dipartimento departement departament",
    "laboratory": "lab labs laboratories laboratoire laboratorio laboratorium labor",
    "center": "ctr centre centres centers centro zentrum centrum",
    "science": "sci sciences scientific wissenschaften ciencias scienze sciences",
    "academy": "acad academia akademie accademia akademia academie",
    "national": "natl nat nacional nazionale nationale nationaal",
    "international": "intl internacional internazionale",
    "college": "coll",
    "polytechnic": (
        "polytech polytechnique politecnico politecnica politechnika polytechnical "
        "politehnica politecnic"
    ),
    "engineering": "eng engn engr ingenieria ingegneria",
    "research": "res",
    "hospital": "hosp",
    "school": "ecole escola escuela scuola",
    "computer": "comput",
    "technical": "technische technischen tecnica tecnico technicka technicke technicky teknik",
    "saint": "st ste",
    "mount": "mt",
    "mathematics": "math maths",
    # IEEE/INSPEC abbreviations ("Korea Adv. Inst. of Sci. & Technol.").
    "advanced": "adv",
    "telecommunications": "telecommun telecomm telecommunication",
    "communication": "commun communications",
    "aeronautics": "aeronaut aeronautical",
    "astronautics": "astronaut",
    "electronic": "electron electronics",
    "electrical": "electr elect",
    "agricultural": "agric agr",
    "federal": "fed federale federale federaal",
    "statistical": "stat",
    "economics": "econ economic",
    "aerospace": "aerosp",
    "physics": "phys",
    "chemical": "chem",
    "mechanical": "mech",
    "systems": "syst",
    "software": "softw",
    "environmental": "environ",
    "applied": "appl",
    "management": "manage mgmt",
    "medical": "med",
    "biomedical": "biomed",
    "informatics": "informatik informatique informatica",
}
_SYNONYM = {alt: word for word, alts in _WORDS.items() for alt in alts.split()}
_TOKEN = re.compile(r"[^\W_]+")
_FOLD = str.maketrans(
    {"ß": "ss", "ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ł": "l"}
    | {"Ł": "l", "đ": "d", "Đ": "d", "ı": "i", "þ": "th", "ð": "d"}
)


@dataclass(frozen=True, slots=True)
class Token:
    """One word of a text with its normal form."""

    start: int
    """Offset of the word in the text."""
    end: int
    """Offset just past the word."""
    key: str
    """Normal form ("university" for "Univ."); empty for a function word."""
    upper: bool
    """The word starts with a capital letter or a digit."""


def fold(word: str) -> str:
    """Lower case without accents ("München" → "munchen")."""
    word = word.translate(_FOLD)
    if not word.isascii():
        word = "".join(
            c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c)
        )
    return word.lower()


def word_key(word: str) -> str:
    """Normal form of one word: folded, abbreviation expanded; "" for a function word."""
    low = fold(word)
    if low in _STOP:
        return ""
    return _SYNONYM.get(low, low)


def text_tokens(text: str) -> list[Token]:
    """The words of a text with offsets and normal forms (function words keep an empty key)."""
    out = []
    for m in _TOKEN.finditer(text):
        word = m.group()
        out.append(
            Token(m.start(), m.end(), word_key(word), word[0].isupper() or word[0].isdigit())
        )
    return out


def name_key(name: str) -> str:
    """Normal form of a whole name: its non-function words' keys joined by spaces."""
    return " ".join(k for k in (word_key(m.group()) for m in _TOKEN.finditer(name)) if k)
