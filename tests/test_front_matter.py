"""Page-1 layouts → title, authors, affiliations and countries.

Each test draws a first page with PyMuPDF in one of the layouts papers use and
checks what `parse_front_matter` reads back; one test pins the accuracy reached on
the real labelled corpus in ../shared (skipped when it is absent).
"""

from __future__ import annotations

import json
from pathlib import Path

import pymupdf
import pytest

from indexer.front_matter import FrontMatter, parse_front_matter
from indexer.gazetteer import load_gazetteer
from indexer.pdf_text import open_pdf, read_pages

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"

Run = tuple[str, float] | tuple[str, float, str]
"""(text, size) or (text, size, style) with style "sup" (superscript) or "bold"."""

BODY = (
    "Large language models are trained on large corpora and then adapted to many "
    "downstream tasks. We study how the adaptation works and report what we find "
    "on several benchmarks in the remainder of this paper."
)


def put(page: pymupdf.Page, x: float, y: float, runs: list[Run]) -> None:
    """Write runs left to right on one baseline; superscripts small and raised."""
    for run in runs:
        text, size = run[0], run[1]
        style = run[2] if len(run) > 2 else ""
        font = "hebo" if style == "bold" else "helv"
        if style == "sup":
            page.insert_text((x, y - size * 0.45), text, fontsize=size * 0.65, fontname=font)
            x += pymupdf.get_text_length(text, fontname=font, fontsize=size * 0.65)
        else:
            page.insert_text((x, y), text, fontsize=size, fontname=font)
            x += pymupdf.get_text_length(text, fontname=font, fontsize=size)


def paper(byline: list[tuple[float, list[Run]]], footnotes: list[list[Run]] = ()) -> FrontMatter:
    """A page: title, byline lines (x, runs) one under the other, abstract, footnotes."""
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    put(page, 120, 90, [("A Careful Study of Model Adaptation", 17, "bold")])
    y = 130.0
    for x, runs in byline:
        put(page, x, y, runs)
        y += 13
    return finish(doc, page, y, footnotes)


def finish(doc: pymupdf.Document, page: pymupdf.Page, y: float, footnotes) -> FrontMatter:
    put(page, 280, y + 25, [("Abstract", 12, "bold")])
    page.insert_textbox(pymupdf.Rect(72, y + 35, 300, y + 300), BODY * 3, fontsize=10)
    fy = 690.0
    for runs in footnotes:
        put(page, 72, fy, runs)
        fy += 10
    pdf = pymupdf.open("pdf", doc.tobytes())
    return parse_front_matter(pdf, read_pages(pdf), load_gazetteer())


def countries(fm: FrontMatter) -> list[str]:
    return sorted({a.country for a in fm.affiliations if a.country})


def institutions(fm: FrontMatter) -> set[str]:
    return {a.institution for a in fm.affiliations if a.institution}


def test_title_is_the_largest_font_near_the_top() -> None:
    fm = paper([(120, [("Alice Smith", 11)]), (120, [("Tsinghua University", 10)])])
    assert fm.title == "A Careful Study of Model Adaptation"


def test_superscript_markers_link_authors_to_numbered_affiliations() -> None:
    fm = paper(
        [
            (120, [("Alice Smith", 11), ("1", 11, "sup"), (", Bob Li", 11), ("2,*", 11, "sup")]),
            (
                120,
                [
                    ("1", 10, "sup"),
                    ("Tsinghua University  ", 10),
                    ("2", 10, "sup"),
                    ("Stanford University", 10),
                ],
            ),
        ]
    )
    assert countries(fm) == ["CN", "US"]
    by_name = {a.name: [fm.affiliations[i].institution for i in a.affiliations] for a in fm.authors}
    assert by_name == {"Alice Smith": ["Tsinghua University"], "Bob Li": ["Stanford University"]}
    assert [a.marker for a in fm.affiliations] == ["1", "2"]


