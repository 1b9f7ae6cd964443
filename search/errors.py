"""Errors a user can cause, each carrying the one line the CLI and TUI show.

Anything raised as a `PaperscopeError` is the user's to fix (a missing index, an
unknown model id, a bad query); the shells print ``str(error)`` and exit, never a
traceback.
"""

from __future__ import annotations


class PaperscopeError(Exception):
    """Base class: a problem the user can fix; the message says how."""

    exit_code = 2


class IndexMissingError(PaperscopeError):
    """No index at the given folder."""

    def __init__(self, path: str) -> None:
        super().__init__(
            f"no paperscope index at {path}: build one with `search index PDF_DIR --index {path}`"
            " or try the built-in sample with `search demo` (it builds demo-corpus/index;"
            " then `export PAPERSCOPE_INDEX=demo-corpus/index`)"
        )


class IndexIncompatibleError(PaperscopeError):
    """An index written by another paperscope version or another program."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(
            f"index at {path} cannot be read ({reason}); index the PDFs into a new folder"
            f" with `search index PDF_DIR --index NEW_DIR` (this one is left as it is)"
        )


class IndexBusyError(PaperscopeError):
    """Another process is writing the index."""

    def __init__(self, path: str) -> None:
        super().__init__(
            f"index at {path} is being written by another process; wait for it to finish"
        )


class DiskFullError(PaperscopeError):
    """The disk filled up while the index was written; committed papers are intact."""

    exit_code = 1

    def __init__(self, path: str) -> None:
        super().__init__(f"no space left on device while writing {path}; committed papers are kept")


class QuerySyntaxError(PaperscopeError):
    """The full-text query does not parse."""


class UnknownValueError(PaperscopeError):
    """An unknown model id, country or institution; the message lists close matches."""

    def __init__(self, kind: str, value: str, suggestions: list[str]) -> None:
        hint = f"; did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"unknown {kind} {value!r}{hint}")


def decode_text(
    raw: bytes,
    source: object,
    error: type[PaperscopeError] = PaperscopeError,
    encoding: str = "utf-8",
) -> str:
    """`raw` as text, or one `error` naming `source`, the line and the byte that is not
    UTF-8 (user files: catalogs, gazetteers, labels)."""
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise error(f"{source}:{line}: not UTF-8 text (byte {exc.start})") from None
