"""The local web page and its JSON API, through the framework's test client.

The API must answer exactly what ``auditor check --format json`` prints for the same
file; bad uploads get 4xx with the CLI's one-line reason; report text and file names
are escaped everywhere on the page; nothing is written to disk.
"""

from __future__ import annotations

import base64
import io
import json
import os
import re
import shutil
from pathlib import Path

import docx
import lxml.html
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from auditor.cli import main
from auditor.serve import ITEM_BASE, create_app, display_name

from .conftest import EXAMPLES
from .hostile_inputs import REPORT, docx_bytes
from .test_html_safety import HOSTILE_NAME, PAYLOADS, SCRIPT, hostile_report

DRAFT_DOCX = EXAMPLES / "draft-township-2024.docx"
DRAFT_TXT = EXAMPLES / "draft-township-2024.txt"
BASE = "http://127.0.0.1:8765"  # the server accepts only loopback Host headers


@pytest.fixture(scope="module")
def client(checklists) -> TestClient:
    from auditor.limits import Limits

    return TestClient(create_app(checklists, Limits(), max_upload=2_000_000), base_url=BASE)


def _cli_json(tmp_path: Path, source: Path, *args: str) -> dict:
    """``auditor check --format json`` run the way a user runs it: in the file's folder, on its name."""
    shutil.copy(source, tmp_path / source.name)
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        res = CliRunner().invoke(main, ["check", source.name, "--format", "json", *args], catch_exceptions=False)
    finally:
        os.chdir(cwd)
    assert res.exit_code in (0, 1), res.stderr
    return json.loads(res.stdout)


@pytest.mark.parametrize("source", [DRAFT_DOCX, EXAMPLES / "complete-county-2024.txt"], ids=["docx", "txt"])
def test_api_check_equals_the_cli(client: TestClient, tmp_path: Path, source: Path) -> None:
    res = client.post("/api/check", files={"file": (source.name, source.read_bytes())})
    assert res.status_code == 200
    assert res.headers["content-type"].startswith("application/json")
    assert res.json() == _cli_json(tmp_path, source)


def test_api_check_with_options_equals_the_cli(client: TestClient, tmp_path: Path) -> None:
    res = client.post("/api/check", files={"file": (DRAFT_TXT.name, DRAFT_TXT.read_bytes())},
                      data={"checklist": ["report-structure"], "kind": "township"})
    assert res.status_code == 200
    assert res.json() == _cli_json(tmp_path, DRAFT_TXT, "--checklist", "report-structure", "--kind", "township")
    assert [c["id"] for c in res.json()["checklists"]] == ["report-structure"]


def test_pasted_text_is_checked(client: TestClient) -> None:
    res = client.post("/api/check", data={"text": REPORT})
    assert res.status_code == 200
    data = res.json()
    assert data["source"]["path"] == "粘贴的文稿.txt"
    assert data["source"]["title"] == "XX县2024年法治政府建设情况报告"


def test_api_checklists(client: TestClient, checklists) -> None:
    res = client.get("/api/checklists")
    assert res.status_code == 200
    assert {c["id"]: c["items"] for c in res.json()} == {c.id: len(c.items) for c in checklists}


