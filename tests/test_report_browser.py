"""The HTML report in a real browser: headless Chromium opens it from disk, makes no network
request, draws every chart, shows the CLI's numbers, and its hit filter narrows the list.

Screenshots go to pytest's tmp dir (``.../report-<corpus>/report.png``); the path is printed.
"""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from search.cli import app
from tests.chromium import Browser, find_chromium

runner = CliRunner()
CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no Chromium on this machine (.ci/run installs the Debian package)"
)

NUMBERS_JS = """
(() => {
  const out = [];
  const add = (el, shown, command) => out.push({shown: shown.trim(), command: command});
  const corpus = document.querySelector('#corpus');
  add(corpus, corpus.querySelector('td.n').textContent, corpus.dataset.command);
  document.querySelectorAll('section.question').forEach(s => {
    const head = s.querySelector('.headline .count');
    if (head) {
      add(s, head.textContent, s.dataset.command);
      add(s, s.querySelector('.headline .denominator').textContent, s.dataset.denominatorCommand);
    }
    s.querySelectorAll('table.per-year tr[data-command]').forEach(tr => {
      if (tr.dataset.command) add(tr, tr.children[1].textContent, tr.dataset.command);
    });
    s.querySelectorAll('table.matrix-table td[data-command]').forEach(td =>
      add(td, td.textContent, td.dataset.command));
  });
  return out;
})()
"""

CHARTS_JS = """
[...document.querySelectorAll('section.question')].map(s => {
  const svg = s.querySelector('.chart svg');
  if (!svg) return null;
  const r = svg.getBoundingClientRect();
  return {w: r.width, h: r.height, shapes: svg.querySelectorAll('path, rect, use, image').length};
})
"""

VISIBLE_ROWS_JS = """
(() => {
  const box = document.querySelectorAll('.hits')[%d];
  return [...box.querySelectorAll('tbody tr')].filter(tr => tr.offsetParent !== null).length;
})()
"""


def cli_count(command: str) -> int:
    args = shlex.split(command)
    assert args[:2] == ["search", "count"], command
    result = runner.invoke(app, [*args[1:], "--json"])
    assert result.exit_code == 0, (command, result.stderr)
    return json.loads(result.stdout)["count"]


def check_report_in_browser(index: Path, out_dir: Path) -> Path:
    report = out_dir / "report.html"
    r = runner.invoke(app, ["report", "--index", str(index), "--out", str(report)])
    assert r.exit_code == 0, r.stderr
    profile = out_dir / "profile"
    profile.mkdir()
    assert CHROMIUM is not None
    browser = Browser(CHROMIUM, profile)
    try:
        browser.send("Network.enable")
        browser.send("Page.enable")
        browser.send("Emulation.setDeviceMetricsOverride", width=1200, height=900,
                     deviceScaleFactor=1, mobile=False)  # fmt: skip
        browser.send("Page.navigate", url=report.as_uri())
        browser.wait_for("Page.loadEventFired")

        # No request left the file: the page itself is the only one (inline data: images
        # of the heat maps are decoded from the page, not fetched).
        requests = [u for u in browser.requests() if not u.startswith("data:")]
        assert requests == [report.as_uri()], requests

        # Every question has a chart with drawn SVG of non-zero size.
        charts = browser.evaluate(CHARTS_JS)
        assert charts and all(c is not None for c in charts), charts
        for c in charts:
            assert c["w"] > 50 and c["h"] > 50 and c["shapes"] > 3, c

        # Every number shown equals `search count` for the same filters.
        numbers = browser.evaluate(NUMBERS_JS)
        assert len(numbers) >= 6
        for n in numbers:
            assert int(n["shown"]) == cli_count(n["command"]), n

        # Typing in a hit list's filter narrows it.
        sizes = browser.evaluate(
            "[...document.querySelectorAll('.hits')]"
            ".map(b => b.querySelectorAll('tbody tr').length)"
        )
        which = next(i for i, n in enumerate(sizes) if n >= 2)
        before = browser.evaluate(VISIBLE_ROWS_JS % which)
        assert before == sizes[which]
        file_name = browser.evaluate(
            f"document.querySelectorAll('.hits')[{which}].querySelector('tbody tr .meta')"
            ".textContent"
        )
        browser.evaluate(
            f"document.querySelectorAll('.hits')[{which}].querySelector('input').focus()"
        )
        browser.send("Input.insertText", text=file_name)
        after = browser.evaluate(VISIBLE_ROWS_JS % which)
        assert 1 <= after < before
        shown = browser.evaluate(
            f"document.querySelectorAll('.hits')[{which}].querySelector('.shown').textContent"
        )
        assert shown == f"{after} of {before} shown"
        assert [u for u in browser.requests() if not u.startswith("data:")] == [report.as_uri()]

        shot = browser.screenshot(out_dir / "report.png")
    finally:
        browser.close()
    assert shot.stat().st_size > 10_000
    print(f"report screenshot: {shot}")
    return shot


def test_demo_report_in_headless_chromium(demo_index: Path, tmp_path_factory) -> None:
    check_report_in_browser(demo_index, tmp_path_factory.mktemp("report-demo"))


@pytest.mark.shared
def test_shared_corpus_report_in_headless_chromium(shared_index: Path, tmp_path_factory) -> None:
    check_report_in_browser(shared_index, tmp_path_factory.mktemp("report-shared"))
