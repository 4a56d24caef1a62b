"""Cross-report summaries of a batch: ``summary.csv``, ``summary.html`` and ``summary.xlsx``.

All are built from the batch records (derived from each report's JSON) in input order,
carry no timestamps and no run statistics (the workbook's document properties aside), so
the same corpus gives the same summaries whatever the worker count or the cache state.
Items are named by their Chinese titles (ids stay in the JSON); each report carries the
memo's conclusion (审核结论). A report whose normalised text equals an earlier one's (the
same report as .txt and .docx, or in two encodings) is shown once, its copies listed.

The reporting level (省/市/县/乡镇/部门) is the one each report was checked at (its JSON
``source.level``: ``--kind`` when given, else inferred by ``auditor.level``), shown with
where it came from (``source.level_from``). An item that does not apply to a report is
left out of that item's coverage rate and shown as — (不适用).
"""

from __future__ import annotations

import csv
import io
import statistics
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from . import __version__
from .lang.labels import LEVEL_LABELS
from .lang.levels import LEVEL_FROM_LABELS
from .lang.memo import CONCLUSIONS
from .level import infer_level, resolve
from .output import write_atomic

CSV_NAME = "summary.csv"
HTML_NAME = "summary.html"
XLSX_NAME = "summary.xlsx"
CSV_HEADER = ("文件", "标题", "发布机关", "年度", "层级", "层级依据", "审核结论", "得分", "已覆盖", "部分覆盖", "缺失",
              "未达标必备项", "相同内容的其他文件", "错误")
STATUS_RANK = {"missing": 0, "partial": 1, "covered": 2}
STATUS_MARKS = {"covered": "✔", "partial": "◐", "missing": "✘", "not-applicable": "—"}
STATUS_TEXT = {"covered": "已覆盖", "partial": "部分覆盖", "missing": "缺失", "not-applicable": "不适用"}
SEVERITY_TEXT = {"required": "必备", "recommended": "建议"}
HUMAN_EXTENSIONS = {"html": "html", "md": "md", "text": "txt"}
BINS = 10

# -- level -------------------------------------------------------------------------------
def level_of(rec: Any, kind: str | None) -> str | None:
    """The level the report was checked at: ``--kind``, else its inferred level (None for a
    failed report or an unknown level)."""
    if kind:
        return kind
    if not rec.ok:
        return None
    return getattr(rec, "level", None) or infer_level(rec.issuer, rec.title)


def level_source(rec: Any, kind: str | None) -> str:
    """Where the level came from, in words (empty when there is no level): the JSON's
    ``source.level_from``, else how ``auditor.level`` finds it."""
    if kind:
        return LEVEL_FROM_LABELS["option"]
    if not rec.ok:
        return ""
    given = getattr(rec, "level_from", None) if getattr(rec, "level", None) else resolve(rec.issuer, rec.title).source
    return LEVEL_FROM_LABELS.get(given or "", given or "")


def level_label(level: str | None) -> str:
    """省级, 县级 …; a level this version does not know is shown as it is."""
    return LEVEL_LABELS.get(level or "", level or "")


def conclusion_label(rec: Any) -> str:
    """The memo's conclusion for a checked report, in words."""
    code = getattr(rec, "conclusion", None)
    return CONCLUSIONS.get(code or "", "")


def group_copies(records: Sequence[Any]) -> list[tuple[Any, list[Any]]]:
    """Each report once, in input order, with the later reports of the same normalised text."""
    first: dict[str, tuple[Any, list[Any]]] = {}
    out: list[tuple[Any, list[Any]]] = []
    for r in records:
        digest = getattr(r, "text_sha256", None) if r.ok else None
        if digest and digest in first:
            first[digest][1].append(r)
            continue
        entry: tuple[Any, list[Any]] = (r, [])
        out.append(entry)
        if digest:
            first[digest] = entry
    return out


def item_titles(checklists: Sequence) -> dict[str, str]:
    """Item id → Chinese title, over the loaded checklists."""
    return {it.id: it.title for cl in checklists for it in cl.items}


