"""Page layout to reading-order text, shared by the PDF text layer and OCR.

A paged source gives positioned glyphs (a PDF's text layer) or positioned words (OCR), not
paragraphs. This module turns them into the one-paragraph-per-line text that ingest
expects: glyphs are grouped into visual lines by baseline and read left to right (PDF
content order is not reading order: a quotation mark drawn from a fallback font comes
last); repeating page headers and footers and page numbers are dropped; visual lines are
joined into paragraphs where a line runs to the right margin and the next continues in the
same style; a hyphen that only broke a Latin word at the line end is removed. What the text
alone cannot tell (is this short line a heading?) is answered from the font: size and
weight become heading hints for the outline stage.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

from ..lang import numerals as N
from ..lang import page as P
from ..lang import script as S

_CJK_RE = re.compile(f"[{S.CJK_LAYOUT}]")
_PAGE_NO_RE = re.compile(P.PAGE_NUMBER)
_DIGITS_RE = re.compile(r"\d+")
_NUMBERED_RE = N.PAGE_HEADING_RE

TAB_GAP = 1.5  # a gap wider than this many font sizes inside a line separates table cells
SPACE_GAP = 0.2  # between two Latin glyphs, a gap wider than this many font sizes is a space
SHORT_LINE = 3.0  # a line ending this many font sizes before the margin ends its paragraph (kinsoku and
# unbreakable numbers leave up to ~2.5 characters free at the end of a left-aligned line)
PARA_GAP = 1.25  # a vertical step this many times the usual line pitch starts a new paragraph
INDENT = 1.2  # a line starting this many font sizes right of the margin starts a paragraph
MIN_MARGIN_LINES = 5  # a page with fewer body lines than this takes the document's margins


@dataclass
class Glyph:
    """One character with its box, in top-down page coordinates (points or pixels)."""

    ch: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool = False
    baseline: float = 0.0


@dataclass
class Line:
    """One visual line of a page, read left to right."""

    page: int  # 0-based
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    lead: float = 0.0  # width of a Latin word or number opening the line (it could not be broken)


@dataclass
class Page:
    """The visual lines of one page, top to bottom."""

    number: int  # 0-based
    width: float
    lines: list[Line] = field(default_factory=list)


@dataclass
class Paged:
    """Text made from pages: paragraphs one per line, where each page begins, and hints."""

    text: str
    page_starts: list[int]
    headings: list[tuple[int, int]]  # (line number, level)
    title: str | None


def is_cjk(ch: str) -> bool:
    """True for CJK characters and full-width punctuation (no spaces between them)."""
    return bool(_CJK_RE.match(ch))


def group_lines(page: int, glyphs: list[Glyph]) -> list[Line]:
    """Cluster glyphs into visual lines by baseline; each line read left to right."""
    rows: list[list[Glyph]] = []
    for g in sorted(glyphs, key=lambda g: (g.baseline, g.x0)):
        if rows and abs(rows[-1][-1].baseline - g.baseline) <= 0.35 * max(g.size, rows[-1][-1].size):
            rows[-1].append(g)
        else:
            rows.append([g])
    return [_line(page, sorted(row, key=lambda g: g.x0)) for row in rows]


def _line(page: int, row: list[Glyph]) -> Line:
    size = statistics.median(g.size for g in row)
    parts: list[str] = []
    prev: Glyph | None = None
    for g in row:
        if prev is not None:
            gap = g.x0 - prev.x1
            if gap > TAB_GAP * size:
                parts.append("\t")
            elif gap > SPACE_GAP * size and not is_cjk(prev.ch) and not is_cjk(g.ch) and not prev.ch.isspace() and not g.ch.isspace():
                parts.append(" ")
        parts.append(g.ch)
        prev = g
    text = re.sub(r"[ \t]*\t[ \t]*", "\t", "".join(parts)).strip()
    bold = sum(g.bold for g in row) * 2 > len(row)
    lead = 0.0
    for g in row:
        if is_cjk(g.ch) or g.ch.isspace():
            break
        lead = g.x1 - row[0].x0
    return Line(page, text, row[0].x0, max(g.x1 for g in row), min(g.top for g in row),
                max(g.bottom for g in row), size, bold, lead)


# -- headers, footers, page numbers ------------------------------------------------------
def drop_furniture(pages: list[Page]) -> list[Page]:
    """Remove running headers/footers (the same text, digits aside, at the top or bottom of
    at least half the pages) and page numbers at the top or bottom of a page."""
    edge: Counter[str] = Counter()
    for p in pages:
        for ln in _edge_lines(p):
            edge[_shape(ln.text)] += 1
    many = max(2, (len(pages) + 1) // 2)
    running = {s for s, n in edge.items() if n >= many and len(pages) > 1}
    out: list[Page] = []
    for p in pages:
        edges = {id(ln) for ln in _edge_lines(p)}
        kept = [ln for ln in p.lines
                if id(ln) not in edges or not (_PAGE_NO_RE.fullmatch(ln.text) or _shape(ln.text) in running)]
        out.append(Page(p.number, p.width, kept))
    return out


def _edge_lines(p: Page) -> list[Line]:
    """The first two and last two lines of a page: where headers and footers sit."""
    return p.lines[:2] + p.lines[-2:] if len(p.lines) > 4 else list(p.lines)


def _shape(text: str) -> str:
    return _DIGITS_RE.sub("#", "".join(text.split()))


# -- paragraphs ----------------------------------------------------------------------------
def reflow(pages: list[Page]) -> Paged:
    """Join visual lines into paragraphs (one per output line) and note where pages begin."""
    lines = [ln for p in pages for ln in p.lines if ln.text]
    body = _body_size(lines)
    whole = _margins(Page(-1, max((p.width for p in pages), default=0.0), [ln for p in pages for ln in p.lines]), body)
    margins = {p.number: _margins(p, body, whole) for p in pages}
    pitch = _pitch(pages, body)
    paras: list[list[Line]] = []
    for ln in lines:
        if paras and _continues(paras[-1][-1], ln, margins, pitch, body):
            paras[-1].append(ln)
        else:
            paras.append([ln])
    return _assemble(paras, len(pages), body)


def _body_size(lines: list[Line]) -> float:
    """The most common font size, weighted by characters: the body text's."""
    sizes: Counter[float] = Counter()
    for ln in lines:
        sizes[round(ln.size)] += len(ln.text)
    return float(sizes.most_common(1)[0][0]) if sizes else 12.0


