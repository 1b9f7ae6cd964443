"""A small typed wrapper around tantivy-py, the only module that touches it.

tantivy-py has sharp edges (``searcher.search(q, 0)`` panics, type stubs miss
``SearchResult.count``, parse errors are bare ``ValueError``s, a second writer
fails with an opaque lock error). Everything above this module gets plain
Python values and `PaperscopeError`s instead.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import re
import shutil
import tempfile
import time
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

import tantivy

from indexer.records import Paper, to_dict
from search.errors import (
    DiskFullError,
    IndexBusyError,
    IndexIncompatibleError,
    IndexMissingError,
    PaperscopeError,
    QuerySyntaxError,
)
from search.query_limits import check_query
from search.schema import PAGE, PAPER, SCHEMA_VERSION, build_schema

T = TypeVar("T")

META_FILE = "paperscope.json"
WRITER_HEAP = 256 * 1024 * 1024
AGGREGATE_PAPERS = 20_000
"""Most papers one aggregation over all papers covers (see `Store._paper_parts`)."""
MAX_BUCKETS = 65_000
"""Tantivy refuses aggregations with more buckets than this."""
WRITER_LOCK = ".tantivy-writer.lock"
"""The file tantivy's single writer holds an exclusive `flock` on."""
_LOCK_FILES = {WRITER_LOCK, ".tantivy-meta.lock"}
_HEX = "0123456789abcdef"


@dataclass(frozen=True, slots=True)
class StoredFile:
    """What the index remembers of an indexed file, for incremental runs."""

    paper_id: str
    """Content hash of the file when it was indexed."""
    size: int
    """Size in bytes then."""
    mtime: float
    """Modification time then."""


