"""The archive hook of ``auditor batch --archive``: record the run, compare with last year.

Runs in the batch's parent process only, after the workers have finished (workers never
open the archive): it records every report checked or taken from the cache in one
transaction, then, for each report whose body has last year's report in the archive,
rebuilds both from the archived bytes, compares them (``auditor.compare``) and writes
``<name>.compare.<ext>`` next to the report's own outputs. The summaries get one
``YearOverYear`` per such report.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import limits
from .archive import Archive, AuditRecord, audit_record, read_json
from .errors import AuditorError
from .output import write_atomic
from .summary import HUMAN_EXTENSIONS, level_of


@dataclass(frozen=True)
class YearOverYear:
    """What the summary shows for a report compared with its body's previous year."""

    previous: str  # title (or path) of last year's report
    previous_year: int
    newly_covered: int
    no_longer_covered: int
    plan_rate: float | None
    repeated: int
    carried_over: float
    href: str  # the comparison page, relative to the output folder


def archive_batch(archive_path: str, folder: Path, records: Sequence[Any], checklists: Sequence,
                  kind: str | None, fmt: str, aliases: dict[str, str] | None = None,
                  notify: Callable[[str], None] | None = None) -> dict[str, YearOverYear]:
    """Record the batch in the archive and compare each report with its previous year."""
    ok = [r for r in records if r.ok and r.sha256]
    audits: list[tuple[Any, AuditRecord]] = []
    for r in ok:
        data = read_json(folder / f"{r.name}.json")
        rec = audit_record(r.path, r.sha256, level_of(r, kind), data) if data else None
        if rec is not None:
            audits.append((r, rec))
    with Archive(archive_path, aliases, notify) as arc:
        arc.record_run([a for _, a in audits], checklists, kind)
        out: dict[str, YearOverYear] = {}
        for r, a in audits:
            prev = arc.previous_year(r.issuer, r.title, r.year)
            if prev is None or prev.sha256 == a.sha256:
                continue
            try:
                out[r.path] = _compare(arc, prev, a, r, folder, checklists, kind, fmt, aliases)
            except AuditorError as exc:
                if notify:
                    notify(exc.format_message())
        return out


def _compare(arc: Archive, prev: Any, cur: AuditRecord, rec: Any, folder: Path, checklists: Sequence,
             kind: str | None, fmt: str, aliases: dict[str, str] | None) -> YearOverYear:
    from .compare import compare
    from .compare_render import render_comparison
    from .indicators import load as load_indicators
    from .render import render_report

    raw, _ = arc.content(prev.sha256)
    with limits.deadline(rec.path):
        old = report_from_bytes(raw, prev.path, checklists, kind)
        new = report_from_bytes(cur.raw, cur.path, checklists, kind)
        result = compare(old, new, checklists, load_indicators(), aliases)
        ext = HUMAN_EXTENSIONS[fmt]
        page = f"{rec.name}.compare.{ext}"
        write_atomic(folder / page, render_comparison(result, fmt), protect=[rec.path])
        # the report's own page, built again from the same report, now links to its comparison
        write_atomic(folder / f"{rec.name}.{ext}", render_report(new, fmt, comparison=page), protect=[rec.path])
    return YearOverYear(prev.title or prev.path, prev.year, result.count("newly-covered"),
                        result.count("no-longer-covered"), result.plan_rate, len(result.repeated),
                        result.carried_over.share, page)


def report_from_bytes(raw: bytes, path: str, checklists: Sequence, kind: str | None):
    """Check a report held in memory (archived bytes); ``path`` names it and gives its format."""
    from .pipeline import check, outline_from_bytes

    return check(outline_from_bytes(raw, path), checklists, kind)
