"""The one Tantivy schema of a paperscope index.

The indexer writes with it, the query layer reads with it, the tests build tiny
indexes with it. An index holds two kinds of documents:

* one ``paper`` document per PDF: the facets (country, institution, ror, model_used,
  model_mentioned, model_version_used, model_version_mentioned, venue, year) as raw
  multi-valued fast fields, title/authors/affiliations as searchable text, the
  full text in ``body`` (indexed with positions for phrase queries, not stored)
  and the whole extracted record as JSON in ``record``;
* one ``page`` document per PDF page: ``text`` stored and indexed, so a query's
  best snippets come with their page number.

``SCHEMA_VERSION`` is written next to the index; an index written by another
version is refused with a message that says how to rebuild it.
"""

from __future__ import annotations

from typing import Final

import tantivy

SCHEMA_VERSION: Final = 3

PAPER: Final = "paper"
PAGE: Final = "page"

FACET_FIELDS: Final = (
    "country",
    "institution",
    "model_used",
    "model_mentioned",
    "model_version_used",
    "model_version_mentioned",
    "ror",
    "venue",
)
"""Raw, multi-valued, fast fields that can be filtered on and counted."""

TEXT_TOKENIZER: Final = "en_stem"
DEFAULT_QUERY_FIELDS: Final = ("title", "body")
"""Fields a bare query word searches in paper documents."""
PAGE_QUERY_FIELDS: Final = ("text",)
"""Fields a bare query word searches in page documents (snippets)."""


def build_schema() -> tantivy.Schema:
    """Build the schema (cheap; call wherever a schema is needed)."""
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("doc_type", stored=False, tokenizer_name="raw", fast=True)
    sb.add_text_field("paper_id", stored=True, tokenizer_name="raw", fast=True)
    sb.add_text_field("file", stored=True, tokenizer_name="raw", fast=True)
    sb.add_text_field("path", stored=True, tokenizer_name="raw", fast=True)
    sb.add_text_field("openreview_id", stored=True, tokenizer_name="raw", fast=True)
    sb.add_text_field("title", stored=True, tokenizer_name=TEXT_TOKENIZER)
    sb.add_text_field("authors", stored=True, tokenizer_name=TEXT_TOKENIZER)
    sb.add_text_field("affiliations", stored=True, tokenizer_name=TEXT_TOKENIZER)
    for name in FACET_FIELDS:
        sb.add_text_field(name, stored=True, tokenizer_name="raw", fast=True)
    sb.add_integer_field("year", stored=True, indexed=True, fast=True)
    sb.add_integer_field("page", stored=True, indexed=True, fast=True)
    sb.add_integer_field("n_pages", stored=True, fast=True)
    sb.add_integer_field("file_size", stored=True, fast=True)
    sb.add_float_field("file_mtime", stored=True, fast=True)
    sb.add_text_field("body", stored=False, tokenizer_name=TEXT_TOKENIZER)
    sb.add_text_field("text", stored=True, tokenizer_name=TEXT_TOKENIZER)
    sb.add_bytes_field("record", stored=True, indexed=False)
    return sb.build()
