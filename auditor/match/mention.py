"""Mention items: find the sentences about an item, say what each states, then judge.

Covered when a clause about the item is a reported act in an accepted part (the results
by default); partial when clauses about it exist but none is; missing otherwise. The
evidence is ranked strongest first (an act with a figure or an issued document before an
act with a verb only, before slogans, topics, plans and headings), and the reason is
written from the evidence shown.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from .. import limits
from ..checklist import DEFAULT_PARTS
from ..lang import signals as S
from ..model import Evidence, Finding, Outline
from . import evidence as E
from .finder import candidates, cited, find, window
from .statements import Statement, classify
from .units import Unit, Units

MAX_EVIDENCE = 3
RANK_CAP = 3  # beyond one figure or document, earlier evidence (the dedicated paragraph) wins
# Partial evidence order: what comes closest to a reported act first.
_WEAK_ORDER = {"slogan": 0, "topic": 1, "shortcoming": 2, "plan": 3, "heading": 4, "furniture": 5}


@dataclass
class Hit:
    """One sentence about an item, with the statement it makes about it."""

    unit: Unit
    terms: list[str]
    pos: int  # offset in the unit of the first term
    statement: Statement
    strong: bool = False  # a reported act in a part the item accepts
    inherited: bool = False  # about the item through the heading or lead sentence above it
    loose: bool = False  # found by the item's loose ``mentions`` wording only: never covers

    @property
    def kind(self) -> str:
        """The statement kind of the hit (act, slogan, topic, plan, …)."""
        return self.statement.kind

    @property
    def signals(self) -> list[str]:
        """The substance signals that make the hit an act."""
        return list(self.statement.signals)


def _accepts(item, unit: Unit) -> bool:
    """Is a reported act in this unit evidence for the item? In the parts it accepts, and in
    the opening paragraph: openings sum up the year's results (获评…, 通过验收, 办理…件), and a
    result stated there is reported as much as one in the results part."""
    if unit.heading:
        return False
    return unit.part in (item.parts or DEFAULT_PARTS) or unit.part == "preamble"


def grade(item, unit: Unit, terms: list[str], spans: list[tuple[int, int]],
          topics: Collection[tuple[int, int]] = ()) -> Hit:
    """The statement the unit makes about the item, judged at the strongest of its terms'
    clauses; a span that only names an all_of group's topic (全面依法治 in a committee's name)
    is judged only when nothing else was found."""
    best: Statement | None = None
    seen: set[int] = set()
    judged = [sp for sp in spans if sp not in topics] or spans
    for a, b in judged:
        clause = unit.clause_at(a)
        if clause in seen:  # terms in one clause share its scope: judge it once
            continue
        seen.add(clause)
        limits.check_time()
        st = classify(unit, a, b, spans, item.substance, item.acts)
        if best is None or _rank(st) > _rank(best):
            best = st
    assert best is not None
    strong = best.kind == "act" and _accepts(item, unit)
    return Hit(unit, terms, spans[0][0], best, strong)


def _rank(st: Statement) -> tuple[int, int]:
    return (st.kind == "act", st.strength)


def _governed(hit: Hit, units: Units) -> list[Unit]:
    """Sentences a heading or paragraph lead governs: a leaf section's body, or the rest
    of the lead's paragraph."""
    u = hit.unit
    if u.heading:
        return units.by_section.get(u.section, []) if u.leaf else []
    return [x for x in units.by_para.get(u.para, []) if x is not u]


def inherited_hits(item, units: Units, hits: list[Hit]) -> list[Hit]:
    """Acts under a heading or lead sentence that names the item.

    Reports often name a task once ("全面铺开政务诚信建设。") and give the figures in the
    sentences that follow without repeating the term; those sentences are about the task
    as a whole, so all of each is read.
    """
    seen = {id(h.unit) for h in hits}
    out: list[Hit] = []
    for h in hits:
        if not (h.unit.lead or h.unit.heading) or h.kind in ("plan", "shortcoming") or h.unit.part not in (item.parts or DEFAULT_PARTS):
            continue
        for x in _governed(h, units):
            if id(x) in seen:
                continue
            st = classify(x, 0, len(x.text), (), item.substance)
            if st.kind == "act" and _accepts(item, x):
                seen.add(id(x))
                out.append(Hit(x, list(h.terms), 0, st, True, inherited=True))
    return out


