"""Match stage: checklist items x report sentences -> findings with evidence.

For a ``mention`` item the engine finds the sentences that name it (terms, patterns,
co-occurring term groups; never text inside a cited 《document title》, page furniture
or the metadata header), then grades each hit: it *covers* the item when it sits in a
part the item accepts (results by default) and carries substance in the clause around
the term (a count, a rate, a date, an issued document, a named platform, a concrete
action); anything else (plans, shortcomings, slogans) is *partial*. A ``part`` item
judges the report's parts from the outline stage.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from . import limits, nlp
from .checklist import DEFAULT_PARTS, effective_severity
from .lang import outline as L_OUTLINE
from .lang import signals as S
from .model import ChecklistResult, Evidence, Finding, Outline, Report, Summary
from .outline import section_path

MAX_EVIDENCE = 3
_MASK = "□"
_CLAUSE = re.compile(r"[,;:,；：]")
_SIGNALS = {k: re.compile(v) for k, v in S.SIGNALS.items()}
_INTENT = re.compile(S.INTENT)
_SHORTFALL = re.compile(S.SHORTFALL)
_CAUSES = re.compile(L_OUTLINE.CAUSES)
_ISSUE = re.compile(S.ISSUE_VERBS)
_TITLE_QUOTE = re.compile(r"《[^《》]{1,80}》")


@dataclass
class Unit:
    """One sentence (or heading) of the report, prepared once for every item."""

    start: int  # Document.text offsets
    end: int
    text: str
    masked: str  # cited document titles blanked out, same length as ``text``
    section: str | None
    part: str
    heading: bool
    lead: bool  # first sentence of a paragraph, short enough to act as its heading
    boundaries: Collection[int]  # pkuseg token boundaries, segmented on first use
    clauses: list[tuple[int, int]] = field(default_factory=list)
    para: int = -1  # index of the paragraph (or heading) the sentence belongs to
    leaf: bool = False  # a heading of a section without sub-sections


class Units(list):
    """The prepared sentences of one report, indexed by paragraph and by section."""

    def __init__(self, units: Iterable[Unit] = ()) -> None:
        super().__init__(units)
        self.by_para: dict[int, list[Unit]] = {}
        self.by_section: dict[str | None, list[Unit]] = {}
        for u in self:
            self.by_para.setdefault(u.para, []).append(u)
            if not u.heading:
                self.by_section.setdefault(u.section, []).append(u)


@dataclass
class Hit:
    """An item's terms found in one unit, graded."""

    unit: Unit
    terms: list[str]
    pos: int  # offset in the unit of the first term
    signals: list[str]
    intent: bool
    shortfall: bool
    strong: bool = False


def mask_cited_titles(text: str) -> str:
    """Blank the inside of 《…》 unless the sentence reports issuing that document."""

    def repl(m: re.Match[str]) -> str:
        if _ISSUE.search(text[max(0, m.start() - 12) : m.start()]):
            return m.group(0)
        return "《" + _MASK * (len(m.group(0)) - 2) + "》"

    return _TITLE_QUOTE.sub(repl, text)


def _clauses(text: str) -> list[tuple[int, int]]:
    out, s = [], 0
    for m in _CLAUSE.finditer(text):
        out.append((s, m.end()))
        s = m.end()
    out.append((s, len(text)))
    return out


def prepare(outline: Outline) -> Units:
    """Sentences of every paragraph and heading, with their section and part."""
    doc = outline.doc
    spans: list[tuple[int, int, str | None, bool]] = []
    for sec in outline.sections:
        if not sec.synthetic and sec.t_title_end > sec.t_title_start:
            spans.append((sec.t_title_start, sec.t_title_end, sec.id, True))
    for p in outline.paragraphs:
        spans.append((p.start, p.end, p.section or None, False))
    spans.sort(key=lambda s: s[0])
    parts = {s.id: s.part for s in outline.sections}
    leaves = {s.id for s in outline.sections if not s.children}
    units: list[Unit] = []
    split = nlp.sentences(doc.text, [(a, b) for a, b, _, _ in spans])
    for para, ((a, b, sid, heading), sents) in enumerate(zip(spans, split)):
        limits.check_time()
        for k, sent in enumerate(sents):
            units.append(
                Unit(
                    start=sent.start,
                    end=sent.end,
                    text=sent.text,
                    masked=mask_cited_titles(sent.text),
                    section=sid,
                    part=parts.get(sid or "", "preamble"),
                    heading=heading,
                    lead=(k == 0 and not heading and len(sents) > 1 and len(sent.text) <= 40),
                    boundaries=sent.boundaries,
                    clauses=_clauses(sent.text),
                    para=para,
                    leaf=heading and sid in leaves,
                )
            )
    return Units(units)