def test_openapi_describes_the_api(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert set(spec["paths"]) == {"/api/check", "/api/checklists"}
    body = spec["paths"]["/api/check"]["post"]["requestBody"]["content"]
    assert "file" in body["multipart/form-data"]["schema"]["properties"]
    assert client.get("/docs").status_code == 404, "no Swagger UI: it would load scripts from a CDN"


@pytest.mark.parametrize(
    "upload, status, code, message",
    [
        (("report.xlsx", b"PK\x03\x04"), 415, "A104", "report.xlsx: 不支持的文件格式“.xlsx”"),
        (("empty.txt", b""), 422, "A102", "empty.txt: 文件为空"),
        (("scan.txt", b"\x89PNG\r\n\x1a\n" + bytes(64)), 415, "A103", "scan.txt: 不是文本文件（疑为二进制内容）：实为 PNG 图片"),
        (("broken.docx", docx_bytes()[:2000]), 422, "A107", "broken.docx: 文件内容已损坏"),
        (("big.txt", "全".encode() * 700_000), 413, "A105", "big.txt: 文件过大（2.1 MB），上限为 2.0 MB [A105]"),
        (("huge.txt", "全".encode() * 1_000_000), 413, "A401", "上传内容过大，上限为 2.0 MB"),
    ],
    ids=["unsupported", "empty", "binary", "broken-docx", "too-large", "body-too-large"],
)
def test_bad_uploads_are_4xx_with_the_cli_reason(client: TestClient, upload, status: int, code: str, message: str) -> None:
    res = client.post("/api/check", files={"file": upload})
    assert res.status_code == status
    assert res.json()["code"] == code
    assert res.json()["error"].startswith(message), res.json()
    assert "Traceback" not in res.text


def test_the_upload_limit_is_the_file_limit(checklists) -> None:
    from auditor.limits import Limits

    raw = DRAFT_DOCX.read_bytes()
    roomy = TestClient(create_app(checklists, Limits(max_bytes=1_000), max_upload=len(raw) + 1), base_url=BASE)
    assert roomy.post("/api/check", files={"file": (DRAFT_DOCX.name, raw)}).status_code == 200
    tight = TestClient(create_app(checklists, Limits(), max_upload=len(raw) - 1), base_url=BASE)
    res = tight.post("/api/check", files={"file": (DRAFT_DOCX.name, raw)})
    assert res.status_code == 413 and res.json()["error"].startswith(f"{DRAFT_DOCX.name}: 文件过大")


def test_nothing_submitted_and_bad_options(client: TestClient) -> None:
    assert client.post("/api/check", data={"text": "  "}).json() == {
        "error": "请上传文稿文件，或在文本框中粘贴正文 [A403]", "code": "A403"}
    res = client.post("/api/check", data={"text": REPORT, "checklist": ["nope"]})
    offered = "、".join(c.id for c in client.app.state.settings.checklists)
    assert res.status_code == 422 and res.json() == {"error": f"找不到检查清单“nope”（可选：{offered}） [A413]", "code": "A413"}
    res = client.post("/api/check", data={"text": REPORT, "kind": "planet"})
    assert res.status_code == 422 and res.json()["code"] == "A414"
    assert res.json()["error"] == "报告主体层级“planet”无效（可选：province、city、county、township、department） [A414]"


def test_oversized_body_is_refused_before_it_is_read(client: TestClient) -> None:
    body = b"x" * 3_000_000
    res = client.post("/api/check", content=body, headers={"content-type": "multipart/form-data; boundary=b"})
    assert res.status_code == 413
    assert res.json() == {"error": "上传内容过大，上限为 2.0 MB [A401]", "code": "A401"}


def test_errors_on_the_page_are_shown_not_traced(client: TestClient) -> None:
    res = client.post("/", files={"file": ("broken.docx", docx_bytes()[:2000])})
    assert res.status_code == 422
    error = lxml.html.document_fromstring(res.text).get_element_by_id("error")
    assert error.text_content().startswith("broken.docx: 文件内容已损坏")


def test_internal_errors_are_one_line_and_log_no_content(checklists, monkeypatch, caplog) -> None:
    from auditor import serve

    app = create_app(checklists)
    client = TestClient(app, base_url=BASE)  # raises server exceptions: none may escape

    def boom(*args, **kwargs):
        raise ZeroDivisionError("机密正文片段")

    monkeypatch.setattr(serve.pipeline, "check", boom)
    res = client.post("/api/check", data={"text": REPORT})
    assert res.status_code == 500
    assert res.json() == {"error": "内部错误：ZeroDivisionError [A900]", "code": "A900"}
    page = client.post("/", data={"text": REPORT})
    assert page.status_code == 500 and "Traceback" not in page.text
    assert lxml.html.document_fromstring(page.text).get_element_by_id("error").text_content() == \
        "内部错误：ZeroDivisionError [A900]"
    logged = [r.getMessage() for r in caplog.records if r.name == "auditor.serve"]
    assert logged and all(m.startswith("内部错误：ZeroDivisionError（test_serve.py:") for m in logged), logged
    assert "机密正文片段" not in caplog.text and "XX县" not in caplog.text


@pytest.mark.parametrize(
    "request_args, status, message",
    [
        ({"files": [("file", ("a.txt", REPORT.encode())), ("file", ("b.txt", REPORT.encode()))]}, 400,
         "一次只能上传一份文稿 [A404]"),
        ({"content": b"--x\r\nfoo", "headers": {"content-type": "multipart/form-data; boundary=b"}}, 400,
         "表单无法解析：上传的数据不完整或格式有误 [A406]"),
        ({"files": {"text": (None, "全" * 700_000)}}, 413, "粘贴的正文过大，上限为 2.0 MB [A402]"),
    ],
    ids=["two-files", "malformed", "pasted-too-large"],
)
def test_malformed_forms_get_a_chinese_reason(client: TestClient, request_args: dict, status: int, message: str) -> None:
    res = client.post("/api/check", **request_args)
    assert res.status_code == status
    assert res.json()["error"] == message


def test_unknown_addresses_and_methods_answer_in_chinese(client: TestClient) -> None:
    res = client.get("/api/nope")
    assert res.status_code == 404 and res.json() == {"error": "地址不存在（HTTP 404） [A410]", "code": "A410"}
    res = client.get("/api/check")
    assert res.status_code == 405 and res.json() == {"error": "该地址不支持这种请求方式（HTTP 405） [A411]", "code": "A411"}
    assert "POST" in res.headers["allow"]
    page = client.get("/nope")
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "地址不存在" in lxml.html.document_fromstring(page.text).get_element_by_id("error").text_content()


def test_foreign_host_headers_are_refused(client: TestClient) -> None:
    assert client.get("/", headers={"host": "evil.example"}).status_code == 400
    assert client.get("/", headers={"host": "localhost:8765"}).status_code == 200


def test_hosts_for_the_bound_address() -> None:
    from auditor.serve import hosts_for, loopback

    assert hosts_for("0.0.0.0") == ["*"]
    assert "192.168.1.5" in hosts_for("192.168.1.5") and "localhost" in hosts_for("192.168.1.5")
    assert loopback("127.0.0.1") and not loopback("0.0.0.0")


def test_page_shows_the_review_with_highlights_and_downloads(client: TestClient) -> None:
    res = client.post("/", files={"file": ("草稿.docx", DRAFT_DOCX.read_bytes())}, data={"kind": "township"})
    assert res.status_code == 200
    tree = lxml.html.document_fromstring(res.text)
    assert "临江市白石镇2024年度法治政府建设情况报告" in tree.get_element_by_id("result").text_content()
    items = tree.xpath('//*[@id="items"]//li[contains(@class, "item ")]')
    assert len(items) == 53  # 45 of the outline and the report structure, 8 of the supplement in force in 2024
    missing = [li for li in items if "item-missing" in li.get("class")]
    assert missing and all("缺失" in li.text_content() for li in missing)
    covered = [li for li in items if "item-covered" in li.get("class")]
    for li in covered:  # every covered item jumps to a highlighted place in the draft
        target = li.xpath(".//a")[0].get("href")[1:]
        nxt = tree.get_element_by_id(target).getnext()
        while nxt.tag == "span" and nxt.get("class") == "anchor":  # other marks may start here too
            nxt = nxt.getnext()
        assert nxt.tag == "mark" and "k-ev-covered" in nxt.get("class")
    assert tree.xpath('//mark[contains(@class, "k-placeholder")]'), "draft defects are highlighted too"
    links = {a.get("download"): a.get("href") for a in tree.xpath("//a[@download]")}
    memo = base64.b64decode(links["审核意见-草稿.docx"].split(",", 1)[1])
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(memo)).paragraphs)
    assert "审核意见" in text
    gap = base64.b64decode(links["差距报告-草稿.html"].split(",", 1)[1]).decode("utf-8")
    assert gap.startswith("<!DOCTYPE html>") and "临江市白石镇" in gap


