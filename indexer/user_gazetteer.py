"""The user's institution file, read strictly: every problem is one line naming file, line, field.

The built-in gazetteer is reviewed data; a user file (``$PAPERSCOPE_INSTITUTIONS``) is
typed by hand, and a row silently dropped or misread (a three-letter country, a
semicolon list in the wrong column, a Latin-1 file) would quietly change the country
facet. So the user file is validated before its rows join the gazetteer: UTF-8 CSV,
the documented header (``name`` and ``country`` required, no unknown columns), a
non-empty name, a two-letter country code, no field longer than `MAX_FIELD` characters.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from search.errors import PaperscopeError, decode_text

COLUMNS = ("name", "country", "aliases", "domains", "city", "kind", "parent")
"""Columns a gazetteer file may have (see `indexer.gazetteer`)."""
REQUIRED = ("name", "country")
MAX_FIELD = 1_000
"""Longest value of one field (an alias list included)."""
MAX_BYTES = 64 * 1024**2
"""Largest user file read (the built-in gazetteer is under 1 MB)."""


class GazetteerError(PaperscopeError):
    """The user's institution file is malformed; the message says where."""


def check_user_gazetteer() -> None:
    """Validate the user's institution file now, without building the gazetteer."""
    from indexer.gazetteer import default_user_file

    if (path := default_user_file()) is not None:
        read_user_file(path)


def read_user_file(path: Path | str) -> list[str]:
    """The validated lines of the user file at `path`, ready for `read_institutions`."""
    file = Path(path)
    try:
        size = file.stat().st_size
        if size > MAX_BYTES:
            raise GazetteerError(f"{file}: {size:,} bytes; the limit is {MAX_BYTES:,}")
        raw = file.read_bytes()
    except OSError as exc:
        raise GazetteerError(f"{file}: cannot read the institution file ({exc.strerror})") from None
    text = decode_text(raw, file, GazetteerError, "utf-8-sig")
    validate(text, str(file))
    return text.splitlines(keepends=True)


def validate(text: str, source: str) -> None:
    """Raise `GazetteerError` at the first problem in the CSV `text`."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            raise GazetteerError(f"{source}: empty file; the first line is the header")
        header = [h.strip() for h in header]
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise GazetteerError(
                f"{source}:1: header lacks {', '.join(missing)}; expected {','.join(COLUMNS)}"
            )
        unknown = [c for c in header if c not in COLUMNS]
        if unknown:
            raise GazetteerError(
                f"{source}:1: unknown column(s) {', '.join(map(repr, unknown))};"
                f" known: {','.join(COLUMNS)}"
            )
        for row in reader:
            where = f"{source}:{reader.line_num}"
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > len(header):
                raise GazetteerError(
                    f"{where}: {len(row)} fields for {len(header)} columns"
                    " (quote a name that holds a comma)"
                )
            values = dict(zip(header, row, strict=False))
            for column, value in values.items():
                if len(value) > MAX_FIELD:
                    raise GazetteerError(
                        f"{where}: {column} is {len(value):,} characters; the limit is"
                        f" {MAX_FIELD:,}"
                    )
            if not values.get("name", "").strip():
                raise GazetteerError(f"{where}: name is empty")
            country = values.get("country", "").strip()
            if len(country) != 2 or not country.isascii() or not country.isalpha():
                raise GazetteerError(
                    f"{where}: country {country!r} is not an ISO 3166-1 alpha-2 code"
                    " (US, CN, HK, ...)"
                )
    except csv.Error as exc:
        raise GazetteerError(f"{source}:{reader.line_num}: not valid CSV ({exc})") from None
