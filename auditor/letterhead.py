"""Who a memo is addressed to, who issues it and who reviewed it (主送、落款、审核人).

These come from the command line (``--to``, ``--from``, ``--reviewer``, ``--date``) or
from a small YAML file (``--config``); options win over the file. Anything not given is
left as a visible blank in the memo for the reviewer to fill in by hand, never guessed.

The file (UTF-8, read with ``yaml.safe_load``) has at most these keys, in Chinese or
English::

    主送: 临江市司法局          # or  to:
    落款: 临江市人民政府办公室  # or  from:
    审核人: 张三                # or  reviewer:
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from .errors import UsageError

DETAILS = ("brief", "full")  # the concise memo (default) and the complete review form
MAX_FIELD = 60  # characters: an office name, not a paragraph
KEYS: dict[str, str] = {
    "主送": "to", "主送机关": "to", "to": "to",
    "落款": "issuer", "发文机关": "issuer", "from": "issuer",
    "审核人": "reviewer", "reviewer": "reviewer",
}


@dataclass(frozen=True)
class Letterhead:
    """The memo's addressee, issuing office, reviewer and date; "" / None = a blank to fill."""

    to: str = ""
    issuer: str = ""
    reviewer: str = ""
    issued: date | None = None


def load_letterhead(path: str | Path) -> Letterhead:
    """Read a letterhead file; any problem is one Chinese line naming the file (exit 2)."""
    import yaml

    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        detail = getattr(exc, "strerror", None) or "不是 UTF-8 文本"
        raise UsageError("A301", name, detail=f"无法读取审核意见配置文件：{detail}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"第{mark.line + 1}行：" if mark is not None else ""
        raise UsageError("A301", name, detail=f"{line}审核意见配置文件不是有效的 YAML") from None
    if data is None:
        return Letterhead()
    if not isinstance(data, dict):
        raise UsageError("A301", name, detail="审核意见配置文件应为“键: 值”形式（主送、落款、审核人）")
    fields: dict[str, Any] = {}
    for key, value in data.items():
        field = KEYS.get(str(key))
        if field is None:
            raise UsageError("A301", name, detail=f"审核意见配置文件中有不认识的键“{key}”（可用：主送、落款、审核人）")
        fields[field] = clean(value, name, str(key))
    return Letterhead(**fields)


def clean(value: object, where: str, key: str) -> str:
    """One line of plain text, bounded; a number or a list is a mistake worth saying."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise UsageError("A301", where, detail=f"“{key}”应为文字")
    text = " ".join(value.split())
    if len(text) > MAX_FIELD:
        raise UsageError("A301", where, detail=f"“{key}”过长（超过 {MAX_FIELD} 字）")
    return text


def merge(base: Letterhead, to: str | None = None, issuer: str | None = None, reviewer: str | None = None,
          issued: date | None = None) -> Letterhead:
    """``base`` with the options that were given on top."""
    changes: dict[str, Any] = {}
    for field, value in (("to", to), ("issuer", issuer), ("reviewer", reviewer)):
        if value is not None:
            changes[field] = clean(value, f"--{'from' if field == 'issuer' else field}", field)
    if issued is not None:
        changes["issued"] = issued
    return replace(base, **changes)


def parse_date(text: str) -> date:
    """``YYYY-MM-DD`` (or ``today``) for ``--date``."""
    if text.strip().lower() in ("today", "今天"):
        return date.today()
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError("A301", "--date", detail=f"无法理解的日期“{text}”（示例：2025-03-20）") from None
