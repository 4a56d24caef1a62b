"""Load checklist files (YAML) into validated, compiled, immutable items.

Checklists are data written by people, so the loader is strict and helpful: it rejects
unknown keys and bad values, collects *every* problem in a file and reports each as
``path:line: message`` in one error, so a file can be fixed in one pass. Regexes are
compiled here, once, so a bad pattern fails at load instead of in the middle of a report,
and each item's own ``hit`` examples are run through its rules as a self-check.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, NoReturn

import yaml

from . import limits
from .errors import ChecklistError, os_reason
from .lang.signals import SIGNAL_LABELS, SIGNALS
from .limits import human_size
from .model import PARTS
from .patterns import BoundedPattern, PatternError, compile_bounded
from .resources import checklists_dir

# ---------------------------------------------------------------- closed vocabularies
SEVERITIES: tuple[str, ...] = ("required", "recommended")
ITEM_TYPES: tuple[str, ...] = ("mention", "part")
SUBSTANCE: tuple[str, ...] = tuple(SIGNALS)  # the closed vocabulary of substance signals
NEEDS: tuple[str, ...] = ("causes", "dedicated")
REPORT_KINDS: tuple[str, ...] = (
    "province",
    "city",
    "county",
    "township",
    "department",
    "legislative-power",
)
DEFAULT_PARTS: tuple[str, ...] = ("measures-and-results", "first-responsible-person", "other")

# Chinese labels for display (CLI, renderers).
SEVERITY_LABELS: dict[str, str] = {"required": "必备", "recommended": "建议"}
TYPE_LABELS: dict[str, str] = {"mention": "内容提及", "part": "报告组成部分"}
PART_LABELS: dict[str, str] = {
    "preamble": "导语",
    "measures-and-results": "主要举措和成效",
    "first-responsible-person": "第一责任人履职情况",
    "shortcomings": "存在的不足和原因",
    "next-year-plan": "下一年度工作安排",
    "other": "其他事项",
}
SUBSTANCE_LABELS: dict[str, str] = SIGNAL_LABELS
NEEDS_LABELS: dict[str, str] = {"causes": "须写明原因", "dedicated": "须有专门标题或段首句"}
KIND_LABELS: dict[str, str] = {
    "province": "省级政府",
    "city": "设区的市级政府",
    "county": "县级政府",
    "township": "乡镇（街道）",
    "department": "政府部门",
    "legislative-power": "有立法权的地方政府",
}

# ---------------------------------------------------------------- schema
CHECKLIST_REQUIRED: tuple[str, ...] = ("id", "title", "version", "basis", "items")
CHECKLIST_OPTIONAL: tuple[str, ...] = ("description", "families", "years")
BASE_REQUIRED: tuple[str, ...] = ("id", "title", "cite", "severity", "requirement", "advice")
BASE_OPTIONAL: tuple[str, ...] = ("type", "required_for", "applies_to", "not_applicable", "years", "examples")
MENTION_KEYS: tuple[str, ...] = (
    "terms",
    "acts",
    "mentions",
    "patterns",
    "all_of",
    "exclude",
    "parts",
    "substance",
    "min_evidence",
)
PART_KEYS: tuple[str, ...] = ("part", "needs", "terms", "all_of", "patterns", "exclude", "headings", "mentions")
EXAMPLE_KEYS: tuple[str, ...] = ("hit", "miss")

CHECKLIST_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FAMILY_RE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
# ``{@name}`` inside a pattern, ``@name`` as a term or an all_of alternative.
FAMILY_REF = re.compile(r"\{@([a-z][a-z0-9-]*)\}")
# A gapped term "执法…监督" lets a few characters stand between its halves (执法专项监督).
GAP = "…"
GAP_RX = "[^，。；：,;:！？!?]{0,6}?"
ITEM_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*(?:\.[a-z0-9]+(?:-[a-z0-9]+)*)+$")
YAML_SUFFIXES: tuple[str, ...] = (".yaml", ".yml")

_STR_TAG = "tag:yaml.org,2002:str"
_WIDE = "\u2014\u2018\u2019\u201c\u201d\u2026\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
# YAML folding turns line breaks into spaces; between two Chinese characters they are noise.
_FOLD_SPACE = re.compile(f"(?<=[{_WIDE}])\\s+(?=[{_WIDE}])")
PROSE_KEYS: tuple[str, ...] = ("title", "cite", "requirement", "advice", "basis", "description", "not_applicable")
YEAR_KEYS: tuple[str, ...] = ("from", "to")
YEAR_RANGE: tuple[int, int] = (1990, 2100)
# ``legislative-power`` in applies_to: governments that may make rules (Legislation Law arts. 72, 93).
LEGISLATIVE_POWER: tuple[str, ...] = ("province", "city")
Years = tuple[int | None, int | None]


# ---------------------------------------------------------------- data classes
@dataclass(frozen=True)
class Problem:
    """One validation problem, located in a checklist file."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True)
