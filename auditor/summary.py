"""Cross-report summaries of a batch: ``summary.csv`` and ``summary.html``.

Both are built from the batch records (derived from each report's JSON) in input order,
carry no timestamps and no run statistics, so the same corpus gives byte-identical
summaries whatever the worker count or the cache state.

The reporting level (省/市/县/乡镇/部门) is the one each report was checked at (its JSON
``source.level``: ``--kind`` when given, else inferred by ``auditor.level``). An item that
does not apply to a report is left out of that item's coverage rate.
"""

from __future__ import annotations

import csv
import io
import re
import statistics
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from . import __version__
from .level import infer_level
from .output import write_atomic

CSV_NAME = "summary.csv"
HTML_NAME = "summary.html"
CSV_HEADER = ("文件", "标题", "发布机关", "年度", "层级", "得分", "已覆盖", "部分覆盖", "缺失", "未达标必备项", "错误")
LEVEL_LABELS = {"province": "省级", "city": "市级", "county": "县级", "township": "乡镇（街道）", "department": "部门"}
STATUS_RANK = {"missing": 0, "partial": 1, "covered": 2}
STATUS_MARKS = {"covered": "●", "partial": "◐", "missing": "○", "not-applicable": "－"}
HUMAN_EXTENSIONS = {"html": "html", "md": "md", "text": "txt"}
BINS = 10

_TITLE_ORG = re.compile(r"^(.{2,40}?)(?:关于|(?:19|20)\d{2}|[〇○零一二三四五六七八九]{4})")


def _org_name(issuer: str | None, title: str | None) -> str | None:
    """The body's name as written: the issuer, else the title's words before 关于 or the year
    (``auditor.bodies`` keys reports by it; the level is read by ``auditor.level``)."""
    if issuer and issuer.strip():
        return re.sub(r"\s+", "", issuer)
    if title:
        m = _TITLE_ORG.match(re.sub(r"\s+", "", title))
        if m:
            return m.group(1)
    return None


# -- level -------------------------------------------------------------------------------
def level_of(rec: Any, kind: str | None) -> str | None:
    """The level the report was checked at: ``--kind``, else its inferred level (None for a
    failed report or an unknown level)."""
    if kind:
        return kind
    if not rec.ok:
        return None
    return getattr(rec, "level", None) or infer_level(rec.issuer, rec.title)


# -- CSV ---------------------------------------------------------------------------------
def csv_text(records: Sequence[Any], kind: str | None, yoy: dict[str, Any] | None = None) -> str:
    """One row per report, input order; UTF-8 with BOM is added when written."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(CSV_HEADER + (YOY_HEADER if yoy else ()))
    for r in records:
        level = level_of(r, kind)
        if r.ok:
            row = [r.path, r.title or "", r.issuer or "", r.year or "", LEVEL_LABELS.get(level or "", ""),
                   r.score, r.covered, r.partial, r.missing, ";".join(r.required_open), ""]
        else:
            row = [r.path, "", "", "", "", "", "", "", "", "", r.error]
        if yoy:
            row += yoy_cells(yoy.get(r.path))
        w.writerow([cell_safe(c) for c in row])
    return buf.getvalue()


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell_safe(value: object) -> object:
    """A text cell a spreadsheet would read as a formula (=, +, -, @, tab, CR first) gets a
    leading apostrophe, as OWASP advises against CSV injection; numbers are left alone.
    Report titles and file names are untrusted: "=HYPERLINK(…)" must stay text."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


# -- HTML --------------------------------------------------------------------------------
def columns(checklists: Sequence, kind: str | None) -> list[dict[str, Any]]:
    """Matrix columns: every item of every checklist, in checklist order."""
    from .checklist import effective_severity

    return [
        {"id": it.id, "title": it.title, "severity": effective_severity(it, kind), "checklist": cl.id}
        for cl in checklists
        for it in cl.items
    ]


def summary_view(records: Sequence[Any], checklists: Sequence, kind: str | None, fmt: str) -> dict[str, Any]:
    """The narrow view model of ``summary.html.j2`` (plain dicts, escaped by Jinja)."""
    cols = columns(checklists, kind)
    ok = [r for r in records if r.ok]
    return {
        "version": __version__,
        "kind": kind,
        "checklists": [{"id": c.id, "title": c.title, "version": c.version} for c in checklists],
        "columns": cols,
        "rows": [_row(r, cols, kind, fmt) for r in ok],
        "items": _item_rates(ok, cols),
        "histogram": _histogram([r.score for r in ok]),
        "stats": _stats(records, ok),
        "failed": [{"path": r.path, "error": r.error} for r in records if not r.ok],
        "stale": [{"path": r.path, "message": m} for r in ok for m in getattr(r, "stale", [])],
    }


