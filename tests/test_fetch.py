"""`search fetch` against a local server (127.0.0.1) that speaks OpenReview's API v2 shapes.

Nothing here touches the internet: `tests/fetch_server.py` serves the listing and
PDFs made by the demo generator, scripts the faults (429 with Retry-After, 5xx,
connection resets, truncated bodies, HTML instead of a PDF) and logs every request,
so each test checks both what landed on disk and what was asked of the server.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from indexer.sidecar import read_sidecar
from search.cli import app
from tests.conftest import ROOT
from tests.fetch_server import LocalServer, ServerState, note

VENUE = "ICML.cc/2023/Conference"  # the demo PDFs print NeurIPS/ICLR/ICML 2024-2025
N_PAPERS = 7
runner = CliRunner()


@pytest.fixture(scope="module")
def demo_pdfs() -> list[tuple[str, bytes]]:
    """(title, PDF bytes) of a few demo papers."""
    from indexer.demo import make_paper

    out = []
    for i in range(N_PAPERS):
        _, data, label = make_paper(i, 2025)
        out.append((label["title"], data))
    return out


def paper_id(i: int) -> str:
    return f"Or{i:02d}xYzAb"


@pytest.fixture
def server(demo_pdfs):
    state = ServerState()
    for i, (title, data) in enumerate(demo_pdfs):
        decision = "oral" if i % 3 == 0 else "poster"
        authors = [f"Ada Lovelace{i}", f"Alan Turing{i}", f"Grace Hopper{i}"]
        state.notes.append(note(paper_id(i), title, authors, VENUE, f"ICML 2023 {decision}"))
        state.pdfs[paper_id(i)] = data
    # A rejected paper: listed under another venue id, never fetched.
    state.notes.append(note("Rejected01", "Nope", ["X Y"], f"{VENUE}/Rejected_Submission", "x"))
    with LocalServer(state) as srv:
        yield srv


def fetch(srv: LocalServer, out: Path, *extra: str, env: dict[str, str] | None = None):
    args = [
        "fetch", "--venue-id", VENUE, "--out", str(out), "--api-url", srv.url,
        "--rate", "0", "--backoff", "0.01", "--timeout", "5", *extra,
    ]  # fmt: skip
    result = runner.invoke(app, args, env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    return result.exit_code, result.stdout, result.stderr


# -- listing and sidecars --------------------------------------------------------------


def test_listing_pages_through_every_accepted_paper(server, tmp_path):
    code, out, err = fetch(server, tmp_path, "--page-size", "3")
    assert code == 0, err
    listing = server.state.requests_for("notes")
    offsets = [
        dict(p.split("=") for p in r.path.split("?")[1].split("&"))["offset"] for r in listing
    ]
    assert offsets == ["0", "3", "6"]
    assert all("content.venueid=ICML.cc%2F2023%2FConference" in r.path for r in listing)
    assert sorted(p.stem for p in tmp_path.glob("*.pdf")) == [paper_id(i) for i in range(7)]
    assert not list(tmp_path.glob("*.part"))
    assert f"fetched {N_PAPERS} papers" in out and "failed 0" in out


def test_sidecar_holds_the_listing_record(server, tmp_path, demo_pdfs):
    assert fetch(server, tmp_path, "--limit", "2")[0] == 0
    car = read_sidecar(tmp_path / f"{paper_id(0)}.pdf")
    raw = json.loads((tmp_path / f"{paper_id(0)}.json").read_text())
    assert car is not None
    assert car.title == demo_pdfs[0][0]
    assert car.authors == ("Ada Lovelace0", "Alan Turing0", "Grace Hopper0")
    # Profile ids are kept, e-mail addresses are not copied.
    assert car.author_ids == ("~Ada_Lovelace01", None, "~Grace_Hopper01")
    assert (car.venue, car.year, car.decision, car.venue_id) == ("ICML", 2023, "oral", VENUE)
    assert car.venue_label == "ICML 2023 oral" and car.track == "main"
    assert car.openreview_id == paper_id(0)
    assert car.url == f"https://openreview.net/forum?id={paper_id(0)}"
    assert car.keywords == ("large language models", "evaluation")
    assert car.abstract and car.source == "openreview-api2"
    assert car.pdf_bytes == len(demo_pdfs[0][1])
    assert raw["fetched_at"].endswith("Z")
    assert (tmp_path / f"{paper_id(0)}.pdf").read_bytes() == demo_pdfs[0][1]
    assert len(list(tmp_path.glob("*.pdf"))) == 2


def test_dry_run_requests_no_pdf(server, tmp_path):
    code, out, _ = fetch(server, tmp_path, "--dry-run")
    assert code == 0
    assert server.state.pdf_requests() == []
    assert not list(tmp_path.glob("*.pdf"))
    assert f"{paper_id(3)}\tmissing\tICML\t2023\t" in out
    assert f"listed {N_PAPERS} papers" in out and "nothing downloaded" in out


def test_a_second_run_downloads_nothing(server, tmp_path):
    assert fetch(server, tmp_path)[0] == 0
    before = len(server.state.pdf_requests())
    code, out, _ = fetch(server, tmp_path)
    assert code == 0
    assert len(server.state.pdf_requests()) == before
    assert "fetched 0 papers" in out and f"{N_PAPERS} already present" in out


def test_a_broken_or_unrecorded_file_is_fetched_again(server, tmp_path):
    assert fetch(server, tmp_path)[0] == 0
    broken = tmp_path / f"{paper_id(1)}.pdf"
    broken.write_bytes(broken.read_bytes()[:1000])  # size no longer matches the sidecar
    (tmp_path / f"{paper_id(2)}.json").unlink()  # no sidecar: not known to be complete
    before = {k: len(server.state.requests_for(k)) for k in server.state.pdfs}
    assert fetch(server, tmp_path)[0] == 0
    again = {k for k in server.state.pdfs if len(server.state.requests_for(k)) > before[k]}
    assert again == {paper_id(1), paper_id(2)}
    assert broken.read_bytes() == server.state.pdfs[paper_id(1)]
    assert read_sidecar(tmp_path / f"{paper_id(2)}.pdf") is not None


def test_concurrency_and_rate_limits_hold(server, tmp_path):
    server.state.pdf_delay = 0.15
    assert fetch(server, tmp_path, "--concurrency", "2")[0] == 0
    assert server.state.max_in_flight == 2  # parallel, but never more than asked
    server.state.log.clear()
    server.state.pdf_delay = 0.0
    assert fetch(server, tmp_path / "slow", "--rate", "20")[0] == 0
    starts = sorted(r.at for r in server.state.log)
    assert len(starts) == N_PAPERS + 1  # the listing page and one request per PDF
    # 8 requests at 20 per second span 0.35 s at the client; arrival times jitter a little.
    assert starts[-1] - starts[0] >= 0.6 * N_PAPERS / 20


# -- faults -------------------------------------------------------------------------------


def test_429_waits_as_long_as_retry_after_says(server, tmp_path):
    server.state.faults[paper_id(0)] = [("status", 429, 1)]
    code, _, err = fetch(server, tmp_path, "--limit", "1", "--backoff", "0")
    assert code == 0, err
    first, second = server.state.requests_for(paper_id(0))
    assert first.status == 429 and second.status == 200
    assert second.at - first.at >= 0.95  # backoff is 0: only Retry-After made it wait


def test_listing_429_and_5xx_are_retried(server, tmp_path):
    server.state.faults["notes"] = [("status", 503, 0), ("status", 500)]
    code, _, err = fetch(server, tmp_path, "--limit", "1")
    assert code == 0, err
    assert [r.status for r in server.state.requests_for("notes")] == [503, 500, 200]


def test_server_errors_then_success(server, tmp_path):
    server.state.faults[paper_id(0)] = [("status", 500), ("status", 502), ("status", 503)]
    code, out, err = fetch(server, tmp_path, "--limit", "1")
    assert code == 0, err
    assert [r.status for r in server.state.requests_for(paper_id(0))] == [500, 502, 503, 200]
    assert "3 retried" in out


def test_connection_reset_mid_file_is_retried(server, tmp_path):
    server.state.faults[paper_id(0)] = [("reset", 6000)]
    code, _, err = fetch(server, tmp_path, "--limit", "1")
    assert code == 0, err
    assert len(server.state.requests_for(paper_id(0))) == 2
    assert (tmp_path / f"{paper_id(0)}.pdf").read_bytes() == server.state.pdfs[paper_id(0)]


def test_truncated_body_resumes_with_a_range_request(server, tmp_path):
    server.state.faults[paper_id(0)] = [("truncate", 5000)]
    code, _, err = fetch(server, tmp_path, "--limit", "1")
    assert code == 0, err
    first, second = server.state.requests_for(paper_id(0))
    assert (first.status, first.sent) == (200, 5000)
    assert (second.range, second.status) == ("bytes=5000-", 206)
    data = server.state.pdfs[paper_id(0)]
    assert second.sent == len(data) - 5000  # no byte was downloaded twice
    assert (tmp_path / f"{paper_id(0)}.pdf").read_bytes() == data


def test_a_complete_part_from_a_stopped_run_is_not_downloaded_again(server, tmp_path):
    data = server.state.pdfs[paper_id(0)]
    (tmp_path / f"{paper_id(0)}.pdf.part").write_bytes(data)  # stopped before the rename
    code, _, err = fetch(server, tmp_path, "--limit", "1")
    assert code == 0, err
    [only] = server.state.requests_for(paper_id(0))
    assert (only.range, only.status, only.sent) == (f"bytes={len(data)}-", 416, 0)
    assert (tmp_path / f"{paper_id(0)}.pdf").read_bytes() == data


def test_a_file_that_stays_truncated_is_named_and_never_kept(server, tmp_path):
    server.state.faults[paper_id(0)] = [("truncate", 4000)] * 3
    code, out, err = fetch(server, tmp_path, "--limit", "2", "--retries", "2")
    assert code == 1
    assert f"{paper_id(0)}: truncated download" in err and "after 3 attempts" in err
    assert not (tmp_path / f"{paper_id(0)}.pdf").exists()
    assert not (tmp_path / f"{paper_id(0)}.json").exists()
    assert (tmp_path / f"{paper_id(0)}.pdf.part").exists()  # kept for the next run
    assert (tmp_path / f"{paper_id(1)}.pdf").exists() and "failed 1" in out
    # The next run resumes the part and completes.
    code, _, err = fetch(server, tmp_path, "--limit", "2")
    assert code == 0, err
    assert server.state.requests_for(paper_id(0))[-1].status == 206
    assert (tmp_path / f"{paper_id(0)}.pdf").read_bytes() == server.state.pdfs[paper_id(0)]


def test_an_html_page_is_not_taken_for_a_pdf(server, tmp_path):
    server.state.faults[paper_id(0)] = [("html",)]
    code, _, err = fetch(server, tmp_path, "--limit", "1")
    assert code == 1
    assert f"{paper_id(0)}: " in err and "not a PDF" in err
    assert not list(tmp_path.glob(f"{paper_id(0)}.*"))


def test_an_unreachable_api_is_one_line_and_exit_1(tmp_path):
    code, _, err = fetch(
        LocalServerStub("http://127.0.0.1:9"), tmp_path, "--retries", "1", "--timeout", "1"
    )
    assert code == 1
    assert err.strip().startswith(f"error: cannot list {VENUE}: cannot connect")
    assert len(err.strip().splitlines()) == 1


def test_a_refused_listing_suggests_the_token(server, tmp_path):
    server.state.faults["notes"] = [("status", 403)]
    code, _, err = fetch(server, tmp_path)
    assert code == 1
    assert "HTTP 403" in err and "PAPERSCOPE_OPENREVIEW_TOKEN" in err
    assert server.state.pdf_requests() == []


class LocalServerStub:
    def __init__(self, url: str) -> None:
        self.url = url


# -- a killed run resumes ------------------------------------------------------------------


def test_killed_run_resumes_and_downloads_nothing_twice(server, tmp_path):
    state = server.state
    state.pdf_delay = 0.25
    cmd = [
        sys.executable, "-c", "from search.cli import main; main()",
        "fetch", "--venue-id", VENUE, "--out", str(tmp_path), "--api-url", server.url,
        "--rate", "0", "--backoff", "0.01", "--concurrency", "1",
    ]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while sum(state.complete_downloads(k) for k in state.pdfs) < 3:
        assert time.monotonic() < deadline and proc.poll() is None, proc.stderr.read()
        time.sleep(0.02)
    time.sleep(0.1)
    proc.kill()
    proc.wait()
    done_before = {p.stem for p in tmp_path.glob("*.pdf")}
    assert 2 <= len(done_before) < N_PAPERS
    seen_before = len(state.log)

    state.pdf_delay = 0.0
    code, out, err = fetch(server, tmp_path, "--concurrency", "1")
    assert code == 0, err
    second = [r.key for r in state.log[seen_before:] if r.key != "notes"]
    assert not set(second) & done_before  # nothing complete was asked for again
    for key, data in state.pdfs.items():
        assert state.complete_downloads(key) <= 1, key  # no whole file sent twice
        assert (tmp_path / f"{key}.pdf").read_bytes() == data
    assert f"{len(done_before)} already present" in out


# -- token, usage ----------------------------------------------------------------------------


def test_token_is_sent_as_a_header_and_never_printed(server, tmp_path):
    server.state.faults[paper_id(1)] = [("status", 404)]
    env = {"PAPERSCOPE_OPENREVIEW_TOKEN": "s3cr3t-t0ken"}
    code, out, err = fetch(server, tmp_path, "--limit", "2", env=env)
    assert code == 1
    assert {r.auth for r in server.state.log} == {"Bearer s3cr3t-t0ken"}
    assert "s3cr3t" not in out + err
    assert f"{paper_id(1)}: " in err and "HTTP 404" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "say what to fetch"),
        (["iclr", "2025"], "unknown venue 'iclr'"),
        (["neurips", "2025", "--track", "x"], "--track 'x'"),
        (["neurips", "2021", "--source", "openreview"], "not on OpenReview"),
        (["neurips", "2025", "--venue-id", VENUE], "not both"),
        (["--venue-id", "not a venue"], "does not look like"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(args, message):
    result = runner.invoke(app, ["fetch", *args])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_fetch_has_help_with_examples():
    result = runner.invoke(app, ["fetch", "--help"])
    assert result.exit_code == 0
    assert "search fetch neurips 2025" in result.stdout and "--venue-id" in result.stdout


# -- proceedings site ----------------------------------------------------------------------


HASHES = ["0a1b2c3d4e5f60718293a4b5c6d7e8f9", "1111aaaa2222bbbb3333cccc4444dddd", "ff" * 16]


def proceedings_page(year: int) -> str:
    items = [
        ("conference", HASHES[0], "Conference", "Paper One", "Ada Lovelace, Alan Turing"),
        ("conference", HASHES[1], "Conference", "Paper &amp; Two", "Grace Hopper"),
        ("datasets_and_benchmarks", HASHES[2], "Datasets_and_Benchmarks", "A Benchmark", "K J"),
    ]
    lis = "\n".join(
        f'<li class="{cls}"><div class="paper-content"><a title="paper title" '
        f'href="/paper_files/paper/{year}/hash/{h}-Abstract-{track}.html">{title}</a>'
        f'<span class="paper-authors"><i>{authors}</i></span></div></li>'
        for cls, h, track, title, authors in items
    )
    return (
        f'<html><body><div class="container"><ul class="paper-list">{lis}</ul></div></body></html>'
    )


def test_older_neurips_years_come_from_the_proceedings_site(server, tmp_path, demo_pdfs):
    state = server.state
    state.proceedings[2021] = proceedings_page(2021)
    for h, (_, data) in zip(HASHES, demo_pdfs, strict=False):
        state.pdfs[h] = data
    code, _, err = runner_fetch_proceedings(server, tmp_path)
    assert code == 0, err
    assert sorted(p.stem for p in tmp_path.glob("*.pdf")) == sorted(HASHES[:2])
    car = read_sidecar(tmp_path / f"{HASHES[1]}.pdf")
    assert car is not None
    assert (car.title, car.authors, car.venue, car.year) == (
        "Paper & Two",
        ("Grace Hopper",),
        "NeurIPS",
        2021,
    )
    assert car.source == "neurips-proceedings" and car.openreview_id is None
    assert car.pdf_url.endswith(f"/paper_files/paper/2021/file/{HASHES[1]}-Paper-Conference.pdf")
    code, _, _ = runner_fetch_proceedings(server, tmp_path / "db", "--track", "datasets")
    assert code == 0
    assert [p.stem for p in (tmp_path / "db").glob("*.pdf")] == [HASHES[2]]


def runner_fetch_proceedings(srv: LocalServer, out: Path, *extra: str):
    env = {"PAPERSCOPE_PROCEEDINGS_URL": srv.url}  # the environment variable, not the flag
    args = ["fetch", "neurips", "2021", "--out", str(out), "--rate", "0", *extra]
    result = runner.invoke(app, args, env=env)
    return result.exit_code, result.stdout, result.stderr


# -- fetch → index ----------------------------------------------------------------------------


@pytest.mark.slow
def test_fetch_then_index_takes_venue_and_year_from_the_sidecars(server, tmp_path):
    papers, index = tmp_path / "papers", tmp_path / "index"
    assert fetch(server, papers)[0] == 0
    result = runner.invoke(app, ["index", str(papers), "--index", str(index), "--workers", "1"])
    assert result.exit_code == 0, result.stderr

    from search.filters import make_filters
    from search.library import Library

    lib = Library(index)
    assert lib.count(make_filters()) == N_PAPERS
    assert lib.count(make_filters(venues=["ICML 2023"])) == N_PAPERS  # the PDFs print others
    frame = lib.frame(make_filters())
    assert set(frame["year"]) == {2023}

    result = runner.invoke(app, ["show", f"{paper_id(0)}.pdf", "--index", str(index), "--json"])
    record = json.loads(result.stdout)
    assert record["openreview_id"] == paper_id(0)
    assert [a["name"] for a in record["authors"]] == [
        "Ada Lovelace0",
        "Alan Turing0",
        "Grace Hopper0",
    ]
    sources = record["meta"]["metadata_source"]
    assert sources["venue"] == sources["year"] == "sidecar (openreview-api2)"
    assert record["meta"]["decision"] == "oral"
    shown = runner.invoke(app, ["show", f"{paper_id(0)}.pdf", "--index", str(index)]).stdout
    assert f"OpenReview {paper_id(0)}" in shown
