"""Institutions through a real index: ROR ids stored and printed, sub-units found
from their parent with `--institution`.

Sub-units are expanded at index time: a lab or school of a university is indexed
under the university, any other child (a Fraunhofer or CAS institute) under itself
and its parent (ROR ``parents`` or the curated ``parent`` column). A query on the
parent is then one term lookup, and counts and facets agree with it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pymupdf
import pytest
from typer.testing import CliRunner

from indexer.pipeline import index_pdfs
from search.cli import app
from search.filters import make_filters
from search.library import Library

BODY = (
    "We fine-tune a language model on several benchmarks and report what we find. "
    "The method adapts quickly and we study why it works in the remainder. "
) * 6


def _pdf(path: Path, title: str, author: str, affiliation: str) -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    page.insert_text((110, 90), title, fontsize=17, fontname="hebo")
    page.insert_text((200, 130), author, fontsize=11, fontname="helv")
    page.insert_text((120, 145), affiliation, fontsize=10, fontname="helv")
    page.insert_text((280, 180), "Abstract", fontsize=12, fontname="hebo")
    page.insert_textbox(pymupdf.Rect(72, 190, 540, 500), BODY, fontsize=10)
    doc.save(path)


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pdfs = tmp_path_factory.mktemp("rollup-pdfs")
    _pdf(
        pdfs / "fraunhofer.pdf",
        "Sensing with Small Models",
        "Anna Becker",
        "Fraunhofer Institute for Integrated Circuits IIS, Erlangen, Germany",
    )
    _pdf(
        pdfs / "pku-lab.pdf",
        "Perception with Large Models",
        "Wei Zhang",
        "Key Laboratory of Machine Perception (MOE), Peking University, Beijing, China",
    )
    out = tmp_path_factory.mktemp("rollup-index")
    report = index_pdfs([pdfs], out, workers=1)
    assert not report.skipped
    return out


def _count(index: Path, institution: str) -> int:
    return Library(index).count(make_filters("", institutions=[institution]))


def test_parent_finds_its_children(index: Path) -> None:
    assert _count(index, "Fraunhofer Society") == 1
    assert _count(index, "Fraunhofer Institute for Integrated Circuits") == 1
    assert _count(index, "Peking University") == 1
    assert _count(index, "Tsinghua University") == 0


def test_institution_by_ror_id(index: Path) -> None:
    assert _count(index, "https://ror.org/05hkkdn48") == 1  # Fraunhofer Society


def test_ror_ids_in_show_and_institutions(index: Path) -> None:
    runner = CliRunner()
    r = runner.invoke(app, ["show", "pku-lab.pdf", "--index", str(index), "--json"])
    assert r.exit_code == 0, r.output
    affs = json.loads(r.stdout)["affiliations"]
    assert ("Peking University", "https://ror.org/02v51f717") in {
        (a["institution"], a["ror"]) for a in affs
    }
    r = runner.invoke(app, ["show", "pku-lab.pdf", "--index", str(index)])
    assert "https://ror.org/02v51f717" in r.stdout
    r = runner.invoke(app, ["institutions", "--index", str(index), "--json"])
    rows = {row["institution"]: row["ror"] for row in json.loads(r.stdout)["rows"]}
    assert rows["Fraunhofer Society"] == "https://ror.org/05hkkdn48"
