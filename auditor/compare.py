"""Compare two reports of one body: what changed from one year to the next.

Built on two checked ``Report`` objects (the verdicts, the outline's parts, the match
stage's sentences and statement kinds), never on the raw text alone:

- coverage: each item's status in both years;
- plan follow-through (计划落实): each point of OLD's next-year-plan part, matched to the
  acts NEW reports, by the point's items (the one finder) *and* its own content words;
- repeated shortcomings (问题连续出现): NEW's shortcomings that restate OLD's (rapidfuzz on
  content words and characters), and OLD's that NEW reports as fixed;
- carried-over text (文字重复): k-gram seeded greedy tiling of the two texts with
  punctuation, digits, years and the body's name removed, so a near-copy with changed
  figures is one passage (its changed figures listed); runs separated by a few changed
  characters (三次 → 五次, 进一步 → 持续) are joined into one passage;
- indicators (指标对比): the figures of the indicator list (data) both reports give.

Everything is computed from the inputs; nothing here reads files or writes output.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from . import limits
from .bodies import body_key, same_body
from .indicators import IndicatorSet, Reading
from .indicators import read as read_indicators
from .lang.numerals import CN_YEAR
from .level import body_name
from .match import Unit, find, prepare, register_terms, sentence_kind
from .match.finder import trigger
from .model import Report
from .tiling import near_copies

if TYPE_CHECKING:
    from .segmenter import Segmenter

MOSTLY_COPIED = 0.5  # results part share above which a report is flagged
REPEATED = 0.62  # shortcoming similarity (0-1) from which NEW restates OLD
DONE, PARTIAL = 0.5, 0.3  # content-word overlap of a plan point with an act in NEW
RESOLVED = 0.3  # content-word overlap of an old shortcoming with an act in NEW

RESULT_PARTS = ("measures-and-results", "first-responsible-person", "preamble", "other")
_YEAR = re.compile(rf"(?:19|20)\d{{2}}\s*年?|{CN_YEAR}年")
_FIGURE = re.compile(r"\d+(?:\.\d+)?\s*%?")
_KEEP = re.compile(r"[\u4e00-\u9fffA-Za-z]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_INTRO = re.compile(r"[:：]\s*$")
# Words every plan, result and shortcoming shares; they say nothing about *what* was done.
STOP_WORDS = frozenset(
    "进一步 加强 推进 深入 持续 全面 工作 开展 落实 提升 建设 法治 政府 依法 坚持 不断 强化 完善 推动 健全 "
    "深化 着力 切实 积极 认真 有效 扎实 重点 主要 相关 有关 各项 全年 今年 明年 年度 我们 我局 我镇 我县 我区 "
    "我市 下一步 将 继续 力争 确保 做好 抓好 不足 问题 存在 仍然 仍 有待 需要 亟待 还 不够 较为 一定 方面 "
    "情况 水平 能力 进行 实施 组织 举办 完成 实现 取得 成效 明显 稳步 规范 提高 加大 力度 机制 制度 体系 "
    "一是 二是 三是 四是 五是 六是 同时 以及 及 和 与 的 了 在 对 为 等 并".split()
)


# -- results ----------------------------------------------------------------------------
@dataclass
class Quote:
    """A sentence of one report, as written, located in its original text."""

    text: str
    start: int
    end: int
    path: str = ""


@dataclass
class CoverageChange:
    """One item's status in both years, with the first evidence of each."""

    item: str
    title: str
    checklist: str
    old_status: str
    new_status: str
    change: str  # newly-covered | no-longer-covered | still-missing | improved | declined | unchanged
    old_evidence: Quote | None = None
    new_evidence: Quote | None = None


@dataclass
class PlanPoint:
    """One point of OLD's next-year plan and what NEW reports about it."""

    point: Quote
    items: list[str]
    status: str  # done | partial | not-reported
    evidence: Quote | None
    overlap: float
    words: list[str]  # the point's content words found in the evidence


@dataclass
class Repeated:
    """A shortcoming of NEW that restates one of OLD's."""

    old_quote: Quote
    new_quote: Quote
    similarity: float


@dataclass
class Resolved:
    """A shortcoming of OLD that NEW no longer states and reports acts on."""

    old_quote: Quote
    evidence: Quote
    overlap: float


