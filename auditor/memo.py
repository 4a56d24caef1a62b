"""Audit memo (审核意见): one check result turned into a written opinion for a supervisor.

The memo is built from a ``Report`` plus the draft defects and two formal checks (the
year in the title against the year in the body; publication after the deadline of the
reporting level). Findings come most serious first: required items missing, required
items partial, then recommended items missing and partial; within a rank the checklist
order is kept, so the memo is deterministic.

Conclusion rule (``conclude``), the first that applies:

1. 不符合要求，退回修改 — a required part of the report is missing altogether (structure
   incomplete), or ``REJECT_MISSING`` (3) or more required content items are missing;
2. 建议修改完善后报送 — 1–2 required content items missing, ``REVISE_PARTIAL`` (3) or more
   required content items only partly covered, a required part present but incomplete
   (shortcomings without causes, first-responsible-person duties not in a part of their
   own …), or unfinished text (unfilled placeholders, headings without body);
3. 基本符合要求，建议完善 — every required item and part covered, except at most two
   required content items partly covered, and/or editorial or formal issues remain
   (numbering, paired marks, stray years, slogans, title/body year, late publication);
4. 符合要求 — every required item and part covered, and nothing else found.

Recommended items never change the conclusion; they are listed as suggestions.
The same rule is documented for users in docs/memo.md.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from .defects import Defect
from .lang import defects as LD
from .lang import memo as L
from .lang.labels import LEVEL_LABELS, PART_LABELS, SEVERITY_LABELS, STATUS_LABELS
from .letterhead import DETAILS, Letterhead  # noqa: F401 - DETAILS is part of this module's interface
from .model import ChecklistResult, Document, Finding, Metadata, Outline, Report
from .vocab import REQUIRED_PARTS

REJECT_MISSING = 3
REVISE_PARTIAL = 3
MAX_QUOTES = 2
MAX_QUOTE_CHARS = 150
PATH_SEPARATOR = " › "  # instead of " > ", which Markdown and HTML would have to escape
SEVERITY_RANK = {"required": 0, "recommended": 1}
STATUS_RANK = {"missing": 0, "partial": 1, "covered": 2}
BLOCKING_KINDS = ("placeholder", "empty-heading")
STRUCTURE_DEFECTS = ("numbering", "empty-heading")
FORMAL_DEFECTS = ("placeholder", "year", "quote", "bracket", "slogan")
_YEAR_DIGITS = re.compile(r"((?:19|20)\d{2})\s*年")
_YEAR_CN = re.compile(r"([〇零一二三四五六七八九]{4})\s*年")
_CN_DIGIT = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0"}


@dataclass(frozen=True)
class Quote:
    """A place in the report: where it is and what it says there (as written)."""

    where: str
    text: str
    note: str = ""
    start: int | None = None
    end: int | None = None
    count: int = 1  # the same finding repeated in one sentence is one quote with a count
    snippet: str = ""  # the offending words themselves (a defect's quote), for the brief memo


@dataclass
class Entry:
    """One finding of the memo, in the shape every renderer shows."""

    kind: str  # "item" for checklist items; a defect kind; "title-year"; "late"
    heading: str
    badge: str
    situation: str
    advice: str
    requirement: str = ""
    cite: str = ""
    quotes: list[Quote] = field(default_factory=list)
    item_id: str = ""
    severity: str = ""
    status: str = ""


@dataclass(frozen=True)
class Counts:
    """What the conclusion is derived from."""

    required_missing: int = 0  # required content items (not report parts)
    required_partial: int = 0
    parts_missing: int = 0  # required report parts
    parts_partial: int = 0
    blocking: int = 0  # unfilled placeholders, headings without body
    editorial: int = 0  # other draft defects and formal issues


@dataclass(frozen=True)
class Conclusion:
    """The memo's verdict and the reasons that led to it."""

    code: str
    label: str
    reasons: tuple[str, ...]


@dataclass
class Memo:
    """Everything the memo says, before formatting."""

    title: str
    meta: list[tuple[str, str]]
    basis: list[str]
    overview: list[str]
    table: list[list[str]]
    content: list[Entry]
    structure: list[Entry]
    formal: list[Entry]
    counts: Counts
    conclusion: Conclusion
    structure_complete: bool
    letterhead: Letterhead = field(default_factory=Letterhead)
    issuer: str = ""
    year: int | None = None
    report_title: str = ""
    file_name: str = ""


# -- ordering and conclusion ----------------------------------------------------------
def finding_rank(f: Finding) -> tuple[int, int]:
    """Sort key: required before recommended, missing before partial."""
    return SEVERITY_RANK.get(f.severity, 2), STATUS_RANK.get(f.status, 3)


