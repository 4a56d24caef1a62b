"""The memo laid out for people: the concise form (conclusion, what to add, one table of
partly covered items) and the full form, as blocks the Word, Markdown and HTML renderers share."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from ..lang import memo as L
from ..lang.numerals import format_number
from ..view import PATH_SEPARATOR, short
from .build import Entry, Memo, _cn_date

# -- view model ---------------------------------------------------------------------------
# The view is a list of blocks every template (md, html, docx) lays out the same way:
#   h1 (黑体 heading), h2 (楷体 heading), p (a paragraph, optionally led by a 楷体 run such as
#   "（一）…。"), field (a bold label and its text), quote, counts (the 5-column table) and
#   items (the 2-column table of partly covered items).
MAX_PLACES = 3  # places named per kind of text problem in the brief memo
MAX_OPTIONAL = 10  # recommended items named in the brief memo's short list (the rest counted)
_PAREN_TAIL = re.compile(r"（[^（）]*）$")  # "述法（领导干部年终述法…）" is listed as "述法"


def _block(kind: str, text: str = "", **more: Any) -> dict[str, Any]:
    return {"kind": kind, "text": text, "lead": "", "label": "", "header": [], "rows": [], **more}


def _entry_blocks(k: int, e: Entry) -> list[dict[str, Any]]:
    """One finding in the full memo: heading, requirement, situation, quotes, advice."""
    out = [_block("h2", f"{format_number('pcn', k)}{e.heading}（{e.badge}）")]
    if e.requirement:
        req = f"{e.requirement}（{e.cite}）" if e.cite else e.requirement
        out.append(_block("field", req, label=L.MEMO_LABELS["requirement"]))
    out.append(_block("field", e.situation, label=L.MEMO_LABELS["situation"]))
    for q in e.quotes:
        out.append(_block("quote", f"{q.where}：“{q.text}”" + (f"——{q.note}" if q.note else "")))
    if e.advice:
        out.append(_block("field", e.advice, label=L.MEMO_LABELS["advice"]))
    return out


def _full_blocks(memo: Memo) -> list[dict[str, Any]]:
    """Today's complete review form: every finding with requirement, quotes and advice."""
    h = L.MEMO_HEADINGS
    out = [_block("field", value, label=label) for label, value in memo.meta]
    out.append(_block("h1", h["basis"]))
    out += [_block("p", b) for b in memo.basis]
    out.append(_block("h1", h["overview"]))
    out += [_block("p", p) for p in memo.overview]
    out.append(_block("counts", header=list(L.SUMMARY_HEADER), rows=memo.table))
    for key, entries in (("content", memo.content), ("structure", memo.structure), ("formal", memo.formal)):
        out.append(_block("h1", h[key]))
        if not entries:
            out.append(_block("p", L.MEMO_LABELS["none"]))
        for k, e in enumerate(entries, 1):
            out += _entry_blocks(k, e)
    c = memo.conclusion
    out.append(_block("h1", h["conclusion"]))
    out.append(_block("p", "", lead=c.label))
    out.append(_block("p", f"综合以上审核情况（{'；'.join(c.reasons)}），审核结论为：{c.label}。"))
    return out


def _places(e: Entry) -> str:
    """Where a kind of text problem is, briefly: up to ``MAX_PLACES`` places."""
    names = []
    for q in e.quotes[:MAX_PLACES]:
        where = q.where.split("，", 1)[0] if q.where.startswith("第") else short(q.where.rsplit(PATH_SEPARATOR, 1)[-1], 16)
        count = f"（{q.count}处）" if q.count > 1 else ""
        names.append(f"{where}“{short(q.snippet or q.text, 24)}”{count}")
    more = "等" if len(e.quotes) > MAX_PLACES else ""
    return "、".join(names) + more


