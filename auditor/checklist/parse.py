"""Reading and parsing one checklist file safely: size, encoding, nesting, tags, aliases.

Every refusal is a located problem (``path:line: message``), raised before the validator
sees the data, so a hostile or broken file costs little and never crashes the process.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from ..errors import os_reason
from ..limits import human_size
from .items import Problem, _raise


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


# ---------------------------------------------------------------- loading
# A real checklist is tens of kilobytes; parsing megabytes of YAML is slow and pointless.
MAX_CHECKLIST_BYTES = 5_000_000


def _read(path: Path) -> str:
    """The file's text; unreadable, oversized or non-UTF-8 files become a located problem."""
    try:
        if path.is_dir():
            _raise([Problem(str(path), 1, "是目录而不是检查清单文件")])
        if path.stat().st_size > MAX_CHECKLIST_BYTES:
            _raise([Problem(str(path), 1, f"文件过大（{human_size(path.stat().st_size)}），上限为 {human_size(MAX_CHECKLIST_BYTES)}")])
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        _raise([Problem(str(path), 1, "文件不是 UTF-8 编码")])
    except OSError as exc:
        _raise([Problem(str(path), 1, f"无法读取文件：{os_reason(exc)}")])


# libyaml when present (ten times faster on a big file); both are the *safe* loader,
# which builds only plain data: a tag such as !!python/object is an error, not an object.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


MAX_NESTING = 64  # a checklist is four levels deep; the C parser recurses per level
_BLOCK_LEAD = re.compile(r"(?:[ ]|-[ ]|\?[ ])*")


def _refuse_deep(name: str, text: str) -> None:
    """Refuse nesting deeper than MAX_NESTING before the parser sees it: libyaml recurses once
    per level and a file nested tens of thousands of levels deep crashes the process. Flow
    brackets outside quotes and block indentation both count."""
    depth, quote = 0, ""
    for line_no, line in enumerate(text.splitlines(), 1):
        lead = _BLOCK_LEAD.match(line)
        indent = len(lead.group(0)) if lead else 0  # spaces and compact "- - -" both nest
        if indent > 2 * MAX_NESTING:
            _raise([Problem(name, line_no, f"嵌套层级过深（缩进 {indent} 格），上限约 {MAX_NESTING} 层")])
        for ch in line:
            if quote:
                quote = "" if ch == quote else quote
            elif ch in "'\"":
                quote = ch
            elif ch == "#":
                break
            elif ch in "[{":
                depth += 1
                if depth > MAX_NESTING:
                    _raise([Problem(name, line_no, f"嵌套层级过深（超过 {MAX_NESTING} 层方括号或花括号）")])
            elif ch in "]}":
                depth = max(0, depth - 1)
        quote = ""  # quoted flow scalars do not span lines in a checklist


def _parse(name: str, text: str) -> tuple[Any, yaml.Node]:
    """(data, node tree) from one safe parse; syntax errors, tags and aliases are located problems."""
    _refuse_deep(name, text)
    loader = _SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            _raise([Problem(name, 1, "文件为空")])
        _refuse_aliases(name, node)
        return loader.construct_document(node), node
    except yaml.constructor.ConstructorError as exc:
        tag = (getattr(exc, "problem", "") or "").split("tag ")[-1].strip("'").replace("tag:yaml.org,2002:", "!!")
        _raise([Problem(name, _mark_line(exc), f"不允许的 YAML 标签 {tag}：检查清单只能包含纯数据")])
    except yaml.YAMLError as exc:
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        _raise([Problem(name, _mark_line(exc), f"YAML 语法错误：{reason}")])
    finally:
        loader.dispose()


def _mark_line(exc: yaml.YAMLError) -> int:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return mark.line + 1 if mark is not None else 1


def _refuse_aliases(name: str, root: yaml.Node) -> None:
    """Refuse anchors/aliases: a node reached twice is an alias (and the "billion laughs").

    The walk visits each node object once, so it is linear even for an alias bomb.
    """
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            _raise([Problem(name, _line(node), "不支持 YAML 锚点与别名（&…/*…）：请直接写出内容")])
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            stack.extend(v for pair in node.value for v in pair)



# ---------------------------------------------------------------- count first
# A long list starts many lines with "- "; only then is it worth counting the items.
_ENTRY_LINE = re.compile(r"^[ \t]*-[ \t]", re.M)
_NODE_EVENTS = (yaml.ScalarEvent, yaml.AliasEvent, yaml.CollectionStartEvent)


def parse_checklist(name: str, text: str, cap: int) -> tuple[Any, yaml.Node, int | None]:
    """(data, node tree, item count) of a checklist file, counting the items first.

    A file whose block ``items`` list is longer than ``cap`` is refused by the validator
    without looking at its items, so they are not worth building: the list is counted from
    the parser's events (no nodes) and all entries but the first are blanked, lines kept, so
    every other problem keeps its line. The count is None when the list was not cut.
    """
    _refuse_deep(name, text)
    cut = _long_items(text, cap) if len(_ENTRY_LINE.findall(text)) > cap else None
    if cut is None:
        return (*_parse(name, text), None)
    total, first, end = cut
    lines = text.splitlines(keepends=True)
    blank = ["\n" if line.endswith(("\n", "\r")) else "" for line in lines[first:end]]
    return (*_parse(name, "".join(lines[:first] + blank + lines[end:])), total)


def _long_items(text: str, cap: int) -> tuple[int, int, int] | None:
    """(entries, first line of the second entry, line after the list; 0-based) of a top-level
    block ``items`` list longer than ``cap``; None when it is not, or when the file has a
    syntax error, an anchor, an alias or a tag (the full parse then reports them as usual)."""
    depth, top_nodes, is_items, count, lists, documents = 0, 0, False, 0, 0, 0
    second = end = -1
    key: str | None = None
    try:
        for event in yaml.parse(text, Loader=_SafeLoader):
            documents += isinstance(event, yaml.DocumentStartEvent)
            if documents > 1 or (depth == 0 and isinstance(event, _NODE_EVENTS)
                                 and not isinstance(event, yaml.MappingStartEvent)):
                return None  # not one mapping: the full parse says what is wrong
            if isinstance(event, _NODE_EVENTS):
                if isinstance(event, yaml.AliasEvent) or event.anchor or getattr(event, "tag", None):
                    return None
                if event.start_mark is None:
                    return None  # the parser always sets it; without it, the full parse decides
                if depth == 1:
                    if is_items and end < 0 and top_nodes % 2 == 0:
                        end = event.start_mark.line  # the next top-level key
                    if top_nodes % 2 == 1:
                        is_items = key == "items" and isinstance(event, yaml.SequenceStartEvent) and not event.flow_style
                        lists += key == "items"
                        if lists > 1:
                            return None  # a repeated key: the validator reports it
                    key = event.value if isinstance(event, yaml.ScalarEvent) else None
                    top_nodes += 1
                elif depth == 2 and is_items and end < 0:
                    count += 1
                    if count == 2:
                        second = _entry_line(text, event.start_mark)
                        if second < 0:
                            return None
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return None
    if count <= cap:
        return None
    return count, second, end if end >= 0 else len(text.splitlines())


def _entry_line(text: str, mark: Any) -> int:  # a yaml Mark (pure or C parser)
    """The line of a sequence entry when its ``-`` indicator stands on it, else -1."""
    line_start = text.rfind("\n", 0, mark.index) + 1
    lead = text[line_start : mark.index]
    return mark.line if "-" in lead and not lead.strip(" -\t") else -1