def order_findings(findings: Sequence[Finding]) -> list[Finding]:
    """Open findings (missing or partial; covered and not-applicable are settled), most
    serious first; ties keep their checklist order (stable sort)."""
    return sorted((f for f in findings if f.is_open), key=finding_rank)


def conclude(c: Counts) -> Conclusion:
    """The conclusion rule of the module docstring, with the reasons that triggered it."""
    reasons = _reasons(c)
    if c.parts_missing or c.required_missing >= REJECT_MISSING:
        code = "reject"
    elif c.required_missing or c.required_partial >= REVISE_PARTIAL or c.parts_partial or c.blocking:
        code = "revise"
    elif c.required_partial or c.editorial:
        code = "pass-with-advice"
    else:
        code = "pass"
    return Conclusion(code, L.CONCLUSIONS[code], tuple(reasons))


def _reasons(c: Counts) -> list[str]:
    out = []
    if c.parts_missing:
        out.append(f"缺少必备组成部分{c.parts_missing}个")
    if c.parts_partial:
        out.append(f"必备组成部分不完整{c.parts_partial}个")
    if c.required_missing:
        out.append(f"必备内容缺失{c.required_missing}项")
    if c.required_partial:
        out.append(f"必备内容部分覆盖{c.required_partial}项")
    if c.blocking:
        out.append(f"存在未完成的文字（占位符、无正文标题）{c.blocking}处")
    if c.editorial:
        out.append(f"存在文字和形式问题{c.editorial}处")
    return out or ["必备组成部分和必备内容均已覆盖，未发现文字和形式问题"]


# -- formal checks --------------------------------------------------------------------
def first_year(s: str | None) -> int | None:
    """The first year written in ``s`` ("2024年" or "二〇二四年")."""
    if not s:
        return None
    m = _YEAR_DIGITS.search(s)
    if m:
        return int(m.group(1))
    m = _YEAR_CN.search(s)
    return int("".join(_CN_DIGIT[c] for c in m.group(1))) if m else None


def body_year(outline: Outline) -> int | None:
    """The year the body reports on: its results heading, else the preamble's opening year."""
    for s in outline.sections:
        if s.part == "measures-and-results" and s.level == 1 and not s.synthetic:
            y = first_year(s.norm_title)
            if y is not None:
                return y
            break
    doc = outline.doc
    pre = next((s for s in outline.sections if s.part == "preamble"), None)
    if pre is not None:
        m = re.match(r"\s*((?:19|20)\d{2})\s*年", doc.text[pre.t_start : pre.t_start + 12])
        if m:
            return int(m.group(1))
    return None


def title_year_issue(outline: Outline) -> Entry | None:
    """The title names one year and the body reports on another."""
    doc = outline.doc
    ty, by = first_year(doc.meta.title), body_year(outline)
    if ty is None or by is None or ty == by:
        return None
    return Entry(
        kind="title-year",
        heading="标题年度与正文年度不一致",
        badge="1处",
        situation=f"报告标题写明为{ty}年度，正文报告的是{by}年度的工作。",
        advice="请核实报告年度，统一标题和正文中的年份。",
        quotes=[Quote("标题", doc.meta.title or "")],
    )


def publication_issue(meta: Metadata, kind: str | None, deadlines: Mapping[str, tuple[int, int]] | None = None) -> Entry | None:
    """Publication after the deadline of the reporting level, when date and level are known."""
    table = L.PUBLICATION_DEADLINES if deadlines is None else deadlines
    if not (meta.published and meta.year and kind is not None and kind in table):
        return None
    try:
        published = date.fromisoformat(meta.published)
    except ValueError:
        return None
    month, day = table[kind]
    due = date(meta.year + 1, month, day)
    if published <= due:
        return None
    level = LEVEL_LABELS.get(kind, kind)
    return Entry(
        kind="late",
        heading="报告公开时间晚于规定时限",
        badge="1处",
        situation=(
            f"报告发布日期为{_cn_date(published)}，晚于{level}年度报告的公开时限"
            f"（{_cn_date(due)}前）。"
        ),
        advice=f"请按时报送并向社会公开年度报告：上一年度的报告应于每年{month}月{day}日前完成公开。",
    )


def _cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


# -- building the memo --------------------------------------------------------------------
def _short(text: str, limit: int = MAX_QUOTE_CHARS) -> str:
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


def advice_for(f: Finding, needs: tuple[str, ...] = ()) -> str:
    """The advice that fits the finding: a part that is there but lacks what it needs (the
    causes of the shortcomings, a part of its own) is asked for that, not to be added."""
    if f.status == "partial":
        for need in needs:
            if need in L.PART_PARTIAL_ADVICE:
                return L.PART_PARTIAL_ADVICE[need]
    return f.advice


