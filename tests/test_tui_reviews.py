"""Reviews in the TUI (Pilot): verdicts from the paper screen, the review column, the queue."""

from __future__ import annotations

from pathlib import Path

import pytest

from search.filters import make_filters
from search.library import Library
from search.reviews import ReviewLog
from tests.test_tui import build_sample_index, make_app, settle

pytestmark = pytest.mark.anyio


@pytest.fixture()
def index_dir(tmp_path: Path) -> Path:
    return build_sample_index(tmp_path / "ix")


async def test_paper_screen_keys_judge_the_claim_under_the_cursor(index_dir: Path) -> None:
    from tui.paper_screen import PaperScreen
    from tui.results_table import ResultsTable

    app = make_app(index_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await settle(pilot, screen, 0)
        screen.set_filters(make_filters(models=["llama"], countries=["CN"]))
        await settle(pilot, screen, screen.generation)
        before = screen.results.total
        table = screen.query_one(ResultsTable)
        assert not table.review_column
        first = table.selected_paper
        table.focus()
        await pilot.press("enter")
        await pilot.pause()
        paper = app.screen
        assert isinstance(paper, PaperScreen)
        options = paper.query_one("#evidence")
        at = next(
            i
            for i, e in enumerate(paper.evidence)
            if e.claim is not None and e.claim.kind == "model_used" and e.claim.value == "llama"
        )
        options.highlighted = at
        await pilot.press("r")
        await pilot.pause()
        assert paper.evidence[at].verdict == "rejected"
        assert "rejected" in str(options.get_option_at_index(at).prompt)
        country = next(
            i
            for i, e in enumerate(paper.evidence)
            if e.claim is not None and e.claim.kind == "country"
        )
        options.highlighted = country
        await pilot.press("v")
        await pilot.pause()
        assert paper.evidence[country].verdict == "verified"
        gen = screen.generation
        await pilot.press("escape")
        await settle(pilot, screen, gen)
        # The rejected claim no longer counts; the table shows review marks.
        assert screen.results.total == before - 1
        log = ReviewLog.open(index_dir)
        assert {(v.kind, v.verdict) for v in log.history()} == {
            ("model_used", "rejected"),
            ("country", "verified"),
        }
        assert log.history()[0].paper_id == first
        assert Library(index_dir).count(make_filters(models=["llama"], countries=["CN"])) == (
            before - 1
        )
        screen.set_filters(make_filters(models=["llama"], countries=["CN"], reviews="raw"))
        await settle(pilot, screen, screen.generation)
        assert table.review_column
        assert table.get_cell(first, "review") == "✓1 ✗1"


async def test_review_queue_walks_the_unreviewed_claims(index_dir: Path, tmp_path: Path) -> None:
    from tui.review_screen import ReviewScreen

    app = make_app(index_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await settle(pilot, screen, 0)
        screen.set_filters(make_filters(models=["llama"]))
        await settle(pilot, screen, screen.generation)
        await pilot.press("f6")
        for _ in range(100):
            await pilot.pause(0.02)
            if isinstance(app.screen, ReviewScreen) and app.screen.queue is not None:
                break
        review = app.screen
        assert isinstance(review, ReviewScreen)
        total = review.queue.stats.claims
        assert total == Library(index_dir).count(make_filters(models=["llama"]))
        assert review.progress_text() == f"0 of {total} reviewed · {total} to go"
        first = review.current
        assert "Llama-7B" in str(review.query_one("#review-evidence").get_option_at_index(0).prompt)
        await pilot.press("v")
        await pilot.press("s")
        await pilot.press("r")
        await pilot.pause()
        assert review.progress_text() == f"2 of {total} reviewed · {total - 3} to go"
        await pilot.press("o")  # sample PDFs do not exist: a notification, no crash
        await pilot.pause()
        assert any("PDF not found" in n.message for n in app._notifications)
        gen = screen.generation
        await pilot.press("escape")
        await settle(pilot, screen, gen)
        assert screen.results.total == total - 1
        log = ReviewLog.open(index_dir)
        assert log.history()[0].claim == first.claim
        assert [v.verdict for v in log.history()] == ["verified", "rejected"]


async def test_review_queue_without_claims_goes_back_with_a_message(index_dir: Path) -> None:
    app = make_app(index_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await settle(pilot, screen, 0)
        await pilot.press("f6")
        for _ in range(50):
            await pilot.pause(0.02)
            if app.screen is screen:
                break
        assert app.screen is screen
        assert any("no claims to review" in n.message for n in app._notifications)
