"""The local page's checks in a small process pool, so drafts are checked in parallel (issue 18).

Python threads cannot check two drafts at once on two cores (the work is pure Python), so
``auditor serve`` hands each draft to one of a few worker processes (one per core, at most
four). Workers are forked from the batch fork server (``auditor._warm``: the segmenter's
memory-mapped model is opened once and shared), load the checklists once, and do the whole
job of a request — read, check, review, memo and renderings — returning text: the JSON for
the API, the whole result page for the page. A client that disconnects sets its
request's flag in a shared byte array, which the worker's time checks read, so an abandoned
check stops at once as before. A worker that dies (out of memory…) fails only its request;
the pool is then replaced.
"""

from __future__ import annotations

import asyncio
import gc
import os
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

SLOTS = 64  # requests in flight at most (uvicorn serves 32 connections)
MAX_WORKERS = 4

_SETTINGS = None
_FLAGS = None


def default_workers() -> int:
    """One worker per usable core, at most four."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cores = os.cpu_count() or 1
    return max(1, min(MAX_WORKERS, cores))


class _Flag:
    """``threading.Event``-like view of one request's cancel byte (what ``limits`` polls)."""

    __slots__ = ("slot",)

    def __init__(self, slot: int) -> None:
        self.slot = slot

    def is_set(self) -> bool:
        """Whether the request's client has gone."""
        return _FLAGS is not None and _FLAGS[self.slot] != 0


def _init(settings, flags, ready=None) -> None:
    """Worker start: ignore Ctrl-C (the server's business), load the checklist terms and
    compile every item's patterns once, check one small draft (``_warm_up``), then freeze
    what is loaded (``gc.freeze``)."""
    global _SETTINGS, _FLAGS
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from .. import match, nlp

    nlp.warm()
    match.warm(settings.checklists)
    _SETTINGS, _FLAGS = settings, flags
    _warm_up(settings)
    # what is loaded now lives as long as the worker: out of the collector's sight, a full
    # collection (every few requests) no longer walks it (about 50 ms each time)
    gc.collect()
    gc.freeze()
    if ready is not None:  # counted by ``CheckPool.warm``
        with ready.get_lock():
            ready.value += 1


WARM_UP = ("某县2024年法治政府建设情况报告\n一、2024年法治政府建设主要举措和成效\n"
           "（一）加强组织领导\n县委书记、县长认真履行推进法治建设第一责任人职责，全年召开专题会议3次。\n"
           "全年收到行政复议申请52件，受理46件。\n二、存在的不足和原因\n执法队伍力量仍然薄弱。\n"
           "三、2025年工作安排\n下一步，将进一步规范行政执法。\n")


def _warm_up(settings) -> None:
    """Check and render one small draft, so the lazy parts (pattern compilation, templates,
    python-docx) are paid before the first author waits, not during her upload."""
    from .forms import Draft
    from .page import check_draft, page_view, render_page

    draft = Draft(WARM_UP.encode("utf-8"), "warm-up.txt", [c.id for c in settings.checklists], None)
    try:
        audit = check_draft(draft, settings)
        render_page(settings, draft, result=page_view(audit, draft))
    except Exception:  # noqa: BLE001 - only a speed-up: a real request reports any problem
        pass


def _work(kind: str, draft, slot: int) -> tuple:
    """In a worker: the JSON text (``api``) or the result page's HTML (``page``) of one draft."""
    from ..errors import AuditorError
    from .page import check_draft, page_view, render_page
    from .settings import RequestError

    try:
        assert _SETTINGS is not None, "the pool's initializer sets the settings"
        audit = check_draft(draft, _SETTINGS, _Flag(slot))
        if kind == "api":
            from ..render import render_report

            return ("ok", render_report(audit.report, "json"))
        # the whole page is rendered here, not in the server's event loop
        return ("ok", render_page(_SETTINGS, draft, result=page_view(audit, draft)))
    except RequestError as exc:
        return ("error", exc.status, exc.code, exc.message)
    except AuditorError as exc:
        return ("error", 422, exc.code, exc.format_message())


class CheckPool:
    """The worker processes and the cancel flags of the requests they serve."""

    def __init__(self, settings, workers: int) -> None:
        from ..batch import _mp_context

        self.settings, self.workers = settings, workers
        self.ctx = _mp_context()
        self.flags = self.ctx.RawArray("b", SLOTS)
        self.free = list(range(SLOTS))
        self._lock = threading.Lock()
        self.pool = self._start()

    def _start(self) -> ProcessPoolExecutor:
        self.ready = self.ctx.Value("i", 0)  # workers done with their initializer
        return ProcessPoolExecutor(self.workers, mp_context=self.ctx, initializer=_init,
                                   initargs=(self.settings, self.flags, self.ready))

    def warm(self, timeout: float = 120.0) -> None:
        """Start every worker now and wait until each has finished warming up: the first
        requests should neither wait for a worker nor share the cores with one still
        warming up (one worker may answer both start-up tasks while the other initialises)."""
        for fut in [self.pool.submit(os.getpid) for _ in range(self.workers)]:
            fut.result()
        deadline = time.monotonic() + timeout
        while self.ready.value < self.workers and time.monotonic() < deadline:
            time.sleep(0.02)

    async def run(self, kind: str, draft, request, poll: float = 0.2) -> Any:
        """Check ``draft`` in a worker; stop it if the client disconnects meanwhile."""
        from .settings import RequestError

        if not self.free:
            raise RequestError(503, "A408")
        slot = self.free.pop()
        self.flags[slot] = 0
        pool = self.pool
        done = asyncio.Event()

        async def watch() -> None:
            while not done.is_set():
                if await request.is_disconnected():
                    self.flags[slot] = 1
                    return
                await asyncio.sleep(poll)

        watcher = asyncio.create_task(watch())
        try:
            result = await asyncio.wrap_future(pool.submit(_work, kind, draft, slot))
        except BrokenProcessPool:
            self._replace(pool)
            raise RuntimeError("工作进程意外退出") from None
        finally:
            done.set()
            watcher.cancel()
            self.free.append(slot)
        if result[0] == "error":
            raise RequestError(result[1], result[2], result[3])
        return result[1]

    def _replace(self, broken: ProcessPoolExecutor) -> None:
        with self._lock:
            if self.pool is broken:
                broken.shutdown(wait=False, cancel_futures=True)
                self.pool = self._start()

    def close(self) -> None:
        """Stop the workers."""
        self.pool.shutdown(wait=True, cancel_futures=True)
