"""Group-by tables and adoption matrices against pandas on generated corpora.

Every cell of `Library.table` / `Library.adoption` — computed by Tantivy aggregations —
must equal the same group-by done with pandas over the indexed records (and, for
countries and models, over the ground-truth labels of the demo generator), the
``(unknown)`` row included, on corpora from several seeds.
"""

from __future__ import annotations

import json
from itertools import combinations
from pathlib import Path

import pandas as pd
import pytest

from indexer.catalog import load_catalog
from indexer.records import Paper
from search.errors import PaperscopeError, UnknownValueError
from search.filters import Filters, make_filters
from search.library import Library
from search.tables import FIELDS, SINGLE_COUNTRY, UNKNOWN, Table

EXTRA_SEEDS = (7, 31)
EXTRA_PAPERS = 14


@pytest.fixture(scope="module", params=["default", *EXTRA_SEEDS])
def corpus(request, demo_corpus, demo_index, tmp_path_factory) -> tuple[Library, Path]:
    """(library, labels file) of a demo corpus: the session's, and small ones of other seeds."""
    if request.param == "default":
        return Library(demo_index), demo_corpus.labels_file
    from indexer.demo import generate_demo_corpus
    from indexer.pipeline import index_pdfs

    out = tmp_path_factory.mktemp(f"demo-{request.param}")
    made = generate_demo_corpus(out / "corpus", n=EXTRA_PAPERS, seed=request.param)
    report = index_pdfs([made.pdf_dir], out / "index", workers=2)
    assert not report.skipped
    return Library(out / "index"), made.labels_file


# -- the oracle: the same group-by with pandas --------------------------------------------


def values(paper: Paper, field: str, mentioned: bool = False) -> list[str]:
    """The labels one paper counts under for `field` (what the table should do)."""
    models = paper.models_mentioned if mentioned else paper.models_used
    if field == "year":
        return [str(paper.year)] if paper.year else [UNKNOWN]
    if field == "venue":
        return [paper.venue] if paper.venue else [UNKNOWN]
    if field == "country":
        return list(paper.countries) or [UNKNOWN]
    if field == "institution":
        return list(paper.institutions) or [UNKNOWN]
    if field == "model":
        return list(models) or [UNKNOWN]
    if field == "model-version":
        versions = paper.model_versions_mentioned if mentioned else paper.model_versions_used
        return list(versions) or [UNKNOWN]
    if field == "model-origin":
        catalog = load_catalog().models
        origins = {catalog[m].origin_country for m in models if m in catalog}
        return sorted(origins) or [UNKNOWN]
    assert field == "collaboration"
    pairs = [f"{a}–{b}" for a, b in combinations(paper.countries, 2)]
    return pairs or ([SINGLE_COUNTRY] if paper.countries else [UNKNOWN])


def long_form(papers: list[Paper], by: str, by2: str | None, mentioned: bool) -> pd.DataFrame:
    rows = [
        {"paper": p.id, "r": r, "c": c}
        for p in papers
        for r in values(p, by, mentioned)
        for c in (values(p, by2, mentioned) if by2 else ["papers"])
    ]
    return pd.DataFrame(rows, columns=["paper", "r", "c"]).drop_duplicates()


def assert_matches_pandas(table: Table, papers: list[Paper], mentioned: bool = False) -> None:
    frame = long_form(papers, table.row_field, table.column_field, mentioned)
    assert table.total == len(papers)
    rows = frame.groupby("r")["paper"].nunique().to_dict()
    assert {r: n for r, n in zip(table.rows, table.row_totals, strict=True) if n} == rows
    assert UNKNOWN in table.rows  # always explicit, even when 0
    cells = frame.groupby(["r", "c"])["paper"].nunique().to_dict()
    got = {
        (r, c): table.cells[i][j]
        for i, r in enumerate(table.rows)
        for j, c in enumerate(table.columns)
        if table.cells[i][j]
    }
    assert got == cells
    if table.two_way:
        assert UNKNOWN in table.columns
        cols = frame.groupby("c")["paper"].nunique().to_dict()
        assert {c: n for c, n in zip(table.columns, table.column_totals, strict=True) if n} == cols


