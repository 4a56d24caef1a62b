"""The one matcher: which checklist terms a sentence holds, and where.

``auditor check`` and the checklist loader's example self-check both call ``find``, so an
example that passes at load behaves the same in a report. The loader has no segmenter
(it must stay fast), so there a short term is not held to token boundaries; in a report
it is, because a two- or three-character term glued inside another word is usually not
the term ("复议" inside "提议复议会").
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import lru_cache

import regex

from ..lang import signals as S
from ..literals import literal_finder, necessary_literals
from ..patterns import BoundedPattern
from .units import Unit, Units, split_clauses


@dataclass(frozen=True)
class Found:
    """The terms of one item found in one sentence: their texts and spans, in order."""

    terms: list[str]
    spans: list[tuple[int, int]]
    # spans that only name the topic of an all_of group (a first element in rule-of-law words:
    # 法治, 全面依法治): the statement is judged where the other elements say what was done
    topics: tuple[tuple[int, int], ...] = ()

    @property
    def pos(self) -> int:
        """Offset of the first term."""
        return self.spans[0][0]


@lru_cache(maxsize=4096)
def alternation(words: tuple[str, ...]) -> re.Pattern[str] | None:
    """One regex for a set of literal words, longest first."""
    words = tuple(w for w in words if w)
    if not words:
        return None
    return re.compile("|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)))


def aligned(boundaries: Collection[int] | None, s: int, e: int) -> bool:
    """A short term counts when it starts or ends on a pkuseg token boundary.

    Terms of four characters or more are unambiguous terms of art and count wherever they
    occur: the segmenter may still glue them to a neighbour ("负责人出庭|应诉率").
    """
    return e - s >= 4 or not boundaries or s in boundaries or e in boundaries


_TOPIC_WORD = re.compile(S.TOPIC_WORDS)
ALL_OF_SPAN = 40  # characters: the elements of an all_of group must stand this close together
WINDOW = 1  # clauses on either side of a term that a veto reads


def _together(group, text: str) -> list[tuple[int, int, str]]:
    """One occurrence of every element of an ``all_of`` group, all within ALL_OF_SPAN
    characters of the first element's occurrence, or [] (a long sentence that names a leader
    in one clause and a routine in another does not make the leader's act)."""
    occurrences = []
    for alts in group:  # one element missing from the sentence: no need to look for the rest
        rx = alternation(tuple(alts))
        found = [(m.start(), m.end(), m.group(0)) for m in rx.finditer(text)] if rx else []
        if not found:
            return []
        occurrences.append(found)
    for anchor in occurrences[0]:
        picked = [anchor]
        for occ in occurrences[1:]:
            near = [o for o in occ if abs(o[0] - anchor[0]) <= ALL_OF_SPAN]
            if not near:
                break
            picked.append(min(near, key=lambda o: abs(o[0] - anchor[0])))
        else:
            return picked
    return []


def find(item, text: str, boundaries: Collection[int] | None = None, veto_text: str | None = None) -> Found | None:
    """The terms of ``item`` in ``text`` (cited titles already masked), or None.

    ``all_of`` groups fire when every element is found in the sentence; ``exclude``
    patterns veto the sentence (they read ``veto_text``, the unmasked sentence, if given).
    """
    found: list[tuple[int, int, str]] = []
    rx = alternation(tuple(item.terms))
    if rx is not None:
        found += [(m.start(), m.end(), m.group(0)) for m in rx.finditer(text) if aligned(boundaries, m.start(), m.end())]
    for prx in item.patterns:
        m = prx.search(text)
        if m:
            found.append((m.start(), m.end(), m.group(0)))
    groups = [picked for group in item.all_of if (picked := _together(group, text))]
    if not found and not groups:
        return None
    veto = veto_text if veto_text is not None else text
    if item.exclude and item.excluded(veto):
        found = [f for f in found if not item.excluded(window(veto, f[0], f[1]))]
        # a group stands or falls whole, judged where it says something: around the elements
        # after its first (the first names the topic, 法治政府建设; the others what was done
        # to it, 督察 — vetoed when that is 生态环境保护督察)
        groups = [g for g in groups if not any(item.excluded(window(veto, a, b)) for a, b, _ in g[1:])]
    direct = {(a, b) for a, b, _ in found}
    found += [f for g in groups for f in g]
    if not found:
        return None
    found.sort()
    terms = list(dict.fromkeys(t for _, _, t in found))
    topics = tuple((a, b) for g in groups for a, b, t in g[:1] if (a, b) not in direct and _TOPIC_WORD.search(t))
    return Found(terms, [(a, b) for a, b, _ in found], topics)


_TITLE = re.compile(r"《([^《》\n]{1,80})》")


