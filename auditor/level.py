"""The level of the body that issued a report (省/市/县/乡镇/部门), inferred from its name.

Every command uses the level: it decides which checklist items apply (a township is not a
reconsideration body) and which are required. ``--kind`` overrides the inference.

Rules, on the issuer's name (else the body named at the head of the title):
- joint issuers (中共某县委、某县人民政府) are read by their first name; 中共 and a trailing
  党组/党委 are dropped, and a 委 after a place word is a Party committee;
- a name containing 街道 is township level;
- a name ending in 局/厅/委员会/委/办公室/办/署/中心… is a department, except a
  development zone's management committee, which is county level;
- otherwise the name's last place word decides: 省/自治区 and 北京/天津/上海/重庆 province;
  a 设区的市 (listed in ``lang.levels``), 自治州, 地区, 盟 city; a county-level city (any
  other …市), 县, 区, 旗, 新区 and development zones county; 乡, 镇, 街道 township.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lang import levels as L
from .lang.labels import LEVEL_LABELS
from .lang.numerals import CN_YEAR
from .vocab import LEVELS  # noqa: F401 - re-exported for callers of auditor.level

_SPACE = re.compile(r"\s+")
_JOINT = re.compile(r"[、，,/]|\s+")
_YEAR = re.compile(rf"(?:19|20)\d{{2}}\s*年度?|{CN_YEAR}年度?")
_PLACEHOLDER = re.compile(r"^[xX×＊*○〇某]+$")
_NOTE = re.compile(r"[（(][^（()）]*[)）]$")  # a trailing note: “渠县拱市乡(inferred)”
_TITLE_STOP = re.compile(rf"关于|(?:19|20)\d{{2}}|{CN_YEAR}|法治|年度")


@dataclass(frozen=True)
class Level:
    """A report's level and where it came from (``issuer``, ``title``, ``option``; None when unknown)."""

    level: str | None
    source: str | None

    @property
    def label(self) -> str:
        """The level in words, with where it came from (“县级（推断自发布机关）”)."""
        if self.level is None:
            return "未识别"
        return f"{LEVEL_LABELS[self.level]}（{L.LEVEL_FROM_LABELS[self.source or 'option']}）"


def resolve(issuer: str | None, title: str | None, kind: str | None = None) -> Level:
    """``--kind`` when given, else the level of the issuer, else of the title's body."""
    if kind:
        return Level(kind, "option")
    found = level_of_name(issuer)
    if found:
        return Level(found, "issuer")
    found = level_of_name(body_name(None, title))
    return Level(found, "title") if found else Level(None, None)


def infer_level(issuer: str | None, title: str | None) -> str | None:
    """The inferred level alone (None when neither name tells it)."""
    return resolve(issuer, title).level


def body_name(issuer: str | None, title: str | None) -> str | None:
    """The reporting body's name as written, the one reading of it (the level, the memo's title,
    the archive's and compare's body keys start from it): the issuer found in the report, white
    space folded to single spaces (“中共某县委 某县人民政府” stays two names); else the body named
    at the head of the title; else None."""
    if issuer and issuer.strip():
        return " ".join(issuer.split())
    body = _title_body(title).strip("、")  # white space in a title reads as 、 (joint issuers)
    return body if MIN_BODY <= len(body) <= MAX_BODY else None


MIN_BODY, MAX_BODY = 2, 40  # characters of a body named by a title (市 alone, or a sentence, is none)


def _title_body(title: str | None) -> str:
    """The body named at the head of a title: “关于浦东新区司法局2024年度…” -> 浦东新区司法局,
    “2024年上海市法治政府建设情况报告” -> 上海市, “标  题: 某省2022年度…” -> 某省 ("" if none)."""
    if not title:
        return ""
    text = _SPACE.sub("、", _simplified(title.strip())).strip("[]【】")
    text = re.sub(r"^[-、]*标、*题[:：]、*", "", text)  # a page's “标  题: …” label
    text = re.sub(r"^关于", "", text)
    text = _YEAR.sub("", text, count=1) if _YEAR.match(text) else text
    m = _TITLE_STOP.search(text)
    return text[: m.start()] if m else ""


def level_of_name(name: str | None) -> str | None:
    """The level one body's name tells (the rules of the module docstring), or None."""
    if not name:
        return None
    core = _first_body(_simplified(_SPACE.sub("", name)))
    if not core:
        return None
    if "街道" in core:
        return "township"
    if _is_department(core):
        return "department"
    if any(core.endswith(e) for e in ("管委会", "管理委员会")):
        core = re.sub(r"(?:管委会|管理委员会)$", "", core)
    for suffix in L.GOVERNMENT_SUFFIXES:
        core = core.removesuffix(suffix)
    return _place_level(core)


def _simplified(name: str) -> str:
    """Names are read in Simplified characters (青島市 is 青岛市)."""
    from .ingest import _t2s

    return _t2s().convert(name) or name


def _first_body(name: str) -> str:
    """The first of joint issuers, without 中共, a trailing 党组/党委, or a Party committee's 委."""
    name = _NOTE.sub("", name)
    parts = [p for p in _JOINT.split(name) if p]
    if not parts:
        return ""
    core = parts[0].removeprefix(L.PARTY_PREFIX)
    for suffix in L.PARTY_GROUP_SUFFIXES:
        if core.endswith(suffix) and len(core) > len(suffix):
            core = core[: -len(suffix)]
            break
    for word in ("委员会", "委"):  # a Party committee: 中共某县委, 中共某镇委员会
        if core.endswith(word) and len(core) > len(word) and core[-len(word) - 1] in L.PARTY_COMMITTEE_AFTER:
            core = core[: -len(word)]
            break
    if core in ("市", "县", "区") and len(parts) > 1:  # “深圳市委、市政府”: the name is in the first part
        return parts[1]
    return core


def _is_department(core: str) -> bool:
    if core.endswith("行政公署"):  # the government of a 地区 or 盟
        return False
    if any(w in core for w in L.ZONE_WORDS) and re.search(r"(?:管委会|管理委员会)$", core):
        return False
    for ending in L.DEPARTMENT_ENDINGS:
        if core.endswith(ending):
            before = core[: -len(ending)]
            if ending in ("委", "委员会") and before and before[-1] in L.PARTY_COMMITTEE_AFTER:
                return False
            return not (ending == "办" and before.endswith("街道"))
    return False


def _place_level(core: str) -> str | None:
    """The level of a place name (government words already removed)."""
    if not core:
        return None
    if core.endswith("市"):
        return _city_level(core[:-1])
    for ending, level in L.UNIT_ENDINGS:
        if core.endswith(ending):
            return level
    if core in L.MUNICIPALITIES or core in L.PROVINCES:
        return "province"
    if core in L.PREFECTURE_CITIES:
        return "city"
    return None


def _city_level(stem: str) -> str | None:
    """A “…市”: province for the four municipalities, city for a 设区的市, else county level
    (a county-level city, whether or not its prefecture is written before it); unknown for an
    anonymised name (xx市, 某市), which could be either."""
    if _PLACEHOLDER.match(stem):
        return None
    for k in range(min(len(stem), 5), 1, -1):
        name, before = stem[-k:], stem[:-k]
        if name in L.MUNICIPALITIES and not before:
            return "province"
        if name in L.PREFECTURE_CITIES and (not before or before.endswith(("省", "自治区"))):
            return "city"
    return "county"
