"""The local web page where a report author checks a draft (``auditor serve``).

A FastAPI application served by uvicorn on loopback. The pipeline (the segmenter and the
checklists) is loaded once when the app is created; each request reads the draft from the
upload in memory (``ingest.load_bytes``), checks it — in one of a few worker processes
(``auditor.serve_pool``, what ``auditor serve`` uses), or in a thread under a process-wide
lock when the app has no pool (tests, library callers) — and answers with:

- ``GET /`` and ``POST /``: the page, in Simplified Chinese: the form, then the draft with
  every finding highlighted in place, the checklist panel (covered / partial / missing)
  linking to the evidence, the suggestions, the draft defects, and download links for the
  audit memo (.docx) and the gap report (.html) of the same draft. The page has no script
  at all; downloads are ``data:`` links, so nothing about the draft is kept after the answer.
- ``POST /api/check``: exactly the JSON of ``auditor check --format json``.
- ``GET /api/checklists``; ``GET /openapi.json``.

Nothing leaves the machine: no external resources, no request log, no files written (the
form parser keeps uploads in memory instead of spooling them to a temporary file), and
bodies beyond the upload limit are refused while they arrive. Every failure is one Chinese
line (JSON ``{"error", "code"}`` under ``/api/``, the page otherwise); an unexpected one is
logged as its type and place only, since its message may quote the draft.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import threading
import traceback
import unicodedata
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping, Sequence
from contextlib import aclosing
from dataclasses import dataclass, field, replace
from pathlib import PurePosixPath
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from python_multipart.multipart import parse_options_header
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import FormParser, MultiPartException, MultiPartParser
from starlette.requests import ClientDisconnect

from . import __version__, limits, pipeline
from .checklist import Checklist
from .cli_options import KINDS
from .errors import AuditorError, InputError
from .limits import Limits, human_size
from .level import Level
from .model import Report
from .overrides import Overrides

PASTE_NAME = "粘贴的文稿.txt"
MAX_NAME_CHARS = 120
FORM_OVERHEAD = 256_000  # multipart headers and the small fields besides the file
ITEM_BASE = 100_000  # highlight numbers of checklist evidence, above the review's points
KIND_LABELS = {"province": "省级政府", "city": "市级政府", "county": "县级政府",
               "township": "乡镇（街道）", "department": "政府部门"}
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
_STATUS = {"A103": 415, "A104": 415, "A105": 413, "A110": 408, "A111": 501, "A112": 415}
# Converted through LibreOffice, which needs the file on disk: the page writes nothing, so
# these are refused with the way out (save as .docx, or use the command line).
_DISK_FORMATS = (".doc", ".wps")
_HTTP_REASONS = {404: "地址不存在", 405: "该地址不支持这种请求方式"}
LOG = logging.getLogger("auditor.serve")
_LOCK = threading.Lock()


class RequestError(Exception):
    """A bad request with a one-line Chinese message (shown on the page or in the JSON)."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


class BodyStalled(Exception):
    """The client stopped sending the body (a slow or idle connection)."""


class ServerBusy(Exception):
    """The uploads in flight already hold as many bytes as the server allows."""


class BodyTooLarge(Exception):
    """Raised while the request body arrives, once it passes the limit."""


@dataclass(frozen=True)
class Settings:
    """What one server offers: the checklists to pick from and the limits."""

    checklists: tuple[Checklist, ...]
    limits: Limits
    max_upload: int
    overrides: Overrides | None = None  # ``auditor serve --overrides FILE``

    def item_ids(self) -> set[str]:
        """Every item id of the offered checklists (what an overrides file may name)."""
        return {i.id for c in self.checklists for i in c.items}

    def by_id(self) -> dict[str, Checklist]:
        """The checklists keyed by id."""
        return {c.id: c for c in self.checklists}


@dataclass
class Draft:
    """One submitted draft: its bytes, the name it is shown under, and the choices."""

    raw: bytes
    name: str
    checklist_ids: list[str]
    kind: str | None
    pasted: str = ""  # the pasted text, put back in the text box with the answer
    overrides: Overrides | None = None  # an uploaded overrides file (人工复核), else the server's


@dataclass
class Audit:
    """A checked draft and what the page and the API need of it."""

    report: Report
    defects: list = field(default_factory=list)


