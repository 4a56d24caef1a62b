"""Chinese numerals and heading numbers: the one home for reading and writing them.

Ingest (metadata years, "is this line numbered?"), outline (heading numbering), draft
defects (what a skipped number should have been) and evaluation (stripping a number off
a heading) all read the same numbering, and the memo (一、 （一）, the report's year), the
self-review (第一步) and the level and compare readers (a year written out) write or find
numbers with the same rules; keeping the patterns and the value rules here means a new
numbering form is added once.
"""

from __future__ import annotations

import re

CN_DIGITS = "一二三四五六七八九十"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
# Digits of a year written out ("二〇二四年"), zero in its three usual forms.
YEAR_DIGITS: dict[str, int] = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4,
                               "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_YEAR = f"[{''.join(YEAR_DIGITS)}]{{4}}"  # a year written out, as a regex ("二〇二四")

# Numbering kinds, matched on the normalised text (full-width forms already half-width).
# Each pattern captures the number as group "n"; the heading text follows the match.
NUMBER_PATTERNS: dict[str, str] = {
    "cn": rf"(?P<n>[{CN_DIGITS}]{{1,3}})\s*[、.,]",
    "pcn": rf"\(\s*(?P<n>[{CN_DIGITS}]{{1,3}})\s*\)",
    "ar": r"(?P<n>\d{1,2})\s*(?:[.、](?!\d)|\s(?=[\u4e00-\u9fff]))",
    "par": r"\(\s*(?P<n>\d{1,2})\s*\)",
    "circ": rf"(?P<n>[{CIRCLED}])",
    "chap": rf"第(?P<n>[{CN_DIGITS}]{{1,3}})(?:部分|章)\s*[、,:]?",
}
# Damaged numbering, accepted only where the surrounding sequence supports it.
DAMAGED_PATTERNS: dict[str, str] = {
    # "3决策管理更规范": an arabic number that lost its dot.
    "ar": r"(?P<n>\d{1,2})(?=[\u4e00-\u9fff])",
    # A bracketed number that lost one half: ")实施法治工作革新…" (the number went with
    # the opening half, so n is ")") or "(二加强行政执法监督…" (n is the numeral).
    "pcn": rf"\(?(?P<n>(?<=\()[{CN_DIGITS}]{{1,3}}|\))(?=[\u4e00-\u9fff])",
}
# Ingest's looser test for a numbered line (metadata never starts with one); it also takes
# 第…节/条, which are not outline levels.
NUMBERED_LINE_RE = re.compile(
    rf"(?:[{CN_DIGITS}]{{1,3}}[、.]"
    rf"|\([{CN_DIGITS}]{{1,3}}\)"
    r"|\d{1,2}[、.](?!\d)"
    r"|\(\d{1,2}\)"
    rf"|第[{CN_DIGITS}]{{1,3}}[章部分节条]"
    r"|[①-⑳])"
)
# A heading number on a PDF or scanned page (一、 （一） 1. 第一部分), before normalisation, so
# full-width brackets and dots are listed too: such a line is never the title, however large.
PAGE_HEADING_RE = re.compile(
    rf"\s*(?:[{CN_DIGITS}]{{1,3}}、|[(（][{CN_DIGITS}]{{1,3}}[)）]|\d{{1,2}}[.、．]"
    rf"|第[{CN_DIGITS}]{{1,3}}[章部分节])"
)
# A heading number as written at the start of a section's original text, with the space
# after it (full-width brackets and punctuation included, since this reads the original).
NUMBER_PREFIX_RE = re.compile(
    rf"^\s*(?:第[{CN_DIGITS}]+部分[、.,:：]?|[{CN_DIGITS}]+[、.]|[(（][{CN_DIGITS}\d]+[)）]|\d+[.、]?)\s*"
)
# "一是…二是…" enumerates points inside a paragraph; it never starts a section.
POINT_MARKERS = rf"[{CN_DIGITS}]+是"


def cn_value(s: str) -> int | None:
    """Value of a Chinese numeral up to 99 (一 .. 九十九)."""
    digits = {c: i + 1 for i, c in enumerate(CN_DIGITS[:9])}
    if not s:
        return None
    if s == "十":
        return 10
    if "十" in s:
        a, _, b = s.partition("十")
        tens = digits.get(a, 1) if a else 1
        ones = digits.get(b, 0) if b else 0
        return tens * 10 + ones
    return digits.get(s) if len(s) == 1 else None


def year_value(digits: str) -> int:
    """A year's four digits, in figures or written out: "2024" or "二〇二四" (also "二○二四",
    "二零二四") -> 2024."""
    return int(digits) if digits.isdigit() else int("".join(str(YEAR_DIGITS[c]) for c in digits))


def cn_numeral(n: int) -> str:
    """1..99 as a Chinese numeral (一 .. 九十九)."""
    units = CN_DIGITS[:9]
    if n < 10:
        return units[n - 1]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else units[tens - 1]) + "十" + (units[ones - 1] if ones else "")


def number_value(kind: str, n: str) -> int | None:
    """Value of the number ``n`` captured by the pattern of numbering ``kind``; None if lost."""
    if kind in ("cn", "pcn", "chap"):
        return cn_value(n)
    if kind == "circ":
        return CIRCLED.index(n) + 1 if n in CIRCLED else None
    return int(n) if n.isdigit() else None


def format_number(kind: str, n: int) -> str:
    """How a heading number of ``kind`` and value ``n`` is written in a report."""
    if kind == "cn":
        return f"{cn_numeral(n)}、"
    if kind == "pcn":
        return f"（{cn_numeral(n)}）"
    if kind == "par":
        return f"（{n}）"
    if kind == "circ":
        return CIRCLED[n - 1] if 0 < n <= len(CIRCLED) else f"({n})"
    if kind == "chap":
        return f"第{cn_numeral(n)}部分"
    return f"{n}."