def _row(r: Any, cols: list[dict[str, Any]], kind: str | None, fmt: str) -> dict[str, Any]:
    page = quote(f"{r.name}.{HUMAN_EXTENSIONS[fmt]}")
    level = level_of(r, kind)
    cells = []
    for c in cols:
        status = r.statuses.get(c["id"])
        anchor = f"#item-{quote(c['id'])}" if fmt == "html" else ""
        cells.append({"status": status or "none", "rank": STATUS_RANK.get(status or "", -1),
                      "mark": STATUS_MARKS.get(status or "", "–"), "href": page + anchor, "title": c["title"]})
    return {
        "path": r.path,
        "label": r.title or Path(r.path).name,
        "href": page,
        "level": LEVEL_LABELS.get(level or "", ""),
        "year": r.year,
        "score": r.score,
        "gaps": len(r.required_open),
        "cells": cells,
    }


def _item_rates(ok: Sequence[Any], cols: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per item: how many reports cover it, most often missed first."""
    n = len(ok)
    out = []
    for k, c in enumerate(cols):
        counts = {s: sum(1 for r in ok if r.statuses.get(c["id"]) == s) for s in STATUS_RANK}
        applicable = n - sum(1 for r in ok if r.statuses.get(c["id"]) in (None, "not-applicable"))
        rate = (counts["covered"] + 0.5 * counts["partial"]) / applicable if applicable else 0.0
        pct = {s: round(100 * counts[s] / n, 1) if n else 0.0 for s in STATUS_RANK}
        out.append({**c, **counts, "pct": pct, "rate": round(100 * rate, 1), "order": k})
    out.sort(key=lambda i: (i["rate"], -i["missing"], i["order"]))
    return out


def _histogram(scores: Sequence[float]) -> list[dict[str, Any]]:
    """Scores in ten bands (the last one includes 100), with bar heights in percent."""
    counts = [0] * BINS
    for s in scores:
        counts[min(BINS - 1, int(s // (100 / BINS)))] += 1
    top = max(counts) or 1
    width = 100 // BINS
    return [
        {"label": f"{k * width}–{(k + 1) * width}", "count": c, "height": round(100 * c / top, 1)}
        for k, c in enumerate(counts)
    ]


def _stats(records: Sequence[Any], ok: Sequence[Any]) -> dict[str, Any]:
    scores = [r.score for r in ok]
    return {
        "reports": len(records),
        "ok": len(ok),
        "failed": len(records) - len(ok),
        "with_gaps": sum(1 for r in ok if r.required_open),
        "mean": round(statistics.fmean(scores), 1) if scores else None,
        "median": round(statistics.median(scores), 1) if scores else None,
        "min": min(scores) if scores else None,
        "max": max(scores) if scores else None,
    }


def write_summaries(folder: Path, records: Sequence[Any], checklists: Sequence, kind: str | None, fmt: str,
                    note: str | None = None, yoy: dict[str, Any] | None = None) -> tuple[Path, Path]:
    """Write ``summary.csv`` (UTF-8 with BOM, for Excel) and ``summary.html``; ``note`` (an
    interrupted run) is the CSV's last line and a line under the HTML title; ``yoy`` (an
    archive run) adds the year-over-year columns."""
    from .render import render_template

    protect = [r.path for r in records]
    text = csv_text(records, kind, yoy) + (f"# {note}\r\n" if note else "")
    csv_path = write_atomic(folder / CSV_NAME, text.encode("utf-8-sig"), protect=protect)
    view = {**summary_view(records, checklists, kind, fmt), "note": note, "yoy": yoy_view(records, yoy or {})}
    html = render_template("summary.html.j2", s=view)
    html_path = write_atomic(folder / HTML_NAME, html, protect=protect)
    return csv_path, html_path


# -- year over year (auditor batch --archive) ----------------------------------------------------
YOY_HEADER = ("上年报告", "新增覆盖", "不再覆盖", "计划落实率", "重复问题数", "文字重复率")


def _pct(x: float | None) -> str:
    return "" if x is None else f"{100 * x:.1f}%"


def yoy_cells(y: Any) -> list[object]:
    """The year-over-year cells of one report (blank without last year's report)."""
    if y is None:
        return [""] * len(YOY_HEADER)
    return [f"{y.previous}（{y.previous_year}）", y.newly_covered, y.no_longer_covered, _pct(y.plan_rate),
            y.repeated, _pct(y.carried_over)]


def yoy_view(records: Sequence[Any], yoy: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows of the summary's year-over-year table, input order, reports with last year only."""
    rows = []
    for r in records:
        y = yoy.get(r.path)
        if y is None:
            continue
        cells = yoy_cells(y)
        rows.append({"label": r.title or Path(r.path).name, "href": quote(y.href), "previous": cells[0],
                     "newly_covered": cells[1], "no_longer_covered": cells[2], "plan_rate": cells[3],
                     "repeated": cells[4], "carried_over": cells[5]})
    return rows
