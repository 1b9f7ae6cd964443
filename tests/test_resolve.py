"""The public resolver: raw affiliation strings → institution, ROR id, country.

One test per pattern papers and publisher metadata print (abbreviations, non-English
names, brackets, "and"-joined institutions, states that are countries' names,
mangled characters, names inside longer names, acronyms, sub-units), the
`search resolve` command, and the floors on the hand-checked development set in
``tests/data/affiliation_devset.jsonl``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from indexer.affiliations import resolve
from search.cli import app

DEVSET = Path(__file__).parent / "data" / "affiliation_devset.jsonl"
runner = CliRunner()


def one(text: str) -> tuple[str | None, str | None]:
    [aff] = resolve(text)
    return aff.institution, aff.country


def countries(text: str) -> list[str]:
    return sorted({a.country for a in resolve(text) if a.country})


def test_abbreviated_ieee_form_gives_institution_ror_and_country() -> None:
    [aff] = resolve("Dept. of EE, Tsinghua Univ., Beijing 100084, China")
    assert (aff.institution, aff.ror, aff.country) == (
        "Tsinghua University",
        "https://ror.org/03cve4549",
        "CN",
    )
    assert aff.evidence
    assert one("Sch. of Comput. Sci., Wuhan Univ., Wuhan 430072, China")[0] == "Wuhan University"
    assert one("Grad. Sch. of Inf. Sci. and Technol., Natl. Tsing Hua Univ.")[1] == "TW"


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("Universität Stuttgart", "DE"),
        ("Université Grenoble Alpes", "FR"),
        ("Universidad Politécnica de Madrid", "ES"),
        ("Politecnico di Torino", "IT"),
        ("Universidade de São Paulo", "BR"),
        ("Technische Universiteit Delft", "NL"),
        ("Politechnika Warszawska", "PL"),
    ],
)
def test_non_english_names_without_a_place(text: str, country: str) -> None:
    assert one(text)[1] == country


def test_a_whole_string_in_brackets() -> None:
    assert one("[Tsinghua University, Beijing, China]")[1] == "CN"
    assert one("(Max Planck Institute for Intelligent Systems, Tübingen)")[1] == "DE"


def test_and_joined_institutions_keep_both_countries() -> None:
    assert countries("University of Tübingen, Germany and ETH Zürich, Switzerland") == ["CH", "DE"]
    assert countries("Quux Institut, Bonn, Germany and Tsinghua University") == ["CN", "DE"]
    assert countries("Stanford University and Peking University") == ["CN", "US"]
    # "and" inside a name does not split it.
    assert one("Department of Electrical and Computer Engineering, Duke University")[1] == "US"


def test_georgia_the_state_and_georgia_the_country() -> None:
    assert one("Coll. of Comput., Georgia Inst. of Technol., Atlanta, Georgia 30332")[1] == "US"
    assert one("Emory University, Atlanta, Georgia")[1] == "US"
    assert one("Tbilisi State University, Tbilisi, Georgia")[1] == "GE"


def test_state_codes_that_are_country_codes() -> None:
    assert one("Univ. of Illinois, Urbana, IL 61801")[1] == "US"
    assert one("Purdue Univ., West Lafayette, IN 47907")[1] == "US"


def test_mangled_characters() -> None:
    assert one("Fudan University, Shanghai, People¿s Republic of China")[1] == "CN"
    assert one("Zhejiang University, Hangzhou, People?s Republic of China")[1] == "CN"
    assert one("Universit¨at des Saarlandes, Saarbr¨ucken")[1] == "DE"


def test_a_known_name_inside_a_longer_one_is_not_it() -> None:
    assert one("Pacific Northwest University of Health Sciences, Yakima, WA")[1] == "US"
    # No registry entry for the longer name: unknown, never Northwest University (CN).
    assert one("Pacific Northwest University")[1] is None
    assert one("New York University Abu Dhabi")[1] == "AE"


def test_acronyms_need_support() -> None:
    assert one("Oregon State University (OSU), Corvallis")[0] == "Oregon State University"
    assert one("Orange Summit University (OSU)")[1] is None  # spelled out before it
    assert one("UCB Pharma, Brussels, Belgium")[0] != "University of California, Berkeley"
    assert one("AP-HP, Paris")[1] == "FR"


def test_shared_names_need_printed_context() -> None:
    assert one("Northeastern University, Shenyang")[1] == "CN"
    assert one("Northeastern University, Boston, MA")[1] == "US"
    assert one("Aberystwyth University")[1] == "GB"  # its city is in its name


def test_sub_units_roll_up_to_the_university() -> None:
    text = "Key Laboratory of Machine Perception (MOE), School of Intelligence Science and "
    assert one(text + "Technology, Peking University")[0] == "Peking University"


def test_unknown_strings_stay_unknown() -> None:
    for text in ("Independent Researcher", "Department of Computer Science", "Research Institute"):
        assert countries(text) == []
    assert resolve("   ") == []


def test_cli_resolve_prints_institution_ror_country_evidence() -> None:
    r = runner.invoke(app, ["resolve", "Dept. of EE, Tsinghua Univ., Beijing 100084, China"])
    assert r.exit_code == 0, r.output
    assert r.output.split("\t")[:3] == ["Tsinghua University", "https://ror.org/03cve4549", "CN"]


def test_cli_resolve_jsonl_keeps_order_and_reports_bad_lines(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(
        '{"text": "Stanford University"}\nnot json\n{"id": 3}\n'
        '{"text": "Univ. of Tokyo, Japan and Seoul National Univ."}\n'
    )
    r = runner.invoke(app, ["resolve", "--jsonl", str(src)])
    assert r.exit_code == 1
    lines = [json.loads(line) for line in r.stdout.splitlines()]
    assert [d["text"] for d in lines] == [
        "Stanford University",
        "Univ. of Tokyo, Japan and Seoul National Univ.",
    ]
    assert lines[0]["affiliations"] == [
        {"institution": "Stanford University", "ror": "https://ror.org/00f54p054", "country": "US"}
    ]
    assert lines[1]["countries"] == ["JP", "KR"]
    assert f"{src}:2: not JSON" in r.stderr and f'{src}:3: no "text"' in r.stderr


def test_cli_resolve_needs_text_or_file(tmp_path: Path) -> None:
    r = runner.invoke(app, ["resolve"])
    assert r.exit_code == 2 and "error:" in r.output
    r = runner.invoke(app, ["resolve", "--jsonl", str(tmp_path / "missing.jsonl")])
    assert r.exit_code == 2 and "cannot read" in r.output


# Floors on the development set; they only go up.
DEV_FLOORS = {"precision": 0.99, "recall": 0.95}


def test_development_set_floors() -> None:
    tp = fp = fn = 0
    misses = []
    for line in DEVSET.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        gold = set(item["countries"])
        pred = {a.country for a in resolve(item["text"]) if a.country}
        tp += len(pred & gold)
        fp += len(pred - gold)
        fn += len(gold - pred)
        if pred != gold:
            misses.append(f"{item['text']}: {sorted(gold)} != {sorted(pred)}")
    assert tp + fn >= 300
    assert tp / (tp + fp) >= DEV_FLOORS["precision"], misses
    assert tp / (tp + fn) >= DEV_FLOORS["recall"], misses


def test_countries_printed_in_their_own_language() -> None:
    # Unknown institutions: only the printed country (a registry variant) speaks.
    assert one("Quuxlabor für Widgets, Hamburg, Deutschland")[1] == "DE"
    assert one("Laboratoire Quux, Lausanne, Suisse")[1] == "CH"
    assert one("Instituto Quux, Bogotá, Colombia")[1] == "CO"
    assert one("Grupo Quux, Sevilla, España")[1] == "ES"


def test_a_name_and_its_city_printed_as_two_fields() -> None:
    text = "Dept. of CSE, Indian Institute of Technology, Kharagpur, West Bengal 721302"
    assert one(text)[0] == "Indian Institute of Technology Kharagpur"


@pytest.mark.parametrize(
    ("text", "institution"),
    [
        (
            "Korea Adv. Inst. of Sci. & Technol.",
            "Korea Advanced Institute of Science and Technology",
        ),
        (
            "Beijing Univ. of Posts & Telecommun.",
            "Beijing University of Posts and Telecommunications",
        ),
        (
            "Nanjing Univ. of Aeronaut. & Astronaut.",
            "Nanjing University of Aeronautics and Astronautics",
        ),
        ("Ecole Polytech. Fed. de Lausanne", "École Polytechnique Fédérale de Lausanne"),
    ],
)
def test_inspec_abbreviations(text: str, institution: str) -> None:
    assert one(text)[0] == institution


def test_a_bad_registry_file_is_one_error_line(tmp_path: Path, monkeypatch) -> None:
    from indexer.gazetteer import _load
    from indexer.registry import load_registry

    bad = tmp_path / "registry.tsv.gz"
    bad.write_text("not gzip")
    monkeypatch.setenv("PAPERSCOPE_REGISTRY", str(bad))
    load_registry.cache_clear()
    _load.cache_clear()
    try:
        r = runner.invoke(app, ["resolve", "MIT"])
        assert r.exit_code == 2
        assert r.output.startswith("error: PAPERSCOPE_REGISTRY:") and "not a registry" in r.output
    finally:
        monkeypatch.delenv("PAPERSCOPE_REGISTRY")
        load_registry.cache_clear()
        _load.cache_clear()
