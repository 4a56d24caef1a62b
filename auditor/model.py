"""Plain result dataclasses shared by every stage; no formatting or I/O lives here.

Data flows one way: ingest -> outline -> nlp -> match -> render. Each stage returns one
of these objects and never mutates what it was given.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cached_property

from .vocab import (  # noqa: F401 - the vocabularies results are typed with, re-exported
    OPEN_STATUSES,
    PARTS,
    STATEMENT_KINDS,
    STATUSES,
    Part,
    StatementKind,
    Status,
)


@dataclass(frozen=True)
class Metadata:
    """What the report says about itself (title, issuer, year reported on, publication)."""

    title: str | None = None
    issuer: str | None = None
    year: int | None = None
    published: str | None = None  # ISO date, YYYY-MM-DD


@dataclass(frozen=True)
class OcrInfo:
    """How text was recognised from images (a scan, a photo): engine and mean confidence.

    ``confidence`` is the engine's own figure (0-1, mean per character); every output of
    a recognised document says so, because a misread character can change a verdict.
    """

    engine: str
    confidence: float
    pages: int


@dataclass
class Document:
    """One input report: the text as written plus a normalised copy for analysis.

    ``original`` is the report text as written (for HTML and .docx: the extracted article
    text, one paragraph per line). ``text`` is the normalised copy (half-width forms,
    Simplified characters, inline pinyin dropped, whitespace tidied). ``offsets[i]`` is the
    index in ``original`` of ``text[i]``; ``offsets[len(text)]`` is ``len(original)``, so
    a half-open span [a, b) of ``text`` maps to [offsets[a], offsets[b-1] + 1).
    ``body_start`` is the index in ``text`` where the report body begins (after page
    furniture and the metadata header); nothing before it may count as evidence.
    """

    path: str
    original: str
    text: str
    offsets: list[int]
    meta: Metadata
    sha256: str
    format: str
    body_start: int = 0
    headings: list[tuple[int, int, int]] = field(default_factory=list)
    """Heading hints from the source format: (text_start, text_end, level) of lines that
    carry a Word heading style or an HTML <h1>-<h6> tag."""
    warnings: list[str] = field(default_factory=list)
    """What ingest had to guess or drop (bad bytes replaced, NUL bytes removed, ...), in
    Chinese, for the user; empty for a clean input."""
    pages: list[int] = field(default_factory=list)
    """Paged sources (PDF, scans): offset into ``original`` where each page's text begins
    (page 1 first); empty for formats without pages."""
    paragraphs: list[int] = field(default_factory=list)
    """Word sources (.docx, .doc, .wps): the paragraph number (1-based, non-empty
    paragraphs in reading order) of each line of ``original``; empty otherwise."""
    ocr: OcrInfo | None = None
    """Set when the text was recognised from images (see ``OcrInfo``)."""

    def page_at(self, orig_pos: int) -> int | None:
        """The 1-based page of an offset into ``original``, or None without pages."""
        if not self.pages:
            return None
        return max(1, bisect.bisect_right(self.pages, orig_pos))

    def paragraph_at(self, orig_pos: int) -> int | None:
        """The Word paragraph number of an offset into ``original``, or None."""
        if not self.paragraphs:
            return None
        line = self.line_number(orig_pos) - 1
        return self.paragraphs[min(line, len(self.paragraphs) - 1)]

    def orig_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open span of ``text`` to the matching span of ``original``."""
        if end <= start:
            o = self.offsets[start] if start < len(self.offsets) else len(self.original)
            return o, o
        return self.offsets[start], self.offsets[end - 1] + 1

    def quote(self, start: int, end: int) -> str:
        """The original text (as written) behind a span of ``text``."""
        a, b = self.orig_span(start, end)
        return self.original[a:b]

    @cached_property
    def _newlines(self) -> list[int]:
        return [m.start() for m in re.finditer("\n", self.original)]

    def line_number(self, orig_pos: int) -> int:
        """The 1-based line of an offset into ``original`` (a binary search, not a count from
        the top: a draft may carry thousands of findings)."""
        return bisect.bisect_left(self._newlines, orig_pos) + 1


@dataclass
class Paragraph:
    """A paragraph of body text (one source line), in ``Document.text`` coordinates."""

    start: int
    end: int
    section: str  # id of the innermost section holding it


@dataclass
class Section:
    """A node of the report's section tree.

    ``start``/``end`` are offsets into ``Document.original`` (the API contract); the
    ``t_*`` fields are the same places in ``Document.text`` for the later stages.
    ``synthetic`` marks an unheaded part (e.g. a closing "2025年，我们将…" block) that the
    outline stage turned into a section of its own: its number is empty and its title is
    the first clause of its first paragraph.
    """

    id: str
    level: int
    number: str
    title: str
    part: str
    start: int
    end: int
    parent: str | None
    t_start: int
    t_end: int
    t_title_start: int
    t_title_end: int
    synthetic: bool = False
    causes: bool | None = None  # for a shortcomings part: are causes stated?
    norm_title: str = ""
    children: list[str] = field(default_factory=list)
    # The heading number as the outline read it (lang/numerals.py kinds: cn, pcn, ar, par,
    # circ, chap); None for an unnumbered heading. ``number_damaged``: accepted only because
    # the sequence around it needs it (a lost dot or half-bracket).
    number_kind: str | None = None
    number_value: int | None = None
    number_damaged: bool = False


