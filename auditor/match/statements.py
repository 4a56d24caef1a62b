"""What kind of statement a clause is, whatever item it is about.

Step two of the verdict (step one, ``finder``, says what a sentence is about). A clause
is a reported *act* when a substance signal stands in its scope (its own clause and the
two after it); otherwise it is a *plan*, a *shortcoming*, a *topic* (named under a
meta-verb such as 研究/部署, or in a list of systems "建立健全了A、B等制度"), a *heading*,
page *furniture*, or a *slogan*. The counts and verbs of a clause belong to it:
"研究A、B等议题60项" reports a meeting, not A or B.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..lang import signals as S
from ..model import StatementKind
from .units import Unit

SIGNALS = {k: re.compile(v) for k, v in S.SIGNALS.items()}
_WEAK = re.compile(S.WEAK_ACTS)
_HABIT = re.compile(S.HABIT)
_VERB_ONLY = {"past-action"}
_INTENT = re.compile(S.INTENT)
_SHORTFALL = re.compile(S.SHORTFALL)
_FRAMING = re.compile(S.FRAMING)
_DISPOSAL = re.compile(S.DISPOSAL)
_POINT_LEAD = re.compile(S.POINT_LEAD)
_META = re.compile(f"(?:{S.META_VERBS})")
_TOPIC_TAIL = re.compile(S.TOPIC_TAIL)
_SYSTEM_TAIL = re.compile(S.SYSTEM_LIST_TAIL)
_META_AFTER = re.compile(S.META_AFTER)
_SENTENCE_WIDE = ("document", "date")
MAX_TERM = 8  # longer matches are patterns that span the act, not names
# How much each signal lets a supervisor verify (evidence ranking reads these weights).
WEIGHTS: dict[str, int] = {"count": 3, "rate": 3, "document": 3, "award": 3, "date": 2, "platform": 2, "past-action": 1}


@dataclass(frozen=True)
class Statement:
    """The kind of one statement and what makes it so."""

    kind: StatementKind
    signals: tuple[str, ...] = ()  # substance signals in scope (act), names from S.SIGNALS
    cues: tuple[tuple[int, int], ...] = ()  # where the deciding words stand in the unit's text
    weak: bool = False  # an act on a generic verb only (开展, 组织, 成立…)

    @property
    def strength(self) -> int:
        """How much a supervisor could verify: the sum of the signals' weights."""
        return sum(WEIGHTS.get(s, 0) for s in self.signals)


def scope(unit: Unit, start: int, end: int) -> tuple[int, int]:
    """The clauses a term's substance may stand in: its own and the two after it (a count
    often comes a clause or two after the name), or the whole sentence when the term's
    clause opens it and reaches its end. In the opening paragraph, which sums up many tasks
    in one sentence, only its own clause: a figure there belongs to the task beside it (a
    text with no parts at all, a damaged page on one line, is read as a body)."""
    k = unit.clause_at(start)
    last = unit.clause_at(max(start, end - 1))
    if k == 0 and last == len(unit.clauses) - 1:
        return 0, len(unit.text)
    hi = min(len(unit.clauses) - 1, max(last, k + (0 if unit.opening else 2)))
    return unit.clauses[k][0], unit.clauses[hi][1]


def _inside(span: tuple[int, int], terms: Sequence[tuple[int, int]]) -> bool:
    """Is a signal part of a longer term of the item (旁听 in 旁听庭审, 评查 in 案卷评查)? Then
    it is the term's name, not an act; a signal that is the whole term (学习《) still counts,
    and so does one inside a long pattern match ("聘请1名律师…"), which holds the act itself."""
    a, b = span
    return any(s <= a and b <= e and b - a < e - s <= MAX_TERM for s, e in terms)


def _within(span: tuple[int, int], terms: Sequence[tuple[int, int]]) -> bool:
    """Is ``span`` part of one of the item's terms (每月 in the term 每月学法 names the format,
    it is no routine word)?"""
    return any(s <= span[0] and span[1] <= e for s, e in terms)


def signals_in(text: str, sentence: str | None = None, kinds: Sequence[str] = tuple(S.SIGNALS),
               base: int = 0, terms: Sequence[tuple[int, int]] = ()) -> list[tuple[str, tuple[int, int]]]:
    """(signal, span) for the first of each substance signal in ``text`` (which starts at
    ``base`` of the sentence) that is not part of one of the item's ``terms``; documents and
    dates anywhere in ``sentence`` govern all of it. A verb is no act where a routine
    governs it in its clause (定期召开…) or where it names a step in a list of nouns
    (规范性文件制定、审查、备案)."""
    out = []
    for k in kinds:
        wide = sentence is not None and k in _SENTENCE_WIDE
        off = 0 if wide else base
        hay = sentence if wide and sentence is not None else text
        for m in SIGNALS[k].finditer(hay):
            sp = (m.start() + off, m.end() + off)
            if not _inside(sp, terms) and not _discounted(k, hay, m.start(), m.end()):
                out.append((k, sp))
                break
    return out


