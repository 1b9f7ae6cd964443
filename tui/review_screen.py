"""The review queue: the unreviewed claims behind the current query, one at a time.

Shows the paper, the claim and its page-numbered evidence; ``v`` / ``r`` / ``u`` record
a verdict and move on, ``s`` skips, ``o`` opens the PDF at the evidence page, Escape goes
back. The queue and the progress come from `search.review_queue` (headless).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from search.commands.render import append_highlighted
from search.errors import PaperscopeError
from search.filters import Filters
from search.pdf_viewer import open_pdf
from search.review_queue import QueueItem, ReviewQueue, review_queue

if TYPE_CHECKING:
    from search.library import Library


class ReviewScreen(Screen):
    """One unreviewed claim at a time, with its evidence; one key per verdict."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("v", "judge('verified')", "Verified"),
        Binding("r", "judge('rejected')", "Rejected"),
        Binding("u", "judge('unsure')", "Unsure"),
        Binding("s", "skip", "Skip"),
        Binding("o", "open_pdf", "Open PDF at page"),
    ]

    def __init__(self, library: Library, filters: Filters) -> None:
        super().__init__(id="review")
        self.library = library
        self.filters = filters
        self.queue: ReviewQueue | None = None
        self.position = 0
        self.reviewed = 0
        """Claims behind the query with a verdict (grows as verdicts are recorded)."""

    def compose(self) -> ComposeResult:
        yield Static("loading the claims behind the query…", id="review-progress")
        yield Static(id="review-paper")
        yield Static(id="review-claim", classes="section-title")
        yield OptionList(id="review-evidence")
        yield Footer()

    def on_mount(self) -> None:
        self._load(self.filters)

    @work(thread=True, exclusive=True, group="review")
    def _load(self, filters: Filters) -> None:
        try:
            queue = review_queue(self.library, filters)
        except PaperscopeError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self._loaded, queue)

    def _failed(self, message: str) -> None:
        self.notify(message, severity="warning", title="Review queue")
        self.app.pop_screen()

    def _loaded(self, queue: ReviewQueue) -> None:
        self.queue = queue
        self.reviewed = queue.stats.reviewed
        self._show()

    @property
    def current(self) -> QueueItem | None:
        """The claim on screen, None when the queue is done."""
        if self.queue is None or self.position >= len(self.queue.items):
            return None
        return self.queue.items[self.position]

    def progress_text(self) -> str:
        """``12 of 141 reviewed · 3 to go``."""
        if self.queue is None:
            return ""
        left = len(self.queue.items) - self.position
        return f"{self.reviewed} of {self.queue.stats.claims} reviewed · {left} to go"

    def _show(self) -> None:
        self.query_one("#review-progress", Static).update(
            Text(f"{self.progress_text()}   ({self.filters.command_line()})", style="bold")
        )
        item = self.current
        evidence = self.query_one("#review-evidence", OptionList)
        evidence.clear_options()
        if item is None:
            self.query_one("#review-paper", Static).update(
                Text("Nothing left to review for this query.", style="bold green")
            )
            self.query_one("#review-claim", Static).update("")
            return
        paper = item.paper
        head = Text(paper.title or paper.file, style="bold")
        head.append(f"\n{paper.file} · {paper.id[:12]} · {' '.join(paper.countries)}", style="dim")
        self.query_one("#review-paper", Static).update(head)
        self.query_one("#review-claim", Static).update(f"Claim: {item.claim.label()}")
        for snippet in item.evidence:
            text = Text(f"p.{snippet.page:<4}", style="bold")
            evidence.add_option(Option(append_highlighted(text, snippet, "bold reverse yellow")))
        if not item.evidence:
            evidence.add_option(Option(Text("no evidence sentence stored", style="dim")))
        evidence.highlighted = 0
        evidence.focus()

    def action_judge(self, verdict: str) -> None:
        """Record the verdict on the claim on screen and show the next one."""
        item = self.current
        if item is None:
            return
        log = self.library.review_log(create=True)
        assert log is not None
        log.record(item.claim, verdict)
        self.reviewed += 1
        self.position += 1
        self._show()

    def action_skip(self) -> None:
        """Leave the claim unreviewed and show the next one."""
        if self.current is not None:
            self.position += 1
            self._show()

    def action_open_pdf(self) -> None:
        """Open the PDF at the page of the highlighted evidence."""
        item = self.current
        if item is None:
            return
        evidence = self.query_one("#review-evidence", OptionList)
        page = 1
        if item.evidence:
            at = evidence.highlighted or 0
            page = item.evidence[min(at, len(item.evidence) - 1)].page
        outcome = open_pdf(Path(item.paper.path), page)
        self.notify(outcome.message, severity="information" if outcome.ok else "warning")
