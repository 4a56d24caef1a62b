"""Literals every match of a regex holds, so that a search can be skipped where none is.

Nearly every checklist term and pattern contains literal text that any match must hold:
``审核率`` holds ``审核率``; ``(文件|发文|公文)(合法性)?审核`` holds one of ``文件审核``,
``文件合法性审核``…; ``法治[^，。]{0,6}?考核`` holds ``考核`` (or ``法治``). A text without any
of a pattern's *necessary literals* cannot match it, so looking for plain words (no regex
features, no backtracking) tells, for a fraction of the cost, where a search is worth running
(``patterns.BoundedPattern`` and the match stage's trigger, ``match.gate``).

The literals are read from the pattern's syntax tree (Python's own regex parser); a pattern
that parser cannot read the way the ``regex`` module runs it (case-insensitive, fuzzy or
POSIX classes, syntax of ``regex`` only) has none, and is searched everywhere as before.
"""

from __future__ import annotations

import re
import re._parser as _sre_parse
from collections.abc import Iterable
from re._constants import (
    ASSERT,
    ASSERT_NOT,
    AT,
    ATOMIC_GROUP,
    BRANCH,
    IN,
    LITERAL,
    MAX_REPEAT,
    MIN_REPEAT,
    POSSESSIVE_REPEAT,
    RANGE,
    SUBPATTERN,
)
from typing import Any

MAX_STRINGS = 64  # alternatives a literal set may hold (beyond it: no literal there)
MAX_RANGE = 16  # characters a class range may expand to
SEPARATOR = "\n"  # no literal holds it (sentences are joined with it: ``match.gate``)
_REPEATS = (MAX_REPEAT, MIN_REPEAT, POSSESSIVE_REPEAT)
_ZERO_WIDTH = (AT, ASSERT, ASSERT_NOT)
# Syntax Python's parser reads differently from ``regex`` (which runs the patterns): a brace
# that is not a counted repeat (fuzzy matching ``{e<=1}``), POSIX classes, case folding.
_FOREIGN = re.compile(r"\{(?!\d*(?:,\d*)?\})|\[:|\(\?[a-zA-Z]*[if]")


class _NoLiteral(Exception):
    """The pattern (or this part of it) has no literal every match must contain."""


def necessary_literals(source: str) -> frozenset[str] | None:
    """Strings one of which every match of ``source`` contains, or None when there is no
    such small set (or the pattern is not one this module can read safely)."""
    if _FOREIGN.search(source):
        return None
    try:
        tree = _sre_parse.parse(source)
    except Exception:  # noqa: BLE001 - syntax of ``regex`` only: no literals
        return None
    if tree.state.flags & (re.IGNORECASE | re.LOCALE):
        return None
    try:
        found = _sequence(list(tree))
    except _NoLiteral:
        return None
    if found is None or any(not s or SEPARATOR in s for s in found):
        return None
    return frozenset(found)


def _sequence(items: list[tuple[Any, Any]]) -> set[str] | None:
    """The best necessary set of a sequence: the longest run of consecutive elements with a
    finite language, multiplied out, or the necessary set of a repeated element."""
    best: set[str] | None = None
    run: set[str] = {""}
    for op, arg in items:
        lang = _language(op, arg)
        if lang is None:  # the run ends here; the element may still hold a literal
            best = _better(_better(best, run), _inner(op, arg))
            run = {""}
            continue
        grown = _product(run, lang)
        if grown is None:  # too many strings: the run ends, a new one starts here
            best = _better(best, run)
            grown = lang
        run = grown
    return _better(best, run)


def _better(a: set[str] | None, b: set[str] | None) -> set[str] | None:
    """The more selective of two necessary sets: longer shortest string, then fewer strings.
    A set holding the empty string says nothing and is never chosen."""
    if b is None or "" in b:
        return a
    if a is None:
        return b
    # on a tie the later one: patterns tend to open with a common word (法治…考核)
    return b if (min(map(len, b)), -len(b)) >= (min(map(len, a)), -len(a)) else a


