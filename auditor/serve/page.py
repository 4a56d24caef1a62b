"""The page: what the result shows of a checked draft (the highlighted draft, the checklist
panel, the marking form, downloads), the page itself, and the marks as an overrides file.

Also where a draft is checked for the page and the API (``check_draft``): under a
process-wide lock when there is no worker pool, within the server's limits.
"""

from __future__ import annotations

import base64
import threading
from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import Any

from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.requests import Request

from .. import __version__, limits
from ..audit import Audit, audit_draft
from ..cli_options import KINDS
from ..errors import AuditorError, InputError
from ..lang.labels import LEVEL_LABELS
from ..level import Level
from ..limits import human_size
from ..model import Report
from .forms import Draft, display_name, input_error
from .settings import RequestError, Settings
from .starlette_forms import parse_fields

ITEM_BASE = 100_000  # highlight numbers of checklist evidence, above the review's points
KIND_LABELS = LEVEL_LABELS  # the page's level choices, named as everywhere else
# Converted through LibreOffice, which needs the file on disk: the page writes nothing, so
# these are refused with the way out (save as .docx, or use the command line).
_DISK_FORMATS = (".doc", ".wps")
_LOCK = threading.Lock()


def check_draft(draft: Draft, settings: Settings, cancel: limits.Cancel | None = None) -> Audit:
    """Check one draft; input errors become ``RequestError`` with the CLI's message. Setting
    ``cancel`` (the client went away) stops the analysis at its next time check."""
    lists = [settings.by_id()[i] for i in draft.checklist_ids]
    suffix = PurePosixPath(draft.name).suffix.lower()
    if suffix in _DISK_FORMATS:
        raise input_error(InputError("A112", draft.name, detail=suffix))
    try:
        with _LOCK, limits.use(settings.limits), limits.cancellable(cancel):
            return audit_draft(draft.name, lists, draft.kind, draft.overrides, raw=draft.raw)
    except InputError as exc:
        raise input_error(exc) from None


