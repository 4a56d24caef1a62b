"""The units the match stage judges: sentences and headings, each split into clauses.

Every unit is prepared once per report (masking, clauses, section and part) and then read
by every item; nothing here depends on a checklist.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .. import limits, nlp
from ..lang import signals as S
from ..model import Outline
from .gate import Joined

if TYPE_CHECKING:
    from ..segmenter import Segmenter

MASK = "□"
_CLAUSE = re.compile(r"[,;:，；：]")
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
    plan: tuple[int, int] | None = None  # where a plan lead opens the sentence (下一步, 2025年将…)
    opening: bool = False  # in the opening paragraphs of a report that has a body after them

    def clause_at(self, pos: int) -> int:
        """Index of the clause holding offset ``pos`` of the unit."""
        for k, (a, b) in enumerate(self.clauses):
            if a <= pos < b:
                return k
        return len(self.clauses) - 1


class Units(list):
    """The prepared sentences of one report, indexed by paragraph and by section."""

    def __init__(self, units: Iterable[Unit] = ()) -> None:
        super().__init__(units)
        self.joined = Joined([u.masked for u in self])  # to find literals in every sentence at once
        self.by_para: dict[int, list[Unit]] = {}
        self.by_section: dict[str | None, list[Unit]] = {}
        for u in self:
            self.by_para.setdefault(u.para, []).append(u)
            if not u.heading:
                self.by_section.setdefault(u.section, []).append(u)


def mask_cited_titles(text: str) -> str:
    """Blank the inside of 《…》 unless the sentence reports an act on that document.

    A title after an issuing or acting verb (印发《A》和《B》, 审议《…报告》, 实行《…清单》) is
    what was done and stays readable; a title merely cited (贯彻《纲要》) is blanked, so its
    words never pass for a reported act. A title that opens a clause and is followed by
    an act (《规定》于3月施行) also stays.
    """

    def repl(m: re.Match[str]) -> str:
        before = text[max(0, m.start() - 12) : m.start()]
        if _ISSUE.search(before) or _ISSUE_LIST.search(text[max(0, m.start() - 60) : m.start()]):
            return m.group(0)
        if _TITLE_ACT.match(text, m.end()):
            return m.group(0)
        studied = _STUDY.search(before) or _STUDIED_AFTER.match(text, m.end())
        if studied and _STUDY_TEXT.search(m.group(0)):
            return m.group(0)
        return "《" + MASK * (len(m.group(0)) - 2) + "》"

    return _TITLE_QUOTE.sub(repl, text)


# 印发《A》和《B》: a title joined to an issued one is issued too.
# the second title of a list issued together (印发《A》和《B》, 印发《A》《B》), not of a list of
# texts named by their age (学习新修订的《A》《B》)
_ISSUE_LIST = re.compile(rf"(?<!新){S.ISSUE_VERB}的?[^。；;]{{0,40}}》\s*(?:[和及与、]|以及)?\s*$")
_TITLE_ACT = re.compile(S.TITLE_ACTS)
_PLAN_LEAD = re.compile(S.PLAN_LEAD)
_DISPOSAL = re.compile(S.DISPOSAL)
_BARE_WILL = re.compile(S.BARE_WILL)
_STUDY = re.compile(S.STUDY_VERBS)
_STUDY_TEXT = re.compile(S.STUDY_TEXTS)
_STUDIED_AFTER = re.compile(S.STUDIED_AFTER)


_QUOTED = re.compile(r"“[^“”\n]{1,60}”|「[^「」\n]{1,60}」|《[^《》\n]{1,60}》|\"[^\"\n]{1,60}\"")


def plan_lead(text: str, year: int | None) -> tuple[int, int] | None:
    """Where the sentence opens as a plan (下一步, 明年, 2025年将…), or None. A year that is
    not after the year reported on leads no plan: 2024年，将法治建设纳入考核 in a report on 2024
    is work done (the disposal form of 将)."""
    m = _PLAN_LEAD.search(text)
    if m is None or (m.group("year") and year is not None and int(m.group("year")) <= year):
        return None
    if m.group("year") and year is None and _BARE_WILL.match(text) and _DISPOSAL.search(text, m.end()):
        return None  # the year reported on is unknown: 2024年，将…纳入… reads as the disposal form
    return m.span()


def split_clauses(text: str) -> list[tuple[int, int]]:
    """Clause spans of a sentence, cut at commas, semicolons and colons, but not inside a
    quoted name: 举办“学习贯彻习近平法治思想，全面提升依法行政能力”专题培训班 is one clause,
    so the verb before the quote governs the name after it."""
    quoted = [m.span() for m in _QUOTED.finditer(text)]
    out, s = [], 0
    for m in _CLAUSE.finditer(text):
        if any(a < m.start() < b for a, b in quoted):
            continue
        out.append((s, m.end()))
        s = m.end()
    out.append((s, len(text)))
    return out


def prepare(outline: Outline, seg: Segmenter) -> Units:
    """Sentences of every paragraph and heading, with their section and part; token boundaries
    come from ``seg``, the segmenter of the checklists (``match.register_terms``)."""
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
    has_body = any(s.part not in (None, "preamble") for s in outline.sections)
    units: list[Unit] = []
    split = nlp.sentences(doc.text, [(a, b) for a, b, _, _ in spans], seg)
    for para, ((_, _, sid, heading), sents) in enumerate(zip(spans, split, strict=False)):
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
                    clauses=split_clauses(sent.text),
                    para=para,
                    leaf=heading and sid in leaves,
                    plan=plan_lead(sent.text, doc.meta.year),
                    opening=has_body and parts.get(sid or "", "preamble") == "preamble",
                )
            )
    return Units(units)
