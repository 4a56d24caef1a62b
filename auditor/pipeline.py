"""The one-way pipeline: ingest -> outline -> (nlp) -> match, for library users and the CLI."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from . import ingest, match, outline
from .model import Outline, Report


def read_outline(path: str | Path) -> Outline:
    """Read a report file and build its section tree."""
    return outline.build(ingest.load(path))


def audit(path: str | Path, checklists: Sequence) -> Report:
    """Check one report file against the given (already loaded) checklists."""
    return match.check(read_outline(path), checklists)


def exit_status(reports: Sequence[Report]) -> int:
    """0 when every required item is covered in every report, else 1."""
    return 1 if any(r.required_gaps() for r in reports) else 0
