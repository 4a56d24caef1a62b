"""The one-way pipeline: ingest -> outline -> (nlp) -> match, for library users and the CLI."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from . import ingest, limits, match, outline, patterns
from .errors import ExitStatus
from .model import Document, Outline, Report
from .overrides import Overrides


def read_outline(path: str | Path) -> Outline:
    """Read a report file and build its section tree, within the report's time limit."""
    with limits.deadline(str(path)):
        return _outline(ingest.load(path))


def outline_from_bytes(raw: bytes, name: str) -> Outline:
    """Build the section tree of a report held in memory (an upload); ``name`` labels it."""
    with limits.deadline(name):
        return _outline(ingest.load_bytes(raw, name))


def _outline(doc: Document) -> Outline:
    """The section tree (ingest has already held the text to ``Limits.max_chars``)."""
    return outline.build(doc)


def check(tree: Outline, checklists: Sequence, kind: str | None = None, overrides: Overrides | None = None) -> Report:
    """Match a built outline against the checklists fitted to the report's level and year
    (``kind`` overrides the inferred level), with a supervisor's overrides applied, within
    the report's time limit. The fit's notes join the document's warnings."""
    from .fit import fit_report

    doc = tree.doc
    fit = fit_report(doc.meta, kind, checklists)
    decisions = overrides.for_sha(doc.sha256) if overrides is not None else None
    stale = overrides.stale_for(doc.path, doc.sha256) if overrides is not None else []
    with limits.deadline(doc.path), patterns.collect_notes() as notes:
        report = replace(match.check(tree, checklists, kind, fit=fit, overrides=decisions), stale=stale)
    doc.warnings.extend(n for n in [*fit.notes, *stale, *notes] if n not in doc.warnings)
    return report


def audit(path: str | Path, checklists: Sequence, kind: str | None = None, overrides: Overrides | None = None) -> Report:
    """Check one report file against the given (already loaded) checklists: reading, outline
    and matching share one time limit."""
    with limits.deadline(str(path)):
        return check(read_outline(path), checklists, kind, overrides)


def exit_status(reports: Sequence[Report]) -> ExitStatus:
    """OK when every required item is covered in every report, else GAPS."""
    return ExitStatus.GAPS if any(r.required_gaps() for r in reports) else ExitStatus.OK
