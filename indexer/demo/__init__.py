"""Built-in demo corpus: synthetic AI papers with ground-truth labels.

A fresh install has no PDFs, yet `search demo`, `search eval` and the tests need a
corpus that poses the same problems as real papers: titles in large type,
superscript affiliation markers, affiliations under the authors, in ICML-style
page-1 footnotes, as per-author blocks or as one organisation, grouped e-mails,
anonymous submissions, one- and two-column pages, results tables, references
and appendices after them, and the traps of real text (GPTQ, LlamaIndex,
Vicuna-Bench, "Claude E. Shannon", "now at" footnotes, two Northeastern
Universities). Because every sentence is generated here, the labels are true by
construction and follow the conventions of the hand-labelled corpus.

Pages are written as raw PDF content streams with the Base-14 fonts
(WinAnsi encoding) through PyMuPDF: a few milliseconds per page, byte-identical
for a given seed. Name pools, models and prose templates are data files
(`indexer/data/demo_*.toml`).
"""

from indexer.demo.bad_pdfs import make_bad_pdfs
from indexer.demo.corpus import DemoCorpus, generate_demo_corpus, make_paper

__all__ = ["DemoCorpus", "generate_demo_corpus", "make_bad_pdfs", "make_paper"]
