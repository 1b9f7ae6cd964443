"""The review log: a person's verdict on each claim the index makes, kept beside the index.

The index *claims* things about papers — that a paper uses Llama, that an author is in
China — and a published number is only as safe as those claims. A reviewer reads the
evidence and records a verdict (``verified``, ``rejected``, ``unsure``) per claim; counts
then drop rejected claims (`Library` honours the log by default), and every number can say
how much of it was checked.

Storage: one SQLite file, ``INDEX/reviews.sqlite`` (WAL mode), holding an append-only
``verdicts`` table (triggers refuse UPDATE and DELETE). The latest verdict per claim wins
(by timestamp, then insertion order). Claims are keyed by the paper's content id, so the
log survives re-indexing, ``search index --rebuild`` (`search.store.Store.create` keeps
`REVIEW_FILES`) and moved PDFs.

Exchange: `ReviewLog.export_jsonl` / `ReviewLog.import_jsonl` move the whole history as
JSON Lines. **Conflict rule** for imports: when, for one claim, the imported latest verdict
differs from the local latest verdict *and* the two were given by different reviewers,
that claim's imported rows are not merged; the claim is listed as a `Conflict` and the
local verdict stays in force until someone records a new verdict (``search review …``),
which then wins as the newest. Rows that agree, rows for claims the log does not know,
and a reviewer's own later change of mind are merged; rows already present are skipped.

How counts honour the log (the hook other query code reuses): `ReviewFilter` turns one
facet term ``field:value`` of a claim field (`CLAIM_FIELDS`) into

* ``field:value AND NOT paper_id ∈ rejected(field, value)`` (mode ``apply``, default);
* ``field:value AND paper_id ∈ verified(field, value)`` (mode ``verified``);
* plain ``field:value`` (mode ``raw``, or no log).

The mode travels in the filters (``Filters.reviews``: ``apply`` / ``raw`` / ``verified``;
CLI ``--raw`` / ``--verified-only``). `Library.query(filters)` builds every claim term
through `Library.claim_term(field, value, filters)`, so count, find, records, facets and
adoption honour it. Aggregations (`Store.terms`) count raw field values; a per-value
count is corrected by ``Library.claim_terms(query, field, counts, filters)``, which
re-counts only the few values that have rejected claims (``apply``) or all counted
values (``verified``), one `Store.count` each. **Group-by tables** built on
``Library.query(filters)`` + `Store.terms` must pass each bucket dict through
``Library.claim_terms`` the same way (and, for a bucket of a claim field, restrict with
``Library.claim_term`` rather than a bare term). ``Library.review_stats(filters)`` gives
the ``verified`` / ``rejected`` / ``unsure`` / ``unreviewed`` numbers for any JSON.

Opening is cheap: `Library` only imports this module when ``INDEX/reviews.sqlite``
exists (or ``--verified-only`` is asked), and `ReviewLog` imports sqlite3 on open, so a
cold ``search count`` on an index without a log pays nothing.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Final

from search.errors import PaperscopeError

REVIEW_FILE: Final = "reviews.sqlite"
"""The log's file name inside the index folder."""
REVIEW_FILES: Final = (REVIEW_FILE, f"{REVIEW_FILE}-wal", f"{REVIEW_FILE}-shm")
"""Files of the log (SQLite plus its WAL companions): never deleted by a rebuild."""
KINDS: Final = ("model_used", "model_mentioned", "country", "institution")
"""Claim kinds; each is also the name of the index field that holds the claim."""
CLAIM_FIELDS: Final = frozenset(KINDS)
"""Index fields whose terms are claims a reviewer can judge."""
VERDICTS: Final = ("verified", "rejected", "unsure")
"""What a reviewer can say about a claim."""
MODES: Final = ("apply", "raw", "verified")
"""How counts use the log: drop rejected claims, ignore the log, keep only verified claims."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS verdicts (
    seq      INTEGER PRIMARY KEY AUTOINCREMENT,
    paper_id TEXT NOT NULL,
    kind     TEXT NOT NULL,
    value    TEXT NOT NULL,
    verdict  TEXT NOT NULL CHECK (verdict IN ('verified', 'rejected', 'unsure')),
    note     TEXT NOT NULL DEFAULT '',
    reviewer TEXT NOT NULL,
    at       TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS verdicts_claim ON verdicts (paper_id, kind, value);
CREATE TRIGGER IF NOT EXISTS verdicts_no_update BEFORE UPDATE ON verdicts
    BEGIN SELECT RAISE(ABORT, 'the review log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS verdicts_no_delete BEFORE DELETE ON verdicts
    BEGIN SELECT RAISE(ABORT, 'the review log is append-only'); END;
"""