@dataclass
class Passage:
    """A stretch of NEW that repeats OLD (offsets into each original), with changed figures."""

    old_start: int
    old_end: int
    new_start: int
    new_end: int
    chars: int  # normalised characters
    figures: list[tuple[str, str]] = field(default_factory=list)  # (old, new) figures that differ
    text: str = ""  # NEW's text of the passage, as written


@dataclass
class CarriedOver:
    """How much of NEW repeats OLD."""

    share: float  # of NEW's normalised characters
    results_share: float | None  # the same within NEW's results part (None when it has none)
    flagged: bool
    chars: int
    total: int
    passages: list[Passage]


@dataclass
class IndicatorChange:
    """An indicator both reports give."""

    id: str
    name: str
    unit: str
    old: Reading
    new: Reading

    @property
    def change(self) -> float:
        """NEW minus OLD, in the indicator's unit (percentage points for rates)."""
        return round(self.new.value - self.old.value, 4)


@dataclass
class Comparison:
    """Everything ``auditor compare`` concludes about a pair of reports."""

    old: Report
    new: Report
    coverage: list[CoverageChange]
    plan: list[PlanPoint]
    repeated: list[Repeated]
    resolved: list[Resolved]
    carried_over: CarriedOver
    indicators: list[IndicatorChange]
    indicator_list: tuple[str, str]  # id, version
    warnings: list[str] = field(default_factory=list)

    def count(self, change: str) -> int:
        """Items with this coverage change."""
        return sum(1 for c in self.coverage if c.change == change)

    @property
    def plan_rate(self) -> float | None:
        """Share of plan points followed through (done = 1, partial = 0.5); None without a plan."""
        if not self.plan:
            return None
        got = sum(1.0 if p.status == "done" else 0.5 if p.status == "partial" else 0.0 for p in self.plan)
        return round(got / len(self.plan), 3)


