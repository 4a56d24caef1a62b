"""Who a report is by: the reporting body's name, normalised so years can be joined.

Real reports name the same body in several ways: 上海市浦东新区人民政府 / 浦东新区政府 /
浦东新区, 宜兴市宜城街道办事处 / 宜城街道. ``body_key`` folds the usual variants
(whitespace, 中共…党组 prefixes, 人民政府 → 政府 → nothing, 街道办事处 → 街道, a
trailing 办), and ``same_body`` also accepts a key that is the tail of the other when the
tail still names a place (at least three characters, not starting with a unit word:
市司法局 is any city's bureau, 增城区分局 is one). A mapping file fixes what the
heuristic misses: YAML ``{aliases: {别名: 规范名称}}``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from .checklist import Problem, _parse, _raise, _read

_SPACE = re.compile(r"\s+")
_PARTY = re.compile(r"^中共|党组$|党委$|^中国共产党")
_GOV = re.compile(r"(?:人民政府|政府)(?:办公室)?$")
_STREET = re.compile(r"街道办事处$|街道办$")
_UNIT_START = "省市州盟县区旗乡镇街"


def body_key(name: str | None, aliases: dict[str, str] | None = None) -> str:
    """The normalised name of a body ('' when unknown)."""
    if not name:
        return ""
    s = _SPACE.sub("", name)
    if aliases:
        s = aliases.get(s, s)
    s = _PARTY.sub("", s)
    s = _PARTY.sub("", s)
    s = _STREET.sub("街道", s)
    if _GOV.search(s) and not s.endswith("办公室"):
        s = _GOV.sub("", s)
    return s


def same_body(a: str, b: str) -> bool:
    """Whether two normalised keys name one body (equal, or one the other's placed tail)."""
    if not a or not b:
        return False
    if a == b:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return len(short) >= 3 and short[0] not in _UNIT_START and long_.endswith(short)


def find_body(key: str, keys: Iterable[str]) -> str | None:
    """The first of ``keys`` naming the same body as ``key`` (an exact match first)."""
    keys = list(keys)
    if key in keys:
        return key
    return next((k for k in keys if same_body(key, k)), None)


def load_aliases(path: str | Path | None) -> dict[str, str]:
    """Read a mapping file (``aliases: {别名: 规范名称}``); problems are ``file:line: message``."""
    if not path:
        return {}
    name = str(path)
    data, _ = _parse(name, _read(Path(path)))
    if not isinstance(data, dict) or not isinstance(data.get("aliases"), dict):
        _raise([Problem(name, 1, "名称对照文件须为映射，并含 aliases（别名: 规范名称）")])
    out: dict[str, str] = {}
    for k, v in data["aliases"].items():
        if not isinstance(k, str) or not isinstance(v, str) or not k.strip() or not v.strip():
            _raise([Problem(name, 1, f"名称对照“{k}”的别名和规范名称都须为文字")])
        out[_SPACE.sub("", k)] = _SPACE.sub("", v)
    return out