# -- reading a request -------------------------------------------------------------------
def display_name(filename: str) -> str:
    """The client's file name reduced to a safe label: base name only, no controls, bounded.

    It is only ever shown (escaped) and used to pick the format by suffix; no path on
    this machine is ever built from it.
    """
    base = PurePosixPath(filename.replace("\\", "/")).name
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    if len(base) > MAX_NAME_CHARS:
        stem, dot, suffix = base.rpartition(".")
        base = (stem[: MAX_NAME_CHARS - len(suffix) - 2] + "…" + dot + suffix) if dot else base[:MAX_NAME_CHARS]
    return base or "上传的文稿"


async def read_draft(request: Request, settings: Settings) -> Draft:
    """The draft and options from a multipart or urlencoded form."""
    form = await parse_form(request, settings)
    try:
        if len(form.getlist("file")) > 1 or len(form.getlist("overrides")) > 1:
            raise RequestError(400, "A301", "一次只能上传一份文稿 [A301]")
        upload, text = form.get("file"), form.get("text")
        pasted = text if isinstance(text, str) and text.strip() else ""
        if isinstance(upload, UploadFile) and upload.filename:
            name = display_name(upload.filename)
            raw = await upload.read(settings.max_upload + 1)
            if len(raw) > settings.max_upload:
                size = human_size(upload.size or len(raw))
                raise _input_error(InputError("A105", name, detail=size, limit=human_size(settings.max_upload)))
            pasted = ""
        elif pasted:
            raw, name = pasted.encode("utf-8"), PASTE_NAME
        else:
            raise RequestError(422, "A102", "请上传文稿文件，或在文本框中粘贴正文 [A102]")
        return Draft(raw, name, _checklist_ids(form.getlist("checklist"), settings), _kind(form.get("kind")), pasted,
                     await _overrides(form.get("overrides"), settings))
    finally:
        await form.close()


async def parse_form(request: Request, settings: Settings) -> FormData:
    """The submitted form, held in memory: an uploaded file never spills into a temporary file.

    Starlette's ``request.form()`` spools files over 1 MB to disk and answers malformed
    forms in English; this reads the same formats with the spool as large as the body
    limit and turns every parsing failure into a one-line Chinese reason.
    """
    content_type, options = parse_options_header(request.headers.get("content-type"))
    parser: MultiPartParser | FormParser
    async with aclosing(request.stream()) as stream:
        if content_type == b"multipart/form-data":
            closing = b"--" + options.get(b"boundary", b"") + b"--"
            stream = _watch_tail(stream, tail := bytearray(), len(closing) + 4)
            parser = MultiPartParser(request.headers, stream, max_files=2, max_fields=64,
                                     max_part_size=settings.max_upload)
            parser.spool_max_size = settings.max_upload + FORM_OVERHEAD  # never rolls over to disk
        elif content_type == b"application/x-www-form-urlencoded":
            parser = FormParser(request.headers, stream, max_fields=64, max_part_size=settings.max_upload)
        else:
            return FormData()
        try:
            form = await parser.parse()
        except MultiPartException as exc:
            raise _form_error(exc.message, settings) from None
        if content_type == b"multipart/form-data" and closing not in tail:
            await form.close()  # a body cut before its closing boundary: the file may be partial
            raise _form_error("unterminated", settings)
        return form


async def _watch_tail(stream: AsyncIterator[bytes], tail: bytearray, keep: int) -> AsyncIterator[bytes]:
    """Pass the body through, keeping its last ``keep`` bytes (where the closing boundary is)."""
    async for chunk in stream:
        tail[:] = (bytes(tail) + chunk)[-keep:]
        yield chunk


def _form_error(message: str, settings: Settings) -> RequestError:
    """A form the parser refused, in the user's words (the parser's reasons are English)."""
    if "maximum size" in message:
        return RequestError(413, "A105", f"粘贴的正文过大，上限为 {human_size(settings.max_upload)} [A105]")
    if message.startswith("Too many files"):
        return RequestError(400, "A301", "一次只能上传一份文稿 [A301]")
    if message.startswith("Too many fields"):
        return RequestError(400, "A301", "表单字段过多 [A301]")
    return RequestError(400, "A301", "表单无法解析：上传的数据不完整或格式有误 [A301]")