def item_entry(f: Finding, doc: Document, needs: tuple[str, ...] = ()) -> Entry:
    """A checklist finding as a memo entry: requirement, what the report says, what to add."""
    reason = f.reason or "未涉及相关内容"
    situation = f"{reason if reason.startswith('报告') else '报告' + reason}。"
    if f.override is not None:
        situation += override_sentence(f)
    quotes = [Quote(location(doc, e.path, e.start), _short(e.quote), "", e.start, e.end) for e in f.evidence[:MAX_QUOTES]]
    return Entry(
        kind="item",
        heading=f.title,
        badge=f"{SEVERITY_LABELS.get(f.severity, f.severity)}项，{STATUS_LABELS.get(f.status, f.status)}",
        situation=situation,
        advice=advice_for(f, needs),
        requirement=f.requirement,
        cite=f.cite,
        quotes=quotes,
        item_id=f.item_id,
        severity=f.severity,
        status=f.status,
    )


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


def collapse(found: Sequence[Defect]) -> list[tuple[Defect, int]]:
    """Defects of one kind in the same sentence are one finding with a count (seven 'XX'
    in one line are one place to fix, not seven); order is kept."""
    groups: dict[tuple[str, str, str], list[Defect]] = {}
    for d in found:
        groups.setdefault((d.kind, d.path, d.context or d.quote), []).append(d)
    return [(ds[0], len(ds)) for ds in groups.values()]


def defect_entry(kind: str, found: Sequence[Defect], doc: Document) -> Entry:
    """All defects of one kind as a single memo entry listing each place once."""
    label = LD.KIND_LABELS[kind]
    quotes = [
        Quote(location(doc, d.path, d.start), d.context or d.quote, d.message if n == 1 else f"{d.message}（本句共{n}处）",
              d.start, d.end, n, d.quote)
        for d, n in collapse(found)
    ]
    return Entry(
        kind=kind,
        heading=label,
        badge=f"{len(quotes)}处",
        situation=f"报告中共有{len(quotes)}处{label}，具体如下。",
        advice=LD.KIND_ADVICE[kind],
        quotes=quotes,
    )


def _counts(content: list[Finding], parts: Structure, defects: Sequence[Defect], formal: int) -> Counts:
    req = [f for f in content if f.severity == "required"]
    places = collapse(defects)
    blocking = sum(1 for d, _ in places if d.kind in BLOCKING_KINDS)
    return Counts(
        required_missing=sum(f.status == "missing" for f in req),
        required_partial=sum(f.status == "partial" for f in req),
        parts_missing=parts.missing,
        parts_partial=parts.partial,
        blocking=blocking,
        editorial=len(places) - blocking + formal,
    )


def _table(findings: list[Finding]) -> list[list[str]]:
    rows = []
    for sev, label in (("required", "必备项"), ("recommended", "建议项")):
        fs = [f for f in findings if f.severity == sev and f.status != "not-applicable"]
        rows.append([label, *(str(sum(f.status == s for f in fs)) for s in ("covered", "partial", "missing")), str(len(fs))])
    applicable = [f for f in findings if f.status != "not-applicable"]
    rows.append(["合计", *(str(sum(f.status == s for f in applicable)) for s in ("covered", "partial", "missing")), str(len(applicable))])
    return rows


_TITLE_BODY = re.compile(r"^(.{2,40}?)(?:关于|(?:19|20)\d{2}\s*年|[〇○零一二三四五六七八九]{4}年)")
_BODY_WORD = re.compile(r"(?:[省市州盟县区旗乡镇]|人民政府|政府|街道|办事处|局|厅|委员会|委|办公室)$")


def reporting_body(meta: Metadata) -> str:
    """The body that reports: the issuer found in the report, else the words of the title
    before 关于 or the year when they end like an office (临江市白石镇), else ""."""
    issuer = " ".join((meta.issuer or "").split())
    if issuer:
        return issuer
    m = _TITLE_BODY.match("".join((meta.title or "").split()))
    return m.group(1) if m and _BODY_WORD.search(m.group(1)) else ""


def memo_title(meta: Metadata, doc: Document) -> str:
    """“关于XX县人民政府2024年度法治政府建设情况报告的审核意见”: the reporting body and the
    year, so the memos of a batch can be told apart; without a known body, the file name."""
    year = f"{meta.year}年度" if meta.year else ""
    body = reporting_body(meta)
    if body:
        return f"关于{body}{year}法治政府建设情况报告的审核意见"
    if year:
        return f"关于{year}法治政府建设情况报告（{Path(doc.path).name}）的审核意见"
    return f"关于{Path(doc.path).name}的审核意见"