class Examples:
    """Sentences an item should (``hit``) and should not (``miss``) accept as evidence."""

    hit: tuple[str, ...] = ()
    miss: tuple[str, ...] = ()


@dataclass(frozen=True)
class Item:
    """One checklist item: what a report must cover and how to recognise it.

    ``all_of`` holds groups; a group is a tuple of elements and an element is a tuple of
    literal alternatives (written ``"a|b"`` in YAML). ``path``/``line`` locate the item
    in its file so later problems (e.g. duplicate ids across files) can point at it.
    """

    id: str
    title: str
    cite: str
    severity: str
    requirement: str
    advice: str
    type: str = "mention"
    required_for: tuple[str, ...] = ()
    applies_to: tuple[str, ...] = ()  # report kinds the item applies to; empty = every kind
    not_applicable: str = ""  # why it does not apply to the other kinds, citing the law
    years: Years = (None, None)  # reporting years (from, to) the item applies to; the checklist's when unset
    terms: tuple[str, ...] = ()
    patterns: tuple[BoundedPattern, ...] = ()
    all_of: tuple[tuple[tuple[str, ...], ...], ...] = ()
    exclude: tuple[BoundedPattern, ...] = ()
    acts: tuple[BoundedPattern, ...] = ()  # the item's own act words: in the term's clause, an act
    mentions: tuple[BoundedPattern, ...] = ()  # loose wording: names the item at most (partial)
    parts: tuple[str, ...] = DEFAULT_PARTS
    substance: tuple[str, ...] = SUBSTANCE
    min_evidence: int = 1
    part: str | None = None
    needs: tuple[str, ...] = ()
    headings: tuple[str, ...] = ()  # part items: headings that make a section dedicated to the part
    examples: Examples = field(default_factory=Examples)
    checklist: str = field(default="", compare=False)
    path: str = field(default="", compare=False)
    line: int = field(default=0, compare=False)

    def applies_to_kind(self, kind: str | None) -> bool:
        """Whether the item applies to a report of ``kind`` (an unknown kind: yes)."""
        if kind is None or not self.applies_to:
            return True
        kinds = {k for a in self.applies_to for k in (LEGISLATIVE_POWER if a == "legislative-power" else (a,))}
        return kind in kinds

    def applies_in(self, year: int) -> bool:
        """Whether the item applies to a report on ``year``."""
        start, end = self.years
        return (start is None or year >= start) and (end is None or year <= end)

    def excluded(self, sentence: str) -> bool:
        """Whether an ``exclude`` pattern vetoes this sentence as evidence."""
        return any(p.search(sentence) for p in self.exclude)

    def match(self, sentence: str) -> list[str]:
        """The terms that make ``sentence`` (normalised text) about this item, by the same
        finder ``auditor check`` uses (without a segmenter, so short terms need no token
        boundary). Empty when nothing fires or an ``exclude`` pattern matches. Context
        (plan vs. results, substance, document titles) is the engine's job, not this one's.
        """
        from .match.finder import find  # the match package imports this module

        found = find(self, sentence)
        return found.terms if found else []