# -- one side ------------------------------------------------------------------------------
class Side:
    """One report prepared for comparison: its sentences, words and normalised text."""

    def __init__(self, report: Report, seg: Segmenter, aliases: dict[str, str] | None = None) -> None:
        self.report = report
        self.doc = report.doc
        self.units = prepare(report.outline, seg)
        meta = self.doc.meta
        self.body = body_name(meta.issuer, meta.title) or ""
        self.key = body_key(self.body, aliases)

    def quote(self, u: Unit) -> Quote:
        """The unit as written, with its section path."""
        from .outline import section_path

        a, b = self.doc.orig_span(u.start, u.end)
        path = section_path(self.report.outline, u.section) if u.section else ""
        return self.trimmed(a, b, path)

    def trimmed(self, a: int, b: int, path: str) -> Quote:
        """The original text [a, b) without surrounding white space, offsets moved to match."""
        text = self.doc.original
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        return Quote(text[a:b], a, b, path)

    def words(self, u: Unit) -> list[str]:
        """Content words of a unit, from the segmenter's token boundaries (stop words dropped)."""
        cuts = sorted({0, len(u.text), *u.boundaries})
        toks = (u.text[a:b] for a, b in zip(cuts, cuts[1:], strict=False))
        return [t for t in toks if len(t) >= 2 and _CJK.search(t) and t not in STOP_WORDS]

    @cached_property
    def acts(self) -> list[Unit]:
        """Sentences of the results parts that report something done (statement kind act)."""
        out = []
        for u in self.units:
            if u.heading or u.part not in RESULT_PARTS:
                continue
            limits.check_time()
            if sentence_kind(u).kind == "act":
                out.append(u)
        return out

    @cached_property
    def act_texts(self) -> list[str]:
        """The text of each act, masked as the finder reads it."""
        return [u.masked for u in self.acts]

    def part_points(self, part: str) -> list[list[Unit]]:
        """The points of a part: one per section when its sentences lie in several (a heading
        "（一）…" is a point with every sentence under it), else one per sentence. Headings of
        the part itself and of sections with sub-sections, framing and lead-in lines are not
        points."""
        outline = self.report.outline
        groups: dict[str | None, list[Unit]] = {}
        for u in self.units:
            if u.part != part:
                continue
            if u.heading and u.section:
                sec = outline.by_id(u.section)
                if sec.children or sec.parent is None:  # the part's own heading, or a parent's
                    continue
            groups.setdefault(u.section, []).append(u)
        if len(groups) > 1:
            return [g for g in groups.values() if any(self._substantive(u) for u in g)]
        return [[u] for g in groups.values() for u in g if not u.heading and self._substantive(u)]

    def _substantive(self, u: Unit) -> bool:
        text = u.text.strip()
        if len(_KEEP.findall(text)) < 8 or (_INTRO.search(text) and len(text) < 60):
            return False
        return sentence_kind(u).kind != "furniture"

    def point_quote(self, units: list[Unit]) -> Quote:
        """A point's text as written, from its first to its last sentence."""
        a, _ = self.doc.orig_span(units[0].start, units[0].end)
        _, b = self.doc.orig_span(units[-1].start, units[-1].end)
        return self.trimmed(a, b, self.quote(units[-1]).path)

    @cached_property
    def normalised(self) -> tuple[str, list[int]]:
        """The body text with punctuation, digits, years, spaces and the body's name removed;
        and for each kept character its index in ``Document.text``."""
        text = self.doc.text
        drop = bytearray(len(text))
        for m in _YEAR.finditer(text):
            drop[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
        for name in self._names():
            for m in re.finditer(re.escape(name), text):
                drop[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
        chars, index = [], []
        for m in _KEEP.finditer(text, self.doc.body_start):
            i = m.start()
            if not drop[i]:
                chars.append(m.group(0))
                index.append(i)
        return "".join(chars), index

    def _names(self) -> list[str]:
        """The body's name in the forms a report uses (full, without 人民政府, the key)."""
        names = {self.body, self.key, re.sub(r"人民政府$", "政府", self.body)}
        return sorted((n for n in names if n and len(n) >= 2), key=len, reverse=True)


# -- the comparison ------------------------------------------------------------------------
def compare(old: Report, new: Report, checklists: Sequence, indicators: IndicatorSet,
            aliases: dict[str, str] | None = None) -> Comparison:
    """Compare OLD (the earlier year) with NEW; checklists are the ones both were checked with."""
    seg = register_terms(checklists)  # the segmenter both reports were checked with
    a, b = Side(old, seg, aliases), Side(new, seg, aliases)
    items = {it.id: it for cl in checklists for it in cl.items if it.type == "mention"}
    return Comparison(
        old=old,
        new=new,
        coverage=coverage(a, b),
        plan=plan_follow_through(a, b, items),
        repeated=(rep := repeated_shortcomings(a, b)),
        resolved=resolved_shortcomings(a, b, rep),
        carried_over=carried_over(a, b),
        indicators=indicator_changes(a, b, indicators),
        indicator_list=(indicators.id, indicators.version),
        warnings=pair_warnings(a, b),
    )


def pair_warnings(a: Side, b: Side) -> list[str]:
    """A different body or years in the wrong order: worth a warning, not a refusal."""
    out = []
    if a.key and b.key and not same_body(a.key, b.key):
        out.append(f"两份报告的发布主体似乎不同：“{a.body}”与“{b.body}”")
    ya, yb = a.doc.meta.year, b.doc.meta.year
    if ya is not None and yb is not None and ya >= yb:
        out.append(f"年度顺序似乎有误：旧报告为{ya}年度，新报告为{yb}年度")
    return out


def _first_quote(side: Side, finding) -> Quote | None:
    if not finding or not finding.evidence:
        return None
    e = finding.evidence[0]
    return Quote(e.quote, e.start, e.end, e.path)


def _change(old: str, new: str) -> str:
    rank = {"missing": 0, "partial": 1, "covered": 2}
    if old == new:
        return "still-missing" if old == "missing" else "unchanged"
    if new == "covered":
        return "newly-covered"
    if old == "covered":
        return "no-longer-covered"
    return "improved" if rank.get(new, 0) > rank.get(old, 0) else "declined"


def coverage(a: Side, b: Side) -> list[CoverageChange]:
    """Every item judged in both reports (applied and applicable to both), in NEW's checklist order."""
    old = {(c.id, f.item_id): f for c in a.report.checklists for f in c.findings}
    out = []
    for c in b.report.checklists:
        for f in c.findings:
            o = old.get((c.id, f.item_id))
            if o is None or "not-applicable" in (o.status, f.status):  # not judged in one of them
                continue
            out.append(CoverageChange(f.item_id, f.title, c.id, o.status, f.status, _change(o.status, f.status),
                                      _first_quote(a, o), _first_quote(b, f)))
    return out


def _overlap(words: Sequence[str], text: str) -> tuple[float, list[str]]:
    """Share of the words' characters that ``text`` contains (long words weigh more). Only
    the point is segmented: a word of the point is looked for as written in the other
    sentence, so a whole report's results need no segmentation."""
    uniq = list(dict.fromkeys(words))
    total = sum(len(w) for w in uniq)
    hit = [w for w in uniq if w in text]
    return (sum(len(w) for w in hit) / total if total else 0.0), hit


def _items_in(units: Sequence[Unit], items: dict) -> list[str]:
    """The items the finder sees in any of the units (each item's one-regex gate first)."""
    found = []
    for iid, item in items.items():
        gate = trigger(item)
        if any((gate is None or gate.search(u.masked)) and find(item, u.masked, u.boundaries, u.text) for u in units):
            found.append(iid)
    return found


def plan_follow_through(a: Side, b: Side, items: dict) -> list[PlanPoint]:
    """Each point of OLD's plan part against NEW's reported acts: done when an act about one
    of the point's items (or, for a point no item names, any act) holds at least half of
    the point's content words; partial from 30 %; else not reported. An act about none of
    the point's items counts for 0.6 of its overlap."""
    out = []
    about: dict[tuple[int, str], bool] = {}  # (act, item) -> does the act name the item

    def names(k: int, iid: str) -> bool:
        if (k, iid) not in about:
            u = b.acts[k]
            about[(k, iid)] = find(items[iid], u.masked, u.boundaries, u.text) is not None
        return about[(k, iid)]

    for units in a.part_points("next-year-plan"):
        limits.check_time()
        words = [w for u in units for w in a.words(u)]
        ids = _items_in(units, items)
        best: tuple[float, int, list[str]] = (0.0, -1, [])
        for k, text in enumerate(b.act_texts):
            ov, hit = _overlap(words, text)
            if ov < PARTIAL or ov <= best[0]:
                continue  # cannot change the verdict: skip the finder
            own = not ids or any(names(k, i) for i in ids)
            score = ov if own else ov * 0.6
            if score > best[0]:
                best = (score, k, hit)
        score, k, hit = best
        status = "done" if score >= DONE else "partial" if score >= PARTIAL else "not-reported"
        evidence = b.quote(b.acts[k]) if k >= 0 and status != "not-reported" else None
        out.append(PlanPoint(a.point_quote(units), ids, status, evidence, round(score, 3), hit))
    return out


def _shortcomings(side: Side) -> list[tuple[Quote, list[str], str]]:
    """(quote, content words, normalised characters) of each point of the shortcomings part."""
    out = []
    for units in side.part_points("shortcomings"):
        words = [w for u in units for w in side.words(u)]
        chars = "".join(_KEEP.findall("".join(u.text for u in units)))
        out.append((side.point_quote(units), words, chars))
    return out


def similarity(wa: Sequence[str], ca: str, wb: Sequence[str], cb: str) -> float:
    """How alike two shortcomings are, 0-1: the better of rapidfuzz's token-set ratio on
    content words (reworded) and its indel ratio on characters (copied)."""
    if not wa or not wb:
        words = 0.0
    elif min(len(set(wa)), len(set(wb))) >= 4:  # a short list is a subset of anything
        words = fuzz.token_set_ratio(" ".join(wa), " ".join(wb))
    else:
        words = fuzz.token_sort_ratio(" ".join(wa), " ".join(wb))
    return round(max(words, fuzz.ratio(ca, cb)) / 100, 3)


def repeated_shortcomings(a: Side, b: Side) -> list[Repeated]:
    """NEW's shortcomings that restate one of OLD's (the most similar one), in NEW's order."""
    old, out = _shortcomings(a), []
    for nq, nw, nc in _shortcomings(b):
        scored = [(similarity(ow, oc, nw, nc), oq) for oq, ow, oc in old]
        if scored:
            sim, oq = max(scored, key=lambda s: s[0])
            if sim >= REPEATED:
                out.append(Repeated(oq, nq, sim))
    return out


def resolved_shortcomings(a: Side, b: Side, repeated: list[Repeated]) -> list[Resolved]:
    """OLD's shortcomings NEW no longer states and reports an act on (content-word overlap)."""
    restated = {r.old_quote.start for r in repeated}
    out = []
    for q, words, _ in _shortcomings(a):
        if q.start in restated or not words:
            continue
        best = max(((_overlap(words, text)[0], k) for k, text in enumerate(b.act_texts)), default=(0.0, -1))
        if best[0] >= RESOLVED:
            out.append(Resolved(q, b.quote(b.acts[best[1]]), round(best[0], 3)))
    return out


# -- carried-over text ------------------------------------------------------------------------
_OPENERS = "（(〔【“《‘「"


def _orig(side: Side, index: list[int], start: int, end: int) -> tuple[int, int]:
    """Original offsets of normalised characters [start, end), an opening bracket or quotation
    mark just before the first one included (“（二）健全…”, not “二）健全…”)."""
    a, b = side.doc.orig_span(index[start], index[end - 1] + 1)
    while a > 0 and side.doc.original[a - 1] in _OPENERS:
        a -= 1
    return a, b


def _figures(text: str) -> list[str]:
    return [m.group(0).replace(" ", "") for m in _FIGURE.finditer(_YEAR.sub("", text))]


def _changed(old: list[str], new: list[str]) -> list[tuple[str, str]]:
    if old == new:
        return []
    pairs = [(o, n) for o, n in zip(old, new, strict=False) if o != n]
    longer = old if len(old) > len(new) else new
    for extra in longer[min(len(old), len(new)):]:
        pairs.append((extra, "") if longer is old else ("", extra))
    return pairs


def carried_over(a: Side, b: Side) -> CarriedOver:
    """The share of NEW's normalised characters inside passages repeated from OLD."""
    na, ia = a.normalised
    nb, ib = b.normalised
    runs = near_copies(na, nb)
    limits.check_time()
    passages = []
    covered = bytearray(len(nb))
    for r in runs:
        for jb, n in r.segments:
            covered[jb : jb + n] = b"\x01" * n
        os_, oe = _orig(a, ia, r.a_start, r.a_end)
        ns, ne = _orig(b, ib, r.b_start, r.b_end)
        old_text, new_text = a.doc.original[os_:oe], b.doc.original[ns:ne]
        passages.append(Passage(os_, oe, ns, ne, r.chars, _changed(_figures(old_text), _figures(new_text)), new_text))
    total, chars = len(nb), sum(covered)
    in_results = _results_mask(b)
    results = [k for k, t in enumerate(ib) if in_results[t]]
    rshare = round(sum(covered[k] for k in results) / len(results), 3) if results else None
    share = round(chars / total, 3) if total else 0.0
    flagged = (rshare if rshare is not None else share) >= MOSTLY_COPIED
    return CarriedOver(share, rshare, flagged, chars, total, passages)


def _results_mask(side: Side) -> bytearray:
    """1 for each character of ``Document.text`` whose innermost section is in the results part."""
    mask = bytearray(len(side.doc.text) + 1)
    for sec in sorted(side.report.outline.sections, key=lambda s: s.level):
        n = sec.t_end - sec.t_start
        mask[sec.t_start : sec.t_end] = (b"\x01" if sec.part == "measures-and-results" else b"\x00") * n
    return mask


# -- indicators ------------------------------------------------------------------------------
def _sentences(side: Side) -> list[tuple[str, int, int, str]]:
    out = []
    for u in side.units:
        q = side.trimmed(*side.doc.orig_span(u.start, u.end), "")
        out.append((u.text, q.start, q.end, q.text))
    return out


def indicator_changes(a: Side, b: Side, indicators: IndicatorSet) -> list[IndicatorChange]:
    """The indicators both reports give, in the list's order."""
    ra, rb = read_indicators(indicators, _sentences(a)), read_indicators(indicators, _sentences(b))
    return [IndicatorChange(i.id, i.name, i.unit, ra[i.id], rb[i.id])
            for i in indicators.indicators if i.id in ra and i.id in rb]
