"""One draft audited for a person: the checked report and its draft defects — what
``auditor memo``/``review`` and the local page build from.

The one place that runs this sequence, so the command line and the page cannot drift apart.
(Named with the ``cli_`` modules, the application stage, whose commands — ``memo``, ``review``
and ``serve`` for the page — are its callers.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from . import limits
from .model import Report
from .overrides import Overrides


@dataclass(frozen=True)
class Audit:
    """A checked draft with its draft defects."""

    report: Report
    defects: list
    doc: Any = None  # the read document (its warnings are echoed by the command line)


def audit_draft(name: str, checklists: Sequence, kind: str | None, overrides: Overrides | None = None,
                raw: bytes | None = None) -> Audit:
    """Read (the file ``name``, or ``raw``, the bytes of an upload called ``name``), check and
    scan one draft; reading, outline, matching and defects share the report's time limit.
    Input errors propagate as ``InputError``."""
    from . import pipeline
    from .defects import find_defects

    with limits.deadline(name):
        tree = pipeline.read_outline(name) if raw is None else pipeline.outline_from_bytes(raw, name)
        report = pipeline.check(tree, checklists, kind, overrides)
        return Audit(report, find_defects(tree), tree.doc)
