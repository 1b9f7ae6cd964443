"""The review log: verdicts change counts exactly as specified, survive re-indexing, move as
JSON Lines, and the interactive `search review --next` loop is driven from stdin."""

from __future__ import annotations

import json
import shutil
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from indexer.records import Affiliation, Author, ModelMention, ModelUsage, PageText, Paper
from search.cli import app
from search.errors import PaperscopeError
from search.filters import make_filters
from search.library import Library
from search.review_queue import claim_evidence, review_queue
from search.reviews import REVIEW_FILE, Claim, ReviewLog
from search.store import Store

runner = CliRunner()


def paper(pid: str, countries: list[str], used: list[str], mentioned: list[str] = ()) -> Paper:
    affs = tuple(
        Affiliation(text=f"Univ {c}, {c}", institution=f"Univ {c}", country=c, evidence="test")
        for c in countries
    )
    usages = tuple(
        ModelUsage(
            m, "used", "test", (ModelMention(m, m.title(), 3, "body", f"We tune {m.title()}."),), 1
        )
        for m in used
    ) + tuple(ModelUsage(m, "mentioned", "test", (), 1) for m in mentioned)
    return Paper(
        id=pid,
        file=f"{pid}.pdf",
        path=f"/x/{pid}.pdf",
        title=f"Paper {pid}",
        pages=(PageText(1, "front"), PageText(2, "body")),
        authors=(Author("A. Author", (0,)),),
        affiliations=affs,
        usages=usages,
        year=2025,
        venue="NeurIPS",
    )


@pytest.fixture()
def index_dir(tmp_path: Path) -> Path:
    store = Store.create(tmp_path / "ix")
    with store.writer() as w:
        w.add(paper("p1", ["US", "CN"], ["llama"], ["qwen"]))
        w.add(paper("p2", ["CN"], ["qwen", "llama"]))
        w.add(paper("p3", ["US"], ["qwen"], ["llama"]))
        w.add(paper("p4", ["CN"], ["llama"]))
        w.commit()
    return tmp_path / "ix"


def judge(index_dir: Path, pid: str, kind: str, value: str, verdict: str, who: str = "ann"):
    log = ReviewLog.open(index_dir, create=True)
    assert log is not None
    log.record(Claim(pid, kind, value), verdict, reviewer=who)
    log.close()


def test_no_log_means_no_file_and_raw_counts(index_dir: Path) -> None:
    lib = Library(index_dir)
    assert lib.review_log() is None
    assert lib.count(make_filters(models=["llama"])) == 3
    assert not (index_dir / REVIEW_FILE).exists()


def test_a_rejected_claim_no_longer_counts(index_dir: Path) -> None:
    judge(index_dir, "p4", "model_used", "llama", "rejected")
    lib = Library(index_dir)
    llama = make_filters(models=["llama"])
    assert lib.count(llama) == 2  # p4's only Llama claim was rejected
    assert lib.count(replace(llama, reviews="raw")) == 3
    assert {h.paper_id for h in lib.find(llama)} == {"p1", "p2"}
    # Any-of: a paper still matches by another listed value whose claim stands.
    judge(index_dir, "p2", "model_used", "llama", "rejected")
    lib = Library(index_dir)
    assert lib.count(make_filters(models=["llama"])) == 1
    assert lib.count(make_filters(models=["llama", "qwen"])) == 3  # p1, p2 (qwen), p3
    # Facets, adoption and countries honour it too.
    facets = {fc.value: fc.count for fc in lib.facets(make_filters())["model_used"]}
    assert facets == {"llama": 1, "qwen": 2}
    raw = {
        fc.value: fc.count
        for fc in lib.facets(replace(llama, models=(), reviews="raw"))["model_used"]
    }
    assert raw == {"llama": 3, "qwen": 2}
    adoption = lib.adoption(make_filters())
    assert adoption.frame(unknown=False).loc["llama"].to_dict() == {"US": 1, "CN": 1}
    # Group-by tables see the verdicts too: p4 (its Llama claim rejected) has no model.
    by_model = lib.table("model", filters=make_filters())
    assert by_model.cell("llama") == 1 and by_model.cell("(unknown)") == 1
    assert lib.table("model", filters=make_filters(reviews="raw")).cell("llama") == 3


