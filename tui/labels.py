"""Display names for facet values: ``CN`` → "CN China", ``llama`` → "Llama"."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=512)
def country_label(code: str) -> str:
    """``CN`` → ``CN China``."""
    from indexer.countries import country_name

    name = country_name(code)
    return code if name == code else f"{code} {name}"


@lru_cache(maxsize=512)
def model_label(model_id: str) -> str:
    """``llama`` → ``Llama``; unknown ids as they are."""
    from indexer.catalog import load_catalog

    models = load_catalog().models
    return models[model_id].name if model_id in models else model_id


@lru_cache(maxsize=512)
def model_origin(model_id: str) -> str:
    """Developer country of a model (``llama`` → ``US``), empty when unknown."""
    from indexer.catalog import load_catalog

    models = load_catalog().models
    return models[model_id].origin_country if model_id in models else ""
