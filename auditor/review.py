"""Self-review (自查) for the author of a draft: what to fix, in the order to fix it.

Built from the same ``Report`` and draft defects as the memo, but written for the author
and ordered by urgency: missing report parts first (a report without them is returned),
then required content, then draft defects (placeholders, stray years, unpaired marks,
numbering), then slogans, and last the recommended items. Every point that has a place
in the text carries its offsets into ``Document.original``, so the HTML view can show
the draft with each point highlighted where it occurs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .defects import Defect
from .lang import defects as LD
from .lang import memo as L
from .lang.numerals import cn_numeral
from .model import Finding, Report
from .render import SEVERITY_LABELS, STATUS_LABELS
from .view import location, order_findings, override_sentence, overrides_sentence

MAX_QUOTE_CHARS = 120
STEP_ORDER = ("parts", "required", "defects", "slogans", "recommended")
_DEFECT_RANK = {"error": 0, "warning": 1, "notice": 2}


@dataclass
class Point:
    """One thing for the author to do, with where it is (if it is anywhere)."""

    number: int
    step: str
    kind: str  # "item" for checklist items; otherwise a defect kind
    title: str
    badge: str
    problem: str
    suggestion: str
    where: str = ""
    quote: str = ""
    spans: list[tuple[int, int]] = field(default_factory=list)  # Document.original offsets
    item_id: str = ""
    status: str = ""

    @property
    def anchor(self) -> str:
        """Id of the point's first highlight in the HTML view."""
        return f"p{self.number}"


@dataclass
class Step:
    """A group of points the author works through together."""

    key: str
    title: str
    intro: str
    points: list[Point]


@dataclass
class Row:
    """One checklist item with its mark, for the checklist overview."""

    mark: str
    status: str
    item_id: str
    title: str
    severity: str
    suggestion: str


@dataclass
class Review:
    """The whole self-review of one draft."""

    title: str
    file_name: str
    summary: str
    steps: list[Step]
    checklists: list[tuple[str, str, str, list[Row]]]  # (id, title, version, rows)
    original: str
    exit_status: int


# -- points -------------------------------------------------------------------------------
def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_QUOTE_CHARS else text[: MAX_QUOTE_CHARS - 1] + "…"


def item_point(f: Finding, report: Report, step: str) -> Point:
    """A checklist gap: what the draft says (or that it says nothing), and what to add."""
    doc = report.doc
    problem = "全文还没有写到这方面的内容。" if f.status == "missing" or not f.evidence else f"{f.reason}。"
    problem += override_sentence(f)
    ev = f.evidence[0] if f.evidence else None
    return Point(
        number=0,
        step=step,
        kind="item",
        title=f.title,
        badge=f"{SEVERITY_LABELS.get(f.severity, f.severity)}，{STATUS_LABELS.get(f.status, f.status)}",
        problem=problem,
        suggestion=f.advice or f.requirement,
        where=location(doc, ev.path, ev.start) if ev else "",
        quote=_short(ev.quote) if ev else "",
        spans=[(e.start, e.end) for e in f.evidence if e.end > e.start],
        item_id=f.item_id,
        status=f.status,
    )


def defect_point(d: Defect, report: Report, step: str) -> Point:
    """A draft defect at its place in the text."""
    return Point(
        number=0,
        step=step,
        kind=d.kind,
        title=LD.KIND_LABELS[d.kind],
        badge=LD.SEVERITY_LABELS[d.severity],
        problem=d.message + "。",
        suggestion=LD.KIND_ADVICE[d.kind],
        where=location(report.doc, d.path, d.start),
        quote=_short(d.context or d.quote),
        spans=[(d.start, d.end)] if d.end > d.start else [],
    )


