"""Part items: does the report have this part (from the outline), and is it complete?

A part found by the outline covers the item, with its heading as evidence. Without one,
the item's own vocabulary decides between partial (the matter is reported in passing) and
missing. A part that must be ``dedicated`` (the principal leaders' duties) is also
covered by a sub-part or lead sentence that names it, or by a section under a heading
from the item's ``headings`` whose body reports on the matter.
"""

from __future__ import annotations

import re

from ..checklist import DEFAULT_PARTS
from ..lang import outline as L_OUTLINE
from ..lang import signals as S
from ..model import Finding, Outline, Section
from . import evidence as E
from .mention import MAX_EVIDENCE, hits_for, ranked
from .statements import Statement
from .units import Units

_CAUSES = re.compile(L_OUTLINE.CAUSES)
_SHORTFALL = re.compile(S.SHORTFALL)
_POINT = re.compile(S.POINT_LEAD)  # a numbered point ("二是…", "2.…") may be the dedicated sub-item
THIN = 300  # characters: a results part shorter than this, with more report after it, is thin


def judge(item, outline: Outline, units: Units) -> Finding:
    """Verdict on a ``part`` item."""
    secs = [s for s in outline.sections if s.part == item.part]
    if item.part == "shortcomings":
        return _shortcomings(item, outline, units, secs)
    if secs:
        ev = [E.section_heading(outline, s.id) for s in secs[:MAX_EVIDENCE]]
        if all(_empty(outline, s) for s in secs):
            return E.finding(item, "partial", "仅有该部分标题，文本至此截断，未见正文", ev)
        if item.part == "measures-and-results" and _thin(outline, secs):
            return E.finding(item, "partial", "设有该部分，但内容过于单薄", ev)
        return E.finding(item, "covered", f"报告设有该部分：{ev[0].quote}", ev)
    if item.part == "next-year-plan":
        return _scattered_plans(item, outline, units)
    hits = [h for h in ranked(hits_for(item, units)) if h.kind not in ("plan", "shortcoming")]
    if "dedicated" in item.needs:
        found = _dedicated(item, outline, units, hits)
        if found is not None:
            return found
    if hits:
        ev = [E.quote(outline, h.unit, h.terms, h.statement, h.strong) for h in hits[:MAX_EVIDENCE]]
        return E.finding(item, "partial", "未设专门部分，仅在其他部分顺带提及", ev)
    return E.finding(item, "missing", "报告未设该部分，正文也未涉及", [])


def _empty(outline: Outline, sec: Section) -> bool:
    """A heading the text ends on (a web page's opening cut off after it): judged on the
    text there is, the part is announced but not reported."""
    return not outline.doc.text[sec.t_title_end : sec.t_end].strip(" \t\r\n:：,，。")


def _thin(outline: Outline, secs: list[Section]) -> bool:
    """A top-level part under THIN characters is thin, unless the text ends inside it (a
    report cut short, as a web page's opening often is, is judged on the text there is)."""
    tops = [s for s in secs if s.level == 1 or s.parent is None]
    size = sum(s.t_end - s.t_start for s in tops)
    end = max((s.t_end for s in tops), default=0)
    return size < THIN and end < len(outline.doc.text.rstrip())


def _dedicated(item, outline: Outline, units: Units, hits: list) -> Finding | None:
    """Covered by a heading, a paragraph's lead sentence or a numbered point (一是/二是…)
    naming the item, or by a section under one of the item's ``headings`` whose body reports
    the matter with a figure or a document."""
    accepted = item.parts or DEFAULT_PARTS
    leads = [h for h in hits if (h.unit.lead or h.unit.heading or _POINT.match(h.unit.text))
             and h.unit.part in accepted and h.kind != "plan" and not h.loose]
    if leads:
        ev = [E.quote(outline, h.unit, h.terms, h.statement, True) for h in leads[:MAX_EVIDENCE]]
        return E.finding(item, "covered", "以段落小标题专门报告了该项内容", ev)
    if not item.headings:
        return None
    for sec in outline.sections:
        title = outline.doc.text[sec.t_title_start : sec.t_title_end]
        if sec.synthetic or not any(w in title for w in item.headings) or sec.part not in accepted:
            continue
        body = [h for h in hits if h.unit.section == sec.id and not h.unit.heading and h.kind == "act"
                and not h.loose and h.statement.strength >= 3]
        if body:
            ev = [E.section_heading(outline, sec.id), *(E.quote(outline, h.unit, h.terms, h.statement, True) for h in body[:2])]
            return E.finding(item, "covered", f"在“{title}”部分专门报告了该项内容", ev)
    return None


def _scattered_plans(item, outline: Outline, units: Units) -> Finding:
    """No plan part: sentences that open with the next year (下一步、明年、2025年将…) are a
    partial plan; plan nouns elsewhere (工作计划 — usually this year's documents) are not."""
    plans = [u for u in units if u.part != "next-year-plan" and not u.heading and u.plan]
    if plans:
        ev = [E.quote(outline, u, (), Statement("plan")) for u in plans[-MAX_EVIDENCE:]]
        return E.finding(item, "partial", "未设专门部分，仅有零散的下一步打算", ev)
    return E.finding(item, "missing", "报告未设该部分", [])


def _shortcomings(item, outline: Outline, units: Units, secs: list[Section]) -> Finding:
    """Covered when a shortcomings part exists and (if required) states causes."""
    if secs:
        ev = [E.section_heading(outline, s.id) for s in secs[:1]]
        if "causes" in item.needs and not any(s.causes for s in secs):
            return E.finding(item, "partial", "列举了存在的不足，但未分析产生的原因", ev)
        causes = ((u, m) for u in units if u.part == "shortcomings" and (m := _CAUSES.search(u.text)))
        cause = next(causes, None)
        if cause is not None and not cause[0].heading:
            ev.append(E.quote(outline, cause[0], [cause[1].group(0)], Statement("shortcoming"), True))
        return E.finding(item, "covered", "报告了存在的不足及其原因", ev)
    weak = [u for u in units if u.part in DEFAULT_PARTS and not u.heading and _SHORTFALL.search(u.text)
            and any(o in u.text for o in ("但", "还存在", "仍存在", "存在"))]
    if weak:
        ev = [E.quote(outline, u, (), Statement("shortcoming")) for u in weak[:MAX_EVIDENCE]]
        return E.finding(item, "partial", "未设专门部分报告存在的不足和原因，仅有零星表述", ev)
    return E.finding(item, "missing", "报告未涉及存在的不足和原因", [])