def _inner(op: Any, arg: Any) -> set[str] | None:
    """The necessary set of one element whose language is not finite: a repeat done at least
    once, a group, an alternation (each branch must have one)."""
    if op in _REPEATS and arg[0] >= 1:
        return _sequence(list(arg[2]))
    if op is SUBPATTERN:
        _flags_ok(arg)
        return _sequence(list(arg[-1]))
    if op is ATOMIC_GROUP:
        return _sequence(list(arg))
    if op is BRANCH:
        return _union(arg[1], _sequence)
    return None


def _union(branches: Any, of: Any) -> set[str] | None:
    """The union of ``of(branch)`` over an alternation's branches; None when a branch has
    none, or when the union grows past MAX_STRINGS."""
    union: set[str] = set()
    for branch in branches:
        found = of(list(branch))
        if found is None:
            return None
        union |= found
    return union if len(union) <= MAX_STRINGS else None


def _language(op: Any, arg: Any) -> set[str] | None:
    """Every string the element can match, when that is a small finite set; else None."""
    if op is LITERAL:
        return {chr(arg)}
    if op in _ZERO_WIDTH:
        return {""}  # consumes nothing (and only restricts where the rest matches)
    if op is IN:
        return _chars(arg)
    if op is SUBPATTERN:
        _flags_ok(arg)
        return _sequence_language(list(arg[-1]))
    if op is ATOMIC_GROUP:
        return _sequence_language(list(arg))
    if op is BRANCH:
        return _union(arg[1], _sequence_language)
    if op in _REPEATS:
        lo, hi, body = arg
        sub = _sequence_language(list(body))
        if sub is None or hi > 3:
            return None
        out: set[str] = set()
        power: set[str] | None = {""}
        for n in range(hi + 1):  # body repeated n times, lo <= n <= hi (at most 3)
            if power is None or len(out) > MAX_STRINGS:
                return None
            if n >= lo:
                out |= power
            power = _product(power, sub)
        return out if len(out) <= MAX_STRINGS else None
    return None


def _sequence_language(items: list[tuple[Any, Any]]) -> set[str] | None:
    """The language of a whole sequence (the product of its elements'), if small."""
    lang: set[str] | None = {""}
    for op, arg in items:
        part = _language(op, arg)
        if part is None:
            return None
        lang = _product(lang, part)
        if lang is None:
            return None
    return lang


def _chars(items: list[tuple[Any, Any]]) -> set[str] | None:
    """The characters of a class, if it lists a few (no negation, no category)."""
    out: set[str] = set()
    for op, arg in items:
        if op is LITERAL:
            out.add(chr(arg))
        elif op is RANGE and arg[1] - arg[0] < MAX_RANGE:
            out.update(chr(c) for c in range(arg[0], arg[1] + 1))
        else:
            return None
    return out


def _product(a: set[str] | None, b: set[str]) -> set[str] | None:
    """Every string of ``a`` followed by every string of ``b``, if not too many."""
    if a is None or len(a) * len(b) > MAX_STRINGS:
        return None
    return {x + y for x in a for y in b}


def _flags_ok(arg: Any) -> None:
    """A group that turns on case-insensitive matching has no literal."""
    add_flags = arg[1] if len(arg) == 4 else 0
    if add_flags & (re.IGNORECASE | re.LOCALE):
        raise _NoLiteral


def literal_finder(literals: Iterable[str]) -> re.Pattern[str]:
    """One search for any of the (non-empty) literals: plain words, no backtracking. The
    words are merged into a trie (``法治(?:政府)?|依法…``), so each position of the text is
    tried against each distinct first character once, not against every word."""
    root: dict[str, dict] = {}
    for word in literals:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}  # a word ends here
    try:
        return re.compile(_trie(root))
    except (RecursionError, re.error):  # words nested hundreds deep (a, ab, abc …): flat
        return re.compile("|".join(re.escape(s) for s in sorted(set(literals), key=len, reverse=True)))


def _trie(node: dict[str, dict]) -> str:
    """The regex of a trie node's continuations (empty when none)."""
    alts = [re.escape(ch) + _trie(child) for ch, child in sorted(node.items()) if ch]
    ends = "" in node
    if not alts:
        return ""
    body = alts[0] if len(alts) == 1 and not ends else "(?:" + "|".join(alts) + ")"
    return body + "?" if ends else body