def _basis(checklists: Sequence[ChecklistResult]) -> list[str]:
    """The documents the review rests on, and the checklists by their titles (their ids and
    versions are in the JSON, not in a document for officials)."""
    items = list(L.BASIS_DOCUMENTS)
    items += [f"检查清单“{c.title}”（依据：{c.basis}）" for c in checklists]
    return [f"{k}. {text}" for k, text in enumerate(items, 1)]


def _meta_rows(doc: Document, kind: str | None, level_from: str | None = None) -> list[tuple[str, str]]:
    from .level import Level

    m = doc.meta
    level = Level(kind, level_from).label if kind and level_from else None
    return [
        ("报告名称", m.title or L.BLANK),
        ("报送单位", m.issuer or L.BLANK),
        ("报告年度", f"{m.year}年度" if m.year else L.BLANK),
        ("发布日期", _cn_date(date.fromisoformat(m.published)) if m.published else L.BLANK),
        ("报告层级", level or (LEVEL_LABELS.get(kind, kind) if kind else "未识别（未核对公开时限）")),
        ("文件", Path(doc.path).name),
    ]




@dataclass(frozen=True)
class Structure:
    """Whether the required parts are all there, how many are missing or incomplete, in words."""

    complete: bool
    missing: int
    partial: int
    sentence: str


def structure(parts: list[Finding], outline: Outline) -> Structure:
    """Judge the report's parts from the structure items, else from the outline's parts."""
    required = [f for f in parts if f.severity == "required"]
    if not required:
        present = {s.part for s in outline.sections}
        lacking = [PART_LABELS[p] for p in REQUIRED_PARTS if p not in present]
        if not lacking:
            return Structure(True, 0, 0, "报告结构完整，具备各必备组成部分。")
        names = "、".join(f"“{x}”" for x in lacking)
        return Structure(False, len(lacking), 0, f"报告结构不完整：未见{names}部分。")
    missing = [f"“{f.title}”" for f in required if f.status == "missing"]
    partial = [f"“{f.title}”" for f in required if f.status == "partial"]
    if not missing and not partial:
        return Structure(True, 0, 0, f"报告结构完整，具备全部{len(required)}个必备组成部分。")
    bits = []
    if missing:
        bits.append("缺少" + "、".join(missing) + "部分")
    if partial:
        bits.append("、".join(partial) + "部分不完整")
    return Structure(False, len(missing), len(partial), "报告结构不完整：" + "；".join(bits) + "。")


def build_memo(
    report: Report,
    defects: Sequence[Defect] = (),
    kind: str | None = None,
    deadlines: Mapping[str, tuple[int, int]] | None = None,
    letterhead: Letterhead | None = None,
) -> Memo:
    """The memo for one checked report (each finding says whether it judges a report part and
    what that part needs); ``deadlines`` overrides ``PUBLICATION_DEADLINES``; ``letterhead`` fills 主送,
    落款, 审核人 and the date (blanks when not given)."""
    doc = report.doc
    findings = [f for c in report.checklists for f in c.findings]
    content = [f for f in findings if not f.is_part]
    parts = [f for f in findings if f.is_part]
    by_kind = {k: [d for d in defects if d.kind == k] for k in LD.KIND_LABELS}
    formal_checks = [e for e in (title_year_issue(report.outline), publication_issue(doc.meta, kind, deadlines)) if e]
    shape = structure(parts, report.outline)
    counts = _counts(content, shape, defects, len(formal_checks))
    applicable = [f for f in findings if f.status != "not-applicable"]
    req = [f for f in applicable if f.severity == "required"]
    rec = [f for f in applicable if f.severity != "required"]
    skipped = len(findings) - len(applicable)
    overview = [
        f"共审核{len(applicable)}项"
        f"{f'（另有{skipped}项对本报告不适用，不计入）' if skipped else ''}。其中必备项{len(req)}项：已覆盖{_n(req, 'covered')}项、"
        f"部分覆盖{_n(req, 'partial')}项、缺失{_n(req, 'missing')}项；建议项{len(rec)}项：已覆盖{_n(rec, 'covered')}项、"
        f"部分覆盖{_n(rec, 'partial')}项、缺失{_n(rec, 'missing')}项。",
        shape.sentence,
        *report.notes,
        *report.stale,
        *filter(None, [overrides_sentence(findings)]),
    ]
    n_text = counts.blocking + counts.editorial
    overview.append(f"另发现文字、格式和形式方面的问题{n_text}处。" if n_text else "未发现文字、格式和形式方面的问题。")
    if doc.ocr is not None:  # recognised text is marked in every output (issue 17)
        from .render import ocr_label

        overview.append(f"注意：{ocr_label(doc)}。")
    return Memo(
        title=memo_title(doc.meta, doc),
        meta=_meta_rows(doc, kind, report.level_from if kind == report.level else "option"),
        basis=_basis(report.checklists),
        overview=overview,
        table=_table(applicable),
        content=[item_entry(f, doc) for f in order_findings(content)],
        structure=[item_entry(f, doc, f.needs) for f in order_findings(parts)]
        + [defect_entry(k, by_kind[k], doc) for k in STRUCTURE_DEFECTS if by_kind[k]],
        formal=formal_checks + [defect_entry(k, by_kind[k], doc) for k in FORMAL_DEFECTS if by_kind[k]],
        counts=counts,
        conclusion=conclude(counts),
        structure_complete=shape.complete,
        letterhead=letterhead or Letterhead(),
        issuer=reporting_body(doc.meta),
        year=doc.meta.year,
        report_title=" ".join((doc.meta.title or "").split()),
        file_name=Path(doc.path).name,
    )


