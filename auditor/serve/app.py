"""The application: the routes of the page and the API, the error handlers, the middlewares."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from starlette.exceptions import HTTPException

from .. import __version__, limits
from ..audit import Audit
from ..checklist import Checklist
from ..cli_options import KINDS
from ..errors import AuditorError
from ..limits import Limits, human_size
from ..overrides import Overrides
from .forms import FORM_OVERHEAD, Draft, read_draft
from .middleware import BodyLimit, BodyStalled, BodyTooLarge, InternalErrors, LoopbackHosts, SecurityHeaders, ServerBusy
from .page import check_draft, error_response, overrides_download, page_view, render_page
from .settings import RequestError, Settings

_HTTP_CODES = {404: "A410", 405: "A411"}  # other HTTP errors: A412


def create_app(checklists: Sequence[Checklist], lim: Limits | None = None, max_upload: int | None = None,
               allowed_hosts: Sequence[str] = ("127.0.0.1", "localhost", "[::1]", "::1"),
               upload_idle: float = 30.0, max_in_flight: int | None = None,
               overrides: Overrides | None = None, workers: int = 1) -> FastAPI:
    """The application, with the pipeline loaded and the checklist terms registered. With
    ``workers`` > 1 drafts are checked in parallel in that many processes (``serve.pool``)."""
    from .. import match, nlp

    lim = lim or limits.current()
    cap = max_upload or lim.max_bytes
    settings = Settings(tuple(checklists), replace(lim, max_bytes=cap), cap, overrides)  # --max-upload is the file limit
    nlp.warm()
    match.warm(settings.checklists)
    app = FastAPI(title="auditor 自查服务", version=__version__, docs_url=None, redoc_url=None,
                  description="法治政府建设年度报告文稿自查：上传或粘贴文稿，返回与 `auditor check --format json` 相同的检查结果。")
    app.state.settings = settings
    app.state.pool = None
    if workers > 1:
        from .pool import CheckPool

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
        from ..render import render_report

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
        return await run_in_threadpool(check_draft, draft, settings, cancel)
    finally:
        watcher.cancel()


def _error_handlers(app: FastAPI) -> None:
    """One-line Chinese messages, 4xx for bad input, never a stack trace."""
    settings: Settings = app.state.settings

    def answer(request: Request, error: RequestError, headers: Mapping[str, str] | None = None) -> Response:
        return error_response(settings, request.url.path, error.status, error.code, error.message, headers)

    @app.exception_handler(RequestError)
    async def request_error(request: Request, exc: RequestError) -> Response:
        return answer(request, exc)

    @app.exception_handler(BodyTooLarge)
    async def too_large(request: Request, exc: BodyTooLarge) -> Response:
        return answer(request, RequestError(413, "A401", limit=human_size(settings.max_upload)))

    @app.exception_handler(BodyStalled)
    async def stalled(request: Request, exc: BodyStalled) -> Response:
        return answer(request, RequestError(408, "A407"))

    @app.exception_handler(ServerBusy)
    async def busy(request: Request, exc: ServerBusy) -> Response:
        return answer(request, RequestError(503, "A408"))

    @app.exception_handler(AuditorError)
    async def auditor_error(request: Request, exc: AuditorError) -> Response:
        return answer(request, RequestError.of(422, exc))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        error = RequestError(exc.status_code, _HTTP_CODES.get(exc.status_code, "A412"), http=exc.status_code)
        return answer(request, error, exc.headers)


