"""Sidecars: the fields `search fetch` writes and the rules by which `search index` uses them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indexer.records import Affiliation, Author, Paper
from indexer.sidecar import Sidecar, SidecarError, apply_sidecar, merge_authors, read_sidecar
from search.fetch.http import parse_retry_after
from search.fetch.openreview import paper_from_note, split_venue_label


def printed_paper() -> Paper:
    return Paper(
        id="abc",
        file="x.pdf",
        path="/x.pdf",
        title="A Title As The Pdf Prints It",
        pages=(),
        authors=(
            Author("Wei Li", affiliations=(0,)),
            Author("J. Smith", affiliations=(1,), email="js@mit.edu"),
            Author("Someone Else", affiliations=(0, 1)),
        ),
        affiliations=(
            Affiliation("Tsinghua University", "Tsinghua University", "CN", "gazetteer"),
            Affiliation("MIT", "Massachusetts Institute of Technology", "US", "gazetteer"),
        ),
        venue="NeurIPS",
        year=2024,
        meta={"text_seconds": 0.1},
    )


def write(pdf: Path, **fields) -> None:
    pdf.with_suffix(".json").write_text(Sidecar(id=pdf.stem, **fields).to_json())


def test_no_sidecar_leaves_the_paper_as_printed(tmp_path):
    paper = printed_paper()
    assert apply_sidecar(paper, tmp_path / "x.pdf") is paper


def test_sidecar_wins_over_the_pdf_and_says_so(tmp_path):
    pdf = tmp_path / "Abc123.pdf"
    write(
        pdf,
        title="The Listed Title",
        authors=("Li Wei", "John Smith", "Nobody Printed"),
        venue="ICML",
        year=2023,
        decision="spotlight",
        openreview_id="Abc123",
        source="openreview-api2",
    )
    paper = apply_sidecar(printed_paper(), pdf)
    assert (paper.title, paper.venue, paper.year) == ("The Listed Title", "ICML", 2023)
    assert paper.openreview_id == "Abc123"
    # Listed names, in listed order, keep the affiliations of their printed match.
    assert [(a.name, a.affiliations) for a in paper.authors] == [
        ("Li Wei", (0,)),
        ("John Smith", (1,)),
        ("Nobody Printed", ()),
    ]
    assert paper.authors[1].email == "js@mit.edu"
    assert paper.countries == ("CN", "US")  # countries stay those the PDF prints
    src = paper.meta["metadata_source"]
    assert src == dict.fromkeys(("venue", "year", "title", "authors"), "sidecar (openreview-api2)")
    assert paper.meta["decision"] == "spotlight" and paper.meta["text_seconds"] == 0.1


def test_the_users_venue_and_year_win_over_the_sidecar(tmp_path):
    pdf = tmp_path / "p.pdf"
    write(pdf, venue="ICML", year=2023)
    paper = apply_sidecar(printed_paper(), pdf, venue="ICLR", year=2022)
    assert (paper.venue, paper.year) == ("ICLR", 2022)
    assert paper.meta["metadata_source"]["venue"] == "user"
    # Nothing listed for title/authors: the PDF's stay.
    assert paper.title == "A Title As The Pdf Prints It"
    assert paper.meta["metadata_source"]["title"] == "pdf"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("{not json", "is not JSON"),
        ('{"format": "other", "id": "x"}', "not a paperscope-sidecar/1 file"),
        ('{"format": "paperscope-sidecar/1", "id": "x", "year": "soon"}', "is not a year"),
    ],
)
def test_a_broken_sidecar_is_noted_and_ignored(tmp_path, text, reason):
    pdf = tmp_path / "b.pdf"
    pdf.with_suffix(".json").write_text(text)
    with pytest.raises(SidecarError, match=reason):
        read_sidecar(pdf)
    paper = apply_sidecar(printed_paper(), pdf)
    assert paper.venue == "NeurIPS" and reason in paper.meta["sidecar_error"]


def test_sidecar_round_trips(tmp_path):
    pdf = tmp_path / "r.pdf"
    car = Sidecar(id="r", authors=("A B",), author_ids=(None,), keywords=("k",), year=2025)
    pdf.with_suffix(".json").write_text(car.to_json())
    assert read_sidecar(pdf) == car
    assert json.loads(car.to_json())["format"] == "paperscope-sidecar/1"


def test_merge_authors_matches_each_printed_author_once():
    printed = (Author("Jane Doe", (0,)), Author("John Doe", (1,)))
    merged = merge_authors(("J. Doe", "Jane Doe"), printed)
    assert [a.affiliations for a in merged] == [(1,), (0,)]


def test_a_unified_authors_note_is_read():
    note = {
        "id": "N1",
        "content": {
            "title": {"value": "  Spaced   Title "},
            "authors": {
                "value": [
                    {"fullname": "Ada Lovelace", "username": "~Ada_Lovelace1", "institutions": []},
                    {"fullname": "Bob", "username": "bob@example.org"},
                ]
            },
            "venue": {"value": "NeurIPS 2025 Datasets and Benchmarks Track spotlight"},
        },
    }
    listed = paper_from_note(note, "NeurIPS.cc/2025/Datasets_and_Benchmarks_Track", "http://x")
    assert listed is not None
    car = listed.sidecar
    assert car.title == "Spaced Title"
    assert car.authors == ("Ada Lovelace", "Bob") and car.author_ids == ("~Ada_Lovelace1", None)
    assert (car.venue, car.year, car.track) == ("NeurIPS", 2025, "Datasets_and_Benchmarks_Track")
    assert car.decision == "Datasets and Benchmarks Track spotlight"
    assert listed.pdf_url == "http://x/pdf?id=N1"


def test_venue_labels_split_into_venue_and_decision():
    assert split_venue_label("NeurIPS 2025 oral") == ("NeurIPS 2025", "oral")
    assert split_venue_label("ICLR 2024") == ("ICLR 2024", None)
    assert split_venue_label(None) == (None, None)


def test_retry_after_takes_seconds_or_a_date():
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now=1445412500.0) == 10.0
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


@pytest.mark.parametrize("bad", ["../../etc/passwd", "", "a/b", None, 7])
def test_a_note_id_that_is_not_a_plain_name_is_skipped(bad):
    assert paper_from_note({"id": bad, "content": {}}, "V.cc/2025/Conference", "http://x") is None
