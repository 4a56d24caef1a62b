"""Evidence: a unit of the report located in the original text, with what it shows."""

from __future__ import annotations

from collections.abc import Iterable

from ..model import Evidence, Finding, Outline
from ..outline import section_path
from .statements import Statement
from .units import Unit


def quote(outline: Outline, unit: Unit, terms: Iterable[str] = (), statement: Statement | None = None,
          substantive: bool = False) -> Evidence:
    """The unit as written in the original, with its offsets, section and statement kind."""
    doc = outline.doc
    a, b = doc.orig_span(unit.start, unit.end)
    raw = doc.original[a:b]
    text = raw.strip()
    a += len(raw) - len(raw.lstrip())
    st = statement or Statement("heading" if unit.heading else "slogan")
    cues = [doc.quote(unit.start + s, unit.start + e) for s, e in st.cues]
    return Evidence(
        section=unit.section,
        path=section_path(outline, unit.section),
        quote=text,
        start=a,
        end=a + len(text),
        terms=list(terms),
        part=unit.part,
        substantive=substantive,
        signals=list(st.signals),
        kind=st.kind,
        cues=cues,
        page=doc.page_at(a),
        paragraph=doc.paragraph_at(a),
    )


def section_heading(outline: Outline, sid: str, terms: Iterable[str] = ()) -> Evidence:
    """A section's heading as evidence for a part item."""
    sec = outline.by_id(sid)
    doc = outline.doc
    a, b = doc.orig_span(sec.t_title_start, sec.t_title_end)
    return Evidence(sid, section_path(outline, sid), doc.original[a:b], a, b, list(terms), sec.part, True, [],
                    kind="heading", page=doc.page_at(a), paragraph=doc.paragraph_at(a))


def part_label(part: str) -> str:
    """The Chinese name of a report part, for reasons."""
    from ..checklist import PART_LABELS

    return f"“{PART_LABELS.get(part, part)}”部分"


def finding(item, status: str, reason: str, evidence: list[Evidence]) -> Finding:
    """A finding for ``item`` (severity is set by the caller for the report's kind)."""
    return Finding(
        item_id=item.id,
        title=item.title,
        severity=item.severity,
        status=status,
        reason=reason,
        evidence=evidence,
        requirement=item.requirement,
        cite=item.cite,
        advice=item.advice,
        item_type=item.type,
        needs=item.needs,
    )