@dataclass(frozen=True, slots=True, order=True)
class Claim:
    """Something the index says about one paper."""

    paper_id: str
    """Content id of the paper."""
    kind: str
    """One of `KINDS`."""
    value: str
    """Model id, ISO country code or normalized institution name."""

    def label(self) -> str:
        """``llama used`` / ``country CN`` — how a person reads the claim."""
        return {
            "model_used": f"uses {self.value}",
            "model_mentioned": f"mentions {self.value}",
            "country": f"author country {self.value}",
            "institution": f"institution {self.value}",
        }.get(self.kind, f"{self.kind} {self.value}")


@dataclass(frozen=True, slots=True)
class Verdict:
    """One entry of the log: a reviewer's verdict on a claim at a time."""

    paper_id: str
    """Content id of the paper."""
    kind: str
    """Claim kind (`KINDS`)."""
    value: str
    """Claim value."""
    verdict: str
    """``verified``, ``rejected`` or ``unsure``."""
    note: str
    """Free text, may be empty."""
    reviewer: str
    """Who said it."""
    at: str
    """UTC time, ISO 8601 with microseconds (``2026-12-01T20:30:00.123456Z``); sorts as text."""

    @property
    def claim(self) -> Claim:
        """The claim judged."""
        return Claim(self.paper_id, self.kind, self.value)

    def to_dict(self) -> dict[str, str]:
        """JSON-ready form (one line of an export)."""
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Conflict:
    """A claim whose imported latest verdict disagrees with the local one (another reviewer)."""

    claim: Claim
    """The claim."""
    local: Verdict
    """The verdict in force here (kept)."""
    incoming: Verdict
    """The imported latest verdict (not merged)."""


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did."""

    added: int
    """History rows appended."""
    duplicates: int
    """Rows skipped because the log already held them."""
    conflicts: tuple[Conflict, ...] = ()
    """Claims left as they were; their imported rows were not merged."""


@dataclass(frozen=True, slots=True)
class ReviewStats:
    """How much of the claims behind a question was checked."""

    claims: int = 0
    """Claims behind the matching papers (each paper × each filter value it has)."""
    verified: int = 0
    """Of which the latest verdict is verified."""
    rejected: int = 0
    """... rejected."""
    unsure: int = 0
    """... unsure."""

    @property
    def unreviewed(self) -> int:
        """Claims without a verdict."""
        return self.claims - self.verified - self.rejected - self.unsure

    @property
    def reviewed(self) -> int:
        """Claims with a verdict of any kind."""
        return self.claims - self.unreviewed

    def to_dict(self) -> dict[str, int]:
        """JSON-ready form."""
        return {
            "claims": self.claims,
            "verified": self.verified,
            "rejected": self.rejected,
            "unsure": self.unsure,
            "unreviewed": self.unreviewed,
        }

    def summary(self) -> str:
        """``38 verified · 2 rejected`` (unsure and unreviewed when there are any)."""
        parts = [f"{self.verified} verified", f"{self.rejected} rejected"]
        if self.unsure:
            parts.append(f"{self.unsure} unsure")
        parts.append(f"{self.unreviewed} unreviewed")
        return " · ".join(parts)


def default_reviewer() -> str:
    """The login name, or ``$USER``, or ``reviewer``."""
    import getpass

    try:
        return getpass.getuser() or "reviewer"
    except (OSError, KeyError, ImportError):
        return os.environ.get("USER") or "reviewer"


def now() -> str:
    """The current UTC time in the log's format."""
    from datetime import UTC, datetime

    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def check_claim(kind: str, verdict: str | None = None) -> None:
    """Raise a one-line error for an unknown kind or verdict."""
    if kind not in CLAIM_FIELDS:
        raise PaperscopeError(f"unknown claim kind {kind!r}; use one of {', '.join(KINDS)}")
    if verdict is not None and verdict not in VERDICTS:
        raise PaperscopeError(f"unknown verdict {verdict!r}; use one of {', '.join(VERDICTS)}")