def _n(fs: list[Finding], status: str) -> int:
    return sum(f.status == status for f in fs)


# -- view model ---------------------------------------------------------------------------
# The view is a list of blocks every template (md, html, docx) lays out the same way:
#   h1 (黑体 heading), h2 (楷体 heading), p (a paragraph, optionally led by a 楷体 run such as
#   "（一）…。"), field (a bold label and its text), quote, counts (the 5-column table) and
#   items (the 2-column table of partly covered items).
_CN_ORD = "一二三四五六七八九十"
MAX_PLACES = 3  # places named per kind of text problem in the brief memo
MAX_OPTIONAL = 10  # recommended items named in the brief memo's short list (the rest counted)
_PAREN_TAIL = re.compile(r"（[^（）]*）$")  # "述法（领导干部年终述法…）" is listed as "述法"


def cn_number(k: int) -> str:
    """一 … 九十九."""
    if k <= 10:
        return _CN_ORD[k - 1]
    tens, ones = divmod(k, 10)
    return f"{'' if tens == 1 else _CN_ORD[tens - 1]}十{_CN_ORD[ones - 1] if ones else ''}"


def _ordinal(k: int) -> str:
    """（一）…（九十九）, the second-level numbering of official documents."""
    return f"（{cn_number(k)}）"


def _block(kind: str, text: str = "", **more: Any) -> dict[str, Any]:
    return {"kind": kind, "text": text, "lead": "", "label": "", "header": [], "rows": [], **more}


def _entry_blocks(k: int, e: Entry) -> list[dict[str, Any]]:
    """One finding in the full memo: heading, requirement, situation, quotes, advice."""
    out = [_block("h2", f"{_ordinal(k)}{e.heading}（{e.badge}）")]
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
        where = q.where.split("，", 1)[0] if q.where.startswith("第") else _short(q.where.rsplit(PATH_SEPARATOR, 1)[-1], 16)
        count = f"（{q.count}处）" if q.count > 1 else ""
        names.append(f"{where}“{_short(q.snippet or q.text, 24)}”{count}")
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
            _block("p", _must_text(e), lead=f"{_ordinal(k)}{e.heading}。") for k, e in enumerate(must, 1)
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
            blocks.append(_block("p", body, lead=f"{_ordinal(k)}{e.heading}（{e.badge}）。"))
        sections.append((L.BRIEF_HEADINGS["text"], blocks))
    if optional:
        names = "；".join(_PAREN_TAIL.sub("", e.heading) or e.heading for e in optional[:MAX_OPTIONAL])
        more = f"等{len(optional)}项（逐项意见见完整审核表）" if len(optional) > MAX_OPTIONAL else ""
        sections.append((L.BRIEF_HEADINGS["optional"], [
            _block("p", f"以下建议项报告未涉及或涉及不充分，可结合本地实际补充：{names}{more}。"),
        ]))
    out = [_block("p", _opening(memo))]
    for k, (heading, blocks) in enumerate(sections, 1):
        out.append(_block("h1", f"{cn_number(k)}、{heading}"))
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
        from .docx_out import render_docx

        props = {
            "title": memo.title,
            "subject": L.DOC_SUBJECT,
            "author": memo.letterhead.issuer,
            "created": now or datetime.now(UTC).replace(microsecond=0),
        }
        return render_docx("memo.docx", {"m": view}, props)
    from .render import render_template

    return render_template(_TEMPLATES[fmt], m=view)