def plan_steps(report: Report, defects: Sequence[Defect]) -> list[Step]:
    """The points grouped into steps, most urgent first; empty steps are left out."""
    findings = order_findings([f for c in report.checklists for f in c.findings])
    buckets: dict[str, list[Point]] = {k: [] for k in STEP_ORDER}
    for f in findings:
        if f.severity != "required":
            buckets["recommended"].append(item_point(f, report, "recommended"))
        elif f.is_part:
            buckets["parts"].append(item_point(f, report, "parts"))
        else:
            buckets["required"].append(item_point(f, report, "required"))
    ordered = sorted(defects, key=lambda d: (_DEFECT_RANK[d.severity], d.start))
    for d in ordered:
        key = "slogans" if d.kind == "slogan" else "defects"
        buckets[key].append(defect_point(d, report, key))
    steps, n = [], 0
    for key in STEP_ORDER:
        if not buckets[key]:
            continue
        for p in buckets[key]:
            n += 1
            p.number = n
        title, intro = L.REVIEW_STEPS[key]
        steps.append(Step(key, title, intro, buckets[key]))
    return steps


def _rows(report: Report) -> list[tuple[str, str, str, list[Row]]]:
    out = []
    for c in report.checklists:
        rows = [
            Row(L.MARKS[f.status], f.status, f.item_id, f.title, f.severity, f.advice if f.is_open else "")
            for f in c.findings
        ]
        out.append((c.id, c.title, c.version, rows))
    return out


def _summary(report: Report, defects: Sequence[Defect]) -> str:
    findings = [f for c in report.checklists for f in c.findings]
    n = {s: sum(f.status == s for f in findings) for s in ("covered", "partial", "missing")}
    gaps = len(report.required_gaps())
    slogans = sum(d.kind == "slogan" for d in defects)
    others = len(defects) - slogans
    skipped = sum(f.status == "not-applicable" for f in findings)
    text = f"对照检查清单共{len(findings) - skipped}项：已写到{n['covered']}项，写得不够具体{n['partial']}项，还没写{n['missing']}项。"
    text += f"另有{skipped}项对本报告不适用。" if skipped else ""
    text += "".join(report.notes) + overrides_sentence(findings)
    if report.level_from is not None:
        from .level import Level

        text = f"报告主体层级：{Level(report.level, report.level_from).label}。" + text
    text += f"其中必备项还有{gaps}项需要补充。" if gaps else "必备项都已写到。"
    if others or slogans:
        text += f"另外发现文稿问题{others}处、空泛表述{slogans}处。"
    else:
        text += "没有发现占位符、错年份、标点或序号等文稿问题。"
    text += "建议按下面的顺序逐项修改。" if gaps or defects else ""
    return text


def _ocr_note(report: Report) -> str:
    """Recognised (OCR) text is marked in every output, with the engine's confidence."""
    from .render import ocr_label

    note = ocr_label(report.doc)
    return f"注意：{note}。" if note else ""


def build_review(report: Report, defects: Sequence[Defect] = ()) -> Review:
    """The self-review of one checked draft."""
    from .pipeline import exit_status

    doc = report.doc
    return Review(
        title=" ".join(doc.meta.title.split()) if doc.meta.title else Path(doc.path).name,
        file_name=Path(doc.path).name,
        summary=_summary(report, defects) + _ocr_note(report),
        steps=plan_steps(report, defects),
        checklists=_rows(report),
        original=doc.original,
        exit_status=exit_status([report]),
    )


# -- highlighting ---------------------------------------------------------------------------
@dataclass
class Segment:
    """A run of the original text and the points covering it."""

    text: str
    points: list[int]  # numbers of the points highlighting this run
    anchors: list[str]  # anchors that start here
    ends: list[int]  # points whose last highlight ends here (a back-link follows)


def highlight(
    original: str, marks: Sequence[tuple[int, int, int, bool]], anchor: Callable[[int], str] = "p{}".format
) -> list[Segment]:
    """Cut ``original`` at every mark boundary. ``marks`` are (start, end, number, first);
    ``anchor`` names the element id where a number's first span starts."""
    marks = [(max(0, a), min(len(original), b), n, first) for a, b, n, first in marks if b > a]
    cuts = sorted({0, len(original), *(a for a, _, _, _ in marks), *(b for _, b, _, _ in marks)})
    last_end = {n: max(b for _, b, m, _ in marks if m == n) for _, _, n, _ in marks}
    out: list[Segment] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        covering = sorted({n for s, e, n, _ in marks if s <= a and b <= e})
        anchors = [anchor(n) for s, _, n, first in sorted(marks) if first and s == a]
        ends = sorted({n for _, e, n, _ in marks if e == b and last_end[n] == b})
        out.append(Segment(original[a:b], covering, list(dict.fromkeys(anchors)), ends))
    return out