def test_page_escapes_hostile_text_and_file_names(client: TestClient) -> None:
    res = client.post("/", files={"file": (HOSTILE_NAME, hostile_report().encode("utf-8"))})
    assert res.status_code == 200
    html = res.text
    tree = lxml.html.document_fromstring(html)
    assert not list(tree.iter("script", "img", "iframe", "svg"))
    for el in tree.iter():
        if isinstance(el.tag, str):
            assert not any(a.lower().startswith("on") for a in el.attrib), el.tag
            assert not el.get("href", "").lower().startswith("javascript:")
    assert SCRIPT in tree.text_content() and PAYLOADS[3] in tree.text_content()
    assert "<script>alert" not in html and "</textarea><script>" not in html
    assert display_name(HOSTILE_NAME) in tree.text_content()
    assert res.headers["content-security-policy"].startswith("default-src 'none'")


def test_display_name_never_carries_a_path() -> None:
    assert display_name("../../etc/passwd.txt") == "passwd.txt"
    assert display_name("C:\\Users\\张三\\草稿.docx") == "草稿.docx"
    assert display_name("a\x00b\n.txt") == "ab.txt"
    assert display_name("") == "上传的文稿"
    long = display_name("长" * 300 + ".docx")
    assert len(long) <= 120 and long.endswith(".docx")