def test_rejected_country_and_all_countries(index_dir: Path) -> None:
    judge(index_dir, "p1", "country", "CN", "rejected")
    lib = Library(index_dir)
    assert lib.count(make_filters(countries=["US", "CN"], all_countries=True)) == 0
    assert lib.count(make_filters(countries=["CN"])) == 2
    assert lib.count(make_filters(countries=["US", "CN"])) == 4  # p1 still has US
    countries = {fc.value: fc.count for fc in lib.facets(make_filters())["country"]}
    assert countries == {"US": 2, "CN": 2}


def test_verified_only_counts_only_verified_claims(index_dir: Path) -> None:
    lib = Library(index_dir)
    verified = make_filters(models=["llama"], reviews="verified")
    assert lib.count(verified) == 0
    judge(index_dir, "p2", "model_used", "llama", "verified")
    judge(index_dir, "p4", "model_used", "llama", "unsure")
    lib = Library(index_dir)
    assert lib.count(verified) == 1
    assert lib.count(make_filters(models=["llama"])) == 3  # unsure still counts
    facets = lib.facets(make_filters(reviews="verified"), fields=["model_used"])
    assert {fc.value: fc.count for fc in facets["model_used"]} == {"llama": 1}


def test_latest_verdict_wins_and_history_is_append_only(index_dir: Path) -> None:
    judge(index_dir, "p4", "model_used", "llama", "rejected")
    judge(index_dir, "p4", "model_used", "llama", "verified")
    lib = Library(index_dir)
    assert lib.count(make_filters(models=["llama"])) == 3
    log = lib.review_log()
    assert log is not None
    assert [v.verdict for v in log.history()] == ["rejected", "verified"]
    db = sqlite3.connect(index_dir / REVIEW_FILE)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("UPDATE verdicts SET verdict = 'rejected'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("DELETE FROM verdicts")


def test_review_stats_count_claims_behind_the_matches(index_dir: Path) -> None:
    judge(index_dir, "p1", "model_used", "llama", "verified")
    judge(index_dir, "p4", "model_used", "llama", "rejected")
    judge(index_dir, "p4", "country", "CN", "verified")
    lib = Library(index_dir)
    stats = lib.review_stats(make_filters(models=["llama"], countries=["CN"]))
    # raw matches p1, p2, p4; claims: llama ×3, CN ×3
    assert stats.to_dict() == {
        "claims": 6,
        "verified": 2,
        "rejected": 1,
        "unsure": 0,
        "unreviewed": 3,
    }


def test_queue_lists_unreviewed_claims_with_evidence(index_dir: Path) -> None:
    judge(index_dir, "p1", "model_used", "llama", "verified")
    lib = Library(index_dir)
    queue = review_queue(lib, make_filters(models=["llama"], countries=["CN"]))
    claims = {(i.claim.paper_id, i.claim.kind) for i in queue.items}
    assert ("p1", "model_used") not in claims
    assert ("p1", "country") in claims and ("p4", "model_used") in claims
    item = next(i for i in queue.items if i.claim.kind == "model_used")
    assert item.evidence[0].page == 3 and "Llama" in item.evidence[0].text
    country = claim_evidence(lib.paper("p1"), Claim("p1", "country", "CN"))
    assert country[0].text.startswith("Univ CN, CN")
    with pytest.raises(PaperscopeError, match="no claims to review"):
        review_queue(lib, make_filters(years=[2025]))


def test_export_import_reproduces_the_log_on_a_fresh_index(index_dir: Path, tmp_path: Path) -> None:
    judge(index_dir, "p4", "model_used", "llama", "rejected")
    judge(index_dir, "p2", "country", "CN", "verified", who="bo")
    export = tmp_path / "log.jsonl"
    r = runner.invoke(app, ["reviews", "export", str(export), "--index", str(index_dir)])
    assert r.exit_code == 0 and "2 verdicts written" in r.stdout
    fresh = tmp_path / "fresh"
    shutil.copytree(index_dir, fresh)
    (fresh / REVIEW_FILE).unlink()
    for extra in ("-wal", "-shm"):
        (fresh / (REVIEW_FILE + extra)).unlink(missing_ok=True)
    assert Library(fresh).count(make_filters(models=["llama"])) == 3
    r = runner.invoke(app, ["reviews", "import", str(export), "--index", str(fresh)])
    assert r.exit_code == 0, r.stderr
    assert "2 verdicts added" in r.stdout
    before = ReviewLog.open(index_dir).history()
    assert ReviewLog.open(fresh).history() == before
    assert Library(fresh).count(make_filters(models=["llama"])) == 2
    # Importing again adds nothing.
    r = runner.invoke(app, ["reviews", "import", str(export), "--index", str(fresh)])
    assert "0 verdicts added, 2 already present, 0 conflicts" in r.stdout


def test_import_lists_conflicts_and_keeps_the_local_verdict(
    index_dir: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other.jsonl"
    rows = [
        {"paper_id": "p4", "kind": "model_used", "value": "llama", "verdict": "verified",
         "note": "", "reviewer": "bo", "at": "2030-01-01T00:00:00.000000Z"},
        {"paper_id": "p1", "kind": "country", "value": "US", "verdict": "verified",
         "note": "", "reviewer": "bo", "at": "2030-01-01T00:00:00.000000Z"},
    ]  # fmt: skip
    other.write_text("".join(json.dumps(r) + "\n" for r in rows))
    judge(index_dir, "p4", "model_used", "llama", "rejected", who="ann")
    r = runner.invoke(app, ["reviews", "import", str(other), "--index", str(index_dir)])
    assert r.exit_code == 1
    assert "1 verdicts added" in r.stdout and "1 conflicts" in r.stdout
    assert "conflict: p4 uses llama: kept rejected (ann" in r.stderr
    lib = Library(index_dir)
    assert lib.count(make_filters(models=["llama"])) == 2  # still rejected
    # The same reviewer changing their mind is not a conflict.
    judge(index_dir, "p3", "model_used", "qwen", "rejected", who="bo")
    rows[0].update(paper_id="p3", value="qwen")
    other.write_text(json.dumps(rows[0]) + "\n")
    r = runner.invoke(app, ["reviews", "import", str(other), "--index", str(index_dir)])
    assert r.exit_code == 0 and "1 verdicts added" in r.stdout
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"paper_id": "p1"}\n')
    r = runner.invoke(app, ["reviews", "import", str(bad), "--index", str(index_dir)])
    assert r.exit_code == 2 and "bad.jsonl:1: not a review line" in r.stderr


def test_review_command_records_and_checks_the_claim(index_dir: Path) -> None:
    args = ["--index", str(index_dir)]
    r = runner.invoke(
        app, ["review", "p4.pdf", "--model", "Llama-2", "--reject", "--note", "n", *args]
    )
    assert r.exit_code == 0, r.stderr
    assert "uses llama: rejected" in r.stdout
    r = runner.invoke(app, ["count", "--model", "llama", *args])
    assert r.stdout.strip() == "2 · 0 verified · 1 rejected · 2 unreviewed"
    r = runner.invoke(app, ["count", "--model", "llama", "--raw", "--json", *args])
    data = json.loads(r.stdout)
    assert data["count"] == 3 and data["rejected"] == 1 and data["unreviewed"] == 2
    r = runner.invoke(app, ["count", "--model", "llama", "--verified-only", *args])
    assert r.stdout.startswith("0 ·")
    for command in ("papers", "facets"):
        r = runner.invoke(app, [command, "--model", "llama", *args])
        assert "review: 0 verified · 1 rejected · 2 unreviewed" in r.stdout
    r = runner.invoke(app, ["review", "p3", "--model", "llama", "--verify", *args])
    assert r.exit_code == 2 and "has no model_used claim 'llama'" in r.stderr
    r = runner.invoke(app, ["review", "p3", "--model", "llama", "--mentioned", "--verify", *args])
    assert r.exit_code == 0 and "mentions llama: verified" in r.stdout
    r = runner.invoke(app, ["review", "p3", "--model", "llama", *args])
    assert r.exit_code == 2 and "exactly one of --verify" in r.stderr
    r = runner.invoke(app, ["reviews", "--model", "llama", "--format", "jsonl", *args])
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    assert [x["verdict"] for x in lines] == ["rejected"] and lines[0]["note"] == "n"
    r = runner.invoke(app, ["reviews", *args])
    assert "2 verdicts" in r.stdout


def test_next_loop_is_driven_from_stdin(index_dir: Path) -> None:
    args = [
        "review",
        "--next",
        "--model",
        "llama",
        "--reviewer",
        "tester",
        "--index",
        str(index_dir),
    ]
    r = runner.invoke(app, args, input="o\nv\nr\ns\nq\n")
    assert r.exit_code == 0, r.stderr
    assert "0 of 3 reviewed · 3 to go" in r.stdout
    assert "We tune Llama." in r.stdout and "p.3" in r.stdout
    assert "PDF not found at /x/p1.pdf" in r.stdout  # `o` opens the PDF, then asks again
    assert "1 of 3 reviewed" in r.stdout
    assert "2 of 3 reviewed · 2 verdicts recorded" in r.stdout
    log = ReviewLog.open(index_dir)
    assert [(v.verdict, v.reviewer) for v in log.history()] == [
        ("verified", "tester"),
        ("rejected", "tester"),
    ]
    # The next walk starts at the claim that was skipped.
    r = runner.invoke(app, args, input="u\n")
    assert "2 of 3 reviewed · 1 to go" in r.stdout and "3 of 3 reviewed" in r.stdout


def test_verdicts_survive_a_rebuild_and_a_moved_corpus(tmp_path: Path, demo_corpus) -> None:
    from indexer.pipeline import index_pdfs

    pdfs = tmp_path / "a"
    pdfs.mkdir()
    for p in sorted(demo_corpus.pdf_dir.glob("*.pdf"))[:6]:
        shutil.copy(p, pdfs / p.name)
    ix = tmp_path / "ix"
    index_pdfs([pdfs], ix, workers=1)
    lib = Library(ix)
    countries = lib.facets(make_filters(), fields=["country"])["country"]
    value, n = countries[0].value, countries[0].count
    target = lib.find(make_filters(countries=[value]), limit=1)[0]
    judge(ix, target.paper_id, "country", value, "rejected")
    assert Library(ix).count(make_filters(countries=[value])) == n - 1
    moved = tmp_path / "b" / "moved"
    shutil.move(pdfs, moved)
    index_pdfs([moved], ix, workers=1, rebuild=True)
    lib = Library(ix)
    assert lib.paper(target.paper_id).path.startswith(str(moved))
    assert lib.count(make_filters(countries=[value])) == n - 1
    assert lib.count(make_filters(countries=[value], reviews="raw")) == n


@pytest.mark.parametrize("command", ["review", "reviews"])
def test_review_commands_have_help_with_examples(command: str) -> None:
    r = runner.invoke(app, [command, "--help"])
    assert r.exit_code == 0 and "Example" in r.stdout


def test_library_repeats_the_review_constants_faithfully() -> None:
    import search.library as library
    import search.reviews as reviews

    assert library._REVIEW_FILE == reviews.REVIEW_FILE
    assert library._CLAIM_FIELDS == reviews.CLAIM_FIELDS


def test_a_count_without_a_log_does_not_import_the_review_module(index_dir: Path) -> None:
    import subprocess
    import sys

    code = (
        "import sys; from search.library import Library; from search.filters import make_filters;"
        f" n = Library({str(index_dir)!r}).count(make_filters(models=['llama']));"
        " assert n == 3, n; assert 'search.reviews' not in sys.modules; assert 'sqlite3' not in"
        " sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[1])