class ReviewLog:
    """The verdicts of one index (an open SQLite file)."""

    def __init__(self, path: Path) -> None:
        import sqlite3

        self.path = path
        try:
            self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.executescript(_SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise PaperscopeError(f"cannot open the review log {path}: {exc}") from None
        self._latest: dict[Claim, Verdict] | None = None

    @classmethod
    def open(cls, index_dir: Path | str, *, create: bool = False) -> ReviewLog | None:
        """The log of an index folder; None when it has none and `create` is false."""
        path = Path(index_dir) / REVIEW_FILE
        if not path.exists():
            if not create:
                return None
            if not Path(index_dir).is_dir():
                raise PaperscopeError(f"no index folder at {index_dir} to keep a review log in")
        return cls(path)

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    # -- writing -------------------------------------------------------------------

    def record(
        self,
        claim: Claim,
        verdict: str,
        *,
        note: str = "",
        reviewer: str | None = None,
        at: str | None = None,
    ) -> Verdict:
        """Append a verdict on `claim` (it becomes the latest) and return it."""
        check_claim(claim.kind, verdict)
        v = Verdict(
            claim.paper_id,
            claim.kind,
            claim.value,
            verdict,
            note or "",
            reviewer or default_reviewer(),
            at or now(),
        )
        self._append([v])
        return v

    def _append(self, rows: Iterable[Verdict]) -> int:
        data = [(r.paper_id, r.kind, r.value, r.verdict, r.note, r.reviewer, r.at) for r in rows]
        with self._db:
            self._db.executemany(
                "INSERT INTO verdicts (paper_id, kind, value, verdict, note, reviewer, at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                data,
            )
        self._latest = None
        return len(data)

    # -- reading -------------------------------------------------------------------

    def history(self) -> list[Verdict]:
        """Every verdict ever recorded, oldest first."""
        rows = self._db.execute(
            "SELECT paper_id, kind, value, verdict, note, reviewer, at FROM verdicts"
            " ORDER BY at, seq"
        )
        return [Verdict(*row) for row in rows]

    def latest(self) -> dict[Claim, Verdict]:
        """The verdict in force for each judged claim."""
        if self._latest is None:
            self._latest = {v.claim: v for v in self.history()}
        return self._latest

    def refresh(self) -> None:
        """Forget cached verdicts (another process may have written)."""
        self._latest = None

    def papers(self, kind: str, value: str, verdict: str) -> list[str]:
        """Ids of papers whose claim (kind, value) has `verdict` as its latest verdict."""
        return sorted(
            c.paper_id
            for c, v in self.latest().items()
            if c.kind == kind and c.value == value and v.verdict == verdict
        )

    def judged_values(self, kind: str, verdict: str) -> set[str]:
        """Values of `kind` with at least one claim whose latest verdict is `verdict`."""
        return {
            c.value for c, v in self.latest().items() if c.kind == kind and v.verdict == verdict
        }

    # -- exchange ------------------------------------------------------------------

    def export_jsonl(self, path: Path) -> int:
        """Write the whole history as JSON Lines; return the number of rows."""
        rows = self.history()
        try:
            with open(path, "w", encoding="utf-8") as out:
                for r in rows:
                    out.write(json.dumps(r.to_dict(), ensure_ascii=False) + "\n")
        except OSError as exc:
            raise PaperscopeError(f"cannot write {path}: {exc.strerror or exc}") from None
        return len(rows)

    def import_jsonl(self, path: Path) -> ImportReport:
        """Merge an export into this log (see the module docstring for the conflict rule)."""
        incoming = list(read_jsonl(path))
        have = set(self.history())
        local = self.latest()
        theirs: dict[Claim, Verdict] = {}
        for v in sorted(incoming, key=lambda v: v.at):
            theirs[v.claim] = v
        conflicts = []
        blocked: set[Claim] = set()
        for claim, mine in local.items():
            other = theirs.get(claim)
            if other and other.verdict != mine.verdict and other.reviewer != mine.reviewer:
                conflicts.append(Conflict(claim, mine, other))
                blocked.add(claim)
        new = [v for v in dict.fromkeys(incoming) if v not in have and v.claim not in blocked]
        dupes = sum(1 for v in incoming if v in have)
        added = self._append(sorted(new, key=lambda v: v.at)) if new else 0
        return ImportReport(added, dupes, tuple(sorted(conflicts, key=lambda c: c.claim)))


def read_jsonl(path: Path) -> Iterator[Verdict]:
    """Verdicts from an export file; a bad line raises one error naming file and line."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise PaperscopeError(f"cannot read {path}: {exc.strerror or exc}") from None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            d: dict[str, Any] = json.loads(line)
            v = Verdict(
                str(d["paper_id"]),
                str(d["kind"]),
                str(d["value"]),
                str(d["verdict"]),
                str(d.get("note") or ""),
                str(d.get("reviewer") or "unknown"),
                str(d["at"]),
            )
            check_claim(v.kind, v.verdict)
        except (ValueError, KeyError, TypeError, AttributeError, PaperscopeError) as exc:
            reason = f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)
            raise PaperscopeError(f"{path}:{n}: not a review line ({reason})") from None
        yield v


@dataclass(frozen=True, slots=True)
class ReviewFilter:
    """How one query uses the log: the mode and the log (None: no log, counts are raw)."""

    mode: str = "apply"
    """One of `MODES`."""
    log: ReviewLog | None = field(default=None, compare=False)
    """The index's log, when it has one."""

    def excluded(self, kind: str, value: str) -> list[str]:
        """Papers whose claim does not count in mode ``apply`` (rejected)."""
        if self.mode != "apply" or self.log is None:
            return []
        return self.log.papers(kind, value, "rejected")

    def allowed(self, kind: str, value: str) -> list[str]:
        """Papers whose claim counts in mode ``verified``."""
        if self.log is None:
            return []
        return self.log.papers(kind, value, "verified")

    def values_to_correct(self, kind: str, counted: Iterable[str]) -> set[str]:
        """Facet values whose raw count needs a correction."""
        if self.mode == "verified":
            return set(counted)
        if self.mode == "apply" and self.log is not None:
            return self.log.judged_values(kind, "rejected") & set(counted)
        return set()
