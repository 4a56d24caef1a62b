"""Match stage: checklist items x report sentences -> findings with evidence.

A verdict is reached in two steps, at the clause level:

1. ``finder`` — what a sentence is *about*: the item's terms, term families, patterns and
   co-occurring groups (never text inside a merely cited 《title》, page furniture or the
   metadata header).
2. ``statements`` — what *kind of statement* the clause holding the term is: a reported
   act, a plan, a slogan, a shortcoming, a topic under a meta-verb, a heading.

``mention`` items are covered by an act in the parts they accept, partial when they are
only named, missing otherwise; ``part`` items judge the report's parts from the outline.
Each item type has its home (``mention``, ``part``); this module runs them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from .. import limits, nlp
from ..checklist import Item, effective_severity
from ..model import ChecklistResult, Finding, Outline, Override, Report, Summary, score
from . import evidence as E
from . import mention, part
from .finder import find, short_term_sentences, trigger, trigger_literals
from .mention import Hit, hits_for
from .statements import Statement, classify, sentence_kind
from .units import Unit, Units, mask_cited_titles, prepare

if TYPE_CHECKING:
    from ..fit import Fit
    from ..segmenter import Segmenter

JUDGES = {"mention": mention.judge, "part": part.judge}
judge_mention = mention.judge
judge_part = part.judge

__all__ = [
    "Hit", "Statement", "Unit", "Units", "check", "classify", "find", "hits_for", "judge_mention",
    "judge_part", "mask_cited_titles", "prepare", "register_terms", "sentence_kind", "summarise", "warm",
]


def summarise(findings: list[Finding]) -> Summary:
    """Counts and a 0-100 score over the applicable items (covered = 1, partial = 0.5)."""
    counts = Counter(f.status for f in findings)
    covered, partial, missing = counts["covered"], counts["partial"], counts["missing"]
    return Summary(
        covered=covered,
        partial=partial,
        missing=missing,
        not_applicable=counts["not-applicable"],
        score=score(covered, partial, missing),
        required_open=[f.item_id for f in findings if f.severity == "required" and f.is_open],
    )


def check(outline: Outline, checklists: Sequence, kind: str | None = None, fit: Fit | None = None,
          overrides: Mapping[str, Override] | None = None) -> Report:
    """Run every item of every checklist against one report.

    ``kind`` (province, city, county, township, department) promotes items whose
    ``required_for`` names it to required. With a ``fit`` (``auditor.fit``) only the items
    of the report's year are applied, items that do not apply to its level are
    not-applicable, and the fit's level promotes items; without one (``auditor eval``, which
    measures the rules against labels of the text) every item is judged on the text.
    ``overrides`` (item id -> a supervisor's decision) set the final verdict.
    """
    from ..fit import applied

    units = prepare(outline, register_terms(checklists))
    level = fit.level.level if fit is not None else kind
    chosen = applied(checklists, fit) if fit is not None else [(cl, list(cl.items)) for cl in checklists]
    judged = [i for _, items in chosen for i in items if fit is None or fit.not_applicable(i) is None]
    nlp.segment_ahead(u.boundaries for u in short_term_sentences(judged, units))
    results = []
    for cl, items in chosen:
        findings = []
        for item in items:
            limits.check_time()
            findings.append(_final(_judge(item, outline, units, fit), effective_severity(item, level),
                                   (overrides or {}).get(item.id)))
        results.append(ChecklistResult(cl.id, cl.title, cl.version, cl.basis, findings, summarise(findings)))
    if fit is None:
        return Report(outline=outline, checklists=results)
    return Report(outline=outline, checklists=results, level=fit.level.level, level_from=fit.level.source,
                  year=fit.year, notes=list(fit.notes))


def _judge(item: Item, outline: Outline, units: Units, fit: Fit | None) -> Finding:
    """The automatic verdict: not-applicable for the report's level, else the item's judge
    (a missing item the report's year excuses is not-applicable too)."""
    reason = fit.not_applicable(item) if fit is not None else None
    if reason is not None:
        return E.finding(item, "not-applicable", reason, [])
    finding = JUDGES[item.type](item, outline, units)
    excuse = fit.excused_when_missing(item) if fit is not None and finding.status == "missing" else None
    if excuse is not None:
        return replace(finding, status="not-applicable", reason=excuse)
    return finding


def _final(finding: Finding, severity: str, decision: Override | None) -> Finding:
    """The finding as reported: the item's severity for this report, the automatic verdict
    kept as ``auto_status``, and a supervisor's decision, if any, as the status."""
    if decision is None:
        return replace(finding, severity=severity, auto_status=finding.status)
    return replace(finding, severity=severity, auto_status=finding.status, status=decision.status, override=decision)


def register_terms(checklists: Iterable) -> Segmenter:
    """The segmenter of this set of checklists: every term of their items (2 to 12 characters)
    is in its user dictionary, and nothing else. It is made once per set of terms and kept, so
    calling this at start-up (the page, batch workers) pays the cost before the first check; a
    process checking with several sets segments each as a fresh run with that set alone."""
    words: list[str] = []
    for cl in checklists:
        for item in cl.items:
            words.extend(item.terms)
            for group in item.all_of:
                for alts in group:
                    words.extend(alts)
    return nlp.get_segmenter(w for w in words if 2 <= len(w) <= 12)


def warm(checklists: Iterable) -> None:
    """Register the checklists' terms and compile every item's trigger and necessary
    literals now (about 0.2 s for the built-in checklists), so a server's first requests
    do not pay for them, whatever the level of their draft."""
    register_terms(checklists)
    for cl in checklists:
        for item in cl.items:
            trigger(item)
            trigger_literals(item)