async def _overrides(upload: Any, settings: Settings) -> Overrides | None:
    """An uploaded overrides file, validated (its problems are the answer, with file:line)."""
    if not isinstance(upload, UploadFile) or not upload.filename:
        return settings.overrides
    from .overrides import MAX_BYTES, loads

    name = display_name(upload.filename)
    raw = await upload.read(MAX_BYTES + 1)
    try:
        return loads(raw.decode("utf-8-sig"), name, settings.item_ids())
    except UnicodeDecodeError:
        raise RequestError(422, "A201", f"{name}: 人工复核文件不是 UTF-8 编码 [A201]") from None
    except AuditorError as exc:
        raise RequestError(422, exc.code, exc.format_message().replace("\n", "；")) from None


def _checklist_ids(values: Sequence[Any], settings: Settings) -> list[str]:
    """The chosen checklist ids (all offered ones when none is chosen)."""
    offered = settings.by_id()
    chosen = [v for v in values if isinstance(v, str) and v]
    unknown = [v for v in chosen if v not in offered]
    if unknown:
        raise RequestError(422, "A202", f"找不到检查清单“{unknown[0]}”（可选：{'、'.join(offered)}） [A202]")
    return list(dict.fromkeys(chosen)) or list(offered)


def _kind(value: Any) -> str | None:
    """The reporting level, or None; anything outside the closed list is an error."""
    if value in (None, ""):
        return None
    if value not in KINDS:
        raise RequestError(422, "A301", f"报告主体层级“{value}”无效（可选：{'、'.join(KINDS)}） [A301]")
    return str(value)


# -- checking ------------------------------------------------------------------------------
def audit_draft(draft: Draft, settings: Settings, cancel: threading.Event | None = None) -> Audit:
    """Check one draft; input errors become ``RequestError`` with the CLI's message. Setting
    ``cancel`` (the client went away) stops the analysis at its next time check."""
    from .defects import find_defects

    lists = [settings.by_id()[i] for i in draft.checklist_ids]
    suffix = PurePosixPath(draft.name).suffix.lower()
    if suffix in _DISK_FORMATS:
        raise _input_error(InputError("A112", draft.name, detail=suffix))
    try:
        with _LOCK, limits.use(settings.limits), limits.deadline(draft.name), limits.cancellable(cancel):
            tree = pipeline.outline_from_bytes(draft.raw, draft.name)
            report = pipeline.check(tree, lists, draft.kind, draft.overrides)
            defects = find_defects(tree)
    except InputError as exc:
        raise _input_error(exc) from None
    return Audit(report, defects)


def _input_error(exc: InputError) -> RequestError:
    """The CLI's one-line reason, with the HTTP status that fits it."""
    return RequestError(_STATUS.get(exc.code, 422), exc.code, exc.format_message())


# -- the page --------------------------------------------------------------------------------
def page_view(audit: Audit, draft: Draft) -> dict[str, Any]:
    """Everything the result part of the page shows, as plain values."""
    from .memo import build_memo, render_memo
    from .render import render_report
    from .review import build_review, review_marks, review_view, segment_views

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
    from .review_docx import commented_docx

    try:
        data = commented_docx(draft.raw, review, report)
    except InputError:  # the draft could not be mapped back to its paragraphs: no download
        return []
    return [_download(f"{stem}-审核.docx", data, "application/vnd.openxmlformats-officedocument.wordprocessingml.document")]


def _item_panel(report: Report, point_of: dict[str, int]) -> list[dict[str, Any]]:
    """Per checklist, every item with its status, where its evidence is, and its advice."""
    from .lang.memo import MARKS
    from .render import SEVERITY_LABELS, STATUS_LABELS

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
    from .render import STATUS_LABELS

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

    from .model import Override
    from .overrides import Entry, dump, loads

    form = await FormParser(request.headers, request.stream(), max_fields=4 * len(settings.item_ids()) + 16,
                            max_part_size=64_000).parse()
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
            raise RequestError(422, "A301", f"条目“{item_id}”的复核结论无效 [A301]")
        note = str(form.get(f"note.{item_id}") or "").strip()[:500]
        items[item_id] = Override(status, note, by, today)
    if not items:
        raise RequestError(422, "A301", "没有标记任何条目：请在“人工复核”中为至少一个条目选择结论 [A301]")
    text = dump([Entry(name, sha, items)])
    try:
        loads(text, name, settings.item_ids())  # the file offered must load back as it is
    except AuditorError as exc:
        raise RequestError(422, exc.code, exc.format_message().replace("\n", "；")) from None
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
    from .render import render_template

    chosen = set(draft.checklist_ids) if draft else {c.id for c in settings.checklists}
    return render_template(
        "serve.html.j2",
        version=__version__,
        checklists=[{"id": c.id, "title": c.title, "count": len(c.items), "checked": c.id in chosen}
                    for c in settings.checklists],
        kinds=[{"id": k, "label": KIND_LABELS[k], "selected": bool(draft) and draft.kind == k} for k in KINDS],
        max_upload=human_size(settings.max_upload),
        draft_name=draft.name if draft else "",
        pasted=draft.pasted if draft else "",
        error=error,
        r=result,
    )


