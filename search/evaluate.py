"""Accuracy measured, not asserted: compare an index with a labels file.

The labels format is the one of ``shared/corpus/labels.jsonl`` (one JSON object
per paper, joined on ``file``). Scores are micro-averaged over (paper, value)
pairs: ``countries`` over the paper-level country sets, ``models_used`` over
models the paper uses, ``models_any`` over used ∪ mentioned-only. Only model ids
the labels know are scored — the catalog holds more models than were labelled.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from indexer.records import Paper
from search.errors import PaperscopeError, decode_text
from search.library import Library
from search.results import Disagreement, Score

LABELLED_MODEL_IDS: frozenset[str] = frozenset(
    {
        "llama", "qwen", "mistral", "deepseek", "gpt", "gemma", "gemini", "claude",
        "vicuna", "llava", "glm", "internlm", "yi", "baichuan", "phi", "falcon", "t5",
        "bert", "clip", "stable-diffusion", "sam", "whisper", "mamba",
    }
)  # fmt: skip
"""Model ids the labels cover (``shared/corpus/README.md``)."""

METRICS = ("countries", "models_used", "models_any")


@dataclass(slots=True)
class EvalReport:
    """Scores of an index against a labels file."""

    papers: int = 0
    """Labelled papers found in the index."""
    not_indexed: list[str] = field(default_factory=list)
    """Labelled files the index does not hold."""
    scores: dict[str, Score] = field(default_factory=dict)
    """Metric → score."""
    disagreements: list[Disagreement] = field(default_factory=list)
    """Every (paper, value) where index and labels differ."""

    def to_dict(self) -> dict[str, object]:
        """The `search eval --json` object."""
        out: dict[str, object] = {"papers": self.papers}
        out.update({name: s.to_dict() for name, s in self.scores.items()})
        out["not_indexed"] = self.not_indexed
        out["disagreements"] = [
            {
                "file": d.file,
                "metric": d.metric,
                "value": d.value,
                "kind": d.kind,
                "evidence": d.evidence,
            }
            for d in self.disagreements
        ]
        return out


def load_labels(path: Path) -> list[dict[str, object]]:
    """Read a labels JSONL file; raise a one-line error naming the bad line."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PaperscopeError(f"{path}: cannot read labels ({exc.strerror})") from None
    lines = decode_text(raw, path).splitlines()
    labels = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError as exc:
            raise PaperscopeError(f"{path}:{n}: not valid JSON ({exc.msg})") from None
        if not isinstance(obj, dict) or "file" not in obj:
            raise PaperscopeError(f'{path}:{n}: a label needs a "file" field')
        labels.append(obj)
    return labels


def evaluate(library: Library, labels_path: Path) -> EvalReport:
    """Score the index behind `library` against the labels file."""
    labels = load_labels(labels_path)
    by_file = {p.file: p for p in library.records()}
    report = EvalReport()
    tallies = {m: [0, 0, 0] for m in METRICS}
    for label in labels:
        paper = by_file.get(str(label["file"]))
        if paper is None:
            report.not_indexed.append(str(label["file"]))
            continue
        report.papers += 1
        used = set(_strs(label.get("models_used"))) & LABELLED_MODEL_IDS
        only = set(_strs(label.get("models_mentioned_only"))) & LABELLED_MODEL_IDS
        expected = {
            "countries": set(_strs(label.get("countries"))),
            "models_used": used,
            "models_any": used | only,
        }
        got = {
            "countries": set(paper.countries),
            "models_used": set(paper.models_used) & LABELLED_MODEL_IDS,
            "models_any": set(paper.models_mentioned) & LABELLED_MODEL_IDS,
        }
        for metric in METRICS:
            e, g = expected[metric], got[metric]
            tallies[metric][0] += len(e & g)
            tallies[metric][1] += len(g - e)
            tallies[metric][2] += len(e - g)
            for value in sorted(g - e):
                report.disagreements.append(
                    Disagreement(
                        paper.file, metric, value, "extra", _evidence(paper, metric, value)
                    )
                )
            for value in sorted(e - g):
                report.disagreements.append(
                    Disagreement(
                        paper.file, metric, value, "missing", _evidence(paper, metric, value)
                    )
                )
    report.scores = {m: Score(*t) for m, t in tallies.items()}
    return report


def _strs(value: object) -> Iterable[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def _evidence(paper: Paper, metric: str, value: str) -> str:
    if metric == "countries":
        texts = [a.text for a in paper.affiliations if a.country == value]
        return "; ".join(texts[:3])
    for usage in paper.usages:
        if usage.model_id == value:
            sentence = usage.evidence[0].sentence if usage.evidence else ""
            page = usage.evidence[0].page if usage.evidence else 0
            return f"{usage.usage} ({usage.reason}) p.{page}: {sentence[:160]}"
    return ""