def hits_for(item, units: Units) -> list[Hit]:
    """Every graded hit of a mention item, sentences governed by a naming heading included."""
    out = []
    loose = []
    for u in candidates(item, units):
        found = find(item, u.masked, u.boundaries, u.text)
        if found:
            out.append(grade(item, u, found.terms, found.spans, found.topics))
        elif item.mentions:
            m = next((m for rx in item.mentions if (m := rx.search(u.masked))), None)
            if m and not item.excluded(window(u.text, m.start(), m.end())):
                st = grade(item, u, [m.group(0)], [(m.start(), m.end())]).statement
                loose.append(Hit(u, [m.group(0)], m.start(), st, False, loose=True))
    out += _cited_hits(item, units, {id(h.unit) for h in out})
    return out + inherited_hits(item, units, out) + loose


def _cited_hits(item, units: Units, seen: set[int]) -> list[Hit]:
    """Sentences that cite the law the item implements (its ``titles``) and were not found
    by its terms; the statement is judged on the masked sentence as for every hit."""
    if not item.titles:
        return []
    out = []
    for u in units:
        if id(u) in seen or "《" not in u.text or not any(w in u.text for w in item.titles):
            continue
        found = cited(item, u.text)
        if found:
            out.append(grade(item, u, found.terms, found.spans, found.topics))
    return out


def ranked(hits: list[Hit]) -> list[Hit]:
    """Strongest evidence first: accepted acts by strength (direct before inherited), then
    the rest from nearest-to-an-act to furthest."""
    named = {h.unit.section for h in hits if h.unit.heading}  # sections whose heading names the item

    def key(h: Hit) -> tuple:
        if h.strong:
            return (0, h.inherited, h.unit.part == "preamble", -min(h.statement.strength, RANK_CAP),
                    h.unit.section not in named, h.unit.start)
        return (1, h.loose, _WEAK_ORDER.get(h.kind, 9) if h.kind != "act" else -1, h.unit.start)
    return sorted(hits, key=key)


def covered_reason(shown: list[Evidence], total: int) -> str:
    """Why covered, from the evidence shown: the signals and the words (as written) that carry them."""
    cues = [f"{S.SIGNAL_LABELS[k]}“{c}”" for e in shown if e.substantive for k, c in zip(e.signals, e.cues, strict=False)]
    listed = "、".join(dict.fromkeys(cues[:4]))
    return f"报告了本年度已开展的具体工作（{listed}），共 {total} 处"


def partial_reason(hits: list[Hit], shown: list[Evidence]) -> str:
    """Why partial, from the strongest evidence shown (so it never denies what is quoted)."""
    first, ev = hits[0], shown[0]
    cue = f"（“{ev.cues[0]}”）" if ev.cues else ""
    if first.loose:
        return f"仅以相关表述（“{first.terms[0]}”）提及，未明确报告该项工作的具体做法或成果"
    kinds = {h.kind for h in hits if h.kind != "heading"} or {"heading"}
    if first.kind == "act":  # an act, but outside the parts the item accepts
        return f"所报具体工作位于{E.part_label(first.unit.part)}，不在本年度工作成效部分"
    if first.kind == "slogan":
        return "仅有原则性表述，未报告该项工作的具体做法、数量、日期、印发文件或平台"
    if first.kind == "topic":
        return f"仅作为会议议题或部署事项列举{cue}，所报次数或数量针对会议或部署，而非该项工作本身"
    if kinds <= {"plan"}:
        return "仅在下一年度工作安排或计划性表述中提及，未报告本年度已开展的工作"
    if kinds <= {"plan", "shortcoming"}:
        return "仅在存在的不足或问题中提及，未报告已开展的工作"
    if kinds <= {"heading"}:
        return "仅见于标题，正文未报告具体举措或成果"
    return f"仅以{S.STATEMENT_LABELS[first.kind]}提及，未报告本年度已开展的具体工作"


def judge(item, outline: Outline, units: Units) -> Finding:
    """Verdict on a ``mention`` item, with its evidence strongest first."""
    hits = ranked(hits_for(item, units))
    strong = [h for h in hits if h.strong]
    need = item.min_evidence or 1
    shown = [E.quote(outline, h.unit, h.terms, h.statement, h.strong) for h in hits[:MAX_EVIDENCE]]
    if len(strong) >= need:
        status, reason = "covered", covered_reason(shown, len(strong))
    elif strong:
        status, reason = "partial", f"实质性表述 {len(strong)} 处，少于要求的 {need} 处"
    elif hits:
        status, reason = "partial", partial_reason(hits, shown)
    else:
        status, reason = "missing", "全文未提及相关内容"
    return E.finding(item, status, reason, shown)