def test_icml_footnote_affiliations_at_the_bottom_of_page_one() -> None:
    fm = paper(
        [(120, [("Alice Smith", 11), ("1", 11, "sup"), ("  Bob Li", 11), ("2", 11, "sup")])],
        footnotes=[
            [
                ("1", 8, "sup"),
                ("MMLab, CUHK ", 8),
                ("2", 8, "sup"),
                ("Shanghai AI Laboratory. Correspondence to: Alice <a@ie.cuhk.edu.hk>.", 8),
            ]
        ],
    )
    assert countries(fm) == ["CN", "HK"]
    assert institutions(fm) == {
        "The Chinese University of Hong Kong",
        "Shanghai Artificial Intelligence Laboratory",
    }
    assert [len(a.affiliations) for a in fm.authors] == [1, 1]


def test_per_author_blocks_in_columns() -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    put(page, 120, 90, [("A Careful Study of Model Adaptation", 17, "bold")])
    blocks = [
        (100, ["Alice Smith", "Computer Science", "University of Warwick", "Coventry, UK"]),
        (350, ["Bob Li", "Informatics", "King's College London", "London, UK"]),
    ]
    for x, rows in blocks:
        put(page, x, 130, [(rows[0], 12)])
        for i, row in enumerate(rows[1:], start=1):
            put(page, x, 130 + 12 * i, [(row, 10)])
        put(page, x, 130 + 12 * len(rows), [(f"{rows[0].split()[0].lower()}@x.ac.uk", 9)])
    fm = finish(doc, page, 200, ())
    assert countries(fm) == ["GB"]
    assert [a.name for a in fm.authors] == ["Alice Smith", "Bob Li"]
    linked = [fm.affiliations[a.affiliations[0]].institution for a in fm.authors]
    assert linked == ["University of Warwick", "King's College London"]
    assert [a.email for a in fm.authors] == ["alice@x.ac.uk", "bob@x.ac.uk"]


def test_names_wrapped_across_narrow_block_lines_are_rejoined() -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    put(page, 120, 90, [("A Careful Study of Model Adaptation", 17, "bold")])
    rows = ["Department of Information", "Engineering", "The Chinese University of Hong", "Kong"]
    put(page, 250, 130, [("Alice Smith", 11, "bold")])
    for i, row in enumerate([*rows, "Hong Kong, China"], start=1):
        put(page, 250, 130 + 11 * i, [(row, 9.5)])
    fm = finish(doc, page, 200, ())
    assert [(a.institution, a.country) for a in fm.affiliations] == [
        ("The Chinese University of Hong Kong", "HK")
    ]


def test_organisation_only_byline() -> None:
    fm = paper(
        [
            (120, [("Alice Smith, Bob Li, Carol Wu", 11)]),
            (120, [("DeepSeek-AI", 11)]),
            (120, [("research@deepseek.com", 10)]),
        ]
    )
    assert countries(fm) == ["CN"]
    assert all(a.affiliations == (0,) for a in fm.authors)


def test_grouped_emails_are_evidence_for_an_ambiguous_name() -> None:
    fm = paper(
        [
            (120, [("Alice Smith, Bob Li", 11)]),
            (120, [("Northeastern University", 10)]),
            (120, [("{alice, bob}@stumail.neu.edu.cn", 10)]),
        ]
    )
    assert countries(fm) == ["CN"]


def test_multi_institution_string_gives_one_affiliation_per_institution() -> None:
    fm = paper(
        [
            (120, [("Alice Smith", 11)]),
            (120, [("Université Paris-Saclay, Inria, CEA, 91120 Palaiseau, France", 10)]),
        ]
    )
    assert len(fm.affiliations) == 3
    assert countries(fm) == ["FR"]


def test_northeastern_among_chinese_affiliations_is_the_one_in_shenyang() -> None:
    fm = paper(
        [
            (120, [("Alice Smith", 11), ("1", 11, "sup"), (", Bob Li", 11), ("2", 11, "sup")]),
            (
                120,
                [
                    ("1", 10, "sup"),
                    ("Tsinghua University  ", 10),
                    ("2", 10, "sup"),
                    ("Northeastern University", 10),
                ],
            ),
            (120, [("alice@mails.tsinghua.edu.cn", 10)]),
        ]
    )
    assert countries(fm) == ["CN"]


