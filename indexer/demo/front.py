"""The page-1 front matter of a demo paper: title, byline in the layout the plan
chose (markers, per-author blocks, ICML footnotes, one organisation), e-mails and
the venue line.
"""

from __future__ import annotations

import random

from indexer.demo.plan import Author, Plan, at_neu
from indexer.demo.typeset import Canvas, Style, Typesetter, draw_lines

_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def make_style(rng: random.Random, plan: Plan) -> Style:
    t, year = plan.template, plan.year
    if plan.two_column:
        if t.startswith("icml"):
            st = Style(
                columns=((63.0, 297.0), (315.0, 549.0)),
                size=9.5,
                leading=11.0,
                parskip=4.0,
                head_size=11.0,
                running_title=plan.title if len(plan.title) < 90 else plan.method,
            )
        else:
            st = Style(
                columns=((72.0, 291.0), (321.0, 540.0)),
                size=10.0,
                leading=12.0,
                parskip=0.0,
                indent=10.0,
                head_size=12.0,
            )
    else:
        st = Style(columns=((108.0, 504.0),), upper_heads=t.startswith("iclr"))
    if t == "neurips":
        st.footer1 = (
            f"{38 if year == 2024 else 39}th Conference on Neural Information Processing Systems "
            f"(NeurIPS {year})."
        )
    elif t == "neurips_preprint":
        st.footer1 = "Preprint. Under review."
    elif t == "neurips_sub":
        st.footer1 = (
            "Submitted to 39th Conference on Neural Information Processing Systems "
            "(NeurIPS 2025). Do not distribute."
        )
    elif t == "iclr":
        st.header = f"Published as a conference paper at ICLR {year}"
    elif t == "iclr_sub":
        st.header = f"Under review as a conference paper at ICLR {year}"
    if not t.endswith("_sub") and (
        t in {"neurips_preprint", "twocol", "icml_preprint"} or rng.random() < 0.3
    ):
        month = rng.randint(1, 12)
        st.stamp = (
            f"arXiv:{year % 100}{month:02d}.{rng.randint(1000, 19999):05d}v{rng.randint(1, 3)} "
            f"[cs.{rng.choice(['CL', 'LG', 'CV', 'AI'])}] "
            f"{rng.randint(1, 28)} {_MONTHS[month - 1]} {year}"
        )
    return st


def plan_venue(plan: Plan) -> str | None:
    names = {"neurips": "NeurIPS", "icml": "ICML", "iclr": "ICLR"}
    return f"{names[plan.template]} {plan.year}" if plan.template in names else None


def _icml_venue_line(plan: Plan) -> str:
    if plan.template == "icml_sub":
        return (
            "Preliminary work. Under review by the International Conference on Machine Learning "
            "(ICML). Do not distribute."
        )
    if plan.template == "icml_preprint":
        return "Preprint."
    if plan.year == 2024:
        return (
            "Proceedings of the 41st International Conference on Machine Learning, "
            "Vienna, Austria. "
            "PMLR 235, 2024. Copyright 2024 by the author(s)."
        )
    return (
        "Proceedings of the 42nd International Conference on Machine Learning, Vancouver, Canada. "
        "PMLR 267, 2025. Copyright 2025 by the author(s)."
    )


def _author_unit(a: Author, markers: bool) -> str:
    marks = ",".join(str(k + 1) for k in a.insts) if markers else ""
    sym = a.marks
    sup = f"{sym}{marks}" if sym else marks
    return f"{a.name}^{{{sup}}}" if sup else a.name


def _emails(rng: random.Random, plan: Plan) -> str:
    needs = any(i.d.get("trap") == "northeastern" and i.d["country"] == "CN" for i in plan.insts)
    mode = rng.choice(["none", "grouped", "grouped", "list"])
    if needs:
        mode = "grouped"  # the .edu.cn address is what places this Northeastern in China
    if mode == "none":
        return ""
    if mode == "list":
        return ", ".join(a.email for a in plan.authors[: rng.randint(2, 4)] if a.email) or ""
    groups: dict[str, list[str]] = {}
    for a in plan.authors:
        local, _, dom = a.email.partition("@")
        groups.setdefault(dom, []).append(local)
    parts = [f"{{{','.join(v)}}}@{k}" if len(v) > 1 else f"{v[0]}@{k}" for k, v in groups.items()]
    return "  ".join(parts)