def cited(item, text: str) -> Found | None:
    """The item's ``titles`` (the law it implements) inside a 《…》 title cited in ``text``,
    the unmasked sentence: 对照新修订的《突发事件应对法》修订应急预案 is about that law's item
    although the title itself is masked for every other purpose. ``exclude`` vetoes as in
    ``find``."""
    found = [(t.start(1) + k, t.start(1) + k + len(w), w) for t in _TITLE.finditer(text)
             if not _listed(text, t.start(), t.end())
             for w in item.titles if (k := t.group(1).find(w)) >= 0]
    if item.exclude:
        found = [f for f in found if not item.excluded(window(text, f[0], f[1]))]
    if not found:
        return None
    found.sort()
    return Found(list(dict.fromkeys(t for _, _, t in found)), [(a, b) for a, b, _ in found])


def _listed(text: str, start: int, end: int) -> bool:
    """Is the title at [start, end) one of a list of titles (学习《A》《B》《C》等法律法规), a
    text studied (学习《…》) or the subject of a training or talk (《行政复议法》专题培训)? Then the act (a study, a count of laws) is the study's, not
    work under this law."""
    return bool(_LIST_BEFORE.search(text, 0, start) or _LIST_AFTER.match(text, end)
                or _STUDIED.search(text, max(0, start - 8), start) or _TRAINED_ON.match(text, end))


_LIST_BEFORE = re.compile(r"》\s*(?:[、和及与]|以及)?\s*$")
_LIST_AFTER = re.compile(r"\s*(?:[、和及与]|以及)?\s*《")
_STUDIED = re.compile(S.STUDY_VERBS)
_TRAINED_ON = re.compile(S.TRAINED_ON)


def window(text: str, start: int, end: int) -> str:
    """The clauses that hold ``text[start:end]``, with one clause on either side.

    A veto reads this window, not the whole sentence: a long sentence lists several works,
    and a word that rules out one of them ("领导干部学习…") says nothing of the others.
    """
    spans = split_clauses(text)
    first = next(i for i, (a, b) in enumerate(spans) if b > start or b == len(text))
    last = next(i for i, (a, b) in enumerate(spans) if b >= end)
    return text[spans[max(0, first - WINDOW)][0] : spans[min(len(spans) - 1, last + WINDOW)][1]]


_TRIGGERS: dict[int, tuple[object, BoundedPattern | None]] = {}


def trigger(item) -> BoundedPattern | None:
    """One regex that any sentence about ``item`` must match: its terms, its patterns, the
    first element of each ``all_of`` group and its loose ``mentions``. A report checks every
    item against every sentence, and most pairs fail here in one search instead of dozens.
    None when the parts cannot be joined (a pattern with back-references): no prefilter."""
    cached = _TRIGGERS.get(id(item))
    if cached is not None and cached[0] is item:
        return cached[1]
    parts = [re.escape(t) for t in sorted(item.terms, key=len, reverse=True)]
    parts += [p.pattern for p in (*item.patterns, *item.mentions)]
    parts += [re.escape(a) for group in item.all_of for a in group[0]]
    made: BoundedPattern | None
    try:
        source = "|".join(f"(?:{p})" for p in parts) or "(?!)"
        made = BoundedPattern(source, regex.compile(source, flags=regex.VERSION0))
    except regex.error:
        made = None
    _TRIGGERS[id(item)] = (item, made)
    return made


_LITERALS: dict[int, tuple[object, re.Pattern[str] | None]] = {}


def trigger_literals(item) -> re.Pattern[str] | None:
    """A plain-word search for the necessary literals of ``item``'s trigger: every sentence
    the trigger matches holds one of them (``gate``). None when a part of the trigger has
    none: then every sentence is searched with the trigger."""
    cached = _LITERALS.get(id(item))
    if cached is not None and cached[0] is item:
        return cached[1]
    literals: set[str] | None = {*item.terms, *(a for group in item.all_of for a in group[0])}
    for p in (*item.patterns, *item.mentions):
        found = necessary_literals(p.pattern)
        literals = None if found is None or literals is None else literals | found
    made = literal_finder(literals) if literals and "" not in literals else None
    _LITERALS[id(item)] = (item, made)
    return made


def candidates(item, units: Units) -> list[Unit]:
    """The sentences that may be about ``item``, in order: those holding one of its trigger's
    necessary literals, found in one pass over the report (or, for an item whose trigger has
    none, the sentences the trigger matches). Every sentence left out fails the trigger, so
    ``find`` and the loose mentions would find nothing in it."""
    finder = trigger_literals(item)
    if finder is not None:
        return [units[k] for k in units.joined.holding(finder)]
    gate = trigger(item)
    return [u for u in units if gate is None or gate.search(u.masked)]


def short_term_sentences(items: Iterable, units: Units) -> list[Unit]:
    """The sentences in which ``find`` will hold a short term of one of ``items`` to token
    boundaries (``aligned``), so that they can be segmented together beforehand."""
    out: dict[int, Unit] = {}
    for item in items:
        rx = alternation(tuple(item.terms))
        if rx is None:
            continue
        for u in candidates(item, units):
            if id(u) not in out and any(m.end() - m.start() < 4 for m in rx.finditer(u.masked)):
                out[id(u)] = u
    return list(out.values())
