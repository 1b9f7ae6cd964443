"""Render demo papers and write a corpus: PDFs plus ground-truth labels in the schema
of the hand-labelled corpus.
"""

from __future__ import annotations

import json
import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pymupdf

from indexer.demo.content import Content, compose
from indexer.demo.front import make_style, plan_venue, typeset_front
from indexer.demo.plan import SCENARIOS, Plan, make_plan
from indexer.demo.typeset import FIXED_DATE, Typesetter


@dataclass(frozen=True)
class DemoCorpus:
    """Where a generated demo corpus was written."""

    pdf_dir: Path
    """Folder holding the generated PDFs."""
    labels_file: Path
    """Ground-truth labels, one JSON object per PDF (same schema as the real corpus)."""
    papers: int
    """Number of PDFs in the corpus."""
    rewritten: int = 0
    """PDFs whose bytes changed (or were new) in this run; unchanged ones are not touched."""
    removed: int = 0
    """Sample PDFs of an earlier, larger run that this run deleted."""


def _render(plan: Plan, items: list[tuple[Any, ...]], rng: random.Random) -> tuple[bytes, int]:
    doc = pymupdf.open()
    st = make_style(rng, plan)
    ts = Typesetter(doc, st, rng)
    typeset_front(ts, rng, plan)
    for item in items:
        kind = item[0]
        if kind == "abstract":
            head = "ABSTRACT" if plan.template.startswith("iclr") else "Abstract"
            ts.centered(head, "B", 12 if not plan.two_column else 11)
            ts.paragraph(item[1], margin=36 if not plan.two_column else 8, indent=0, skip=6)
        elif kind == "h1":
            ts.heading(item[1], 1)
        elif kind == "h2":
            ts.heading(item[1], 2)
        elif kind == "p":
            ts.paragraph(item[1])
        elif kind == "table":
            ts.table(item[1], item[2], item[3])
        elif kind == "refs_head":
            ts.heading(item[1], 1)
        elif kind == "ref":
            ts.paragraph(item[1], size=ts.st.size - 1, indent=0, hang=10, skip=2.5)
        elif kind == "newpage":
            ts.new_page()
    meta = {
        "format": "PDF 1.7",
        "title": plan.title if rng.random() < 0.5 else "",
        "author": "",
        "subject": "",
        "keywords": "",
        "creator": "LaTeX with hyperref",
        "producer": "paperscope demo corpus",
        "creationDate": FIXED_DATE,
        "modDate": FIXED_DATE,
        "trapped": "",
    }
    if not plan.anonymous and plan.aff_style != "org" and rng.random() < 0.3:
        meta["author"] = ", ".join(a.name for a in plan.authors)
    data = ts.finish(meta)
    return data, len(ts.pages)


def _label(plan: Plan, c: Content, file: str, pages: int, seed: int) -> dict[str, Any]:
    affs: list[dict[str, str]] = []
    if plan.aff_style == "org" and plan.org:
        affs.append({"name": plan.org["name"], "country": plan.org["country"]})
    for inst in plan.insts:
        affs.append({"name": inst.name, "country": inst.d["country"]})
    for name, country in plan.extra_affils:
        affs.append({"name": name, "country": country})
    seen: set[str] = set()
    affs = [a for a in affs if not (a["name"] in seen or seen.add(a["name"]))]  # type: ignore[func-returns-value]
    named = c.ref_named | c.named
    used = sorted(c.used)
    mentioned = sorted(set(named) - set(c.used))
    evidence = {m: c.used[m] for m in used} | {m: named[m] for m in mentioned}
    style = {
        "numbered": "under-authors",
        "blocks": "under-authors",
        "org": "under-authors",
        "footnote": "footnote",
        "gmail": "emails-only",
        "none": "none",
    }[plan.aff_style]
    notes = [f"Generated demo paper ({plan.template}, {plan.area_key}, {plan.aff_style} byline)."]
    notes += [n if n.endswith(".") else n + "." for n in dict.fromkeys(plan.notes)]
    if plan.template.startswith("iclr") and not plan.anonymous:
        notes.append("Title printed in capitals; labelled in title case.")
    if plan.template == "icml" and plan.year == 2024:
        notes.append("'Vienna, Austria' in the proceedings line is the venue, not an affiliation.")
    if plan.template == "icml" and plan.year == 2025:
        notes.append(
            "'Vancouver, Canada' in the proceedings line is the venue, not an affiliation."
        )
    return {
        "file": file,
        "title": plan.title,
        "venue": plan_venue(plan),
        "source": f"paperscope demo corpus (seed {seed}, paper {plan.index})",
        "anonymous": plan.anonymous,
        "affiliations": affs,
        "countries": sorted({a["country"] for a in affs}),
        "models_used": used,
        "models_mentioned_only": mentioned,
        "evidence": evidence,
        "layout": "two-column" if plan.two_column else "single-column",
        "affiliation_style": style,
        "pages": pages,
        "notes": " ".join(notes),
    }


