"""The checklist language's closed vocabularies, their Chinese labels and the file schema.

One home for the words a checklist file may use, so the validator, the CLI and the
renderers agree on them.
"""

from __future__ import annotations

import re

from ..lang.signals import SIGNAL_LABELS, SIGNALS

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
