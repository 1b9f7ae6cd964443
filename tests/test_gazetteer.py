"""Gazetteer files: the optional ``parent`` column and institution roll-up."""

from __future__ import annotations

from pathlib import Path

from indexer.affiliations import resolve_affiliations
from indexer.gazetteer import Gazetteer, load_gazetteer, merge_institutions, read_institutions

ROWS = """name,country,aliases,domains,city,kind,parent
Chinese Academy of Sciences,CN,CAS,cas.cn,Beijing,institute,
"Institute of Frobnication, Chinese Academy of Sciences",CN,IFCAS,if.ac.cn,Beijing,institute,CAS
Quux University,CN,QU,qu.edu.cn,Hangzhou,university,
Quux Key Lab of Widgets,CN,,,Hangzhou,lab,Quux University
Quux Frob Institute,CN,,,Hangzhou,institute,Quux University
Quux Gadget Center,CN,,,Hangzhou,lab,Quux Frob Institute
"""


def gazetteer(rows: str = ROWS) -> Gazetteer:
    return Gazetteer(read_institutions(rows.splitlines(keepends=True)))


def test_files_without_a_parent_column_still_load(tmp_path: Path) -> None:
    user = tmp_path / "institutions.csv"
    user.write_text("name,country,aliases\nFrobnitz Lab,DE,FL\n", encoding="utf-8")
    gaz = load_gazetteer(user)
    (inst,) = gaz.match("Frobnitz Lab, Berlin")
    assert (inst.country, inst.parent) == ("DE", "")
    assert gaz.parent_of(inst) is None


def test_parent_is_found_by_name_or_alias() -> None:
    gaz = gazetteer()
    (inst,) = gaz.match("Institute of Frobnication, Chinese Academy of Sciences")
    assert [p.name for p in gaz.ancestors(inst)] == ["Chinese Academy of Sciences"]


def test_a_later_row_without_parent_keeps_the_earlier_parent() -> None:
    base = read_institutions(ROWS.splitlines(keepends=True))
    extra = read_institutions(["name,country,aliases\n", "Quux Key Lab of Widgets,CN,QKLW\n"])
    merged = {i.name: i for i in merge_institutions(base, extra)}
    assert merged["Quux Key Lab of Widgets"].parent == "Quux University"
    assert "QKLW" in merged["Quux Key Lab of Widgets"].aliases


def test_academy_institute_keeps_itself_and_adds_the_academy() -> None:
    affs = resolve_affiliations(["IFCAS, Beijing, China"], [], "", gazetteer())
    assert [(a.institution, a.country) for a in affs] == [
        ("Institute of Frobnication, Chinese Academy of Sciences", "CN"),
        ("Chinese Academy of Sciences", "CN"),
    ]


def test_university_sub_unit_is_signed_as_the_university() -> None:
    affs = resolve_affiliations(["Quux Key Lab of Widgets, Quux University"], [], "", gazetteer())
    assert [a.institution for a in affs] == ["Quux University"]
    assert affs[0].text == "Quux Key Lab of Widgets, Quux University"


def test_anything_nested_inside_a_university_is_signed_as_the_university() -> None:
    affs = resolve_affiliations(["Quux Gadget Center, Hangzhou"], [], "", gazetteer())
    assert [(a.institution, a.country) for a in affs] == [("Quux University", "CN")]


def test_parent_printed_next_to_its_child_is_not_counted_twice() -> None:
    text = "Institute of Frobnication (IFCAS), Chinese Academy of Sciences (CAS)"
    affs = resolve_affiliations([text], [], "", gazetteer())
    assert sorted(a.institution or "" for a in affs) == [
        "Chinese Academy of Sciences",
        "Institute of Frobnication, Chinese Academy of Sciences",
    ]


def test_parent_takes_the_childs_printed_country() -> None:
    affs = resolve_affiliations(["IFCAS, Hong Kong"], [], "", gazetteer())
    assert {a.country for a in affs} == {"HK"}


def test_builtin_cas_institutes_and_ucas() -> None:
    gaz = load_gazetteer()
    affs = resolve_affiliations(
        ["Institute of Computing Technology, Chinese Academy of Sciences"], [], "", gaz
    )
    assert "Chinese Academy of Sciences" in {a.institution for a in affs}
    # UCAS is a university of its own, not a CAS institute.
    affs = resolve_affiliations(["University of Chinese Academy of Sciences"], [], "", gaz)
    assert [a.institution for a in affs] == ["University of Chinese Academy of Sciences"]
    # Google DeepMind and Google stay apart.
    (dm,) = resolve_affiliations(["Google DeepMind"], [], "", gaz)
    assert (dm.institution, dm.country) == ("Google DeepMind", "GB")
    assert gaz.resolve_name("CAS") == "Chinese Academy of Sciences"


def test_query_names_resolve_to_what_papers_are_indexed_under() -> None:
    gaz = gazetteer()
    assert gaz.resolve_name("Quux Key Lab of Widgets") == "Quux University"
    assert gaz.resolve_name("IFCAS") == "Institute of Frobnication, Chinese Academy of Sciences"
    assert gaz.resolve_name("Chinese Academy of Sciences") == "Chinese Academy of Sciences"
