"""Fit the checklists to one report: its level (who reports) and its year (which rules held).

- **Level.** ``--kind`` or the level inferred from the issuer/title (``auditor.level``). An
  item whose ``applies_to`` leaves the level out is *not applicable* (不适用), with the
  item's reason; an unknown level makes every item apply.
- **Year.** The covered year chooses the items: each item carries the reporting years it
  applies to (its own ``years``, else its checklist's). A report older than every
  checklist's period is judged as of the earliest period, with a warning, and an item that
  names 习近平法治思想 is not counted missing for it. A report newer than every period that
  has an end is judged by the items still in force, with a note that no successor outline is
  among the checklists. An unknown year is judged as of the latest period's end.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .checklist import Checklist, Item
from .level import Level, resolve
from .model import Metadata

XI_THOUGHT = "习近平法治思想"  # set out in November 2020: not asked of reports on earlier years
XI_THOUGHT_REASON = "习近平法治思想于2020年11月中央全面依法治国工作会议正式提出，对{year}年度的报告不以缺少本项论处"


@dataclass(frozen=True)
class Fit:
    """What the checklists are fitted to: level, the covered year and the year items are chosen by."""

    level: Level
    year: int | None  # the covered year the report states
    basis_year: int | None  # the year the items are chosen by (None: no checklist has years)
    early: bool = False  # the report predates every checklist's period
    notes: tuple[str, ...] = field(default=())

    def applies(self, item: Item) -> bool:
        """Whether the item is applied at all for this report's year."""
        return self.basis_year is None or item.applies_in(self.basis_year)

    def not_applicable(self, item: Item) -> str | None:
        """Why the item does not apply to this report's level (None when it does)."""
        if item.applies_to_kind(self.level.level):
            return None
        return item.not_applicable or "本项不适用于该层级的报告"

    def excused_when_missing(self, item: Item) -> str | None:
        """The reason a missing verdict is set aside for a report older than the item's basis."""
        if self.early and self.year is not None and XI_THOUGHT in item.title:
            return XI_THOUGHT_REASON.format(year=self.year)
        return None


def fit_report(meta: Metadata, kind: str | None, checklists: Sequence[Checklist]) -> Fit:
    """The fit for a report with this metadata against these checklists."""
    level = resolve(meta.issuer, meta.title, kind)
    periods = [c for c in checklists if c.years != (None, None)]
    starts = [c.years[0] for c in periods if c.years[0] is not None]
    ends = [c.years[1] for c in periods if c.years[1] is not None]
    year = meta.year
    if not periods:
        return Fit(level, year, None)
    if year is None:
        basis = max(ends) if ends else max(starts)
        note = f"未识别报告年度，按{basis}年度报告选择适用的检查清单条目。"
        return Fit(level, None, basis, notes=(note,))
    if starts and year < min(starts):
        first = [c for c in periods if c.years[0] == min(starts)]
        names = "、".join(f"“{c.title}”" for c in first)
        note = (f"本报告为{year}年度，早于所对照的检查清单{names}的适用期（{min(starts)}年起），"
                f"对照结果仅供参考；涉及{XI_THOUGHT}的条目缺失时不计为缺项。")
        return Fit(level, year, min(starts), early=True, notes=(note,))
    notes: tuple[str, ...] = ()
    if ends and year > max(ends) and not any(_covers(c, year) and c.years[1] is not None for c in periods):
        ended = [c for c in periods if c.years[1] == max(ends)]
        names = "、".join(f"“{c.title}”（{c.years[0]}—{c.years[1]}年）" for c in ended)
        notes = (f"本报告为{year}年度，检查清单中尚无接续{names}的新纲要：本次按补充清单和原纲要中仍然有效的任务审核，"
                 f"原纲要的阶段性任务不再作要求。新纲要发布后，可将其写成检查清单文件，用 --checklist 加载，无需修改程序。",)
    return Fit(level, year, year, notes=notes)


def _covers(c: Checklist, year: int) -> bool:
    start, end = c.years
    return (start is None or year >= start) and (end is None or year <= end)


def applied(checklists: Sequence[Checklist], fit: Fit) -> list[tuple[Checklist, list[Item]]]:
    """The checklists applied to the report, each with the items applied (none: left out)."""
    out = []
    for c in checklists:
        items = [i for i in c.items if fit.applies(i)]
        if items:
            out.append((c, items))
    return out
