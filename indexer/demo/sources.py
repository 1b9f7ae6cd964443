"""The demo's name pools, model list and prose templates, loaded from data files.

`indexer/data/demo_institutions.toml` (institutions, countries, people's names),
`demo_models.toml` (the models a demo paper can use or name) and `demo_prose.toml`
(sentence templates) hold everything the generator says; this module only reads them.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parents[1] / "data"


@lru_cache(maxsize=1)
def demo_data() -> dict[str, Any]:
    """The three data files as one dict: ``institutions``, ``models``, ``prose``."""
    out: dict[str, Any] = {}
    for name in ("institutions", "models", "prose"):
        with (DATA_DIR / f"demo_{name}.toml").open("rb") as fh:
            out[name] = tomllib.load(fh)
    return out