def _slug(title: str) -> str:
    words = [w for w in "".join(ch if ch.isalnum() else " " for ch in _ascii_title(title)).split()]
    return "-".join(words[:4]).lower()


def _ascii_title(s: str) -> str:
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()


def make_paper(index: int, seed: int = 2025) -> tuple[str, bytes, dict[str, Any]]:
    """One demo paper: (file name, PDF bytes, label). Deterministic for (index, seed)."""
    attempt_shift = 0
    for attempt in range(4):
        rng = random.Random(f"paperscope-demo:{seed}:{index}:{attempt}")
        plan = make_plan(rng, index)
        appendix = (
            bool(SCENARIOS[index].get("appendix"))
            if index < len(SCENARIOS)
            else rng.random() < 0.35
        )
        content = Content(rng, plan, appendix)
        scale = rng.choice([3, 4, 5, 6, 7, 8]) + (4 if plan.two_column else 0) + attempt_shift
        items = compose(content, scale)
        data, pages = _render(plan, items, rng)
        if 6 <= pages <= 12:
            break
        attempt_shift += 2 if pages < 6 else -2
    file = f"demo-{index:04d}-{_slug(plan.title)}.pdf"
    return file, data, _label(plan, content, file, pages, seed)


def generate_demo_corpus(
    out_dir: Path,
    n: int = 200,
    seed: int = 2025,
    progress: Callable[[int, int], None] | None = None,
) -> DemoCorpus:
    """Write `n` synthetic papers to out_dir/pdfs and their labels to out_dir/labels.jsonl.

    A PDF whose bytes are already on disk is left untouched (its modification time too,
    so re-indexing skips it), and sample PDFs left by an earlier run with more papers are
    deleted: the folder holds exactly the corpus the labels describe.
    """
    out_dir = Path(out_dir)
    pdf_dir = out_dir / "pdfs"
    pdf_dir.mkdir(parents=True, exist_ok=True)
    labels_file = out_dir / "labels.jsonl"
    lines = []
    files = set()
    rewritten = 0
    for i in range(n):
        file, data, label = make_paper(i, seed)
        files.add(file)
        rewritten += _write_if_changed(pdf_dir / file, data)
        lines.append(json.dumps(label, ensure_ascii=False))
        if progress:
            progress(i + 1, n)
    removed = 0
    for stale in pdf_dir.glob("demo-[0-9][0-9][0-9][0-9]-*.pdf"):
        if stale.name not in files:
            stale.unlink()
            removed += 1
    labels = "\n".join(lines) + ("\n" if lines else "")
    _write_if_changed(labels_file, labels.encode("utf-8"))
    return DemoCorpus(pdf_dir, labels_file, n, rewritten, removed)


def _write_if_changed(path: Path, data: bytes) -> bool:
    """Write ``data`` unless the file already holds exactly it; True when written."""
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except OSError:
        pass
    path.write_bytes(data)
    return True
