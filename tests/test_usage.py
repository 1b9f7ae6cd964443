"""Used vs mentioned: one verdict per model, from where and how the paper names it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indexer.mentions import find_mentions
from indexer.records import PageText
from indexer.sections import find_sections
from indexer.usage import classify_usage
from search.evaluate import LABELLED_MODEL_IDS

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
FILLER = "This sentence is ordinary body text that goes on for a while.\n" * 30
LABEL_IDS = LABELLED_MODEL_IDS


def verdicts(catalog, *texts: str) -> dict[str, str]:
    pages = tuple(PageText(i + 1, t) for i, t in enumerate(texts))
    usages = classify_usage(find_mentions(pages, find_sections(pages), catalog), catalog)
    return {u.model_id: u.usage for u in usages}


def paper(intro="", related="", method="", references="", appendix="") -> tuple[str, ...]:
    return (
        "Abstract\nWe study things.\n1 Introduction\n" + intro + "\n" + FILLER,
        "2 Related Work\n" + related + "\n" + FILLER + "3 Method\n" + method + "\n" + FILLER,
        "References\n" + references + "\nA. Author. A title. In ICML, 2021.\n" + FILLER,
        "A\nAdditional Experiments\n" + appendix + "\n" + FILLER,
    )


def test_use_in_an_appendix_after_the_references_counts(catalog):
    v = verdicts(catalog, *paper(appendix="We further fine-tune Mistral-7B with LoRA."))
    assert v == {"mistral": "used"}


def test_use_shown_only_by_a_results_table_row_counts(catalog):
    table = "Model\nMMLU\nGSM8K\nGemma-2B\n42.3\n17.7\nOurs-2B\n48.0\n25.1\n"
    assert verdicts(catalog, *paper(method=table)) == {"gemma": "used"}


def test_mention_only_in_related_work_is_mentioned(catalog):
    related = "LLaVA (Liu et al., 2023) connects a vision encoder to an LLM and we discuss it."
    assert verdicts(catalog, *paper(related=related)) == {"llava": "mentioned"}


def test_mention_only_in_references_is_mentioned(catalog):
    refs = "Anthropic. Introducing Claude, 2023. Touvron, H. Llama 2: Open models, 2023."
    expected = {"claude": "mentioned", "llama": "mentioned"}
    assert verdicts(catalog, *paper(references=refs)) == expected


def test_generic_example_in_the_introduction_is_mentioned(catalog):
    intro = "Large language models (LLMs) such as GPT-4 (OpenAI, 2023) have changed NLP."
    assert verdicts(catalog, *paper(intro=intro)) == {"gpt": "mentioned"}


def test_judge_and_base_model_roles_are_uses(catalog):
    method = (
        "Our model is built on Qwen2.5-7B. GPT-4o (OpenAI, 2024) is employed as the judge. "
        "Unlike prior work that relied on Vicuna, our method needs no chat model."
    )
    v = verdicts(catalog, *paper(method=method))
    assert v["qwen"] == "used" and v["gpt"] == "used"
    assert v["vicuna"] == "mentioned"


def test_traps_never_become_models(catalog):
    method = (
        "We quantize with GPTQ and retrieve with LlamaIndex. Results on Vicuna-Bench improve. "
        "We clip the PPO ratio. BERTScore is reported."
    )
    assert verdicts(catalog, *paper(method=method)) == {}


def test_evidence_is_best_first_and_short(catalog):
    method = "We fine-tune Llama-2-7B. " + "Llama-2-7B is strong. " * 5
    pages = tuple(PageText(i + 1, t) for i, t in enumerate(paper(method=method)))
    (usage,) = classify_usage(find_mentions(pages, find_sections(pages), catalog), catalog)
    assert usage.usage == "used" and usage.mentions == 6
    assert 1 <= len(usage.evidence) <= 3
    assert usage.evidence[0].sentence == "We fine-tune Llama-2-7B."
    assert "use cue" in usage.reason and "p.2" in usage.reason


@pytest.mark.shared
@pytest.mark.skipif(not SHARED.exists(), reason="needs ../shared/corpus (labelled real papers)")
def test_labelled_corpus_floors(catalog):
    """Floors reached on the 35 labelled papers (micro over paper × label-id pairs)."""
    from indexer.pdf_text import open_pdf, read_pages

    tp = fp = fn = atp = afp = afn = 0
    for line in (SHARED / "labels.jsonl").read_text(encoding="utf-8").splitlines():
        label = json.loads(line)
        doc = open_pdf(SHARED / "pdfs" / label["file"])
        pages = read_pages(doc)
        doc.close()
        usages = classify_usage(find_mentions(pages, find_sections(pages), catalog), catalog)
        used = {u.model_id for u in usages if u.usage == "used"} & LABEL_IDS
        named = {u.model_id for u in usages} & LABEL_IDS
        gold_used = set(label["models_used"])
        gold_named = gold_used | set(label["models_mentioned_only"])
        tp += len(used & gold_used)
        fp += len(used - gold_used)
        fn += len(gold_used - used)
        atp += len(named & gold_named)
        afp += len(named - gold_named)
        afn += len(gold_named - named)
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    any_f1 = 2 * atp / (2 * atp + afp + afn)
    assert precision >= 0.97, precision
    assert recall >= 0.97, recall
    assert any_f1 >= 0.98, any_f1


def test_negated_use_in_an_appendix_is_mentioned(catalog):
    appendix = "We did not include Yi-34B in our study because its weights were not available."
    assert verdicts(catalog, *paper(appendix=appendix)) == {"yi": "mentioned"}


def test_background_framing_of_a_checkpoint_is_mentioned(catalog):
    intro = "Since the release of Mistral 7B, interest in zero-shot transfer has grown rapidly."
    assert verdicts(catalog, *paper(intro=intro)) == {"mistral": "mentioned"}


def test_teacher_and_instrument_constructions_are_used(catalog):
    method = (
        "Training data are distilled from Claude 3.5 Sonnet, which acts as the teacher model. "
        "Masks are predicted with SAM given box prompts derived from our detector."
    )
    assert verdicts(catalog, *paper(method=method)) == {"claude": "used", "sam": "used"}


def test_names_of_people_in_the_byline_are_no_models(catalog):
    byline = "Title of the Paper\nClaude Martin*1 Roberta King1\n{claude,roberta}@uni.edu\n"
    pages = paper(intro="We study things.")
    assert verdicts(catalog, byline + pages[0], *pages[1:]) == {}


def test_evidence_puts_first_person_cues_then_captioned_table_rows_then_the_abstract(catalog):
    pages = (
        "Abstract\nBy training over InternLM2-7B, we obtain strong models.\n"
        "1 Introduction\n" + FILLER,
        "3 Experiments\n"
        + FILLER
        + "Table 2: Accuracy of InternLM2-7B and others.\nModel\nMMLU\nGSM8K\n"
        "InternLM2-7B 55.1 60.2\nOurs-7B 58.0 62.1\n"
        + FILLER
        + "We adopt InternLM2-7B as the base LLM to explore scaling.\n"
        + FILLER,
    )
    pages = tuple(PageText(i + 1, t) for i, t in enumerate(pages))
    (usage,) = classify_usage(find_mentions(pages, find_sections(pages), catalog), catalog)
    sentences = [m.sentence for m in usage.evidence]
    assert sentences[0].startswith("We adopt InternLM2-7B")
    assert sentences[1] == (
        "Table 2: Accuracy of InternLM2-7B and others. | Model | MMLU | GSM8K"
        " → InternLM2-7B 55.1 60.2"
    )
    assert sentences[2].startswith("Table 2:")
    assert "we adopt" in usage.reason and "p.2" in usage.reason


def test_evidence_ranks_prose_cues_near_then_far_above_table_rows(catalog):
    from indexer.records import ModelMention
    from indexer.usage import evidence_rank

    def mention(sentence: str, cue: str) -> ModelMention:
        return ModelMention("llama", "Llama-2-7B", 3, "body", sentence, cue=cue)

    near = mention("We fine-tune Llama-2-7B on our data.", "use: we fine-tune")
    far = mention(
        "We fine-tune several base models of increasing size on our new data mixture, "
        "namely Pythia-1B, OPT-2.7B, Llama-2-7B and Falcon-7B.",
        "use: we fine-tune",
    )
    row = ModelMention("llama", "Llama-2-7B", 5, "body", "Llama-2-7B 45.1 60.2", True)
    front = ModelMention(
        "llama", "Llama-2-7B", 1, "front", "We fine-tune Llama-2-7B.", cue="use: we fine-tune"
    )
    ranked = sorted([front, far, row, near], key=lambda m: evidence_rank(m, 5 if m.cue else 4))
    assert ranked == [near, far, row, front]
