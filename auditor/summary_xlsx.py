"""``summary.xlsx``: the batch summary as a workbook that opens in Excel and WPS.

Written with XlsxWriter (no repair prompts, frozen panes and filters as Excel writes them):

- 汇总: one row per report (copies listed on it), the columns of ``summary.csv``;
- one sheet per checklist: the reports down, the items across by their Chinese titles,
  cells ✔ / ◐ / ✘ / — coloured, the header and the report column frozen;
- 全部发现: one row per report and item (status, the first quote and its section), for
  pivot tables.

Report text is untrusted: every string is written as a string (never a formula), and
cells are cut to Excel's limit.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .summary import (
    CSV_HEADER,
    SEVERITY_TEXT,
    STATUS_MARKS,
    STATUS_TEXT,
    conclusion_label,
    group_copies,
    item_titles,
    level_label,
    level_of,
    level_source,
)

SUMMARY_SHEET = "汇总"
FINDINGS_SHEET = "全部发现"
FINDINGS_HEADER = ("文件", "报告", "检查清单", "条目", "类别", "状态", "原文", "所在章节")
FIXED_CREATED = datetime(1980, 1, 1, tzinfo=UTC)
MAX_CELL = 32_000  # Excel keeps at most 32,767 characters in a cell
MAX_JSON = 50_000_000  # bytes of a report's JSON read back for the findings sheet
# Fill colours of the status cells, as in summary.html.
FILLS = {"covered": "#C6EFCE", "partial": "#FFEB9C", "missing": "#FFC7CE", "not-applicable": "#EDEDED"}
FONTS = {"covered": "#006100", "partial": "#7F6000", "missing": "#9C0006", "not-applicable": "#7F7F7F"}
CONCLUSION_FILLS = {"pass": "#C6EFCE", "pass-with-advice": "#E2EFDA", "revise": "#FFEB9C", "reject": "#FFC7CE"}
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def workbook_bytes(folder: Path, records: Sequence[Any], checklists: Sequence, kind: str | None,
                   note: str | None = None) -> bytes:
    """The workbook; ``folder`` holds the per-report JSON read for the findings sheet. Like the
    other summaries it carries no time of writing (``created`` is fixed, as XlsxWriter fixes
    the zip members' times), so a batch's outputs are the same bytes on every engine."""
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                   "strings_to_numbers": False})
    wb.set_properties({"title": "法治政府建设年度报告批量审核汇总", "subject": "批量审核汇总",
                       "author": "auditor", "created": FIXED_CREATED})
    styles = _styles(wb)
    groups = group_copies(records)
    _summary_sheet(wb, styles, groups, checklists, kind, note)
    used = {SUMMARY_SHEET, FINDINGS_SHEET}
    for cl in checklists:
        _matrix_sheet(wb, styles, _sheet_name(cl.title, used), cl, groups, kind)
    _findings_sheet(wb, styles, folder, groups, checklists)
    wb.close()
    return buf.getvalue()


def _styles(wb: Any) -> dict[str, Any]:
    base = {"font_name": "等线", "font_size": 10, "valign": "top"}
    out = {
        "head": wb.add_format({**base, "bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True,
                               "valign": "vcenter", "align": "center"}),
        "item": wb.add_format({**base, "bold": True, "bg_color": "#D9E1F2", "border": 1, "rotation": 90,
                               "align": "center", "valign": "bottom"}),
        "text": wb.add_format({**base, "text_wrap": True}),
        "plain": wb.add_format(base),
        "num": wb.add_format({**base, "num_format": "0.0"}),
    }
    for status, fill in FILLS.items():
        out[status] = wb.add_format({**base, "bg_color": fill, "font_color": FONTS[status], "align": "center",
                                     "valign": "vcenter", "border": 1, "border_color": "#BFBFBF"})
    for code, fill in CONCLUSION_FILLS.items():
        out["c-" + code] = wb.add_format({**base, "bg_color": fill})
    return out


def _sheet_name(title: str, used: set[str]) -> str:
    """A valid, unique sheet name (31 characters, none of []:*?/\\)."""
    name = _SHEET_BAD.sub("", title)[:31] or "清单"
    k = 2
    while name in used:
        suffix = f"（{k}）"
        name = _SHEET_BAD.sub("", title)[: 31 - len(suffix)] + suffix
        k += 1
    used.add(name)
    return name


def _cell(value: Any) -> Any:
    if isinstance(value, str) and len(value) > MAX_CELL:
        return value[: MAX_CELL - 1] + "…"
    return value


def _summary_sheet(wb: Any, st: dict[str, Any], groups: list, checklists: Sequence, kind: str | None,
                   note: str | None) -> None:
    ws = wb.add_worksheet(SUMMARY_SHEET)
    titles = item_titles(checklists)
    ws.write_row(0, 0, CSV_HEADER, st["head"])
    row = 0
    for row, (r, copies) in enumerate(groups, 1):
        if r.ok:
            values = [r.path, r.title or "", r.issuer or "", r.year, level_label(level_of(r, kind)),
                      level_source(r, kind), conclusion_label(r), r.score, r.covered, r.partial, r.missing,
                      "；".join(titles.get(i, i) for i in r.required_open), "；".join(c.path for c in copies), ""]
        else:
            values = [r.path] + [None] * 12 + [r.error]
        for col, value in enumerate(values):
            if value is None or value == "":
                continue
            fmt = st["num"] if col == 7 else st["c-" + r.conclusion] if col == 6 and r.conclusion in CONCLUSION_FILLS else st["text"]
            if isinstance(value, str):
                ws.write_string(row, col, _cell(value), fmt)
            else:
                ws.write_number(row, col, value, fmt)
    if note:
        ws.write_string(row + 2, 0, note, st["plain"])
    widths = (36, 36, 20, 7, 11, 14, 22, 7, 7, 9, 7, 40, 30, 40)
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    ws.freeze_panes(1, 1)
    ws.autofilter(0, 0, max(row, 1), len(CSV_HEADER) - 1)
    _print_setup(ws)


def _matrix_sheet(wb: Any, st: dict[str, Any], name: str, cl: Any, groups: list, kind: str | None) -> None:
    ws = wb.add_worksheet(name)
    lead = ("报告", "层级", "审核结论", "得分")
    ws.write_row(0, 0, lead, st["head"])
    items = list(cl.items)
    for col, it in enumerate(items, len(lead)):
        ws.write_string(0, col, it.title, st["item"])
    row = 0
    for row, (r, _copies) in enumerate([g for g in groups if g[0].ok], 1):
        ws.write_string(row, 0, _cell(r.title or Path(r.path).name), st["text"])
        ws.write_string(row, 1, level_label(level_of(r, kind)), st["plain"])
        ws.write_string(row, 2, conclusion_label(r), st["c-" + r.conclusion] if r.conclusion in CONCLUSION_FILLS else st["plain"])
        ws.write_number(row, 3, r.score, st["num"])
        for col, it in enumerate(items, len(lead)):
            status = r.statuses.get(it.id) or "not-applicable"
            ws.write_string(row, col, STATUS_MARKS.get(status, "—"), st.get(status, st["not-applicable"]))
    ws.set_row(0, 170)
    ws.set_column(0, 0, 36)
    ws.set_column(1, 1, 10)
    ws.set_column(2, 2, 20)
    ws.set_column(3, 3, 6)
    ws.set_column(len(lead), len(lead) + len(items) - 1, 3.6)
    ws.freeze_panes(1, 1)
    ws.autofilter(0, 0, max(row, 1), len(lead) + len(items) - 1)
    _print_setup(ws)
    ws.repeat_columns(0)


def _findings_sheet(wb: Any, st: dict[str, Any], folder: Path, groups: list, checklists: Sequence) -> None:
    ws = wb.add_worksheet(FINDINGS_SHEET)
    ws.write_row(0, 0, FINDINGS_HEADER, st["head"])
    severities = {it.id: it.severity for cl in checklists for it in cl.items}
    row = 0
    for r, _copies in groups:
        if not r.ok:
            continue
        evidence = _evidence(folder, r)
        for cl in checklists:
            for it in cl.items:
                status = r.statuses.get(it.id)
                if status is None:
                    continue
                row += 1
                quote, section = evidence.get(it.id, ("", ""))
                values = (r.path, r.title or Path(r.path).name, cl.title, it.title,
                          SEVERITY_TEXT.get(severities.get(it.id, ""), ""), STATUS_TEXT.get(status, status), quote, section)
                for col, value in enumerate(values):
                    ws.write_string(row, col, _cell(value), st["plain"])
    for col, width in enumerate((30, 36, 24, 30, 6, 9, 60, 40)):
        ws.set_column(col, col, width)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(row, 1), len(FINDINGS_HEADER) - 1)
    _print_setup(ws)


def _print_setup(ws: Any) -> None:
    """A4 landscape, as wide as the page, the header row on every page."""
    ws.set_landscape()
    ws.set_paper(9)
    ws.repeat_rows(0)
    ws.fit_to_pages(1, 0)


def _evidence(folder: Path, r: Any) -> dict[str, tuple[str, str]]:
    """Item id → (first quote, its section path) from the report's JSON in the output folder;
    empty when the file is missing, too large or not what it should be."""
    name = next((o for o in r.outputs if o.endswith(".json")), None)
    if name is None:
        return {}
    try:
        path = folder / name
        if path.stat().st_size > MAX_JSON:
            return {}
        data = json.loads(path.read_text(encoding="utf-8"))
        out = {}
        for cl in data["checklists"]:
            for it in cl["items"]:
                ev = it.get("evidence") or []
                if ev:
                    out[it["id"]] = (" ".join(str(ev[0]["quote"]).split()), str(ev[0]["path"]))
        return out
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return {}