def typeset_front(ts: Typesetter, rng: random.Random, plan: Plan) -> None:
    """Title, byline, affiliations and page-1 notes; leaves ts.y below them."""
    cv = ts.canvas
    x0, x1 = ts.st.columns[0][0], ts.st.columns[-1][1]
    t = plan.template
    y = ts.st.top
    center = not t.startswith("iclr")
    if t.startswith("neurips"):
        cv.rule(x0, y + 4, x1, 4)
        y = draw_lines(cv, plan.title, x0, x1, y + 10, "B", 17, 20)
        cv.rule(x0, y + 10, x1, 1)
        y += 24
    elif t.startswith("icml"):
        cv.rule(x0, y, x1, 1)
        y = draw_lines(cv, plan.title, x0, x1, y + 4, "B", 14, 17)
        cv.rule(x0, y + 8, x1, 0.5)
        y += 20
    elif t.startswith("iclr"):
        y = draw_lines(cv, plan.title.upper(), x0, x1, y + 4, "B", 16, 19, align="left")
        y += 16
    else:
        y = draw_lines(cv, plan.title, x0, x1, y + 6, "HB", 15, 18)
        y += 14
    align = "center" if center else "left"
    style = plan.aff_style
    footnotes = list(plan.footnotes)
    if style == "none":
        if t.startswith("icml"):
            y = draw_lines(cv, "Anonymous Authors^{1}", x0, x1, y, "B", 10, 13)
            footnotes = [
                "^{1}Anonymous Institution, Anonymous City, Anonymous Region, Anonymous Country. "
                "Correspondence to: Anonymous Author <anon.email@domain.com>."
            ]
        elif t.startswith("iclr"):
            y = draw_lines(cv, "Anonymous authors", x0, x1, y, "B", 10, 13, align="left")
            y = draw_lines(
                cv, "Paper under double-blind review", x0, x1, y, "R", 10, 12, align="left"
            )
        else:
            y = draw_lines(cv, "Anonymous Author(s)", x0, x1, y, "B", 10, 13)
            for line in ("Affiliation", "Address", "email"):
                y = draw_lines(cv, line, x0, x1, y, "R", 10, 12)
    elif style in {"blocks", "gmail"}:
        y = _blocks(cv, plan, x0, x1, y)
    elif style == "org":
        org = plan.org or {}
        y = draw_lines(cv, "|".join(a.name for a in plan.authors), x0, x1, y, "B", 10, 13, sep="|")
        y = draw_lines(cv, org["name"], x0, x1, y + 2, "R", 11, 14)
        if org.get("email"):
            y = draw_lines(cv, org["email"], x0, x1, y, "M", 9, 11)
    else:
        name_font = "B" if t.startswith("neurips") or t.startswith("iclr") else "R"
        units = [_author_unit(a, len(plan.insts) > 1 or style == "footnote") for a in plan.authors]
        sep = "|"
        if not center:
            units = [u + "," for u in units[:-1]] + units[-1:]
        y = draw_lines(cv, sep.join(units), x0, x1, y, name_font, 10, 13, align=align, sep=sep)
        multi = len(plan.insts) > 1 or style == "footnote"
        affs = [
            (f"^{{{k + 1}}}" if multi else "") + i.printed(rng.random() < 0.7)
            for k, i in enumerate(plan.insts)
        ]
        if style == "footnote":
            corr = rng.choice(plan.authors)
            neu = [a for a in plan.authors if a.email.endswith(".edu.cn") and at_neu(plan, a)]
            if neu:
                corr = neu[0]
            lead = [n for n in footnotes if n.startswith("^{*}")]
            rest = [n for n in footnotes if not n.startswith("^{*}")]
            footnotes = [
                *lead,
                " ".join(affs) + f". Correspondence to: {corr.name} <{corr.email}>.",
                *rest,
            ]
        else:
            if rng.random() < 0.5:
                for aff in affs:
                    y = draw_lines(cv, aff, x0, x1, y, "R", 10, 12, align=align)
            else:
                y = draw_lines(cv, "   ".join(affs), x0, x1, y, "R", 10, 12, align=align)
            emails = _emails(rng, plan)
            if emails:
                y = draw_lines(cv, emails, x0, x1, y + 1, "M", 9, 11, align=align)
    if t.startswith("icml"):
        footnotes.append(_icml_venue_line(plan))
    ts.y = y + 10
    ts.body_top = ts.y
    ts.set_footnotes(footnotes)


def _blocks(cv: Canvas, plan: Plan, x0: float, x1: float, y: float) -> float:
    n = len(plan.authors)
    ncols = 3 if n >= 3 and n != 4 else 2 if n > 1 else 1
    bw = (x1 - x0) / ncols
    for r in range(0, n, ncols):
        row = plan.authors[r : r + ncols]
        left = x0 + (x1 - x0 - bw * len(row)) / 2
        bottom = y
        for j, a in enumerate(row):
            bx0, bx1 = left + j * bw + 3, left + (j + 1) * bw - 3
            name = f"{a.name}^{{{a.marks}}}" if a.marks else a.name
            by = draw_lines(cv, name, bx0, bx1, y, "B", 10, 12)
            for k in a.insts:
                inst = plan.insts[k]
                for line in ([inst.dept] if inst.dept else []) + [inst.name]:
                    by = draw_lines(cv, line, bx0, bx1, by, "R", 9.5, 11)
                if inst.d.get("located", True) is not False or inst.d.get("force_location"):
                    by = draw_lines(
                        cv, f"{inst.d['city']}, {inst.d['printed']}", bx0, bx1, by, "R", 9.5, 11
                    )
            by = draw_lines(cv, a.email, bx0, bx1, by, "M", 8.5, 10.5)
            bottom = max(bottom, by)
        y = bottom + 8
    return y
