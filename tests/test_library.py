"""The query API on tiny hand-built indexes: filters, counts, facets, snippets."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.records import Affiliation, Author, ModelMention, ModelUsage, PageText, Paper
from search.errors import (
    IndexIncompatibleError,
    IndexMissingError,
    PaperscopeError,
    QuerySyntaxError,
)
from search.filters import make_filters, split_venue
from search.library import Library
from search.store import Store


def paper(
    pid: str,
    countries: list[str],
    used: list[str],
    mentioned: list[str] = (),
    text: str = "",
    year: int = 2025,
    venue: str = "NeurIPS",
) -> Paper:
    affs = tuple(
        Affiliation(text=f"Univ {c}", institution=f"Univ {c}", country=c, evidence="test")
        for c in countries
    )
    usages = tuple(
        ModelUsage(
            m,
            "used",
            "test",
            (ModelMention(m, m.title(), 2, "body", f"We fine-tune {m.title()} here."),),
            1,
        )
        for m in used
    ) + tuple(ModelUsage(m, "mentioned", "test", (), 1) for m in mentioned)
    pages = (PageText(1, f"Title of {pid}\nAbstract"), PageText(2, text or "plain words"))
    return Paper(
        id=pid,
        file=f"{pid}.pdf",
        path=f"/x/{pid}.pdf",
        title=f"Paper {pid}",
        pages=pages,
        authors=(Author("A. Author", (0,)),),
        affiliations=affs,
        usages=usages,
        year=year,
        venue=venue,
    )


@pytest.fixture()
def lib(tmp_path: Path) -> Library:
    store = Store.create(tmp_path / "ix")
    with store.writer() as w:
        w.add(paper("p1", ["US", "CN"], ["llama"], ["qwen"], "we study reward model training"))
        w.add(paper("p2", ["CN"], ["qwen", "llama"], year=2024))
        w.add(paper("p3", ["US"], ["qwen"], ["llama"], "a reward model for agents"))
        w.add(paper("p4", ["HK"], [], ["gpt"], venue="ICLR"))
        w.commit()
    return Library(tmp_path / "ix")


def test_count_all_and_by_country(lib: Library) -> None:
    assert lib.total() == 4
    assert lib.count(make_filters(countries=["CN"])) == 2
    assert lib.count(make_filters(countries=["US", "CN"])) == 3
    assert lib.count(make_filters(countries=["US", "CN"], all_countries=True)) == 1


def test_hong_kong_is_not_china(lib: Library) -> None:
    assert lib.count(make_filters(countries=["HK"])) == 1
    assert lib.count(make_filters(countries=["China"])) == 2


def test_models_used_by_default_mentions_on_request(lib: Library) -> None:
    assert lib.count(make_filters(models=["llama"])) == 2
    assert lib.count(make_filters(models=["llama"], mentioned=True)) == 3
    assert lib.count(make_filters(models=["qwen"], countries=["US"])) == 1


def test_model_origin_selects_models_by_developer_country(lib: Library) -> None:
    # qwen is developed in China: US-authored papers using it.
    assert lib.count(make_filters(model_origins=["CN"], countries=["US"])) == 1


def test_full_text_query_and_phrase(lib: Library) -> None:
    assert lib.count(make_filters('"reward model"')) == 2
    assert lib.count(make_filters('"reward model"', countries=["CN"])) == 1


def test_bare_words_must_all_match(lib: Library) -> None:
    assert lib.count(make_filters("reward agents")) == 1
    assert lib.count(make_filters("reward OR agents")) == 2


def test_year_and_venue(lib: Library) -> None:
    assert lib.count(make_filters(years=[2024])) == 1
    assert lib.count(make_filters(venues=["ICLR"])) == 1
    assert lib.count(make_filters(venues=["NeurIPS 2025"])) == 2
    assert split_venue("NeurIPS 2025") == ("NeurIPS", 2025)
    assert split_venue("iclr") == ("ICLR", None)


def test_snippets_are_page_numbered_and_highlighted(lib: Library) -> None:
    hits = lib.find(make_filters('"reward model"'), limit=5)
    assert {h.paper_id for h in hits} == {"p1", "p3"}
    snip = hits[0].snippets[0]
    assert snip.page == 2
    start, end = snip.highlights[0]
    assert snip.text[start:end].lower() in {"reward", "model"}


def test_model_filter_snippets_show_the_deciding_sentence(lib: Library) -> None:
    hits = lib.find(make_filters(models=["qwen"], countries=["CN"]))
    assert hits[0].snippets[0].source == "model:qwen"
    assert "fine-tune" in hits[0].snippets[0].text


def test_facets_count_papers_per_value(lib: Library) -> None:
    facets = lib.facets(make_filters())
    countries = {fc.value: fc.count for fc in facets["country"]}
    assert countries == {"US": 2, "CN": 2, "HK": 1}
    used = {fc.value: fc.count for fc in facets["model_used"]}
    assert used == {"llama": 2, "qwen": 2}
    assert {fc.value: fc.count for fc in facets["year"]} == {"2025": 3, "2024": 1}


def test_adoption_matrix(lib: Library) -> None:
    frame = lib.adoption(make_filters()).frame(unknown=False)
    assert frame.loc["qwen", "US"] == 1
    assert frame.loc["llama", "CN"] == 2


def test_paper_lookup_by_file_and_prefix(lib: Library) -> None:
    assert lib.paper("p2.pdf").id == "p2"
    assert lib.paper("p3").file == "p3.pdf"
    assert [n for n, _ in lib.pages("p1")] == [1, 2]


def test_bad_query_raises_query_syntax_error(lib: Library) -> None:
    with pytest.raises(QuerySyntaxError):
        lib.count(make_filters("title:(unclosed"))


def test_limit_zero_does_not_panic(lib: Library) -> None:
    assert lib.find(make_filters(), limit=0) == []


def test_commit_is_atomic(tmp_path: Path) -> None:
    store = Store.create(tmp_path / "ix")
    with store.writer() as w:
        w.add(paper("a", ["US"], []))
        w.commit()
        w.add(paper("b", ["US"], []))
        w.rollback()  # a crash before commit: b never becomes visible
    assert Library(tmp_path / "ix").total() == 1


def test_missing_and_foreign_index(tmp_path: Path) -> None:
    with pytest.raises(IndexMissingError):
        Library(tmp_path / "none")
    (tmp_path / "odd").mkdir()
    (tmp_path / "odd" / "paperscope.json").write_text('{"schema_version": 999}')
    with pytest.raises(IndexIncompatibleError):
        Library(tmp_path / "odd")


def test_paper_lookup_by_unique_id_prefix(tmp_path: Path) -> None:
    store = Store.create(tmp_path / "ix")
    with store.writer() as w:
        for pid in ("ab12cd34ef56ab78", "ab99000000000000", "c0ffee0000000000"):
            w.add(paper(pid, ["US"], []))
        w.commit()
    lib = Library(tmp_path / "ix")
    assert lib.paper("c0f").id == "c0ffee0000000000"
    with pytest.raises(PaperscopeError, match="ambiguous"):
        lib.paper("ab")
    with pytest.raises(PaperscopeError, match="no paper"):
        lib.paper("ab.")  # a regex character is a literal here


def test_file_table_and_ids_are_complete_when_split_into_parts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tantivy aggregates at most 65,000 buckets: large indexes are read in parts.
    import hashlib

    import search.store

    ids = [hashlib.sha256(str(i).encode()).hexdigest()[:16] for i in range(120)]
    ids += ["0000000000000001", "0000000000000002", "p1", "zz", "0"]  # skewed and odd ids
    store = Store.create(tmp_path / "ix")
    with store.writer() as w:
        for pid in ids:
            w.add(paper(pid, ["US"], []))
        w.commit()
    whole_files, whole_ids = store.stored_files(), store.paper_ids()
    monkeypatch.setattr(search.store, "AGGREGATE_PAPERS", 2)
    assert len(store._paper_parts()) > 16
    assert store.stored_files() == whole_files
    assert store.paper_ids() == whole_ids == set(ids)
    assert store.paper_ids(prefix="0") == {pid for pid in ids if pid.startswith("0")}
    assert set(store.stored_files()) == {f"/x/{pid}.pdf" for pid in ids}


def test_papers_by_id_reads_many_records_in_one_search(lib: Library) -> None:
    ids = sorted(lib.store.paper_ids())[:3]
    found = lib.papers_by_id([*ids, ids[0], "no-such-id"])
    assert sorted(found) == ids
    assert all(found[i] == lib.paper(i) for i in ids)