def _not_an_act(text: str, start: int, end: int) -> bool:
    """A verb under a routine word earlier in its clause, or a step in a list of nouns: before
    a 、, or after the 和 that closes such a list (制定、审查、备案和清理机制). A verb after a 、
    may open a phrase of its own (…机制、制定…清单) and stays an act."""
    clause_start = max((text.rfind(c, 0, start) for c in _CLAUSE_MARKS), default=-1) + 1
    before = text[start - 1 : start] if start else ""
    if text[end : end + 1] == "、" or (before in ("和", "及") and "、" in text[clause_start:start]):
        return True
    if text[max(clause_start, start - 2) : start] in _NO_ACT_BEFORE or _NOMINAL.match(text, end):
        return True  # …不得作出; 报送和公开工作 names the work, it reports none
    if (_NEGATED.search(text, max(clause_start, start - 3), start) or _MODAL.search(text, clause_start, start)
            or _INTENDED.search(text, max(clause_start, start - 2), start) or _CLAUSE_INTENT.match(text, clause_start)):
        return True  # 未开展, 暂未聘请, 没有组织: a thing not done; 应当开展: one to be done
    if any(a < start and end <= b for a, b in (m.span() for m in _PRINCIPLE.finditer(text))):
        return True
    if _SUPPORT_GIVEN.search(text, start, end) and _SUPPORT_KIND.match(text, end):
        return True  # 为重大决策提供法律支撑: a purpose, not a service counted
    return bool(_HABIT.search(text, clause_start, start))


def _discounted(kind: str, text: str, start: int, end: int) -> bool:
    """A signal its context takes back: a verb that is no act or names a kind of thing
    (办理质量, 通报制度), a rate that is a goal or qualifies a noun (全覆盖的…体系), a
    platform still being built (推进“…”系统建设)."""
    if kind in _VERB_ONLY:
        return _not_an_act(text, start, end) or bool(_NOUN_AFTER.match(text, end))
    if kind == "rate":
        return _aimed(text, start) or (not text[start].isdigit() and text[end : end + 1] == "的")
    return kind == "platform" and text[end : end + 2] == "建设"


def _aimed(text: str, start: int) -> bool:
    """A rate word (全覆盖) under an aim verb earlier in its clause states a goal:
    坚持…全覆盖, 确保…全覆盖 (实现…全覆盖 reports the result)."""
    clause_start = max((text.rfind(c, 0, start) for c in _CLAUSE_MARKS), default=-1) + 1
    aim = _AIM.search(text, clause_start, start)
    return aim is not None and not text[start].isdigit() and not _REACHED.search(text, aim.end(), start)


_AIM = re.compile(S.AIM_VERBS)
_REACHED = re.compile(S.REACHED)
_NOUN_AFTER = re.compile(S.NOUN_AFTER)
_NOMINAL = re.compile(S.NOMINAL)
_ATTRIBUTIVE = re.compile(S.ATTRIBUTIVE)
_CONCEDED = re.compile(S.CONCEDED)
_CLAUSE_INTENT = re.compile(S.CLAUSE_INTENT)
_SUPPORT_GIVEN = re.compile(S.SUPPORT_GIVEN)
_SUPPORT_KIND = re.compile(S.SUPPORT_KIND)
_PRINCIPLE = re.compile(S.QUOTED_PRINCIPLE)
_NO_ACT_BEFORE = frozenset(S.NO_ACT_BEFORE)
_NEGATED = re.compile(S.NEGATED)
_MODAL = re.compile(S.MODAL)
_INTENDED = re.compile(S.INTENDED)
_CLAUSE_MARKS = ",;:，；：。"


def _span(m: re.Match[str], base: int = 0) -> tuple[int, int]:
    return m.start() + base, m.end() + base


def _intent(text: str, a: int, b: int) -> re.Match[str] | None:
    """A plan word in the scope [a, b) (or opening the sentence), unless what follows it is
    the disposal form: "将法治建设与中心工作深度融合" reports how work is organised."""
    m = _INTENT.search(text, max(0, a - 1), b) or _INTENT.match(text)  # a clause opens after its comma
    if m is None:
        return None
    end = text.find("。", m.end())
    return None if _DISPOSAL.search(text, m.end(), end if end >= 0 else len(text)) else m


