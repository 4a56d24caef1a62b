"""Memos for a whole batch (``auditor batch --memos docx|md|html``), and what every batch
record takes from the memo: its conclusion and the digest that finds duplicate reports.

Each worker writes the memo of its report next to the gap report, named after the
reporting body and year and, so that two reports never share a name, the report's output
base name: ``玉环市人民政府2022年度审核意见-004_91e0.docx``; without a known body,
``审核意见-<name>.docx``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from .letterhead import Letterhead

MEMO_EXTENSIONS = {"docx": "docx", "md": "md", "html": "html"}
MAX_BODY = 40  # characters of the body's name kept in a file name
# Path separators, characters Windows refuses, controls, white space and the invisible
# formatting characters (bidi overrides, zero-width) that could disguise a name.
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f\s\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]+')


@dataclass(frozen=True)
class MemoSpec:
    """What memos to write: format, detail, and the letterhead they all share."""

    fmt: str
    detail: str = "brief"
    letterhead: Letterhead = field(default_factory=Letterhead)

    def key(self) -> dict[str, Any]:
        """Everything that shapes the memos, for the batch cache's configuration hash."""
        data = asdict(self)
        data["letterhead"]["issued"] = str(self.letterhead.issued or "")
        return data


def memo_name(body: str, year: int | None, base: str, fmt: str) -> str:
    """The memo's file name: body and year first, the report's output base name last."""
    clean = _UNSAFE.sub("", body)[:MAX_BODY].strip(".")
    ext = MEMO_EXTENSIONS[fmt]
    if not clean:
        return f"审核意见-{base}.{ext}"
    return f"{clean}{f'{year}年度' if year else ''}审核意见-{base}.{ext}"


def build_batch_memo(report: Any, outline: Any, checklists: Any, kind: str | None, spec: MemoSpec | None) -> Any:
    """The memo of one checked report (its conclusion goes into the summaries, whether or
    not the memo itself is written). Each finding carries its item type, so ``checklists``
    is not read any more; the batch still passes it."""
    from .defects import find_defects
    from .memo import build_memo

    head = spec.letterhead if spec is not None else None
    level = getattr(report, "level", None) or kind  # the level it was checked at, as `auditor memo` uses
    return build_memo(report, find_defects(outline), level, letterhead=head)


def render_batch_memo(memo: Any, base: str, spec: MemoSpec) -> tuple[str, str | bytes]:
    """The memo's file name and content."""
    from .memo import render_memo

    return memo_name(memo.issuer, memo.year, base, spec.fmt), render_memo(memo, spec.fmt, spec.detail)


def text_digest(text: str) -> str:
    """A hash of the report's text without white space: the same report saved as .txt and
    .docx, or in two encodings, gets the same digest."""
    return hashlib.sha256("".join(text.split()).encode("utf-8")).hexdigest()
