"""Ingest: turn a report file (.txt/.md/.html/.docx/.pdf/.doc/.wps/images) into a ``Document``.

Every format is first reduced to plain text with one paragraph per line (``original``);
``from_text`` then builds the normalised ``text`` used by the later stages, keeping an exact
character map back into ``original`` so every quote shown to a user is the text as written.
Page furniture (breadcrumbs, index tables, share bars) is dropped from ``text`` only.

One module per job: ``read`` (files, formats, dispatch), ``decode`` (encodings),
``normalise`` (offset map, OpenCC, pinyin), ``meta`` (title, issuer, dates, furniture),
``text`` (``from_text``), ``html``, ``docx``; the formats read through another engine in
``formats`` with ``pdf``, ``layout``, ``ocr`` and ``convert``. The names below are the
package's interface, re-exported so ``from auditor.ingest import X`` keeps working.
"""

from __future__ import annotations

from auditor.ingest.decode import decode_bytes, normalise_newlines
from auditor.ingest.docx import DocxText, _docx_blocks, extract_docx, load_docx, qn
from auditor.ingest.html import extract_html, load_html
from auditor.ingest.meta import BODY_MIN_LEN, ISSUER_MAX_LEN, TITLE_MAX_LEN, TRAILER_MAX_LEN, is_furniture
from auditor.ingest.normalise import TextLine, _t2s, line_spans, nonblank_line_spans, normalise_line
from auditor.ingest.read import (
    HTML_BYTES_PER_CHAR,
    SUFFIX_FORMATS,
    _read_bytes,
    format_of,
    html_cap,
    load,
    load_bytes,
    read_file,
)
from auditor.ingest.text import bounded, from_text

# The names other modules imported before the split, when they were private to one module.
_bounded = bounded
_load_docx = load_docx
_normalise_line = normalise_line

__all__ = [
    "BODY_MIN_LEN",
    "bounded",
    "decode_bytes",
    "DocxText",
    "extract_docx",
    "extract_html",
    "format_of",
    "from_text",
    "HTML_BYTES_PER_CHAR",
    "html_cap",
    "is_furniture",
    "ISSUER_MAX_LEN",
    "line_spans",
    "load",
    "load_bytes",
    "load_docx",
    "load_html",
    "nonblank_line_spans",
    "normalise_line",
    "normalise_newlines",
    "qn",
    "read_file",
    "SUFFIX_FORMATS",
    "TextLine",
    "TITLE_MAX_LEN",
    "TRAILER_MAX_LEN",
    "_bounded",
    "_docx_blocks",
    "_load_docx",
    "_normalise_line",
    "_read_bytes",
    "_t2s",
]