def page_view(audit: Audit, draft: Draft) -> dict[str, Any]:
    """Everything the result part of the page shows, as plain values."""
    from ..memo import build_memo, render_memo
    from ..render import render_report
    from ..review import build_review, review_marks, review_view, segment_views

    review = build_review(audit.report, audit.defects)
    view = review_view(review)
    points = {p.number: p for s in review.steps for p in s.points}
    kinds = {n: ("item-" + p.status if p.kind == "item" else p.kind) for n, p in points.items()}
    titles = {n: f"{n}. {p.title}" for n, p in points.items()}
    marks = list(review_marks(review))
    panel = _item_panel(audit.report, {p.item_id: n for n, p in points.items() if p.item_id})
    for row in (r for cl in panel for r in cl["rows"]):
        n = ITEM_BASE + row["index"]
        kinds[n], titles[n] = f"ev-{row['status']}", f"{row['mark']} {row['title']}"
        marks.extend((a, b, n, k == 0) for k, (a, b) in enumerate(sorted(row.pop("spans"))))
    view["segments"] = segment_views(
        review.original, marks, kinds, titles,
        anchor=lambda n: f"i{n - ITEM_BASE}" if n >= ITEM_BASE else f"p{n}",
        backlinks=lambda n: n < ITEM_BASE,
    )
    memo = render_memo(build_memo(audit.report, audit.defects, audit.report.level), "docx")
    assert isinstance(memo, bytes)  # a .docx is bytes
    stem = PurePosixPath(draft.name).stem
    view.update(
        panel=panel,
        kind_label=Level(audit.report.level, audit.report.level_from).label,
        marking=marking_view(audit.report, draft.name),
        downloads=[
            _download(f"审核意见-{stem}.docx", memo, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            _download(f"差距报告-{stem}.html", render_report(audit.report, "html").encode("utf-8"), "text/html"),
            *_commented_draft(draft, review, audit.report, stem),
        ],
    )
    return view


def _commented_draft(draft: Draft, review, report: Report, stem: str) -> list[dict[str, str]]:
    """For an uploaded .docx: the author's own document with the review as Word comments."""
    if PurePosixPath(draft.name).suffix.lower() != ".docx":
        return []
    from ..review_docx import commented_docx

    try:
        data = commented_docx(draft.raw, review, report)
    except InputError:  # the draft could not be mapped back to its paragraphs: no download
        return []
    return [_download(f"{stem}-审核.docx", data, "application/vnd.openxmlformats-officedocument.wordprocessingml.document")]


def _item_panel(report: Report, point_of: dict[str, int]) -> list[dict[str, Any]]:
    """Per checklist, every item with its status, where its evidence is, and its advice."""
    from ..lang.memo import MARKS
    from ..render import SEVERITY_LABELS, STATUS_LABELS

    panel, index = [], 0
    for cl in report.checklists:
        rows = []
        for f in cl.findings:
            spans = [(e.start, e.end) for e in f.evidence if e.end > e.start]
            target = f"#i{index}" if spans else (f"#d{point_of[f.item_id]}" if f.item_id in point_of else "")
            rows.append({"index": index, "id": f.item_id, "title": f.title, "status": f.status,
                         "status_label": ("人工复核：" if f.override else "") + STATUS_LABELS[f.status],
                         "mark": MARKS.get(f.status, "•"),
                         "severity_label": SEVERITY_LABELS.get(f.severity, f.severity),
                         "reason": f.reason, "target": target, "spans": spans})
            index += 1
        counts = {s: sum(1 for r in rows if r["status"] == s) for s in ("missing", "partial", "covered")}
        panel.append({"id": cl.id, "title": cl.title, "rows": rows, "counts": counts})
    return panel


MARK_CHOICES = (("", "不改"), ("confirm", "确认自动判定"), ("covered", "改为已覆盖"), ("partial", "改为部分覆盖"),
                ("missing", "改为缺失"), ("not-applicable", "不适用"))


def marking_view(report: Report, name: str) -> dict[str, Any]:
    """The marking form (人工复核): every item with its automatic verdict and any decision."""
    from ..render import STATUS_LABELS

    rows = []
    for cl in report.checklists:
        for f in cl.findings:
            o = f.override
            chosen = "" if o is None else ("confirm" if o.status == f.auto_status else o.status)
            rows.append({"id": f.item_id, "title": f.title, "auto": STATUS_LABELS[f.auto_status or f.status],
                         "auto_status": f.auto_status or f.status,
                         "chosen": chosen, "note": o.note if o else ""})
    by = next((f.override.by for c in report.checklists for f in c.findings if f.override and f.override.by), "")
    return {"sha256": report.doc.sha256, "file": name, "rows": rows, "by": by,
            "choices": [{"value": v, "label": label} for v, label in MARK_CHOICES]}


async def overrides_download(request: Request, settings: Settings) -> Response:
    """The marks of the page as an overrides file: one entry for the draft, by its sha256."""
    import datetime as dt
    from urllib.parse import quote

    from ..model import Override
    from ..overrides import Entry, dump, loads

    form = await parse_fields(request, max_fields=4 * len(settings.item_ids()) + 16, max_part=64_000)
    sha, name = str(form.get("sha256") or ""), display_name(str(form.get("file") or ""))
    by, today = str(form.get("by") or "").strip()[:40], dt.date.today().isoformat()
    auto = {k[5:]: str(v) for k, v in form.multi_items() if k.startswith("auto.")}
    items: dict[str, Override] = {}
    for key, value in form.multi_items():
        if not key.startswith("mark.") or not value:
            continue
        item_id, status = key[5:], str(value)
        if status == "confirm":
            status = auto.get(item_id, "")
        if status not in ("covered", "partial", "missing", "not-applicable"):
            raise RequestError(422, "A416", detail=item_id)
        note = str(form.get(f"note.{item_id}") or "").strip()[:500]
        items[item_id] = Override(status, note, by, today)
    if not items:
        raise RequestError(422, "A417")
    text = dump([Entry(name, sha, items)])
    try:
        loads(text, name, settings.item_ids())  # the file offered must load back as it is
    except AuditorError as exc:
        raise RequestError.of(422, exc) from None
    stem = PurePosixPath(name).stem or "文稿"
    disposition = f"attachment; filename*=UTF-8''{quote(f'人工复核-{stem}.yaml')}"
    return Response(text.encode("utf-8"), media_type="application/x-yaml; charset=utf-8",
                    headers={"Content-Disposition": disposition})


def _download(name: str, data: bytes, mime: str) -> dict[str, str]:
    """A ``data:`` link: the file travels inside the page, nothing stays on the server."""
    return {"name": name, "href": f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}",
            "size": human_size(len(data))}


def render_page(settings: Settings, draft: Draft | None = None, result: dict[str, Any] | None = None,
                error: str | None = None) -> str:
    """The whole page: form, then the error or the result."""
    from ..render import render_template

    chosen = set(draft.checklist_ids) if draft else {c.id for c in settings.checklists}
    return render_template(
        "serve.html.j2",
        version=__version__,
        checklists=[{"id": c.id, "title": c.title, "count": len(c.items), "checked": c.id in chosen}
                    for c in settings.checklists],
        kinds=[{"id": k, "label": KIND_LABELS[k], "selected": draft is not None and draft.kind == k} for k in KINDS],
        max_upload=human_size(settings.max_upload),
        draft_name=draft.name if draft else "",
        pasted=draft.pasted if draft else "",
        error=error,
        r=result,
    )



def error_response(settings: Settings, path: str, status: int, code: str, message: str,
                   headers: Mapping[str, str] | None = None) -> Response:
    """JSON ``{"error", "code"}`` for the API, the page with the reason for everything else."""
    if path.startswith("/api/") or path == "/openapi.json":
        return JSONResponse({"error": message, "code": code}, status_code=status, headers=headers)
    return HTMLResponse(render_page(settings, error=message), status_code=status, headers=headers)
