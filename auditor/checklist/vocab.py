"""The checklist language's closed vocabularies, their Chinese labels and the file schema.

One home for the words a checklist file may use, so the validator, the CLI and the
renderers agree on them.
"""

from __future__ import annotations

import re

from ..lang.labels import LEVEL_LABELS as KIND_LABELS  # noqa: F401 - the checklist's word for a level
from ..lang.labels import NEEDS_LABELS, PART_LABELS, SEVERITY_LABELS, TYPE_LABELS  # noqa: F401 - re-exported
from ..lang.signals import SIGNAL_LABELS, SIGNALS
from ..vocab import ITEM_TYPES, REPORT_KINDS, SEVERITIES  # noqa: F401 - re-exported

# ---------------------------------------------------------------- closed vocabularies
# The package's vocabularies and their Chinese names have one home each (auditor.vocab,
# auditor.lang.labels, imported above); the checklist language adds the words only it uses.

SUBSTANCE: tuple[str, ...] = tuple(SIGNALS)  # the closed vocabulary of substance signals
NEEDS: tuple[str, ...] = ("causes", "dedicated")
DEFAULT_PARTS: tuple[str, ...] = ("measures-and-results", "first-responsible-person", "other")
SUBSTANCE_LABELS: dict[str, str] = SIGNAL_LABELS

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
    "titles",
)
PART_KEYS: tuple[str, ...] = ("part", "needs", "terms", "all_of", "patterns", "exclude", "headings", "mentions")
EXAMPLE_KEYS: tuple[str, ...] = ("hit", "named", "miss")

CHECKLIST_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FAMILY_RE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
# ``{@name}`` inside a pattern, ``@name`` as a term or an all_of alternative.
FAMILY_REF = re.compile(r"\{@([a-z][a-z0-9-]*)\}")
# ``{#}`` inside a pattern: a number as reports write it, in digits or Chinese numerals,
# with 余/多 after it (96余件).
NUMBER_REF = "{#}"
NUMBER_RX = "(?:\\d+(?:\\.\\d+)?|[零一二两三四五六七八九十百千万]+)(?:余|多)?"
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
