"""Checklist regexes with a bound on their cost.

Checklists are edited by hand, and one careless pattern such as ``(a|aa)+$`` can take
longer than the age of the universe on a long sentence. Three layers keep that out:

1. at load, a pattern longer than ``Limits.max_pattern_len`` or with a nested unbounded
   quantifier (``(a+)+``, ``(\\d*)*``: the classic exponential shape) is refused with the
   file and line;
2. at load, the pattern is run on adversarial probe strings under a short timeout, which
   catches the shapes the static check cannot see (overlapping alternatives under a
   repeat);
3. at run time every search goes through the ``regex`` module with a timeout; a search
   that runs out counts as no match and leaves a warning on the report.
"""

from __future__ import annotations

import contextlib
import contextvars
import re._parser as _sre_parse  # the stdlib regex parser (Python 3.11+, as setup.cfg requires)
from collections.abc import Iterator
from dataclasses import dataclass, field
from re._constants import MAX_REPEAT, MAXREPEAT, MIN_REPEAT, SUBPATTERN
from typing import Any

import regex

from . import limits
from .literals import necessary_literals

PROBE_TIMEOUT = 0.05
_PROBE_LEN = 48
_REPEATS = (MAX_REPEAT, MIN_REPEAT)
_SUBPATTERN = SUBPATTERN


class PatternError(ValueError):
    """A pattern that is invalid or too costly; the message is for the user, in Chinese."""


@dataclass(frozen=True)
class BoundedPattern:
    """A compiled checklist regex whose every search is time-bounded."""

    pattern: str
    compiled: regex.Pattern = field(repr=False, compare=False)
    # one of them is in every match (``auditor.literals``); None: unknown, always search
    literals: frozenset[str] | None = field(default=None, repr=False, compare=False)

    def search(self, text: str) -> regex.Match | None:
        """Like ``re.search``; a search that exceeds the limit is treated as no match. A text
        without any of the pattern's necessary literals is not searched: it cannot match."""
        if self.literals is not None:
            for s in self.literals:  # (a loop: ``any`` over a generator costs more than the test)
                if s in text:
                    break
            else:
                return None
        try:
            return self.compiled.search(text, timeout=limits.current().regex_timeout)
        except TimeoutError:
            _note(f"检查清单正则表达式“{self.pattern}”在一段文字上超时，已按未命中处理")
            return None


def compile_bounded(source: str) -> BoundedPattern:
    """Compile ``source`` or raise ``PatternError`` saying why it is refused."""
    cap = limits.current().max_pattern_len
    if len(source) > cap:
        raise PatternError(f"过长（{len(source)} 个字符，上限 {cap}）")
    try:
        compiled = regex.compile(source, flags=regex.VERSION0)
    except (regex.error, OverflowError, RecursionError) as exc:
        raise PatternError(f"有误：{exc}") from None
    nested = _nested_quantifier(source)
    if nested:
        raise PatternError(f"含有嵌套的重复量词“{nested}”，可能导致回溯爆炸；请改写，如把 (a+)+ 写成 a+")
    _probe(compiled)
    return BoundedPattern(source, compiled, necessary_literals(source))


def _nested_quantifier(source: str) -> str | None:
    """The first unbounded repeat nested inside another repeat, if any (as a hint)."""
    try:
        tree = _sre_parse.parse(source)
    except Exception:  # noqa: BLE001 - syntax only `regex` knows; the probe still runs
        return None
    return "(…+)+" if _has_nested(tree, inside_repeat=False) else None


def _has_nested(items: object, inside_repeat: bool) -> bool:
    """Walk the sre parse tree for a repeat whose body is nothing but an unbounded repeat.

    ``(a+)+`` and ``(\\w+\\s?)*`` can split the same text in exponentially many ways;
    ``(\\d+年)+`` cannot, because every round must consume a 年, so it is allowed.
    """
    for op, arg in _ops(items):
        if op in _REPEATS:
            _lo, hi, sub = arg
            if hi > 1 and _only_repeats(sub):
                return True
            if _has_nested(sub, inside_repeat or hi > 1):
                return True
        elif _has_nested_args(arg, inside_repeat):
            return True
    return False


def _only_repeats(sub: object) -> bool:
    """A body made only of repeats (through groups), at least one of them unbounded."""
    flat = list(_flatten(sub))
    return bool(flat) and all(op in _REPEATS for op, _ in flat) and any(a[1] == MAXREPEAT for _, a in flat)


def _flatten(sub: object) -> Iterator[tuple[Any, Any]]:
    """The elements of a body, looking through plain groups."""
    for op, arg in _ops(sub):
        if op is _SUBPATTERN and isinstance(arg, tuple) and isinstance(arg[-1], _sre_parse.SubPattern):
            yield from _flatten(arg[-1])
        else:
            yield op, arg


def _has_nested_args(arg: object, inside_repeat: bool) -> bool:
    """Descend into groups and alternatives (whose arguments hold sub-patterns)."""
    if isinstance(arg, _sre_parse.SubPattern):
        return _has_nested(arg, inside_repeat)
    if isinstance(arg, tuple | list):
        return any(_has_nested_args(a, inside_repeat) for a in arg)
    return False


def _ops(items: object) -> Iterator[tuple[Any, Any]]:
    """(opcode, argument) pairs of a SubPattern (an untyped tree of the sre parser)."""
    for entry in items:  # type: ignore[attr-defined]
        if isinstance(entry, tuple) and len(entry) == 2:
            yield entry


def _probe(compiled: regex.Pattern) -> None:
    """Run the pattern on strings built to trigger backtracking; refuse it if it stalls."""
    for text in _probes(compiled.pattern):
        try:
            compiled.search(text, timeout=PROBE_TIMEOUT)
        except TimeoutError:
            raise PatternError(f"在长度 {len(text)} 的测试文字上超过 {PROBE_TIMEOUT:g} 秒，回溯代价过高") from None


def _probes(source: str) -> list[str]:
    """Runs of the pattern's own characters, ended by a character that breaks the match."""
    chars = [c for c in dict.fromkeys(source) if c.isalnum() or ord(c) > 0x7F][:8] or ["a"]
    probes = [c * _PROBE_LEN + "\u0001" for c in chars]
    probes.append("".join(chars) * (_PROBE_LEN // len(chars) + 1) + "\u0001")
    probes.append(("法治政府建设 " * _PROBE_LEN) + "\u0001")
    # Ordinary report text: a pattern written with \u escapes or classes has no characters
    # of its own to probe with, yet may backtrack on every real sentence.
    probes.extend(REPORT_PROBES)
    return probes


REPORT_PROBES: tuple[str, ...] = (
    "全年办理行政复议案件纠错率明显提升依法行政水平持续提高法治政府建设取得新成效",
    "全年办理行政复议案件46件，纠错率12%；印发《规范性文件管理办法》，审核文件152件。" * 2,
    "2024年，区政府坚持以习近平法治思想为指导，全面推进严格规范公正文明执法，持续优化法治化营商环境。",
)


_NOTES: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar("auditor_pattern_notes", default=None)


def _note(message: str) -> None:
    """Record a warning for the report being checked (if anyone is collecting)."""
    notes = _NOTES.get()
    if notes is not None and message not in notes:
        notes.append(message)


@contextlib.contextmanager
def collect_notes() -> Iterator[list[str]]:
    """Collect the warnings raised by pattern timeouts inside the block."""
    notes: list[str] = []
    token = _NOTES.set(notes)
    try:
        yield notes
    finally:
        _NOTES.reset(token)
