"""Model versions: each mention keeps the version it names, filters tell versions apart."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from indexer.catalog import CatalogError, load_catalog
from indexer.mentions import find_mentions
from indexer.records import PageText
from indexer.sections import find_sections
from indexer.usage import classify_usage
from search.errors import UnknownValueError
from search.filters import make_filters, read_model
from search.library import Library
from tests.conftest import needs_shared

FILLER = "This sentence is ordinary body text that goes on for a while.\n" * 30


@pytest.mark.parametrize(
    ("model_id", "text", "version"),
    [
        ("gpt", "GPT-4o", "gpt/4o"),
        ("gpt", "GPT4o", "gpt/4o"),
        ("gpt", "gpt-4o-mini", "gpt/4o-mini"),
        ("gpt", "GPT-4o mini", "gpt/4o-mini"),
        ("gpt", "GPT-3.5-turbo", "gpt/3.5"),
        ("gpt", "text-davinci-003", "gpt/3.5"),
        ("gpt", "GPT-4-0613", "gpt/4"),
        ("gpt", "GPT-4 Turbo", "gpt/4"),
        ("gpt", "GPT-4V", "gpt/4v"),
        ("gpt", "GPT-4.1-mini", "gpt/4.1-mini"),
        ("gpt", "o1", "gpt/o1"),
        ("gpt", "o1-mini", "gpt/o1-mini"),
        ("gpt", "o3-mini", "gpt/o3-mini"),
        ("gpt", "ChatGPT", "gpt/chatgpt"),
        ("gpt", "GPT-4, and", "gpt/4"),
        ("llama", "Llama 2", "llama/2"),
        ("llama", "LLaMA-2-7B-chat", "llama/2"),
        ("llama", "Llama-3.1-8B", "llama/3.1"),
        ("llama", "Llama 3.1 70B", "llama/3.1"),
        ("llama", "Llama-3.2-11B-Vision", "llama/3.2-vision"),
        ("llama", "CodeLlama-7b", "llama/code"),
        ("qwen", "Qwen2.5-VL", "qwen/2.5-vl"),
        ("qwen", "Qwen2.5-VL-7B-Instruct", "qwen/2.5-vl"),
        ("qwen", "Qwen2.5-Math-7B", "qwen/2.5-math"),
        ("qwen", "Qwen3-8B", "qwen/3"),
        ("qwen", "QwQ-32B", "qwen/qwq"),
        ("deepseek", "DeepSeek-R1", "deepseek/r1"),
        ("deepseek", "DeepSeek-V2.5", "deepseek/v2.5"),
        ("deepseek", "DeepSeek-Coder-V2", "deepseek/coder-v2"),
        ("deepseek", "DeepSeek-R1-Distill-Qwen-7B", "deepseek/r1-distill"),
        ("claude", "Claude 3.5 Sonnet", "claude/3.5-sonnet"),
        ("claude", "claude-3-5-sonnet-20240620", "claude/3.5-sonnet"),
        ("claude", "Claude Sonnet 4", "claude/4-sonnet"),
        ("gemini", "Gemini 1.5 Pro", "gemini/1.5-pro"),
        ("mistral", "Mixtral-8x7B", "mistral/mixtral-8x7b"),
        ("gemma", "Gemma-2-9B", "gemma/2"),
    ],
)
def test_a_name_gives_its_version(catalog, model_id: str, text: str, version: str) -> None:
    assert catalog.version(model_id, text) == version


@pytest.mark.parametrize(
    ("model_id", "text"),
    [
        ("gpt", "GPT"),
        ("gpt", "GPTs"),
        ("llama", "LLaMA"),
        ("llama", "LLaMA-7B"),  # a size is not a version
        ("llama", "LLaMA-65B"),
        ("llama", "Llama (Touvron et al., 2023)"),
        ("llama", "LLaMA 2023"),
        ("qwen", "Qwen-7B"),
        ("qwen", "Qwen-14B"),
        ("gemma", "Gemma-2b"),  # Gemma 1 at 2B, not Gemma 2
        ("gemini", "Gemini produces"),
        ("deepseek", "DeepSeek"),
        ("transformer", "Transformer"),  # a family without version rules
    ],
)
def test_a_bare_family_or_size_gives_no_version(catalog, model_id: str, text: str) -> None:
    assert catalog.version(model_id, text) == ""


def test_a_bad_version_rule_is_reported_with_its_model(tmp_path: Path) -> None:
    user = tmp_path / "models.toml"
    user.write_text("[gpt]\nversions = [{re = 'gpt(', id = '{1}'}]\n", encoding="utf-8")
    with pytest.raises(CatalogError, match=r"\[gpt\] versions: entry 1: bad regular expression"):
        load_catalog(user)
    user.write_text("[gpt]\nversions = [{re = 'gpt', id = '{1}'}]\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="missing group"):
        load_catalog(user)


def usages(catalog, method: str, related: str = ""):
    pages = (
        "Abstract\nWe study things.\n1 Introduction\n" + FILLER,
        "2 Related Work\n" + related + "\n" + FILLER + "3 Method\n" + method + "\n" + FILLER,
    )
    texts = tuple(PageText(i + 1, t) for i, t in enumerate(pages))
    return {
        u.model_id: u
        for u in classify_usage(find_mentions(texts, find_sections(texts), catalog), catalog)
    }


def test_versions_used_are_those_of_the_mentions_that_show_use(catalog) -> None:
    u = usages(
        catalog,
        method="We fine-tune Llama-2-7B on our data.",
        related="Llama 3 (Dubey et al., 2024) and GPT-4o (OpenAI, 2024) are strong models.",
    )
    assert u["llama"].usage == "used"
    assert u["llama"].versions == ("llama/2", "llama/3")
    assert u["llama"].versions_used == ("llama/2",)
    assert u["gpt"].usage == "mentioned"
    assert (u["gpt"].versions, u["gpt"].versions_used) == (("gpt/4o",), ())


def test_every_used_version_has_a_deciding_sentence_that_names_it(catalog) -> None:
    method = (
        "We use GPT-4 as the judge. We use GPT-4 to score answers. We use GPT-4 again here. "
        "We also prompt GPT-4o-mini for the ablation."
    )
    u = usages(catalog, method=method)["gpt"]
    assert set(u.versions_used) == {"gpt/4", "gpt/4o-mini"}
    assert {m.version for m in u.evidence} >= {"gpt/4", "gpt/4o-mini"}


@pytest.mark.parametrize(
    ("typed", "value", "folded"),
    [
        ("gpt", "gpt", False),
        ("GPT", "gpt", False),
        ("GPT-4o", "gpt/4o", False),
        ("gpt-4o-mini", "gpt/4o-mini", False),
        ("o1", "gpt/o1", False),
        ("ChatGPT", "gpt/chatgpt", False),
        ("GPT-3.5-turbo", "gpt/3.5", False),  # listed in the catalog as a GPT-3.5 name
        ("gpt-3.5-turbo-0613", "gpt/3.5", True),
        ("code llama", "llama/code", False),
        ("Llama-2", "llama/2", False),
        ("Llama-3.1-8B-Instruct", "llama/3.1", True),
        ("LLaMA-7B", "llama", True),
        ("Meta Llama", "llama", False),  # a name of the family, not a narrower one
        ("Qwen2.5-VL", "qwen/2.5-vl", False),
        ("DeepSeek-R1", "deepseek/r1", False),
        ("gpt/4o", "gpt/4o", False),
    ],
)
def test_a_typed_model_reads_as_a_version_or_the_family(typed: str, value: str, folded: bool):
    r = read_model(typed)
    assert (r.value, r.folded) == (value, folded)


def test_resolutions_are_reported_for_people_and_scripts() -> None:
    f = make_filters(models=["LLaMA-7B", "gpt-4o", "qwen", "Meta Llama"], countries=["China"])
    assert f.models == ("llama", "gpt/4o", "qwen")
    notes = f.notes()
    assert notes[0] == "--model LLaMA-7B → llama (the whole Llama family, every version)"
    assert notes[1].startswith("--model gpt-4o → gpt/4o")
    assert notes[2] == "--model 'Meta Llama' → llama (the whole Llama family)"
    assert len(notes) == 3  # "qwen" is the id itself; countries are not notes
    resolved = f.resolved()
    assert {"option": "--country", "given": "China", "value": "CN"}.items() <= resolved[4].items()


def test_an_unknown_version_family_is_an_error_with_suggestions() -> None:
    with pytest.raises(UnknownValueError, match="did you mean: llama"):
        read_model("lama/2")
    assert read_model("clip-vit-l/14").value == "clip"  # a slash in an alias is no version
    assert read_model("gpt/4o mini").value == "gpt/4o-mini"
    assert (read_model("gpt/4o?").value, read_model("gpt/4o?").folded) == ("gpt", True)


def test_version_filters_count_within_the_family(demo_index: Path) -> None:
    lib = Library(demo_index)
    family = lib.count(make_filters(models=["gpt"], mentioned=True))
    for version in ("gpt-4o", "gpt-4", "gpt-3.5"):
        assert lib.count(make_filters(models=[version], mentioned=True)) <= family


# -- the shared real corpus ---------------------------------------------------------------

_GPT_4O = re.compile(r"gpt[-\s]?4o(?![-\s]?mini)", re.IGNORECASE)


@needs_shared
def test_real_corpus_gpt_4o_is_within_gpt_and_its_evidence_names_gpt_4o(shared_index: Path):
    lib = Library(shared_index)
    version = make_filters(models=["gpt-4o"])
    n = lib.count(version)
    assert 0 < n <= lib.count(make_filters(models=["gpt"]))
    hits = lib.find(version, limit=n, snippets=1)
    assert len(hits) == n
    for hit in hits:
        assert hit.snippets and _GPT_4O.search(hit.snippets[0].text), (hit.file, hit.snippets)


@needs_shared
def test_real_corpus_every_used_version_is_under_a_used_family(shared_index: Path) -> None:
    for paper in Library(shared_index).records():
        families = set(paper.models_used)
        assert {v.split("/", 1)[0] for v in paper.model_versions_used} <= families, paper.file


def test_any_typed_model_name_reads_or_fails_with_one_clean_error() -> None:
    import random

    from search.errors import PaperscopeError

    rng = random.Random(10)
    pieces = ["gpt", "GPT", "-", "4o", "o1", "/", " ", "llama", "3.1", "qwen", "2.5", "vl", "x"]
    pieces += ["mini", "7B", ".", "chat", "é", "", "deepseek", "r1", "claude", "sonnet", "9" * 50]
    pieces += ["gpt/", "llama/", "?", "_"]
    for _ in range(1500):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 6)))
        try:
            r = read_model(text)
        except PaperscopeError as exc:
            assert str(exc).startswith("unknown model"), (text, exc)
            continue
        family = r.value.split("/", 1)[0]
        assert family in load_catalog().ids(), (text, r)
        assert r.value == r.value.lower() and " " not in r.value, (text, r)
