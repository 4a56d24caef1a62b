"""Draft defects: what an author must fix before a report can be submitted.

Pure functions over an ``Outline``; no NLP. Each check looks at the normalised text
(so full-width and half-width forms count alike) and reports its finding with offsets
into ``Document.original`` and the quote as written, so renderers can highlight it:

- ``placeholder``: unfilled placeholders (XX市, *次, ××, XXXX年, 【待补充】 …), patterns
  in ``auditor/lang/defects.py``;
- ``quote`` / ``bracket``: “” ‘’ and （）《》【】 that do not pair up within one paragraph;
- ``numbering``: sibling headings whose numbers skip, repeat, run backwards or are damaged;
- ``empty-heading``: a heading with neither body text nor sub-headings;
- ``year``: a year in the results part that is not the reporting year and not a plausible
  reference (a plan period, a title in 《》, a comparison "较2023年", "2023年以来" …);
- ``slogan``: results-part text that reports no action, figure, date or named document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import limits
from .ingest import nonblank_line_spans
from .lang import defects as L
from .lang import signals as S
from .lang.numerals import format_number
from .model import Document, Outline, Section
from .outline import section_path

KINDS: tuple[str, ...] = tuple(L.KIND_LABELS)
_PLACEHOLDERS = [(name, re.compile(rx), label) for name, rx, label in L.PLACEHOLDERS]
_YEAR = re.compile(L.YEAR)
_YEAR_RANGE = re.compile(L.YEAR_RANGE)
_YEAR_BEFORE_OK = re.compile(L.YEAR_BEFORE_OK)
_YEAR_AFTER_OK = re.compile(L.YEAR_AFTER_OK)
_TITLE = re.compile(r"《[^《》\n]*》")
# NOTE: a count written in Chinese numerals is too often part of a term of art (三项制度,
# 一件事, 两个责任) to prove substance on its own; report figures are written in digits.
_COUNT = re.compile(S.SIGNALS["count"])
_SUBSTANCE = [re.compile(p) for k, p in S.SIGNALS.items() if k != "count"] + [re.compile(r"《[^《》]{2,}》")]
_CLAUSE_END = "，,。；;：:！!？?\n"
_SENTENCE_END = "。；;！!？?\n"
_CLOSERS = {v: k for k, v in {**L.QUOTE_PAIRS, **L.BRACKET_PAIRS}.items()}


@dataclass(frozen=True)
class Defect:
    """One draft defect, located in the original text.

    ``start``/``end`` are offsets into ``Document.original`` and ``quote`` is the text
    there as written; ``context`` is the sentence around it (as written, shortened) so a
    reader can find the place without the highlighted view.
    """

    kind: str
    message: str
    section: str | None
    path: str
    quote: str
    start: int
    end: int
    severity: str
    detail: str = ""
    context: str = ""
    line: int = 0

    @property
    def label(self) -> str:
        """The kind's name for people."""
        return L.KIND_LABELS[self.kind]

    @property
    def advice(self) -> str:
        """What to do about this kind of defect."""
        return L.KIND_ADVICE[self.kind]


def find_defects(outline: Outline) -> list[Defect]:
    """Every draft defect of the document, in reading order."""
    found: list[Defect] = []
    for check in (placeholders, unbalanced_marks, numbering, empty_headings, wrong_years, slogans):
        limits.check_time()
        found.extend(check(outline))
    return sorted(found, key=lambda d: (d.start, d.end, KINDS.index(d.kind)))


# -- building defects ----------------------------------------------------------------
def _make(outline: Outline, kind: str, a: int, b: int, message: str, severity: str, detail: str = "", section: str | None = None) -> Defect:
    """A defect over the ``Document.text`` span [a, b)."""
    doc = outline.doc
    oa, ob = doc.orig_span(a, b)
    if section is None:
        sec = outline.section_at(a)
        section = sec.id if sec is not None else None
    return Defect(
        kind=kind,
        message=message,
        section=section,
        path=section_path(outline, section) if section else "（标题和文头）",
        quote=doc.original[oa:ob],
        start=oa,
        end=ob,
        severity=severity,
        detail=detail,
        context=_context(doc, a, b),
        line=doc.line_number(oa),
    )


