"""Reading a request: the draft and the options of the page's form or of ``/api/check``."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request

from ..cli_options import KINDS
from ..errors import AuditorError, InputError
from ..limits import human_size
from ..overrides import Overrides
from .settings import RequestError, Settings
from .starlette_forms import FormRefused, parse_form

PASTE_NAME = "粘贴的文稿.txt"
MAX_NAME_CHARS = 120
FORM_OVERHEAD = 256_000  # multipart headers and the small fields besides the file
_STATUS = {"A103": 415, "A104": 415, "A105": 413, "A110": 408, "A111": 501, "A112": 415}


@dataclass
class Draft:
    """One submitted draft: its bytes, the name it is shown under, and the choices."""

    raw: bytes
    name: str
    checklist_ids: list[str]
    kind: str | None
    pasted: str = ""  # the pasted text, put back in the text box with the answer
    overrides: Overrides | None = None  # an uploaded overrides file (人工复核), else the server's



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
    form = await read_form(request, settings)
    try:
        if len(form.getlist("file")) > 1 or len(form.getlist("overrides")) > 1:
            raise RequestError(400, "A404")
        upload, text = form.get("file"), form.get("text")
        pasted = text if isinstance(text, str) and text.strip() else ""
        if isinstance(upload, UploadFile) and upload.filename:
            name = display_name(upload.filename)
            raw = await upload.read(settings.max_upload + 1)
            if len(raw) > settings.max_upload:
                size = human_size(upload.size or len(raw))
                raise input_error(InputError("A105", name, detail=size, limit=human_size(settings.max_upload)))
            pasted = ""
        elif pasted:
            raw, name = pasted.encode("utf-8"), PASTE_NAME
        else:
            raise RequestError(422, "A403")
        return Draft(raw, name, _checklist_ids(form.getlist("checklist"), settings), _kind(form.get("kind")), pasted,
                     await _overrides(form.get("overrides"), settings))
    finally:
        await form.close()


async def read_form(request: Request, settings: Settings) -> FormData:
    """The submitted form, held in memory (an uploaded file never spills into a temporary
    file), every parsing failure a one-line Chinese reason."""
    try:
        return await parse_form(request, settings.max_upload, settings.max_upload + FORM_OVERHEAD)
    except FormRefused as exc:
        raise _form_error(exc.message, settings) from None


def _form_error(message: str, settings: Settings) -> RequestError:
    """A form the parser refused, in the user's words (the parser's reasons are English)."""
    if "maximum size" in message:
        return RequestError(413, "A402", limit=human_size(settings.max_upload))
    if message.startswith("Too many files"):
        return RequestError(400, "A404")
    if message.startswith("Too many fields"):
        return RequestError(400, "A405")
    return RequestError(400, "A406")


async def _overrides(upload: Any, settings: Settings) -> Overrides | None:
    """An uploaded overrides file, validated (its problems are the answer, with file:line)."""
    if not isinstance(upload, UploadFile) or not upload.filename:
        return settings.overrides
    from ..overrides import MAX_BYTES, loads

    name = display_name(upload.filename)
    raw = await upload.read(MAX_BYTES + 1)
    try:
        return loads(raw.decode("utf-8-sig"), name, settings.item_ids())
    except UnicodeDecodeError:
        raise RequestError(422, "A415", path=name) from None
    except AuditorError as exc:
        raise RequestError.of(422, exc) from None


def _checklist_ids(values: Sequence[Any], settings: Settings) -> list[str]:
    """The chosen checklist ids (all offered ones when none is chosen)."""
    offered = settings.by_id()
    chosen = [v for v in values if isinstance(v, str) and v]
    unknown = [v for v in chosen if v not in offered]
    if unknown:
        raise RequestError(422, "A413", detail=unknown[0], choices="、".join(offered))
    return list(dict.fromkeys(chosen)) or list(offered)


def _kind(value: Any) -> str | None:
    """The reporting level, or None; anything outside the closed list is an error."""
    if value in (None, ""):
        return None
    if value not in KINDS:
        raise RequestError(422, "A414", detail=value, choices="、".join(KINDS))
    return str(value)



def input_error(exc: InputError) -> RequestError:
    """The CLI's one-line reason, with the HTTP status that fits it."""
    return RequestError.of(_STATUS.get(exc.code, 422), exc)

