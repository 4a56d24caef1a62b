"""Fixtures in other formats, made by the tests from the project's own texts.

Nothing here is copied from elsewhere: a fixture .txt becomes a Word document through
``examples/make_docx.py`` (given a running header and a page-number footer, so the PDF has
page furniture to remove), LibreOffice turns that into a text-layer PDF and an old binary
.doc (a Kingsoft .wps is a Word-compatible compound file: the same bytes under .wps), and
PDFium renders the PDF's pages into a scan (an image-only PDF) and a page image.
"""

from __future__ import annotations

import importlib.util
import io
import os
import shutil
import struct
import unicodedata
import zlib
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES

# Tools the tests need and the Debian packages that bring them.
TOOLS = {
    "soffice": "libreoffice-writer",
    "tesseract": "tesseract-ocr tesseract-ocr-chi-sim",
}
HEADER = "临江市法治政府建设领导小组办公室"  # the running header examples/make_pdf.py puts on every page


def need_tools(*names: str) -> None:
    """Skip (locally) or fail (in CI, AUDITOR_REQUIRE_TOOLS=1) when a tool is not installed."""
    missing = [n for n in names if not _have(n)]
    if not missing:
        return
    packages = " ".join(TOOLS[n] for n in missing)
    reason = f"needs {', '.join(missing)} (apt-get install {packages}); .ci/run installs them"
    if os.environ.get("AUDITOR_REQUIRE_TOOLS") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


def _have(name: str) -> bool:
    if name == "tesseract":
        from auditor.ingest.ocr import missing_engine

        return missing_engine() is None
    return shutil.which(name) is not None


def _make_pdf_module():
    spec = importlib.util.spec_from_file_location("make_pdf", EXAMPLES / "make_pdf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def word_bytes(txt: Path, furniture: bool = True) -> bytes:
    """The fixture as Word would hold it (examples/make_docx.py), in a fixed CJK font, with
    a running header and a 第 N 页 footer when ``furniture`` (examples/make_pdf.py)."""
    doc = _make_pdf_module().paged_word(txt.read_text(encoding="utf-8").splitlines(), furniture)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def convert(sources: list[Path], target: str, outdir: Path) -> list[Path]:
    """Convert files with LibreOffice headless (one process for all) into ``outdir``."""
    return _make_pdf_module().convert(sources, target, outdir)


def scan(pdf: Path, out: Path, dpi: int = 300) -> Path:
    """An image-only PDF of ``pdf``: every page rendered in grey at ``dpi``, as a scanner would."""
    import pypdfium2 as pdfium

    src = pdfium.PdfDocument(pdf)
    dst = pdfium.PdfDocument.new()
    for i in range(len(src)):
        page = src[i]
        w, h = page.get_size()
        bitmap = page.render(scale=dpi / 72, grayscale=True)
        new = dst.new_page(w, h)
        image = pdfium.PdfImage.new(dst)
        image.set_bitmap(bitmap)
        image.set_matrix(pdfium.PdfMatrix().scale(w, h))
        new.insert_obj(image)
        new.gen_content()
    dst.save(out)
    return out


def page_png(pdf: Path, page: int = 0, dpi: int = 200) -> bytes:
    """One page of ``pdf`` rendered in grey as a PNG file (written here: no imaging library)."""
    import pypdfium2 as pdfium

    arr = pdfium.PdfDocument(pdf)[page].render(scale=dpi / 72, grayscale=True).to_numpy()
    if arr.ndim == 3:
        arr = arr[:, :, 0]
    h, w = arr.shape
    rows = b"".join(b"\x00" + arr[y].tobytes() for y in range(h))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 6)) + chunk(b"IEND", b"")


def char_accuracy(got: str, truth: str) -> float:
    """1 - edit distance / length of the truth, on characters (width-normalised, no spaces)."""
    a = "".join(unicodedata.normalize("NFKC", got).split())
    b = "".join(unicodedata.normalize("NFKC", truth).split())
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
        prev = cur
    return 1 - prev[-1] / max(1, len(b))