def test_nothing_is_written_to_disk(client: TestClient, tmp_path: Path, monkeypatch) -> None:
    import tempfile

    def no_files(*args, **kwargs):
        raise AssertionError("an upload was spooled to a temporary file")

    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    for name in ("TemporaryFile", "NamedTemporaryFile", "mkstemp", "mkdtemp"):
        monkeypatch.setattr(tempfile, name, no_files)
    res = client.post("/", files={"file": ("草稿.docx", DRAFT_DOCX.read_bytes())})
    assert res.status_code == 200
    big = client.post("/api/check", files={"file": ("scan.xlsx", b"PK\x03\x04" + bytes(1_500_000))})
    assert big.status_code == 415, "over 1 MB, Starlette would spool it to disk"
    assert list(tmp_path.iterdir()) == []


def test_pasted_text_comes_back_escaped_in_the_text_box(client: TestClient) -> None:
    text = REPORT + "\n</textarea><script>alert(1)</script>"
    res = client.post("/", data={"text": text})
    assert res.status_code == 200
    assert "</textarea><script>" not in res.text
    box = lxml.html.document_fromstring(res.text).get_element_by_id("text")
    assert box.text_content().strip() == text.strip()
    uploaded = client.post("/", files={"file": ("a.txt", REPORT.encode())}, data={"text": "另一段"})
    assert lxml.html.document_fromstring(uploaded.text).get_element_by_id("text").text_content() == ""


def test_eight_concurrent_uploads_all_answer_correctly(client: TestClient) -> None:
    from concurrent.futures import ThreadPoolExecutor

    texts = [REPORT.replace("XX县", f"第{i}县") for i in range(8)]

    def post(text: str) -> dict:
        res = client.post("/api/check", files={"file": ("draft.txt", text.encode())})
        assert res.status_code == 200
        return res.json()

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(post, texts))
    assert [a["source"]["title"] for a in answers] == [f"第{i}县2024年法治政府建设情况报告" for i in range(8)]
    alone = post(texts[3])
    assert answers[3] == alone


def test_item_anchors_do_not_collide_with_points(client: TestClient) -> None:
    res = client.post("/api/check", data={"text": REPORT})
    assert res.status_code == 200
    page = client.post("/", data={"text": REPORT}).text
    ids = re.findall(r'id="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    assert ITEM_BASE > 1000


def test_serve_command_errors_are_one_line() -> None:
    import socket

    res = CliRunner().invoke(main, ["serve", "--max-upload", "lots"], catch_exceptions=False)
    assert res.exit_code == 2
    assert res.stderr.strip() == "auditor: --max-upload: 无法理解的大小“lots”（示例：20MB、500KB） [A301]"
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        res = CliRunner().invoke(main, ["serve", "--port", str(port)], catch_exceptions=False)
    assert res.exit_code == 2
    assert res.stderr.strip().startswith(f"auditor: 127.0.0.1:{port}: 无法监听该地址")


def test_multipart_body_cut_before_its_closing_boundary_is_400(client: TestClient) -> None:
    """A truncated upload is a malformed form (400), not "please upload a draft" (422)."""
    body = (b'--BOUND\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n'
            b"Content-Type: text/plain\r\n\r\n" + REPORT.encode("utf-8")[:200])
    res = client.post("/api/check", content=body, headers={"content-type": "multipart/form-data; boundary=BOUND"})
    assert res.status_code == 400, res.text
    assert res.json()["code"] == "A406" and "不完整" in res.json()["error"]


def test_foreign_host_is_refused_in_chinese_like_other_errors(client: TestClient) -> None:
    api = client.get("/api/checklists", headers={"host": "evil.example"})
    assert api.status_code == 400 and api.json() == {
        "error": "不接受的主机名“evil.example”：本服务只在本机地址上提供 [A409]", "code": "A409"}
    page = client.get("/", headers={"host": "evil.example:8765"})
    assert page.status_code == 400 and "text/html" in page.headers["content-type"] and "不接受的主机名" in page.text
    assert client.get("/", headers={"host": "[::1]:8765"}).status_code == 200


def _post_scope(app, boundary: bytes = b"B") -> dict:
    """An ASGI scope for POST /api/check with a multipart body, from a loopback client."""
    return {"type": "http", "method": "POST", "path": "/api/check", "raw_path": b"/api/check", "query_string": b"",
            "headers": [(b"host", b"127.0.0.1:8765"), (b"content-type", b"multipart/form-data; boundary=" + boundary)],
            "scheme": "http", "server": ("127.0.0.1", 8765), "client": ("127.0.0.1", 5000), "http_version": "1.1",
            "root_path": "", "app": app}


def test_a_client_that_disconnects_is_not_an_internal_error(client: TestClient, caplog) -> None:
    """The body stops arriving: nothing is logged as 内部错误 and no answer is forced."""
    import asyncio
    import logging

    app = client.app
    messages = iter([
        {"type": "http.request", "body": b'--B\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\n',
         "more_body": True},
        {"type": "http.disconnect"},
    ])

    async def receive():
        return next(messages, {"type": "http.disconnect"})

    sent = []

    async def send(message):
        sent.append(message)

    scope = _post_scope(app)
    with caplog.at_level(logging.INFO):
        asyncio.run(app(scope, receive, send))
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], [r.getMessage() for r in caplog.records]