# -- the application ---------------------------------------------------------------------------
def create_app(checklists: Sequence[Checklist], lim: Limits | None = None, max_upload: int | None = None,
               allowed_hosts: Sequence[str] = ("127.0.0.1", "localhost", "[::1]", "::1"),
               upload_idle: float = 30.0, max_in_flight: int | None = None,
               overrides: Overrides | None = None, workers: int = 1) -> FastAPI:
    """The application, with the pipeline loaded and the checklist terms registered. With
    ``workers`` > 1 drafts are checked in parallel in that many processes (``serve_pool``)."""
    from . import match, nlp

    lim = lim or limits.current()
    cap = max_upload or lim.max_bytes
    settings = Settings(tuple(checklists), replace(lim, max_bytes=cap), cap, overrides)  # --max-upload is the file limit
    nlp.warm()
    match.register_terms(settings.checklists)
    app = FastAPI(title="auditor 自查服务", version=__version__, docs_url=None, redoc_url=None,
                  description="法治政府建设年度报告文稿自查：上传或粘贴文稿，返回与 `auditor check --format json` 相同的检查结果。")
    app.state.settings = settings
    app.state.pool = None
    if workers > 1:
        from .serve_pool import CheckPool

        app.state.pool = pool = CheckPool(settings, workers)
        pool.warm()
        app.router.add_event_handler("shutdown", pool.close)
    logging.getLogger("python_multipart").setLevel(logging.ERROR)  # its warnings quote bytes of the upload
    _routes(app, settings)
    _error_handlers(app)
    app.add_middleware(LoopbackHosts, settings=settings, allowed=list(allowed_hosts))
    app.add_middleware(BodyLimit, max_body=settings.max_upload + FORM_OVERHEAD, max_in_flight=max_in_flight,
                       idle=upload_idle)
    app.add_middleware(InternalErrors, settings=settings)
    app.add_middleware(SecurityHeaders)
    return app


_CHECK_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {"schema": {"type": "object", "properties": {
                "file": {"type": "string", "format": "binary", "description": "文稿（.docx .txt .md .html .htm）"},
                "text": {"type": "string", "description": "粘贴的正文（无文件时使用）"},
                "checklist": {"type": "array", "items": {"type": "string"}, "description": "检查清单 ID，可重复；默认全部"},
                "kind": {"type": "string", "enum": list(KINDS), "description": "报告主体层级（默认由发布机关或标题推断）"},
                "overrides": {"type": "string", "format": "binary", "description": "人工复核文件（YAML，可选）"},
            }}},
            "application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {
                "text": {"type": "string"}, "checklist": {"type": "array", "items": {"type": "string"}},
                "kind": {"type": "string", "enum": list(KINDS)}}}},
        },
    },
    "responses": {"200": {"description": "与 `auditor check --format json` 相同的 JSON"},
                  "413": {"description": "文件过大"}, "415": {"description": "格式不支持或不是文本"},
                  "422": {"description": "文件无法读取或选项无效"}},
}


