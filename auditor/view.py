"""What the memo, the self-review and the page show of a finding in the same way: where it is
(line, page or paragraph and section path), the order of open findings, the words for a
supervisor's override, and quotes cut to length."""

from __future__ import annotations

from collections.abc import Sequence

from .lang.labels import STATUS_LABELS
from .model import Document, Finding

MAX_QUOTE_CHARS = 150
PATH_SEPARATOR = " › "  # instead of " > ", which Markdown and HTML would have to escape
SEVERITY_RANK = {"required": 0, "recommended": 1}
STATUS_RANK = {"missing": 0, "partial": 1, "covered": 2}


def finding_rank(f: Finding) -> tuple[int, int]:
    """Sort key: required before recommended, missing before partial."""
    return SEVERITY_RANK.get(f.severity, 2), STATUS_RANK.get(f.status, 3)


def order_findings(findings: Sequence[Finding]) -> list[Finding]:
    """Open findings (missing or partial; covered and not-applicable are settled), most
    serious first; ties keep their checklist order (stable sort)."""
    return sorted((f for f in findings if f.is_open), key=finding_rank)


def short(text: str, limit: int = MAX_QUOTE_CHARS) -> str:
    """The text on one line, cut to ``limit`` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def location(doc: Document, path: str, start: int | None) -> str:
    """Section path, with the line number for plain-text inputs, the page for PDF and the
    paragraph for Word files (web pages have none of these)."""
    path = path.replace(" > ", PATH_SEPARATOR)
    if start is not None and doc.format in ("txt", "md"):
        return f"第{line_of(doc, start)}行，{path}"
    if start is not None and (doc.pages or doc.paragraphs):  # PDF: the page; Word: the paragraph
        from .render import place_label

        return f"{place_label(doc.page_at(start), doc.paragraph_at(start))}，{path}"
    return path


def line_of(doc: Document, start: int) -> int:
    """The 1-based line of an offset into the original text."""
    return doc.original.count(chr(10), 0, start) + 1


def override_sentence(f: Finding) -> str:
    """“经人工复核，改定为“缺失”（自动判定为“部分覆盖”；说明：…；张三，2026-03-02）。”"""
    o = f.override
    if o is None:
        return ""
    bits = [f"自动判定为“{STATUS_LABELS.get(f.auto_status, f.auto_status)}”"]
    if o.note:
        bits.append(f"说明：{o.note}")
    who = "，".join(x for x in (o.by, o.date) if x)
    if who:
        bits.append(who)
    return f"经人工复核，改定为“{STATUS_LABELS.get(f.status, f.status)}”（{'；'.join(bits)}）。"


def overrides_sentence(findings: Sequence[Finding]) -> str:
    """One sentence naming every item whose verdict a supervisor set (人工复核), or ""."""
    changed = [f for f in findings if f.override is not None]
    if not changed:
        return ""
    parts = [f"“{f.title}”{override_sentence(f).removeprefix('经人工复核，').rstrip('。')}" for f in changed]
    return f"经人工复核改定结论{len(changed)}项：{'；'.join(parts)}。"