def _topic(unit: Unit, start: int, end: int) -> tuple[int, int] | None:
    """Where the meta-verb stands that makes the term at [start, end) a topic, or None.

    A topic is named after a meta-verb in its own clause and stands in a list (、 next to
    it, or a closing 等工作/等议题), or in a list of systems "建立健全了A、B等制度".
    """
    a, b = unit.clauses[unit.clause_at(start)]
    text = unit.masked
    before, after = text[a:start], text[end:b]
    listed = ("、" in text[max(a, start - 2) : min(b, end + 2)] or bool(_TOPIC_TAIL.search(after))
              or (text[start - 1 : start] in ("和", "及", "与") and "、" in text[a:start]))  # A、B和C
    metas = list(_META.finditer(before))
    if metas and listed:
        return _span(metas[-1], a)
    late = _META_AFTER.search(after)
    if late and "、" in text[a:start + 1] + after[: late.start()]:
        return _span(late, end)
    tail = _SYSTEM_TAIL.search(after)
    if tail and "、" in text[a:b]:
        return _span(tail, end)
    return None


def classify(unit: Unit, start: int, end: int, spans: Sequence[tuple[int, int]] = (),
             kinds: Sequence[str] = tuple(S.SIGNALS), acts: Sequence = ()) -> Statement:
    """The statement made about the text at [start, end) of ``unit``.

    ``spans`` are the item's own terms (a signal inside one is its name, not an act); ``kinds`` the
    substance signals the item accepts; ``acts`` the item's own act patterns (``acts:`` in
    the checklist: "带头述法", "纳入…考核"), read in the term's clause.
    """
    if unit.heading:
        return Statement("heading")
    a, b = scope(unit, start, end)
    window = unit.masked[a:b]
    if unit.part == "next-year-plan" or unit.plan:
        return Statement("plan", cues=(unit.plan,) if unit.plan else ())
    # a plan word in a clause after the term's own is what comes next (开展专项清理，拟废止3件):
    # it does not take back a term whose own clause reports the work
    intent = _intent(unit.text, a, unit.clauses[unit.clause_at(max(start, end - 1))][1])
    if intent:
        return Statement("plan", cues=(_span(intent),))
    # as for a plan word, a shortfall after the term's own clause (…开展承接评估，其中3项因条件不足
    #收回) is about what followed, not about the work reported
    # (unless the term's clause concedes it: 虽然开展了…，但…仍不足 states the shortcoming)
    own_end = unit.clauses[unit.clause_at(max(start, end - 1))][1] - a
    if _CONCEDED.search(window, 0, own_end):
        own_end = len(window)
    short = next((m for m in _SHORTFALL.finditer(window, 0, own_end) if not _ATTRIBUTIVE.match(window, m.end())), None)
    if unit.part == "shortcomings" or short:
        return Statement("shortcoming", cues=(_span(short, a),) if short else ())
    meta = _topic(unit, start, end)
    if meta:
        return Statement("topic", cues=(meta,))
    found = signals_in(window, unit.masked, kinds, a, spans)
    ca, cb = unit.clauses[unit.clause_at(start)]
    own = unit.masked[ca:cb]
    habit = next((m for m in _HABIT.finditer(own) if not _within(_span(m, ca), spans)), None)
    if found and not ({k for k, _ in found} <= _VERB_ONLY and habit):
        return Statement("act", tuple(k for k, _ in found), tuple(c for _, c in found))
    if found and habit:
        return Statement("slogan", cues=(_span(habit, ca),))
    # A generic verb (开展, 组织, 成立…) or one of the item's own act words is an act only in
    # the term's own clause: "开展集中述法", "带头述法".
    # The item's act words may also stand before the term in the same sentence: "建立健全
    # 执法各项制度，如执法公示制度…".
    lead_in = unit.masked[: cb]
    for rx in acts:
        m = None if habit else rx.search(lead_in)
        if m:
            return Statement("act", ("past-action",), (_span(m),))
    weak = next((m for m in _WEAK.finditer(own) if not _inside(_span(m, ca), spans)
                 and not _not_an_act(own, m.start(), m.end())), None)
    if weak and "past-action" in kinds and not habit:
        return Statement("act", ("past-action",), (_span(weak, ca),), weak=True)
    return Statement("slogan")


def sentence_kind(unit: Unit) -> Statement:
    """The kind of a whole sentence, independent of any item: an act when one of its
    clauses reports something verifiable (a generic verb alone is not enough here), else
    the first topic, plan or shortcoming clause, else a slogan."""
    if unit.heading:
        return Statement("heading")
    if _FRAMING.search(unit.text) and len(unit.text) < 80:
        return Statement("furniture")
    if (unit.lead or _POINT_LEAD.match(unit.text)) and len(unit.text) <= 30 and not signals_in(unit.masked):
        return Statement("heading")
    found = [classify(unit, a, a + 1) for a, b in unit.clauses if b - a >= 2]
    acts = [st for st in found if st.kind == "act" and not st.weak]
    if acts:
        return max(acts, key=lambda st: st.strength)
    for kind in ("plan", "shortcoming", "topic"):
        hit = next((st for st in found if st.kind == kind), None)
        if hit is not None:
            return hit
    return Statement("slogan")
