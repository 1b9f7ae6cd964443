"""Who wrote a demo paper: institutions, countries, authors, e-mails and the page-1
footnotes, drawn from the name pools in `indexer/data/demo_institutions.toml` so the
bylines pose the layouts and traps of real papers.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from indexer.demo.sources import demo_data


@dataclass
class _Inst:
    """One institution printed in a paper."""

    d: dict[str, Any]
    dept: str
    show_loc: bool

    @property
    def name(self) -> str:
        return str(self.d["name"])

    def printed(self, with_dept: bool = True) -> str:
        parts = [self.dept] if (self.dept and with_dept) else []
        parts.append(self.name)
        if self.show_loc:
            parts += [self.d["city"], self.d["printed"]]
        return ", ".join(parts)


@dataclass
class Author:
    """One author of a generated paper."""

    given: str
    family: str
    chinese: bool
    insts: list[int] = field(default_factory=list)
    marks: str = ""
    email: str = ""

    @property
    def name(self) -> str:
        return f"{self.given} {self.family}"


@dataclass
class Plan:
    """Everything decided about one paper before its text is written."""

    index: int
    template: str
    year: int
    aff_style: str
    insts: list[_Inst]
    authors: list[Author]
    org: dict[str, Any] | None
    area_key: str
    area: dict[str, Any]
    method: str
    title: str
    numeric_cites: bool
    two_column: bool
    footnotes: list[str] = field(default_factory=list)
    extra_affils: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    email_line: str = ""

    @property
    def anonymous(self) -> bool:
        return self.aff_style == "none"


_TEMPLATES = {  # template -> (weight, two-column, numeric citations); *_sub only by scenario
    "neurips": (0.40, False, True),
    "neurips_preprint": (0.11, False, True),
    "iclr": (0.14, False, False),
    "icml": (0.13, True, False),
    "icml_preprint": (0.05, True, False),
    "twocol": (0.13, True, True),
    "neurips_sub": (0.0, False, True),
    "icml_sub": (0.0, True, False),
    "iclr_sub": (0.0, False, False),
}
_LEAD_COUNTRY = {
    "CN": 0.38,
    "US": 0.36,
    "GB": 0.05,
    "SG": 0.035,
    "HK": 0.03,
    "DE": 0.03,
    "KR": 0.02,
    "CA": 0.02,
    "FR": 0.02,
    "JP": 0.015,
    "CH": 0.015,
    "AE": 0.01,
    "TW": 0.01,
    "IL": 0.005,
    "NL": 0.005,
    "IT": 0.005,
}
# Fixed scenarios for the first papers so that even a tiny corpus covers every layout.
SCENARIOS: list[dict[str, Any]] = [
    {"template": "neurips", "style": "numbered", "lead": "CN"},
    {"template": "icml", "style": "footnote", "lead": "US", "collab": "CN"},
    {"template": "neurips", "style": "blocks", "lead": "GB"},
    {"template": "neurips_preprint", "style": "org", "org": "DeepSeek-AI"},
    {"template": "neurips_sub", "style": "none"},
    {"template": "neurips_preprint", "style": "gmail"},
    {"template": "iclr", "style": "numbered", "lead": "CN", "trap": "northeastern-CN"},
    {"template": "twocol", "style": "blocks", "lead": "US", "trap": "northeastern-US"},
    {"template": "icml_preprint", "style": "footnote", "lead": "CN", "appendix": True},
    {"template": "neurips", "style": "numbered", "lead": "US", "collab": "CN", "appendix": True},
]


def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _ascii(s: str) -> str:
    return (
        unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower().replace(" ", "")
    )


def _person(rng: random.Random, country: str) -> Author:
    names = demo_data()["institutions"]["names"]
    trad = _weighted(rng, demo_data()["institutions"]["name_mix"].get(country, {"western": 1.0}))
    pool = names[trad]
    return Author(rng.choice(pool["given"]), rng.choice(pool["family"]), trad == "chinese")


def _local_part(rng: random.Random, a: Author) -> str:
    g, f = _ascii(a.given).replace("-", ""), _ascii(a.family).replace("-", "")
    if a.chinese:
        return rng.choice([f"{f}{g}", f"{g}{f}", f"{g}.{f}", f"{f}{g}{rng.randint(18, 24)}"])
    return rng.choice([f"{g}.{f}", f"{g[0]}{f}", f"{g}", f"{f}"])


def _pick_insts(rng: random.Random, scen: dict[str, Any]) -> list[_Inst]:
    pool = demo_data()["institutions"]["institution"]
    lead = scen.get("lead") or _weighted(rng, _LEAD_COUNTRY)
    k = rng.choices([1, 2, 3, 4], weights=[0.3, 0.35, 0.22, 0.13])[0]
    countries = [lead]
    for _ in range(k - 1):
        r = rng.random()
        if lead == "CN":
            c = (
                "HK"
                if r < 0.10
                else "US"
                if r < 0.16
                else rng.choice(["SG", "GB", "AE"])
                if r < 0.2
                else "CN"
            )
        elif lead == "US":
            c = (
                "CN"
                if r < 0.07
                else rng.choice(["GB", "CA", "DE", "SG", "KR", "CH"])
                if r < 0.2
                else "US"
            )
        else:
            c = (
                lead
                if r < 0.55
                else "US"
                if r < 0.75
                else "CN"
                if r < 0.85
                else _weighted(rng, _LEAD_COUNTRY)
            )
        countries.append(c)
    if scen.get("collab"):
        countries.append(scen["collab"])
    trap = scen.get("trap", "")
    chosen: list[dict[str, Any]] = []
    if trap.startswith("northeastern"):
        want = trap.split("-")[1]
        chosen.append(
            next(d for d in pool if d.get("trap") == "northeastern" and d["country"] == want)
        )
        if want == "CN" and len(countries) < 2:
            countries.append("CN")
        countries = countries[1:]
    for c in countries:
        cands = [
            d for d in pool if d["country"] == c and d["name"] not in {x["name"] for x in chosen}
        ]
        if not trap:
            cands = [d for d in cands if d.get("trap") != "northeastern" or rng.random() < 0.5]
        if cands:
            chosen.append(rng.choices(cands, weights=[d.get("weight", 1.0) for d in cands])[0])
    insts = []
    for d in chosen:
        if d.get("force_location") or (d.get("trap") and d["country"] == "US"):
            show = True
        elif d.get("located", True) is False or d.get("trap"):
            show = False
        else:
            show = rng.random() < 0.5
        dept = rng.choice(d["depts"]) if d.get("depts") and rng.random() < 0.4 else ""
        insts.append(_Inst(d, dept, show))
    return insts


def make_plan(rng: random.Random, index: int) -> Plan:
    data = demo_data()
    scen = SCENARIOS[index] if index < len(SCENARIOS) else {}
    if index % 100 == 57:  # one more anonymous submission per hundred papers
        scen = {"template": "icml_sub" if index % 200 == 57 else "iclr_sub"}
    template = scen.get("template") or _weighted(rng, {k: v[0] for k, v in _TEMPLATES.items()})
    _, two_col, numeric = _TEMPLATES[template]
    if template.endswith("_sub"):
        style = "none"
    elif template.startswith("icml"):
        style = "footnote"
    else:
        style = scen.get("style") or _weighted(
            rng,
            {"numbered": 0.62, "blocks": 0.26, "org": 0.06, "gmail": 0.03}
            if template != "iclr" and template != "twocol"
            else {"numbered": 0.75, "blocks": 0.25},
        )
    year = 2025 if template.endswith("_sub") else rng.choice([2024, 2025])
    area_key = rng.choice(sorted(data["prose"]["area"]))
    area = data["prose"]["area"][area_key]
    words = data["prose"]["words"]
    method = _method_name(rng, words)
    task = rng.choice(area["tasks"])
    title = (
        rng.choice(area["titles"])
        .replace("{Method}", method)
        .replace("{Adj}", rng.choice(words["adjs"]))
        .replace("{Task}", _title_case(task))
    )
    plan = Plan(
        index, template, year, style, [], [], None, area_key, area, method, title, numeric, two_col
    )
    if style == "org":
        orgs = data["institutions"]["org_byline"]
        plan.org = next((o for o in orgs if o["name"] == scen.get("org")), None) or rng.choice(orgs)
    _plan_people(rng, plan, scen)
    return plan


def _title_case(s: str) -> str:
    small = {"of", "and", "for", "in", "with", "the", "a", "to", "on"}
    return " ".join(
        w if w in small and i else w[:1].upper() + w[1:] for i, w in enumerate(s.split())
    )


def _method_name(rng: random.Random, words: dict[str, Any]) -> str:
    while True:
        name = rng.choice(words["method_heads"]) + rng.choice(words["method_tails"])
        if rng.random() < 0.3:
            name = name.upper()
        if not _names_a_model(name):
            return name


def _names_a_model(s: str) -> bool:
    """True when a generated method name would contain a catalogued model name."""
    return any(word in s.lower() for word in _model_words())


@cache
def _model_words() -> tuple[str, ...]:
    models = demo_data()["models"]["model"]
    words = {mid.split("-")[0] for mid in models}
    for m in models.values():
        words.update(n.split("-")[0].split()[0].lower() for n in m["mention"])
    return tuple(sorted(w for w in words if len(w) > 1))


def _plan_people(rng: random.Random, plan: Plan, scen: dict[str, Any]) -> None:
    style = plan.aff_style
    if style == "none":
        plan.notes.append("Anonymous double-blind submission: no authors, institutions or e-mails.")
        return
    if style == "gmail":
        for _ in range(rng.randint(1, 3)):
            a = _person(rng, rng.choice(["US", "CN", "GB", "DE"]))
            a.email = f"{_local_part(rng, a)}@gmail.com"
            plan.authors.append(a)
        plan.notes.append("Personal gmail addresses only: no institution, no country.")
        _note_name_traps(plan)
        return
    if style == "org":
        org = plan.org or {}
        country = org.get("country", "US")
        plan.authors = [_person(rng, country) for _ in range(rng.randint(3, 9))]
        plan.notes.append(f"Organisation-only byline '{org.get('name')}' (no location printed).")
        _note_name_traps(plan)
        return
    insts = _pick_insts(rng, scen)
    plan.insts = insts
    n_auth = rng.randint(max(2, len(insts)), 6 if style == "blocks" else 10)
    for i in range(n_auth):
        k = i % len(insts) if i < len(insts) else rng.randrange(len(insts))
        a = _person(rng, insts[k].d["country"])
        a.insts = [k]
        if style != "blocks" and len(insts) > 1 and rng.random() < 0.2:
            other = rng.randrange(len(insts))
            if other != k:
                a.insts = sorted([k, other])
        plan.authors.append(a)
    # markers must be numbered in order of first appearance, as LaTeX authors do
    order: list[int] = []
    for a in plan.authors:
        for k in a.insts:
            if k not in order:
                order.append(k)
    plan.insts = [insts[k] for k in order]
    for a in plan.authors:
        a.insts = sorted(order.index(k) for k in a.insts)
        dom = plan.insts[a.insts[0]].d
        host = dom.get("sub") if rng.random() < 0.5 and dom.get("sub") else dom["domain"]
        a.email = f"{_local_part(rng, a)}@{host}"
    for k, inst in enumerate(plan.insts):
        if inst.d.get("trap") == "northeastern" and inst.d["country"] == "CN":
            a = next(a for a in plan.authors if k in a.insts)
            a.email = f"{a.email.partition('@')[0]}@{inst.d['domain']}"
    _plan_footnotes(rng, plan)


def at_neu(plan: Plan, a: Author) -> bool:
    return any(plan.insts[k].d.get("trap") == "northeastern" for k in a.insts)


def _plan_footnotes(rng: random.Random, plan: Plan) -> None:
    pool = demo_data()["institutions"]["institution"]
    names = {i.name for i in plan.insts}
    notes: list[str] = []
    if len(plan.authors) > 2 and rng.random() < 0.5:
        for a in plan.authors[:2]:
            a.marks += "*"
        notes.append("^{*}Equal contribution.")
    if rng.random() < 0.4:
        plan.authors[-1].marks += "\u2020"
        notes.append("^{\u2020}Corresponding author.")
    countries = {i.d["country"] for i in plan.insts}
    if rng.random() < 0.15 and len(plan.authors) > 1:
        cands = [
            d
            for d in pool
            if d.get("located") is False
            and not d.get("trap")
            and d["name"] not in names
            and d["country"] in countries
        ]
        if cands:
            d = rng.choice(cands)
            plan.authors[1].marks += "\u2021"
            notes.append(f"^{{\u2021}}Work done during an internship at {d['name']}.")
            plan.extra_affils.append((d["name"], d["country"]))
            plan.notes.append(
                f"'Work done during an internship at {d['name']}' counts ({d['country']})."
            )
    if rng.random() < 0.12 and len(plan.authors) > 2:
        cands = [
            d
            for d in pool
            if d.get("located") is False
            and d["name"] not in names
            and d["country"] not in countries
            and d["name"] not in {n for n, _ in plan.extra_affils}
        ]
        if cands:
            d = rng.choice(cands)
            plan.authors[2].marks += "\u00a7"
            notes.append(f"^{{\u00a7}}Now at {d['name']}.")
            plan.notes.append(f"'Now at {d['name']}' is a later move and does not count.")
    for inst in plan.insts:
        if inst.d.get("trap") == "northeastern":
            where = (
                "CN (Shenyang: Chinese co-affiliations, .edu.cn e-mail)"
                if inst.d["country"] == "CN"
                else "US (Boston, printed)"
            )
            plan.notes.append(f"'Northeastern University' resolves to {where}.")
        if inst.name == "Google DeepMind":
            plan.notes.append("Google DeepMind without location -> GB.")
        if inst.name == "Microsoft Research Asia":
            plan.notes.append("Microsoft Research Asia -> CN.")
        if inst.d["country"] == "HK":
            plan.notes.append(f"{inst.name} ('Hong Kong, China' when located) is HK, not CN.")
        if inst.d.get("force_location"):
            plan.notes.append(f"{inst.name} printed with {inst.d['city']} -> {inst.d['country']}.")
    plan.footnotes = notes
    _note_name_traps(plan)


def _note_name_traps(plan: Plan) -> None:
    for a in plan.authors:
        if {a.given, a.family} & {"Claude", "Roberta", "Albert", "Sam", "Yi"}:
            plan.notes.append(f"Author '{a.name}' is a person, not a model.")