@dataclass(frozen=True)
class Checklist:
    """One checklist file: metadata plus its items, in file order."""

    id: str
    title: str
    version: str
    basis: str
    description: str
    items: tuple[Item, ...]
    path: str = field(default="", compare=False)
    families: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)
    """Named term families defined in this file; files loaded after it may use them too."""
    years: Years = (None, None)
    """The reporting years (from, to) the checklist was written for; items inherit them."""

    def item(self, item_id: str) -> Item | None:
        """The item with this id, if the checklist has it."""
        return next((i for i in self.items if i.id == item_id), None)


def effective_severity(item: Item, kind: str | None) -> str:
    """The item's severity for a report of ``kind``: ``required_for`` promotes it."""
    if kind is not None and kind in item.required_for:
        return "required"
    return item.severity


# ---------------------------------------------------------------- errors
class ChecklistProblems(ChecklistError):
    """A ChecklistError that carries its located problems.

    The message is a one-line summary (with the code) followed by one line per problem,
    ``path:line: message``, so a user can fix the whole file in one pass.
    """

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        paths = {p.path for p in self.problems}
        where = next(iter(paths)) if len(paths) == 1 else None
        super().__init__("A201", where, detail=f"检查清单未通过校验，共 {len(self.problems)} 处问题")
        self.message = "\n".join([self.message, *map(str, self.problems)])


def _raise(problems: Sequence[Problem]) -> NoReturn:
    raise ChecklistProblems(problems)


# ---------------------------------------------------------------- validation
def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _quote(value: object) -> str:
    return f"“{value}”"


def _misplaced(item_type: str) -> dict[str, str]:
    """Keys of the other item type, explained (they are the commonest unknown keys)."""
    if item_type == "mention":
        return {k: "该键只适用于 type: part 的条目" for k in PART_KEYS if k not in MENTION_KEYS}
    if item_type == "part":
        return {k: "该键只适用于 type: mention 的条目" for k in MENTION_KEYS if k not in PART_KEYS}
    return {}


