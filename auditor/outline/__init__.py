"""Outline stage: turn a normalised document into a section tree with report parts.

Levels come from the order in which numbering kinds open (一、 > （一） > 1. > （1） > ①
in the usual case, but any order works, e.g. 第一部分 > 一、 or a report whose top level
is （一）): a heading whose kind is already open closes everything below it; a new kind
opens one level deeper. Damaged numbering (a lost dot, a lost half-bracket, a lost
number) is accepted only where the sequence around it supports it; an unnumbered line
that names a part not yet begun ("存在的问题", "2025年工作安排") opens a top-level part.
Markdown emphasis around a number ("**1.…**") is formatting, not numbering. Parts
(results, shortcomings, first-responsible-person, next-year plan, other) come from
heading words, or, for unheaded parts, from the paragraph that opens them, which then
becomes a section of its own.

``heads`` reads lines and the heading a line may carry, ``builder`` walks them into the
tree; this module assigns parts and spans and is the stage's public API.
"""

from __future__ import annotations

import bisect
import re

from .. import limits
from ..lang import outline as L
from ..lang.numerals import CN_DIGITS, cn_value
from ..lang.signals import BARE_WILL, DISPOSAL
from ..model import Document, Outline, Paragraph, Section
from .builder import Builder
from .heads import Line, clause_title, heading_part, match_number, split_lines

__all__ = ["build", "cn_value", "opens_plan", "opens_shortcomings", "preamble_end", "section_path", "split_lines"]

_PLAN_VERB = "(?:" + "|".join(L.PLAN_VERBS) + ")"
_YEAR_PLAN = re.compile(r"^(?P<y>(?:19|20)\d{2})年(?:度)?[,:，：]?\s*" + L.PLAN_SUBJECTS + r"?\s*" + _PLAN_VERB)
# A paragraph led by a year but not by a date in it ("2025年是…", not "2025年1月…").
_YEAR_LEAD = re.compile(rf"^(?P<y>(?:19|20)\d{{2}})年(?!\d|[{CN_DIGITS}]{{1,2}}月)")
_CAUSES = re.compile(L.CAUSES)
_DISPOSAL = re.compile(DISPOSAL)
_BARE_WILL = re.compile(BARE_WILL)
_SHORTFALL_STATED = re.compile(L.SHORTFALL_STILL + L.SHORTFALL)
_SHORTFALL_LISTED = re.compile(L.SHORTFALL_STILL + L.SHORTFALL + L.SHORTFALL_LIST_CUE)
_SHORTFALL_SUMMARY = re.compile(L.SHORTFALL_SUMMARY)


def opens_shortcomings(text: str) -> bool:
    """Does this paragraph open an unheaded shortcomings part?

    It must state a shortfall, not merely mention one: "但…还有不小的差距" or "还存在一些
    不足：一是…" do, while results such as "排查整改问题隐患312个" or "针对存在的问题…" do
    not. So the statement ("还/仍/也 + 存在/有 + 不足/差距/问题…") counts after a contrast or
    comparison, or when it introduces a list; a summary ("存在的问题主要有…") counts alone.
    """
    head = text[: L.SHORTFALL_HEAD]
    if _SHORTFALL_SUMMARY.search(head) or _SHORTFALL_LISTED.search(head):
        return True
    m = _SHORTFALL_STATED.search(head)
    return m is not None and any(c in head[: m.start()] for c in L.SHORTFALL_CONTRASTS)


def opens_plan(text: str, year: int | None) -> bool:
    """Does this paragraph open an unheaded next-year plan ("2025年，我们将…")?

    Led by the next year, a plan verb anywhere in the first sentence will do
    ("2025年是…收官之年，我县将…"); without a known report year only the tight form
    "YYYY年，我们将…" counts, since any year could be meant.
    """
    window = text[: L.PLAN_VERB_WINDOW].split("。")[0]
    m = _YEAR_PLAN.match(text)
    if m:
        y = int(m.group("y"))
        if year is None and _BARE_WILL.match(text):  # "2024年，将…纳入考核": the disposal form
            return not _DISPOSAL.search(text.split("。")[0], m.end())
        return year is None or y == year + 1
    lead = _YEAR_LEAD.match(text)
    if lead and year is not None and int(lead.group("y")) == year + 1:
        return any(v in window for v in L.PLAN_VERBS)
    return text.startswith(L.PLAN_OPENERS) and any(v in window for v in L.PLAN_VERBS)


