"""The checklist model: immutable items and checklists, and located problems.

Everything here is plain data built once by the loader; the engine (``auditor.match``)
reads it and never changes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NoReturn

from ..errors import ChecklistError
from ..patterns import BoundedPattern
from .vocab import DEFAULT_PARTS, LEGISLATIVE_POWER, SUBSTANCE, Years


# ---------------------------------------------------------------- data classes
@dataclass(frozen=True)
class Problem:
    """One validation problem, located in a checklist file."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True)
class Examples:
    """Sentences an item should (``hit``) and should not (``miss``) accept as evidence;
    ``named`` ones name the item without reporting an act (a slogan, a plan: partial)."""

    hit: tuple[str, ...] = ()
    miss: tuple[str, ...] = ()
    named: tuple[str, ...] = ()


@dataclass(frozen=True)
class Item:
    """One checklist item: what a report must cover and how to recognise it.

    ``all_of`` holds groups; a group is a tuple of elements and an element is a tuple of
    literal alternatives (written ``"a|b"`` in YAML). ``path``/``line`` locate the item
    in its file so later problems (e.g. duplicate ids across files) can point at it.
    """

    id: str
    title: str
    cite: str
    severity: str
    requirement: str
    advice: str
    type: str = "mention"
    required_for: tuple[str, ...] = ()
    applies_to: tuple[str, ...] = ()  # report kinds the item applies to; empty = every kind
    not_applicable: str = ""  # why it does not apply to the other kinds, citing the law
    years: Years = (None, None)  # reporting years (from, to) the item applies to; the checklist's when unset
    terms: tuple[str, ...] = ()
    patterns: tuple[BoundedPattern, ...] = ()
    all_of: tuple[tuple[tuple[str, ...], ...], ...] = ()
    exclude: tuple[BoundedPattern, ...] = ()
    acts: tuple[BoundedPattern, ...] = ()  # the item's own act words: in the term's clause, an act
    mentions: tuple[BoundedPattern, ...] = ()  # loose wording: names the item at most (partial)
    titles: tuple[str, ...] = ()  # names of the law the item implements, read inside cited 《》 titles
    parts: tuple[str, ...] = DEFAULT_PARTS
    substance: tuple[str, ...] = SUBSTANCE
    min_evidence: int = 1
    part: str | None = None
    needs: tuple[str, ...] = ()
    headings: tuple[str, ...] = ()  # part items: headings that make a section dedicated to the part
    examples: Examples = field(default_factory=Examples)
    checklist: str = field(default="", compare=False)
    path: str = field(default="", compare=False)
    line: int = field(default=0, compare=False)

    def applies_to_kind(self, kind: str | None) -> bool:
        """Whether the item applies to a report of ``kind`` (an unknown kind: yes)."""
        if kind is None or not self.applies_to:
            return True
        kinds = {k for a in self.applies_to for k in (LEGISLATIVE_POWER if a == "legislative-power" else (a,))}
        return kind in kinds

    def applies_in(self, year: int) -> bool:
        """Whether the item applies to a report on ``year``."""
        start, end = self.years
        return (start is None or year >= start) and (end is None or year <= end)

    def excluded(self, sentence: str) -> bool:
        """Whether an ``exclude`` pattern vetoes this sentence as evidence."""
        return any(p.search(sentence) for p in self.exclude)


@dataclass(frozen=True)
class Checklist:
    """One checklist file: metadata plus its items, in file order."""

    id: str
    title: str
    version: str
    basis: str
    description: str
    items: tuple[Item, ...]
    path: str = field(default="", compare=False)
    families: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)
    """Named term families defined in this file; files loaded after it may use them too."""
    years: Years = (None, None)
    """The reporting years (from, to) the checklist was written for; items inherit them."""

    def item(self, item_id: str) -> Item | None:
        """The item with this id, if the checklist has it."""
        return next((i for i in self.items if i.id == item_id), None)


def effective_severity(item: Item, kind: str | None) -> str:
    """The item's severity for a report of ``kind``: ``required_for`` promotes it."""
    if kind is not None and kind in item.required_for:
        return "required"
    return item.severity


# ---------------------------------------------------------------- errors
class ChecklistProblems(ChecklistError):
    """A ChecklistError that carries its located problems.

    The message is a one-line summary (with the code) followed by one line per problem,
    ``path:line: message``, so a user can fix the whole file in one pass.
    """

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        paths = {p.path for p in self.problems}
        where = next(iter(paths)) if len(paths) == 1 else None
        super().__init__("A201", where, detail=f"检查清单未通过校验，共 {len(self.problems)} 处问题")
        self.message = "\n".join([self.message, *map(str, self.problems)])


def _raise(problems: Sequence[Problem]) -> NoReturn:
    raise ChecklistProblems(problems)

