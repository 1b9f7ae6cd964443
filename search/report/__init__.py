"""`search report`: the answers to a set of questions as one shareable file.

A report is a view of the same queries `search count` runs (`build.build_report`),
rendered as one self-contained HTML page (`html_page`: inline CSS, JS and matplotlib
SVG charts, no network request) or as Markdown (`markdown_page`). The questions are the
published analysis (`questions.builtin_questions`) or a TOML file (format in
`search.report.questions`).
"""

from __future__ import annotations

from pathlib import Path

from search.filters import Filters
from search.library import Library
from search.report.build import Report, build_report
from search.report.questions import Question, builtin_questions, load_questions

__all__ = [
    "Question",
    "Report",
    "build_report",
    "builtin_questions",
    "load_questions",
    "write_report",
]


def write_report(
    library: Library,
    out: Path,
    *,
    questions: list[Question] | None = None,
    scope: Filters = Filters(),
    fmt: str = "html",
    index_suffix: str = "",
) -> Report:
    """Answer the questions (built-in by default) and write the page to `out`."""
    from search.errors import PaperscopeError

    report = build_report(
        library, questions or builtin_questions(), scope, index_suffix=index_suffix
    )
    if fmt == "markdown":
        from search.report.markdown_page import render_markdown

        text = render_markdown(report)
    else:
        from search.report.html_page import render_html

        text = render_html(report)
    try:
        Path(out).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise PaperscopeError(f"cannot write {out}: {exc.strerror or exc}") from None
    return report