class _Validator:
    """Walks the safe-loaded data and the composed node tree side by side.

    The data gives Python values; the nodes give line numbers. Every check appends to
    ``problems`` and carries on, so the caller sees all problems of a file at once.
    """

    def __init__(self, path: str, families: dict[str, tuple[str, ...]] | None = None) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.families: dict[str, tuple[str, ...]] = dict(families or {})

    def error(self, node: yaml.Node | int, message: str) -> None:
        line = node if isinstance(node, int) else _line(node)
        self.problems.append(Problem(self.path, line, message))

    # ---- generic shapes
    def fields(
        self,
        data: Any,
        node: yaml.Node,
        allowed: Iterable[str],
        required: Iterable[str],
        who: str,
        misplaced: dict[str, str] | None = None,
    ) -> dict[str, tuple[Any, yaml.Node]] | None:
        """Key -> (value, value node) for a mapping, reporting unknown/missing/duplicate keys.

        ``misplaced`` maps keys that are valid elsewhere to a more precise explanation.
        """
        if not isinstance(node, yaml.MappingNode) or not isinstance(data, dict):
            self.error(node, f"{who}：应为键值映射")
            return None
        allowed = tuple(allowed)
        out: dict[str, tuple[Any, yaml.Node]] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _STR_TAG:
                self.error(key_node, f"{who}：键{_quote(key)}应为字符串")
                continue
            if key in out:
                self.error(key_node, f"{who}：键{_quote(key)}重复")
                continue
            if key not in allowed:
                why = (misplaced or {}).get(key) or f"可用的键：{'、'.join(allowed)}"
                self.error(key_node, f"{who}：未知的键{_quote(key)}（{why}）")
                continue
            out[key] = (data[key], value_node)
        for key in required:
            if key not in out:
                self.error(node, f"{who}：缺少必填键{_quote(key)}")
        return out

    def text(self, value: Any, node: yaml.Node, who: str) -> str | None:
        """A non-empty string (numbers are refused: quote versions like "2025.1")."""
        if not isinstance(value, str):
            hint = f"（数字请加引号，如 \"{value}\"）" if isinstance(value, (int, float)) else ""
            self.error(node, f"{who}：应为字符串{hint}")
            return None
        if not value.strip():
            self.error(node, f"{who}：不能为空")
            return None
        return value.strip()

    def prose(self, value: Any, node: yaml.Node, who: str) -> str | None:
        """User-facing text; in a multi-line scalar, folding spaces between Chinese are dropped."""
        text = self.text(value, node, who)
        if text is None or node.start_mark.line == node.end_mark.line:
            return text
        return _FOLD_SPACE.sub("", text)

    def strings(self, value: Any, node: yaml.Node, who: str) -> list[tuple[str, yaml.Node]]:
        """A non-empty list of non-empty strings, each with its node."""
        if not isinstance(value, list) or not isinstance(node, yaml.SequenceNode):
            self.error(node, f"{who}：应为字符串列表")
            return []
        if not value:
            self.error(node, f"{who}：不能为空列表")
        out: list[tuple[str, yaml.Node]] = []
        for element, element_node in zip(value, node.value):
            text = self.text(element, element_node, f"{who} 中的元素")
            if text is not None:
                out.append((text, element_node))
        return out

    def choices(self, value: Any, node: yaml.Node, vocab: Sequence[str], who: str) -> tuple[str, ...]:
        """A list drawn from a closed vocabulary, without repeats."""
        out: list[str] = []
        for text, element_node in self.strings(value, node, who):
            if text not in vocab:
                self.error(element_node, f"{who}：取值{_quote(text)}无效（可选：{'、'.join(vocab)}）")
            elif text in out:
                self.error(element_node, f"{who}：取值{_quote(text)}重复")
            else:
                out.append(text)
        return tuple(out)

    def choice(self, value: Any, node: yaml.Node, vocab: Sequence[str], who: str) -> str | None:
        """One value from a closed vocabulary."""
        text = self.text(value, node, who)
        if text is not None and text not in vocab:
            self.error(node, f"{who}：取值{_quote(text)}无效（可选：{'、'.join(vocab)}）")
            return None
        return text

    def regexes(self, value: Any, node: yaml.Node, who: str) -> tuple[BoundedPattern, ...]:
        """Compiled, cost-bounded regexes; a bad, costly or empty-matching one is an error."""
        out: list[BoundedPattern] = []
        for text, element_node in self.strings(value, node, who):
            text = FAMILY_REF.sub(lambda m: self.alternation(m.group(1), element_node, who), text)
            try:
                compiled = compile_bounded(text)
            except PatternError as exc:
                self.error(element_node, f"{who}：正则表达式{_quote(text)}{exc}")
                continue
            if compiled.search("") is not None:
                self.error(element_node, f"{who}：正则表达式{_quote(text)}可匹配空字符串，会处处命中")
                continue
            out.append(compiled)
        return tuple(out)

    def family(self, name: str, node: yaml.Node, who: str) -> tuple[str, ...]:
        """The words of family ``name`` (``@name``), or a located problem."""
        if name not in self.families:
            known = "、".join(self.families) or "（本清单未定义 families）"
            self.error(node, f"{who}：未定义的词族{_quote('@' + name)}（已定义：{known}）")
            return ()
        return self.families[name]

    def families_of(self, value: Any, node: yaml.Node) -> dict[str, tuple[str, ...]]:
        """``families: {name: [word, ...]}``: named synonym sets items refer to as ``@name``."""
        found = self.fields(value, node, tuple(value) if isinstance(value, dict) else (), (), "检查清单的 families")
        out: dict[str, tuple[str, ...]] = {}
        for name, (words, words_node) in (found or {}).items():
            if not FAMILY_RE.match(name):
                self.error(words_node, f"词族名{_quote(name)}格式无效：应为小写短横线式，如 principal-leaders")
                continue
            out[name] = self.terms(words, words_node, f"词族 {name}", expand=False)
        return out

    def terms(self, value: Any, node: yaml.Node, who: str, expand: bool = True) -> tuple[str, ...]:
        """Literal terms (``@family`` expands to its words); a single character is refused
        because it fires almost everywhere."""
        out: list[str] = []
        for text, element_node in self.strings(value, node, who):
            if expand and text.startswith("@"):
                out.extend(w for w in self.family(text[1:], element_node, who) if w not in out)
                continue
            if len(text) < 2:
                self.error(element_node, f"{who}：检索词{_quote(text)}只有一个字，几乎处处命中；请改用更具体的词或 all_of 组合")
            elif text not in out:
                out.append(text)
        return tuple(out)

    def alternation(self, name: str, node: yaml.Node, who: str) -> str:
        """``{@name}`` in a pattern: the family's words as a regex alternation."""
        words = sorted(self.family(name, node, who), key=len, reverse=True)
        return "(?:" + "|".join(re.escape(w) for w in words) + ")" if words else "(?!)"

    def all_of(self, value: Any, node: yaml.Node, who: str) -> tuple[tuple[tuple[str, ...], ...], ...]:
        """Groups of elements; each element is ``"a|b|c"`` (literal alternatives)."""
        if not isinstance(value, list) or not isinstance(node, yaml.SequenceNode) or not value:
            self.error(node, f"{who}：应为非空的分组列表，如 [[\"规范性文件|行政规范性文件\", \"审核|审查\"]]")
            return ()
        groups: list[tuple[tuple[str, ...], ...]] = []
        for group, group_node in zip(value, node.value):
            if isinstance(group, list) and len(group) < 2:
                self.error(group_node, f"{who}：每组至少需要两个元素；单个元素请写入 terms")
                continue
            elements = self.strings(group, group_node, f"{who} 的分组")
            if not isinstance(group, list):
                continue
            parsed = []
            for text, element_node in elements:
                alternatives = tuple(a.strip() for a in text.split("|"))
                if not all(alternatives):
                    self.error(element_node, f"{who}：元素{_quote(text)}含空的备选项")
                    continue
                expanded: list[str] = []
                for alt in alternatives:
                    words = self.family(alt[1:], element_node, who) if alt.startswith("@") else (alt,)
                    expanded.extend(w for w in words if w not in expanded)
                parsed.append(tuple(expanded))
            if len(parsed) == len(group):
                groups.append(tuple(parsed))
        return tuple(groups)

    def positive_int(self, value: Any, node: yaml.Node, who: str) -> int | None:
        """An integer of at least 1 (booleans are not integers here)."""
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.error(node, f"{who}：应为不小于 1 的整数")
            return None
        return value

    def years(self, value: Any, node: yaml.Node, who: str) -> Years | None:
        """``{from: 2021, to: 2025}``: reporting years, either end open."""
        found = self.fields(value, node, YEAR_KEYS, (), who)
        if found is None:
            return None
        out: dict[str, int] = {}
        for key, (year, year_node) in found.items():
            if isinstance(year, bool) or not isinstance(year, int) or not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
                self.error(year_node, f"{who}.{key}：应为 {YEAR_RANGE[0]} 至 {YEAR_RANGE[1]} 之间的年份")
            else:
                out[key] = year
        if not found:
            self.error(node, f"{who}：至少需要 from 或 to")
        if "from" in out and "to" in out and out["from"] > out["to"]:
            self.error(node, f"{who}：起始年份 {out['from']} 晚于终止年份 {out['to']}")
        return out.get("from"), out.get("to")

    # ---- checklist parts
    def examples(self, value: Any, node: yaml.Node, who: str) -> Examples:
        """The ``examples: {hit: [...], miss: [...]}`` mapping."""
        found = self.fields(value, node, EXAMPLE_KEYS, (), f"{who} 的 examples")
        if found is None:
            return Examples()
        lists = {
            key: tuple(text for text, _ in self.strings(value, node, f"{who} 的 examples.{key}"))
            for key, (value, node) in found.items()
        }
        return Examples(hit=lists.get("hit", ()), miss=lists.get("miss", ()))

    def item(self, data: Any, node: yaml.Node, checklist_id: str) -> Item | None:
        """One item, or None when it has problems (which are recorded)."""
        before = len(self.problems)
        item_id = data.get("id") if isinstance(data, dict) else None
        who = f"条目 {item_id}" if isinstance(item_id, str) else "条目"
        item_type = data.get("type", "mention") if isinstance(data, dict) else "mention"
        item_type = item_type if isinstance(item_type, str) else ""
        own = {"mention": MENTION_KEYS, "part": PART_KEYS}.get(item_type, MENTION_KEYS + PART_KEYS)
        required = BASE_REQUIRED + (("part",) if item_type == "part" else ())
        found = self.fields(
            data, node, BASE_REQUIRED + BASE_OPTIONAL + own, required, who, _misplaced(item_type)
        )
        if found is None:
            return None
        values: dict[str, Any] = {}
        for key, (value, value_node) in found.items():
            values[key] = self._item_value(key, value, value_node, who)
        if "id" in values and values["id"] is not None and not ITEM_ID_RE.match(values["id"]):
            self.error(
                found["id"][1],
                f"条目 ID{_quote(values['id'])}格式无效：应为小写点分式，如 rules.normative-docs-filing-review",
            )
        if item_type == "mention" and not any(values.get(k) for k in ("terms", "patterns", "all_of")):
            self.error(node, f"{who}：至少需要 terms、patterns、all_of 之一")
        if bool(values.get("applies_to")) != bool(values.get("not_applicable")):
            self.error(node, f"{who}：applies_to 与 not_applicable（不适用的理由及依据）须同时给出")
        if len(self.problems) > before:
            return None
        kept = _gapped_terms_as_patterns({k: v for k, v in values.items() if v is not None})
        made = Item(**kept, checklist=checklist_id, path=self.path, line=_line(node))
        self._check_hits(made, found.get("examples"))
        return made

    def _item_value(self, key: str, value: Any, node: yaml.Node, who: str) -> Any:
        """Validate and convert one item field."""
        label = f"{who} 的 {key}"
        if key in PROSE_KEYS:
            return self.prose(value, node, label)
        if key == "id":
            return self.text(value, node, label)
        if key == "severity":
            return self.choice(value, node, SEVERITIES, label)
        if key == "type":
            return self.choice(value, node, ITEM_TYPES, label)
        if key == "part":
            return self.choice(value, node, PARTS, label)
        vocabularies = {"required_for": REPORT_KINDS, "parts": PARTS, "substance": SUBSTANCE, "needs": NEEDS}
        if key in vocabularies:
            return self.choices(value, node, vocabularies[key], label)
        if key in ("terms", "headings"):
            return self.terms(value, node, label)
        if key in ("patterns", "exclude", "acts", "mentions"):
            return self.regexes(value, node, label)
        if key == "all_of":
            return self.all_of(value, node, label)
        if key == "min_evidence":
            return self.positive_int(value, node, label)
        if key == "examples":
            return self.examples(value, node, who)
        if key == "applies_to":
            return self.choices(value, node, REPORT_KINDS, label)
        if key == "years":
            return self.years(value, node, label)
        raise AssertionError(f"unhandled item key {key}")  # keys were checked against the schema

    def _check_hits(self, item: Item, examples: tuple[Any, yaml.Node] | None) -> None:
        """Every ``hit`` example must fire the item's own rules (prh-style specs)."""
        if examples is None or not (item.terms or item.patterns or item.all_of):
            return
        hit_node = next((v for k, v in examples[1].value if k.value == "hit"), None)
        if not isinstance(hit_node, yaml.SequenceNode):
            return
        for sentence, sentence_node in zip(item.examples.hit, hit_node.value):
            if not item.match(sentence):
                self.error(sentence_node, f"条目 {item.id} 的 hit 示例未被本条目的规则命中：{_quote(sentence)}")

    def checklist(self, data: Any, node: yaml.Node) -> Checklist | None:
        """The whole file, or None when it has problems (which are recorded)."""
        found = self.fields(data, node, CHECKLIST_REQUIRED + CHECKLIST_OPTIONAL, CHECKLIST_REQUIRED, "检查清单")
        if found is None:
            return None
        meta: dict[str, str | None] = {}
        for key in ("id", "title", "version", "basis", "description"):
            if key in found:
                check = self.prose if key in PROSE_KEYS else self.text
                meta[key] = check(found[key][0], found[key][1], f"检查清单的 {key}")
        checklist_id = meta.get("id")
        if checklist_id and not CHECKLIST_ID_RE.match(checklist_id):
            self.error(found["id"][1], f"检查清单 ID{_quote(checklist_id)}格式无效：应为小写短横线式，如 outline-2021-2025")
        own: dict[str, tuple[str, ...]] = {}
        if "families" in found:
            own = self.families_of(*found["families"])
            self.families.update(own)
        years: Years = (None, None)
        if "years" in found:
            years = self.years(*found["years"], "检查清单的 years") or years
        items = [i if i.years != (None, None) else replace(i, years=years) for i in self._items(found.get("items"), checklist_id or "")]
        if self.problems:
            return None
        return Checklist(
            id=meta["id"] or "",
            title=meta["title"] or "",
            version=meta["version"] or "",
            basis=meta["basis"] or "",
            description=meta.get("description") or "",
            items=tuple(items),
            path=self.path,
            families=own,
            years=years,
        )

    def _items(self, entry: tuple[Any, yaml.Node] | None, checklist_id: str) -> list[Item]:
        """All items of the file, with duplicate ids inside it reported."""
        if entry is None:
            return []
        value, node = entry
        if not isinstance(value, list) or not isinstance(node, yaml.SequenceNode) or not value:
            self.error(node, "检查清单的 items 应为非空列表")
            return []
        cap = limits.current().max_items
        if len(value) > cap:
            self.error(node, f"检查清单有 {len(value):,} 个条目，超过上限 {cap:,}；请拆分为多个清单")
            return []
        items: list[Item] = []
        seen: dict[str, int] = {}
        for item_data, item_node in zip(value, node.value):
            made = self.item(item_data, item_node, checklist_id)
            item_id = item_data.get("id") if isinstance(item_data, dict) else None
            if isinstance(item_id, str):
                if item_id in seen:
                    self.error(item_node, f"条目 ID{_quote(item_id)}重复（已在 {self.path}:{seen[item_id]} 定义）")
                else:
                    seen[item_id] = _line(item_node)
            if made is not None:
                items.append(made)
        return items


