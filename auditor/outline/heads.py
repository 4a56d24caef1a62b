"""Outline stage, lines and headings: body lines, the heading a line may carry, its title.

The tree builder (auditor/outline/builder.py) asks these questions one line at a time;
nothing here knows about levels. Numbering patterns and values come from lang/numerals.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..ingest import nonblank_line_spans
from ..lang import numerals as N
from ..lang import outline as L
from ..lang.numerals import cn_value
from ..model import Document

# "lead" is what comes before the number: spaces and Markdown emphasis ("**1.…").
_LEAD = r"^(?P<lead>\s*" + L.HEADING_MARKUP + r"?\s*)"
_NUM = {k: re.compile(_LEAD + p) for k, p in N.NUMBER_PATTERNS.items()}
_DAMAGED = {k: re.compile(_LEAD + p) for k, p in N.DAMAGED_PATTERNS.items()}
_MARKUP = re.compile(L.HEADING_MARKUP)
_PHRASE_SEP = re.compile("[" + re.escape(L.TITLE_PHRASE_SEPARATORS) + "]")
_POINT = re.compile(r"^" + N.POINT_MARKERS)
_TERM = re.compile("[" + re.escape(L.TITLE_TERMINATORS) + "]")
_HALF_STOP = re.compile(L.HALF_WIDTH_STOP)
_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class Line:
    """One body line (or one piece of a run-on line)."""

    start: int  # offsets into Document.text
    end: int
    text: str


@dataclass
class Head:
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
    # The number as written, kept for the Section even after placement infers kind and n.
    written_kind: str | None = None
    written_n: int | None = None
    damaged: bool = False


def split_lines(doc: Document) -> list[Line]:
    """Body lines of the document (after the metadata header), in text offsets."""
    out: list[Line] = []
    text = doc.text
    for pos, end in nonblank_line_spans(text, doc.body_start):
        out.extend(Line(a, b, text[a:b]) for a, b in _run_on_cuts(text, pos, end))
    return out


_INLINE_NUMBER = {
    "cn": re.compile(rf"(?<=[。!?;:])\s*(?P<n>[{N.CN_DIGITS}]{{1,3}})、"),
    # (一)(二)… may follow a heading whose title has no full stop: "…主要举措和成效(一)坚持…"
    "pcn": re.compile(rf"\((?P<n>[{N.CN_DIGITS}]{{1,3}})\)"),
    # 第一部分/第二部分… anywhere: a chapter number never stands inside a sentence
    "chap": re.compile(rf"第(?P<n>[{N.CN_DIGITS}]{{1,3}})部分"),
    # 1.压实…2.完善…: a figure with a point between Chinese words (…成效1.压实…), in sequence
    "ar": re.compile(r"(?<=[\u4e00-\u9fff。!?;:])(?P<n>\d{1,2})[.、](?=[\u4e00-\u9fff])"),
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
            value = int(m.group("n")) if m.group("n").isdigit() else cn_value(m.group("n"))
            # a sequence whose first number was lost with the header may start at 二
            if value == expected or (value == 1 and expected > 1) or (expected == 1 and value == 2):
                cuts.add(m.start("n") - (1 if rx in (_INLINE_NUMBER["pcn"], _INLINE_NUMBER["chap"]) else 0))
                expected = value + 1
    bounds = [start, *sorted(c for c in cuts if start < c < end), end]
    return [(a, b) for a, b in zip(bounds, bounds[1:], strict=False) if text[a:b].strip()]


def title_span(line: Line, rest_start: int) -> tuple[int, int, int | None]:
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
    # "（四）开展案卷评查，抽评案卷180卷。": a numbered point that is a sentence, not a heading;
    # its first phrase names it, and the whole sentence is its body
    sentence = m is not None and m.group(0) == "。" and _numbered_sentence(clause)
    if _is_whole_title(clause):
        if sentence:
            return t0, t0 + len(clause), t0
        body = t0 + m.end() if m else None
        if body is not None and body >= line.end:
            body = None
        return t0, t0 + len(clause), body
    cut = _opener_cut(clause)
    if cut is not None:
        return t0, t0 + cut, t0 + cut
    if sentence:
        return t0, t0 + len(_PHRASE_SEP.split(clause, maxsplit=1)[0]), t0
    body = t0 + m.end() if m and t0 + m.end() < line.end else None
    return t0, t0 + len(clause), body


def _title_end(rest: str) -> re.Match[str] | None:
    """The terminator ending a title (a half-width full stop included), or the closing
    emphasis mark when that comes first."""
    m = min((x for x in (_TERM.search(rest), _HALF_STOP.search(rest)) if x is not None),
            key=lambda x: x.start(), default=None)
    mark = _MARKUP.search(rest)
    if mark is not None and (m is None or mark.start() < m.start()):
        return mark
    return m


def _numbered_sentence(clause: str) -> bool:
    """A clause that reports rather than names: it counts something (180卷, 12名, not a year)
    or runs to three phrases or more."""
    return bool(_COUNT_IN_TITLE.search(clause)) or len(_PHRASE_SEP.split(clause)) >= 3


_COUNT_IN_TITLE = re.compile(L.COUNT_IN_TITLE)


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
    year = _YEAR_OPENS.search(clause, L.MIN_TITLE, L.MAX_TITLE + 5)
    if year is not None and year.start() <= L.MAX_TITLE:  # "…主要安排2025年是…收官之年"
        best = year.start() if best is None else min(best, year.start())
    part = _PART_NAME_END.search(clause, L.MIN_TITLE, L.MAX_TITLE + 6)
    if part is not None and len(clause) - part.end() >= L.MIN_TITLE:  # "…不足和原因法治政府建设是…"
        best = part.end() if best is None else min(best, part.end())
    return best


_YEAR_OPENS = re.compile(L.YEAR_OPENS_BODY)
_PART_NAME_END = re.compile(L.PART_NAME_END)


def match_number(line: Line) -> tuple[str, re.Match[str]] | None:
    """(kind, match) of an intact heading number leading the line and followed by words."""
    if _POINT.match(line.text):
        return None
    for kind, rx in _NUM.items():
        m = rx.match(line.text)
        if m and m.end() < len(line.text) and _CJK.search(line.text[m.end():m.end() + 8] or ""):
            return kind, m
    return None


def match_damaged(line: Line) -> tuple[str, re.Match[str]] | None:
    """(kind, match) of a damaged heading number leading the line, not a quantity ("3年")."""
    for kind, rx in _DAMAGED.items():
        m = rx.match(line.text)
        if m and m.end() < len(line.text) and line.text[m.end()] not in L.MEASURE_CHARS:
            return kind, m
    return None


def is_bare_heading(line: Line, min_len: int = L.MIN_TITLE) -> bool:
    """A standalone short line without terminal punctuation: a heading that lost its number.

    It must read as Chinese words (digits aside, so "2025年工作安排" qualifies), which
    keeps out dates, links and stray Latin text.
    """
    t = line.text.strip()
    if not (min_len <= len(t) <= L.MAX_BARE_HEADING) or _TERM.search(t) or t[-1] in ",、":
        return False
    if t[-1] == "." and not t[-2].isascii() or t.endswith(("%.", ").")):  # a half-width full stop ends a sentence
        return False
    cjk = len(_CJK.findall(t))
    words = len(t) - sum(c.isdigit() for c in t)
    return cjk >= L.MIN_PART_HEADING and cjk >= words * 0.6



def clause_title(line: Line) -> tuple[int, int]:
    """Title of an unheaded part: its first clause, at least MIN_TITLE, at most 30 chars."""
    t = line.text
    end = len(t)
    for m in re.finditer(r"[,。;:!?]", t):
        if m.start() >= 8 or t[m.start()] != ",":
            end = m.start()
            break
    end = min(end, 30)
    return line.start, line.start + end


def heading_part(title: str, level: int, year: int | None) -> str | None:
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


def starts_like_part_heading(title: str, year: int | None) -> bool:
    """Does an unnumbered line begin the way part headings begin ("存在的…", "2025年…")?"""
    if title.startswith(L.PART_HEADING_STARTS):
        return True
    m = re.match(r"(?:19|20)\d{2}", title)
    return m is not None and year is not None and int(m.group()) == year + 1

