"""The local web page where a report author checks a draft (``auditor serve``).

A FastAPI application served by uvicorn on loopback. The pipeline (the segmenter and the
checklists) is loaded once when the app is created; each request reads the draft from the
upload in memory (``ingest.load_bytes``), checks it — in one of a few worker processes
(``auditor.serve.pool``, what ``auditor serve`` uses), or in a thread under a process-wide
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

The package: ``app`` (routes, error handlers, ``create_app``), ``forms`` (reading a request;
``starlette_forms`` isolates the parsers it borrows from Starlette), ``page`` (checking a
draft and everything the page shows), ``middleware`` (Host, body limits, errors, headers),
``pool`` (the check workers) and ``connection`` (the header deadline of each connection).
"""

from __future__ import annotations

from .. import pipeline  # noqa: F401 - where the page's checks run (tests replace its parts)
from .app import audit_while_connected, create_app
from .forms import FORM_OVERHEAD, MAX_NAME_CHARS, PASTE_NAME, Draft, display_name, read_draft
from .middleware import (
    LOG,
    SECURITY_HEADERS,
    BodyLimit,
    BodyStalled,
    BodyTooLarge,
    HttpMiddleware,
    InternalErrors,
    LoopbackHosts,
    SecurityHeaders,
    ServerBusy,
    host_of,
    hosts_for,
    loopback,
)
from .page import (
    ITEM_BASE,
    KIND_LABELS,
    MARK_CHOICES,
    Audit,
    check_draft,
    error_response,
    marking_view,
    overrides_download,
    page_view,
    render_page,
)
from .settings import RequestError, Settings

__all__ = [
    "FORM_OVERHEAD", "ITEM_BASE", "KIND_LABELS", "LOG", "MARK_CHOICES", "MAX_NAME_CHARS", "PASTE_NAME",
    "SECURITY_HEADERS", "Audit", "BodyLimit", "BodyStalled", "BodyTooLarge", "Draft", "HttpMiddleware",
    "InternalErrors", "LoopbackHosts", "RequestError", "SecurityHeaders", "ServerBusy", "Settings",
    "audit_while_connected", "check_draft", "create_app", "display_name", "error_response", "host_of", "hosts_for",
    "loopback", "marking_view", "overrides_download", "page_view", "read_draft", "render_page",
]
