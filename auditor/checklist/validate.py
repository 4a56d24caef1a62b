"""Validation: walk one parsed checklist file and build its items, collecting every problem.

Checklists are data written by people, so the validator is strict and helpful: it rejects
unknown keys and bad values and records *every* problem of a file with its line, so a file
can be fixed in one pass. Regexes are compiled here, once, so a bad pattern fails at load
instead of in the middle of a report.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import Any

import yaml

from .. import limits
from ..model import PARTS
from ..patterns import BoundedPattern, PatternError, compile_bounded
from .items import Checklist, Examples, Item, Problem
from .parse import _line
from .vocab import (
    _FOLD_SPACE,
    _STR_TAG,
    BASE_OPTIONAL,
    BASE_REQUIRED,
    CHECKLIST_ID_RE,
    CHECKLIST_OPTIONAL,
    CHECKLIST_REQUIRED,
    EXAMPLE_KEYS,
    FAMILY_RE,
    FAMILY_REF,
    GAP,
    GAP_RX,
    ITEM_ID_RE,
    ITEM_TYPES,
    MENTION_KEYS,
    NEEDS,
    NUMBER_REF,
    NUMBER_RX,
    PART_KEYS,
    PROSE_KEYS,
    REPORT_KINDS,
    SEVERITIES,
    SUBSTANCE,
    YEAR_KEYS,
    YEAR_RANGE,
    Years,
)


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

    def __init__(self, path: str, families: dict[str, tuple[str, ...]] | None = None,
                 items_total: int | None = None) -> None:
        self.path = path
        self.items_total = items_total  # the items counted before parsing, when the list was cut
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
            hint = f"（数字请加引号，如 \"{value}\"）" if isinstance(value, int | float) else ""
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
        for element, element_node in zip(value, node.value, strict=False):
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

    def expand_families(self, text: str, node: yaml.Node, who: str) -> str:
        """``{@name}`` in a pattern replaced by the family's alternation, and ``{#}`` by a
        number in digits or in Chinese numerals (46, 4.5, 四十六, 两)."""
        text = text.replace(NUMBER_REF, NUMBER_RX)
        return FAMILY_REF.sub(lambda m: self.alternation(m.group(1), node, who), text)

    def regexes(self, value: Any, node: yaml.Node, who: str) -> tuple[BoundedPattern, ...]:
        """Compiled, cost-bounded regexes; a bad, costly or empty-matching one is an error."""
        out: list[BoundedPattern] = []
        for text, element_node in self.strings(value, node, who):
            text = self.expand_families(text, element_node, who)
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
        for group, group_node in zip(value, node.value, strict=False):
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
        """The ``examples: {hit: [...], named: [...], miss: [...]}`` mapping."""
        found = self.fields(value, node, EXAMPLE_KEYS, (), f"{who} 的 examples")
        if found is None:
            return Examples()
        lists = {
            key: tuple(text for text, _ in self.strings(value, node, f"{who} 的 examples.{key}"))
            for key, (value, node) in found.items()
        }
        return Examples(hit=lists.get("hit", ()), miss=lists.get("miss", ()), named=lists.get("named", ()))

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
        if key in ("terms", "headings", "titles"):
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
        fires = _example_check()
        for sentence, sentence_node in zip(item.examples.hit, hit_node.value, strict=False):
            if not fires(item, sentence):
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
        total = self.items_total if self.items_total is not None else len(value)
        if total > cap:
            self.error(node, f"检查清单有 {total:,} 个条目，超过上限 {cap:,}；请拆分为多个清单")
            return []
        items: list[Item] = []
        seen: dict[str, int] = {}
        for item_data, item_node in zip(value, node.value, strict=False):
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


def _example_check() -> Callable[[Item, str], list[str]]:
    """The match stage's example check (``auditor.match.examples.example_terms``): the one
    finder ``auditor check`` uses. Imported here, at call time, because the match stage
    imports this package; the checklist package itself never imports a higher stage."""
    from ..match.examples import example_terms

    return example_terms


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

