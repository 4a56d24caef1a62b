"""The audit memo (审核意见): built from a checked report (``build``), laid out as an official
document (``layout``). ``from auditor.memo import X`` reads both."""

from ..view import order_findings
from .build import (
    DETAILS,
    Conclusion,
    Counts,
    Entry,
    Memo,
    Quote,
    build_memo,
    conclude,
    memo_title,
    publication_issue,
    title_year_issue,
)
from .layout import MEMO_FORMATS, memo_view, render_memo

__all__ = [
    "DETAILS", "MEMO_FORMATS", "Conclusion", "Counts", "Entry", "Memo", "Quote", "build_memo",
    "conclude", "memo_title", "memo_view", "order_findings", "publication_issue", "render_memo",
    "title_year_issue",
]
