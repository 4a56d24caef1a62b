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
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from . import limits
from .lang import outline as L
from .model import Document, Outline, Paragraph, Section

# "lead" is what comes before the number: spaces and Markdown emphasis ("**1.…").
_LEAD = r"^(?P<lead>\s*" + L.HEADING_MARKUP + r"?\s*)"
_NUM = {k: re.compile(_LEAD + p) for k, p in L.NUMBER_PATTERNS.items()}
_DAMAGED = {k: re.compile(_LEAD + p) for k, p in L.DAMAGED_PATTERNS.items()}
_MARKUP = re.compile(L.HEADING_MARKUP)
_PHRASE_SEP = re.compile("[" + re.escape(L.TITLE_PHRASE_SEPARATORS) + "]")
_POINT = re.compile(r"^" + L.POINT_MARKERS)
_TERM = re.compile("[" + re.escape(L.TITLE_TERMINATORS) + "]")
_PLAN_VERB = "(?:" + "|".join(L.PLAN_VERBS) + ")"
_YEAR_PLAN = re.compile(r"^(?P<y>(?:19|20)\d{2})年(?:度)?[,:，：]?\s*" + L.PLAN_SUBJECTS + r"?\s*" + _PLAN_VERB)
# A paragraph led by a year but not by a date in it ("2025年是…", not "2025年1月…").
_YEAR_LEAD = re.compile(r"^(?P<y>(?:19|20)\d{2})年(?!\d|[一二三四五六七八九十]{1,2}月)")
_CAUSES = re.compile(L.CAUSES)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_SHORTFALL_STATED = re.compile(L.SHORTFALL_STILL + L.SHORTFALL)
_SHORTFALL_LISTED = re.compile(L.SHORTFALL_STILL + L.SHORTFALL + L.SHORTFALL_LIST_CUE)
_SHORTFALL_SUMMARY = re.compile(L.SHORTFALL_SUMMARY)


@dataclass
class _Line:
    start: int  # offsets into Document.text
    end: int
    text: str


@dataclass
class _Head:
    """A heading found on a line, before levels are known."""

    line: int
    kind: str
    n: int | None  # numeric value; None when the number was lost or broken
    number: str  # as normalised (the original is read through the offset map)
    num_start: int  # text offset where the number begins (after any markup)
    num_end: int  # text offset where the number ends
    title_start: int
    title_end: int
    body_start: int | None  # text offset of same-line body text, if any
    level_hint: int | None = None
    synthetic: bool = False
    part: str | None = None
    top: bool = False  # an unnumbered heading known to open a top-level part


@dataclass
class _Open:
    kind: str
    n: int | None
    level: int
    index: int  # index into the sections list
    children_kinds: list[str] = field(default_factory=list)


def cn_value(s: str) -> int | None:
    """Value of a Chinese numeral up to 99 (一 .. 九十九)."""
    digits = {c: i + 1 for i, c in enumerate(L.CN_DIGITS[:9])}
    if not s:
        return None
    if s == "十":
        return 10
    if "十" in s:
        a, _, b = s.partition("十")
        tens = digits.get(a, 1) if a else 1
        ones = digits.get(b, 0) if b else 0
        return tens * 10 + ones
    return digits.get(s) if len(s) == 1 else None


def _value(kind: str, n: str) -> int | None:
    if kind in ("cn", "pcn", "chap"):
        return cn_value(n)
    if kind == "circ":
        return L.CIRCLED.index(n) + 1 if n in L.CIRCLED else None
    return int(n) if n.isdigit() else None


def split_lines(doc: Document) -> list[_Line]:
    """Body lines of the document (after the metadata header), in text offsets."""
    out: list[_Line] = []
    pos = doc.body_start
    text = doc.text
    while pos < len(text):
        nl = text.find("\n", pos)
        end = len(text) if nl < 0 else nl
        if end > pos and text[pos:end].strip():
            out.extend(_Line(a, b, text[a:b]) for a, b in _run_on_cuts(text, pos, end))
        pos = end + 1
    return out