def _context(doc: Document, a: int, b: int, width: int = 40) -> str:
    """The sentence holding [a, b) as written, cut to ``width`` characters on each side."""
    text = doc.text
    lo = a
    while lo > 0 and text[lo - 1] not in _SENTENCE_END and a - lo < width:
        lo -= 1
    hi = b
    while hi < len(text) and text[hi - 1 : hi] not in tuple(_SENTENCE_END) and hi - b < width:
        hi += 1
    oa, ob = doc.orig_span(lo, hi)
    out = doc.original[oa:ob].strip()
    if lo > 0 and text[lo - 1] not in _SENTENCE_END:
        out = "…" + out
    if hi < len(text) and text[hi - 1] not in _SENTENCE_END:
        out += "…"
    return out


# -- placeholders ---------------------------------------------------------------------
def placeholders(outline: Outline) -> list[Defect]:
    """Unfilled placeholders anywhere in the document, title included."""
    text = outline.doc.text
    taken: list[tuple[int, int]] = []
    out: list[Defect] = []
    for name, rx, label in _PLACEHOLDERS:
        for m in rx.finditer(text):
            a, b = m.span()
            if any(a < y and x < b for x, y in taken):
                continue
            taken.append((a, b))
            msg = f"{label}“{outline.doc.quote(a, b)}”尚未填写实际内容"
            out.append(_make(outline, "placeholder", a, b, msg, "error", name))
    return out


# -- paired marks ------------------------------------------------------------------------
def _number_spans(outline: Outline) -> list[tuple[int, int]]:
    """Text spans of heading numbers; a damaged number is reported by ``numbering``."""
    return [(s.t_start, s.t_title_start) for s in outline.sections if not s.synthetic]


def _clause_after(text: str, i: int, end: int, limit: int = 30) -> int:
    j = i + 1
    while j < end and j - i < limit:
        if text[j] in _CLAUSE_END:
            return j + 1
        j += 1
    return j


def _clause_before(text: str, i: int, start: int, limit: int = 30) -> int:
    j = i
    while j > start and i - j < limit and text[j - 1] not in _CLAUSE_END:
        j -= 1
    return j


def unbalanced_marks(outline: Outline) -> list[Defect]:
    """Quotation marks and brackets that do not pair up within one paragraph (line).

    Unpaired marks of one kind close together (“进机关”“进党校”“进学校: a lost opening
    and a lost closing mark) are reported as one defect over the stretch they share.
    """
    text = outline.doc.text
    skip = _number_spans(outline)
    out: list[Defect] = []
    for start, end in nonblank_line_spans(text):  # title and body alike
        runs: list[tuple[str, int, int, list[str]]] = []  # kind, a, b, descriptions
        for i, ch, opener in _unpaired(text, start, end):
            if any(a <= i < b for a, b in skip):
                continue
            kind = "quote" if ch in L.QUOTE_PAIRS or ch in L.QUOTE_PAIRS.values() else "bracket"
            name = L.MARK_NAMES[ch]
            if opener:
                a, b, what = i, _clause_after(text, i, end), f"有左{name}，缺少对应的右{name}"
            else:
                a, b, what = _clause_before(text, i, start), i + 1, f"有右{name}，缺少对应的左{name}"
            last = runs[-1] if runs else None
            if last is not None and last[0] == kind and a - last[2] <= L.MERGE_MARKS_WITHIN:
                runs[-1] = (kind, last[1], max(b, last[2]), [*last[3], what])
            else:
                runs.append((kind, a, b, [what]))
        for kind, a, b, whats in runs:
            name = "引号" if kind == "quote" else "括号"
            msg = f"{name}不成对：" + "；".join(dict.fromkeys(whats))
            out.append(_make(outline, kind, a, b, msg, "warning", "merged" if len(whats) > 1 else ""))
    return out