def review_marks(review: Review) -> list[tuple[int, int, int, bool]]:
    """(start, end, point number, is-first-span) for every located point."""
    out = []
    for step in review.steps:
        for p in step.points:
            for k, (a, b) in enumerate(sorted(p.spans)):
                out.append((a, b, p.number, k == 0))
    return out


# -- view model -------------------------------------------------------------------------------
def _point_view(p: Point) -> dict[str, Any]:
    return {
        "number": p.number,
        "anchor": p.anchor,
        "kind": p.kind,
        "title": p.title,
        "badge": p.badge,
        "problem": p.problem,
        "suggestion": p.suggestion,
        "where": p.where,
        "quote": p.quote,
        "located": bool(p.spans),
        "mark": L.MARKS.get(p.status, "•"),
    }


def review_view(review: Review, with_text: bool = False) -> dict[str, Any]:
    """The narrow view the review templates receive; ``with_text`` adds the highlighted draft."""
    kinds = {p.number: ("item-" + p.status if p.kind == "item" else p.kind) for s in review.steps for p in s.points}
    titles = {p.number: f"{p.number}. {p.title}" for s in review.steps for p in s.points}
    view: dict[str, Any] = {
        "title": review.title,
        "file_name": review.file_name,
        "summary": review.summary,
        "steps": [
            {
                "key": s.key,
                "label": f"第{cn_numeral(k + 1)}步",
                "title": s.title,
                "intro": s.intro,
                "points": [_point_view(p) for p in s.points],
            }
            for k, s in enumerate(review.steps)
        ],
        "checklists": [
            {
                "id": cid,
                "title": title,
                "version": version,
                "rows": [
                    {
                        "mark": r.mark,
                        "status": r.status,
                        "status_label": STATUS_LABELS[r.status],
                        "id": r.item_id,
                        "title": r.title,
                        "severity_label": SEVERITY_LABELS.get(r.severity, r.severity),
                        "suggestion": r.suggestion,
                    }
                    for r in rows
                ],
            }
            for cid, title, version, rows in review.checklists
        ],
        "legend": dict(L.MARKS),
    }
    if with_text:
        view["segments"] = segment_views(review.original, review_marks(review), kinds, titles)
    return view


def segment_views(
    original: str,
    marks: Sequence[tuple[int, int, int, bool]],
    kinds: dict[int, str],
    titles: dict[int, str],
    anchor: Callable[[int], str] = "p{}".format,
    backlinks: Callable[[int], bool] = lambda n: True,
) -> list[dict[str, Any]]:
    """The highlighted draft for a template: text runs with classes, tooltips and anchors.

    ``kinds`` gives each mark number its CSS kind (``k-<kind>``); ``backlinks`` says which
    numbers get a superscript link to their suggestion after their last span.
    """
    return [
        {
            "text": s.text,
            "classes": " ".join(sorted({"hl", *(f"k-{kinds[n]}" for n in s.points)})) if s.points else "",
            "title": "；".join(titles[n] for n in s.points),
            "anchors": s.anchors,
            "ends": [n for n in s.ends if backlinks(n)],
        }
        for s in highlight(original, marks, anchor)
    ]


REVIEW_FORMATS = ("text", "md", "html")
_TEMPLATES = {"text": "review.txt.j2", "md": "review.md.j2", "html": "review.html.j2"}


def render_review(review: Review, fmt: str) -> str:
    """The self-review as plain text, Markdown, or a self-contained HTML page."""
    from .render import render_template

    return render_template(_TEMPLATES[fmt], r=review_view(review, with_text=fmt == "html"))