# -- CSV ---------------------------------------------------------------------------------
def csv_text(records: Sequence[Any], kind: str | None, titles: Mapping[str, str] | None = None,
             yoy: dict[str, Any] | None = None) -> str:
    """One row per report (copies listed on the first one's row), input order; UTF-8 with
    BOM is added when written. Items are named by ``titles`` (id → title) where known;
    ``yoy`` (an archive run) adds the year-over-year columns."""
    names = titles or {}
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(CSV_HEADER + (YOY_HEADER if yoy else ()))
    for r, copies in group_copies(records):
        level = level_of(r, kind)
        if r.ok:
            open_items = "；".join(names.get(i, i) for i in r.required_open)
            row = [r.path, r.title or "", r.issuer or "", r.year or "", level_label(level), level_source(r, kind),
                   conclusion_label(r), r.score, r.covered, r.partial, r.missing, open_items,
                   "；".join(c.path for c in copies), ""]
        else:
            row = [r.path, "", "", "", "", "", "", "", "", "", "", "", "", r.error]
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
    groups = [(r, copies) for r, copies in group_copies(records) if r.ok]
    ok = [r for r, _ in groups]
    return {
        "version": __version__,
        "kind": kind,
        "checklists": [{"id": c.id, "title": c.title, "version": c.version} for c in checklists],
        "columns": [{**c, "no": k} for k, c in enumerate(cols, 1)],
        "rows": [_row(r, copies, cols, kind, fmt) for r, copies in groups],
        "items": _item_rates(ok, cols),
        "histogram": _histogram([r.score for r in ok]),
        "stats": {**_stats(records, ok), "copies": sum(len(c) for _, c in groups)},
        "failed": [{"path": r.path, "error": r.error} for r in records if not r.ok],
        "stale": [{"path": r.path, "message": m} for r in ok for m in getattr(r, "stale", [])],
        "marks": STATUS_MARKS,
    }


def _row(r: Any, copies: list[Any], cols: list[dict[str, Any]], kind: str | None, fmt: str) -> dict[str, Any]:
    page = quote(f"{r.name}.{HUMAN_EXTENSIONS[fmt]}")
    level = level_of(r, kind)
    cells = []
    for c in cols:
        status = r.statuses.get(c["id"])
        anchor = f"#item-{quote(c['id'])}" if fmt == "html" else ""
        cells.append({"status": status or "none", "rank": STATUS_RANK.get(status or "", -1),
                      "mark": STATUS_MARKS.get(status or "", "—"), "href": page + anchor, "title": c["title"],
                      "label": STATUS_TEXT.get(status or "", "不适用" if status else "未检查")})
    return {
        "path": r.path,
        "label": r.title or Path(r.path).name,
        "href": page,
        "level": level_label(level),
        "level_from": level_source(r, kind),
        "conclusion": conclusion_label(r),
        "conclusion_code": getattr(r, "conclusion", None) or "",
        "year": r.year,
        "score": r.score,
        "gaps": len(r.required_open),
        "cells": cells,
        "copies": [c.path for c in copies],
        "memo": next((quote(o) for o in getattr(r, "outputs", []) if "审核意见" in o), ""),
    }


def _item_rates(ok: Sequence[Any], cols: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per item: how many reports cover it, most often missed first."""
    out = []
    for k, c in enumerate(cols):
        counts = {s: sum(1 for r in ok if r.statuses.get(c["id"]) == s) for s in STATUS_RANK}
        n = sum(counts.values())  # reports judged on this item (not-applicable ones are not)
        rate = (counts["covered"] + 0.5 * counts["partial"]) / n if n else 0.0
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
        "failed": sum(1 for r in records if not r.ok),
        "with_gaps": sum(1 for r in ok if r.required_open),
        "mean": round(statistics.fmean(scores), 1) if scores else None,
        "median": round(statistics.median(scores), 1) if scores else None,
        "min": min(scores) if scores else None,
        "max": max(scores) if scores else None,
    }


def write_summaries(folder: Path, records: Sequence[Any], checklists: Sequence, kind: str | None, fmt: str,
                    note: str | None = None, yoy: dict[str, Any] | None = None) -> tuple[Path, Path]:
    """Write ``summary.csv`` (UTF-8 with BOM, for Excel), ``summary.html`` and
    ``summary.xlsx``; ``note`` (an interrupted run) is the CSV's last line and a line under
    the HTML title and on the workbook's first sheet; ``yoy`` (an archive run) adds the
    year-over-year columns to the CSV and a table to the HTML page."""
    from .render import render_template
    from .summary_xlsx import workbook_bytes

    protect = [r.path for r in records]
    text = csv_text(records, kind, item_titles(checklists), yoy) + (f"# {note}\r\n" if note else "")
    csv_path = write_atomic(folder / CSV_NAME, text.encode("utf-8-sig"), protect=protect)
    view = {**summary_view(records, checklists, kind, fmt), "note": note, "yoy": yoy_view(records, yoy or {})}
    html = render_template("summary.html.j2", s=view)
    html_path = write_atomic(folder / HTML_NAME, html, protect=protect)
    write_atomic(folder / XLSX_NAME, workbook_bytes(folder, records, checklists, kind, note), protect=protect)
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
