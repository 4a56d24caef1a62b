"""The self-review inside the author's own Word file: real comments (批注) at the text concerned.

Authors work in Word, so the review comes back as their document with Word comments and
nothing else changed: the runs that a comment starts or ends inside are split in two (same
formatting), and comment markers plus the comments part are added; styles, numbering,
tables, headers and existing comments are left as they are. Each point of the review is
anchored where it belongs: a slogan, a plan-only mention, a placeholder or a numbering
defect at its place; a checklist gap at its first piece of evidence; a gap with no place
(nothing written yet) at the heading of the results part, and a missing report part at the
title. The document's lines are mapped to Word paragraphs by the same walk as ingest's
.docx extraction, so an offset into ``Document.original`` finds its paragraph and column.
"""

from __future__ import annotations

import copy
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from .errors import InputError, UsageError
from .model import Document, Report
from .review import Point, Review

AUTHOR = "auditor 自查"
INITIALS = "自查"
MAX_GROUPED = 30  # recommended items listed in one comment at most


@dataclass
class LineTarget:
    """Where one line of ``Document.original`` lives in Word: a paragraph and the offset of the
    line's first character in its text; for a table row, one paragraph per cell."""

    paragraphs: list[Paragraph]
    offset: int = 0
    cells: bool = False


@dataclass
class Note:
    """One comment to add: the span of ``Document.original`` it is anchored at, and its text."""

    start: int
    end: int
    lines: list[str]


def check_request(path: str, output: str | None) -> None:
    """A commented draft needs a .docx draft (its own file comes back) and an output file."""
    if Path(path).suffix.lower() != ".docx":
        raise UsageError("A301", path, detail="批注版自查结果只能为 .docx 文稿生成（可先在 Word 或 WPS 中另存为 .docx）")
    if not output:
        raise UsageError("A301", detail="批注版自查结果（--format docx）需要用 --output 指定输出文件")


def commented_file(path: str, review: Review, report: Report) -> bytes:
    """``commented_docx`` for a draft on disk: the file must still be the one that was checked."""
    from . import limits
    from .ingest import _read_bytes

    raw = _read_bytes(Path(path), path, limits.current().max_bytes)
    if hashlib.sha256(raw).hexdigest() != report.doc.sha256:
        raise InputError("A101", path, detail="文件在审核过程中被修改，请重新运行")
    return commented_docx(raw, review, report)


def commented_docx(raw: bytes, review: Review, report: Report) -> bytes:
    """The author's .docx with one Word comment per review point; everything else unchanged."""
    doc = report.doc
    document = docx.Document(io.BytesIO(raw))
    targets = line_targets(document)
    if len(targets) != doc.original.count("\n") + 1:
        raise InputError("A107", doc.path, detail="无法将自查结果对应到 Word 段落")
    for note in notes(review, report):
        runs = _anchor_runs(doc, targets, note.start, note.end)
        if not runs:
            continue
        comment = document.add_comment(runs, text=note.lines[0], author=AUTHOR, initials=INITIALS)
        for line in note.lines[1:]:
            comment.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# -- where each line of the text is in Word ------------------------------------------------------
def line_targets(document) -> list[LineTarget]:
    """One target per line of the text ingest extracts (the same walk as ``extract_docx``)."""
    from .ingest import _docx_blocks

    out: list[LineTarget] = []
    for el in _docx_blocks(document.element.body):
        if el.tag == qn("w:tbl"):
            out.extend(_row_targets(Table(el, document)))
            continue
        para = Paragraph(el, document)
        pos = 0
        for seg in para.text.split("\n"):
            if seg.strip():
                out.append(LineTarget([para], pos + len(seg) - len(seg.lstrip())))
            pos += len(seg) + 1
    return out


def _row_targets(table: Table) -> Iterator[LineTarget]:
    for row in table.rows:
        seen: set[int] = set()
        cells = []
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            if cell.text.strip():
                cells.append(next(p for p in cell.paragraphs if p.text.strip()))
        if cells:
            yield LineTarget(cells, 0, cells=True)