def _gapped_terms_as_patterns(values: dict[str, Any]) -> dict[str, Any]:
    """A term written ``执法…监督`` becomes a pattern allowing a short gap inside one clause."""
    gapped = [t for t in values.get("terms", ()) if GAP in t]
    if not gapped:
        return values
    made = tuple(compile_bounded(GAP_RX.join(re.escape(p) for p in t.split(GAP) if p)) for t in gapped)
    terms = tuple(t for t in values["terms"] if GAP not in t)
    out = {k: v for k, v in values.items() if k != "terms"}
    if terms:
        out["terms"] = terms
    out["patterns"] = tuple(values.get("patterns", ())) + made
    return out


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


def load_checklist(path: str | Path, families: dict[str, tuple[str, ...]] | None = None) -> Checklist:
    """Load and validate one checklist file; raise ChecklistError listing all problems.

    ``families`` are term families of files loaded before this one, usable as ``@name``.
    """
    path = Path(path)
    name = str(path)
    data, node = _parse(name, _read(path))
    validator = _Validator(name, families)
    checklist = validator.checklist(data, node)
    if validator.problems or checklist is None:
        _raise(sorted(validator.problems, key=lambda p: p.line))
    return checklist


def duplicate_problems(checklists: Sequence[Checklist]) -> list[Problem]:
    """Checklist ids and item ids that repeat across checklists loaded together."""
    problems: list[Problem] = []
    lists: dict[str, Checklist] = {}
    items: dict[str, Item] = {}
    for checklist in checklists:
        if checklist.id in lists:
            first = lists[checklist.id]
            message = f"检查清单 ID{_quote(checklist.id)}重复（已在 {first.path} 定义）"
            problems.append(Problem(checklist.path, 1, message))
            continue
        lists[checklist.id] = checklist
        for item in checklist.items:
            if item.id in items:
                first_item = items[item.id]
                problems.append(
                    Problem(
                        item.path,
                        item.line,
                        f"条目 ID{_quote(item.id)}重复（已在 {first_item.path}:{first_item.line} 定义）",
                    )
                )
            else:
                items[item.id] = item
    return problems