FILTER_CASES = [
    {},
    {"countries": ["US"]},
    {"countries": ["US", "CN"], "all_countries": True},
    {"models": ["llama"]},
    {"models": ["qwen", "gpt"], "all_models": True},
    {"years": [2024]},
    {"model_origins": ["CN"], "countries": ["US"]},
]
TWO_WAY = [
    ("year", "country"),
    ("model", "country"),
    ("model-origin", "country"),
    ("collaboration", "year"),
    ("country", "collaboration"),
    ("venue", "model-origin"),
    ("institution", "year"),
    ("model-origin", "collaboration"),
    ("model-version", "venue"),
]


@pytest.mark.parametrize("spec", FILTER_CASES, ids=lambda s: ",".join(s) or "all")
def test_one_way_tables_equal_pandas_group_by(corpus, spec) -> None:
    lib, _ = corpus
    f = make_filters(**spec)
    papers = lib.records(f)
    for by in FIELDS:
        assert_matches_pandas(lib.table(by, filters=f), papers)


@pytest.mark.parametrize("spec", FILTER_CASES[:4], ids=lambda s: ",".join(s) or "all")
def test_two_way_tables_equal_pandas_crosstab(corpus, spec) -> None:
    lib, _ = corpus
    f = make_filters(**spec)
    papers = lib.records(f)
    for by, by2 in TWO_WAY:
        assert_matches_pandas(lib.table(by, by2, f), papers)


def test_mentioned_switches_the_model_field(corpus) -> None:
    lib, _ = corpus
    f = make_filters(models=["gpt"], mentioned=True)
    assert_matches_pandas(lib.table("model", "country", f), lib.records(f), mentioned=True)


@pytest.mark.parametrize("by", ["year", "venue"])
def test_single_valued_rows_sum_to_the_total(corpus, by) -> None:
    lib, _ = corpus
    for spec in FILTER_CASES:
        table = lib.table(by, filters=make_filters(**spec))
        assert sum(table.row_totals) == table.total
        assert not any("rows don't sum" in n for n in table.notes)


def test_multi_valued_tables_say_so(corpus) -> None:
    lib, _ = corpus
    assert any("once per value" in n for n in lib.table("country").notes)


def test_denominators_are_the_same_rows_without_the_narrowing_filters(corpus) -> None:
    lib, _ = corpus
    f = make_filters(countries=["US", "CN"], all_countries=True, years=[2024, 2025])
    table = lib.table("year", filters=f)
    assert table.scope == Filters(years=(2024, 2025))
    everyone = lib.records(make_filters(years=[2024, 2025]))
    for row, den in zip(table.rows, table.denominators or (), strict=True):
        assert den == sum(values(p, "year") == [row] for p in everyone)
        if den:
            assert table.share(row) == pytest.approx(table.row_total(row) / den)
    assert table.scope_total == len(everyone)
    assert lib.table("year").denominators is None  # nothing narrows: no share column


def test_adoption_cells_marks_and_shares(corpus) -> None:
    lib, _ = corpus
    catalog = load_catalog().models
    for origin in (False, True):
        table = lib.adoption(Filters(), origin=origin, share=True)
        papers = lib.records()
        assert_matches_pandas(table, papers)
        for i, r in enumerate(table.rows):
            home = r if origin else (catalog[r].origin_country if r in catalog else None)
            for j, c in enumerate(table.columns):
                n = table.cells[i][j]
                crosses = bool(n and home and r != UNKNOWN and c != UNKNOWN and c != home)
                assert ((r, c) in table.marked) == crosses
                if table.column_totals[j]:
                    assert table.share(r, c) == pytest.approx(n / table.column_totals[j])