def _unpaired(text: str, start: int, end: int) -> list[tuple[int, str, bool]]:
    """(position, mark, is_opener) of every mark in [start, end) left without a partner."""
    pairs = {**L.QUOTE_PAIRS, **L.BRACKET_PAIRS}
    stack: list[tuple[int, str]] = []
    bad: list[tuple[int, str, bool]] = []
    for i in range(start, end):
        ch = text[i]
        if ch in pairs:
            stack.append((i, ch))
        elif ch in _CLOSERS:
            if ch == "’" and i > start and text[i - 1].isascii() and text[i - 1].isalpha():
                continue  # an apostrophe in a Latin name
            want = _CLOSERS[ch]
            k = next((k for k in range(len(stack) - 1, -1, -1) if stack[k][1] == want), None)
            if k is None:
                bad.append((i, ch, False))
                continue
            bad.extend((p, c, True) for p, c in stack[k + 1 :])
            del stack[k:]
    bad.extend((p, c, True) for p, c in stack)
    return sorted(bad)


# -- numbering -------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Number:
    kind: str | None
    value: int | None
    damaged: bool


def _number(sec: Section) -> _Number:
    """Kind and value of a section's heading number as the outline read it, and whether it
    is damaged (an unnumbered heading counts as damaged: it lost its number)."""
    if not sec.number:
        return _Number(None, None, True)
    return _Number(sec.number_kind, sec.number_value, sec.number_damaged)


def _sibling_groups(outline: Outline) -> list[list[Section]]:
    """Numbered headings that share a parent, in reading order (unheaded parts left out)."""
    groups: dict[str | None, list[Section]] = {}
    for s in outline.sections:
        if s.synthetic:
            continue
        groups.setdefault(s.parent, []).append(s)
    return list(groups.values())


def numbering(outline: Outline) -> list[Defect]:
    """Sibling numbers that skip, repeat, run backwards, or lost their number or punctuation."""
    out: list[Defect] = []
    for group in _sibling_groups(outline):
        nums = [_number(s) for s in group]
        kinds = [n.kind for n in nums if n.kind and not n.damaged]
        kind = max(set(kinds), key=kinds.count) if kinds else None
        if kind is None:
            continue  # an unnumbered sequence (all bare headings) has nothing to skip
        prev: int | None = None
        for sec, num in zip(group, nums, strict=False):
            expected = (prev or 0) + 1
            a, b = sec.t_start, sec.t_title_end
            title = sec.norm_title if len(sec.norm_title) <= 16 else sec.norm_title[:15] + "…"
            if num.damaged:
                want = format_number(kind, num.value or expected)
                if sec.number:
                    msg = f"序号“{sec.number}”残缺，按顺序应为“{want}”"
                else:
                    msg = f"标题“{title}”缺少序号，按顺序应为“{want}”"
                out.append(_make(outline, "numbering", a, b, msg, "warning", "damaged", sec.id))
                prev = num.value or expected
                continue
            if num.kind != kind or num.value is None:
                prev = num.value if num.value is not None else expected
                continue
            cur = format_number(kind, num.value)
            if prev is not None and num.value == prev:
                out.append(_make(outline, "numbering", a, b, f"序号重复：出现两个“{cur}”", "warning", "repeat", sec.id))
            elif num.value < expected:
                msg = f"序号顺序颠倒：“{format_number(kind, prev or 1)}”之后是“{cur}”"
                out.append(_make(outline, "numbering", a, b, msg, "warning", "order", sec.id))
            elif num.value > expected:
                missing = "、".join(f"“{format_number(kind, k)}”" for k in range(expected, num.value))
                after = f"“{format_number(kind, prev)}”之后是" if prev else "第一个序号是"
                msg = f"序号跳号：{after}“{cur}”，缺少{missing}"
                out.append(_make(outline, "numbering", a, b, msg, "warning", "skip", sec.id))
            prev = num.value
    return out


# -- empty headings -------------------------------------------------------------------------
def empty_headings(outline: Outline) -> list[Defect]:
    """Headings followed by neither body text nor sub-headings.

    A numbered line that ends with a full stop ("（一）继续推进各项工作。") is a one-sentence
    point of a list, not a heading waiting for its body.
    """
    text = outline.doc.text
    with_body = {p.section for p in outline.paragraphs}
    out: list[Defect] = []
    for s in outline.sections:
        if s.synthetic or s.children or s.id in with_body:
            continue
        if text[s.t_title_end : s.t_title_end + 1] in tuple(_SENTENCE_END.strip()):
            continue
        label = f"{s.number}{s.title}"
        msg = f"标题“{label}”下没有正文"
        out.append(_make(outline, "empty-heading", s.t_start, s.t_title_end, msg, "error", "", s.id))
    return out


