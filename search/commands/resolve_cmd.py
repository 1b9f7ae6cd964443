"""`search resolve`: affiliation strings → institution, ROR id, country, with the evidence.

The resolver the indexer uses on every byline, offered on its own: for a string a
user has (publisher metadata, a spreadsheet column) and as the way we measure it.
One string prints a line per institution; ``--jsonl FILE`` reads one JSON object per
line with a ``"text"`` field and writes one object per input line, in order.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO

from indexer.records import Affiliation
from search.errors import PaperscopeError


def affiliation_row(aff: Affiliation) -> dict[str, str | None]:
    """The JSON shape of one resolved affiliation."""
    return {"institution": aff.institution, "ror": aff.ror, "country": aff.country}


def resolved_record(text: str, affs: Iterable[Affiliation]) -> dict[str, object]:
    """One output object: the text, its institutions and its distinct countries."""
    affs = list(affs)
    countries = sorted({a.country for a in affs if a.country})
    return {
        "text": text,
        "affiliations": [affiliation_row(a) for a in affs],
        "countries": countries,
    }


def resolve_lines(lines: Iterable[str], source: str) -> Iterator[dict[str, object] | str]:
    """Resolve every JSON line with a "text" field, in order; a bad line gives its one-line
    error message instead (blank lines are skipped)."""
    from indexer.affiliations import resolve

    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError as exc:
            yield f"{source}:{number}: not JSON ({getattr(exc, 'msg', exc)})"
            continue
        text = obj.get("text") if isinstance(obj, dict) else None
        if not isinstance(text, str):
            yield f'{source}:{number}: no "text" string field'
            continue
        yield resolved_record(text, resolve(text))


def run_jsonl(path: Path, out: TextIO, err: TextIO) -> int:
    """`search resolve --jsonl FILE` ("-" reads stdin); exit 1 when some line was bad."""
    if str(path) == "-":
        fh: TextIO = sys.stdin
    else:
        try:
            fh = path.open(encoding="utf-8")
        except OSError as exc:
            raise PaperscopeError(f"{path}: cannot read ({exc.strerror})") from None
    bad = 0
    _load()
    try:
        for item in resolve_lines(fh, str(path)):
            if isinstance(item, str):
                bad += 1
                err.write(f"error: {item}\n")
            else:
                out.write(json.dumps(item, ensure_ascii=False) + "\n")
    except UnicodeDecodeError:
        raise PaperscopeError(f"{path}: not UTF-8 text") from None
    finally:
        if fh is not sys.stdin:
            fh.close()
    return 1 if bad else 0


def _load() -> None:
    """Load the gazetteer up front so a bad $PAPERSCOPE_REGISTRY is one error line."""
    from indexer.gazetteer import load_gazetteer
    from indexer.registry import RegistryError

    try:
        load_gazetteer()
    except RegistryError as exc:
        raise PaperscopeError(f"PAPERSCOPE_REGISTRY: {exc}") from None


def run_text(text: str, *, as_json: bool, out: TextIO) -> int:
    """`search resolve "TEXT"`: one line per institution, or the JSON object."""
    from indexer.affiliations import resolve

    if not text.strip():
        raise PaperscopeError('empty affiliation text (example: search resolve "MIT, USA")')
    _load()
    affs = resolve(text)
    if as_json:
        out.write(json.dumps(resolved_record(text, affs), ensure_ascii=False, indent=2) + "\n")
        return 0
    for aff in affs:
        out.write(
            f"{aff.institution or '(unknown institution)'}\t{aff.ror or '-'}\t"
            f"{aff.country or '?'}\t{aff.evidence}\n"
        )
    return 0
