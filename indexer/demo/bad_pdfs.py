"""Unusable inputs for tests and the demo: empty, not a PDF, truncated, encrypted and
image-only files.
"""

from __future__ import annotations

from pathlib import Path

import pymupdf

from indexer.demo.corpus import make_paper
from indexer.demo.typeset import FIXED_DATE, PAGE_H, PAGE_W


def make_bad_pdfs(out_dir: Path) -> dict[str, Path]:
    """Write one file per kind of unusable input; returns {kind: path}.

    Kinds: ``empty`` (0 bytes), ``not_pdf`` (text with a .pdf name), ``truncated``
    (first half of a valid PDF), ``encrypted`` (user password required),
    ``image_only`` (pages with drawings and an image but no text layer).
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {
        k: out_dir / f"bad-{k.replace('_', '-')}.pdf"
        for k in ("empty", "not_pdf", "truncated", "encrypted", "image_only")
    }
    paths["empty"].write_bytes(b"")
    paths["not_pdf"].write_text("This is a plain text file that only pretends to be a PDF.\n" * 20)
    _, good, _ = make_paper(0)
    paths["truncated"].write_bytes(good[: len(good) // 2])
    doc = pymupdf.open("pdf", good)
    doc.set_metadata({"creationDate": FIXED_DATE, "modDate": FIXED_DATE, "producer": "paperscope"})
    paths["encrypted"].write_bytes(
        doc.tobytes(
            encryption=pymupdf.PDF_ENCRYPT_AES_256,
            user_pw="secret",
            owner_pw="owner",
            no_new_id=True,
        )
    )
    img = pymupdf.open()
    pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 64, 64), False)
    pix.set_rect(pix.irect, (200, 200, 200))
    pix.set_rect(pymupdf.IRect(8, 8, 56, 30), (30, 30, 30))
    for _ in range(2):
        page = img.new_page(width=PAGE_W, height=PAGE_H)
        page.insert_image(pymupdf.Rect(108, 100, 504, 496), pixmap=pix)
        for k in range(30):
            page.draw_rect(
                pymupdf.Rect(108, 520 + 6 * k, 300 + (k * 37) % 200, 523 + 6 * k),
                color=None,
                fill=(0.2, 0.2, 0.2),
            )
    img.set_metadata({"creationDate": FIXED_DATE, "modDate": FIXED_DATE, "producer": "paperscope"})
    paths["image_only"].write_bytes(img.tobytes(garbage=3, deflate=True, no_new_id=True))
    return paths
