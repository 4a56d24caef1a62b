"""The formats read through another engine: PDF (PDFium), scans and images (Tesseract OCR),
old Word .doc and WPS .wps (LibreOffice). Each ends as text for ``from_text`` with
what only that format knows: the page of every offset, the Word paragraph number, and for
OCR the engine and its confidence, which every output then shows.
"""

from __future__ import annotations

from dataclasses import replace

from ..errors import InputError
from ..model import Document, OcrInfo
from .docx import load_docx
from .text import bounded, from_text

EXTRA_FORMATS: dict[str, str] = {
    ".pdf": "pdf",
    ".doc": "doc",
    ".wps": "wps",
    ".png": "image",
    ".jpg": "image",
    ".jpeg": "image",
    ".tif": "image",
    ".tiff": "image",
    ".bmp": "image",
}


def load(raw: bytes, name: str, fmt: str, warnings: list[str]) -> Document:
    """A ``Document`` from a PDF, an image, a .doc or a .wps file."""
    if fmt in ("doc", "wps"):
        from .convert import to_docx

        return replace(load_docx(to_docx(raw, name, fmt), name), format=fmt)
    from .layout import Page, drop_furniture, reflow

    if fmt == "pdf":
        from .pdf import read_pdf

        read = read_pdf(raw, name)
        pages, ocr = read.pages, read.ocr
        warnings.extend(read.warnings)
    else:
        from . import ocr as engine

        got = engine.recognise_image(raw, name)
        pages = [Page(0, got.width, got.lines)]
        ocr = OcrInfo(engine.ENGINE, got.confidence, 1)
    paged = reflow(drop_furniture(pages))
    if not paged.text.strip():
        what = "PDF 中没有可提取的文字（既无文字层也无可识别的扫描图像）" if fmt == "pdf" else "图像中没有识别出文字"
        raise InputError("A108", name, detail=what)
    doc = from_text(bounded(paged.text, name), path=name, fmt=fmt, headings=paged.headings,
                    title=paged.title)
    if ocr is not None:
        warnings.append(ocr_note(ocr))
    return replace(doc, pages=paged.page_starts, ocr=ocr)


def ocr_note(ocr: OcrInfo) -> str:
    """The line every output carries for recognised text."""
    return f"有 {ocr.pages} 页的文字由 OCR（{ocr.engine}）从图像识别，平均置信度 {ocr.confidence:.1%}，个别字词可能有误，请以原件为准"
