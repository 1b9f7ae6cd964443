"""One paper's evidence: authors → affiliations → countries, models with usage, passages.

Every passage carries its page number; Enter (or ``o``) on a passage opens the PDF at
that page in the system viewer. Model sentences and affiliation lines stand for a claim
(uses llama, author country CN): ``v`` / ``r`` / ``u`` record a verdict on the claim under
the cursor in the review log (`search.reviews`), shown in the passage's label.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from search.browse import paper_snippets
from search.commands.render import append_highlighted
from search.errors import PaperscopeError
from search.filters import Filters
from search.hit_evidence import COUNTRY_SOURCE
from search.pdf_viewer import open_pdf
from search.results import Snippet
from search.review_queue import claim_evidence
from search.reviews import Claim
from tui.labels import country_label, model_label, model_origin

if TYPE_CHECKING:
    from indexer.records import Paper
    from search.library import Library


@dataclass(frozen=True, slots=True)
class Evidence:
    """A passage shown in the evidence list."""

    label: str
    """Where it comes from ("query", "llama · used")."""
    snippet: Snippet
    """The passage with its page and highlights."""
    claim: Claim | None = None
    """The claim the passage supports (None for full-text passages)."""
    verdict: str = ""
    """The claim's latest verdict, empty when unreviewed."""


