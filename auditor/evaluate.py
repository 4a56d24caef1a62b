"""Compare the auditor with hand labels (the ``../shared/gold`` YAML format).

Checklist authors run ``auditor eval`` after an edit to see its effect: per-item errors,
covered-F1 (covered vs the rest), addressed-F1 (covered or partial vs missing), 3-class
accuracy, and agreement on headings and parts.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import match
from .errors import AuditorError, InputError
from .lang.numerals import NUMBER_PREFIX_RE
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
    quotes: dict[str, str] = field(default_factory=dict)
    """The decisive quote per item, as written, where the labels give one."""


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
    evidence: list[tuple[str, bool, bool]] = field(default_factory=list)
    """(item id, gold quote in the first evidence, in any evidence) where both say covered."""


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

    def evidence_rates(self) -> tuple[float, float, int]:
        """Share of items (both covered, gold quote given) whose quote lies in the first
        evidence clause, in any evidence clause, and how many items were compared."""
        ev = [e for d in self.docs for e in d.evidence]
        if not ev:
            return 0.0, 0.0, 0
        return sum(e[1] for e in ev) / len(ev), sum(e[2] for e in ev) / len(ev), len(ev)

    def subset(self, docs: Collection[str]) -> EvalResult:
        """The same figures over only the named reports (file names or their stems)."""
        keep = set(docs)
        return EvalResult([d for d in self.docs if d.doc in keep or Path(d.doc).stem in keep], [])

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
        items={k: _status(v) for k, v in (data.get("items") or {}).items()},
        quotes={k: str(v.get("quote") or "") for k, v in (data.get("items") or {}).items() if isinstance(v, dict)},
    )


def _status(value: object) -> str:
    """A gold item is a bare status or ``{status, quote}``."""
    return str(value.get("status")) if isinstance(value, dict) else str(value)


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
    extra = [h for h in got if h not in gold_set] if gold.headings else []  # labels without headings judge none
    ok: list[str] = []
    wrong: list[str] = []
    doc = outline.doc
    for part, openings in gold.parts.items():
        secs = [s for s in outline.sections if s.part == part]
        texts = [doc.original[s.start : s.end] for s in secs]
        for opening in openings:
            hit = any(t.lstrip().startswith(opening) or _strip_number(t).startswith(opening) for t in texts)
            (ok if hit else wrong).append(f"{part}: {opening}")
    return found, missing, extra, ok, wrong


def _strip_number(text: str) -> str:
    return NUMBER_PREFIX_RE.sub("", text)


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
        evidence = compare_evidence(gold, report)
        result.docs.append(DocEval(gold.doc, pairs, len(gold.headings), found, extra, missing, ok, wrong, evidence))
    return result


_SPACE = re.compile(r"\s+")


def quote_span(original: str, quote: str) -> tuple[int, int] | None:
    """Where a gold quote stands in the report as written (white space ignored)."""
    q = _SPACE.sub("", quote)
    if not q:
        return None
    squeezed, where = [], []
    for i, ch in enumerate(original):
        if not ch.isspace():
            squeezed.append(ch)
            where.append(i)
    k = "".join(squeezed).find(q)
    if k < 0:
        return None
    return where[k], where[k + len(q) - 1] + 1


def quote_inside(span: tuple[int, int], start: int, end: int) -> bool:
    """The gold quote lies inside an evidence clause: at least 80 % of its characters do
    (a decisive quote may run a few characters past the sentence the tool quotes)."""
    a, b = span
    overlap = min(b, end) - max(a, start)
    return overlap >= 0.8 * (b - a)


def compare_evidence(gold: Gold, report) -> list[tuple[str, bool, bool]]:
    """For items both call covered: is the gold's decisive quote the tool's first evidence?"""
    out = []
    original = report.doc.original
    for c in report.checklists:
        for f in c.findings:
            if f.status != "covered" or gold.items.get(f.item_id) != "covered" or not f.evidence:
                continue
            span = quote_span(original, gold.quotes.get(f.item_id, ""))
            if span is None:
                continue
            hits = [quote_inside(span, e.start, e.end) for e in f.evidence]
            out.append((f.item_id, hits[0], any(hits)))
    return out


def format_text(result: EvalResult, held_out: Collection[str] = ()) -> str:
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
    lines.append("")
    lines.extend(figures(result))
    if held_out:
        lines.append("")
        lines.append("-- 调校集（规则与词族据此调整）")
        lines.extend(figures(result.subset({d.doc for d in result.docs} - _names(result, held_out))))
        lines.append("-- 留出集（预先留出，不据此调整）")
        lines.extend(figures(result.subset(held_out)))
    return "\n".join(lines) + "\n"


def _names(result: EvalResult, ids: Collection[str]) -> set[str]:
    keep = set(ids)
    return {d.doc for d in result.docs if d.doc in keep or Path(d.doc).stem in keep}


def figures(result: EvalResult) -> list[str]:
    """The headline figures of one set of reports."""
    first, anywhere, n_ev = result.evidence_rates()
    return [
        f"报告 {len(result.docs)} 份，条目 {len(result.pairs())} 个",
        f"covered-F1    {result.covered_f1:.3f}",
        f"addressed-F1  {result.addressed_f1:.3f}",
        f"3-class accuracy {result.accuracy:.3f}",
        f"heading recall   {result.heading_recall:.3f}",
        (f"evidence: decisive quote in first clause {first:.3f}, in any clause {anywhere:.3f} (n={n_ev})"
         if n_ev else "evidence: 标注未给出决定性原文，无法比较"),
    ]


def load_split(path: Path) -> set[str]:
    """The held-out document ids of a split file (``held_out: [...]``)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise AuditorError("A303", str(path), detail=str(exc).splitlines()[0]) from None
    if not isinstance(data, dict) or not isinstance(data.get("held_out"), list):
        raise AuditorError("A303", str(path), detail="缺少 held_out 列表")
    return {str(x) for x in data["held_out"]}


