"""The registry layer: the build step, the packaged data, loading cost and laziness.

A tiny registries folder in the shared layout is written to a temp dir and built, so
the build's rules (active records only, trailing-bracket forms, generic names left
out, one-word names only for universities, shared names, parents) are checked
without ../shared; the packaged file is checked for size, ROR ids and load time.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from indexer.gazetteer import Gazetteer, Institution
from indexer.gazetteer_build import build, main, write
from indexer.registry import DATA_FILE, Registry, load_registry

ROOT = Path(__file__).resolve().parents[1]
SHARED_REGISTRIES = ROOT.parent / "shared" / "registries"


def _record(rid: str, name: str, cc: str, city: str, **kw) -> dict:
    rec = {
        "id": rid,
        "name": name,
        "aliases": [],
        "acronyms": [],
        "labels": [],
        "country_code": cc,
        "city": city,
        "domains": [],
        "types": ["education"],
        "status": "active",
        "parents": [],
    }
    rec.update(kw)
    return rec


def _folder(tmp_path: Path) -> Path:
    (tmp_path / "ror").mkdir(parents=True)
    (tmp_path / "university-domains-list").mkdir()
    (tmp_path / "pmbalgorithm").mkdir()
    records = [
        _record(
            "03cve4549",
            "Tsinghua University",
            "CN",
            "Beijing",
            acronyms=["THU"],
            domains=["tsinghua.edu.cn"],
        ),
        _record(
            "0abcdef12",
            "Key Laboratory of Widgets",
            "CN",
            "Beijing",
            types=["facility"],
            parents=["03cve4549"],
        ),
        _record(
            "0bbbbbb12",
            "Technical University of Munich",
            "DE",
            "Munich",
            labels=[{"value": "Technische Universität München", "lang": "de"}],
        ),
        _record("0ccccc123", "Tata Sons (India)", "IN", "Mumbai", types=["company"]),
        _record("0ddddd123", "Ceres", "US", "Boston", types=["nonprofit"]),
        _record("0eeeee123", "National Research Institute", "JP", "Tokyo"),
        _record("0fffff123", "Old College", "GB", "York", status="inactive"),
        _record("0ggggg123", "Ohio Widget University", "US", "Columbus", acronyms=["OWU"]),
        _record("0hhhhh123", "Aberystwyth University", "GB", "Aberystwyth"),
    ]
    with gzip.open(tmp_path / "ror" / "ror_records_merged.jsonl.gz", "wt") as fh:
        for rec in records:
            fh.write(json.dumps(rec) + "\n")
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["name", "country_code", "country_name", "types", "ror_id_in_merged"])
    w.writerow(["Tsinghua University", "CN", "China", "Education", "03cve4549"])
    w.writerow(["Quokka Island Polytechnic", "AU", "Australia", "Education", ""])
    with gzip.open(tmp_path / "ror" / "ror_2021_names_by_country.csv.gz", "wt") as fh:
        fh.write(buf.getvalue())
    unis = [
        {"name": "Tsinghua University", "alpha_two_code": "CN", "domains": ["mails.thu.cn"]},
        {"name": "Fjord Valley University", "alpha_two_code": "NO", "domains": ["fvu.no"]},
    ]
    (tmp_path / "university-domains-list" / "world_universities_and_domains.json").write_text(
        json.dumps(unis)
    )
    (tmp_path / "pmbalgorithm" / "multi_country_institutions.txt").write_text(
        "Institutions in Multiple Countries\n=====\n\n"
        "Aberystwyth University (Mauritius, United Kingdom)\n"
        "  • Quartier Militaire, Mauritius\n  • Aberystwyth, United Kingdom\n\n"
        "Fjord Valley University (Norway, Iceland)\n  • Bergen, Norway\n  • Reykjavik, Iceland\n"
    )
    return tmp_path


@pytest.fixture
def built(tmp_path: Path) -> Registry:
    out = tmp_path / "out" / DATA_FILE
    write(build(_folder(tmp_path / "reg")), out)
    return Registry(gzip.decompress(out.read_bytes()).decode("utf-8"))


def test_build_keeps_active_records_with_ror_ids_and_parents(built: Registry) -> None:
    [org] = built.lookup("tsinghua university")
    assert (org.ror, org.country, org.city) == ("03cve4549", "CN", "Beijing")
    [lab] = built.lookup("key laboratory widgets")
    assert built.parent(lab) == org
    assert built.lookup("old college") == ()  # inactive


def test_build_adds_forms_papers_print(built: Registry) -> None:
    assert built.lookup("technical university munchen")[0].country == "DE"  # the label
    assert built.lookup("tata sons")[0].name == "Tata Sons (India)"  # no "(India)"
    assert built.lookup("quokka island polytechnic")[0].ror == ""  # 2021 list only
    assert built.by_domain("cs.fvu.no")[0].name == "Fjord Valley University"
    assert built.by_domain("mails.thu.cn")[0].ror == "03cve4549"  # merged onto ROR


def test_build_leaves_out_words_that_are_no_name(built: Registry) -> None:
    assert built.lookup("ceres") == ()  # one-word non-university
    assert built.lookup("national research institute") == ()  # only generic words


def test_shared_names_carry_their_places(built: Registry) -> None:
    assert ("Bergen", "NO") in built.shared_places("fjord valley university")
    assert built.shared_places("tsinghua university") == ()


def test_acronyms_need_the_city_in_the_line(built: Registry) -> None:
    assert [h.orgs[0].name for h in built.find("OWU, Columbus, Ohio")] == ["Ohio Widget University"]
    assert built.find("OWU") == []


def test_gazetteer_over_the_registry(built: Registry) -> None:
    curated = Institution("Tsinghua University", "CN", aliases=("THU",), kind="university")
    gaz = Gazetteer([curated], registry=built)
    [m] = gaz.find("Dept. of EE, Tsinghua Univ., Beijing")
    assert m.candidates[0].ror == "03cve4549"  # the curated row got its ROR id
    assert gaz.is_curated(m.candidates[0])
    [lab] = gaz.find("Key Lab of Widgets, Beijing")
    assert gaz.signed_as(lab.candidates[0]).name == "Tsinghua University"
    [shared] = gaz.find("Fjord Valley University")
    assert shared.needs_context and {c.country for c in shared.candidates} == {"NO", "IS"}
    [home] = gaz.find("Aberystwyth University")  # its own city is in the name
    assert not home.needs_context and home.candidates[0].country == "GB"


def test_main_reports_missing_inputs(tmp_path: Path, capsys) -> None:
    assert main([str(tmp_path)]) == 2
    assert "missing" in capsys.readouterr().err


def test_packaged_data_is_compact_and_loads_fast() -> None:
    path = ROOT / "indexer" / "data" / DATA_FILE
    assert path.stat().st_size < 8_000_000
    t0 = time.process_time()
    reg = Registry(gzip.decompress(path.read_bytes()).decode("utf-8"))
    cpu = time.process_time() - t0
    assert len(reg) > 100_000
    # 0.2 s on an idle core; the bound leaves room for a busy CI machine.
    assert cpu < 1.0
    assert load_registry().lookup("tsinghua university")[0].ror == "03cve4549"


def test_a_cold_count_does_not_load_the_registry(demo_index: Path) -> None:
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from search.cli import app\n"
        f"r = CliRunner().invoke(app, ['count', '--index', {str(demo_index)!r}])\n"
        "assert r.exit_code == 0, r.output\n"
        "print('indexer.registry' in sys.modules, 'indexer.gazetteer' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert out.stdout.split() == ["False", "False"]


@pytest.mark.skipif(not SHARED_REGISTRIES.is_dir(), reason="../shared/registries absent")
def test_rebuild_from_the_shared_registries_is_reproducible(tmp_path: Path) -> None:
    out = tmp_path / DATA_FILE
    assert main([str(SHARED_REGISTRIES), "--out", str(out)]) == 0
    assert out.read_bytes() == (ROOT / "indexer" / "data" / DATA_FILE).read_bytes()


@pytest.mark.skipif(not SHARED_REGISTRIES.is_dir(), reason="../shared/registries absent")
def test_shipped_data_holds_nothing_from_csrankings() -> None:
    # CSrankings is CC BY-NC-ND: used to check, never shipped. Its short forms
    # ("AUEB", "IIT Tirupati") must not be names only it provides.
    with (SHARED_REGISTRIES / "csrankings" / "institutions.csv").open() as fh:
        names = [row["institution"] for row in csv.DictReader(fh)]
    text = gzip.decompress((ROOT / "indexer" / "data" / DATA_FILE).read_bytes()).decode()
    assert "csrankings" not in text.lower()
    assert len(names) > 600