class PaperScreen(Screen):
    """The evidence view of one paper."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("o", "open_pdf", "Open PDF at page"),
        Binding("ctrl+o", "open_pdf", "Open PDF", show=False),
        Binding("v", "judge('verified')", "Verify claim", show=False),
        Binding("r", "judge('rejected')", "Reject claim", show=False),
        Binding("u", "judge('unsure')", "Unsure", show=False),
    ]

    def __init__(self, library: Library, paper_id: str, filters: Filters) -> None:
        super().__init__(id="paper")
        self.library = library
        self.paper_id = paper_id
        self.filters = filters
        self.paper: Paper | None = None
        self.evidence: list[Evidence] = []

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="paper-body"):
            yield Static(id="paper-title")
            yield Static(id="paper-meta")
            yield Static("Authors → affiliations → countries", classes="section-title")
            yield Static(id="paper-authors")
            yield Static("Models", classes="section-title")
            yield Static(id="paper-models")
        yield Static("Evidence (Enter / o: open the PDF at that page)", classes="section-title")
        yield OptionList(id="evidence")
        yield Footer()

    def on_mount(self) -> None:
        try:
            self.paper = self.library.paper(self.paper_id)
        except PaperscopeError as exc:
            self.notify(str(exc), severity="error")
            self.app.pop_screen()
            return
        paper = self.paper
        self.query_one("#paper-title", Static).update(
            Text(paper.title or "(untitled)", style="bold")
        )
        n_pages = paper.n_pages or len(self.library.pages(paper.id))
        meta = [paper.file, f"{n_pages} pages", paper.id[:12]]
        if paper.venue or paper.year:
            meta.insert(0, " ".join(str(x) for x in (paper.venue, paper.year) if x))
        self.query_one("#paper-meta", Static).update(Text(" · ".join(meta), style="dim"))
        self.query_one("#paper-authors", Static).update(authors_text(paper))
        self.query_one("#paper-models", Static).update(models_text(paper))
        self.evidence = collect_evidence(self.library, paper, self.filters)
        self._with_verdicts()
        options = self.query_one("#evidence", OptionList)
        options.set_options(
            Option(evidence_text(e), id=str(i)) for i, e in enumerate(self.evidence)
        )
        if self.evidence:
            options.highlighted = 0  # `o` opens the page of the passage shown first
        else:
            options.add_option(Option(Text("no passages", style="dim"), disabled=True))
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_open_pdf()

    def _with_verdicts(self) -> None:
        log = self.library.review_log()
        latest = log.latest() if log is not None else {}
        self.evidence = [
            replace(e, verdict=latest[e.claim].verdict if e.claim in latest else "")
            for e in self.evidence
        ]

    def action_judge(self, verdict: str) -> None:
        """Record `verdict` on the claim of the passage under the cursor."""
        options = self.query_one("#evidence", OptionList)
        at = options.highlighted
        if at is None or at >= len(self.evidence) or self.evidence[at].claim is None:
            self.notify("This passage is not a claim (pick a model or affiliation line).")
            return
        claim = self.evidence[at].claim
        assert claim is not None
        log = self.library.review_log(create=True)
        assert log is not None
        log.record(claim, verdict)
        self._with_verdicts()
        for i, e in enumerate(self.evidence):
            if e.claim == claim:
                options.replace_option_prompt_at_index(i, evidence_text(e))
        self.notify(f"{claim.label()}: {verdict}")

    def action_open_pdf(self) -> None:
        """Open the PDF at the page of the highlighted passage (the first one when none is)."""
        if self.paper is None:
            return
        page = self.passage_page()
        outcome = open_pdf(Path(self.paper.path), page)
        self.notify(outcome.message, severity="information" if outcome.ok else "warning")

    def passage_page(self) -> int:
        """Page of the highlighted passage, else of the first one, else 1."""
        options = self.query_one("#evidence", OptionList)
        index = options.highlighted if options.highlighted is not None else 0
        return self.evidence[index].snippet.page if index < len(self.evidence) else 1


def authors_text(paper: Paper) -> Text:
    """Each author with their affiliations, institution and country."""
    text = Text()
    if not paper.authors and not paper.affiliations:
        return Text("  no authors or affiliations found", style="dim")
    for author in paper.authors:
        text.append(f"  {author.name}", style="bold")
        affs = [
            paper.affiliations[i] for i in author.affiliations if 0 <= i < len(paper.affiliations)
        ]
        if not affs:
            text.append("  —\n", style="dim")
            continue
        text.append("\n")
        for aff in affs:
            text.append(f"      {aff.text}", style="")
            text.append(f"  → {aff.institution or '?'} → ", style="cyan")
            text.append(country_label(aff.country) if aff.country else "?", style="bold cyan")
            text.append("\n")
    linked = {i for a in paper.authors for i in a.affiliations}
    others = [a for i, a in enumerate(paper.affiliations) if i not in linked]
    if others:
        text.append("  (not linked to an author)\n", style="dim")
        for aff in others:
            text.append(f"      {aff.text}")
            text.append(f"  → {aff.institution or '?'} → ", style="cyan")
            text.append(country_label(aff.country) if aff.country else "?", style="bold cyan")
            text.append(f"  ({aff.evidence})\n", style="dim")
    return text


def models_text(paper: Paper) -> Text:
    """Each model named, used first: usage class, origin, reason, mention count."""
    if not paper.usages:
        return Text("  no catalogued model named", style="dim")
    text = Text()
    for usage in sorted(paper.usages, key=lambda u: (u.usage != "used", u.model_id)):
        style = "green" if usage.usage == "used" else "yellow"
        text.append(f"  {model_label(usage.model_id):<16}", style=f"bold {style}")
        text.append(f"{usage.usage:<10}", style=style)
        origin = model_origin(usage.model_id)
        text.append(f"{origin or '?':<4}", style="dim")
        text.append(f"{usage.reason} ({usage.mentions} mentions)", style="dim")
        if usage.versions:
            shown = usage.versions_used or usage.versions
            text.append("  " + ", ".join(v.split("/", 1)[1] for v in shown), style="cyan")
        text.append("\n")
    text.rstrip()
    return text


def collect_evidence(library: Library, paper: Paper, filters: Filters) -> list[Evidence]:
    """Query passages first, the affiliation lines behind the countries asked for, then the
    sentences that decided each model's usage."""
    out = [
        Evidence("query", s)
        for s in paper_snippets(
            library, paper.id, filters, limit=5, running=paper.meta.get("running_lines", ())
        )
    ]
    shown: set[str] = set()
    for s in library.country_snippets(paper, filters):
        country = s.source.removeprefix(COUNTRY_SOURCE)
        shown.add(country)
        claim = Claim(paper.id, "country", country)
        out.append(Evidence(f"{country_label(country)} · affiliation", s, claim))
    wanted = set(filters.models)
    usages = sorted(
        paper.usages,
        key=lambda u: (u.model_id not in wanted, u.usage != "used", u.model_id),
    )
    for usage in usages:
        for mention in usage.evidence[:3]:
            sentence = " ".join(mention.sentence.split())
            start = sentence.find(mention.surface)
            spans = ((start, start + len(mention.surface)),) if start >= 0 else ()
            label = f"{model_label(usage.model_id)} · {usage.usage}"
            kind = (
                "model_used"
                if usage.usage == "used" and not filters.mentioned
                else "model_mentioned"
            )
            out.append(
                Evidence(
                    label,
                    Snippet(mention.page, sentence, spans, f"model:{usage.model_id}"),
                    Claim(paper.id, kind, usage.model_id),
                )
            )
    for country in paper.countries:
        if country in shown:  # already first, as the affiliation line asked about
            continue
        claim = Claim(paper.id, "country", country)
        for snippet in claim_evidence(paper, claim, n=1):
            out.append(Evidence(f"country {country}", snippet, claim))
    return out


def evidence_text(evidence: Evidence) -> Text:
    """``p.4  [Llama · used]  We fine-tune **Llama-2** …``"""
    text = Text(f"p.{evidence.snippet.page:<4}", style="bold")
    text.append(f"[{evidence.label}] ", style="cyan")
    if evidence.verdict:
        style = {"verified": "bold green", "rejected": "bold red"}.get(evidence.verdict, "yellow")
        text.append(f"{evidence.verdict} ", style=style)
    return append_highlighted(text, evidence.snippet, "bold reverse yellow")
