"""The one place that reads a form through Starlette's parsers, which are not public API.

Starlette's ``request.form()`` spools files over 1 MB to disk and answers malformed forms in
English; here the same formats are read with the spool as large as the body limit (so an
upload never touches the disk) and every parsing failure becomes ``FormRefused`` with the
parser's reason, which ``forms`` words for the user. ``tests/test_serve_forms.py`` pins the
internals this relies on (the parsers' signatures, ``spool_max_size``, their messages), so a
Starlette upgrade that changes them fails there first.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import aclosing

from python_multipart.multipart import parse_options_header
from starlette.datastructures import FormData
from starlette.formparsers import FormParser, MultiPartException, MultiPartParser
from starlette.requests import Request

MAX_FIELDS = 64


class FormRefused(Exception):
    """The parser refused the body; ``message`` is its (English) reason."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


async def parse_form(request: Request, max_part: int, spool: int) -> FormData:
    """The submitted form (multipart or urlencoded; anything else is empty), held in memory
    up to ``spool`` bytes; a part over ``max_part`` bytes or a body cut before its closing
    boundary is refused."""
    content_type, options = parse_options_header(request.headers.get("content-type"))
    parser: MultiPartParser | FormParser
    async with aclosing(request.stream()) as stream:
        if content_type == b"multipart/form-data":
            closing = b"--" + options.get(b"boundary", b"") + b"--"
            watched = _watch_tail(stream, tail := bytearray(), len(closing) + 4)
            parser = MultiPartParser(request.headers, watched, max_files=2, max_fields=MAX_FIELDS,
                                     max_part_size=max_part)
            parser.spool_max_size = spool  # never rolls over to disk
        elif content_type == b"application/x-www-form-urlencoded":
            parser = FormParser(request.headers, stream, max_fields=MAX_FIELDS, max_part_size=max_part)
        else:
            return FormData()
        try:
            form = await parser.parse()
        except MultiPartException as exc:
            raise FormRefused(exc.message) from None
        if content_type == b"multipart/form-data" and closing not in tail:
            await form.close()  # a body cut before its closing boundary: the file may be partial
            raise FormRefused("unterminated")
        return form


async def parse_fields(request: Request, max_fields: int, max_part: int) -> FormData:
    """A urlencoded form of small fields (the marking form)."""
    return await FormParser(request.headers, request.stream(), max_fields=max_fields, max_part_size=max_part).parse()


async def _watch_tail(stream: AsyncIterator[bytes], tail: bytearray, keep: int) -> AsyncGenerator[bytes, None]:
    """Pass the body through, keeping its last ``keep`` bytes (where the closing boundary is)."""
    async for chunk in stream:
        tail[:] = (bytes(tail) + chunk)[-keep:]
        yield chunk