# -- years ------------------------------------------------------------------------------------
def _results_spans(outline: Outline) -> list[tuple[int, int, str]]:
    """Text spans (paragraphs and heading titles) in the results part, with their section."""
    parts = {s.id: s.part for s in outline.sections}
    spans = [(p.start, p.end, p.section) for p in outline.paragraphs if parts.get(p.section) in L.RESULTS_PARTS]
    spans += [
        (s.t_title_start, s.t_title_end, s.id)
        for s in outline.sections
        if s.part in L.RESULTS_PARTS and not s.synthetic
    ]
    return sorted(spans)


def plausible_year_reference(text: str, a: int, b: int) -> bool:
    """Whether the year at text[a:b] (followed by 年) names a period or comparison, not the work year."""
    if any(m.start() <= a < m.end() for m in _TITLE.finditer(text)):
        return True
    if any(m.start() <= a < m.end() for m in _YEAR_RANGE.finditer(text)):
        return True
    if _YEAR_BEFORE_OK.search(text[max(0, a - 4) : a]):
        return True
    return bool(_YEAR_AFTER_OK.match(text[b : b + 24]))


def wrong_years(outline: Outline) -> list[Defect]:
    """Years in the results part that contradict the reporting year."""
    year = outline.doc.meta.year
    if year is None:
        return []
    text = outline.doc.text
    out: list[Defect] = []
    for start, end, sid in _results_spans(outline):
        line = text[start:end]
        for m in _YEAR.finditer(line):
            y = int(m.group("y"))
            if y == year or plausible_year_reference(line, m.start(), m.end()):
                continue
            a, b = start + m.start(), start + m.end() + 1  # include 年
            if y > year:
                msg = f"成效部分出现“{y}年”，晚于报告年度（{year}年）"
            else:
                msg = f"成效部分出现“{y}年”，与报告年度（{year}年）不一致"
            out.append(_make(outline, "year", a, b, msg, "warning", "future" if y > year else "past", sid))
    return out


# -- slogans --------------------------------------------------------------------------------
def has_substance(text: str) -> bool:
    """An action, figure, date, platform or named document: what a slogan lacks."""
    if any(any(c.isdigit() for c in m.group(0)) for m in _COUNT.finditer(text)):
        return True
    return any(rx.search(text) for rx in _SUBSTANCE)


def _is_lead_in(text: str) -> bool:
    return text.rstrip().endswith(L.LEAD_IN_ENDINGS) or len(text.strip()) < L.MIN_SLOGAN_CHARS


def slogans(outline: Outline) -> list[Defect]:
    """Leaf sections and paragraphs of the results part that report nothing concrete.

    The first paragraph of a section that goes on (more paragraphs or sub-headings) is
    an introduction and is left alone; real reports open most sections that way.
    """
    doc = outline.doc
    text = doc.text
    by_section: dict[str, list[tuple[int, int]]] = {}
    for p in outline.paragraphs:
        by_section.setdefault(p.section, []).append((p.start, p.end))
    out: list[Defect] = []
    for s in outline.sections:
        paras = by_section.get(s.id, [])
        if s.part not in L.RESULTS_PARTS or not paras:
            continue
        title = "" if s.synthetic else s.norm_title
        if not s.children and not any(has_substance(text[a:b]) for a, b in paras) and not has_substance(title):
            if not (len(paras) == 1 and _is_lead_in(text[paras[0][0] : paras[0][1]])):
                label = f"{s.number}{s.title}" if not s.synthetic else "本段"
                msg = f"“{label}”只有原则性表述，没有报告具体举措、数字、日期或文件"
                out.append(_make(outline, "slogan", s.t_start, paras[-1][1], msg, "notice", "section", s.id))
            continue
        goes_on = len(paras) > 1 or bool(s.children)
        for k, (a, b) in enumerate(paras):
            if (k == 0 and goes_on) or _is_lead_in(text[a:b]) or has_substance(text[a:b]):
                continue
            if k + 1 < len(paras) and b - a <= L.MAX_TOPIC_CHARS:
                continue  # a topic line on its own, heading the paragraph after it
            msg = "本段只有原则性表述，没有报告具体举措、数字、日期或文件"
            out.append(_make(outline, "slogan", a, b, msg, "notice", "paragraph", s.id))
    return out