# -- what to say, and where ----------------------------------------------------------------------
def notes(review: Review, report: Report) -> list[Note]:
    """One note per located point at its first span; unlocated gaps at their heading."""
    doc = report.doc
    title = _line_span(doc, 0)
    results = _results_heading(report) or title
    out: list[Note] = []
    grouped: list[Point] = []
    for step in review.steps:
        for p in step.points:
            if p.spans:
                a, b = p.spans[0]  # the strongest evidence comes first
                out.append(Note(a, b, _text(p)))
            elif step.key == "parts":
                out.append(Note(*title, _text(p)))
            elif step.key == "recommended":
                grouped.append(p)
            else:
                out.append(Note(*results, _text(p)))
    if grouped:
        lines = [f"以下{len(grouped)}项建议项报告中还没有写到，可视情况补充："]
        lines += [f"{p.number}. {p.title}：{p.suggestion}" for p in grouped[:MAX_GROUPED]]
        if len(grouped) > MAX_GROUPED:
            lines.append(f"另有{len(grouped) - MAX_GROUPED}项，见自查结果。")
        out.append(Note(*results, lines))
    return out


def _text(p: Point) -> list[str]:
    return [f"{p.number}. {p.title}（{p.badge}）", f"问题：{p.problem}", f"建议：{p.suggestion}"]


def _line_span(doc: Document, line: int) -> tuple[int, int]:
    starts = [0] + [i + 1 for i, ch in enumerate(doc.original) if ch == "\n"]
    a = starts[line]
    b = starts[line + 1] - 1 if line + 1 < len(starts) else len(doc.original)
    return a, b


def _results_heading(report: Report) -> tuple[int, int] | None:
    """The heading line of the results part (where content items belong), as original offsets."""
    doc = report.doc
    for s in report.outline.sections:
        if s.part == "measures-and-results" and not s.synthetic and s.t_title_end > s.t_title_start:
            a, _ = doc.orig_span(s.t_title_start, s.t_title_end)
            return _line_span(doc, doc.line_number(a) - 1)  # the whole heading line, number included
    return None


# -- anchoring on runs ---------------------------------------------------------------------------
def _anchor_runs(doc: Document, targets: list[LineTarget], start: int, end: int) -> list[Run]:
    """The runs covering [start, end) of the original text, split where needed (one line)."""
    line = doc.line_number(start) - 1
    line_start = doc.original.rfind("\n", 0, start) + 1
    line_end = doc.original.find("\n", start)
    end = min(end, len(doc.original) if line_end == -1 else line_end)
    target = targets[line]
    if target.cells:
        cell = doc.original[line_start:start].count("\t")
        para = target.paragraphs[min(cell, len(target.paragraphs) - 1)]
        return _runs(para)
    para = target.paragraphs[0]
    a = target.offset + (start - line_start)
    b = max(a + 1, target.offset + (end - line_start))
    return _runs_between(para, a, b)


def _runs(para: Paragraph) -> list[Run]:
    return [run for run, _, _ in _pieces(para)]


def _pieces(para: Paragraph) -> list[tuple[Run, int, int]]:
    """(run, start, end) in ``para.text`` coordinates, hyperlinks' runs included."""
    out: list[tuple[Run, int, int]] = []
    pos = 0
    for item in para.iter_inner_content():
        for run in item.runs if hasattr(item, "runs") else [item]:
            n = len(run.text)
            out.append((run, pos, pos + n))
            pos += n
    return out


def _runs_between(para: Paragraph, a: int, b: int) -> list[Run]:
    """The runs of ``para`` covering [a, b), splitting a plain-text run at a or b."""
    for cut in (a, b):
        for run, s, e in _pieces(para):
            if s < cut < e and _simple(run):
                _split(run, cut - s)
                break
    runs = [run for run, s, e in _pieces(para) if s < b and e > a]
    return runs or _runs(para)


def _simple(run: Run) -> bool:
    """A run holding only its properties and one text element: safe to cut in two."""
    kids = [k.tag for k in run._r]
    return kids.count(qn("w:t")) == 1 and set(kids) <= {qn("w:rPr"), qn("w:t")}


def _split(run: Run, k: int) -> None:
    """Cut a simple run after ``k`` characters into two runs with the same properties."""
    r = run._r
    right = copy.deepcopy(r)
    left_t, right_t = r.find(qn("w:t")), right.find(qn("w:t"))
    text = left_t.text or ""
    left_t.text, right_t.text = text[:k], text[k:]
    for t in (left_t, right_t):
        if t.text != t.text.strip():
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    r.addnext(right)