def test_northeastern_in_boston_is_american() -> None:
    fm = paper(
        [
            (120, [("Alice Smith", 11)]),
            (120, [("Northeastern University, Boston, MA", 10)]),
            (120, [("a.smith@northeastern.edu", 10)]),
        ]
    )
    assert countries(fm) == ["US"]


def test_google_deepmind_is_british_and_msra_chinese() -> None:
    fm = paper(
        [
            (120, [("Alice Smith", 11), ("1", 11, "sup"), (", Bob Li", 11), ("2", 11, "sup")]),
            (
                120,
                [
                    ("1", 10, "sup"),
                    ("Google DeepMind  ", 10),
                    ("2", 10, "sup"),
                    ("Microsoft Research Asia", 10),
                ],
            ),
        ]
    )
    assert {(a.institution, a.country) for a in fm.affiliations} == {
        ("Google DeepMind", "GB"),
        ("Microsoft Research Asia", "CN"),
    }


def test_internship_footnote_counts() -> None:
    fm = paper(
        [
            (120, [("Alice Smith", 11), ("1,*", 11, "sup"), (", Bob Li", 11), ("1", 11, "sup")]),
            (120, [("1", 10, "sup"), ("Tsinghua University", 10)]),
        ],
        footnotes=[[("*", 8, "sup"), ("Work done during an internship at Alibaba Group.", 8)]],
    )
    assert "Alibaba Group" in institutions(fm)
    alice = fm.authors[0]
    assert {fm.affiliations[i].institution for i in alice.affiliations} == {
        "Tsinghua University",
        "Alibaba Group",
    }


def test_now_at_footnote_does_not_count() -> None:
    fm = paper(
        [
            (120, [("Alice Smith", 11), ("1,†", 11, "sup"), (", Bob Li", 11), ("1", 11, "sup")]),
            (120, [("1", 10, "sup"), ("Tsinghua University", 10)]),
        ],
        footnotes=[[("†", 8, "sup"), ("Now at Google DeepMind (alice@deepmind.com).", 8)]],
    )
    assert countries(fm) == ["CN"]
    assert "Google DeepMind" not in institutions(fm)


def test_personal_gmail_only_gives_no_country() -> None:
    fm = paper([(120, [("Alice Smith", 11)]), (120, [("alice.smith@gmail.com", 10)])])
    assert fm.affiliations == ()
    assert [a.name for a in fm.authors] == ["Alice Smith"]


def test_anonymous_submission_gives_nothing() -> None:
    fm = paper([(120, [("Anonymous submission", 11)]), (120, [("Paper under review", 10)])])
    assert fm.affiliations == ()
    assert countries(fm) == []


@pytest.mark.shared
@pytest.mark.skipif(not SHARED.exists(), reason="../shared/corpus is not present")
def test_shared_corpus_country_precision_and_recall() -> None:
    gaz = load_gazetteer()
    tp = fp = fn = 0
    missing = []
    for line in (SHARED / "labels.jsonl").read_text(encoding="utf-8").splitlines():
        label = json.loads(line)
        doc = open_pdf(SHARED / "pdfs" / label["file"])
        fm = parse_front_matter(doc, (), gaz)  # page text is not needed for page 1
        got, want = set(countries(fm)), set(label["countries"])
        if not want:
            assert not got, label["file"]
        tp += len(got & want)
        fp += len(got - want)
        fn += len(want - got)
        found = institutions(fm)
        for aff in label["affiliations"]:
            names = {i.name for i in gaz.match(aff["name"])}
            if not names & found:
                missing.append((label["file"], aff["name"]))
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    assert precision >= 0.98, (precision, recall)
    assert recall >= 0.98, (precision, recall)
    assert missing == []


def test_anonymous_template_placeholders_give_nothing() -> None:
    fm = paper(
        [
            (250, [("Anonymous Author(s)", 11, "bold")]),
            (265, [("Affiliation", 10)]),
            (270, [("Address", 10)]),
            (270, [("email", 10)]),
        ]
    )
    assert fm.affiliations == ()


