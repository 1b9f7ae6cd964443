"""Which model versions a paper names and uses, from its mentions.

The catalog turns each mention's text into a version id ("GPT-4o-mini" → ``gpt/4o-mini``,
see `Catalog.version` and the top of ``data/models.toml``); this module folds a model's
mentions into the paper-level lists `usage.classify_usage` stores on `ModelUsage`:

- ``versions``: every version any mention names, wherever it sits;
- ``versions_used``: the versions named by the mentions that show use (the same mentions
  that make the model *used*), so "we fine-tune Llama-2-7B; Llama 3 (Dubey et al.) ..."
  uses ``llama/2`` and only mentions ``llama/3``.

A used version always has one of its deciding mentions in the evidence, so a search for
``--model gpt-4o`` can show a sentence that names GPT-4o, not only one about GPT-4.
"""

from __future__ import annotations

from collections.abc import Iterable

from indexer.records import ModelMention


def named_versions(mentions: Iterable[ModelMention]) -> tuple[str, ...]:
    """Sorted distinct version ids of ``mentions`` (mentions without one are skipped)."""
    return tuple(sorted({m.version for m in mentions if m.version}))


def cover_versions(
    evidence: tuple[ModelMention, ...], ranked: list[ModelMention], versions: tuple[str, ...]
) -> tuple[ModelMention, ...]:
    """``evidence`` plus, for each version it does not name, the best mention of it.

    ``ranked`` holds the candidate mentions, most convincing first; the added mentions
    come after the deciding ones, in the order of ``versions``.
    """
    have = {m.version for m in evidence}
    extra = []
    for version in versions:
        if version in have:
            continue
        found = next((m for m in ranked if m.version == version), None)
        if found is not None and all(found.sentence != o.sentence for o in evidence):
            extra.append(found)
            have.add(version)
    return evidence + tuple(extra)