def _margins(p: Page, body: float, default: tuple[float, float] | None = None) -> tuple[float, float]:
    """(left, right) edges of the text column, from the body-size lines of the page; a page
    with few such lines (a closing page holding only a date) takes the document's."""
    lines = [ln for ln in p.lines if abs(ln.size - body) < 1 and len(ln.text) > 4 and "\t" not in ln.text]
    if default is not None and len(lines) < MIN_MARGIN_LINES:
        return default
    lines = lines or p.lines
    if not lines:
        return 0.0, p.width
    return min(ln.x0 for ln in lines), max(ln.x1 for ln in lines)


def _pitch(pages: list[Page], body: float) -> float:
    """The usual distance between consecutive body lines."""
    steps = [b.top - a.top for p in pages for a, b in zip(p.lines, p.lines[1:], strict=False)
             if abs(a.size - body) < 1 and abs(b.size - body) < 1 and b.top > a.top]
    return statistics.median(steps) if steps else 1.5 * body


def _continues(prev: Line, ln: Line, margins: dict[int, tuple[float, float]], pitch: float, body: float) -> bool:
    """Does ``ln`` continue the paragraph whose last line is ``prev``?"""
    if "\t" in prev.text or "\t" in ln.text or abs(prev.size - ln.size) >= 1:
        return False
    left, right = margins[prev.page]
    if prev.x1 < right - SHORT_LINE * prev.size - ln.lead:
        return False
    if prev.text.endswith(P.SENTENCE_END) and _NUMBERED_RE.match(ln.text):
        return False  # a sentence ends and the next line opens a numbered point
    if ln.page == prev.page:
        step = ln.top - prev.top
        if step <= 0 or step > PARA_GAP * max(pitch, ln.size) * max(1.0, ln.size / body):
            return False
    n_left = margins[ln.page][0]
    return not (abs(ln.size - body) < 1 and ln.x0 > n_left + INDENT * ln.size)


def join_lines(a: str, b: str) -> str:
    """Join two visual lines of one paragraph: no space in CJK text, a space between Latin
    words, and a hyphen that only broke a word is removed."""
    if not a or not b:
        return a + b
    if len(a) > 1 and a[-1] == "-" and a[-2].isalpha() and a[-2].isascii() and b[0].islower():
        word = a[:-1].split()[-1] if a[:-1].split() else ""
        return a + b if "-" in word else a[:-1] + b  # rule-of-|law keeps its compound hyphen
    if is_cjk(a[-1]) or is_cjk(b[0]) or a[-1] in "-/" or a[-1].isspace():
        return a + b
    return a + " " + b


def _assemble(paras: list[list[Line]], n_pages: int, body: float) -> Paged:
    out: list[str] = []
    starts: list[int | None] = [None] * n_pages
    pos = 0
    for para in paras:
        text = ""
        for ln in para:
            before = len(text)
            text = join_lines(text, ln.text)
            if starts[ln.page] is None:
                starts[ln.page] = pos + before + (1 if before and len(text) - before > len(ln.text) else 0)
        out.append(text)
        pos += len(text) + 1
    headings, title = _heading_hints(paras, body)
    total = max(0, pos - 1)
    fixed: list[int] = []
    for s in reversed(starts):  # a page without text begins where the next one does
        fixed.append(s if s is not None else (fixed[-1] if fixed else total))
    fixed.reverse()
    return Paged("\n".join(out), fixed, headings, title)


def _heading_hints(paras: list[list[Line]], body: float) -> tuple[list[tuple[int, int]], str | None]:
    """Short paragraphs set larger than the body, or wholly bold, are heading hints; the
    first paragraph in the largest size is the title. Levels follow size, largest first."""
    def size(p: list[Line]) -> float:
        return round(statistics.median(ln.size for ln in p))

    def candidate(p: list[Line]) -> bool:
        chars = sum(len(ln.text) for ln in p)
        return chars <= 60 and "\t" not in p[0].text and (size(p) > body + 0.5 or all(ln.bold for ln in p))

    cands = [i for i, p in enumerate(paras) if candidate(p)]
    if not cands:
        return [], None
    title_idx: int | None = None
    top = max(size(paras[i]) for i in cands)
    first = min(i for i in cands if size(paras[i]) == top)
    if top > body + 0.5 and first <= 2 and not _NUMBERED_RE.match(paras[first][0].text):
        title_idx = first
    ranks = sorted({size(paras[i]) for i in cands if i != title_idx}, reverse=True)
    hints = []
    for i in cands:
        if i == title_idx:
            continue
        hints.append((i, ranks.index(size(paras[i])) + 1))
    title = "".join(ln.text for ln in paras[title_idx]) if title_idx is not None else None
    return hints, title
