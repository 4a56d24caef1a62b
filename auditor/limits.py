"""Bounds on the work one input can cause, in one place, configurable per run.

Defaults suit real reports with a wide margin (a long annual report is 10-30 KB and
20,000 characters). The CLI sets them from ``--max-size`` / ``--max-chars`` /
``--timeout`` or the ``AUDITOR_MAX_SIZE`` / ``AUDITOR_MAX_CHARS`` / ``AUDITOR_TIMEOUT``
environment variables; the stages read them through ``current()``, so a web server
thread or a batch worker can run with its own limits without passing them around.
"""

from __future__ import annotations

import contextlib
import contextvars
import math
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any, Protocol

from .errors import InputError, UsageError


@dataclass(frozen=True)
class Limits:
    """What one report (or checklist) may cost."""

    max_bytes: int = 20_000_000        # size of the file as read
    max_unpacked: int = 200_000_000    # a .docx after unzipping (zip bombs)
    max_xml_bytes: int = 50_000_000    # word/document.xml after unzipping (other parts: a fifth)
    max_xml_elements: int = 2_000_000  # tags in word/document.xml (a long report has ~50,000)
    max_chars: int = 1_000_000         # normalised text handed to the NLP stages
    timeout: float = 120.0             # seconds of analysis per report (0 = none)
    regex_timeout: float = 0.05        # seconds for one checklist pattern on one passage
    max_items: int = 5_000             # items in one checklist file
    max_pattern_len: int = 500         # characters in one checklist pattern

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Limits:
        """Defaults overridden by AUDITOR_* environment variables, validated like the options:
        a malformed, non-finite, negative or absurd value is a one-line error naming the
        variable, never a silent default or a crash deep inside a stage."""
        env = dict(os.environ) if env is None else env
        changes: dict[str, Any] = {}
        for key, field, parse, expected in _ENV:
            raw = env.get(key)
            if raw is None or not raw.strip():
                continue
            try:
                changes[field] = parse(raw)
            except ValueError:
                raise UsageError("A301", key, detail=f"环境变量的值“{raw}”无效：{expected}") from None
        return replace(cls(), **changes)


MAX_SIZE_CAP = 10_000_000_000  # 10 GB: beyond any report; larger values are mistakes
MAX_CHARS_CAP = 1_000_000_000
MAX_TIMEOUT = 7 * 24 * 3600.0  # a week


def parse_chars(text: str) -> int:
    """A character count: a whole number from 1 to MAX_CHARS_CAP."""
    value = int(text.strip())
    if not 1 <= value <= MAX_CHARS_CAP:
        raise ValueError(text)
    return value


def parse_timeout(text: str) -> float:
    """Seconds: a finite number from 0 (no limit) to a week."""
    value = float(text.strip())
    if not math.isfinite(value) or not 0 <= value <= MAX_TIMEOUT:
        raise ValueError(text)
    return value


_ENV: tuple[tuple[str, str, Callable[[str], float | int], str], ...] = (
    ("AUDITOR_MAX_SIZE", "max_bytes", lambda raw: parse_size(raw), "应为大小，如 20MB、500KB（上限 10GB）"),
    ("AUDITOR_MAX_CHARS", "max_chars", lambda raw: parse_chars(raw), "应为 1 至 1,000,000,000 的整数"),
    ("AUDITOR_TIMEOUT", "timeout", lambda raw: parse_timeout(raw), "应为 0 至 604800 的秒数（0 为不限）"),
)

_UNITS = {"": 1, "B": 1, "K": 1_000, "KB": 1_000, "M": 1_000_000, "MB": 1_000_000,
          "G": 1_000_000_000, "GB": 1_000_000_000}


def parse_size(text: str) -> int:
    """'20MB', '500k', '1000000' -> bytes; ValueError for anything else."""
    s = text.strip().upper().replace(" ", "")
    num = s.rstrip("KMGB")
    unit = s[len(num):]
    if unit not in _UNITS or not num:
        raise ValueError(text)
    value = float(num) * _UNITS[unit]
    if not math.isfinite(value) or not 0 < value <= MAX_SIZE_CAP:
        raise ValueError(text)
    return int(value)


def human_size(n: int) -> str:
    """Bytes in the unit a user reads at a glance."""
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f} MB"
    if n >= 1_000:
        return f"{n / 1_000:.1f} KB"
    return f"{n} 字节"


_CURRENT: contextvars.ContextVar[Limits] = contextvars.ContextVar("auditor_limits")
_DEADLINE: contextvars.ContextVar[tuple[float, str] | None] = contextvars.ContextVar(
    "auditor_deadline", default=None
)


def current() -> Limits:
    """The limits in force for this thread / task (environment defaults unless set)."""
    try:
        return _CURRENT.get()
    except LookupError:
        limits = Limits.from_env()
        _CURRENT.set(limits)
        return limits


def set_current(limits: Limits) -> contextvars.Token:
    """Make ``limits`` the ones in force from here on in this context (a process, a thread)."""
    return _CURRENT.set(limits)


def reset(token: contextvars.Token) -> None:
    """Undo a ``set_current``."""
    _CURRENT.reset(token)


@contextlib.contextmanager
def use(limits: Limits) -> Iterator[Limits]:
    """Run a block under ``limits``."""
    token = _CURRENT.set(limits)
    try:
        yield limits
    finally:
        _CURRENT.reset(token)


@contextlib.contextmanager
def deadline(name: str, seconds: float | None = None) -> Iterator[None]:
    """Give the work on one report ``seconds`` (default: ``current().timeout``).

    Nested deadlines keep the earliest: a caller that bounds the whole report (reading,
    outline, matching, defects, rendering) is not given fresh time by a stage inside it.
    """
    seconds = current().timeout if seconds is None else seconds
    value = (time.monotonic() + seconds, name) if seconds and seconds > 0 else None
    outer = _DEADLINE.get()
    if outer is not None and (value is None or outer[0] <= value[0]):
        value = outer
    token = _DEADLINE.set(value)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


class Cancel(Protocol):
    """What stops an analysis from outside: a ``threading.Event`` or a worker's shared flag."""

    def is_set(self) -> bool:
        """Whether the analysis should stop."""
        ...


_CANCEL: contextvars.ContextVar[Cancel | None] = contextvars.ContextVar("auditor_cancel", default=None)


@contextlib.contextmanager
def cancellable(event: Cancel | None) -> Iterator[None]:
    """Let ``event`` stop the analysis in this context (the local page sets it when the
    client goes away): ``check_time`` then raises A110 at its next call."""
    token = _CANCEL.set(event)
    try:
        yield
    finally:
        _CANCEL.reset(token)


def remaining() -> float | None:
    """Seconds left before the current report's deadline (None: no deadline), for bounding
    a child process (an OCR engine, a document converter) that ``check_time`` cannot reach."""
    value = _DEADLINE.get()
    return None if value is None else value[0] - time.monotonic()


def check_time() -> None:
    """Raise A109 when the report being analysed has used up its time, A110 when its
    requester has gone (cheap to call often)."""
    value = _DEADLINE.get()
    if value is not None and time.monotonic() > value[0]:
        raise InputError("A109", value[1], limit=f"{current().timeout:g} 秒")
    cancel = _CANCEL.get()
    if cancel is not None and cancel.is_set():
        raise InputError("A110", value[1] if value else None)
