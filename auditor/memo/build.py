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
from datetime import date
from pathlib import Path

from ..defects import Defect
from ..lang import defects as LD
from ..lang import memo as L
from ..lang.labels import LEVEL_LABELS, PART_LABELS, SEVERITY_LABELS, STATUS_LABELS
from ..lang.numerals import CN_YEAR, year_value
from ..letterhead import DETAILS, Letterhead  # noqa: F401 - DETAILS is part of this module's interface
from ..level import body_name
from ..model import ChecklistResult, Document, Finding, Metadata, Outline, Report
from ..view import (
    location,
    order_findings,
    override_sentence,
    overrides_sentence,
    short,
)
from ..vocab import REQUIRED_PARTS

REJECT_MISSING = 3
REVISE_PARTIAL = 3
MAX_QUOTES = 2
BLOCKING_KINDS = ("placeholder", "empty-heading")
STRUCTURE_DEFECTS = ("numbering", "empty-heading")
FORMAL_DEFECTS = ("placeholder", "year", "quote", "bracket", "slogan")
_YEAR_DIGITS = re.compile(r"((?:19|20)\d{2})\s*年")
_YEAR_CN = re.compile(rf"({CN_YEAR})\s*年")


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
    return year_value(m.group(1)) if m else None


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
    quotes = [Quote(location(doc, e.path, e.start), short(e.quote), "", e.start, e.end) for e in f.evidence[:MAX_QUOTES]]
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


def memo_title(meta: Metadata, doc: Document) -> str:
    """“关于XX县人民政府2024年度法治政府建设情况报告的审核意见”: the reporting body and the
    year, so the memos of a batch can be told apart; without a known body, the file name."""
    year = f"{meta.year}年度" if meta.year else ""
    body = body_name(meta.issuer, meta.title)
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
    from ..level import Level

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
        from ..render import ocr_label

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
        issuer=body_name(doc.meta.issuer, doc.meta.title) or "",
        year=doc.meta.year,
        report_title=" ".join((doc.meta.title or "").split()),
        file_name=Path(doc.path).name,
    )


def _n(fs: list[Finding], status: str) -> int:
    return sum(f.status == status for f in fs)