def test_adoption_equals_the_ground_truth_labels(corpus) -> None:
    """Models used × author countries, from the generator's labels alone (the labels
    cover the labelled model ids only; the catalog knows more, e.g. ViT)."""
    from search.evaluate import LABELLED_MODEL_IDS

    lib, labels_file = corpus
    labels = [json.loads(line) for line in labels_file.read_text().splitlines()]
    rows = [
        {"file": lab["file"], "m": m, "c": c}
        for lab in labels
        for m in lab["models_used"]
        if m in LABELLED_MODEL_IDS
        for c in (lab["countries"] or [UNKNOWN])
    ]
    truth = pd.DataFrame(rows).groupby(["m", "c"])["file"].nunique().to_dict()
    table = lib.adoption()
    got = {
        (r, c): table.cell(r, c)
        for r in table.rows
        for c in table.columns
        if table.cell(r, c) and r in LABELLED_MODEL_IDS
    }
    assert got == truth
    assert table.total == len(labels)
    countries = pd.Series([c for lab in labels for c in (lab["countries"] or [UNKNOWN])])
    assert dict(zip(table.columns, table.column_totals, strict=True)) == {
        UNKNOWN: 0,
        **countries.value_counts().to_dict(),
    }


def test_adoption_frame_keeps_the_old_matrix_shape(corpus) -> None:
    lib, _ = corpus
    frame = lib.adoption().frame(unknown=False)
    assert UNKNOWN not in frame.index and UNKNOWN not in frame.columns
    assert list(frame.index) == [r for r in lib.adoption().rows if r != UNKNOWN]


def test_bad_by_field_and_usage_errors() -> None:
    from search.tables import check_field

    assert check_field("Model_Origin") == "model-origin"
    with pytest.raises(PaperscopeError, match="unknown --by field"):
        check_field("colour")
    with pytest.raises(PaperscopeError, match="--all-countries needs"):
        make_filters(all_countries=True)
    with pytest.raises(PaperscopeError, match="--all-models needs"):
        make_filters(all_models=True)


def test_all_models_requires_every_model(corpus) -> None:
    lib, _ = corpus
    both = lib.records(make_filters(models=["qwen", "gpt"], all_models=True))
    either = lib.records(make_filters(models=["qwen", "gpt"]))
    assert {p.id for p in both} == {p.id for p in either if {"qwen", "gpt"} <= set(p.models_used)}


def test_unknown_institution_or_venue_suggests_close_matches(demo_index) -> None:
    lib = Library(demo_index)
    with pytest.raises(UnknownValueError, match=r"did you mean: .*Tsinghua University"):
        lib.count(make_filters(institutions=["Tsinghwa Univ"]))
    with pytest.raises(UnknownValueError, match="did you mean: NeurIPS"):
        lib.count(make_filters(venues=["Neurps"]))
    assert lib.count(make_filters(institutions=["Tsinghua"])) >= 0  # known: no error
    assert lib.count(make_filters(venues=["COLING"])) == 0  # a known venue, no paper here


def test_frame_uses_nullable_dtypes(demo_index) -> None:
    frame = Library(demo_index).frame()
    assert str(frame["year"].dtype) == "Int64"
    assert frame["year"].dropna().map(type).eq(int).all()


def test_facets_count_the_papers_without_a_value(demo_index) -> None:
    from typer.testing import CliRunner

    from search.cli import app

    result = CliRunner().invoke(app, ["facets", "--json", "--index", str(demo_index)])
    data = json.loads(result.stdout)
    lib = Library(demo_index)
    years = lib.table("year")
    assert data["facets"]["year"][UNKNOWN] == years.cell(UNKNOWN)
    assert data["facets"]["venue"][UNKNOWN] == lib.table("venue").cell(UNKNOWN)
    assert sum(data["facets"]["year"].values()) == data["count"]


@pytest.mark.shared
def test_real_corpus_year_table_keeps_every_paper(shared_index) -> None:
    """On the real PDFs the year facet used to sum to 38 of 60: the table counts them all."""
    lib = Library(shared_index)
    table = lib.table("year")
    assert sum(table.row_totals) == table.total == lib.total()
    assert table.cell(UNKNOWN) == sum(p.year is None for p in lib.records())
    assert_matches_pandas(lib.table("country", "year"), lib.records())
