"""Normalisation with an exact character map: half-width, Simplified (OpenCC), no pinyin."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import opencc

from auditor import limits
from auditor.lang import furniture as F
from auditor.lang import header as L_HEADER
from auditor.lang import outline as L_OUTLINE
from auditor.lang import script as S

# Bounded character class and length: linear time, no backtracking blow-up.
_PINYIN_RE = re.compile(rf"(?<=[{S.CJK}])\(([A-Za-züÜ{S.TONE_VOWELS}' ]{{1,40}})\)")
_MD_HEADING_RE = re.compile(r"#{1,6}[ \t]+")

# --------------------------------------------------------------------------- normalisation


@dataclass
class TextLine:
    """One line of ``original`` after normalisation, with its character map."""

    no: int
    text: str
    offs: list[int]
    end: int  # index in ``original`` of the newline ending this line
    md_level: int = 0


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=4096)
def _map_char(ch: str) -> str:
    """Full-width ASCII to half-width, any space to " ", invisible controls to nothing."""
    o = ord(ch)
    if 0xFF01 <= o <= 0xFF5E:
        return chr(o - 0xFEE0)
    if ch == "\t":
        return " "
    cat = unicodedata.category(ch)
    if cat in ("Zs", "Zl", "Zp"):
        return " "
    if cat in ("Cc", "Cf"):
        return ""
    return ch


@lru_cache(maxsize=4096)
def _t2s_char(ch: str) -> str:
    return _t2s().convert(ch) or ch


def normalise_line(no: int, line: str, base: int, fmt: str) -> TextLine:
    """Normalise one line, keeping for each output char its index in ``original``."""
    start, md_level = 0, 0
    if fmt == "md":
        m = _MD_HEADING_RE.match(line)
        if m:
            start, md_level = m.end(), line[: m.end()].count("#")
    chars: list[str] = []
    offs: list[int] = []
    for i in range(start, len(line)):
        mapped = _map_char(line[i])
        if mapped:
            chars.append(mapped)
            offs.append(base + i)
    s = "".join(chars)
    s, offs = _drop_pinyin(s, offs)
    s, offs = _collapse_spaces(s, offs)
    s, offs = _drop_han_spaces(s, offs)
    s, offs = _to_simplified(s, offs)
    return TextLine(no, s, offs, base + len(line), md_level)


def _drop_pinyin(s: str, offs: list[int]) -> tuple[str, list[int]]:
    """Remove "(jiān)"-style annotations that follow a CJK character."""
    if "(" not in s:
        return s, offs
    spans = [m.span() for m in _PINYIN_RE.finditer(s) if any(c in S.TONE_VOWELS for c in m.group(1))]
    if not spans:
        return s, offs
    keep = [True] * len(s)
    for a, b in spans:
        keep[a:b] = [False] * (b - a)
    return "".join(c for c, k in zip(s, keep, strict=False) if k), [o for o, k in zip(offs, keep, strict=False) if k]


def _collapse_spaces(s: str, offs: list[int]) -> tuple[str, list[int]]:
    """Collapse runs of spaces to one and strip both ends."""
    out: list[str] = []
    o2: list[int] = []
    for ch, o in zip(s, offs, strict=False):
        if ch == " " and (not out or out[-1] == " "):
            continue
        out.append(ch)
        o2.append(o)
    if out and out[-1] == " ":
        out.pop()
        o2.pop()
    return "".join(out), o2


def _drop_han_spaces(s: str, offs: list[int]) -> tuple[str, list[int]]:
    """Drop the spaces of a letter-spaced line (法 治 政 府 建 设, 2 0 2 4 年), and in a line
    of sentences every space not between two Latin letters (行 政复议, 学习 《…》: a justified
    web page or a PDF's layout): Chinese puts no space between words. A line without a full
    stop keeps them — headers separate fields and joint issuers so (发布机构 区委依法治区办)."""
    if " " not in s:
        return s, offs
    runs = s.split(" ")
    spaced = len(runs) >= 6 and sum(len(r) == 1 for r in runs) >= 0.8 * len(runs)
    prose = "。" in s
    if not (spaced or prose):
        return s, offs
    keep = [ch != " " or not (spaced or (0 < i < len(s) - 1 and not (_LATIN.match(s[i - 1]) and _LATIN.match(s[i + 1]))))
            for i, ch in enumerate(s)]
    return "".join(c for c, k in zip(s, keep, strict=True) if k), [o for o, k in zip(offs, keep, strict=True) if k]


_LATIN = re.compile("[A-Za-z]")


def _to_simplified(s: str, offs: list[int]) -> tuple[str, list[int]]:
    """Traditional to Simplified; whole-line conversion when it keeps the length, else per char."""
    if s.isascii():
        return s, offs
    conv = _t2s().convert(s)
    if len(conv) == len(s):
        return conv, offs
    out: list[str] = []
    o2: list[int] = []
    for ch, o in zip(s, offs, strict=False):
        c = _t2s_char(ch)
        out.append(c)
        o2.extend([o] * len(c))
    return "".join(out), o2

# --------------------------------------------------------------------------- lines


def line_spans(text: str, start: int = 0) -> Iterator[tuple[int, int]]:
    """(start, end) of each line of ``text`` from ``start`` on, newline excluded; like
    ``str.split("\\n")`` in offsets, so empty lines are included. The one line splitter:
    ingest splits ``original`` with it, later stages ``Document.text``."""
    pos = start
    while (nl := text.find("\n", pos)) >= 0:
        yield pos, nl
        pos = nl + 1
    yield pos, len(text)


def nonblank_line_spans(text: str, start: int = 0) -> Iterator[tuple[int, int]]:
    """The spans of ``line_spans`` that hold more than white space."""
    return ((a, b) for a, b in line_spans(text, start) if text[a:b].strip())


def normalised_lines(original: str, fmt: str) -> list[TextLine]:
    """Every line of ``original`` normalised, empty ones included (line numbers stay true);
    a run-on line is cut where its line breaks were lost (``lost_breaks``)."""
    lines: list[TextLine] = []
    for no, (a, b) in enumerate(line_spans(original)):
        if no % 256 == 0:
            limits.check_time()
        for sa, sb in lost_breaks(original, a, b):
            lines.append(normalise_line(no, original[sa:sb], sa, fmt))
    return lines


_SPACE_RUN = re.compile(r"[ \t\u3000]+")
_NUMBER_END = re.compile(r"(?:第[一二三四五六七八九十]{1,3}(?:部分|章|节)|[一二三四五六七八九十]{1,3}[、.]|[(（][一二三四五六七八九十]{1,3}[)）]|\d{1,2}[、.])$")
_RUN_ON_TITLE = re.compile(L_HEADER.RUN_ON_TITLE)
_SEGMENT_END = re.compile(r"[。！？；!?;]")


def _same_length_simplified(s: str) -> str:
    """``s`` in Simplified characters when the conversion keeps every offset, else as written."""
    conv = _t2s().convert(s)
    return conv if len(conv) == len(s) else s


def _header_cuts(probe: str) -> list[int]:
    """Where a page header run into the first line is cut: before each field label and around
    each 【…】 link, up to the first full stop or comma of the body; [] for a line that does not
    open as a page header."""
    if not _HEADER_START.match(probe):
        return []
    stop = min((probe.find(c) for c in "。，," if c in probe), default=len(probe))
    cuts = {m.start() for m in _HEADER_LABEL.finditer(probe, 1, stop)}
    cuts |= {m.start() for m in re.finditer(r"【", probe[:stop])} | {m.end() for m in re.finditer(r"】", probe[:stop])}
    last = max(cuts, default=0)
    # the body starts after the last field's value: a date, a name or a count, then the text
    tail = _FIELD_VALUE.match(probe, last)
    if tail is not None:
        cuts.add(tail.end())
    return sorted(c for c in cuts if 0 < c < len(probe))


_HEADER_START = re.compile(F.RUN_ON_HEADER_START)
_HEADER_LABEL = re.compile(F.RUN_ON_HEADER_LABELS)
# a header field's value: 2024-02-27 10:12, 县司法局, 316 (up to the next space or the body)
_FIELD_VALUE = re.compile(r"[^:：]{0,8}[:：]\s*(?:\d{4}[-./年]\d{1,2}[-./月]\d{1,2}日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?|[^\s，。,]{0,12}?(?=\s)|\d+)\s*")


def lost_breaks(text: str, a: int, b: int, rest: bool = False) -> list[tuple[int, int]]:
    """A web page copied without its line breaks keeps a space where each break was: in a
    run-on line of sentences, a space after a short segment without a comma (a heading, a
    field of the page header: 首页>…, 发布时间：…, 存在的问题) ends a line. Spaces inside
    a sentence (a justified layout's 行 政复议) are left to ``_drop_han_spaces``."""
    line = text[a:b]
    if (b - a < L_OUTLINE.RUN_ON_MIN and not rest) or "。" not in line:  # rest: of a run-on line
        return [(a, b)]
    probe = _same_length_simplified(line[:160])  # the header and title read in Simplified
    head = _header_cuts(probe) if "。" not in text[:a] else []
    if head:  # header fields, each cut again at its spaces (首页>…>法治政府建设 标题 发布时间：…)
        bounds = [0, *head]
        fields = [(a + m.start() + x, a + m.end() + x) for x, y in zip(bounds, bounds[1:], strict=False)
                  for m in re.finditer(r"\S+", line[x:y])]
        return fields + lost_breaks(text, a + head[-1], b, rest=True)
    title = _RUN_ON_TITLE.match(probe) if "。" not in text[:a] else None  # only before the body
    if title and title.end() < len(line):
        # the report's title run into its first sentence: the title is a line of its own
        after = title.end() + len(line[title.end():]) - len(line[title.end():].lstrip())
        return [(a, a + title.end()), *lost_breaks(text, a + after, b, rest=True)]
    cuts: list[tuple[int, int]] = []
    seg = 0  # where the current segment starts: line start, a sentence end or a cut
    for m in _SPACE_RUN.finditer(line):
        ends = [e.end() for e in _SEGMENT_END.finditer(line, seg, m.start())]
        seg = ends[-1] if ends else seg
        piece = line[seg : m.start()]
        if 1 < len(piece) <= L_OUTLINE.MAX_BARE_HEADING and not any(c in piece for c in ",，") \
                and m.end() < len(line) and not (piece[-1:].isascii() and line[m.end()].isascii()) \
                and not _NUMBER_END.search(piece):  # 第一部分 主要做法: a number and its title
            if seg > 0 and (not cuts or cuts[-1][1] < seg):
                cuts.append((seg, seg))  # the heading's own line begins after the sentence end
            cuts.append((m.start(), m.end()))
            seg = m.end()
    if sum(1 for x, y in cuts if y > x) < 2:
        return [(a, b)]
    spans: list[tuple[int, int]] = []
    pos = 0
    for s0, s1 in cuts:
        spans.append((a + pos, a + s0))
        pos = s1
    spans.append((a + pos, b))
    return [(x, y) for x, y in spans if y > x]


def assemble(kept: list[TextLine], orig_len: int) -> tuple[str, list[int], list[int]]:
    """Join kept lines with "\\n"; each "\\n" maps to the newline ending the previous line."""
    parts: list[str] = []
    offsets: list[int] = []
    starts: list[int] = []
    pos = 0
    for i, ln in enumerate(kept):
        if i:
            parts.append("\n")
            offsets.append(kept[i - 1].end)
            pos += 1
        starts.append(pos)
        parts.append(ln.text)
        offsets.extend(ln.offs)
        pos += len(ln.text)
    offsets.append(orig_len)
    return "".join(parts), offsets, starts