def test_author_grid_is_read_row_by_row() -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    put(page, 120, 90, [("A Careful Study of Model Adaptation", 17, "bold")])
    grid = [
        (130, 120, "Alice Smith", "Princeton University"),
        (130, 350, "Bob Li", "Google DeepMind"),
        (180, 120, "Carol Wu", "Google DeepMind"),
        (180, 350, "Dan Ng", "Princeton University"),
    ]
    for y, x, name, inst in grid:
        put(page, x, y, [(name, 10, "bold")])
        put(page, x, y + 11, [(inst, 10)])
    fm = finish(doc, page, 210, ())
    assert [a.name for a in fm.authors] == ["Alice Smith", "Bob Li", "Carol Wu", "Dan Ng"]
    assert [fm.affiliations[a.affiliations[0]].country for a in fm.authors] == [
        "US",
        "GB",
        "GB",
        "US",
    ]


def test_full_size_digit_markers_and_footnote_list() -> None:
    fm = paper(
        [(120, [("Alice Smith 1 Bob Li 2", 11)])],
        footnotes=[[("1 Tsinghua University 2 Stanford University. Correspondence to: Alice.", 8)]],
    )
    assert [(a.name, [fm.affiliations[i].country for i in a.affiliations]) for a in fm.authors] == [
        ("Alice Smith", ["CN"]),
        ("Bob Li", ["US"]),
    ]


def test_ordinary_footnotes_are_not_affiliations() -> None:
    fm = paper(
        [(120, [("Alice Smith", 11)]), (120, [("Tsinghua University", 10)])],
        footnotes=[
            [
                ("1", 8, "sup"),
                ("In accordance with OpenAI's terms of use, outputs are not shared.", 8),
            ],
            [("This work is supported by the Microsoft Research Asia fellowship.", 8)],
        ],
    )
    assert countries(fm) == ["CN"]


def test_affiliation_and_email_on_one_line() -> None:
    fm = paper(
        [
            (120, [("Alice Smith", 11)]),
            (120, [("Tsinghua University, alice@tsinghua.edu.cn", 10)]),
        ]
    )
    assert [(a.text, a.country) for a in fm.affiliations] == [("Tsinghua University", "CN")]


def test_cas_institute_rolls_up_to_the_academy() -> None:
    fm = paper(
        [
            (120, [("Alice Smith", 11), ("1", 11, "sup"), (", Bob Li", 11), ("2", 11, "sup")]),
            (120, [("1", 10, "sup"), ("Institute of Automation, CAS, Beijing, China", 10)]),
            (120, [("2", 10, "sup"), ("State Key Laboratory of CAD&CG, Zhejiang University", 10)]),
        ]
    )
    assert institutions(fm) == {
        "Institute of Automation, Chinese Academy of Sciences",
        "Chinese Academy of Sciences",
        "Zhejiang University",
    }
    by_name = {a.name: {fm.affiliations[i].institution for i in a.affiliations} for a in fm.authors}
    assert by_name["Alice Smith"] == {
        "Institute of Automation, Chinese Academy of Sciences",
        "Chinese Academy of Sciences",
    }
    assert by_name["Bob Li"] == {"Zhejiang University"}
    assert countries(fm) == ["CN"]


def test_byline_continuing_on_page_two() -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    put(page, 120, 90, [("A Careful Study of Model Adaptation", 17, "bold")])
    y = 130.0
    for i in range(40):
        name = f"Author{chr(65 + i % 26)} Person{chr(65 + i // 26)}"
        put(page, 100, y, [(name, 11), ("1", 11, "sup")])
        y += 14
    page2 = doc.new_page(width=612, height=792)
    put(page2, 150, 40, [("A Careful Study of Model Adaptation", 8)])
    put(page2, 100, 80, [("Zed Final", 11), ("2", 11, "sup")])
    put(page2, 100, 100, [("1", 10, "sup"), ("Frobnitz Institute of Technology, Osaka, Japan", 10)])
    put(page2, 100, 114, [("2", 10, "sup"), ("Tsinghua University", 10)])
    put(page2, 280, 150, [("Abstract", 12, "bold")])
    page2.insert_textbox(pymupdf.Rect(72, 160, 540, 400), BODY * 3, fontsize=10)
    pdf = pymupdf.open("pdf", doc.tobytes())
    fm = parse_front_matter(pdf, read_pages(pdf), load_gazetteer())
    assert len(fm.authors) == 41
    assert fm.authors[-1].name == "Zed Final"
    assert countries(fm) == ["CN", "JP"]
    assert fm.affiliations[fm.authors[0].affiliations[0]].country == "JP"
    assert fm.affiliations[fm.authors[-1].affiliations[0]].institution == "Tsinghua University"