def build(doc: Document) -> Outline:
    """Build the section tree and assign parts."""
    lines = _cut_unheaded_openings(split_lines(doc), doc)
    b = Builder(doc, lines)
    # Heading detection depends on the open stack, so detect and place in one pass.
    last_preamble = preamble_end(lines)
    for i, line in enumerate(lines):
        if i % 256 == 0:
            limits.check_time()
        head = b.heading_at(i)
        if head is None:
            in_preamble = not b.sections and i <= last_preamble
            part = _unheaded_part(line.text, doc.meta.year, b.current_top_part, b.sections, in_preamble)
            if part is not None and (not b.sections or b.ends_numbered_run(i)):
                b.add_synthetic(i, part)
                b.add_top_part(part)
            b.paragraphs.append((line.start, line.end))
            continue
        level = b.place(head)
        sec = b.add_section(head, level)
        named = heading_part(sec.norm_title, level, doc.meta.year)
        if level == 1:
            sec.part = named or _default_top_part(b.top_part_set)
            b.add_top_part(sec.part)
        else:
            parent = b.sections[b.stack[-2].index] if len(b.stack) >= 2 else None
            sec.part = named or (parent.part if parent else "measures-and-results")
        if head.body_start is not None:
            b.paragraphs.append((head.body_start, line.end))
    sections = b.sections
    _close_spans(doc, sections, lines)
    _mark_causes(doc, sections)
    paragraphs = _paragraphs(b, sections)
    if lines and (not sections or sections[0].t_start > lines[0].start):
        _add_preamble(doc, sections, lines, paragraphs)
    return Outline(doc=doc, sections=sections, paragraphs=paragraphs)


def _default_top_part(top_parts: set[str]) -> str:
    """A top-level heading naming no part: results until a later part has begun."""
    later = {"shortcomings", "next-year-plan", "other"}
    return "other" if any(p in later for p in top_parts) else "measures-and-results"


def _unheaded_part(text: str, year: int | None, current: str | None, sections: list[Section], in_preamble: bool) -> str | None:
    """The part an unheaded paragraph opens, if any.

    After the preamble, body text that no heading has claimed yet is the results part of a
    report written without headings ("加强组织领导。全年…").
    """
    if in_preamble:
        return None
    if current not in ("shortcomings", "next-year-plan") and opens_shortcomings(text):
        return "shortcomings"
    if current != "next-year-plan" and opens_plan(text, year):
        return "next-year-plan"
    return None if sections else "measures-and-results"


def _cut_unheaded_openings(lines: list[Line], doc: Document) -> list[Line]:
    """In a report that lost its line breaks, cut a long line after the preamble's closing
    sentence (现将…报告如下。) and before each sentence that opens an unheaded part
    ("…取得明显成效。但…仍存在一些不足：…", "2025年，我们将…"): those parts are found by how a
    paragraph opens, and the paragraphs are gone. A report whose lines are paragraphs is left
    alone."""
    body = [t for t in doc.text[doc.body_start :].split("\n") if t.strip()]
    whole = len(body) == 1 and len(body[0]) >= L.RUN_ON_MIN  # the whole body is one line
    if not lines or (max(map(len, body), default=0) < L.RUN_ON_REPORT and not whole):
        return lines
    year = doc.meta.year
    out: list[Line] = []
    for ln in lines:
        if ln.end - ln.start < L.RUN_ON_MIN:
            out.append(ln)
            continue
        cuts = [ln.start + m.end() for m in _SENTENCE_END.finditer(ln.text)
                if opens_shortcomings(ln.text[m.end():]) or opens_plan(ln.text[m.end():], year)]
        # …and after the preamble's last sentence (现将有关情况报告如下。): the body starts there
        closer = next((m for m in _SENTENCE_END.finditer(ln.text)
                       if any(w in ln.text[: m.end()] for w in L.PREAMBLE_CLOSERS)), None)
        if closer is not None:
            cuts.append(ln.start + closer.end())
        cuts.sort()
        bounds = [ln.start, *(c for c in cuts if ln.start < c < ln.end), ln.end]
        out.extend(Line(a, b, ln.text[a - ln.start : b - ln.start]) for a, b in zip(bounds, bounds[1:], strict=False))
    return out


