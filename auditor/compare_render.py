"""Render a ``Comparison``: the JSON contract (``auditor/schema/compare.schema.json``) and the
text, Markdown and HTML views, all built from that one JSON view model."""

from __future__ import annotations

import json
from typing import Any

from . import __version__
from .compare import Comparison, Quote
from .render import STATUS_LABELS, render_template, source_dict

SCHEMA_VERSION = "1.0"
CHANGE_LABELS = {
    "newly-covered": "新增覆盖",
    "no-longer-covered": "不再覆盖",
    "still-missing": "仍然缺失",
    "improved": "有所改进",
    "declined": "有所退步",
    "unchanged": "没有变化",
}
PLAN_LABELS = {"done": "已落实", "partial": "部分落实", "not-reported": "未见报告"}
EXTENSIONS = {"text": "txt", "json": "json", "md": "md", "html": "html"}


def _quote(q: Quote | None) -> dict[str, Any] | None:
    return None if q is None else {"quote": q.text, "start": q.start, "end": q.end, "path": q.path}


def _num(x: float) -> int | float:
    return int(x) if float(x).is_integer() else x


def comparison_dict(c: Comparison) -> dict[str, Any]:
    """The ``auditor compare`` JSON document (schema: auditor/schema/compare.schema.json)."""
    co = c.carried_over
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "auditor", "version": __version__},
        "old": source_dict(c.old.outline),
        "new": source_dict(c.new.outline),
        "warnings": list(c.warnings),
        "checklists": [{"id": cl.id, "version": cl.version} for cl in c.new.checklists],
        "indicator_list": {"id": c.indicator_list[0], "version": c.indicator_list[1]},
        "summary": {
            "newly_covered": c.count("newly-covered"),
            "no_longer_covered": c.count("no-longer-covered"),
            "still_missing": c.count("still-missing"),
            "plan_points": len(c.plan),
            "plan_rate": c.plan_rate,
            "repeated_shortcomings": len(c.repeated),
            "resolved_shortcomings": len(c.resolved),
            "carried_over_share": co.share,
            "indicators": len(c.indicators),
        },
        "coverage": [
            {"item": x.item, "title": x.title, "checklist": x.checklist, "old_status": x.old_status,
             "new_status": x.new_status, "change": x.change,
             "old_evidence": _quote(x.old_evidence), "new_evidence": _quote(x.new_evidence)}
            for x in c.coverage
        ],
        "plan": [
            {"point": p.point.text, "point_start": p.point.start, "point_end": p.point.end, "items": p.items,
             "status": p.status, "evidence": _quote(p.evidence), "overlap": p.overlap, "words": p.words}
            for p in c.plan
        ],
        "shortcomings": {
            "repeated": [
                {"old_quote": r.old_quote.text, "old_start": r.old_quote.start, "old_end": r.old_quote.end,
                 "new_quote": r.new_quote.text, "new_start": r.new_quote.start, "new_end": r.new_quote.end,
                 "similarity": r.similarity}
                for r in c.repeated
            ],
            "resolved": [
                {"old_quote": r.old_quote.text, "old_start": r.old_quote.start, "old_end": r.old_quote.end,
                 "evidence": _quote(r.evidence), "overlap": r.overlap}
                for r in c.resolved
            ],
        },
        "carried_over": {
            "share": co.share,
            "results_share": co.results_share,
            "flagged": co.flagged,
            "chars": co.chars,
            "total": co.total,
            "passages": [
                {"old_start": p.old_start, "old_end": p.old_end, "new_start": p.new_start, "new_end": p.new_end,
                 "chars": p.chars, "figures": [{"old": o, "new": n} for o, n in p.figures], "text": p.text}
                for p in co.passages
            ],
        },
        "indicators": [
            {"id": i.id, "name": i.name, "unit": i.unit,
             "old": {"value": _num(i.old.value), "text": i.old.text, "sentence": i.old.sentence,
                     "start": i.old.start, "end": i.old.end},
             "new": {"value": _num(i.new.value), "text": i.new.text, "sentence": i.new.sentence,
                     "start": i.new.start, "end": i.new.end},
             "change": _num(i.change)}
            for i in c.indicators
        ],
    }


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.1f}%"


def _signed(x: int | float, unit: str) -> str:
    unit = "个百分点" if unit == "%" else unit
    return f"{'+' if x > 0 else ''}{x:g}{unit}" if x else "持平"


def comparison_view(c: Comparison) -> dict[str, Any]:
    """The narrow view model of the compare templates: the JSON plus labels."""
    data = comparison_dict(c)
    for x in data["coverage"]:
        x["change_label"] = CHANGE_LABELS[x["change"]]
        x["old_label"], x["new_label"] = STATUS_LABELS[x["old_status"]], STATUS_LABELS[x["new_status"]]
    data["changed"] = [x for x in data["coverage"] if x["change"] in ("newly-covered", "no-longer-covered", "improved", "declined")]
    data["missing"] = [x for x in data["coverage"] if x["change"] == "still-missing"]
    for p in data["plan"]:
        p["label"] = PLAN_LABELS[p["status"]]
    for i in data["indicators"]:
        i["change_label"] = _signed(i["change"], i["unit"])
    co = data["carried_over"]
    co["share_label"], co["results_label"] = _pct(co["share"]), _pct(co["results_share"])
    data["summary"]["plan_label"] = _pct(data["summary"]["plan_rate"])
    for p in co["passages"]:
        p["figures_label"] = "；".join(f"{f['old'] or '（无）'}→{f['new'] or '（无）'}" for f in p["figures"])
    data["names"] = {k: data[k]["title"] or data[k]["path"] for k in ("old", "new")}
    return data


def render_comparison(c: Comparison, fmt: str) -> str:
    """One comparison in one of the ``compare`` formats."""
    if fmt == "json":
        return json.dumps(comparison_dict(c), ensure_ascii=False, indent=2) + "\n"
    name = {"text": "compare.txt.j2", "md": "compare.md.j2", "html": "compare.html.j2"}[fmt]
    return render_template(name, c=comparison_view(c))
