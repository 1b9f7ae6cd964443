"""Keeping an index true to its files: drop papers whose PDFs are gone, or named ones.

An index that only grows drifts from the folder it describes: a deleted or moved PDF
would be counted forever. `prune` drops the papers whose file no longer exists under the
folders given (files elsewhere are left alone: one index may hold several folders, some
on a disk that is not mounted); `remove` drops papers by id, id prefix or file name.
Both commit once and return what they dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from search.store import Store


@dataclass(frozen=True, slots=True)
class Dropped:
    """A paper taken out of the index."""

    paper_id: str
    """Its id (content hash)."""
    path: str
    """The file it was indexed from."""


def prune(index_dir: Path | str, roots: Sequence[Path]) -> list[Dropped]:
    """Drop the papers indexed from files under ``roots`` that no longer exist.

    Run it before indexing the same folders: a moved file is then indexed again at its
    new place instead of counting as a duplicate of the paper about to be dropped.
    """
    store = Store.open(index_dir)
    bases = [r.expanduser().resolve() for r in roots]
    gone = [
        Dropped(s.paper_id, path)
        for path, s in sorted(store.stored_files().items())
        if _under(Path(path), bases) and not Path(path).exists()
    ]
    _delete(store, [d.paper_id for d in gone])
    return gone


def remove(index_dir: Path | str, keys: Sequence[str]) -> list[Dropped]:
    """Drop the papers named by id, unique id prefix or file name (all or none).

    An unknown or ambiguous key raises `PaperscopeError` before anything is dropped.
    """
    from search.library import Library

    library = Library(index_dir)
    found: dict[str, Dropped] = {}
    for key in keys:
        paper = library.paper(key)
        found.setdefault(paper.id, Dropped(paper.id, paper.path))
    _delete(library.store, list(found))
    return list(found.values())


def _under(path: Path, bases: list[Path]) -> bool:
    return any(path == b or path.is_relative_to(b) for b in bases)


def _delete(store: Store, paper_ids: list[str]) -> None:
    if not paper_ids:
        return
    with store.writer() as writer:
        for paper_id in paper_ids:
            writer.delete(paper_id)
        writer.commit()