_SENTENCE_END = re.compile("[。!?]")


def preamble_end(lines: list[Line]) -> int:
    """Index of the last preamble line: the "现将…报告如下" line near the top, else the first."""
    for k, line in enumerate(lines[: L.PREAMBLE_MAX_LINES]):
        if match_number(line):
            break
        if any(w in line.text for w in L.PREAMBLE_CLOSERS):
            return k
    return 0


def _close_spans(doc: Document, sections: list[Section], lines: list[Line]) -> None:
    """Each section ends where the next section at the same or a higher level begins.

    One sweep with a stack of open sections, so the work stays linear in the number of
    sections whatever the shape of the tree.
    """
    end_text = lines[-1].end if lines else len(doc.text)
    open_: list[Section] = []
    for sec in sections:
        while open_ and open_[-1].level >= sec.level:
            _set_end(doc, open_.pop(), sec.t_start)
        open_.append(sec)
    for sec in open_:
        _set_end(doc, sec, end_text)


def _mark_causes(doc: Document, sections: list[Section]) -> None:
    """Record on each shortcomings part whether it states causes, not only shortfalls."""
    parts = {s.id: s.part for s in sections}
    for s in sections:
        if s.part == "shortcomings" and parts.get(s.parent or "") != "shortcomings":
            s.causes = bool(_CAUSES.search(doc.text[s.t_start : s.t_end]))


def _set_end(doc: Document, sec: Section, t_end: int) -> None:
    sec.t_end = t_end
    sec.end = doc.orig_span(sec.t_start, t_end)[1] if t_end > sec.t_start else sec.start
    while sec.end > sec.start and doc.original[sec.end - 1] in "\r\n \t":
        sec.end -= 1


def _paragraphs(b: Builder, sections: list[Section]) -> list[Paragraph]:
    """Give every paragraph the innermost section holding it (bisect, then up the tree)."""
    starts = [s.t_start for s in sections]
    index = {s.id: s for s in sections}
    out: list[Paragraph] = []
    for start, end in b.paragraphs:
        k = bisect.bisect_right(starts, start) - 1
        owner = sections[k] if k >= 0 else None
        while owner is not None and not (owner.t_start <= start < owner.t_end):
            owner = index.get(owner.parent) if owner.parent else None
        out.append(Paragraph(start, end, owner.id if owner else ""))
    return out


def _add_preamble(doc: Document, sections: list[Section], lines: list[Line], paragraphs: list[Paragraph]) -> None:
    """Text before the first heading becomes a synthetic preamble section."""
    first = lines[0]
    t_end = sections[0].t_start if sections else lines[-1].end
    ts, te = clause_title(first)
    a, _ = doc.orig_span(first.start, first.end)
    _, z = doc.orig_span(first.start, t_end)
    sec = Section(
        id="s0",
        level=1,
        number="",
        title=doc.quote(ts, te),
        part="preamble",
        start=a,
        end=z,
        parent=None,
        t_start=first.start,
        t_end=t_end,
        t_title_start=ts,
        t_title_end=te,
        synthetic=True,
        norm_title=doc.text[ts:te],
    )
    while sec.end > sec.start and doc.original[sec.end - 1] in "\r\n \t":
        sec.end -= 1
    sections.insert(0, sec)
    for p in paragraphs:
        if p.start < t_end and not p.section:
            p.section = "s0"


def section_path(outline: Outline, sid: str | None) -> str:
    """Human-readable path "一、… > （二）…" used in evidence and memos."""
    if not sid:
        return "（正文前部）"
    parts = []
    for s in outline.path(sid):
        label = f"{s.number}{s.title}" if s.number else f"〔{s.title}〕"
        parts.append(label)
    return " > ".join(parts)