def _brief_blocks(memo: Memo) -> list[dict[str, Any]]:
    """The concise memo: conclusion, required gaps with what to add, partly covered items in
    one table, text problems one line per kind, recommended items in one short list."""
    items = [e for e in memo.structure + memo.content if e.kind == "item"]
    must = [e for e in items if e.severity == "required" and (e.status == "missing" or e.item_id in _part_ids(memo))]
    partial = [e for e in items if e.severity == "required" and e not in must]
    optional = [e for e in items if e.severity != "required"]
    text = [e for e in memo.structure + memo.formal if e.kind != "item"]
    sections: list[tuple[str, list[dict[str, Any]]]] = []
    c = memo.conclusion
    sections.append((L.BRIEF_HEADINGS["overview"], [
        _block("p", "".join(memo.overview)),
        _block("p", f"{c.label}。", lead="审核结论："),
    ]))
    if must:
        sections.append((L.BRIEF_HEADINGS["required"], [
            _block("p", _must_text(e), lead=f"{format_number('pcn', k)}{e.heading}。") for k, e in enumerate(must, 1)
        ]))
    if partial:
        rows = [[e.heading, e.advice] for e in partial]
        sections.append((L.BRIEF_HEADINGS["partial"], [
            _block("p", f"以下{len(partial)}项必备内容报告已有涉及，但不够充分，请按修改意见充实。"),
            _block("items", header=list(L.PARTIAL_HEADER), rows=rows),
        ]))
    if text:
        blocks = []
        for k, e in enumerate(text, 1):
            body = f"{_places(e)}。{e.advice}" if e.quotes and e.kind not in ("title-year", "late") else f"{e.situation}{e.advice}"
            blocks.append(_block("p", body, lead=f"{format_number('pcn', k)}{e.heading}（{e.badge}）。"))
        sections.append((L.BRIEF_HEADINGS["text"], blocks))
    if optional:
        names = "；".join(_PAREN_TAIL.sub("", e.heading) or e.heading for e in optional[:MAX_OPTIONAL])
        more = f"等{len(optional)}项（逐项意见见完整审核表）" if len(optional) > MAX_OPTIONAL else ""
        sections.append((L.BRIEF_HEADINGS["optional"], [
            _block("p", f"以下建议项报告未涉及或涉及不充分，可结合本地实际补充：{names}{more}。"),
        ]))
    out = [_block("p", _opening(memo))]
    for k, (heading, blocks) in enumerate(sections, 1):
        out.append(_block("h1", f"{format_number('cn', k)}{heading}"))
        out += blocks
    out.append(_block("p", L.CLOSINGS[c.code]))
    return out


def _must_text(e: Entry) -> str:
    """What to add; a part that is there but incomplete also says what the report has (the
    advice for a missing item already says it is missing, under its heading)."""
    if e.status == "partial" and not e.advice.startswith("报告"):
        return f"{e.situation}{e.advice}"
    return e.advice


def _part_ids(memo: Memo) -> set[str]:
    return {e.item_id for e in memo.structure if e.kind == "item"}


def _opening(memo: Memo) -> str:
    """The first paragraph: which report, on what basis."""
    name = f"《{memo.report_title}》" if memo.report_title else (
        f"{memo.year}年度法治政府建设情况报告" if memo.year else "法治政府建设情况报告")
    who = memo.issuer or "你单位"
    return f"{who}报送的{name}收悉。{L.OPENING}"


def _sign(memo: Memo) -> dict[str, str]:
    """落款, date and reviewer: as given, else visible blanks to fill in by hand."""
    lh = memo.letterhead
    return {
        "to": lh.to or L.BLANK,
        "issuer": lh.issuer or L.BLANK,
        "date": _cn_date(lh.issued) if lh.issued else L.MEMO_LABELS["date_blank"],
        "reviewer": f"（{L.MEMO_LABELS['reviewer']}：{lh.reviewer or L.BLANK}）",
    }


def memo_view(memo: Memo, detail: str = "brief") -> dict[str, Any]:
    """The narrow, fully worded view every memo template (md, html, docx) receives."""
    blocks = _full_blocks(memo) if detail == "full" else _brief_blocks(memo)
    c = memo.conclusion
    return {
        "title": memo.title,
        "detail": detail,
        "sign": _sign(memo),
        "blocks": blocks,
        "conclusion": {"code": c.code, "label": c.label},
    }


# -- rendering ------------------------------------------------------------------------------
MEMO_FORMATS = ("docx", "md", "html")
_TEMPLATES = {"md": "memo.md.j2", "html": "memo.html.j2"}


def render_memo(memo: Memo, fmt: str, detail: str = "brief", now: datetime | None = None) -> str | bytes:
    """The memo as Markdown or HTML text, or as .docx bytes; all from one view. ``now`` is
    the Word file's creation time (default: the current time, UTC)."""
    view = memo_view(memo, detail)
    if fmt == "docx":
        from ..docx_out import render_docx

        props = {
            "title": memo.title,
            "subject": L.DOC_SUBJECT,
            "author": memo.letterhead.issuer,
            "created": now or datetime.now(UTC).replace(microsecond=0),
        }
        return render_docx("memo.docx", {"m": view}, props)
    from ..render import render_template

    return render_template(_TEMPLATES[fmt], m=view)