def metrics(result: EvalResult) -> dict[str, float | int]:
    """The headline figures as numbers (JSON output, tests)."""
    first, anywhere, n_ev = result.evidence_rates()
    return {
        "reports": len(result.docs),
        "covered_f1": round(result.covered_f1, 4),
        "addressed_f1": round(result.addressed_f1, 4),
        "accuracy": round(result.accuracy, 4),
        "heading_recall": round(result.heading_recall, 4),
        "evidence_first": round(first, 4),
        "evidence_any": round(anywhere, 4),
        "evidence_n": n_ev,
    }


def eval_json(result: EvalResult, held_out: Collection[str] = ()) -> dict:
    """``auditor eval --format json``: figures for the whole set (and its split) plus errors."""
    out: dict = dict(metrics(result))
    if held_out:
        held = _names(result, held_out)
        out["tuning"] = metrics(result.subset({d.doc for d in result.docs} - held))
        out["held_out"] = metrics(result.subset(held))
    out["errors"] = [{"doc": d, "item": i, "gold": g, "predicted": p} for d, i, g, p in result.pairs() if g != p]
    return out


# ---------------------------------------------------------------- statement kinds
@dataclass
class StatementEval:
    """Agreement of ``sentence_kind`` with hand-labelled statement kinds, per split."""

    pairs: list[tuple[str, str, str, str]] = field(default_factory=list)  # (split, doc, gold, predicted)
    stale: list[str] = field(default_factory=list)  # labels whose text no longer matches (sha1)

    def accuracy(self, split: str | None = None) -> float:
        """Share of sentences whose kind the classifier gets right."""
        ps = [p for p in self.pairs if split is None or p[0] == split]
        return sum(g == k for _, _, g, k in ps) / len(ps) if ps else 0.0

    def confusion(self, split: str | None = None) -> dict[tuple[str, str], int]:
        """(gold, predicted) -> count, disagreements only."""
        out: dict[tuple[str, str], int] = {}
        for s, _, g, k in self.pairs:
            if (split is None or s == split) and g != k:
                out[(g, k)] = out.get((g, k), 0) + 1
        return out


def evaluate_statements(labels: Path, pages: Path, checklists: Sequence) -> StatementEval:
    """Classify every labelled sentence of ``labels`` (tests/data/statements.tsv) in its page,
    segmented as a check with ``checklists`` segments it."""
    import hashlib

    rows: dict[str, list[list[str]]] = {}
    for line in labels.read_text(encoding="utf-8").splitlines():
        if line.startswith(("#", "doc\t")) or not line.strip():
            continue
        cols = line.split("\t")
        rows.setdefault(cols[0], []).append(cols)
    result = StatementEval()
    seg = match.register_terms(checklists)
    for doc, labelled in sorted(rows.items()):
        outline = read_outline(pages / f"{doc}.txt")
        units = {}
        for u in match.prepare(outline, seg):
            a, b = outline.doc.orig_span(u.start, u.end)
            raw = outline.doc.original[a:b]
            a += len(raw) - len(raw.lstrip())
            units[(a, a + len(raw.strip()))] = u
        for _doc, start, end, sha, kind, _items, split in labelled:
            text = outline.doc.original[int(start) : int(end)]
            unit = units.get((int(start), int(end))) or _overlapping(units, int(start), int(end))
            if unit is None or hashlib.sha1(text.encode()).hexdigest()[:8] != sha:
                result.stale.append(f"{doc}:{start}-{end}")
                continue
            result.pairs.append((split, doc, kind, match.sentence_kind(unit).kind))
    return result


def _overlapping(units: dict, start: int, end: int):
    """The unit covering most of a labelled span (at least half of it), when the segmentation
    has moved since the label was made (a run-on line now cut at an inline heading)."""
    best, most = None, 0
    for (a, b), u in units.items():
        overlap = min(b, end) - max(a, start)
        if overlap > most:
            best, most = u, overlap
    return best if most * 2 >= end - start else None


def format_statements(result: StatementEval) -> str:
    """Statement-kind agreement, as ``auditor eval --statements`` prints it."""
    lines = ["", "-- 语句类型（statement kind）"]
    for split in sorted({p[0] for p in result.pairs}):
        n = sum(1 for p in result.pairs if p[0] == split)
        lines.append(f"{split}: accuracy {result.accuracy(split):.3f} (n={n})")
        worst = sorted(result.confusion(split).items(), key=lambda kv: -kv[1])[:4]
        lines.append("   " + "，".join(f"{g}→{k} {c}" for (g, k), c in worst))
    if result.stale:
        lines.append(f"标注与文本不符（已跳过）: {len(result.stale)}")
    return "\n".join(lines) + "\n"


def statements_json(result: StatementEval) -> dict:
    """Statement-kind agreement as numbers."""
    splits = sorted({p[0] for p in result.pairs})
    return {
        "accuracy": round(result.accuracy(), 4),
        "by_split": {s: round(result.accuracy(s), 4) for s in splits},
        "stale": len(result.stale),
    }