class Store:
    """An opened paperscope index folder."""

    def __init__(self, path: Path, index: tantivy.Index) -> None:
        self.path = path
        self.index = index
        self.schema = build_schema()
        self._searcher: tantivy.Searcher | None = None
        self.read_only = False
        """True when opened through links because the folder cannot be written."""

    # -- opening ---------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | str) -> Store:
        """Open an existing index for reading; raise a helpful error when there is none.

        An index the user may not write to (a read-only mount, another user's folder)
        is opened through a private folder of links, since tantivy's reader wants to
        create a lock file next to the index.
        """
        path = Path(path)
        if path.exists() and not path.is_dir():
            raise PaperscopeError(f"--index {path} is a file; give the index folder")
        meta = path / META_FILE
        if not meta.exists():
            raise IndexMissingError(str(path))
        try:
            version = json.loads(meta.read_text(encoding="utf-8")).get("schema_version")
        except (OSError, ValueError, AttributeError) as exc:
            raise IndexIncompatibleError(str(path), f"unreadable {META_FILE}: {exc}") from None
        if version != SCHEMA_VERSION:
            raise IndexIncompatibleError(
                str(path), f"schema version {version}, this paperscope reads {SCHEMA_VERSION}"
            )
        try:
            index = tantivy.Index(build_schema(), path=str(path), reuse=True)
        except (OSError, ValueError) as exc:
            if not _denied(exc):
                raise IndexIncompatibleError(str(path), str(exc).splitlines()[0]) from None
            return cls._open_read_only(path)
        return cls(path, index)

    @classmethod
    def _open_read_only(cls, path: Path) -> Store:
        links = Path(tempfile.mkdtemp(prefix="paperscope-ro-"))
        try:
            for child in path.iterdir():
                if child.name not in _LOCK_FILES:
                    (links / child.name).symlink_to(child.resolve())
            index = tantivy.Index(build_schema(), path=str(links), reuse=True)
        except (OSError, ValueError) as exc:
            shutil.rmtree(links, ignore_errors=True)
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise PaperscopeError(f"index at {path} is not readable ({reason})") from None
        store = cls(path, index)
        store.read_only = True
        weakref.finalize(store, shutil.rmtree, links, True)
        return store

    @classmethod
    def create(cls, path: Path | str, *, rebuild: bool = False) -> Store:
        """Open an index for writing, creating the folder and index when needed.

        `rebuild` empties the folder first, but only after taking the writer's lock: an
        index another process is writing is never deleted under it (`IndexBusyError`).
        The review log (`search.reviews`) is kept: verdicts are keyed by content id and
        outlive any index.
        """
        from search.reviews import REVIEW_FILES

        path = Path(path)
        if path.exists() and not path.is_dir():
            raise PaperscopeError(f"--index {path} is a file; give a folder for the index")
        if rebuild and path.exists():
            keep = {".gitkeep", "README.md", WRITER_LOCK, *REVIEW_FILES}
            with _writer_lock(path):
                for child in path.iterdir():
                    if child.is_file() and child.name not in keep:
                        child.unlink()
        meta = path / META_FILE
        if meta.exists() or _has_index_files(path):
            return cls.open(path)
        try:
            path.mkdir(parents=True, exist_ok=True)
            index = tantivy.Index(build_schema(), path=str(path), reuse=False)
            meta.write_text(json.dumps({"schema_version": SCHEMA_VERSION, "created": time.time()}))
        except (OSError, ValueError) as exc:
            _raise_if_disk_full(exc, path)
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise PaperscopeError(f"cannot create an index at {path} ({reason})") from None
        return cls(path, index)

    # -- reading ---------------------------------------------------------------

    @property
    def searcher(self) -> tantivy.Searcher:
        """A searcher on the last commit (reloaded by `refresh`)."""
        if self._searcher is None:
            self.index.reload()
            self._searcher = self.index.searcher()
        return self._searcher

    def refresh(self) -> None:
        """See commits made since the searcher was opened."""
        self._searcher = None

    def parse(self, text: str, fields: Sequence[str]) -> tantivy.Query:
        """Parse a user query (words are ANDed); raise `QuerySyntaxError` with the reason."""
        check_query(text)
        try:
            return self.index.parse_query(text, list(fields), conjunction_by_default=True)
        except BaseException as exc:
            if not _tantivy_error(exc):
                raise
            reason = str(exc).splitlines()[0] if str(exc) else "syntax error"
            raise QuerySyntaxError(f"cannot parse query {_short(text)!r}: {reason}") from None

    def parse_lenient(self, text: str, fields: Sequence[str]) -> tantivy.Query:
        """Parse a query, dropping what does not parse (for snippets)."""
        check_query(text)
        query, _errors = _guard(
            lambda: self.index.parse_query_lenient(text, list(fields), conjunction_by_default=True)
        )
        return query

    def term(self, field: str, value: str | int) -> tantivy.Query:
        """Exact-value query on a raw or numeric field."""
        return tantivy.Query.term_query(self.schema, field, value)

    def count(self, query: tantivy.Query) -> int:
        """Number of documents matching."""
        return int(_guard(lambda: self.searcher.search(query, 1, count=True)).count)

    def num_docs(self) -> int:
        """Documents in the index (papers and pages): the most any search can return."""
        return int(self.searcher.num_docs)

    def top(
        self, query: tantivy.Query, limit: int, *, offset: int = 0
    ) -> list[tuple[float, dict[str, list[Any]]]]:
        """Best `limit` documents as (score, stored fields); `limit` 0 gives []."""
        return [(score, doc.to_dict()) for score, doc in self.top_docs(query, limit, offset=offset)]

    def top_docs(
        self, query: tantivy.Query, limit: int, *, offset: int = 0
    ) -> list[tuple[float, tantivy.Document]]:
        """Best `limit` documents as tantivy documents (for snippets); `limit` 0 gives []."""
        # Tantivy allocates the top-k heap up front: past the index size a limit only
        # costs memory (2**31 aborts the process).
        total = self.num_docs()
        offset = max(0, min(offset, total))
        limit = min(limit, total - offset)
        if limit <= 0:
            return []
        result = _guard(lambda: self.searcher.search(query, limit, count=False, offset=offset))
        return [(score, self.searcher.doc(addr)) for score, addr in result.hits]

    def terms(self, query: tantivy.Query, field: str, size: int = 1000) -> dict[str, int]:
        """Document count per value of a raw fast field among the matches."""
        size = max(1, min(size, MAX_BUCKETS))
        spec = {"t": {"terms": {"field": field, "size": size}}}
        agg = _guard(lambda: self.searcher.aggregate(query, spec))
        return {b["key"]: int(b["doc_count"]) for b in agg["t"]["buckets"]}

    def aggregate(self, query: tantivy.Query, spec: dict[str, Any]) -> dict[str, Any]:
        """Run a Tantivy aggregation request (Elasticsearch-style JSON) over the matches.

        Tantivy refuses requests that would build more than 65,000 buckets; that becomes
        a `PaperscopeError` asking for narrower filters instead of a bare ``ValueError``.
        """
        try:
            return _guard(lambda: self.searcher.aggregate(query, spec))
        except QuerySyntaxError as exc:
            raise PaperscopeError(
                f"cannot count this table ({exc}); narrow it with filters"
            ) from None

    def any_of(self, field: str, values: Iterable[str | int]) -> tantivy.Query:
        """Documents with any of `values` in `field` (matches nothing when `values` is empty)."""
        clauses = [(tantivy.Occur.Should, self.term(field, v)) for v in values]
        return tantivy.Query.boolean_query(clauses) if clauses else tantivy.Query.empty_query()

    def has_value(self, field: str) -> tantivy.Query:
        """Documents with at least one value in the fast field `field`."""
        return tantivy.Query.exists_query(field)

    @staticmethod
    def all_of(*queries: tantivy.Query) -> tantivy.Query:
        """Documents matching every query."""
        return tantivy.Query.boolean_query([(tantivy.Occur.Must, q) for q in queries])

    @staticmethod
    def but_not(query: tantivy.Query, *excluded: tantivy.Query) -> tantivy.Query:
        """Documents matching `query` and none of `excluded`."""
        clauses = [(tantivy.Occur.Must, query)]
        clauses += [(tantivy.Occur.MustNot, q) for q in excluded]
        return tantivy.Query.boolean_query(clauses)

    @staticmethod
    def either(*queries: tantivy.Query) -> tantivy.Query:
        """Documents matching any of the queries (nothing when none is given)."""
        if not queries:
            return tantivy.Query.empty_query()
        return tantivy.Query.boolean_query([(tantivy.Occur.Should, q) for q in queries])

    def snippet(self, query: tantivy.Query, doc: tantivy.Document, field: str) -> tantivy.Snippet:
        """Best fragment of `field` in `doc` for `query`, with highlight ranges."""
        gen = tantivy.SnippetGenerator.create(self.searcher, query, self.schema, field)
        gen.set_max_num_chars(240)
        return gen.snippet_from_doc(doc)

    def stored_files(self) -> dict[str, StoredFile]:
        """Path → what was indexed from it, read from fast fields (no stored documents)."""
        out: dict[str, StoredFile] = {}
        for part, n in self._paper_parts():
            spec = {
                "p": {
                    "terms": {"field": "path", "size": n},
                    "aggs": {
                        "id": {"terms": {"field": "paper_id", "size": 1}},
                        "size": {"max": {"field": "file_size"}},
                        "mtime": {"max": {"field": "file_mtime"}},
                    },
                }
            }
            for b in self.searcher.aggregate(part, spec)["p"]["buckets"]:
                out[b["key"]] = StoredFile(
                    paper_id=b["id"]["buckets"][0]["key"],
                    size=int(b["size"]["value"]),
                    mtime=float(b["mtime"]["value"]),
                )
        return out

    def paper_ids(self, prefix: str = "") -> set[str]:
        """Ids of every indexed paper (that starts with `prefix`)."""
        ids: set[str] = set()
        if len(prefix) > 32 or any(c not in _HEX for c in prefix.lower()):
            return ids  # ids are hex digests: nothing else can be a prefix of one
        for part, n in self._paper_parts(prefix):
            ids.update(self.terms(part, "paper_id", size=n))
        return ids

    def _paper_parts(self, prefix: str = "") -> list[tuple[tantivy.Query, int]]:
        """The paper documents (whose id starts with `prefix`) in parts small enough to
        aggregate, with their sizes.

        Tantivy refuses an aggregation of more than 65,000 buckets, sub-aggregations
        included (`stored_files` makes two per paper). Paper ids are hex content hashes:
        a part too big is split by the next hex digit, plus one part for the ids that end
        there or go on with another character.
        """
        papers = self.term("doc_type", PAPER)

        def part(pattern: str) -> tuple[tantivy.Query, int]:
            q = papers
            if pattern != ".*":
                q = self._both(papers, tantivy.Query.regex_query(self.schema, "paper_id", pattern))
            return q, self.count(q)

        def split(start: str) -> Iterator[tuple[tantivy.Query, int]]:
            q, n = part(start + ".*")
            if n <= AGGREGATE_PAPERS or len(start) > 32:
                if n:
                    yield q, n
                return
            for digit in _HEX:
                yield from split(start + digit)
            q, n = part(start + f"([^{_HEX}].*)?")
            if n:
                yield q, n

        return list(split(re.escape(prefix)))

    @staticmethod
    def _both(a: tantivy.Query, b: tantivy.Query) -> tantivy.Query:
        return tantivy.Query.boolean_query([(tantivy.Occur.Must, a), (tantivy.Occur.Must, b)])

    # -- writing ---------------------------------------------------------------

    def writer(self, heap: int = WRITER_HEAP) -> StoreWriter:
        """The single writer of this index (raises `IndexBusyError` if another holds it)."""
        if self.read_only:
            raise PaperscopeError(
                f"index at {self.path} is read-only: it can be searched, not written"
            )
        try:
            return StoreWriter(self, self.index.writer(heap, 1))
        except (OSError, ValueError) as exc:
            _raise_if_disk_full(exc, self.path)
            if "lock" in str(exc).lower():
                raise IndexBusyError(str(self.path)) from None
            raise


