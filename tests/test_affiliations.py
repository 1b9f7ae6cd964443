"""Gazetteer look-ups and affiliation string → institution → country rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.affiliations import (
    affiliation_part,
    email_evidence,
    is_later_move,
    is_this_paper_note,
    resolve_affiliations,
    split_marker,
)
from indexer.gazetteer import Gazetteer, load_gazetteer, read_institutions

ROWS = """name,country,aliases,domains,city,kind
Tsinghua University,CN,THU,tsinghua.edu.cn,Beijing,university
Shanghai Jiao Tong University,CN,SJTU,sjtu.edu.cn,Shanghai,university
Northeastern University,US,,northeastern.edu,Boston,university
Northeastern University,CN,,neu.edu.cn,Shenyang,university
Microsoft,US,Microsoft Research,microsoft.com,Redmond,company
Microsoft Research Asia,CN,MSRA,,Beijing,lab
Google DeepMind,GB,DeepMind,deepmind.com,London,company
Huawei,CN,Huawei Noah's Ark Lab,huawei.com,Shenzhen,company
Massachusetts Institute of Technology,US,MIT,mit.edu,Cambridge,university
Meta,US,Meta AI,meta.com,Menlo Park,company
Inria,FR,,inria.fr,Paris,institute
University of Warwick,GB,,warwick.ac.uk,Coventry,university
Alibaba Group,CN,Alibaba,alibaba-inc.com,Hangzhou,company
Faculty AI,GB,Faculty,faculty.ai,London,company
"""


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer(read_institutions(ROWS.splitlines(keepends=True)))


def countries(affs) -> list[str | None]:
    return [a.country for a in affs]


# --- gazetteer -----------------------------------------------------------------------


def test_longest_name_wins(gaz: Gazetteer) -> None:
    assert [i.name for i in gaz.match("Microsoft Research Asia, Beijing")] == [
        "Microsoft Research Asia"
    ]


def test_matching_respects_word_boundaries_and_case_of_short_names(gaz: Gazetteer) -> None:
    assert gaz.match("we submit a meta-analysis") == []
    assert [i.name for i in gaz.match("MIT and Meta")] == [
        "Massachusetts Institute of Technology",
        "Meta",
    ]


def test_marker_digits_next_to_a_name_do_not_block_the_match(gaz: Gazetteer) -> None:
    assert [i.name for i in gaz.match("1Tsinghua University 2SJTU")] == [
        "Tsinghua University",
        "Shanghai Jiao Tong University",
    ]


def test_one_word_alias_heading_a_longer_name_does_not_match(gaz: Gazetteer) -> None:
    assert gaz.match("Faculty of Mathematics and Physics") == []


def test_ambiguous_name_returns_every_institution(gaz: Gazetteer) -> None:
    assert {i.country for i in gaz.match("Northeastern University")} == {"US", "CN"}


def test_domain_lookup_walks_up_subdomains(gaz: Gazetteer) -> None:
    assert [i.name for i in gaz.by_domain("a@mails.tsinghua.edu.cn")] == ["Tsinghua University"]
    assert [i.country for i in gaz.by_domain("x@neu.edu.cn")] == ["CN"]
    assert gaz.by_domain("x@gmail.com") == []


def test_resolve_name_and_suggest(gaz: Gazetteer) -> None:
    assert gaz.resolve_name("thu") == "Tsinghua University"
    assert gaz.resolve_name("MSRA") == "Microsoft Research Asia"
    assert gaz.resolve_name("Atlantis University") is None
    assert gaz.suggest("Tsinghau")[0] == "Tsinghua University"


def test_user_file_extends_and_overrides_builtin_rows(tmp_path: Path) -> None:
    user = tmp_path / "institutions.csv"
    user.write_text(
        "name,country,aliases,domains,city,kind\n"
        "Acme Robotics Lab,NZ,AcmeRL,acme.example,Auckland,lab\n"
        "Tsinghua University,CN,Tsinghua U,,Beijing,university\n",
        encoding="utf-8",
    )
    gaz = load_gazetteer(user)
    assert gaz.resolve_name("AcmeRL") == "Acme Robotics Lab"
    assert [i.name for i in gaz.by_domain("me@acme.example")] == ["Acme Robotics Lab"]
    assert [i.country for i in gaz.match("Acme Robotics Lab")] == ["NZ"]
    tsinghua = [i for i in gaz.institutions if i.name == "Tsinghua University"]
    assert len(tsinghua) == 1
    assert {"Tsinghua U", "THU"} <= set(tsinghua[0].aliases)


def test_user_file_comes_from_the_environment(tmp_path: Path, monkeypatch) -> None:
    user = tmp_path / "mine.csv"
    user.write_text("name,country\nZeta Institute,IS\n", encoding="utf-8")
    monkeypatch.setenv("PAPERSCOPE_INSTITUTIONS", str(user))
    assert load_gazetteer().resolve_name("Zeta Institute") == "Zeta Institute"


# --- markers and notes ---------------------------------------------------------------


def test_leading_markers_are_split_off() -> None:
    assert split_marker("1Tsinghua University") == ("1", "Tsinghua University")
    assert split_marker("† Google") == ("†", "Google")
    assert split_marker("aMeta AI") == ("a", "Meta AI")
    assert split_marker("Inria") == ("", "Inria")


def test_internship_and_while_at_notes_name_this_papers_affiliation() -> None:
    assert is_this_paper_note("Work done during an internship at Alibaba Group")
    assert affiliation_part("Work done during an internship at Alibaba Group.") == "Alibaba Group"
    assert affiliation_part("Work done while at UC Berkeley") == "UC Berkeley"
    assert affiliation_part("Work done when YB and JQ interned at Zhipu.AI.") == "Zhipu.AI"


def test_later_moves_are_not_affiliations() -> None:
    assert is_later_move("Now at Google DeepMind")
    assert not is_this_paper_note("A. B. joined Meta and can be reached at ab@meta.com")
    assert affiliation_part("A. B. joined Meta") == ""
    assert affiliation_part("Tsinghua University; now at Google") == "Tsinghua University"


def test_work_outside_a_company_is_not_an_affiliation() -> None:
    assert not is_this_paper_note("This work was conducted outside the author's role at Amazon.")


# --- e-mail evidence -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("email", "country", "weight"),
    [
        ("a@cs.pku.edu.cn", "CN", 2.0),
        ("a@ox.ac.uk", "GB", 2.0),
        ("a@cse.ust.edu.hk", "HK", 2.0),
        ("a@ntu.edu.tw", "TW", 2.0),
        ("a@warwick.ac.uk", "GB", 2.0),
        ("a@cs.someplace.edu", "US", 0.5),
        ("a@gmail.com", None, 0.0),
        ("a@qq.com", None, 0.0),
        ("a@163.com", None, 0.0),
        ("a@startup.ai", None, 0.0),
    ],
)
def test_email_domains_carry_country_evidence(
    gaz: Gazetteer, email: str, country: str | None, weight: float
) -> None:
    ev = email_evidence(email, gaz)
    assert (ev.country, ev.weight) == (country, weight)


# --- country rules -------------------------------------------------------------------


def test_printed_location_wins_over_home_country(gaz: Gazetteer) -> None:
    (aff,) = resolve_affiliations(["Huawei Noah's Ark Lab, London"], [], "", gaz)
    assert (aff.institution, aff.country, aff.evidence) == ("Huawei", "GB", "printed: London")


def test_home_country_from_the_gazetteer(gaz: Gazetteer) -> None:
    affs = resolve_affiliations(["Google DeepMind", "Microsoft Research Asia"], [], "", gaz)
    assert countries(affs) == ["GB", "CN"]


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("Some Lab, Pittsburgh, PA USA", "US"),
        ("Some Lab, Stanford, CA", "US"),
        ("Some Lab, Hangzhou, Zhejiang", "CN"),
        ("Some Lab, P.R. China", "CN"),
        ("Some Lab, Wuhan", "CN"),
        ("Some Lab, Daejeon 34141, Republic of Korea", "KR"),
    ],
)
def test_unknown_institution_takes_the_printed_location(
    gaz: Gazetteer, text: str, country: str
) -> None:
    (aff,) = resolve_affiliations([text], [], "", gaz)
    assert aff.institution is None and aff.country == country


def test_city_in_the_first_field_is_an_institution_name_not_a_location(gaz: Gazetteer) -> None:
    (aff,) = resolve_affiliations(["Mobile Vision Lab"], [], "", gaz)
    assert (aff.institution, aff.country) == (None, None)


def test_unknown_strings_are_kept_unresolved(gaz: Gazetteer) -> None:
    (aff,) = resolve_affiliations(["3Frobnication Collective"], [], "", gaz)
    assert (aff.text, aff.institution, aff.country, aff.marker) == (
        "Frobnication Collective",
        None,
        None,
        "3",
    )


def test_multi_institution_string_gives_one_affiliation_each(gaz: Gazetteer) -> None:
    affs = resolve_affiliations(["Inria, Meta AI, Paris, France"], [], "", gaz)
    assert [(a.institution, a.country) for a in affs] == [("Inria", "FR"), ("Meta", "FR")]


def test_ambiguous_name_follows_chinese_context(gaz: Gazetteer) -> None:
    affs = resolve_affiliations(
        ["1Tsinghua University", "2Northeastern University", "3SJTU"],
        ["a@mails.tsinghua.edu.cn"],
        "",
        gaz,
    )
    assert countries(affs) == ["CN", "CN", "CN"]
    assert affs[1].evidence.startswith("context:")


def test_ambiguous_name_follows_its_own_email_domain(gaz: Gazetteer) -> None:
    (aff,) = resolve_affiliations(["Northeastern University"], ["x@northeastern.edu"], "", gaz)
    assert aff.country == "US"
    (aff,) = resolve_affiliations(["Northeastern University"], ["x@stumail.neu.edu.cn"], "", gaz)
    assert aff.country == "CN"


def test_ambiguous_name_follows_a_printed_city(gaz: Gazetteer) -> None:
    (aff,) = resolve_affiliations(["Northeastern University, Boston, MA"], [], "", gaz)
    assert aff.country == "US"
    (aff,) = resolve_affiliations(["Northeastern University, Shenyang, China"], [], "", gaz)
    assert aff.country == "CN"


def test_emails_alone_give_institutions_or_country_codes(gaz: Gazetteer) -> None:
    affs = resolve_affiliations([], ["a@sjtu.edu.cn", "b@lab.ac.jp"], "", gaz)
    assert [(a.institution, a.country) for a in affs] == [
        ("Shanghai Jiao Tong University", "CN"),
        (None, "JP"),
    ]


def test_bare_edu_is_used_only_when_nothing_else_is_known(gaz: Gazetteer) -> None:
    assert countries(resolve_affiliations([], ["a@cs.someplace.edu"], "", gaz)) == ["US"]
    affs = resolve_affiliations([], ["a@cs.someplace.edu", "b@sjtu.edu.cn"], "", gaz)
    assert countries(affs) == ["CN"]


def test_personal_email_alone_gives_no_country(gaz: Gazetteer) -> None:
    assert resolve_affiliations([], ["someone@gmail.com", "x@qq.com"], "", gaz) == ()


def test_later_move_string_gives_nothing(gaz: Gazetteer) -> None:
    assert resolve_affiliations(["Now at Meta"], [], "", gaz) == ()


def test_internship_string_gives_the_host(gaz: Gazetteer) -> None:
    (aff,) = resolve_affiliations(["*Work done during internship at Alibaba Group"], [], "", gaz)
    assert (aff.institution, aff.country, aff.marker) == ("Alibaba Group", "CN", "*")


def test_builtin_gazetteer_knows_the_reference_cases() -> None:
    gaz = load_gazetteer()
    assert {i.country for i in gaz.match("Google DeepMind")} == {"GB"}
    assert {i.country for i in gaz.match("Microsoft Research Asia")} == {"CN"}
    assert {i.country for i in gaz.match("Northeastern University")} >= {"US", "CN"}


def test_a_name_inside_a_place_name_is_not_matched() -> None:
    gaz = Gazetteer(read_institutions(["name,country\n", "York University,CA\n"]))
    assert gaz.match("New York University") == []
    assert [i.country for i in gaz.match("York University, Toronto")] == ["CA"]


def test_unknown_institution_takes_the_country_of_its_own_email_domain(gaz: Gazetteer) -> None:
    (aff,) = resolve_affiliations(["Princetown Institute"], ["a@cs.princetown.edu"], "", gaz)
    assert (aff.institution, aff.country) == (None, "US")
    (aff,) = resolve_affiliations(
        ["Korea Advanced Institute of Science and Technology"], ["b@kaist.ac.kr"], "", gaz
    )
    assert aff.country == "KR"
    # Two unknown institutions and an address that is neither's own: nothing to say.
    affs = resolve_affiliations(
        ["Frobnication Collective", "Quux Partners"], ["c@other.ac.kr"], "", gaz
    )
    assert [a.country for a in affs] == [None, None]
    # The start of a name word is its own domain too ("ox" for "Oxford").
    (aff,) = resolve_affiliations(["Active Vision Lab, Frobford"], ["d@robots.frob.ac.uk"], "", gaz)
    assert (aff.country, aff.evidence) == ("GB", "email: robots.frob.ac.uk (its own domain)")


def test_the_only_unknown_institution_takes_the_country_every_address_agrees_on(
    gaz: Gazetteer,
) -> None:
    (aff,) = resolve_affiliations(
        ["Frobnication Collective"], ["c@other.ac.kr", "e@another.kr"], "", gaz
    )
    assert aff.country == "KR"
    (aff,) = resolve_affiliations(
        ["Frobnication Collective"], ["c@other.ac.kr", "e@another.ac.jp"], "", gaz
    )
    assert aff.country is None
    (aff,) = resolve_affiliations(["Frobnication Collective"], ["c@other.edu"], "", gaz)
    assert aff.country is None  # a bare .edu is too weak for that


def test_institutions_named_after_their_place(gaz: Gazetteer) -> None:
    cases = {
        "University of Frobnitz Queensland": "AU",
        "UC Berkeley": "US",
        "University of Oxford": "GB",
        "Department of Computer Science, ETH Zurich": "CH",
        "Toronto Metropolitan Frob University, Ontario": "CA",
    }
    for text, country in cases.items():
        (aff,) = resolve_affiliations([text], [], "", gaz)
        assert aff.country == country, text
    # A town that shares its name with a bigger one abroad says nothing.
    for text in ("Durham University", "Lancaster University", "University of Victoria"):
        (aff,) = resolve_affiliations([text], [], "", gaz)
        assert aff.country is None, text


def test_unknown_institution_named_after_a_place(gaz: Gazetteer) -> None:
    (aff,) = resolve_affiliations(["University of Tokyo"], [], "", gaz)
    assert (aff.country, aff.evidence) == ("JP", "printed: Tokyo (in the name)")
    (aff,) = resolve_affiliations(["University of Georgia"], [], "", gaz)
    assert aff.country == "US"


def test_hong_kong_china_is_hong_kong(gaz: Gazetteer) -> None:
    (aff,) = resolve_affiliations(["Some Lab, Hong Kong, China"], [], "", gaz)
    assert aff.country == "HK"


def test_held_out_institution_is_placed_by_general_signals() -> None:
    """With the institution removed from a copy of the gazetteer, what the page prints
    (its city, its e-mail domain) still gives the country."""
    full = load_gazetteer()
    held_out = {"University of Oxford", "Seoul National University", "Tsinghua University"}
    gaz = Gazetteer(i for i in full.institutions if i.name not in held_out)
    (aff,) = resolve_affiliations(
        ["Active Vision Lab, University of Oxford"], ["a@robots.ox.ac.uk"], "", gaz
    )
    assert (aff.institution, aff.country) == (None, "GB")
    (aff,) = resolve_affiliations(["Dept. of Physics, Seoul National University"], [], "", gaz)
    assert aff.country == "KR"
    (aff,) = resolve_affiliations(["Tsinghua University, Beijing 100084"], [], "", gaz)
    assert aff.country == "CN"


def test_hong_kong_institution_followed_by_china_stays_in_hong_kong(gaz: Gazetteer) -> None:
    (aff,) = resolve_affiliations(
        ["Frobnitz Lab, Quux University of Hong Kong, China"], [], "", gaz
    )
    assert aff.country == "HK"
    (aff,) = resolve_affiliations(["Foo Lab, Frob University of Beijing, China"], [], "", gaz)
    assert aff.country == "CN"
