"""The ASGI middlewares of the local page: loopback Host headers only, bounded request
bodies, one-line answers to unexpected failures, and the security headers."""

from __future__ import annotations

import asyncio
import logging
import traceback
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from pathlib import PurePosixPath
from typing import Any

from starlette.requests import ClientDisconnect

from ..errors import MESSAGES, error_line
from .page import error_response
from .settings import Settings

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
LOG = logging.getLogger("auditor.serve")  # the name the page has always logged under


class BodyStalled(Exception):
    """The client stopped sending the body (a slow or idle connection)."""


class ServerBusy(Exception):
    """The uploads in flight already hold as many bytes as the server allows."""


class BodyTooLarge(Exception):
    """Raised while the request body arrives, once it passes the limit."""


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
        message = error_line("A409", detail=host[:60])
        await error_response(self.settings, scope.get("path", ""), 400, "A409", message)(scope, receive, send)


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
            except TimeoutError:
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
            LOG.error("%s", MESSAGES["A900"].format(detail=f"{type(exc).__name__}（{_raised_at(exc)}）"))
            if not started:  # otherwise the answer is cut short; nothing more can be said
                message = error_line("A900", detail=type(exc).__name__)
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