class StoreWriter:
    """Buffers paper documents; nothing is visible until `commit`."""

    def __init__(self, store: Store, writer: tantivy.IndexWriter) -> None:
        self.store = store
        self._writer = writer
        self.pending = 0

    def add(self, paper: Paper) -> None:
        """Add a paper (its paper document and one document per page)."""
        docs = list(paper_documents(paper))
        self._io(lambda: [self._writer.add_document(doc) for doc in docs])
        self.pending += 1

    def delete(self, paper_id: str) -> None:
        """Delete a paper and its pages."""
        self._io(lambda: self._writer.delete_documents_by_term("paper_id", paper_id))

    def commit(self) -> None:
        """Make everything added since the last commit visible, atomically.

        A full disk raises `DiskFullError` (exit 1): earlier commits stay intact.
        """
        self._io(self._writer.commit)
        self.pending = 0
        self.store.refresh()

    def _io(self, fn: Callable[[], T]) -> T:
        try:
            return fn()
        except (OSError, ValueError) as exc:
            _raise_if_disk_full(exc, self.store.path)
            raise

    def rollback(self) -> None:
        """Drop everything added since the last commit."""
        self._writer.rollback()
        self.pending = 0

    def close(self) -> None:
        """Wait for merges and release the lock."""
        with contextlib.suppress(OSError, ValueError):  # a merge that failed leaves no harm
            self._writer.wait_merging_threads()

    def __enter__(self) -> StoreWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def paper_documents(paper: Paper) -> Iterator[tantivy.Document]:
    """The tantivy documents one paper becomes."""
    record = to_dict(replace(paper, pages=()))  # the text goes to `body` and page documents
    del record["pages"]
    doc = tantivy.Document()
    doc.add_text("doc_type", PAPER)
    doc.add_text("paper_id", paper.id)
    doc.add_text("file", paper.file)
    doc.add_text("path", paper.path)
    doc.add_text("title", paper.title)
    for author in paper.authors:
        doc.add_text("authors", author.name)
    for aff in paper.affiliations:
        doc.add_text("affiliations", aff.text)
    _add_all(doc, "country", paper.countries)
    _add_all(doc, "institution", paper.institutions)
    _add_all(doc, "model_used", paper.models_used)
    _add_all(doc, "model_mentioned", paper.models_mentioned)
    _add_all(doc, "model_version_used", paper.model_versions_used)
    _add_all(doc, "model_version_mentioned", paper.model_versions_mentioned)
    _add_all(doc, "ror", paper.rors)
    if paper.openreview_id:
        doc.add_text("openreview_id", paper.openreview_id)
    if paper.venue:
        doc.add_text("venue", paper.venue)
    if paper.year:
        doc.add_integer("year", paper.year)
    doc.add_integer("n_pages", paper.n_pages)
    doc.add_integer("file_size", paper.file_size)
    doc.add_float("file_mtime", paper.file_mtime)
    doc.add_text("body", "\n".join(p.text for p in paper.pages))
    doc.add_bytes("record", json.dumps(record, ensure_ascii=False).encode())
    yield doc
    for page in paper.pages:
        pdoc = tantivy.Document()
        pdoc.add_text("doc_type", PAGE)
        pdoc.add_text("paper_id", paper.id)
        pdoc.add_integer("page", page.number)
        pdoc.add_text("text", page.text)
        yield pdoc


