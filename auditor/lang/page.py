"""What a printed page and a Word file add around the text: page numbers, sentence ends, and
the names of heading styles (data for ``auditor.ingest.layout`` and ``auditor.ingest.docx``).
"""

from __future__ import annotations

# A page number alone on a line: 3, - 3 -, — 3 —, 第3页, 第 3 页 共 12 页, 3/12, Page 3, iii.
PAGE_NUMBER = (
    r"[-—–·\s]*(?:第\s*)?\d{1,4}\s*(?:页)?(?:\s*(?:/|共)\s*\d{1,4}\s*页?)?[-—–·\s]*"
    r"|(?:page|Page|PAGE)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?"
    r"|[ivxlcIVXLC]{1,6}"
)
# A visual line ending with one of these ends its paragraph before a numbered line.
SENTENCE_END: tuple[str, ...] = ("。", "！", "？", "；", "：", "!", "?", ";", ":")
# Word's built-in heading and title styles, under their English and Chinese names.
DOCX_HEADING_STYLE = r"(?:heading|标题)\s*([1-9])"
DOCX_TITLE_STYLES: tuple[str, ...] = ("title", "标题")