def yaml_files(folder: Path) -> list[Path]:
    """The checklist files of a folder, in name order (not recursive)."""
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in YAML_SUFFIXES)


def _load_set(paths: Iterable[Path], cache: dict[Path, Checklist]) -> list[Checklist]:
    """Load files as one set (each once, in order): all problems, ids unique across it.

    ``cache`` maps resolved paths to checklists already loaded (the built-ins). A file may
    use the term families of the built-ins and of the files before it.
    """
    result: list[Checklist] = []
    problems: list[Problem] = []
    seen: set[Path] = set()
    for path in paths:
        resolved = path.resolve()
        if resolved in seen:
            continue
        seen.add(resolved)
        if resolved in cache:
            result.append(cache[resolved])
            continue
        families = {k: v for c in (*cache.values(), *result) for k, v in c.families.items()}
        try:
            result.append(load_checklist(path, families))
        except ChecklistProblems as exc:
            problems.extend(exc.problems)
    problems.extend(duplicate_problems(result))
    if problems:
        _raise(problems)
    return result


def load_checklists(paths: Iterable[str | Path]) -> list[Checklist]:
    """Load several checklist files as one set; raise one ChecklistError for all problems."""
    return _load_set((Path(p) for p in paths), {})


# ---------------------------------------------------------------- built-ins and specs
def builtin_dir() -> Path:
    """The folder of shipped checklists (installed package or source tree)."""
    return checklists_dir()


