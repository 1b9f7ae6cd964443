"""Byline layouts the first real-paper measurements missed, drawn with PyMuPDF.

IEEE/robotics papers put affiliations only in a page-1 footnote ("A. B. and C. D. are
with ..."); narrow author blocks wrap a name over two lines; registry-only
institutions must still resolve in a byline; an unknown layout gives "unknown",
never a wrong country. (Markers, per-author columns, ICML footnotes, organisation
bylines and page-2 continuations are in `tests/test_front_matter.py`.)
"""

from __future__ import annotations

import pymupdf

from tests.test_front_matter import countries, finish, institutions, paper, put


def _ieee_page() -> tuple[pymupdf.Document, pymupdf.Page]:
    """Title and a names-only byline, as IEEE journals print them."""
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    put(page, 120, 90, [("Learning Legged Locomotion with Model Adaptation", 17, "bold")])
    put(page, 150, 125, [("Alice B. Smith, Chen Wang, and David Lee", 11)])
    return doc, page


def test_ieee_are_with_footnote_gives_the_affiliations() -> None:
    doc, page = _ieee_page()
    fm = finish(
        doc,
        page,
        140,
        [
            [("Manuscript received May 1, 2024; revised July 2, 2024.", 8)],
            [("A. B. Smith and D. Lee are with the Department of Mechanical Engineering,", 8)],
            [("Univ. of Michigan, Ann Arbor, MI 48109 USA (e-mail: asmith@umich.edu).", 8)],
            [("C. Wang is with the School of Automation, Beijing Inst. of Technology,", 8)],
            [("Beijing 100081, China.", 8)],
        ],
    )
    assert countries(fm) == ["CN", "US"]
    assert {"University of Michigan", "Beijing Institute of Technology"} <= institutions(fm)
    assert [a.name for a in fm.authors] == ["Alice B. Smith", "Chen Wang", "David Lee"]


def test_ieee_is_now_with_is_a_later_move_and_does_not_count() -> None:
    doc, page = _ieee_page()
    fm = finish(
        doc,
        page,
        140,
        [
            [("A. B. Smith is with ETH Zurich, 8092 Zurich, Switzerland. D. Lee is now", 8)],
            [("with Google, Mountain View, CA 94043 USA.", 8)],
        ],
    )
    assert countries(fm) == ["CH"]


def test_a_name_wrapped_in_a_narrow_author_block_is_one_author() -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    put(page, 120, 90, [("A Careful Study of Model Adaptation", 17, "bold")])
    blocks = [
        (90, ["Archit", "Sharma", "Stanford University"]),
        (330, ["Bea Novak", "Charles University", "Prague, Czech Republic"]),
    ]
    for x, rows in blocks:
        put(page, x, 130, [(rows[0], 11)])
        for i, row in enumerate(rows[1:], start=1):
            put(page, x, 130 + 12 * i, [(row, 11 if i == 1 and x == 90 else 10)])
    fm = finish(doc, page, 180, ())
    assert [a.name for a in fm.authors] == ["Archit Sharma", "Bea Novak"]
    assert countries(fm) == ["CZ", "US"]


def test_registry_institution_in_a_marked_byline() -> None:
    fm = paper(
        [
            (150, [("Ana Souza", 11), ("1", 11, "sup"), (", Piotr Nowak", 11), ("2", 11, "sup")]),
            (150, [("1", 10, "sup"), ("Universidade Federal de Pernambuco", 10)]),
            (150, [("2", 10, "sup"), ("Politechnika Warszawska", 10)]),
        ]
    )
    assert countries(fm) == ["BR", "PL"]
    assert all(a.ror and a.ror.startswith("https://ror.org/") for a in fm.affiliations)


def test_unknown_institution_without_a_place_stays_unknown() -> None:
    fm = paper([(150, [("Ana Souza", 11)]), (150, [("Quuxbridge Analytics Collective", 10)])])
    assert countries(fm) == []
    assert [a.country for a in fm.affiliations] in ([], [None])


def test_marked_names_over_an_unmarked_affiliation_list_link_by_order() -> None:
    fm = paper(
        [
            (150, [("Alice Smith", 11), ("1", 11, "sup"), (", Bob Li", 11), ("2", 11, "sup")]),
            (150, [("Stanford University, Stanford, CA, USA", 10)]),
            (150, [("Tsinghua University, Beijing, China", 10)]),
        ]
    )
    assert countries(fm) == ["CN", "US"]
    linked = [[fm.affiliations[i].institution for i in a.affiliations] for a in fm.authors]
    assert linked == [["Stanford University"], ["Tsinghua University"]]


def test_figure_labels_in_another_font_near_the_byline_are_no_authors() -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    put(page, 120, 90, [("A Careful Study of Model Adaptation", 17, "bold")])
    put(page, 200, 130, [("Alice Smith, Bob Li", 11)])
    put(page, 200, 143, [("Stanford University, Stanford, CA, USA", 10)])
    # A teaser figure's labels, as large as the names, in the figure's own font.
    for x, label in ((90, "Vision Encoder"), (260, "Keda Tao"), (420, "Token Mixer")):
        page.insert_text((x, 175), label, fontsize=11, fontname="cour")
    fm = finish(doc, page, 190, ())
    assert [a.name for a in fm.authors] == ["Alice Smith", "Bob Li"]
    assert countries(fm) == ["US"]
