"""Reading a report file: checks before parsing, the format from the suffix, dispatch."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

from auditor import limits
from auditor.errors import InputError, os_reason
from auditor.ingest import formats
from auditor.ingest.decode import CJK_CHAR_RE, decode_bytes, normalise_newlines
from auditor.ingest.docx import load_docx
from auditor.ingest.formats import EXTRA_FORMATS
from auditor.ingest.html import load_html
from auditor.ingest.text import bounded, from_text
from auditor.limits import human_size
from auditor.model import Document

SUFFIX_FORMATS: dict[str, str] = {
    ".txt": "txt",
    ".md": "md",
    ".html": "html",
    ".htm": "html",
    ".docx": "docx",
    **EXTRA_FORMATS,  # .pdf, .doc, .wps, images: auditor/ingest/formats.py
}

# --------------------------------------------------------------------------- loading


def load(path: str | Path, max_bytes: int | None = None) -> Document:
    """Read one report file into a ``Document``; bad input raises ``InputError``."""
    max_bytes = limits.current().max_bytes if max_bytes is None else max_bytes
    raw, fmt = read_file(path, max_bytes)
    return load_bytes(raw, str(path), fmt, max_bytes)


def read_file(path: str | Path, max_bytes: int | None = None) -> tuple[bytes, str]:
    """A report file's bytes and format, with every check ``load`` makes before parsing (a
    batch client reads the files and sends the bytes to remote workers)."""
    p = Path(path)
    name = str(path)
    if not p.exists():
        raise InputError("A101", name, detail="文件不存在")
    if not p.is_file():
        raise InputError("A101", name, detail="是目录而不是文件" if p.is_dir() else "不是普通文件（设备、管道或套接字）")
    fmt = format_of(name)
    max_bytes = limits.current().max_bytes if max_bytes is None else max_bytes
    return _read_bytes(p, name, max_bytes), fmt


def format_of(name: str) -> str:
    """The input format named by a file's suffix; A104 for anything unsupported."""
    suffix = Path(name).suffix
    fmt = SUFFIX_FORMATS.get(suffix.lower())
    if fmt is None:
        raise InputError("A104", name, detail=suffix or "（无扩展名）")
    return fmt


HTML_BYTES_PER_CHAR = 10  # a page's markup plus three bytes per Chinese character, generously


def html_cap() -> int:
    """The largest web page parsed: ten bytes per character of the text limit, at most the file limit."""
    lim = limits.current()
    return min(lim.max_bytes, HTML_BYTES_PER_CHAR * lim.max_chars)


def load_bytes(raw: bytes, name: str, fmt: str | None = None, max_bytes: int | None = None) -> Document:
    """Turn the bytes of a report (an upload, a file already read) into a ``Document``.

    ``name`` is what messages and outputs call the report; ``fmt`` defaults to its suffix.
    """
    fmt = fmt or format_of(name)
    max_bytes = limits.current().max_bytes if max_bytes is None else max_bytes
    if len(raw) > max_bytes:
        raise InputError("A105", name, detail=human_size(len(raw)), limit=human_size(max_bytes))
    if not raw.strip():
        raise InputError("A102", name, detail="没有任何内容" if not raw else "只有空白字符")
    warnings: list[str] = []
    if fmt == "docx":
        doc = load_docx(raw, name)
    elif fmt in EXTRA_FORMATS.values():
        doc = formats.load(raw, name, fmt, warnings)  # PDF, OCR and converter code load only then
    elif fmt == "html":
        cap = html_cap()
        if len(raw) > cap:  # refused before lxml builds a tree of it (an 18 MB page took 30 s)
            raise InputError("A105", name, detail=f"网页 {human_size(len(raw))}", limit=f"{human_size(cap)}（正文字数上限的 {HTML_BYTES_PER_CHAR} 倍）")
        doc = load_html(raw, name, warnings)
    else:
        text = decode_bytes(raw, name, warnings=warnings)
        if not text.strip():
            raise InputError("A102", name, detail="只有空白字符")
        doc = from_text(bounded(normalise_newlines(text), name), path=name, fmt=fmt)
    if not doc.text[doc.body_start:].strip():
        raise InputError("A108", name, detail="去除网页导航、索引表等内容后没有正文")
    # the reader's warnings first, then the document's own, then what the whole body shows
    notes = [*warnings, *doc.warnings, *_not_chinese(doc)]
    return replace(doc, sha256=hashlib.sha256(raw).hexdigest(), warnings=notes)


# Below this share of CJK characters in the body the text is not a Chinese report (an
# English page, a data dump); it is still audited, but the user is told why it scores nil.
_MIN_CJK_SHARE = 0.2


def _not_chinese(doc: Document) -> list[str]:
    """A warning when the body is mostly not Chinese, else nothing."""
    body = doc.text[doc.body_start:]
    visible = sum(1 for ch in body if not ch.isspace())
    cjk = len(CJK_CHAR_RE.findall(body))
    if visible and cjk < _MIN_CJK_SHARE * visible:
        return [f"正文中文字符很少（{cjk}/{visible}），似非中文报告，检查结果可能没有意义"]
    return []


def _read_bytes(p: Path, name: str, max_bytes: int) -> bytes:
    """Check the size first (never read a huge file), then read it."""
    try:
        size = p.stat().st_size
        if size > max_bytes:
            raise InputError("A105", name, detail=human_size(size), limit=human_size(max_bytes))
        with p.open("rb") as fh:
            raw = fh.read(max_bytes + 1)
    except OSError as exc:
        raise InputError("A101", name, detail=os_reason(exc)) from None
    if len(raw) > max_bytes:  # grew while we looked
        raise InputError("A105", name, detail=human_size(len(raw)), limit=human_size(max_bytes))
    return raw