@functools.cache
def builtin_checklists() -> tuple[Checklist, ...]:
    """All shipped checklists, loaded once per process (they are immutable)."""
    return tuple(load_checklists(yaml_files(builtin_dir())))


def _spec_paths(spec: str, builtins: dict[str, Checklist]) -> list[Path]:
    """The files a spec names: a file, a folder of YAML files or a built-in id."""
    path = Path(spec)
    if path.is_dir():
        files = yaml_files(path)
        if not files:
            _raise([Problem(spec, 1, "该目录下没有 .yaml 或 .yml 检查清单文件")])
        return files
    if path.is_file():
        return [path]
    if spec in builtins:
        return [Path(builtins[spec].path)]
    raise ChecklistError("A202", detail=spec)


def resolve(specs: Sequence[str] | None = None) -> list[Checklist]:
    """The checklists named by specs (built-in id, YAML file or folder); none -> all built-ins.

    Everything named is loaded as one set, in spec order, so ids must be unique across it.
    """
    builtins = {c.id: c for c in builtin_checklists()}
    if not specs:
        return list(builtins.values())
    paths = [p for spec in specs for p in _spec_paths(spec, builtins)]
    cache = {Path(c.path).resolve(): c for c in builtins.values()}
    return _load_set(paths, cache)


def builtin_families() -> dict[str, tuple[str, ...]]:
    """The term families the shipped checklists define (usable as ``@name`` in any file)."""
    return {k: v for c in builtin_checklists() for k, v in c.families.items()}


def find_item(item_id: str, checklists: Iterable[Checklist]) -> Item | None:
    """The item with this id in any of the checklists."""
    return next((i for c in checklists for i in c.items if i.id == item_id), None)
