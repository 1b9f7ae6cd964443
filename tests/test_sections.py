"""Section spans from heading lines: related work, references, appendix after references."""

from __future__ import annotations

from indexer.records import PageText
from indexer.sections import find_sections

FILLER = "This sentence is ordinary body text that goes on for a while.\n" * 40


def pages(*texts: str) -> tuple[PageText, ...]:
    return tuple(PageText(i + 1, t) for i, t in enumerate(texts))


def kinds(spans) -> list[str]:
    return [s.kind for s in spans]


def test_numbered_paper_with_appendix_after_references():
    spans = find_sections(
        pages(
            "A Title\nAbstract\nWe study things.\n1\nIntroduction\n" + FILLER,
            "2 Related Work\nPrior work did things.\n" + FILLER + "3. Method\n" + FILLER,
            "References\nA. Smith, B. Jones, and C. Lee. A paper. In NeurIPS, 2023.\n" + FILLER,
            "A\nExperimental Details\nWe fine-tune the model.\n" + FILLER,
        )
    )
    assert kinds(spans) == ["front", "body", "related", "body", "references", "appendix"]
    related = spans[2]
    assert related.page == 2 and related.start == 0 and related.heading == "2 Related Work"
    assert spans[-1].page == 4 and spans[-1].heading == "A Experimental Details"


def test_roman_numbered_related_work_ends_at_the_next_section():
    spans = find_sections(
        pages(
            "I. INTRODUCTION\n" + FILLER,
            "II. RELATED WORK\n" + FILLER + "III. PROBLEM FORMULATION\n" + FILLER,
            "REFERENCES\n[1] A. B. Author, “Title,” 2020.\n",
        )
    )
    assert kinds(spans) == ["front", "body", "related", "body", "references"]


def test_unnumbered_background_figure_label_is_not_a_section():
    spans = find_sections(
        pages("1 Introduction\n" + FILLER + "Foreground\nBackground\nCondition\n" + FILLER)
    )
    assert "related" not in kinds(spans)


def test_reference_entry_starting_with_an_initial_is_not_an_appendix():
    spans = find_sections(
        pages(
            "1 Introduction\n" + FILLER,
            "References\nTrivedi, H., Balasubramanian, N., and Sabharwal,\n"
            "A. Interleaving retrieval with chain-of-thought reasoning\n"
            "A. Accomazzi, M. J. Kurtz, E. A. Henneken. ADS. 2020.\n" + FILLER,
        )
    )
    assert kinds(spans) == ["front", "body", "references"]


def test_related_work_inside_the_appendix_is_related():
    spans = find_sections(
        pages(
            "1 Introduction\n" + FILLER,
            "References\nA. Author. Title. 2021.\n" + FILLER,
            "A. More Related Work\nOthers did things.\n" + FILLER,
            "B. Additional Results\nWe evaluate more.\n" + FILLER,
        )
    )
    assert kinds(spans) == ["front", "body", "references", "related", "appendix"]


def test_supplementary_material_heading_starts_the_appendix():
    spans = find_sections(
        pages(
            "1 Introduction\n" + FILLER,
            "References\n[1] A. Author. Title. 2021.\n" + FILLER,
            "Supplementary Material\nMore experiments.\n" + FILLER,
        )
    )
    assert kinds(spans)[-1] == "appendix"


def test_empty_paper_has_no_spans():
    assert find_sections(()) == ()


def test_reference_list_without_a_heading_is_found_by_its_entries():
    entries = "".join(
        f"Author{i}, A., and Writer, B. Paper number {i}. In Proceedings of ICML, 20{10 + i}.\n"
        for i in range(20)
    )
    spans = find_sections(
        pages(
            "1 Introduction\n" + FILLER,
            "2 Method\n" + FILLER,
            "Thanks to everyone.\n" + entries,
            "A\nExperimental Details\nWe fine-tune the model.\n" + FILLER,
        )
    )
    assert kinds(spans) == ["front", "body", "references", "appendix"]
    assert spans[2].page == 3
