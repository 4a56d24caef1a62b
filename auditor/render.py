"""Render stage: turn results into JSON (a versioned contract) and Jinja-rendered reports.

Templates receive a deliberately narrow view model (plain dicts built here), never the
dataclasses themselves, so a template cannot reach into the pipeline. One Jinja
environment: autoescape for HTML (report text is untrusted), StrictUndefined so a typo
in a template fails in tests instead of printing blanks.
"""

from __future__ import annotations

import html as _html
from typing import TYPE_CHECKING, Any

from . import __version__
from .lang.labels import (  # noqa: F401 - re-exported: templates' callers read them here
    OVERRIDE_LABEL,
    PART_LABELS,
    SEVERITY_LABELS,
    STATUS_LABELS,
)
from .model import OPEN_STATUSES, Document, Evidence, Outline, Override, Report, score
from .resources import templates_dir
from .vocab import OPTIONAL_PARTS  # a report need not have them: no "无" badge for them

if TYPE_CHECKING:  # jinja2 is imported when a template is first rendered, not for text or JSON
    from jinja2 import Environment

SCHEMA_VERSION = "1.1"

_ENV: Environment | None = None


def _autoescape(name: str | None) -> bool:
    return name is not None and (".html" in name or ".htm" in name)


_DICT_ATTRIBUTES = frozenset(dir(dict))


def view_getattr(env: Environment, obj: Any, attribute: str) -> Any:
    """``x.y`` in a template, as Jinja does it, faster on the plain dicts views are made of.

    Jinja tries the attribute first and the key after; on a dict that means raising and
    catching an AttributeError for every ``row.status`` (thousands on a result page). A dict
    has no attribute but its methods, so for any other name the key is looked up at once:
    the same value, or the same undefined."""
    if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
        try:
            return obj[attribute]
        except KeyError:
            return env.undefined(obj=obj, name=attribute)
    from jinja2 import Environment as Jinja

    return Jinja.getattr(env, obj, attribute)


