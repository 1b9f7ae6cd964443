"""What a demo paper says: sections, prose with model mentions that are used or only
named, results tables, references and appendices, from the templates in
`indexer/data/demo_prose.toml` and `demo_models.toml`.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from indexer.demo.plan import Plan
from indexer.demo.sources import demo_data

_TRAP_REFS = {
    "gptq": "GPTQ",
    "gptj": "GPT-J-6B",
    "llamaindex": "LlamaIndex",
    "shannon": "A mathematical theory",
}
_TRAP_NOTES = {
    "gptq": "GPTQ quantization in the method is not gpt.",
    "gptj": "GPT-J in related work is not gpt.",
    "llamaindex": "The LlamaIndex library in the method is not llama.",
    "vicunabench": "Vicuna-Bench is a benchmark, not vicuna.",
    "ppoclip": "PPO clip ratio is not CLIP.",
    "bertscore": "BERTScore is a metric, not bert.",
    "shannon": "Shannon entropy cited in the method (reference 'Claude E. Shannon') is not claude.",
}


@dataclass
class _Pick:
    """A model form chosen for a paper and the role it plays."""

    mid: str
    name: str
    role: str


class Content:
    """Writes the sentences of one paper and records which models they use or name."""

    def __init__(self, rng: random.Random, plan: Plan, appendix: bool) -> None:
        self.rng, self.plan = rng, plan
        self.prose = demo_data()["prose"]
        self.used: dict[str, str] = {}
        self.named: dict[str, str] = {}
        self.items: list[tuple[Any, ...]] = []
        self.appendix = appendix
        self.table_no = 0
        self.decks: dict[str, list[str]] = {}
        self._pick_models()
        self._pick_refs()

    # model choice
    def _forms(self, roles: Iterable[str], exclude: set[str]) -> list[_Pick]:
        out = []
        for mid, m in sorted(demo_data()["models"]["model"].items()):
            if mid in exclude:
                continue
            for f in m["forms"]:
                for r in f["roles"]:
                    if r in roles:
                        out.append(_Pick(mid, f["name"], r))
        return out

    def _pick_models(self) -> None:
        rng, area = self.rng, self.plan.area
        taken: set[str] = set()
        self.primary: list[_Pick] = []
        forced = (self.plan.org or {}).get("uses")
        if forced:
            cands = [
                p
                for p in self._forms(area["roles"] + ["chat", "base", "code"], set())
                if p.mid == forced
            ]
            self.primary.append(rng.choice(cands))
            taken.add(forced)
        for _ in range(rng.choice([1, 2, 2, 3])):
            cands = self._forms(area["roles"], taken)
            if cands:
                p = rng.choice(cands)
                self.primary.append(p)
                taken.add(p.mid)
        self.extra: list[_Pick] = []
        if rng.random() < 0.65:
            cands = self._forms([rng.choice(area["extra_roles"])], taken)
            if cands:
                p = rng.choice(cands)
                self.extra.append(p)
                taken.add(p.mid)
        self.table_only: _Pick | None = None
        if rng.random() < 0.3:
            cands = self._forms(["vlm" if "vlm" in area["roles"] else "chat"], taken)
            if cands:
                self.table_only = rng.choice(cands)
                taken.add(self.table_only.mid)
        self.appendix_only: _Pick | None = None
        if self.appendix and rng.random() < 0.6:
            cands = self._forms(area["roles"] + ["chat"], taken)
            if cands:
                self.appendix_only = rng.choice(cands)
                taken.add(self.appendix_only.mid)
        all_ids = sorted(demo_data()["models"]["model"])
        rest = [m for m in all_ids if m not in taken]
        rng.shuffle(rest)
        k = rng.choice([0, 1, 2, 2, 3, 4])
        self.mention_ids = rest[:k]
        self.ref_only_ids = rest[k : k + rng.choice([0, 0, 1, 1, 2])]
        self.appendix_mention = (
            rest[k + 3] if self.appendix and len(rest) > k + 3 and rng.random() < 0.3 else None
        )
        self.traps = self._pick_traps()

    def _pick_traps(self) -> list[str]:
        area = self.plan.area_key
        cands = ["gptj", "shannon"]
        if area in {"reasoning", "alignment", "rag", "agents", "code", "efficiency"}:
            cands += ["gptq"]
        if area in {"reasoning", "alignment", "agents"}:
            cands += ["ppoclip"]
        if area in {"rag", "agents"}:
            cands += ["llamaindex", "bertscore"]
        if area == "alignment":
            cands += ["vicunabench"]
        self.rng.shuffle(cands)
        return sorted(cands[: self.rng.choice([0, 1, 1, 2])])

    # references
    def _pick_refs(self) -> None:
        rng = self.rng
        mdata = demo_data()["models"]
        ids = {p.mid for p in [*self.primary, *self.extra]} | set(self.mention_ids)
        if self.appendix_only:
            ids.add(self.appendix_only.mid)
        refs: list[dict[str, Any]] = []
        self.model_ref: dict[str, dict[str, Any]] = {}
        for mid in sorted(ids):
            cands = [r for r in mdata["ref"] if r["ids"] and r["ids"][0] == mid]
            if cands and rng.random() < 0.85:
                r = rng.choice(cands)
                refs.append(r)
                self.model_ref[mid] = r
        for mid in self.ref_only_ids:
            cands = [r for r in mdata["ref"] if r["ids"] and r["ids"][0] == mid]
            if cands:
                refs.append(rng.choice(cands))
        unnamed = [r for r in mdata["ref"] if not r["ids"]]
        refs += rng.sample(unnamed, rng.randint(0, 2))
        generic = [g for g in mdata["generic_ref"] if "trap" not in g]
        refs += rng.sample(generic, rng.randint(8, min(18, len(generic))))
        trap_refs = [g for g in mdata["generic_ref"] if "trap" in g]
        for key in self.traps:
            prefix = _TRAP_REFS.get(key)
            if prefix:
                refs += [g for g in trap_refs if g["title"].startswith(prefix)]
        refs += [
            g
            for g in trap_refs
            if g["title"].startswith(("Decoupling", "Efficient transformers"))
            and rng.random() < 0.3
        ]
        uniq = {r["title"]: r for r in refs}
        self.refs = sorted(
            uniq.values(), key=lambda r: (r["authors"][0].split()[-1], r["year"], r["title"])
        )
        self.generic_refs = [r for r in self.refs if not r.get("ids")]
        self.ref_named: dict[str, str] = {}
        for r in self.refs:
            for mid in r.get("ids", []):
                self.ref_named.setdefault(mid, f"references only: '{r['title']}'")
            if "trap" in r:
                self.plan.notes.append(f"References: {r['trap']}.")

    def cite(self, ref: dict[str, Any] | None = None) -> str:
        ref = ref or self.rng.choice(self.generic_refs)
        if self.plan.numeric_cites:
            return f"[{self.refs.index(ref) + 1}]"
        a = ref["authors"]
        first = (
            a[0] if len(a[0].split()) == 1 or "Team" in a[0] or " AI" in a[0] else a[0].split()[-1]
        )
        who = (
            first
            if len(a) == 1
            else f"{first} and {a[1].split()[-1]}"
            if len(a) == 2
            else f"{first} et al."
        )
        return f"({who}, {ref['year']})"

    # sentences
    def fill(self, tpl: str, **extra: str) -> str:
        rng, area = self.rng, self.plan.area
        ds = rng.sample(area["datasets"], 2)
        kws = rng.sample(area["kws"], 2)
        slots = {
            "Method": self.plan.method,
            "task": rng.choice(area["tasks"]),
            "kw": kws[0],
            "kw2": kws[1],
            "dataset": ds[0],
            "dataset2": ds[1],
            "metric": rng.choice(area["metrics"]),
            "n": str(rng.choice([4, 8, 16, 32, 64, 128, 256, 512])),
            "pct": f"{rng.uniform(1.2, 9.8):.1f}",
        }
        slots.update(extra)
        if "{cite}" in tpl and "cite" not in extra:
            slots["cite"] = self.cite()
        text = tpl.format(**slots)
        return text[0].upper() + text[1:]

    def use(self, pick: _Pick, kind: str | None = None) -> str:
        tpls = self.prose["use"][kind or pick.role]
        s = self.fill(self.rng.choice(tpls), m=pick.name)
        self.used.setdefault(pick.mid, s)
        return s

    def mention(self, kind: str, mids: list[str]) -> str:
        models = demo_data()["models"]["model"]
        names = [self.rng.choice(models[m]["mention"]) for m in mids]
        tpls = [t for t in self.prose["mention"][kind] if ("{m2}" in t) == (len(mids) > 1)]
        ref = self.model_ref.get(mids[0])
        tpl = self.rng.choice(tpls)
        if not ref:
            tpl = tpl.replace(" {cite}", "")
        s = self.fill(
            tpl,
            m=names[0],
            m2=names[1] if len(names) > 1 else "",
            cite=self.cite(ref) if ref else "",
        )
        for m in mids:
            self.named.setdefault(m, s)
        return s

    def trap(self, key: str) -> str:
        tpl = self.prose["trap"][key]
        prefix = _TRAP_REFS.get(key)
        ref = next((r for r in self.refs if prefix and r["title"].startswith(prefix)), None)
        self.plan.notes.append(_TRAP_NOTES[key])
        return self.fill(tpl, cite=self.cite(ref) if ref else "")

    def paragraph(self, section: str, k: int, extra: Sequence[str] = ()) -> str:
        deck = self.decks.setdefault(section, [])
        sents = []
        for _ in range(k):
            if not deck:
                deck.extend(self.prose["prose"][section])
                self.rng.shuffle(deck)
            sents.append(self.fill(deck.pop()))
        for s in extra:
            sents.insert(self.rng.randint(0, len(sents)), s)
        return " ".join(sents)


def _numbers(rng: random.Random, n_rows: int, n_cols: int) -> list[list[float]]:
    base = [rng.uniform(30, 78) for _ in range(n_cols)]
    rows = [[min(99.0, b + rng.uniform(-12, 6)) for b in base] for _ in range(n_rows)]
    best = [max(r[j] for r in rows) for j in range(n_cols)]
    rows.append([min(99.5, b + rng.uniform(0.6, 4.5)) for b in best])
    return rows


def _table(c: Content, picks: list[_Pick], caption_kind: str, n_cols: int) -> tuple[Any, ...]:
    rng, area = c.rng, c.plan.area
    cols = rng.sample(area["datasets"], min(n_cols, len(area["datasets"])))
    metric = rng.choice(area["metrics"])
    vals = _numbers(rng, len(picks), len(cols))
    rows = []
    for label, v in zip([p.name for p in picks] + [f"{c.plan.method} (ours)"], vals, strict=True):
        rows.append([label, *(f"{x:.1f}" for x in v), f"{sum(v) / len(v):.1f}"])
    c.table_no += 1
    caption = (
        f"Table {c.table_no}: {caption_kind} on {', '.join(cols[:-1])} and {cols[-1]} ({metric}). "
        "Best results are in the last row."
    )
    for p, row in zip(picks, rows, strict=False):
        c.used.setdefault(p.mid, f"Table {c.table_no} row '{' '.join(row)}'")
    return ("table", caption, ["Model", *cols, "Avg."], rows)


def compose(c: Content, scale: int) -> list[tuple[Any, ...]]:
    """The paper's flow: abstract, numbered sections, references, optional appendix."""
    rng, plan = c.rng, c.plan
    dot = "." if plan.template.startswith("icml") else ""
    items: list[tuple[Any, ...]] = []
    abstract = [c.fill(rng.choice(g)) for g in c.prose["abstract"]["groups"]]
    if c.primary and rng.random() < 0.5:
        abstract.insert(3, c.use(c.primary[0], "abstract"))
    items.append(("abstract", " ".join(abstract)))

    items.append(("h1", f"1{dot} Introduction"))
    intro_ids = c.mention_ids[:2] if c.mention_ids else [p.mid for p in c.primary[:2]]
    if intro_ids and rng.random() < 0.8:
        intro_ids = intro_ids[:2] if len(intro_ids) > 1 else intro_ids
        mention = c.mention("intro", intro_ids)
    else:
        mention = ""
    n_intro = 2 + scale // 2
    for i in range(n_intro):
        first = [mention] if (i == 0 and mention) else []
        last = [c.fill(c.prose["prose"]["intro_end"][0])] if i == n_intro - 1 else []
        items.append(
            ("p", c.paragraph("intro", rng.randint(5, 7), first) + (" " + last[0] if last else ""))
        )

    items.append(("h1", f"2{dot} Related Work"))
    related = [c.mention("related", [m]) for m in c.mention_ids[2:] or c.mention_ids[:1]]
    related += [c.trap(t) for t in c.traps if t == "gptj"]
    n_rel = 2 + scale // 3
    for i in range(n_rel):
        items.append(("p", c.paragraph("related", rng.randint(4, 6), related[i::n_rel])))

    items.append(("h1", f"3{dot} {rng.choice(['Method', plan.method, 'Approach', 'Methodology'])}"))
    method_uses = [c.use(p) for p in c.primary if p.role not in {"chat", "judge"}]
    method_uses += [c.trap(t) for t in c.traps if t in {"gptq", "ppoclip", "llamaindex", "shannon"}]
    n_meth = 3 + scale
    subs = rng.choice(
        [
            [],
            ["Problem Formulation", "Training Objective", "Inference"],
            ["Overview", f"{plan.method} in Detail"],
        ]
    )
    for i in range(n_meth):
        if (
            subs
            and i % max(1, n_meth // len(subs)) == 0
            and i // max(1, n_meth // len(subs)) < len(subs)
        ):
            k = i // max(1, n_meth // len(subs))
            items.append(("h2", f"3.{k + 1}{dot} {subs[k]}"))
        items.append(("p", c.paragraph("method", rng.randint(5, 7), method_uses[i::n_meth])))

    items.append(("h1", f"4{dot} Experiments"))
    items.append(("h2", f"4.1{dot} Experimental Setup"))
    setup = [c.use(p) for p in c.primary if p.role in {"chat", "judge"}]
    setup += [c.use(p) for p in c.extra]
    setup += [c.trap(t) for t in c.traps if t in {"vicunabench", "bertscore"}]
    for i in range(2):
        items.append(("p", c.paragraph("setup", rng.randint(4, 6), setup[i::2])))
    rows = [*c.primary, *[p for p in c.extra if p.role in {"chat", "vlm", "code"}]]
    if c.table_only:
        rows.append(c.table_only)
    rng.shuffle(rows)
    items.append(_table(c, rows, "Main results", 3 if plan.two_column else 4))
    items.append(("h2", f"4.2{dot} Main Results"))
    for _ in range(1 + scale // 2):
        items.append(("p", c.paragraph("results", rng.randint(5, 7))))
    items.append(("h2", f"4.3{dot} Ablation Study"))
    for _ in range(1 + scale // 2):
        items.append(("p", c.paragraph("results", rng.randint(4, 6))))
    items.append(("h2", f"4.4{dot} Analysis"))
    for _ in range(1 + scale // 2):
        items.append(("p", c.paragraph("results", rng.randint(5, 7))))

    items.append(("h1", f"5{dot} Conclusion"))
    items.append(("p", c.paragraph("conclusion", rng.randint(4, 6))))

    items.append(("refs_head", "References"))
    for i, r in enumerate(c.refs):
        a = r["authors"]
        who = (
            a[0]
            if len(a) == 1
            else ", ".join(a[:-1]) + (", and " if len(a) > 2 else " and ") + a[-1]
        )
        text = f"{who}. {r['title']}. {r['where']}, {r['year']}."
        items.append(("ref", f"[{i + 1}] {text}" if plan.numeric_cites else text))

    if c.appendix:
        items.append(("newpage",))
        items.append(("h1", f"A{dot} Additional Experiments"))
        extra = []
        if c.appendix_only:
            extra.append(c.use(c.appendix_only, "appendix"))
        if c.appendix_mention:
            extra.append(c.mention("appendix", [c.appendix_mention]))
        for i in range(2):
            items.append(("p", c.paragraph("appendix", rng.randint(3, 5), extra[i::2])))
        if c.appendix_only and rng.random() < 0.5:
            items.append(
                _table(c, [c.appendix_only], "Additional results", 3 if plan.two_column else 4)
            )
        items.append(("h1", f"B{dot} Implementation Details"))
        for _ in range(1 + scale // 3):
            items.append(("p", c.paragraph("setup", rng.randint(4, 6))))
        if c.appendix_only:
            plan.notes.append(
                f"{c.appendix_only.name} is used only in the appendix after the references."
            )
    return items