def _routes(app: FastAPI, settings: Settings) -> None:
    """Attach the page and the API."""
    from starlette.concurrency import run_in_threadpool

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index() -> HTMLResponse:
        return HTMLResponse(render_page(settings))

    @app.post("/", response_class=HTMLResponse, include_in_schema=False)
    async def review_page(request: Request) -> HTMLResponse:
        draft = None
        try:
            draft = await read_draft(request, settings)
            if app.state.pool is not None:
                return HTMLResponse(await app.state.pool.run("page", draft, request))
            audit = await audit_while_connected(request, draft, settings)
            view = await run_in_threadpool(page_view, audit, draft)
        except RequestError as exc:
            return HTMLResponse(render_page(settings, draft, error=exc.message), status_code=exc.status)
        return HTMLResponse(render_page(settings, draft, result=view))

    @app.post("/api/check", summary="检查一份文稿", openapi_extra=_CHECK_BODY)
    async def api_check(request: Request) -> Response:
        from .render import render_report

        draft = await read_draft(request, settings)
        if app.state.pool is not None:
            return Response(await app.state.pool.run("api", draft, request), media_type="application/json")
        audit = await audit_while_connected(request, draft, settings)
        return Response(render_report(audit.report, "json"), media_type="application/json")

    @app.post("/overrides", include_in_schema=False)
    async def overrides_file(request: Request) -> Response:
        return await overrides_download(request, settings)

    @app.get("/api/checklists", summary="可选的检查清单")
    def api_checklists() -> list[dict[str, Any]]:
        return [{"id": c.id, "title": c.title, "version": c.version, "basis": c.basis, "items": len(c.items)}
                for c in settings.checklists]


async def audit_while_connected(request: Request, draft: Draft, settings: Settings, poll: float = 0.2) -> Audit:
    """Run the check in a worker thread; if the client disconnects meanwhile, stop it (it
    would otherwise hold the lock, and make the next client wait, for nothing)."""
    from starlette.concurrency import run_in_threadpool

    cancel = threading.Event()

    async def watch() -> None:
        while not cancel.is_set():
            if await request.is_disconnected():
                cancel.set()
                return
            await asyncio.sleep(poll)

    watcher = asyncio.create_task(watch())
    try:
        return await run_in_threadpool(audit_draft, draft, settings, cancel)
    finally:
        watcher.cancel()


def error_response(settings: Settings, path: str, status: int, code: str, message: str,
                   headers: MutableMapping[str, str] | None = None) -> Response:
    """JSON ``{"error", "code"}`` for the API, the page with the reason for everything else."""
    if path.startswith("/api/") or path == "/openapi.json":
        return JSONResponse({"error": message, "code": code}, status_code=status, headers=headers)
    return HTMLResponse(render_page(settings, error=message), status_code=status, headers=headers)


def _error_handlers(app: FastAPI) -> None:
    """One-line Chinese messages, 4xx for bad input, never a stack trace."""
    settings: Settings = app.state.settings

    def answer(request: Request, status: int, code: str, message: str) -> Response:
        return error_response(settings, request.url.path, status, code, message)

    @app.exception_handler(RequestError)
    async def request_error(request: Request, exc: RequestError) -> Response:
        return answer(request, exc.status, exc.code, exc.message)

    @app.exception_handler(BodyTooLarge)
    async def too_large(request: Request, exc: BodyTooLarge) -> Response:
        return answer(request, 413, "A105", f"上传内容过大，上限为 {human_size(settings.max_upload)} [A105]")

    @app.exception_handler(BodyStalled)
    async def stalled(request: Request, exc: BodyStalled) -> Response:
        return answer(request, 408, "A301", "上传中断：长时间未收到数据，请重新上传 [A301]")

    @app.exception_handler(ServerBusy)
    async def busy(request: Request, exc: ServerBusy) -> Response:
        return answer(request, 503, "A301", "服务器正在处理其他上传，请稍后再试 [A301]")

    @app.exception_handler(AuditorError)
    async def auditor_error(request: Request, exc: AuditorError) -> Response:
        return answer(request, 422, exc.code, exc.format_message())

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        reason = _HTTP_REASONS.get(exc.status_code, "请求无法处理")
        message = f"{reason}（HTTP {exc.status_code}） [A301]"
        return error_response(settings, request.url.path, exc.status_code, "A301", message, exc.headers)


# -- ASGI middleware ---------------------------------------------------------------------------
Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


class HttpMiddleware:
    """Base of the middlewares below: they act on HTTP requests and pass anything else on."""

    def __init__(self, app: Callable) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Dispatch HTTP requests to ``handle``."""
        if scope["type"] == "http":
            await self.handle(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one HTTP request (subclasses say how)."""
        raise NotImplementedError


