"""Outline stage, the tree: one walk over the lines with a stack of open numbering kinds.

Which line is a heading depends on the sequences open around it (a damaged number counts
only where it continues one), so detection and placement happen in the same pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..lang import outline as L
from ..lang.numerals import number_value
from ..model import Document, Section
from .heads import (
    Head,
    Line,
    clause_title,
    heading_part,
    is_bare_heading,
    match_damaged,
    match_number,
    starts_like_part_heading,
    title_span,
)


@dataclass
class _Open:
    kind: str
    n: int | None
    level: int
    index: int  # index into the sections list
    children_kinds: list[str] = field(default_factory=list)



class Builder:
    """Walks the lines once, keeping a stack of open numbering kinds."""

    def __init__(self, doc: Document, lines: list[Line]) -> None:
        self.doc = doc
        self.lines = lines
        self.stack: list[_Open] = []
        self.sections: list[Section] = []
        self.paragraphs: list[tuple[int, int]] = []
        self.year = doc.meta.year
        self.hints = {s: lvl for s, _, lvl in doc.headings}
        self.top_parts: list[str] = []  # parts of the top-level sections, in order
        self.top_part_set: set[str] = set()
        self.n_top = 0  # top-level sections so far (their ids are s1, s2, …)
        self.kinds_by_level: dict[int, set[str]] = {}

    @property
    def current_top_part(self) -> str | None:
        """Part of the latest top-level section, None before the first."""
        return self.top_parts[-1] if self.top_parts else None

    # -- heading detection -------------------------------------------------------
    def heading_at(self, i: int) -> Head | None:
        """The heading on line ``i``, if any: numbered, damaged where the sequence allows, or bare."""
        line = self.lines[i]
        found = match_number(line)
        damaged = False
        if found is None:
            found = match_damaged(line)
            damaged = found is not None
        if found is not None:
            kind, m = found
            n = number_value(kind, m.group("n"))
            if damaged and not self._sequence_allows(kind, n, i):
                found = None
            else:
                ts, te, body = title_span(line, line.start + m.end())
                number = line.text[m.end("lead") : m.end()].strip()
                num_start = line.start + m.end("lead")
                return Head(i, kind, n, number, num_start, line.start + m.end(), ts, te, body,
                            written_kind=kind, written_n=n, damaged=damaged)
        if line.start in self.hints and is_bare_heading(line, L.MIN_PART_HEADING):
            return self._bare(i, hinted=True)
        if is_bare_heading(line) and self._bare_fits(i):
            return self._bare(i, hinted=False)
        if is_bare_heading(line, L.MIN_PART_HEADING) and self._opens_new_part(i):
            head = self._bare(i, hinted=False)
            head.top = True
            return head
        return None

    def _bare(self, i: int, hinted: bool) -> Head:
        line = self.lines[i]
        t = line.text.strip()
        lead = line.text.find(t)
        start = line.start + lead
        head = Head(i, "bare", None, "", num_start=start, num_end=start, title_start=start,
                     title_end=start + len(t), body_start=None)
        if hinted:
            head.level_hint = self.hints.get(line.start)
        return head

    def _open_kind(self, kind: str) -> _Open | None:
        for o in reversed(self.stack):
            if o.kind == kind:
                return o
        return None

    def _sequence_allows(self, kind: str, n: int | None, i: int) -> bool:
        """Damaged numbers count only where they continue or start an expected sequence."""
        cur = self._open_kind(kind)
        if n is None:  # the number itself went with the lost part (")实施…")
            return cur is not None
        if cur is not None and cur.n is not None and n == cur.n + 1:
            return True
        if n == 1 and self.stack and kind in self.stack[-1].children_kinds + ["ar"]:
            nxt = self._next_number(i, kind)
            return nxt is None or nxt == 2
        return False

    def _next_number(self, i: int, kind: str) -> int | None:
        for j in range(i + 1, min(i + 40, len(self.lines))):
            found = match_number(self.lines[j])
            if found and found[0] == kind:
                return number_value(kind, found[1].group("n"))
        return None

    def _bare_fits(self, i: int) -> bool:
        """An unnumbered line is a heading when the numbering around it needs one."""
        nxt = None
        for j in range(i + 1, min(i + 4, len(self.lines))):
            found = match_number(self.lines[j])
            if found:
                nxt = (found[0], number_value(found[0], found[1].group("n")))
                break
            if not self.lines[j].text.strip():
                continue
            if j == i + 1 and len(self.lines[j].text) < L.MAX_BARE_HEADING:
                return False
        if nxt is None:
            return False
        kind, n = nxt
        cur = self._open_kind(kind)
        restarts = n == 1 and cur is not None and cur.n is not None and cur.n >= 1 and len(self.stack) >= 2
        return restarts or self._gap_level(i) is not None

    def _gap_level(self, i: int) -> int | None:
        """Stack index of an open sequence that skips exactly one number after line ``i``.

        "（二）… <unnumbered line> …（四）": the line is the lost （三）. Searched from the
        deepest open sequence up; a heading of a higher open sequence ends the search.
        """
        for k in range(len(self.stack) - 1, 0, -1):
            want = self.stack[k]
            higher = {o.kind for o in self.stack[:k]}
            for j in range(i + 1, min(i + L.GAP_LOOKAHEAD, len(self.lines))):
                found = match_number(self.lines[j])
                if found is None:
                    continue
                kind, m = found
                if kind in higher:
                    break
                if kind == want.kind:
                    if want.n is not None and number_value(kind, m.group("n")) == want.n + 2:
                        return k
                    break
        return None

    def _opens_new_part(self, i: int) -> bool:
        """An unnumbered line naming a part not yet begun: a top-level heading without number.

        Reports lose a top-level number in copying ("三、" gone before "2025年度…主要安排"),
        and short reports often head their closing parts with a bare "存在的问题" or
        "下一步工作打算". A part name alone could be a results sub-heading ("补齐短板…"), so
        it also needs numbering that restarts below the top level right after it, or to
        begin the way a part heading begins.
        """
        if not self.stack:
            return False
        title = self.lines[i].text.strip()
        part = heading_part(title, 1, self.year)
        if part in (None, "measures-and-results") or part in self.top_part_set:
            return False
        return self._restarts_below_top(i) or starts_like_part_heading(title, self.year)

    def _restarts_below_top(self, i: int) -> bool:
        """Does a numbering kind used right below the top level restart after line ``i``?"""
        for j in range(i + 1, min(i + 4, len(self.lines))):
            found = match_number(self.lines[j])
            if found:
                kind, m = found
                return number_value(kind, m.group("n")) == 1 and kind in self.kinds_by_level.get(2, set())
        return False

    # -- tree building -------------------------------------------------------------
    def place(self, head: Head) -> int:
        """Pop the stack to where the heading belongs and return its level."""
        if head.kind == "bare":
            return self._place_bare(head)
        idx = next((k for k in range(len(self.stack)) if self.stack[k].kind == head.kind), None)
        if idx is not None:
            prev = self.stack[idx].n
            if head.n is None and prev is not None:
                head.n = prev + 1
            del self.stack[idx:]
        return len(self.stack) + 1

    def _place_bare(self, head: Head) -> int:
        """Level of an unnumbered heading: from its part, its format hint, or the numbering after it."""
        if head.top and self.stack:
            return self._take_place_of(0, head)
        if head.level_hint is not None:
            if not self.stack:
                return 1
            k = self._hint_place(head.level_hint)
            if k is not None:
                return self._take_place_of(k, head) if k < len(self.stack) else len(self.stack) + 1
        gap = self._gap_level(head.line)
        if gap is not None:
            return self._take_place_of(gap, head)
        # A lost-number heading sits one level above the sequence that restarts after it.
        nxt = self._next_kind(head.line)
        idx = next((k for k in range(len(self.stack)) if self.stack[k].kind == nxt), None)
        if idx is not None and idx >= 1:
            return self._take_place_of(idx - 1, head)
        return len(self.stack) + 1

    def _hint_place(self, hint: int) -> int | None:
        """First open entry whose format level (Markdown #, HTML h1-h6) is not above ``hint``.

        None when the open headings carry no format levels to compare with.
        """
        levels = [self.hints.get(self.sections[o.index].t_start) for o in self.stack]
        if levels[0] is None:
            return None
        return next((k for k, lv in enumerate(levels) if lv is None or lv >= hint), len(levels))

    def _take_place_of(self, k: int, head: Head) -> int:
        """The heading becomes the next sibling of open entry ``k``: same kind, next number."""
        sib = self.stack[k]
        head.kind = sib.kind
        head.n = (sib.n + 1) if sib.n is not None else None
        del self.stack[k:]
        return k + 1

    def ends_numbered_run(self, i: int) -> bool:
        """Nothing after line ``i`` continues an open numbering sequence.

        An unheaded part ("…但仍存在差距" / "下一步，我们将…") closes the body it follows:
        the next numbered heading, if any, is a top-level one or starts a fresh sequence
        (the plan's own （一）). The same words inside the results, followed by the next
        sibling heading, are only a sentence of that section.
        """
        for j in range(i + 1, len(self.lines)):
            found = match_number(self.lines[j])
            if found is None:
                continue
            kind, n = found[0], number_value(found[0], found[1].group("n"))
            if self.stack and kind == self.stack[0].kind:
                return True
            return n == 1 and self._open_kind(kind) is None
        return True

    def _next_kind(self, i: int) -> str | None:
        for j in range(i + 1, min(i + 4, len(self.lines))):
            found = match_number(self.lines[j])
            if found:
                return found[0]
        return None

    def add_top_part(self, part: str) -> None:
        """Record the part of a new top-level section."""
        self.top_parts.append(part)
        self.top_part_set.add(part)

    def add_section(self, head: Head, level: int) -> Section:
        """Make the Section of a placed heading and open its numbering kind on the stack."""
        parent = self.stack[-1] if self.stack else None
        parent_sec = self.sections[parent.index] if parent else None
        if parent_sec is not None:
            ordinal = len(parent_sec.children) + 1
            sid = f"{parent_sec.id}.{ordinal}"
        else:
            self.n_top += 1
            sid = f"s{self.n_top}"
        doc = self.doc
        ostart = doc.offsets[self.lines[head.line].start] if not head.synthetic else doc.offsets[head.title_start]
        title = doc.quote(head.title_start, head.title_end)
        number = doc.quote(head.num_start, head.num_end).strip() if head.number else ""
        sec = Section(
            id=sid,
            level=level,
            number=number,
            title=title,
            part="",
            start=ostart,
            end=ostart,
            parent=parent_sec.id if parent_sec else None,
            t_start=self.lines[head.line].start if not head.synthetic else head.title_start,
            t_end=len(doc.text),
            t_title_start=head.title_start,
            t_title_end=head.title_end,
            synthetic=head.synthetic,
            norm_title=doc.text[head.title_start:head.title_end],
            number_kind=head.written_kind,
            number_value=head.written_n,
            number_damaged=head.damaged,
        )
        if parent_sec is not None:
            parent_sec.children.append(sid)
        if parent is not None and head.kind not in parent.children_kinds:
            parent.children_kinds.append(head.kind)
        self.kinds_by_level.setdefault(level, set()).add(head.kind)
        self.sections.append(sec)
        self.stack.append(_Open(head.kind, head.n, level, len(self.sections) - 1))
        return sec

    def add_synthetic(self, i: int, part: str) -> Section:
        """Open an unheaded part at the top level, starting at paragraph line ``i``."""
        line = self.lines[i]
        top_kind = next((s.kind for s in self.stack[:1]), "cn")
        self.stack.clear()
        ts, te = clause_title(line)
        head = Head(i, top_kind, None, "", num_start=line.start, num_end=line.start, title_start=ts,
                     title_end=te, body_start=None, synthetic=True, part=part)
        sec = self.add_section(head, 1)
        sec.part = part
        self.stack[-1].kind = top_kind
        return sec

