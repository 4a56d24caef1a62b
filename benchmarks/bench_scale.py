"""Outline and draft-defect time against length: both must grow linearly up to the character cap.

Two worst-case shapes (issue 12): thousands of repeated top-level headings, and a deep tree of
numbered sections with a sentence each. Prints seconds per size and the growth factor per
doubling (about 2 is linear; about 4 would be quadratic). Run with ``make bench``.
"""

from __future__ import annotations

import time

from auditor.defects import find_defects
from auditor.ingest import from_text
from auditor.outline import build

CN = "一二三四五六七八九十"
SIZES = (100_000, 200_000, 400_000, 800_000)


def cn(n: int) -> str:
    """Chinese numeral 1..99."""
    if n < 10:
        return CN[n - 1]
    tens, ones = divmod(n, 10)
    return (CN[tens - 1] if tens > 1 else "") + "十" + (CN[ones - 1] if ones else "")


def repeated_headings(n: int) -> str:
    return "\n".join(["某县人民政府关于2024年度法治政府建设情况的报告"] + ["一、加强组织领导"] * (n // 9))


def deep_tree(n: int) -> str:
    out, top = ["某县人民政府关于2024年度法治政府建设情况的报告"], 0
    while sum(map(len, out)) < n:
        top += 1
        out.append(f"{cn((top - 1) % 99 + 1)}、第{top}部分工作")
        for k in range(1, 11):
            out += [f"（{cn(k)}）第{k}项工作", "全年办理行政复议案件46件，纠错率12%，审核规范性文件20件。"]
    return "\n".join(out)


def timed(text: str) -> float:
    doc = from_text(text, "bench.txt", "txt")
    start = time.perf_counter()
    find_defects(build(doc))
    return time.perf_counter() - start


def worst_case_at_cap(timeout: float = 120.0) -> None:
    """A whole check (read, outline, match) of cap-sized worst cases, under the default limit."""
    import tempfile
    from pathlib import Path

    from auditor import limits, match, nlp
    from auditor.checklist import builtin_checklists
    from auditor.errors import InputError
    from auditor.pipeline import audit

    lists = builtin_checklists()
    nlp.warm()
    match.register_terms(lists)
    cap = limits.current().max_chars
    cases = {"repeated headings": repeated_headings(cap - 1000),
             "one line, no breaks": "某县2024年法治政府建设情况报告\n" + "全年办理复议案件审核文件" * ((cap - 1000) // 12)}
    print(f"worst cases at the character cap ({cap:,}), whole check, limit {timeout:g} s")
    with tempfile.TemporaryDirectory() as tmp, limits.use(limits.Limits(timeout=timeout)):
        for name, text in cases.items():
            path = Path(tmp) / "cap.txt"
            path.write_text(text, encoding="utf-8")
            start = time.perf_counter()
            try:
                audit(path, lists)
                outcome = "finished"
            except InputError as exc:
                outcome = f"stopped ({exc.code})"
            took = time.perf_counter() - start
            print(f"  {name:<20} {took:6.1f} s  {outcome}: {'OK' if took <= timeout + 1 else 'OVER THE LIMIT'}")


def main() -> None:
    print("outline + draft defects against length (growth per doubling: ~2 linear, ~4 quadratic)")
    for name, make in (("repeated headings", repeated_headings), ("deep tree", deep_tree)):
        times = [timed(make(n)) for n in SIZES]
        growth = [b / a for a, b in zip(times, times[1:], strict=False) if a > 0]
        cells = "  ".join(f"{n // 1000}k {t:.2f}s" for n, t in zip(SIZES, times, strict=False))
        worst = max(growth) if growth else 0.0
        print(f"  {name:<18} {cells}  growth <= {worst:.1f}x: {'OK' if worst < 3 else 'SUPERLINEAR'}")
    worst_case_at_cap()


if __name__ == "__main__":
    main()