_INLINE_NUMBER = {
    "cn": re.compile(rf"(?<=[。!?;])\s*(?P<n>[{L.CN_DIGITS}]{{1,3}})、"),
    "pcn": re.compile(rf"(?<=[。!?;])\s*\((?P<n>[{L.CN_DIGITS}]{{1,3}})\)"),
}


def _run_on_cuts(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A page that lost its line breaks runs a whole report into one line; cut it where a
    sentence ends and a heading number of a running sequence (一、二、… or (一)(二)…)
    begins, so the outline finds the headings. Ordinary lines are left whole."""
    if end - start < L.RUN_ON_MIN:
        return [(start, end)]
    cuts: set[int] = set()
    for rx in _INLINE_NUMBER.values():
        expected = 1
        for m in rx.finditer(text, start, end):
            value = cn_value(m.group("n"))
            if value == expected or (value == 1 and expected > 1):
                cuts.add(m.start("n") - (1 if rx is _INLINE_NUMBER["pcn"] else 0))
                expected = value + 1
    bounds = [start, *sorted(c for c in cuts if start < c < end), end]
    return [(a, b) for a, b in zip(bounds, bounds[1:]) if text[a:b].strip()]


def _title_span(line: _Line, rest_start: int) -> tuple[int, int, int | None]:
    """Split the text after a heading number into (title_start, title_end, body_start).

    A title ends at the first terminator; a first clause longer than MAX_TITLE is a
    run-on heading whose full stop was lost, cut where a typical body opener begins.
    """
    rel = rest_start - line.start
    rest = line.text[rel:]
    lead = len(rest) - len(rest.lstrip())
    rest = rest.lstrip()
    t0 = rest_start + lead
    m = _title_end(rest)
    clause = rest[: m.start()] if m else rest
    if m is None and len(rest) <= L.MAX_BARE_HEADING:
        return t0, t0 + len(rest.rstrip()), None
    if _is_whole_title(clause):
        body = t0 + m.end() if m else None
        if body is not None and body >= line.end:
            body = None
        return t0, t0 + len(clause), body
    cut = _opener_cut(clause)
    if cut is not None:
        return t0, t0 + cut, t0 + cut
    body = t0 + m.end() if m and t0 + m.end() < line.end else None
    return t0, t0 + len(clause), body


def _title_end(rest: str) -> re.Match[str] | None:
    """The terminator ending a title, or the closing emphasis mark when that comes first."""
    m = _TERM.search(rest)
    mark = _MARKUP.search(rest)
    if mark is not None and (m is None or mark.start() < m.start()):
        return mark
    return m


def _is_whole_title(clause: str) -> bool:
    """Is this first clause a heading as it stands, not a run-on heading plus body?

    Short clauses are. A longer one still is when it is a few short phrases joined by
    commas, the usual two-part heading ("坚持…为指导，全面加强…领导"); a run-on heading
    has one long phrase where the lost full stop was ("决策管理更规范全面实施…管理").
    """
    if len(clause) <= L.MAX_TITLE:
        return True
    if len(clause) > L.MAX_PHRASED_TITLE:
        return False
    phrases = _PHRASE_SEP.split(clause)
    return 1 < len(phrases) <= L.MAX_TITLE_PHRASES and all(len(p) <= L.MAX_TITLE_PHRASE for p in phrases)


def _opener_cut(clause: str) -> int | None:
    """Where a body opener starts in a run-on heading, if anywhere plausible."""
    best: int | None = None
    for word in L.BODY_OPENERS:
        i = clause.find(word, L.MIN_TITLE)
        while 0 <= i <= L.MAX_TITLE:
            if clause[i - 1] not in ",、":
                best = i if best is None else min(best, i)
                break
            i = clause.find(word, i + 1)
    return best


def _match_number(line: _Line) -> tuple[str, re.Match[str]] | None:
    if _POINT.match(line.text):
        return None
    for kind, rx in _NUM.items():
        m = rx.match(line.text)
        if m and m.end() < len(line.text) and _CJK.search(line.text[m.end():m.end() + 8] or ""):
            return kind, m
    return None


def _match_damaged(line: _Line) -> tuple[str, re.Match[str]] | None:
    for kind, rx in _DAMAGED.items():
        m = rx.match(line.text)
        if m and m.end() < len(line.text) and line.text[m.end()] not in L.MEASURE_CHARS:
            return kind, m
    return None


def _is_bare_heading(line: _Line, min_len: int = L.MIN_TITLE) -> bool:
    """A standalone short line without terminal punctuation: a heading that lost its number.

    It must read as Chinese words (digits aside, so "2025年工作安排" qualifies), which
    keeps out dates, links and stray Latin text.
    """
    t = line.text.strip()
    if not (min_len <= len(t) <= L.MAX_BARE_HEADING) or _TERM.search(t) or t[-1] in ",、":
        return False
    cjk = len(_CJK.findall(t))
    words = len(t) - sum(c.isdigit() for c in t)
    return cjk >= L.MIN_PART_HEADING and cjk >= words * 0.6


class _Builder:
    """Walks the lines once, keeping a stack of open numbering kinds."""

    def __init__(self, doc: Document, lines: list[_Line]) -> None:
        self.doc = doc
        self.lines = lines
        self.stack: list[_Open] = []
        self.sections: list[Section] = []
        self.paragraphs: list[tuple[int, int]] = []
        self.year = doc.meta.year
        self.hints = {s: lvl for s, _, lvl in doc.headings}
        self.top_parts: list[str] = []  # parts of the top-level sections, in order
        self.top_part_set: set[str] = set()
        self.n_top = 0  # top-level sections so far (their ids are s1, s2, …)
        self.kinds_by_level: dict[int, set[str]] = {}

    @property
    def current_top_part(self) -> str | None:
        return self.top_parts[-1] if self.top_parts else None

    # -- heading detection -------------------------------------------------------
    def heading_at(self, i: int) -> _Head | None:
        line = self.lines[i]
        found = _match_number(line)
        damaged = False
        if found is None:
            found = _match_damaged(line)
            damaged = found is not None
        if found is not None:
            kind, m = found
            n = _value(kind, m.group("n"))
            if damaged and not self._sequence_allows(kind, n, i):
                found = None
            else:
                ts, te, body = _title_span(line, line.start + m.end())
                number = line.text[m.end("lead") : m.end()].strip()
                num_start = line.start + m.end("lead")
                return _Head(i, kind, n, number, num_start, line.start + m.end(), ts, te, body)
        if line.start in self.hints and _is_bare_heading(line, L.MIN_PART_HEADING):
            return self._bare(i, hinted=True)
        if _is_bare_heading(line) and self._bare_fits(i):
            return self._bare(i, hinted=False)
        if _is_bare_heading(line, L.MIN_PART_HEADING) and self._opens_new_part(i):
            head = self._bare(i, hinted=False)
            head.top = True
            return head
        return None

    def _bare(self, i: int, hinted: bool) -> _Head:
        line = self.lines[i]
        t = line.text.strip()
        lead = line.text.find(t)
        start = line.start + lead
        head = _Head(i, "bare", None, "", num_start=start, num_end=start, title_start=start,
                     title_end=start + len(t), body_start=None)
        if hinted:
            head.level_hint = self.hints.get(line.start)
        return head

    def _open_kind(self, kind: str) -> _Open | None:
        for o in reversed(self.stack):
            if o.kind == kind:
                return o
        return None

    def _sequence_allows(self, kind: str, n: int | None, i: int) -> bool:
        """Damaged numbers count only where they continue or start an expected sequence."""
        cur = self._open_kind(kind)
        if n is None:  # the number itself went with the lost part (")实施…")
            return cur is not None
        if cur is not None and cur.n is not None and n == cur.n + 1:
            return True
        if n == 1 and self.stack and kind in self.stack[-1].children_kinds + ["ar"]:
            nxt = self._next_number(i, kind)
            return nxt is None or nxt == 2
        return False

    def _next_number(self, i: int, kind: str) -> int | None:
        for j in range(i + 1, min(i + 40, len(self.lines))):
            found = _match_number(self.lines[j])
            if found and found[0] == kind:
                return _value(kind, found[1].group("n"))
        return None

    def _bare_fits(self, i: int) -> bool:
        """An unnumbered line is a heading when the numbering around it needs one."""
        nxt = None
        for j in range(i + 1, min(i + 4, len(self.lines))):
            found = _match_number(self.lines[j])
            if found:
                nxt = (found[0], _value(found[0], found[1].group("n")))
                break
            if not self.lines[j].text.strip():
                continue
            if j == i + 1 and len(self.lines[j].text) < L.MAX_BARE_HEADING:
                return False
        if nxt is None:
            return False
        kind, n = nxt
        cur = self._open_kind(kind)
        restarts = n == 1 and cur is not None and cur.n is not None and cur.n >= 1 and len(self.stack) >= 2
        return restarts or self._gap_level(i) is not None

    def _gap_level(self, i: int) -> int | None:
        """Stack index of an open sequence that skips exactly one number after line ``i``.

        "（二）… <unnumbered line> …（四）": the line is the lost （三）. Searched from the
        deepest open sequence up; a heading of a higher open sequence ends the search.
        """
        for k in range(len(self.stack) - 1, 0, -1):
            want = self.stack[k]
            higher = {o.kind for o in self.stack[:k]}
            for j in range(i + 1, min(i + L.GAP_LOOKAHEAD, len(self.lines))):
                found = _match_number(self.lines[j])
                if found is None:
                    continue
                kind, m = found
                if kind in higher:
                    break
                if kind == want.kind:
                    if want.n is not None and _value(kind, m.group("n")) == want.n + 2:
                        return k
                    break
        return None

    def _opens_new_part(self, i: int) -> bool:
        """An unnumbered line naming a part not yet begun: a top-level heading without number.

        Reports lose a top-level number in copying ("三、" gone before "2025年度…主要安排"),
        and short reports often head their closing parts with a bare "存在的问题" or
        "下一步工作打算". A part name alone could be a results sub-heading ("补齐短板…"), so
        it also needs numbering that restarts below the top level right after it, or to
        begin the way a part heading begins.
        """
        if not self.stack:
            return False
        title = self.lines[i].text.strip()
        part = _heading_part(title, 1, self.year)
        if part in (None, "measures-and-results") or part in self.top_part_set:
            return False
        return self._restarts_below_top(i) or _starts_like_part_heading(title, self.year)

    def _restarts_below_top(self, i: int) -> bool:
        """Does a numbering kind used right below the top level restart after line ``i``?"""
        for j in range(i + 1, min(i + 4, len(self.lines))):
            found = _match_number(self.lines[j])
            if found:
                kind, m = found
                return _value(kind, m.group("n")) == 1 and kind in self.kinds_by_level.get(2, set())
        return False

    # -- tree building -------------------------------------------------------------
    def place(self, head: _Head) -> int:
        """Pop the stack to where the heading belongs and return its level."""
        if head.kind == "bare":
            return self._place_bare(head)
        idx = next((k for k in range(len(self.stack)) if self.stack[k].kind == head.kind), None)
        if idx is not None:
            if head.n is None and self.stack[idx].n is not None:
                head.n = self.stack[idx].n + 1
            del self.stack[idx:]
        return len(self.stack) + 1

    def _place_bare(self, head: _Head) -> int:
        """Level of an unnumbered heading: from its part, its format hint, or the numbering after it."""
        if head.top and self.stack:
            return self._take_place_of(0, head)
        if head.level_hint is not None:
            if not self.stack:
                return 1
            k = self._hint_place(head.level_hint)
            if k is not None:
                return self._take_place_of(k, head) if k < len(self.stack) else len(self.stack) + 1
        gap = self._gap_level(head.line)
        if gap is not None:
            return self._take_place_of(gap, head)
        # A lost-number heading sits one level above the sequence that restarts after it.
        nxt = self._next_kind(head.line)
        idx = next((k for k in range(len(self.stack)) if self.stack[k].kind == nxt), None)
        if idx is not None and idx >= 1:
            return self._take_place_of(idx - 1, head)
        return len(self.stack) + 1

    def _hint_place(self, hint: int) -> int | None:
        """First open entry whose format level (Markdown #, HTML h1-h6) is not above ``hint``.

        None when the open headings carry no format levels to compare with.
        """
        levels = [self.hints.get(self.sections[o.index].t_start) for o in self.stack]
        if levels[0] is None:
            return None
        return next((k for k, lv in enumerate(levels) if lv is None or lv >= hint), len(levels))

    def _take_place_of(self, k: int, head: _Head) -> int:
        """The heading becomes the next sibling of open entry ``k``: same kind, next number."""
        sib = self.stack[k]
        head.kind = sib.kind
        head.n = (sib.n + 1) if sib.n is not None else None
        del self.stack[k:]
        return k + 1

    def ends_numbered_run(self, i: int) -> bool:
        """Nothing after line ``i`` continues an open numbering sequence.

        An unheaded part ("…但仍存在差距" / "下一步，我们将…") closes the body it follows:
        the next numbered heading, if any, is a top-level one or starts a fresh sequence
        (the plan's own （一）). The same words inside the results, followed by the next
        sibling heading, are only a sentence of that section.
        """
        for j in range(i + 1, len(self.lines)):
            found = _match_number(self.lines[j])
            if found is None:
                continue
            kind, n = found[0], _value(found[0], found[1].group("n"))
            if self.stack and kind == self.stack[0].kind:
                return True
            return n == 1 and self._open_kind(kind) is None
        return True

    def _next_kind(self, i: int) -> str | None:
        for j in range(i + 1, min(i + 4, len(self.lines))):
            found = _match_number(self.lines[j])
            if found:
                return found[0]
        return None

    def add_top_part(self, part: str) -> None:
        """Record the part of a new top-level section."""
        self.top_parts.append(part)
        self.top_part_set.add(part)

    def add_section(self, head: _Head, level: int) -> Section:
        parent = self.stack[-1] if self.stack else None
        parent_sec = self.sections[parent.index] if parent else None
        if parent_sec is not None:
            ordinal = len(parent_sec.children) + 1
            sid = f"{parent_sec.id}.{ordinal}"
        else:
            self.n_top += 1
            sid = f"s{self.n_top}"
        doc = self.doc
        ostart = doc.offsets[self.lines[head.line].start] if not head.synthetic else doc.offsets[head.title_start]
        title = doc.quote(head.title_start, head.title_end)
        number = doc.quote(head.num_start, head.num_end).strip() if head.number else ""
        sec = Section(
            id=sid,
            level=level,
            number=number,
            title=title,
            part="",
            start=ostart,
            end=ostart,
            parent=parent_sec.id if parent_sec else None,
            t_start=self.lines[head.line].start if not head.synthetic else head.title_start,
            t_end=len(doc.text),
            t_title_start=head.title_start,
            t_title_end=head.title_end,
            synthetic=head.synthetic,
            norm_title=doc.text[head.title_start:head.title_end],
        )
        if parent_sec is not None:
            parent_sec.children.append(sid)
        if parent is not None and head.kind not in parent.children_kinds:
            parent.children_kinds.append(head.kind)
        self.kinds_by_level.setdefault(level, set()).add(head.kind)
        self.sections.append(sec)
        self.stack.append(_Open(head.kind, head.n, level, len(self.sections) - 1))
        return sec

    def add_synthetic(self, i: int, part: str) -> Section:
        """Open an unheaded part at the top level, starting at paragraph line ``i``."""
        line = self.lines[i]
        top_kind = next((s.kind for s in self.stack[:1]), "cn")
        self.stack.clear()
        ts, te = _clause_title(line)
        head = _Head(i, top_kind, None, "", num_start=line.start, num_end=line.start, title_start=ts,
                     title_end=te, body_start=None, synthetic=True, part=part)
        sec = self.add_section(head, 1)
        sec.part = part
        self.stack[-1].kind = top_kind
        return sec


def _clause_title(line: _Line) -> tuple[int, int]:
    """Title of an unheaded part: its first clause, at least MIN_TITLE, at most 30 chars."""
    t = line.text
    end = len(t)
    for m in re.finditer(r"[,。;:!?]", t):
        if m.start() >= 8 or t[m.start()] != ",":
            end = m.start()
            break
    end = min(end, 30)
    return line.start, line.start + end


def _heading_part(title: str, level: int, year: int | None) -> str | None:
    """The part a heading names, if it names one."""
    if level > 1:
        for part, prefixes in L.SUBPART_HEADING_PREFIXES.items():
            if title.startswith(prefixes):
                return part
        if any(w in title for w in L.PART_HEADING_WORDS["first-responsible-person"]):
            return "first-responsible-person"
        return None
    for part in ("first-responsible-person", "shortcomings", "other"):
        if any(w in title for w in L.PART_HEADING_WORDS[part]):
            return part
    years = [int(y) for y in re.findall(r"(?:19|20)\d{2}", title)]
    if year is not None and any(y == year + 1 for y in years):
        return "next-year-plan"
    if any(w in title for w in L.PART_HEADING_WORDS["next-year-plan"]):
        explicit = any(w in title for w in L.FUTURE_MARKERS)
        this_year = year is not None and year in years
        # "重点工作推进情况" reports this year's work; only an explicit marker makes it a plan.
        reported = any(w in title for w in L.RESULT_FORMS)
        if explicit or not (this_year or reported):
            return "next-year-plan"
    if any(w in title for w in L.PART_HEADING_WORDS["measures-and-results"]):
        return "measures-and-results"
    return None


def _starts_like_part_heading(title: str, year: int | None) -> bool:
    """Does an unnumbered line begin the way part headings begin ("存在的…", "2025年…")?"""
    if title.startswith(L.PART_HEADING_STARTS):
        return True
    m = re.match(r"(?:19|20)\d{2}", title)
    return m is not None and year is not None and int(m.group()) == year + 1


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
        return year is None or y == year + 1
    lead = _YEAR_LEAD.match(text)
    if lead and year is not None and int(lead.group("y")) == year + 1:
        return any(v in window for v in L.PLAN_VERBS)
    return text.startswith(L.PLAN_OPENERS) and any(v in window for v in L.PLAN_VERBS)


def build(doc: Document) -> Outline:
    """Build the section tree and assign parts."""
    lines = split_lines(doc)
    b = _Builder(doc, lines)
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
        named = _heading_part(sec.norm_title, level, doc.meta.year)
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


def preamble_end(lines: list["_Line"]) -> int:
    """Index of the last preamble line: the "现将…报告如下" line near the top, else the first."""
    for k, line in enumerate(lines[: L.PREAMBLE_MAX_LINES]):
        if _match_number(line):
            break
        if any(w in line.text for w in L.PREAMBLE_CLOSERS):
            return k
    return 0


def _close_spans(doc: Document, sections: list[Section], lines: list[_Line]) -> None:
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


def _paragraphs(b: _Builder, sections: list[Section]) -> list[Paragraph]:
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


def _add_preamble(doc: Document, sections: list[Section], lines: list[_Line], paragraphs: list[Paragraph]) -> None:
    """Text before the first heading becomes a synthetic preamble section."""
    first = lines[0]
    t_end = sections[0].t_start if sections else lines[-1].end
    ts, te = _clause_title(first)
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