class LoopbackHosts(HttpMiddleware):
    """Accept only the allowed Host headers (DNS rebinding), refusing others in the same
    Chinese JSON or page as every other error ("[::1]:8765" is parsed as the host [::1])."""

    def __init__(self, app: Callable, settings: Settings, allowed: Sequence[str]) -> None:
        super().__init__(app)
        self.settings = settings
        self.allowed = set(allowed)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, or answer 400."""
        host = host_of(dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1"))
        if "*" in self.allowed or host in self.allowed:
            await self.app(scope, receive, send)
            return
        message = f"不接受的主机名“{host[:60]}”：本服务只在本机地址上提供 [A301]"
        await error_response(self.settings, scope.get("path", ""), 400, "A301", message)(scope, receive, send)


def host_of(header: str) -> str:
    """The host part of a Host header, without the port."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[: header.find("]") + 1] if "]" in header else header
    return header.split(":")[0]


class BodyLimit(HttpMiddleware):
    """Refuse request bodies beyond ``max_body`` bytes (at once by Content-Length, else as they
    arrive); cap the bytes all uploads in flight hold together (``max_in_flight``: more
    concurrent uploads than that are told the server is busy); and stop a body that stalls
    longer than ``idle`` seconds between chunks (a slow client holds a connection for ever)."""

    def __init__(self, app: Callable, max_body: int, max_in_flight: int | None = None, idle: float = 30.0) -> None:
        super().__init__(app)
        self.max_body = max_body
        self.max_in_flight = max_in_flight or 4 * max_body
        self.idle = idle
        self.in_flight = 0  # bytes received by requests not yet answered (one event loop: no lock)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on with a receive that counts the bytes and times the gaps."""
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length and length.isdigit() and int(length) > self.max_body:
            scope["auditor.too_large"] = True
        seen = 0

        async def counted() -> MutableMapping[str, Any]:
            nonlocal seen
            if scope.get("auditor.too_large"):
                raise BodyTooLarge()
            try:
                message = await asyncio.wait_for(receive(), timeout=self.idle)
            except asyncio.TimeoutError:
                raise BodyStalled() from None
            size = len(message.get("body", b""))
            seen += size
            self.in_flight += size
            if seen > self.max_body:
                raise BodyTooLarge()
            if self.in_flight > self.max_in_flight:
                raise ServerBusy()
            return message

        try:
            await self.app(scope, counted, send)
        finally:
            self.in_flight -= seen


class InternalErrors(HttpMiddleware):
    """An unexpected failure answers 500 with one Chinese line and logs one line without the draft.

    The log names the exception type and where it was raised, never its message, which may
    quote the draft (Starlette's own handler would print the whole traceback to the console).
    """

    def __init__(self, app: Callable, settings: Settings) -> None:
        super().__init__(app)
        self.settings = settings

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the request; turn an escaping exception into the one-line answer."""
        started = False

        async def tracked(message: MutableMapping[str, Any]) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except ClientDisconnect:
            LOG.info("客户端在请求结束前断开连接：%s", scope.get("path", ""))
        except Exception as exc:  # noqa: BLE001 - the last line of defence, see the class docstring
            LOG.error("内部错误：%s（%s）", type(exc).__name__, _raised_at(exc))
            if not started:  # otherwise the answer is cut short; nothing more can be said
                message = f"内部错误：{type(exc).__name__} [A900]"
                await error_response(self.settings, scope.get("path", ""), 500, "A900", message)(scope, receive, send)


def _raised_at(exc: BaseException) -> str:
    """``file:line function`` of the innermost frame: enough to find the bug, no data."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return "位置未知"
    last = frames[-1]
    return f"{PurePosixPath(last.filename).name}:{last.lineno} {last.name}"


class SecurityHeaders(HttpMiddleware):
    """No scripts, no external resources, no caching of drafts, no framing."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Add the headers to every HTTP response."""

        async def with_headers(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


def loopback(host: str) -> bool:
    """Whether ``host`` only accepts connections from this machine."""
    return host in ("127.0.0.1", "localhost", "::1") or host.startswith("127.")


def hosts_for(host: str) -> list[str]:
    """Host headers to accept: loopback names, plus the bound address when it is specific."""
    names = ["127.0.0.1", "localhost", "[::1]", "::1"]
    if host in ("0.0.0.0", "::", ""):
        return ["*"]
    return list(dict.fromkeys([*names, host]))
