"""Pins what ``auditor.serve.starlette_forms`` borrows from Starlette's form parsers, which are
not public API: their constructor arguments, ``spool_max_size`` (uploads stay in memory), and
the English reasons that ``auditor.serve.forms`` turns into Chinese. A Starlette upgrade that
changes any of these fails here, in one place, before the page misbehaves."""

from __future__ import annotations

import asyncio

import pytest
from starlette.requests import Request

from auditor.serve.forms import _form_error
from auditor.serve.starlette_forms import FormRefused, parse_fields, parse_form

BOUNDARY = "pinned-boundary"


def _request(body: bytes, content_type: str, chunk: int = 65_536) -> Request:
    """A request whose body arrives in chunks, as from uvicorn."""
    parts = [body[i:i + chunk] for i in range(0, len(body), chunk)] or [b""]
    messages = [{"type": "http.request", "body": p, "more_body": k < len(parts) - 1} for k, p in enumerate(parts)]

    async def receive() -> dict:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    scope = {"type": "http", "method": "POST", "path": "/", "headers": [(b"content-type", content_type.encode())]}
    return Request(scope, receive)


def _multipart(*parts: tuple[str, str | None, bytes], close: bool = True) -> bytes:
    out = b""
    for name, filename, data in parts:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        out += f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n\r\n".encode() + data + b"\r\n"
    return out + (f"--{BOUNDARY}--\r\n".encode() if close else b"")


def _parse(body: bytes, max_part: int = 4_000_000, spool: int = 5_000_000,
           content_type: str = f"multipart/form-data; boundary={BOUNDARY}"):
    return asyncio.run(parse_form(_request(body, content_type), max_part, spool))


def test_an_upload_larger_than_starlettes_spool_stays_in_memory() -> None:
    data = b"x" * 3_000_000  # over Starlette's own 1 MB spool
    form = _parse(_multipart(("file", "draft.txt", data), ("kind", None, b"county")))
    upload = form["file"]
    assert upload.filename == "draft.txt" and form["kind"] == "county"
    assert upload.file._rolled is False  # never written to a temporary file on disk
    assert asyncio.run(upload.read()) == data


@pytest.mark.parametrize(("body", "reason", "chinese"), [
    (_multipart(("text", None, b"y" * 5_000)), "maximum size", "粘贴的正文过大"),
    (_multipart(*[("file", f"{k}.txt", b"z") for k in range(3)]), "Too many files", "一次只能上传一份文稿"),
    (_multipart(*[(f"f{k}", None, b"1") for k in range(65)]), "Too many fields", "表单字段过多"),
    (_multipart(("file", "a.txt", b"cut short"), close=False), "unterminated", "表单无法解析"),
], ids=["field-too-large", "files", "fields", "unterminated"])
def test_refusals_keep_the_reasons_the_chinese_messages_rely_on(body: bytes, reason: str, chinese: str) -> None:
    with pytest.raises(FormRefused) as refused:
        _parse(body, max_part=4_096)
    assert reason in refused.value.message
    settings = type("S", (), {"max_upload": 4_096})()
    assert chinese in _form_error(refused.value.message, settings).message


def test_urlencoded_forms_and_other_types() -> None:
    form = _parse(b"text=%E6%AD%A3%E6%96%87&kind=city", content_type="application/x-www-form-urlencoded")
    assert form["text"] == "正文" and form["kind"] == "city"
    with pytest.raises(FormRefused) as refused:
        _parse(b"text=" + b"a" * 5_000, max_part=4_096, content_type="application/x-www-form-urlencoded")
    assert "maximum size" in refused.value.message
    assert list(_parse(b"{}", content_type="application/json").keys()) == []


def test_small_field_forms_keep_their_field_cap() -> None:
    request = _request(b"&".join(f"mark.i{k}=covered".encode() for k in range(5)), "application/x-www-form-urlencoded")
    with pytest.raises(Exception, match="Too many fields"):
        asyncio.run(parse_fields(request, max_fields=4, max_part=64_000))
    request = _request(b"mark.i1=covered&note.i1=ok", "application/x-www-form-urlencoded")
    assert dict(asyncio.run(parse_fields(request, max_fields=4, max_part=64_000))) == {"mark.i1": "covered", "note.i1": "ok"}
