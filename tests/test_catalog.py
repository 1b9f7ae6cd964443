"""The model catalog: name folding, traps, origins and the user's own catalog file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from indexer.catalog import CatalogError, load_catalog
from search.evaluate import LABELLED_MODEL_IDS

LABEL_IDS = LABELLED_MODEL_IDS


def ids_in(cat, text: str) -> list[str]:
    return [h.model_id for h in cat.scan(text)]


def test_every_label_id_is_catalogued_with_an_origin(catalog):
    for model_id in sorted(LABEL_IDS):
        info = catalog.get(model_id)
        assert len(info.origin_country) == 2 and info.origin_country.isupper()
        assert info.organisation


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Llama-2", "llama"),
        ("LLaMA", "llama"),
        ("llama3.1", "llama"),
        ("Code Llama", "llama"),
        ("Qwen2.5-VL", "qwen"),
        ("QwQ", "qwen"),
        ("chatgpt", "gpt"),
        ("gpt-4o", "gpt"),
        ("text-davinci-003", "gpt"),
        ("o1-mini", "gpt"),
        ("Mixtral-8x7B", "mistral"),
        ("DeepSeek-R1", "deepseek"),
        ("stable diffusion", "stable-diffusion"),
        ("Segment Anything", "sam"),
        ("vicuna", "vicuna"),
    ],
)
def test_resolve_folds_user_names_into_ids(catalog, name, expected):
    assert catalog.resolve(name) == expected


def test_resolve_unknown_name_is_none_and_suggest_offers_close_ids(catalog):
    assert catalog.resolve("lama") is None
    assert "llama" in catalog.suggest("lama")
    assert catalog.suggest("gemni")[0] in ("gemini", "gemma")


def test_by_origin_lists_models_developed_in_a_country(catalog):
    cn = catalog.by_origin("CN")
    assert {"qwen", "deepseek", "glm", "internlm", "yi", "baichuan", "kimi"} <= set(cn)
    assert "llama" not in cn
    assert catalog.by_origin("cn") == cn
    assert catalog.by_origin("China") == cn
    assert catalog.by_origin("FR") == sorted(set(catalog.by_origin("FR")))
    assert "mistral" in catalog.by_origin("FR")


@pytest.mark.parametrize(
    ("text", "model_id"),
    [
        ("We fine-tune Llama-2-7B-chat.", "llama"),
        ("Llama 3.1 70B results", "llama"),
        ("LLaMA2-13B", "llama"),
        ("Code Llama and CodeLlama-34B", "llama"),
        ("Qwen2.5-VL-7B-Instruct", "qwen"),
        ("QwQ-32B-Preview", "qwen"),
        ("Mixtral-8x7B-Instruct", "mistral"),
        ("ChatGPT", "gpt"),
        ("text-davinci-003", "gpt"),
        ("GPT4-Turbo and GPT-4o", "gpt"),
        ("Claude1.3-100k", "claude"),
        ("Flan-T5-XL", "t5"),
        ("SD 2.1-base", "stable-diffusion"),
        ("Gemma-3-4B", "gemma"),
        ("o3-mini (OpenAI, 2025)", "gpt"),
    ],
)
def test_versions_fold_into_the_family(catalog, text, model_id):
    assert ids_in(catalog, text)[:1] == [model_id]


def test_compound_name_counts_for_each_family_it_spells_out(catalog):
    assert ids_in(catalog, "DeepSeek-R1-Distill-Qwen-7B") == ["deepseek", "qwen"]
    assert ids_in(catalog, "Satori-Qwen-7B") == ["qwen"]


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("quantized with GPTQ", "gpt"),
        ("GPT-J 6B", "gpt"),
        ("GPT-NeoX-20B", "gpt"),
        ("SliceGPT and FinGPT", "gpt"),
        ("Lit-GPT", "gpt"),
        ("MiniGPT-4 and ShareGPT", "gpt"),
        ("the Alpaca-GPT4 dataset", "gpt"),
        ("GenMedGPT-5k", "gpt"),
        ("compiled with clang -O3 and gcc -O1", "gpt"),
        ("images made with DALL-E 3", "gpt"),
        ("LlamaIndex", "llama"),
        ("TinyLlama", "llama"),
        ("Vicuna-Bench", "vicuna"),
        ("Claude E. Shannon", "claude"),
        ("Claude E Shannon. A mathematical theory", "claude"),
        ("Jon Saad-Falcon", "falcon"),
        ("a falcon is a bird of prey", "falcon"),
        ("BERTScore", "bert"),
        ("Roberta Raileanu and Anamaria-Roberta Preda", "bert"),
        ("Peter Albert and Robert Dadashi", "bert"),
        ("the PPO clip range and clip() operator", "clip"),
        ("CLIPIQA, WinCLIP, AnomalyCLIP and Ada-CLIP", "clip"),
        ("Sam Altman", "sam"),
        ("LongLM", "glm"),
        ("turns T1 T2 T3 T4 T5", "t5"),
        ("LLaMA-Adapter", "llama"),
    ],
)
def test_traps_are_not_mentions(catalog, text, absent):
    assert absent not in ids_in(catalog, text)


def test_paper_that_defines_sam_as_an_optimiser_has_no_sam(catalog):
    text = "We train with Sharpness-Aware Minimization (SAM). SAM improves generalisation."
    assert "sam" not in [h.model_id for h in catalog.scan_document(text)]
    assert "sam" in [h.model_id for h in catalog.scan_document("We prompt SAM with boxes.")]


def test_user_catalog_file_adds_a_model_and_overrides_a_field(tmp_path):
    user = tmp_path / "models.toml"
    user.write_text(
        '[acme-lm]\nname = "AcmeLM"\norganisation = "Acme"\norigin_country = "de"\n'
        "patterns = ['acme ?lm']\n\n"
        '[llama]\norganisation = "Meta AI"\n',
        encoding="utf-8",
    )
    cat = load_catalog(user)
    assert cat.resolve("AcmeLM-7B") == "acme-lm"
    assert cat.get("acme-lm").origin_country == "DE"
    assert "acme-lm" in cat.by_origin("DE")
    assert [h.model_id for h in cat.scan("We fine-tune Acme-LM.")] == ["acme-lm"]
    assert cat.get("llama").organisation == "Meta AI"
    assert cat.resolve("Llama-2") == "llama"  # untouched fields keep the built-in value


def test_user_catalog_comes_from_the_environment(tmp_path, monkeypatch):
    user = tmp_path / "env-models.toml"
    user.write_text(
        '[envlm]\nname = "EnvLM"\norganisation = "X"\norigin_country = "FR"\n', encoding="utf-8"
    )
    monkeypatch.setenv("PAPERSCOPE_MODELS", str(user))
    assert load_catalog().resolve("envlm") == "envlm"


def test_malformed_user_catalog_says_what_is_wrong(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[x]\nname = "X"\n', encoding="utf-8")
    with pytest.raises(CatalogError, match="lacks"):
        load_catalog(bad)
    bad.write_text('[y]\nname = "Y"\norganisation = "O"\norigin_country = "US"\ncolour = 1\n')
    with pytest.raises(CatalogError, match="unknown field"):
        load_catalog(bad)


def test_catalog_import_stays_light():
    code = "import sys, indexer.catalog; print('spacy' in sys.modules, 'pymupdf' in sys.modules)"
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["False", "False"]


@pytest.mark.parametrize(
    ("text", "model_id"),
    [
        ("We use OpenCLIP ViT-H/14.", "clip"),
        ("A classifier based on EVA-CLIP filters samples.", "clip"),
        ("we replace the backbone with textdavinci-003 and", "gpt"),  # hyphen joined away
        ("Yi: Open foundation models by 01.AI", "yi"),
        ("embedded with DeBERTav3-large", "bert"),
    ],
)
def test_model_names_in_other_spellings_are_found(catalog, text, model_id):
    assert model_id in ids_in(catalog, text)


def test_bare_yi_needs_its_maker_nearby(catalog):
    assert "yi" not in ids_in(catalog, "Yi Luo, Wei Wang and Jie Chen. Scaling laws. 2024.")


@pytest.mark.parametrize(
    "text",
    [
        "{sneha.singh,caotao20,claude,noor}@mbzuai.ac.ae",
        "{parker,roberta,arao}@nvidia.com",
        "claude.evans@cs.washington.edu",
        "research@deepseek.com",
    ],
)
def test_names_inside_email_addresses_are_not_mentions(catalog, text):
    assert ids_in(catalog, text) == []


def test_model_name_before_an_at_sign_without_a_domain_is_kept(catalog):
    assert ids_in(catalog, "(a) Qwen2-VL-Instruct-7B@mm_math5k") == ["qwen"]


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("Claude Martin*1 Kavya Mehta*1", True),
        ("Correspondence to: Claude Fischer <fischer@allenai.org>.", True),
        ("Correspondence to: Claude\nParker <cparker@cs.stanford.edu>.", True),
        ("Gemma Chan, Wei Wang", True),
        ("We evaluate Claude Sonnet and GPT-4o.", False),
        ("We evaluate Claude 3 Opus.", False),
        ("Gemma Team. Gemma 2: Improving open models.", False),
        ("GPT-4 Turbo", False),  # not a given-name family
    ],
)
def test_person_at_tells_a_given_name_from_the_model(catalog, text, person):
    hit = catalog.scan(text)[0]
    assert catalog.person_at(text, hit) is person


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Qwen2.5 at the very start", ["qwen"]),
        ("(Qwen2.5-7B) and [LLaMA-2]", ["qwen", "llama"]),
        ("the prompt, a sample, the optimal step", []),  # "mpt", "sam", "opt" inside words
        ("Réqwen and éGPT-4 are no names", []),  # a non-ASCII letter before the name
        ("İstanbul team: GPT-4o", ["gpt"]),  # a letter whose lower case is longer
        ("gpt_4o/llama\nqwen", ["gpt", "llama", "qwen"]),
    ],
)
def test_names_are_found_only_where_a_word_starts(catalog, text, expected):
    assert ids_in(catalog, text) == expected
