"""Version rules of the model catalog: compile ``{re, id}`` pairs, read a version off a name.

Kept apart from `indexer.catalog` so that resolving a typed ``--model GPT-4o`` (see
`search.filters`) can compile one family's rules from the precomputed alias table without
loading and compiling the whole catalog. The rule format is described in the catalog's
module docstring.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any


class VersionRuleError(ValueError):
    """A version rule is malformed; the message names the model."""


@dataclass(frozen=True, slots=True)
class VersionRule:
    """One compiled ``{re, id}`` rule."""

    regex: re.Pattern[str]
    """The rule's regex, anchored where the name starts."""
    template: tuple[str, ...]
    """The ``id`` split into literal parts and ``{n}`` group references."""


VERSION_WINDOW = 40
"""Characters after a mention's start that can hold its version ("Claude 3.5 Sonnet")."""

_VERSION_END = r"(?![A-Za-z0-9]|\.\d)"
_TEMPLATE_PART = re.compile(r"(\{\d\})")
_GROUP_SPACE = re.compile(r"[\s_\-]+")


def compile_versions(model_id: str, rules: tuple[Any, ...]) -> tuple[VersionRule, ...]:
    """A family's ``versions`` rules, compiled (`VersionRuleError` names a bad one)."""
    out = []
    for rule in rules:
        if not (isinstance(rule, dict) and isinstance(rule.get("re"), str) and "id" in rule):
            raise VersionRuleError(f"{model_id}: a version is {{re = '...', id = '...'}}")
        source = rule["re"].replace(" ", r"[\s\-_]*")
        try:
            regex = re.compile(f"(?:{source}){_VERSION_END}", re.IGNORECASE)
        except re.error as exc:
            raise VersionRuleError(
                f"{model_id}: bad version regex {rule['re']!r} ({exc})"
            ) from None
        template = tuple(p for p in _TEMPLATE_PART.split(str(rule["id"])) if p)
        for part in template:
            if _TEMPLATE_PART.fullmatch(part) and int(part[1:-1]) > regex.groups:
                raise VersionRuleError(
                    f"{model_id}: version id {rule['id']!r} names a missing group"
                )
        out.append(VersionRule(regex, template))
    return tuple(out)


def match_version(rules: tuple[VersionRule, ...], text: str) -> str:
    """The version part ("4o-mini") the first matching rule gives ``text``, else ``""``."""
    for rule in rules:
        m = rule.regex.match(text)
        if m is None:
            continue
        values = []
        for part in rule.template:
            if _TEMPLATE_PART.fullmatch(part):
                group = m.group(int(part[1:-1])) or ""
                values.append((True, _GROUP_SPACE.sub("-", group.lower()).strip("-")))
            else:
                values.append((False, part))
        out = ""
        for i, (is_group, value) in enumerate(values):
            if is_group or value.strip(".-"):
                out += value
                continue
            # A separator ("-", "."): kept only between two non-empty values.
            if out and i + 1 < len(values) and values[i + 1][1]:
                out += value
        return out.strip(".-")
    return ""
