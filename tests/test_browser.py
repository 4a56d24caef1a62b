"""End to end in headless Chromium: an author uploads the gapped example draft.

Runs the real server (uvicorn on a free loopback port) and Debian's ``chromium`` driven by
Playwright, which is pointed at that binary: nothing is downloaded. Without Chromium the
test skips with the reason, except where ``AUDITOR_REQUIRE_BROWSER=1`` (set by ``.ci/run``,
which installs Chromium), where its absence is a failure.
"""

from __future__ import annotations

import io
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest

from .conftest import EXAMPLES, ROOT

DRAFT = EXAMPLES / "draft-township-2024.docx"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--lang=zh-CN"]
ARTIFACTS = ROOT / "out" / "test-artifacts"


def _need_chromium() -> str:
    if CHROMIUM:
        return CHROMIUM
    reason = "Debian's chromium is not installed (apt-get install chromium); .ci/run installs it"
    if os.environ.get("AUDITOR_REQUIRE_BROWSER") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(checklists) -> Iterator[str]:
    """The app on a real socket in a background thread; yields its base URL."""
    import uvicorn

    from auditor.serve import create_app

    port = _free_port()
    config = uvicorn.Config(create_app(checklists), host="127.0.0.1", port=port, log_level="warning",
                            access_log=False)
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not srv.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    executable = _need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        # LANGUAGE picks Chromium's own strings (the file button) where chromium-l10n is installed
        b = p.chromium.launch(executable_path=executable, args=ARGS, env={**os.environ, "LANGUAGE": "zh_CN"})
        yield b
        b.close()


def test_author_uploads_a_draft_and_reads_the_review(server: str, browser, tmp_path: Path) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 900}, accept_downloads=True, locale="zh-CN")
    page.goto(server + "/")
    assert page.title() == "法治政府建设年度报告文稿自查"
    page.set_input_files("#file", str(DRAFT))
    page.select_option("#kind", "township")
    page.click("#submit")
    page.wait_for_selector("#result", timeout=30_000)
    assert "临江市白石镇2024年度法治政府建设情况报告" in page.inner_text("#result h2")

    # findings are highlighted in place: evidence of covered items and draft defects
    assert page.locator("mark.k-ev-covered").count() > 5
    assert page.locator("mark.k-placeholder").count() >= 1
    # missing items are listed in the panel, with their suggestion on the page
    missing = page.locator("#items li.item-missing")
    assert missing.count() > 5
    assert "述法" in page.inner_text("#items")
    assert page.locator(".point").count() > 5 and "建议：" in page.inner_text(".details")

    # clicking an item jumps to its evidence
    link = page.locator("#items li.item-covered a").nth(3)
    target = link.get_attribute("href")
    link.click()
    page.wait_for_function("h => location.hash === h", arg=target)
    top = page.evaluate("id => document.getElementById(id).nextElementSibling.getBoundingClientRect().top",
                        target[1:])
    assert -10 <= top < 900, top  # scrolled to it (sub-pixel above the fold is still "there")

    # the memo downloads as a Word file the author can open
    with page.expect_download() as info:
        page.click("a[download$='.docx']")
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    assert saved.name == "审核意见-draft-township-2024.docx"
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(saved.read_bytes())).paragraphs)
    assert "审核意见" in text and "临江市白石镇" in text

    page.set_viewport_size({"width": 1400, "height": 1560})  # the form, the panel and every kind of mark
    page.evaluate("() => window.scrollTo(0, 0)")
    shot = tmp_path / "serve.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(shot, ARTIFACTS / "serve.png")
    page.close()


def test_a_broken_upload_shows_the_reason(server: str, browser, tmp_path: Path) -> None:
    bad = tmp_path / "坏文件.docx"
    bad.write_bytes(DRAFT.read_bytes()[:1500])
    page = browser.new_page()
    page.goto(server + "/")
    page.set_input_files("#file", str(bad))
    page.click("#submit")
    error = page.wait_for_selector("#error", timeout=30_000)
    assert error.inner_text().startswith("坏文件.docx: 文件内容已损坏")
    page.close()
