"""Compare the auditor with hand labels (the ``../shared/gold`` YAML format).

Checklist authors run ``auditor eval`` after an edit to see its effect: per-item errors,
covered-F1 (covered vs the rest), addressed-F1 (covered or partial vs missing), 3-class
accuracy, and agreement on headings and parts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import match
from .errors import AuditorError, InputError
from .model import Outline
from .pipeline import read_outline


@dataclass
class Gold:
    """Hand labels for one report."""

    doc: str
    path: Path
    title: str | None
    year: int | None
    published: str | None
    headings: list[tuple[int, str, str]]
    parts: dict[str, list[str]]
    items: dict[str, str]


@dataclass
class DocEval:
    """Agreement on one report."""

    doc: str
    item_pairs: list[tuple[str, str, str]]  # (item id, gold, predicted)
    headings_gold: int
    headings_found: int
    headings_extra: list[tuple[int, str, str]]
    headings_missing: list[tuple[int, str, str]]
    parts_ok: list[str]
    parts_wrong: list[str]


@dataclass
class EvalResult:
    """Agreement over all labelled reports."""

    docs: list[DocEval] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def pairs(self) -> list[tuple[str, str, str, str]]:
        """(doc, item, gold, predicted) for every labelled item."""
        return [(d.doc, i, g, p) for d in self.docs for i, g, p in d.item_pairs]

    def f1(self, positive: set[str]) -> float:
        """F1 of the labels in ``positive`` against the rest."""
        tp = fp = fn = 0
        for _, _, g, p in self.pairs():
            gp, pp = g in positive, p in positive
            tp += gp and pp
            fp += pp and not gp
            fn += gp and not pp
        return 2 * tp / (2 * tp + fp + fn) if tp else 0.0

    @property
    def covered_f1(self) -> float:
        """F1 of ``covered`` vs partial or missing."""
        return self.f1({"covered"})

    @property
    def addressed_f1(self) -> float:
        """F1 of covered-or-partial vs missing."""
        return self.f1({"covered", "partial"})

    @property
    def accuracy(self) -> float:
        """Share of items with exactly the gold status."""
        pairs = self.pairs()
        return sum(g == p for _, _, g, p in pairs) / len(pairs) if pairs else 0.0

    @property
    def heading_recall(self) -> float:
        """Share of gold headings found with the same level, number and title."""
        total = sum(d.headings_gold for d in self.docs)
        return sum(d.headings_found for d in self.docs) / total if total else 1.0


def load_gold(path: Path) -> Gold:
    """Read one gold YAML file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        where = f"{path}:{line + 1}" if line is not None else str(path)
        raise AuditorError("A303", where, detail=str(exc).splitlines()[0]) from None
    if not isinstance(data, dict) or "doc" not in data:
        raise AuditorError("A303", str(path), detail="缺少 doc 字段")
    return Gold(
        doc=str(data["doc"]),
        path=path,
        title=data.get("title"),
        year=data.get("year"),
        published=str(data["published"]) if data.get("published") else None,
        headings=[(int(h[0]), str(h[1]), str(h[2])) for h in data.get("headings") or []],
        parts={k: [str(x) for x in v] for k, v in (data.get("parts") or {}).items()},
        items={k: str(v) for k, v in (data.get("items") or {}).items()},
    )


def find_reports(inputs: Sequence[str]) -> dict[str, Path]:
    """Report files by name, from files and folders given on the command line."""
    found: dict[str, Path] = {}
    for raw in inputs:
        p = Path(raw)
        files = sorted(x for x in p.rglob("*") if x.is_file()) if p.is_dir() else [p]
        for f in files:
            found.setdefault(f.name, f)
    return found


def compare_outline(gold: Gold, outline: Outline) -> tuple[int, list, list, list[str], list[str]]:
    """Heading and part agreement for one report."""
    got = [(s.level, s.number, s.title) for s in outline.sections if not s.synthetic or s.number]
    got_set = set(got)
    gold_set = set(gold.headings)
    found = sum(1 for h in gold.headings if h in got_set)
    missing = [h for h in gold.headings if h not in got_set]
    extra = [h for h in got if h not in gold_set]
    ok, wrong = [], []
    doc = outline.doc
    for part, openings in gold.parts.items():
        secs = [s for s in outline.sections if s.part == part]
        texts = [doc.original[s.start : s.end] for s in secs]
        for opening in openings:
            hit = any(t.lstrip().startswith(opening) or _strip_number(t).startswith(opening) for t in texts)
            (ok if hit else wrong).append(f"{part}: {opening}")
    return found, missing, extra, ok, wrong


def _strip_number(text: str) -> str:
    import re

    return re.sub(
        r"^\s*(?:第[一二三四五六七八九十]+部分[、.,:：]?|[一二三四五六七八九十]+[、.]|[(（][一二三四五六七八九十\d]+[)）]|\d+[.、]?)\s*",
        "",
        text,
    )


def evaluate(gold_dir: Path, inputs: Sequence[str], checklists: Sequence) -> EvalResult:
    """Run the auditor on every labelled report found among ``inputs``."""
    reports = find_reports(inputs)
    result = EvalResult()
    for gpath in sorted(gold_dir.glob("*.y*ml")):
        gold = load_gold(gpath)
        path = reports.get(gold.doc)
        if path is None:
            result.skipped.append(gold.doc)
            continue
        try:
            outline = read_outline(path)
        except InputError as exc:
            result.skipped.append(f"{gold.doc}: {exc.format_message()}")
            continue
        report = match.check(outline, checklists)
        predicted = {f.item_id: f.status for c in report.checklists for f in c.findings}
        pairs = [(i, g, predicted.get(i, "missing")) for i, g in gold.items.items()]
        found, missing, extra, ok, wrong = compare_outline(gold, outline)
        result.docs.append(DocEval(gold.doc, pairs, len(gold.headings), found, extra, missing, ok, wrong))
    return result


def format_text(result: EvalResult) -> str:
    """The report ``auditor eval`` prints."""
    lines: list[str] = []
    for d in result.docs:
        errors = [(i, g, p) for i, g, p in d.item_pairs if g != p]
        lines.append(f"== {d.doc}: 条目 {len(d.item_pairs) - len(errors)}/{len(d.item_pairs)} 一致，"
                     f"标题 {d.headings_found}/{d.headings_gold}，部分 {len(d.parts_ok)}/{len(d.parts_ok) + len(d.parts_wrong)}")
        for i, g, p in errors:
            lines.append(f"   {i}: 标注 {g}，判定 {p}")
        for h in d.headings_missing:
            lines.append(f"   未识别标题: {h}")
        for h in d.headings_extra:
            lines.append(f"   多余标题: {h}")
        for w in d.parts_wrong:
            lines.append(f"   部分不符: {w}")
    for s in result.skipped:
        lines.append(f"跳过（未找到报告或无法读取）: {s}")
    n = len(result.pairs())
    lines.append("")
    lines.append(f"报告 {len(result.docs)} 份，条目 {n} 个")
    lines.append(f"covered-F1    {result.covered_f1:.3f}")
    lines.append(f"addressed-F1  {result.addressed_f1:.3f}")
    lines.append(f"3-class accuracy {result.accuracy:.3f}")
    lines.append(f"heading recall   {result.heading_recall:.3f}")
    return "\n".join(lines) + "\n"
