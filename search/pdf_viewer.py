"""Open a PDF at a page with whatever viewer the system has, never failing loudly.

Viewers that take a page on the command line (zathura, evince, okular, mupdf) are
preferred; otherwise the desktop opener (``xdg-open`` / ``open``) shows the file at
its first page. With neither, or no file, the caller gets a message to show.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

_PAGE_VIEWERS: tuple[tuple[str, Callable[[str, int], list[str]]], ...] = (
    ("zathura", lambda f, p: ["zathura", "--page", str(p), f]),
    ("evince", lambda f, p: ["evince", "--page-index", str(p), f]),
    ("okular", lambda f, p: ["okular", "--page", str(p), f]),
    ("mupdf", lambda f, p: ["mupdf", f, str(p)]),
)
_OPENERS = ("open",) if sys.platform == "darwin" else ("xdg-open",)


@dataclass(frozen=True, slots=True)
class OpenOutcome:
    """What happened when asked to open a PDF."""

    ok: bool
    """True when a viewer was started."""
    message: str
    """One line for the user."""


def viewer_command(
    pdf: Path, page: int, which: Callable[[str], str | None] = shutil.which
) -> tuple[list[str], bool] | None:
    """The command that shows `pdf` (and whether it goes to `page`), None without a viewer."""
    for name, build in _PAGE_VIEWERS:
        if which(name):
            return build(str(pdf), page), True
    for name in _OPENERS:
        if which(name):
            return [name, str(pdf)], False
    return None


def open_pdf(
    pdf: Path,
    page: int,
    which: Callable[[str], str | None] = shutil.which,
    popen: Callable[..., object] = subprocess.Popen,
) -> OpenOutcome:
    """Start a viewer on `pdf` at `page` in the background; report, never raise."""
    if not pdf.is_file():
        return OpenOutcome(False, f"PDF not found at {pdf} (moved since indexing?)")
    found = viewer_command(pdf, page, which)
    if found is None:
        return OpenOutcome(
            False, f"No PDF viewer found (xdg-open/open); the file is {pdf}, page {page}"
        )
    command, at_page = found
    try:
        popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError as exc:
        return OpenOutcome(False, f"Could not start {command[0]}: {exc.strerror or exc}")
    where = f"at page {page}" if at_page else f"(go to page {page})"
    return OpenOutcome(True, f"Opened {pdf.name} {where} with {command[0]}")
