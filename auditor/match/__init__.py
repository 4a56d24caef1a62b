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

from collections.abc import Iterable, Sequence

from .. import limits, nlp
from ..checklist import effective_severity
from ..model import ChecklistResult, Finding, Outline, Report, Summary
from . import mention, part
from .finder import find
from .mention import Hit, hits_for
from .statements import Statement, classify, sentence_kind
from .units import Unit, Units, mask_cited_titles, prepare

JUDGES = {"mention": mention.judge, "part": part.judge}
judge_mention = mention.judge
judge_part = part.judge

__all__ = [
    "Hit", "Statement", "Unit", "Units", "check", "classify", "find", "hits_for", "judge_mention",
    "judge_part", "mask_cited_titles", "prepare", "register_terms", "sentence_kind", "summarise",
]


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
            finding = JUDGES[item.type](item, outline, units)
            finding.severity = effective_severity(item, kind)
            findings.append(finding)
        results.append(ChecklistResult(cl.id, cl.title, cl.version, cl.basis, findings, summarise(findings)))
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
