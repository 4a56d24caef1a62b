"""Load checklist files (YAML) into validated, compiled, immutable items.

Checklists are data written by people, so the loader is strict and helpful: it rejects
unknown keys and bad values, collects *every* problem in a file and reports each as
``path:line: message`` in one error, so a file can be fixed in one pass. Regexes are
compiled here, once, so a bad pattern fails at load instead of in the middle of a report,
and each item's own ``hit`` examples are run through the match stage's finder as a
self-check.

The package follows the load: ``vocab`` (closed vocabularies, labels, schema), ``items``
(the model), ``parse`` (safe reading and parsing), ``validate`` (building items, every
problem located) and ``load`` (sets of files, built-ins, ``--checklist`` specs). Everything
is re-exported here, so ``from auditor.checklist import X`` is the one import path.
"""

from __future__ import annotations

from ..model import PARTS
from .items import Checklist, ChecklistProblems, Examples, Item, Problem, _raise, effective_severity
from .load import (
    builtin_checklists,
    builtin_dir,
    builtin_families,
    duplicate_problems,
    find_item,
    load_checklist,
    load_checklists,
    resolve,
    yaml_files,
)
from .parse import MAX_CHECKLIST_BYTES, MAX_NESTING, _parse, _read
from .validate import _Validator
from .vocab import (
    BASE_OPTIONAL,
    BASE_REQUIRED,
    CHECKLIST_OPTIONAL,
    CHECKLIST_REQUIRED,
    DEFAULT_PARTS,
    EXAMPLE_KEYS,
    ITEM_TYPES,
    KIND_LABELS,
    LEGISLATIVE_POWER,
    MENTION_KEYS,
    NEEDS,
    NEEDS_LABELS,
    PART_KEYS,
    PART_LABELS,
    REPORT_KINDS,
    SEVERITIES,
    SEVERITY_LABELS,
    SUBSTANCE,
    SUBSTANCE_LABELS,
    TYPE_LABELS,
    YAML_SUFFIXES,
    Years,
)

__all__ = [
    "BASE_OPTIONAL", "BASE_REQUIRED", "CHECKLIST_OPTIONAL", "CHECKLIST_REQUIRED", "DEFAULT_PARTS",
    "EXAMPLE_KEYS", "ITEM_TYPES", "KIND_LABELS", "LEGISLATIVE_POWER", "MAX_CHECKLIST_BYTES",
    "MAX_NESTING", "MENTION_KEYS", "NEEDS", "NEEDS_LABELS", "PARTS", "PART_KEYS", "PART_LABELS",
    "REPORT_KINDS", "SEVERITIES", "SEVERITY_LABELS", "SUBSTANCE", "SUBSTANCE_LABELS", "TYPE_LABELS",
    "YAML_SUFFIXES", "Checklist", "ChecklistProblems", "Examples", "Item", "Problem", "Years",
    "_Validator", "_parse", "_raise", "_read", "builtin_checklists", "builtin_dir", "builtin_families",
    "duplicate_problems", "effective_severity", "find_item", "load_checklist", "load_checklists",
    "resolve", "yaml_files",
]
