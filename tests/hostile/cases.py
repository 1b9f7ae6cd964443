"""Generators of hostile inputs: small files that cost a reader hours, gigabytes or a crash.

Each is written byte by byte (a tiny PDF writer with a correct cross-reference table),
so the files are exactly as hostile as described and nothing is left to a library that
might refuse to write them.
"""

from __future__ import annotations

import os
import zlib
from pathlib import Path

FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def write_pdf(path: Path | bytes, objects: list[bytes], *, trailer_extra: bytes = b"") -> bytes:
    """Write objects 1..n (object 1 is the catalog) as a PDF with a valid xref; return it."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        trailer_extra,
        xref,
    )
    data = bytes(out)
    with open(path, "wb") as fh:
        fh.write(data)
    return data


def stream(data: bytes, extra: bytes = b"", *, deflate: bool = True) -> bytes:
    """A stream object body."""
    if deflate:
        data = zlib.compress(data, 9)
        extra += b" /Filter /FlateDecode"
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def one_page(content: bytes, resources: bytes = b"<< /Font << /F1 4 0 R >> >>") -> list[bytes]:
    """Catalog, pages, page, font, content: a one-page document drawing `content`."""
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources "
        + resources
        + b" /Contents 5 0 R >>",
        FONT,
        stream(content),
    ]


def billion_laughs(path: Path, depth: int = 34, fan: int = 10) -> None:
    """Form XObjects that each draw the one below `fan` times, `depth` levels deep."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792]"
        b" /Resources << /XObject << /X 6 0 R >> >> /Contents 5 0 R >>",
        FONT,
        stream(b"q /X Do Q"),
    ]
    # Object 6 is the top form, 6 + depth the bottom one (which shows text).
    for level in range(depth):
        child = 7 + level
        body = b"q 0.9 0 0 0.9 1 1 cm /X Do Q\n" * fan
        objects.append(
            stream(
                body,
                b" /Type /XObject /Subtype /Form /BBox [0 0 612 792]"
                b" /Resources << /XObject << /X %d 0 R >> >>" % child,
            )
        )
    objects.append(
        stream(
            b"BT /F1 12 Tf 72 720 Td (ha ha ha) Tj ET",
            b" /Type /XObject /Subtype /Form /BBox [0 0 612 792]"
            b" /Resources << /Font << /F1 4 0 R >> >>",
        )
    )
    write_pdf(path, objects)


def huge_text(path: Path, megabytes: int) -> None:
    """One page whose content stream shows `megabytes` MB of visible text (compresses well)."""
    line = b"BT /F1 1 Tf 20 700 Td (" + b"llama qwen transformer " * 8 + b") Tj ET\n"
    content = line * (megabytes * 1024 * 1024 // len(line))
    write_pdf(path, one_page(content))


def invisible_operators(path: Path, operators: int = 200_000) -> None:
    """Many text operators, all drawn far outside the page: nothing visible to extract."""
    content = b"BT /F1 10 Tf 5000 5000 Td\n" + b"(x) Tj\n" * operators + b"ET\n"
    write_pdf(path, one_page(content))


def cyclic_page_tree(path: Path) -> None:
    """A page tree whose node lists itself among its kids."""
    write_pdf(
        path,
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
            b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>",
        ],
    )


def with_trailing_bytes(good: bytes, path: Path, n: int = 4096) -> None:
    """A valid PDF followed by `n` bytes of padding after its ``%%EOF``."""
    path.write_bytes(good + b"\0" * n)


def odd_name(folder: Path, good: bytes) -> bytes:
    """A valid PDF whose file name is not UTF-8 (Latin-1 "café"); returns the bytes path."""
    raw = os.fsencode(folder) + b"/caf\xe9-paper.pdf"
    with open(raw, "wb") as fh:
        fh.write(good)
    return raw


def special_entries(folder: Path) -> dict[str, Path]:
    """A FIFO, a dangling symlink and a symlink loop, each named like a PDF."""
    fifo = folder / "pipe.pdf"
    os.mkfifo(fifo)
    dangling = folder / "gone.pdf"
    dangling.symlink_to(folder / "no-such-target.pdf")
    loop = folder / "loop.pdf"
    loop.symlink_to(loop)
    return {"fifo": fifo, "dangling": dangling, "loop": loop}
