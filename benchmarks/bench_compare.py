"""Compare benchmark: two 15,000-character reports of one body compared after load.

Run with ``make bench``. The two reports are built from the project's own texts
(examples/complete-county-2024.txt and the fixture pairs, plus ../shared/seeds when
present): NEW is sections of OLD with figures changed, paragraphs dropped and new ones
added, both padded to 15,000 characters. Measured once the pipeline is loaded:

- ``auditor.compare.compare`` on two checked reports (the target: < 1 s);
- checking both reports plus comparing them (what ``auditor compare`` does after load).

Each figure is the median of five runs.
"""

from __future__ import annotations

import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TARGET_CHARS = 15_000
SOURCES = [ROOT / "examples" / "complete-county-2024.txt", *sorted((ROOT / "tests" / "fixtures" / "pairs").glob("*.txt"))]
SEEDS = ROOT.parent / "shared" / "seeds"


def paragraphs_by_part() -> dict[str, list[str]]:
    """Body paragraphs of the source reports, grouped by the part the outline puts them in."""
    from auditor.pipeline import read_outline

    files = SOURCES + (sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else [])
    parts: dict[str, list[str]] = {}
    for f in files:
        tree = read_outline(f)
        for p in tree.paragraphs:
            text = tree.doc.quote(p.start, p.end).strip()
            sec = tree.by_id(p.section) if p.section else None
            if len(text) > 20:
                parts.setdefault(sec.part if sec else "preamble", []).append(text)
    return parts


def build() -> tuple[str, str]:
    """(OLD, NEW) of about 15,000 characters each, sharing most of their text: a results part
    padded to length, a shortcomings part and a plan part of the usual size (eight points)."""
    parts = paragraphs_by_part()
    results, plan = parts["measures-and-results"], parts["next-year-plan"]
    short = [p for p in parts["shortcomings"] if not p[0].isdigit()]
    numbers = "一二三四五六七八"
    docs = []
    for year, keep, bump in ((2023, lambda k: k % 7 != 3, 0), (2024, lambda k: k % 5 != 1, 1)):
        head = [f"临江县人民政府关于{year}年度法治政府建设情况的报告", "", "一、主要举措和成效"]
        tail = ["二、存在的不足和原因", *short[bump : bump + 4], f"三、{year + 1}年工作安排",
                *(f"（{numbers[i]}）{p}" for i, p in enumerate(plan[bump * 3 : bump * 3 + 8]))]
        body, k = list(head), 0
        while len("\n".join(body + tail)) < TARGET_CHARS:
            if keep(k):  # NEW drops some paragraphs; figures change in the rest
                step = bump * (k % 3)
                body.append(re.sub(r"\d+", lambda m, step=step: str(int(m.group(0)) + step), results[k % len(results)]))
            k += 1
        body += tail
        docs.append("\n".join(body))
    return docs[0], docs[1]


def main() -> None:
    import tempfile

    from auditor import compare, indicators, match, nlp
    from auditor.checklist import resolve
    from auditor.pipeline import audit

    lists = resolve([])
    nlp.warm()
    match.register_terms(lists)
    ind = indicators.load()
    old_text, new_text = build()
    with tempfile.TemporaryDirectory() as tmp:
        fo, fn = Path(tmp) / "old.txt", Path(tmp) / "new.txt"
        fo.write_text(old_text, encoding="utf-8")
        fn.write_text(new_text, encoding="utf-8")
        audit(fo, lists), audit(fn, lists)  # warm caches
        only, whole, result = [], [], None
        for _ in range(5):
            t0 = time.perf_counter()
            old, new = audit(fo, lists), audit(fn, lists)
            t1 = time.perf_counter()
            result = compare.compare(old, new, lists, ind)
            t2 = time.perf_counter()
            only.append(t2 - t1)
            whole.append(t2 - t0)
    print(f"reports: {len(old_text):,} and {len(new_text):,} characters")
    print(f"compare only (two checked reports): median {statistics.median(only):.3f} s (target < 1 s)")
    print(f"check both + compare:               median {statistics.median(whole):.3f} s")
    print(f"carried over {result.carried_over.share:.1%} in {len(result.carried_over.passages)} passages, "
          f"{len(result.plan)} plan points, {len(result.indicators)} indicators")


if __name__ == "__main__":
    main()