def _add_all(doc: tantivy.Document, field: str, values: Iterable[str]) -> None:
    for value in values:
        doc.add_text(field, value)


def _has_index_files(path: Path) -> bool:
    return path.is_dir() and (path / "meta.json").exists()


@contextlib.contextmanager
def _writer_lock(path: Path) -> Iterator[None]:
    """Hold tantivy's writer lock on `path` (raise `IndexBusyError` when another has it)."""
    try:
        fh = open(path / WRITER_LOCK, "a")  # noqa: SIM115 (closed below, lock held until)
    except OSError as exc:
        raise PaperscopeError(f"cannot lock the index at {path} ({exc.strerror})") from None
    try:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise IndexBusyError(str(path)) from None
        yield
    finally:
        fh.close()


def _denied(exc: BaseException) -> bool:
    text = str(exc)
    return any(
        s in text
        for s in (
            "PermissionDenied",
            "Permission denied",
            "ReadOnlyFilesystem",
            "Read-only file system",
            "Failed to acquire Lockfile",
        )
    )


def _raise_if_disk_full(exc: BaseException, path: Path) -> None:
    full = getattr(exc, "errno", None) == errno.ENOSPC or any(
        s in str(exc) for s in ("No space left", "StorageFull", "os error 28")
    )
    if full:
        raise DiskFullError(str(path)) from None


def _tantivy_error(exc: BaseException) -> bool:
    """A ValueError from tantivy or a Rust panic (pyo3's PanicException is a BaseException)."""
    return isinstance(exc, ValueError) or type(exc).__name__ == "PanicException"


def _guard(fn: Callable[[], T]) -> T:
    """Run a tantivy call; its errors and panics become one-line `QuerySyntaxError`s."""
    try:
        return fn()
    except BaseException as exc:
        if not _tantivy_error(exc):
            raise
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise QuerySyntaxError(f"the index cannot run this query ({reason[:200]})") from None


def _short(text: str) -> str:
    return text if len(text) <= 80 else text[:79] + "…"