# -- term finding ------------------------------------------------------------------------
@lru_cache(maxsize=4096)
def _alt(words: tuple[str, ...]) -> re.Pattern[str] | None:
    words = tuple(w for w in words if w)
    if not words:
        return None
    return re.compile("|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)))


def _aligned(unit: Unit, s: int, e: int) -> bool:
    """A short term counts when it starts or ends on a pkuseg token boundary.

    Terms of four characters or more are unambiguous terms of art and count wherever they
    occur: the segmenter may still glue them to a neighbour ("负责人出庭|应诉率").
    """
    return e - s >= 4 or s in unit.boundaries or e in unit.boundaries or not unit.boundaries


def find_terms(item, unit: Unit) -> tuple[list[str], int] | None:
    """The terms of ``item`` found in ``unit`` (and where the first one is), or None."""
    text = unit.masked
    found: list[tuple[int, str]] = []
    rx = _alt(tuple(item.terms))
    if rx is not None:
        for m in rx.finditer(text):
            if _aligned(unit, m.start(), m.end()):
                found.append((m.start(), m.group(0)))
    for prx in item.patterns:
        m = prx.search(text)
        if m:
            found.append((m.start(), m.group(0)))
    for group in item.all_of:
        hits = []
        for alts in group:
            m = _alt(tuple(alts)).search(text)
            if not m:
                hits = []
                break
            hits.append((m.start(), m.group(0)))
        found.extend(hits)
    if not found or item.excluded(unit.text):
        return None
    found.sort()
    terms = list(dict.fromkeys(t for _, t in found))
    return terms, found[0][0]


def _window(unit: Unit, pos: int, terms: Sequence[str]) -> str:
    """The clauses around ``pos`` (one before, two after), with the item's own terms blanked.

    Blanking keeps a term of art such as 合法性审查 from passing as the action 审查.
    """
    text = unit.masked
    for k, (a, b) in enumerate(unit.clauses):
        if a <= pos < b:
            lo = unit.clauses[max(0, k - 1)][0]
            hi = unit.clauses[min(len(unit.clauses) - 1, k + 2)][1]
            text = text[lo:hi]
            break
    for t in terms:
        if len(t) <= 12:  # terms of art, not long pattern matches
            text = text.replace(t, _MASK * len(t))
    return text


_SENTENCE_WIDE = ("document", "date")


def _signals(item, window: str, sentence: str | None = None) -> list[str]:
    """Substance signals the item accepts: an issued document or a date anywhere in the
    sentence governs all of it; counts, rates, platforms and actions must sit near the term."""
    out = []
    for k in item.substance or tuple(S.SIGNALS):
        text = sentence if (sentence is not None and k in _SENTENCE_WIDE) else window
        if _SIGNALS[k].search(text):
            out.append(k)
    return out


def grade(item, unit: Unit, terms: list[str], pos: int) -> Hit:
    """How much a hit says: substance signals, intent, shortfall, and whether it covers."""
    window = _window(unit, pos, terms)
    sigs = _signals(item, window, unit.masked)
    intent = unit.part == "next-year-plan" or bool(_INTENT.search(unit.text))
    shortfall = unit.part == "shortcomings" or bool(_SHORTFALL.search(window))
    parts = item.parts or DEFAULT_PARTS
    strong = bool(sigs) and not intent and not shortfall and unit.part in parts and not unit.heading
    return Hit(unit, terms, pos, sigs, intent, shortfall, strong)


def _topic_members(hit: Hit, units: Units) -> list[Unit]:
    """Sentences a topic sentence governs: the rest of its paragraph, or a leaf section's body."""
    u = hit.unit
    if u.heading:
        return units.by_section.get(u.section, []) if u.leaf else []
    return [x for x in units.by_para.get(u.para, []) if x is not u]


def topic_hits(item, units: Units, hits: list[Hit]) -> list[Hit]:
    """Substantive sentences under a heading or paragraph lead that names the item.

    Reports often name a task once ("全面铺开政务诚信建设。") and then give the figures
    in the following sentences without repeating the term.
    """
    parts = item.parts or DEFAULT_PARTS
    seen = {id(h.unit) for h in hits if h.strong}
    out: list[Hit] = []
    for h in hits:
        if not (h.unit.lead or h.unit.heading) or h.intent or h.shortfall or h.unit.part not in parts:
            continue
        for x in _topic_members(h, units):
            if id(x) in seen or x.part not in parts or _INTENT.search(x.text) or _SHORTFALL.search(x.text):
                continue
            sigs = _signals(item, x.masked)
            if sigs:
                seen.add(id(x))
                out.append(Hit(x, list(h.terms), 0, sigs, False, False, True))
    return out


def hits_for(item, units: Units) -> list[Hit]:
    """Every graded hit of a mention item, topic-governed sentences included."""
    out = []
    for u in units:
        found = find_terms(item, u)
        if found:
            out.append(grade(item, u, *found))
    return out + topic_hits(item, units, out)


# -- verdicts ------------------------------------------------------------------------
def _evidence(outline: Outline, unit: Unit, terms: list[str], signals: Iterable[str] = (), substantive: bool = False) -> Evidence:
    doc = outline.doc
    a, b = doc.orig_span(unit.start, unit.end)
    quote = doc.original[a:b].strip()
    lead = len(doc.original[a:b]) - len(doc.original[a:b].lstrip())
    a += lead
    return Evidence(
        section=unit.section,
        path=section_path(outline, unit.section),
        quote=quote,
        start=a,
        end=a + len(quote),
        terms=list(terms),
        part=unit.part,
        substantive=substantive,
        signals=list(signals),
    )


def _weak_reason(hits: list[Hit]) -> str:
    if all(h.intent for h in hits):
        return "仅在下一年度工作安排或计划性表述中提及，未报告本年度已开展的工作"
    if all(h.shortfall or h.intent for h in hits):
        return "仅在存在的不足或问题中提及，未报告已开展的工作"
    if all(h.unit.heading for h in hits):
        return "仅见于标题，正文未报告具体举措或成果"
    return "有所提及，但未报告具体举措、数量、比率、日期、印发文件或平台等实质内容"


def judge_mention(item, outline: Outline, units: Units) -> Finding:
    """Verdict on a ``mention`` item."""
    hits = hits_for(item, units)
    strong = [h for h in hits if h.strong]
    need = item.min_evidence or 1
    if len(strong) >= need:
        status = "covered"
        best = strong
        labels = "、".join(S.SIGNAL_LABELS[s] for s in dict.fromkeys(x for h in strong for x in h.signals))
        reason = f"报告了本年度开展的具体工作（{labels}），共 {len(strong)} 处"
    elif hits:
        status = "partial"
        best = sorted(hits, key=lambda h: (h.intent, h.shortfall, h.unit.heading, -len(h.signals)))
        reason = _weak_reason(hits)
        if strong:
            reason = f"实质性表述 {len(strong)} 处，少于要求的 {need} 处"
    else:
        status, best, reason = "missing", [], "全文未提及相关内容"
    ev = [_evidence(outline, h.unit, h.terms, h.signals, h.strong) for h in best[:MAX_EVIDENCE]]
    return _finding(item, status, reason, ev)


def _finding(item, status: str, reason: str, evidence: list[Evidence]) -> Finding:
    return Finding(
        item_id=item.id,
        title=item.title,
        severity=item.severity,
        status=status,
        reason=reason,
        evidence=evidence,
        requirement=item.requirement,
        cite=item.cite,
        advice=item.advice,
    )


def _section_evidence(outline: Outline, sid: str, terms: list[str]) -> Evidence:
    sec = outline.by_id(sid)
    doc = outline.doc
    a, b = doc.orig_span(sec.t_title_start, sec.t_title_end)
    return Evidence(sid, section_path(outline, sid), doc.original[a:b], a, b, terms, sec.part, True, [])


def judge_part(item, outline: Outline, units: Units) -> Finding:
    """Verdict on a ``part`` item: does the report have this part, and is it complete?"""
    part = item.part
    secs = [s for s in outline.sections if s.part == part]
    needs = set(item.needs)
    if part == "shortcomings":
        return _judge_shortcomings(item, outline, units, secs, needs)
    if secs:
        ev = [_section_evidence(outline, s.id, []) for s in secs[:MAX_EVIDENCE]]
        if part == "measures-and-results":
            size = sum(s.t_end - s.t_start for s in secs if s.level == 1 or s.parent is None)
            if size < 300:
                return _finding(item, "partial", "设有该部分，但内容过于单薄", ev)
        return _finding(item, "covered", f"报告设有该部分：{ev[0].quote}", ev)
    hits = hits_for(item, units)
    if "dedicated" in needs:
        accepted = item.parts or DEFAULT_PARTS
        leads = [h for h in hits if (h.unit.lead or h.unit.heading) and h.unit.part in accepted and not h.intent]
        if leads:
            ev = [_evidence(outline, h.unit, h.terms, h.signals, True) for h in leads[:MAX_EVIDENCE]]
            return _finding(item, "covered", "以段落小标题专门报告了该项内容", ev)
    if part == "next-year-plan":
        plans = [u for u in units if u.part != "next-year-plan" and _INTENT.match(u.text) and not u.heading]
        if plans:
            ev = [_evidence(outline, u, []) for u in plans[-MAX_EVIDENCE:]]
            return _finding(item, "partial", "未设专门部分，仅有零散的下一步打算", ev)
    if hits:
        ev = [_evidence(outline, h.unit, h.terms, h.signals, h.strong) for h in hits[:MAX_EVIDENCE]]
        return _finding(item, "partial", "未设专门部分，仅在其他部分顺带提及", ev)
    return _finding(item, "missing", "报告未设该部分，正文也未涉及", [])


def _judge_shortcomings(item, outline: Outline, units: Units, secs: list, needs: set[str]) -> Finding:
    """Covered when a shortcomings part exists and (if required) states causes."""
    if secs:
        ev = [_section_evidence(outline, s.id, []) for s in secs[:1]]
        if "causes" in needs and not any(s.causes for s in secs):
            return _finding(item, "partial", "列举了存在的不足，但未分析产生的原因", ev)
        cause = next((u for u in units if u.part == "shortcomings" and _CAUSES.search(u.text)), None)
        if cause is not None and not cause.heading:
            ev.append(_evidence(outline, cause, [_CAUSES.search(cause.text).group(0)], [], True))
        return _finding(item, "covered", "报告了存在的不足及其原因", ev)
    weak = [u for u in units if u.part in DEFAULT_PARTS and not u.heading and _SHORTFALL.search(u.text)
            and any(o in u.text for o in ("但", "还存在", "仍存在", "存在"))]
    if weak:
        ev = [_evidence(outline, u, []) for u in weak[:MAX_EVIDENCE]]
        return _finding(item, "partial", "未设专门部分报告存在的不足和原因，仅有零星表述", ev)
    return _finding(item, "missing", "报告未涉及存在的不足和原因", [])


def summarise(findings: list[Finding]) -> Summary:
    """Counts and a 0-100 score (covered = 1, partial = 0.5)."""
    s = Summary()
    for f in findings:
        setattr(s, f.status, getattr(s, f.status) + 1)
    n = len(findings)
    s.score = round(100 * (s.covered + 0.5 * s.partial) / n, 1) if n else 0.0
    s.required_open = [f.item_id for f in findings if f.severity == "required" and f.status != "covered"]
    return s


def check(outline: Outline, checklists: Sequence, kind: str | None = None) -> Report:
    """Run every item of every checklist against one report.

    ``kind`` (province, city, county, township, department) promotes items whose
    ``required_for`` names it to required.
    """
    register_terms(checklists)
    units = prepare(outline)
    results = []
    for cl in checklists:
        findings = []
        for item in cl.items:
            limits.check_time()
            judge = judge_part if item.type == "part" else judge_mention
            finding = judge(item, outline, units)
            finding.severity = effective_severity(item, kind)
            findings.append(finding)
        results.append(
            ChecklistResult(cl.id, cl.title, cl.version, cl.basis, findings, summarise(findings))
        )
    return Report(outline=outline, checklists=results)


_REGISTERED: set[tuple[str, str, str]] = set()


def register_terms(checklists: Iterable) -> None:
    """Put every checklist term into the segmenter's user dictionary, once per checklist."""
    for cl in checklists:
        key = (cl.id, cl.version, cl.path)
        if key in _REGISTERED:
            continue
        words: list[str] = []
        for item in cl.items:
            words.extend(item.terms)
            for group in item.all_of:
                for alts in group:
                    words.extend(alts)
        nlp.add_terms(w for w in words if 2 <= len(w) <= 12)
        _REGISTERED.add(key)