def test_names_printed_as_separate_spans_with_only_a_space_between_split() -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    put(page, 120, 90, [("A Careful Study of Model Adaptation", 17, "bold")])
    x = 100.0
    for text, font in (("Jun Zhang", "helv"), (" ", "tiro"), ("Shansan Gong", "helv")):
        page.insert_text((x, 130), text, fontsize=11, fontname=font)
        x += pymupdf.get_text_length(text, fontname=font, fontsize=11)
    page.insert_text((x, 130 - 5), "1", fontsize=7, fontname="helv")
    put(page, 100, 145, [("1", 10, "sup"), ("Tsinghua University", 10)])
    put(page, 100, 160, [("Maria Lo Cicero Vaina", 11)])
    fm = finish(doc, page, 160, ())
    assert [a.name for a in fm.authors] == ["Jun Zhang", "Shansan Gong", "Maria Lo Cicero Vaina"]


def test_unknown_institution_takes_its_authors_country_code_address() -> None:
    fm = paper(
        [
            (120, [("Alice Smith", 11), ("1", 11, "sup"), (", Bob Li", 11), ("2", 11, "sup")]),
            (120, [("1", 10, "sup"), ("Frobnitz Robotics Lab", 10)]),
            (120, [("2", 10, "sup"), ("Tsinghua University", 10)]),
        ],
        footnotes=[[("Correspondence to: Alice Smith <smithalice@quux.co.kr>.", 8)]],
    )
    assert countries(fm) == ["CN", "KR"]
    (frob,) = [a for a in fm.affiliations if a.text == "Frobnitz Robotics Lab"]
    assert frob.country == "KR" and "author" in frob.evidence
    assert fm.authors[0].email == "smithalice@quux.co.kr"


def test_unknown_institution_with_a_printed_city() -> None:
    fm = paper(
        [
            (120, [("Alice Smith", 11), ("1", 11, "sup"), (", Bob Li", 11), ("2", 11, "sup")]),
            (120, [("1", 10, "sup"), ("Frobnitz Vision Lab, Quuxcorp, Hamburg", 10)]),
            (120, [("2", 10, "sup"), ("Blorp Research Center, Toronto, Ontario", 10)]),
        ]
    )
    assert [(a.institution, a.country) for a in fm.affiliations] == [(None, "DE"), (None, "CA")]


def test_an_address_running_over_a_line_break_stays_one_affiliation() -> None:
    fm = paper(
        [
            (120, [("Alice Smith", 11), ("1", 11, "sup"), (", Bob Li", 11), ("2", 11, "sup")]),
            (120, [("1", 10, "sup"), ("Frobnitz Lab, Quux Institute, Hong", 10)]),
            (120, [("Kong, China ", 10), ("2", 10, "sup"), ("Blorp Institute, Hong Kong", 10)]),
            (120, [("China", 10)]),
        ]
    )
    assert [(a.text, a.country) for a in fm.affiliations] == [
        ("Frobnitz Lab, Quux Institute, Hong Kong, China", "HK"),
        ("Blorp Institute, Hong Kong, China", "HK"),
    ]


def test_names_set_apart_by_a_wide_gap_split() -> None:
    fm = paper(
        [
            (120, [("Yifan Sun   Zhiyuan Yang   Ruiqi Han", 11)]),
            (120, [("Frobnitz University, Osaka, Japan", 10)]),
        ]
    )
    assert [a.name for a in fm.authors] == ["Yifan Sun", "Zhiyuan Yang", "Ruiqi Han"]
    assert countries(fm) == ["JP"]