@dataclass
class Outline:
    """The section tree of one document plus its paragraphs, in reading order."""

    doc: Document
    sections: list[Section]
    paragraphs: list[Paragraph]

    @cached_property
    def _index(self) -> dict[str, Section]:
        """Sections by id, built once (a report may have thousands of sections, and evidence
        and draft defects look sections up once per finding)."""
        return {s.id: s for s in self.sections}

    def by_id(self, sid: str) -> Section:
        """Look a section up by id."""
        return self._index[sid]

    def path(self, sid: str) -> list[Section]:
        """The chain of sections from the top level down to ``sid``."""
        chain: list[Section] = []
        cur: str | None = sid
        index = self._index
        while cur is not None:
            node = index[cur]
            chain.append(node)
            cur = node.parent
        return list(reversed(chain))

    def section_at(self, text_pos: int) -> Section | None:
        """The innermost section containing a ``Document.text`` offset."""
        best: Section | None = None
        for s in self.sections:
            if s.t_start <= text_pos < s.t_end and (best is None or s.level >= best.level):
                best = s
        return best


@dataclass
class Evidence:
    """One quoted sentence supporting a verdict, located in the original text."""

    section: str | None  # section id, None for text before the first heading
    path: str  # human-readable section path, e.g. "一、… > （二）…"
    quote: str  # the sentence as written in the original
    start: int  # offsets into Document.original
    end: int
    terms: list[str]
    part: str
    substantive: bool = False
    signals: list[str] = field(default_factory=list)
    kind: str = "act"  # a StatementKind: what kind of statement the quote is about the item
    cues: list[str] = field(default_factory=list)  # the words that decided the kind
    page: int | None = None  # 1-based page of ``start`` in a paged source (PDF, scan)
    paragraph: int | None = None  # Word paragraph number of ``start`` (.docx, .doc, .wps)


@dataclass
class Finding:
    """The verdict on one checklist item for one report, with its evidence and reason."""

    item_id: str
    title: str
    severity: str
    status: str
    reason: str
    evidence: list[Evidence] = field(default_factory=list)
    requirement: str = ""
    cite: str = ""
    advice: str = ""
    auto_status: str = ""
    """The automatic verdict (applicability included) before a supervisor's override."""
    override: Override | None = None
    item_type: str = "mention"
    """The item's type: ``mention`` (a task the report must cover) or ``part`` (a part of the report)."""
    needs: tuple[str, ...] = ()
    """What a ``part`` item needs beyond being there (causes, a dedicated part)."""

    @property
    def is_part(self) -> bool:
        """Whether the finding judges a report part (structure) rather than a task (content)."""
        return self.item_type == "part"

    @property
    def is_open(self) -> bool:
        """A gap: partial or missing (a not-applicable item never is)."""
        return self.status in OPEN_STATUSES


@dataclass(frozen=True)
class Override:
    """A supervisor's decision on one item of one report (人工复核), from an overrides file."""

    status: str
    note: str = ""
    by: str = ""
    date: str = ""


def score(covered: int, partial: int, missing: int) -> float:
    """The one score: 0-100 over the applicable items, covered = 1, partial = 0.5 (one decimal)."""
    n = covered + partial + missing
    return round(100 * (covered + 0.5 * partial) / n, 1) if n else 0.0


@dataclass
class Summary:
    """Counts per status and a 0-100 score over the applicable items (see ``score``)."""

    covered: int = 0
    partial: int = 0
    missing: int = 0
    not_applicable: int = 0
    score: float = 0.0
    required_open: list[str] = field(default_factory=list)


@dataclass
class ChecklistResult:
    """All findings of one checklist on one report."""

    id: str
    title: str
    version: str
    basis: str
    findings: list[Finding]
    summary: Summary


@dataclass
class Report:
    """Everything the auditor concluded about one document."""

    outline: Outline
    checklists: list[ChecklistResult]
    level: str | None = None  # province, city, county, township, department; None when unknown
    level_from: str | None = None  # issuer, title, option; None when unknown
    year: int | None = None  # the covered year used to choose the checklists
    notes: list[str] = field(default_factory=list)
    """What the choice of checklists means for this report (a year before the outline, no
    successor outline), in Chinese; also in ``source.warnings``."""
    stale: list[str] = field(default_factory=list)
    """Overrides for this file name whose sha256 no longer matches (the text changed), in Chinese."""

    @property
    def doc(self) -> Document:
        """The document the report is about."""
        return self.outline.doc

    def required_gaps(self) -> list[Finding]:
        """Required items that are not covered, across all checklists."""
        return [
            f
            for c in self.checklists
            for f in c.findings
            if f.severity == "required" and f.is_open
        ]