def _asgi_post(app, chunks, delay_before: dict[int, float] | None = None):
    """POST /api/check straight through the ASGI app, the body in ``chunks`` (a slow client
    waits ``delay_before[k]`` seconds before chunk k); returns (status, json body)."""
    import asyncio

    async def run():
        queue = list(enumerate(chunks))
        sent = []

        async def receive():
            if not queue:
                return {"type": "http.disconnect"}
            k, chunk = queue.pop(0)
            await asyncio.sleep((delay_before or {}).get(k, 0))
            return {"type": "http.request", "body": chunk, "more_body": bool(queue)}

        async def send(message):
            sent.append(message)

        scope = _post_scope(app)
        await app(scope, receive, send)
        start = next(m for m in sent if m["type"] == "http.response.start")
        body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
        return start["status"], json.loads(body)

    return asyncio.run(run())


def test_an_upload_that_stalls_is_cut_off(checklists) -> None:
    """A client that stops sending mid-body does not hold the connection for ever (408)."""
    app = create_app(checklists, max_upload=2_000_000, upload_idle=0.2)
    head = b'--B\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\n'
    status, body = _asgi_post(app, [head, "一、主要举措和成效".encode()], delay_before={1: 1.0})
    assert status == 408 and body == {"error": "上传中断：长时间未收到数据，请重新上传 [A407]", "code": "A407"}


def test_bytes_held_by_uploads_in_flight_are_capped(checklists) -> None:
    """Past the cap on bytes held by all uploads in flight, a request is told the server is busy."""
    app = create_app(checklists, max_upload=2_000_000, max_in_flight=1_000)
    head = b'--B\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\n'
    status, body = _asgi_post(app, [head, b"x" * 2_000, b"\r\n--B--\r\n"])
    assert status == 503 and "请稍后再试" in body["error"]
    middleware = app.middleware_stack  # the counter is back to zero once the request is answered
    while middleware is not None and type(middleware).__name__ != "BodyLimit":
        middleware = getattr(middleware, "app", None)
    assert middleware is not None and middleware.in_flight == 0


def test_a_client_that_leaves_stops_its_check(checklists) -> None:
    """The check stops soon after the client disconnects (A110) instead of running to the end
    holding the lock; a check that finishes first is answered as usual."""
    import asyncio

    app = create_app(checklists, max_upload=5_000_000)
    text = (EXAMPLES / "complete-county-2024.txt").read_text(encoding="utf-8")
    body = (b'--B\r\nContent-Disposition: form-data; name="file"; filename="big.txt"\r\n\r\n'
            + (text * 40).encode("utf-8") + b"\r\n--B--\r\n")

    async def run():
        sent, delivered = [], False

        async def receive():
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return {"type": "http.disconnect"}  # the client has gone as soon as the body is in

        async def send(message):
            sent.append(message)

        scope = _post_scope(app)
        await app(scope, receive, send)
        start = next(m for m in sent if m["type"] == "http.response.start")
        return start["status"], b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")

    status, payload = asyncio.run(run())
    assert status == 408 and json.loads(payload)["code"] == "A110", payload[:200]


def test_a_slow_loris_connection_is_closed() -> None:
    """A client that never finishes its request headers is disconnected (uvicorn alone kept
    such connections open for ever); a normal request on the same server is answered."""
    import socket
    import threading
    import time

    import uvicorn

    from auditor.serve.connection import HeaderDeadline

    async def app(scope, receive, send):
        if scope["type"] == "http":
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b"ok"})

    class Quick(HeaderDeadline):  # noqa: D101
        header_timeout = 0.5

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, http=Quick, log_level="error",
                                           lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        with socket.create_connection(("127.0.0.1", port), timeout=5) as ok:
            ok.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            assert b"200 OK" in ok.recv(1024)
        with socket.create_connection(("127.0.0.1", port), timeout=5) as slow:
            slow.sendall(b"GET / HTTP/1.1\r\nHost: 127.")  # and nothing more
            assert slow.recv(1024) == b""  # closed by the server (else: socket timeout after 5 s)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
