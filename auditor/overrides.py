"""The supervisor's word: an overrides file (人工复核) that sets the verdict of chosen items.

One YAML file may hold decisions for many reports; a report is matched by the sha256 of
its bytes (as ``source.sha256``), never by its name, which is for people::

    reports:
      - file: 某县2024年度报告.docx
        sha256: 3f9a…
        items:
          disputes.administrative-reconsideration: {status: not-applicable, note: 乡镇不是复议机关, by: 张三, date: 2026-03-02}

The file is validated like a checklist (safe YAML, ``file:line`` for every problem, exit 2);
an override for an item no loaded checklist has is an error, not silently ignored. An entry
whose ``file`` names a report whose bytes changed (another sha256) is *stale*: it is
reported, never applied.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .checklist import ChecklistProblems, Problem, _parse, _read, _Validator
from .model import Override

STATUSES: tuple[str, ...] = ("covered", "partial", "missing", "not-applicable")
FILE_KEYS: tuple[str, ...] = ("reports",)
REPORT_KEYS: tuple[str, ...] = ("file", "sha256", "items")
ITEM_KEYS: tuple[str, ...] = ("status", "note", "by", "date")
MAX_BYTES = 5_000_000  # as a checklist file
STALE_PREFIX = "人工复核文件 "  # how a stale-override warning starts (batch records pick them out)
_SHA = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class Entry:
    """The decisions for one report."""

    file: str
    sha256: str
    items: dict[str, Override]
    line: int = 0


@dataclass
class Overrides:
    """Every entry of an overrides file, by sha256."""

    path: str = ""
    entries: list[Entry] = field(default_factory=list)

    def for_sha(self, sha256: str) -> dict[str, Override]:
        """The decisions for the report with these bytes (later entries win)."""
        out: dict[str, Override] = {}
        for e in self.entries:
            if e.sha256 == sha256:
                out.update(e.items)
        return out

    def stale_for(self, path: str, sha256: str) -> list[str]:
        """Messages for entries naming this file whose sha256 no longer matches its bytes."""
        if self.for_sha(sha256):
            return []
        name = Path(path).name
        return [
            f"{STALE_PREFIX}{self.path}:{e.line} 中“{e.file}”的 {len(e.items)} 项复核意见已过期：报告内容已变化"
            f"（sha256 不再一致），未予采用，请重新复核"
            for e in self.entries
            if e.file and Path(e.file).name == name and e.sha256 != sha256
        ]


def load(path: str | Path, known_items: Iterable[str]) -> Overrides:
    """Load and validate an overrides file; ``ChecklistProblems`` (exit 2) lists every problem."""
    try:
        text = _read(Path(path))
    except ChecklistProblems as exc:  # unreadable, too large, not UTF-8
        raise OverridesProblems(exc.problems) from None
    return loads(text, str(path), known_items)


def loads(text: str, name: str, known_items: Iterable[str]) -> Overrides:
    """Validate overrides held in memory (an upload to the local page); ``name`` labels it."""
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise OverridesProblems([Problem(name, 1, f"文件过大，上限为 {MAX_BYTES // 1_000_000} MB")])
    try:
        data, node = _parse(name, text)
    except ChecklistProblems as exc:  # YAML syntax, tags, aliases, nesting
        raise OverridesProblems(exc.problems) from None
    v = _Validator(name)
    entries = _entries(v, data, node, set(known_items))
    if v.problems:
        raise OverridesProblems(sorted(v.problems, key=lambda p: p.line))
    return Overrides(name, entries)


class OverridesProblems(ChecklistProblems):
    """The located problems of an overrides file."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__(problems)
        self.message = self.message.replace("检查清单未通过校验", "人工复核文件未通过校验", 1)


def _entries(v: _Validator, data: Any, node: yaml.Node, known: set[str]) -> list[Entry]:
    found = v.fields(data, node, FILE_KEYS, FILE_KEYS, "人工复核文件")
    if not found:
        return []
    value, list_node = found["reports"]
    if not isinstance(value, list) or not isinstance(list_node, yaml.SequenceNode):
        v.error(list_node, "reports：应为列表，每项对应一份报告")
        return []
    out = []
    for k, (report, report_node) in enumerate(zip(value, list_node.value, strict=False), 1):
        entry = _entry(v, report, report_node, known, f"reports 第{k}项")
        if entry is not None:
            out.append(entry)
    return out


def _entry(v: _Validator, data: Any, node: yaml.Node, known: set[str], who: str) -> Entry | None:
    found = v.fields(data, node, REPORT_KEYS, ("sha256", "items"), who)
    if found is None:
        return None
    file = v.text(*found["file"], f"{who} 的 file") if "file" in found else ""
    sha = None
    if "sha256" in found:
        value, sha_node = found["sha256"]
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10**64:
            value = f"{value:064d}"  # an all-digit hash written without quotes reads as a number
        sha = v.text(value, sha_node, f"{who} 的 sha256")
        if sha is not None and not _SHA.match(sha):
            v.error(found["sha256"][1], f"{who} 的 sha256：应为 64 位小写十六进制（见 JSON 的 source.sha256）")
            sha = None
    items: dict[str, Override] = {}
    if "items" in found:
        value, items_node = found["items"]
        mapping = v.fields(value, items_node, tuple(value) if isinstance(value, dict) else (), (), f"{who} 的 items")
        for item_id, (decision, decision_node) in (mapping or {}).items():
            if item_id not in known:
                v.error(decision_node, f"{who}：未知的条目“{item_id}”（所用检查清单中没有该条目）")
                continue
            made = _decision(v, decision, decision_node, f"条目 {item_id}")
            if made is not None:
                items[item_id] = made
    if sha is None or not items:
        return None
    return Entry(file or "", sha, items, node.start_mark.line + 1)


def _decision(v: _Validator, data: Any, node: yaml.Node, who: str) -> Override | None:
    found = v.fields(data, node, ITEM_KEYS, ("status",), who)
    if found is None or "status" not in found:
        return None
    status = v.choice(*found["status"], STATUSES, f"{who} 的 status")
    texts: dict[str, str] = {}
    for key in ("note", "by"):
        if key in found:
            texts[key] = v.text(*found[key], f"{who} 的 {key}") or ""
    if "date" in found:
        texts["date"] = _date(v, *found["date"], f"{who} 的 date")
    return Override(status, texts.get("note", ""), texts.get("by", ""), texts.get("date", "")) if status else None


def _date(v: _Validator, value: Any, node: yaml.Node, who: str) -> str:
    """A date written 2026-03-02 (YAML reads it as a date) or as a string of that form."""
    if isinstance(value, _dt.date):
        return value.isoformat()[:10]
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            pass
    v.error(node, f"{who}：应为日期，如 2026-03-02")
    return ""


def dump(entries: Sequence[Entry]) -> str:
    """An overrides file holding these entries (what the local page offers for download)."""
    reports = [
        {
            "file": e.file,
            "sha256": e.sha256,
            "items": {
                i: {k: val for k, val in (("status", o.status), ("note", o.note), ("by", o.by), ("date", o.date)) if val}
                for i, o in e.items.items()
            },
        }
        for e in entries
    ]
    head = "# 人工复核意见（auditor --overrides 使用）：按 sha256 对应报告，file 仅供阅读\n"
    return head + yaml.safe_dump({"reports": reports}, allow_unicode=True, sort_keys=False)