def environment() -> Environment:
    """The one Jinja environment, with the project's filters registered."""
    global _ENV
    if _ENV is None:
        from jinja2 import Environment, FileSystemLoader, StrictUndefined

        class ViewEnvironment(Environment):
            def getattr(self, obj: Any, attribute: str) -> Any:
                return view_getattr(self, obj, attribute)

        env = ViewEnvironment(
            loader=FileSystemLoader(str(templates_dir())),
            autoescape=_autoescape,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        env.filters["status_label"] = lambda s: STATUS_LABELS.get(s, s)
        env.filters["severity_label"] = lambda s: SEVERITY_LABELS.get(s, s)
        env.filters["part_label"] = lambda s: PART_LABELS.get(s, s)
        env.filters["md"] = md_escape
        _ENV = env
    return _ENV


def md_escape(text: str) -> str:
    """Make untrusted report text inert in Markdown (no raw HTML, no table breaks)."""
    return (
        _html.escape(str(text), quote=False)
        .replace("|", "\\|")
        .replace("\n", " ")
        .replace("`", "\\`")
        .replace("*", "\\*")
        .replace("_", "\\_")
        .replace("[", "\\[")
    )


def render_template(name: str, **context: Any) -> str:
    """Render one template from ``templates/``."""
    return environment().get_template(name).render(**context)


# -- JSON contract ------------------------------------------------------------------
def source_dict(outline: Outline, with_hash: bool = True, report: Report | None = None) -> dict[str, Any]:
    """The ``source`` object shared by ``outline`` and ``check`` JSON (``check`` adds the
    level the checklists were fitted to and where it came from)."""
    doc = outline.doc
    meta = doc.meta
    out: dict[str, Any] = {"path": doc.path}
    if with_hash:
        out["sha256"] = doc.sha256
    out.update(
        title=meta.title,
        issuer=meta.issuer,
        year=meta.year,
        published=meta.published,
        format=doc.format,
        chars=len(doc.original),
    )
    if report is not None:
        out.update(level=report.level, level_from=report.level_from)
    if doc.warnings:
        out["warnings"] = list(doc.warnings)
    if doc.pages:
        out["pages"] = len(doc.pages)
    if doc.ocr is not None:
        out["ocr"] = {"engine": doc.ocr.engine, "confidence": doc.ocr.confidence, "pages": doc.ocr.pages}
    return out


def sections_list(outline: Outline) -> list[dict[str, Any]]:
    """Sections as in ``auditor outline --format json``."""
    return [
        {
            "id": s.id,
            "level": s.level,
            "number": s.number,
            "title": s.title,
            "part": s.part,
            "start": s.start,
            "end": s.end,
            "parent": s.parent,
            "synthetic": s.synthetic,
            "causes": s.causes,
        }
        for s in outline.sections
    ]


def outline_dict(outline: Outline) -> dict[str, Any]:
    """The ``auditor outline`` JSON document."""
    return {
        "schema_version": SCHEMA_VERSION,
        "source": source_dict(outline, with_hash=False),
        "sections": sections_list(outline),
    }


def evidence_dict(e: Evidence) -> dict[str, Any]:
    """One piece of evidence; ``page`` / ``paragraph`` only where the source has them."""
    out: dict[str, Any] = {
        "section": e.section,
        "path": e.path,
        "quote": e.quote,
        "start": e.start,
        "end": e.end,
        "terms": e.terms,
        "part": e.part,
        "substantive": e.substantive,
        "signals": e.signals,
        "kind": e.kind,
        "cues": e.cues,
    }
    if e.page is not None:
        out["page"] = e.page
    if e.paragraph is not None:
        out["paragraph"] = e.paragraph
    return out


def report_dict(report: Report) -> dict[str, Any]:
    """The ``auditor check`` JSON document (documented in docs/json.md)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "auditor", "version": __version__},
        "source": source_dict(report.outline, report=report),
        "sections": sections_list(report.outline),
        "checklists": [
            {
                "id": c.id,
                "title": c.title,
                "version": c.version,
                "basis": c.basis,
                "items": [
                    {
                        "id": f.item_id,
                        "title": f.title,
                        "severity": f.severity,
                        "status": f.status,
                        "auto_status": f.auto_status or f.status,
                        "override": _override_dict(f.override),
                        "reason": f.reason,
                        "cite": f.cite,
                        "requirement": f.requirement,
                        "advice": f.advice,
                        "evidence": [evidence_dict(e) for e in f.evidence],
                    }
                    for f in c.findings
                ],
                "summary": {
                    "covered": c.summary.covered,
                    "partial": c.summary.partial,
                    "missing": c.summary.missing,
                    "not_applicable": c.summary.not_applicable,
                    "score": c.summary.score,
                    "required_open": c.summary.required_open,
                },
            }
            for c in report.checklists
        ],
    }


def _override_dict(o: Override | None) -> dict[str, str] | None:
    return None if o is None else {"by": o.by, "date": o.date, "note": o.note}


def status_label(item: dict[str, Any]) -> str:
    """“缺失”, or for an overridden item “人工复核：不适用（自动判定：缺失；说明：…）”."""
    label = STATUS_LABELS[item["status"]]
    o = item.get("override")
    if not o:
        return label
    bits = [f"自动判定：{STATUS_LABELS[item['auto_status']]}"]
    if o.get("note"):
        bits.append(f"说明：{o['note']}")
    who = "，".join(x for x in (o.get("by"), o.get("date")) if x)
    if who:
        bits.append(who)
    return f"{OVERRIDE_LABEL}：{label}（{'；'.join(bits)}）"


def level_line(data: dict[str, Any]) -> str:
    """“报告层级：县级（推断自发布机关）” from the JSON ``source``."""
    from .level import Level

    src = data["source"]
    return Level(src.get("level"), src.get("level_from")).label


# -- human formats ------------------------------------------------------------------
def _context(report: Report, start: int, end: int, width: int = 60) -> dict[str, str]:
    """The evidence quote with some text around it, for highlighting in context."""
    text = report.doc.original
    a = max(0, start - width)
    z = min(len(text), end + width)
    before = text[a:start].split("\n")[-1]
    after = text[end:z].split("\n")[0]
    return {"before": before, "quote": text[start:end], "after": after}


def report_view(report: Report) -> dict[str, Any]:
    """The narrow view model the check templates receive."""
    data = report_dict(report)
    for cl, res in zip(data["checklists"], report.checklists, strict=False):
        for item, _finding in zip(cl["items"], res.findings, strict=False):
            item["status_label"] = status_label(item)
            for ev in item["evidence"]:
                ev["context"] = _context(report, ev["start"], ev["end"])
                ev["where"] = place_label(ev.get("page"), ev.get("paragraph"))
    gaps = [
        {**item, "checklist": cl["id"]}
        for cl in data["checklists"]
        for item in cl["items"]
        if item["status"] in OPEN_STATUSES
    ]
    order = {"required": 0, "recommended": 1}
    gaps.sort(key=lambda g: (order.get(g["severity"], 2), g["status"] != "missing"))
    totals = {k: sum(c["summary"][k] for c in data["checklists"]) for k in ("covered", "partial", "missing", "not_applicable")}
    data["totals"] = {**totals, "score": score(totals["covered"], totals["partial"], totals["missing"])}
    data["gaps"] = gaps
    data["required_open"] = [f.item_id for f in report.required_gaps()]
    data["parts"] = _parts_view(report.outline)
    data["level_label"] = level_line(data)
    data["notes"] = list(report.notes) + list(report.stale)
    data["ocr_note"] = ocr_label(report.doc)
    return data


def place_label(page: int | None, paragraph: int | None) -> str:
    """Where a quote is for a reader of the source: 第3页 in a PDF, 第12段 in a Word file."""
    if page is not None:
        return f"第{page}页"
    return f"第{paragraph}段" if paragraph is not None else ""


def ocr_label(doc: Document) -> str:
    """The note every output of a recognised (OCR) document carries, or ""."""
    if doc.ocr is None:
        return ""
    from .ingest.formats import ocr_note

    return ocr_note(doc.ocr)




def _parts_view(outline: Outline) -> list[dict[str, Any]]:
    """Which of the required report parts were found, for the summary table."""
    present = {s.part for s in outline.sections}
    return [{"part": p, "label": PART_LABELS[p], "present": p in present} for p in PART_LABELS if p not in OPTIONAL_PARTS]


def outline_view(outline: Outline) -> dict[str, Any]:
    """The narrow view model of ``auditor outline``."""
    return outline_dict(outline)


def render_report(report: Report, fmt: str, comparison: str | None = None) -> str:
    """One report in one of the ``check`` formats; ``comparison`` (a batch with an archive)
    is the file name of its comparison with last year's report, linked from the page."""
    import json

    if fmt == "json":
        return json.dumps(report_dict(report), ensure_ascii=False, indent=2) + "\n"
    name = {"text": "check.txt.j2", "md": "check.md.j2", "html": "check.html.j2"}[fmt]
    return render_template(name, r={**report_view(report), "comparison": comparison})


def render_outline_text(outline: Outline) -> str:
    """``auditor outline`` as text."""
    return render_template("outline.txt.j2", o=outline_view(outline))
