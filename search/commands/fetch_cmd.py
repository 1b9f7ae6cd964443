"""`search fetch`: list a venue's accepted papers, download them with sidecars, report."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from search.errors import PaperscopeError

TOKEN_ENV = "PAPERSCOPE_OPENREVIEW_TOKEN"
FIRST_OPENREVIEW_YEAR = 2023
"""NeurIPS moved its accepted papers to OpenReview API v2 with 2023."""
NEURIPS_TRACKS = {
    "main": "NeurIPS.cc/{year}/Conference",
    # Seen for 2025 (openreview.net venue pages); other years: pass --venue-id.
    "datasets": "NeurIPS.cc/{year}/Datasets_and_Benchmarks_Track",
}


@dataclass(frozen=True, slots=True)
class FetchOptions:
    """Everything `search fetch` was asked to do."""

    venue: str | None
    """Short venue name given as the first argument ("neurips")."""
    year: int | None
    """Year given as the second argument."""
    venue_id: str | None
    """An OpenReview venue id (--venue-id), for any venue."""
    out: Path | None
    """Output folder; default papers/<venue><year>."""
    limit: int | None
    """Fetch at most this many papers."""
    dry_run: bool
    """List only; no PDF is requested."""
    concurrency: int
    """Downloads at once."""
    track: str
    """"main", "datasets" or "all"."""
    source: str
    """"auto", "openreview" or "proceedings"."""
    api_url: str
    """OpenReview API base URL."""
    site_url: str
    """Proceedings site base URL."""
    rate: float
    """Requests per second."""
    timeout: float
    """Seconds per request."""
    retries: int
    """Retries per request."""
    backoff: float
    """First retry delay in seconds."""
    page_size: int
    """Notes per listing request."""


def run_fetch(opts: FetchOptions) -> int:
    """Run `search fetch`; print failures and the summary; return the exit code."""
    from search.fetch.http import HttpClient, HttpError, HttpPolicy
    from search.fetch.runner import fetch_papers

    source, targets = _plan(opts)
    out = opts.out or Path("papers") / _default_folder(opts)
    if out.exists() and not out.is_dir():
        raise PaperscopeError(f"--out {out}: not a folder")
    err = Console(stderr=True, highlight=False)
    token = os.environ.get(TOKEN_ENV) or None
    client = HttpClient(
        HttpPolicy(
            rate=opts.rate,
            timeout=opts.timeout,
            retries=opts.retries,
            backoff=opts.backoff,
            token=token,
        )
    )

    listed = []
    with err.status("listing accepted papers…") as status:
        for target in targets:
            try:
                for paper in _list(client, source, target, opts, status):
                    listed.append(paper)
                    if opts.limit is not None and len(listed) >= opts.limit:
                        break
            except (HttpError, ValueError) as exc:
                hint = ""
                if isinstance(exc, HttpError) and exc.status in (401, 403) and not token:
                    hint = f" (a venue that needs a login: set {TOKEN_ENV})"
                err.print(f"error: cannot list {target}: {exc}{hint}", markup=False, soft_wrap=True)
                return 1
            if opts.limit is not None and len(listed) >= opts.limit:
                break
    if not listed:
        err.print(
            f"no accepted papers listed for {', '.join(map(str, targets))}",
            markup=False,
            soft_wrap=True,
        )
        return 1

    progress = Progress(
        TextColumn("[bold]fetching"),
        BarColumn(),
        MofNCompleteColumn(),
        _RateColumn(),
        TextColumn("{task.fields[mb]:.1f} MB"),
        TimeRemainingColumn(),
        console=err,
        transient=True,
        disable=opts.dry_run,
    )
    papers_task = progress.add_task("papers", total=len(listed), mb=0.0)
    got = [0]

    def on_result(r) -> None:
        if r.outcome == "failed":
            progress.console.print(f"{r.paper.id}: {r.reason}", markup=False, soft_wrap=True)
        progress.advance(papers_task)

    def on_bytes(n: int) -> None:
        got[0] += n  # threads race here only for the display
        progress.update(papers_task, mb=got[0] / 1e6)

    with progress:
        report = fetch_papers(
            listed,
            out,
            client,
            concurrency=opts.concurrency,
            dry_run=opts.dry_run,
            on_result=on_result,
            on_bytes=on_bytes,
        )

    if opts.dry_run:
        for r in report.results:
            car = r.paper.sidecar
            print(f"{car.id}\t{r.outcome}\t{car.venue or ''}\t{car.year or ''}\t{car.title}")
        print(
            f"listed {len(listed)} papers from {source}: {report.count('missing')} to download,"
            f" {report.count('present')} already in {out} (dry run: nothing downloaded)"
        )
        return 0
    mb = report.bytes() / 1e6
    print(
        f"fetched {report.count('downloaded')} papers ({mb:.1f} MB) into {out}"
        f" in {report.seconds:.1f} s; {report.count('present')} already present;"
        f" failed {len(report.failed)} ({client.requests} requests, {client.retried} retried)"
    )
    if report.interrupted:
        err.print("interrupted: complete files are kept; run the same command to resume")
        return 130
    return 1 if report.failed else 0


def _plan(opts: FetchOptions) -> tuple[str, list[str | int]]:
    """("openreview", [venue ids]) or ("proceedings", [year])."""
    if opts.venue_id:
        if opts.venue or opts.year:
            raise PaperscopeError("give either VENUE YEAR or --venue-id, not both")
        if opts.source == "proceedings":
            raise PaperscopeError("--venue-id is an OpenReview venue; drop --source proceedings")
        if not re.fullmatch(r"[\w.\-]+(/[\w.\-]+)+", opts.venue_id):
            raise PaperscopeError(
                f"--venue-id {opts.venue_id!r} does not look like an OpenReview venue id"
                " (e.g. NeurIPS.cc/2025/Conference)"
            )
        return "openreview", [opts.venue_id]
    if not opts.venue or opts.year is None:
        raise PaperscopeError(
            "say what to fetch: `search fetch neurips 2025` or"
            " `search fetch --venue-id NeurIPS.cc/2025/Conference`"
        )
    if opts.venue.casefold() not in ("neurips", "nips"):
        raise PaperscopeError(
            f"unknown venue {opts.venue!r}: `search fetch` knows neurips; for another"
            " OpenReview venue pass --venue-id (e.g. ICLR.cc/2025/Conference)"
        )
    if not 1987 <= opts.year <= 2100:
        raise PaperscopeError(f"year {opts.year} is not a NeurIPS year")
    source = opts.source
    if source == "auto":
        source = "openreview" if opts.year >= FIRST_OPENREVIEW_YEAR else "proceedings"
    if source == "proceedings":
        return source, [opts.year]
    if opts.year < FIRST_OPENREVIEW_YEAR:
        raise PaperscopeError(
            f"NeurIPS {opts.year} is not on OpenReview's API v2; use --source proceedings"
        )
    tracks = list(NEURIPS_TRACKS) if opts.track == "all" else [opts.track]
    return source, [NEURIPS_TRACKS[t].format(year=opts.year) for t in tracks]


def _list(client, source: str, target, opts: FetchOptions, status):
    from search.fetch.openreview import list_venue
    from search.fetch.proceedings import list_year

    if source == "proceedings":
        yield from list_year(
            client, int(target), site=opts.site_url, track=opts.track, limit=opts.limit
        )
        return

    def on_page(n: int, count: int | None) -> None:
        status.update(f"listing {target}: {n}{f' of {count}' if count else ''} papers…")

    yield from list_venue(
        client,
        str(target),
        api=opts.api_url,
        limit=opts.limit,
        page_size=opts.page_size,
        on_page=on_page,
    )


def _default_folder(opts: FetchOptions) -> str:
    if opts.venue_id:
        return re.sub(r"[^\w.\-]+", "-", opts.venue_id).strip("-").lower()
    suffix = "" if opts.track == "main" else f"-{opts.track}"
    return f"{(opts.venue or '').lower()}{opts.year}{suffix}"


class _RateColumn(ProgressColumn):
    """Papers per second."""

    def render(self, task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:.1f} papers/s" if speed else "– papers/s", style="progress.data.speed")
