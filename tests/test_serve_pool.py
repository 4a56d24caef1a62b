"""The local page checks drafts in parallel in a process pool, with the same answers (issue 18)."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
from fastapi.testclient import TestClient

from auditor.limits import Limits
from auditor.serve import create_app

from .conftest import EXAMPLES
from .hostile_inputs import REPORT

BASE = "http://127.0.0.1:8765"
DRAFT = EXAMPLES / "draft-township-2024.txt"


@pytest.fixture(scope="module")
def apps(checklists):
    pooled = create_app(checklists, Limits(), max_upload=2_000_000, workers=2)
    with TestClient(pooled, base_url=BASE) as client:  # runs the shutdown handler: the pool stops
        yield client, TestClient(create_app(checklists, Limits(), max_upload=2_000_000), base_url=BASE)


def test_pooled_answers_equal_in_process_ones(apps) -> None:
    pooled, single = apps
    assert pooled.app.state.pool.ready.value == 2  # both workers warmed up before serving
    files = {"file": (DRAFT.name, DRAFT.read_bytes())}
    a, b = pooled.post("/api/check", files=files), single.post("/api/check", files=files)
    assert a.status_code == b.status_code == 200 and a.json() == b.json()
    page = pooled.post("/", data={"text": REPORT})
    assert page.status_code == 200 and "自查" in page.text and "审核意见-粘贴的文稿.docx" in page.text
    bad = pooled.post("/api/check", files={"file": ("x.xlsx", b"PK\x03\x04")})
    assert bad.status_code == 415 and bad.json()["code"] == "A104"


def test_concurrent_uploads_run_on_both_workers(apps) -> None:
    pooled, single = apps
    expected = single.post("/api/check", files={"file": (DRAFT.name, DRAFT.read_bytes())}).json()
    app = pooled.app

    async def burst() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=BASE, timeout=120) as client:
            return await asyncio.gather(*[client.post("/api/check", files={"file": (DRAFT.name, DRAFT.read_bytes())})
                                          for _ in range(6)])

    answers = asyncio.run(burst())
    assert all(r.status_code == 200 and json.loads(r.text) == expected for r in answers)
    pool = app.state.pool
    # Tasks that last long enough that one worker cannot take them all: both answer.
    pids = {f.result() for f in [pool.pool.submit(_slow_pid) for _ in range(4)]}
    assert len(pids) == 2


def _slow_pid() -> int:
    """The worker's process id, after a pause that keeps the worker busy."""
    import os
    import time

    time.sleep(0.5)
    return os.getpid()
