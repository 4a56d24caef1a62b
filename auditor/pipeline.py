"""The one-way pipeline: ingest -> outline -> (nlp) -> match, for library users and the CLI."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from . import ingest, match, outline
from .errors import InputError
from .model import Outline, Report

# Bounds the work one input can cause: segmentation runs at roughly 50,000 characters a
# second, so a million characters (some fifty times a long report) is about 20 seconds.
MAX_TEXT_CHARS = 1_000_000


def read_outline(path: str | Path) -> Outline:
    """Read a report file and build its section tree."""
    doc = ingest.load(path)
    if len(doc.text) > MAX_TEXT_CHARS:
        raise InputError("A105", str(path), detail=f"正文 {len(doc.text):,} 字", limit=f"{MAX_TEXT_CHARS:,} 字")
    return outline.build(doc)


def audit(path: str | Path, checklists: Sequence, kind: str | None = None) -> Report:
    """Check one report file against the given (already loaded) checklists."""
    return match.check(read_outline(path), checklists, kind)


def exit_status(reports: Sequence[Report]) -> int:
    """0 when every required item is covered in every report, else 1."""
    return 1 if any(r.required_gaps() for r in reports) else 0
