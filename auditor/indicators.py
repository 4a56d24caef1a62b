"""Quantitative indicators (指标) read from a report, for comparing years.

The list of indicators is data (``checklists/indicators/indicators.yaml``, or a user's
file of the same shape): a name, a unit and patterns with a ``value`` group. It is read
with the checklist loader's safe parse (no tags, no aliases, bounded nesting) and every
pattern goes through ``auditor.patterns`` (refused when costly, time-bounded searches).
An indicator's value is the first match in reading order, with its sentence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .checklist import Problem, _parse, _raise, _read
from .patterns import BoundedPattern, PatternError, compile_bounded
from .resources import checklists_dir


@dataclass(frozen=True)
class Indicator:
    """One quantitative indicator: what it is called, its unit, how to find it."""

    id: str
    name: str
    unit: str
    patterns: tuple[BoundedPattern, ...]


@dataclass(frozen=True)
class IndicatorSet:
    """A loaded indicator list with its version (recorded with every comparison)."""

    id: str
    version: str
    path: str
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True)
class Reading:
    """An indicator's value in one report, with the sentence it was read from."""

    value: float
    text: str  # the figure as written, e.g. "12.5"
    sentence: str  # the sentence as written in the original
    start: int  # offsets of the sentence into Document.original
    end: int


def default_path() -> Path:
    """The shipped indicator list."""
    return checklists_dir() / "indicators" / "indicators.yaml"


def load(path: str | Path | None = None) -> IndicatorSet:
    """Load and validate an indicator list; every problem is ``file:line: message`` (exit 2)."""
    p = Path(path) if path else default_path()
    name = str(p)
    data, node = _parse(name, _read(p))
    problems: list[Problem] = []
    if not isinstance(data, dict) or not isinstance(data.get("indicators"), list):
        _raise([Problem(name, 1, "指标清单须为映射，并含 indicators 列表")])
    nodes = {k.value: v for k, v in node.value}
    seq = nodes["indicators"].value
    out: list[Indicator] = []
    seen: set[str] = set()
    for entry, enode in zip(data["indicators"], seq, strict=False):
        line = enode.start_mark.line + 1
        ind = _indicator(name, line, entry, problems)
        if ind is None:
            continue
        if ind.id in seen:
            problems.append(Problem(name, line, f"指标 id“{ind.id}”重复"))
        seen.add(ind.id)
        out.append(ind)
    if problems:
        _raise(problems)
    return IndicatorSet(str(data.get("id", p.stem)), str(data.get("version", "")), name, tuple(out))


_KEYS = {"id", "name", "unit", "patterns"}


def _indicator(name: str, line: int, entry: Any, problems: list[Problem]) -> Indicator | None:
    if not isinstance(entry, dict):
        problems.append(Problem(name, line, "每个指标须为映射（id、name、unit、patterns）"))
        return None
    unknown = sorted(set(map(str, entry)) - _KEYS)
    if unknown:
        problems.append(Problem(name, line, f"未知字段：{'、'.join(unknown)}"))
    fields = {k: entry.get(k) for k in ("id", "name", "unit")}
    for k, v in fields.items():
        if not isinstance(v, str) or not v.strip():
            problems.append(Problem(name, line, f"缺少字段 {k} 或其值不是文字"))
            return None
    raw = entry.get("patterns")
    if not isinstance(raw, list) or not raw or not all(isinstance(s, str) for s in raw):
        problems.append(Problem(name, line, f"指标“{fields['id']}”的 patterns 须为非空的文字列表"))
        return None
    pats: list[BoundedPattern] = []
    for src in raw:
        try:
            bp = compile_bounded(src)
        except PatternError as exc:
            problems.append(Problem(name, line, f"指标“{fields['id']}”的正则表达式“{src}”{exc}"))
            continue
        if "value" not in bp.compiled.groupindex:
            problems.append(Problem(name, line, f"指标“{fields['id']}”的正则表达式“{src}”缺少命名组 (?P<value>…)"))
            continue
        pats.append(bp)
    return Indicator(str(fields["id"]), str(fields["name"]), str(fields["unit"]), tuple(pats))


def read(indicators: IndicatorSet, sentences: Sequence[tuple[str, int, int, str]]) -> dict[str, Reading]:
    """Each indicator's first reading. ``sentences`` are (normalised text, original start,
    original end, original text) in reading order."""
    found: dict[str, Reading] = {}
    for ind in indicators.indicators:
        for text, start, end, orig in sentences:
            m = next((m for p in ind.patterns if (m := p.search(text))), None)
            if m is None:
                continue
            try:
                value = float(m.group("value"))
            except (TypeError, ValueError):
                continue
            found[ind.id] = Reading(value, m.group("value"), orig.strip(), start, end)
            break
    return found
