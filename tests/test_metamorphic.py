"""Metamorphic checks: a verdict must not change with the way a sentence is typed.

The shipped ``hit`` examples are covered in the results part of a small report; written in
Traditional characters, with numbers in Chinese numerals, half-width or full-width punctuation
and digits, letter-spaced,
as a numbered point, after another sentence or with a source note, they must stay covered.
Each rewriting once lost verdicts (half-width full stops, letter-spaced lines); a sample of
every eighth example keeps the suite fast.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import opencc
import pytest

from auditor.checklist import builtin_checklists
from auditor.match.examples import verdict

_S2T = opencc.OpenCC("s2t")
_HALF = str.maketrans({"，": ",", "；": ";", "：": ":", "（": "(", "）": ")", "。": "."})
_WIDE_DIGITS = str.maketrans("0123456789%", "０１２３４５６７８９％")

_DIGITS = "零一二三四五六七八九"


def _numeral(m: re.Match[str]) -> str:
    """A number under 100 in Chinese numerals (12 → 十二, 46 → 四十六)."""
    n = int(m.group(1) if m.groups() else m.group(0))
    tens, ones = divmod(n, 10)
    if n < 10:
        return _DIGITS[n]
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


REWRITINGS: dict[str, Callable[[str], str]] = {
    "counts in Chinese numerals": lambda s: re.sub(r"(?<![\d.])\d{1,2}(?![\d.%])", _numeral, s),
    "rates in words": lambda s: re.sub(r"(?<![\d.])(\d{1,2})%", lambda m: "百分之" + _numeral(m), s),
    "traditional": _S2T.convert,
    "half-width punctuation": lambda s: s.translate(_HALF),
    "full-width digits": lambda s: s.translate(_WIDE_DIGITS),
    "letter-spaced": " ".join,
    "a stray space mid-sentence": lambda s: s[: len(s) // 2] + "\u3000" + s[len(s) // 2 :],
    "numbered point": lambda s: "一是" + s,
    "after another sentence": lambda s: "我局高度重视此项工作。" + s,
    "with a source note": lambda s: s + "（来源：县司法局）",
}


def _sample() -> list:
    examples = [(item, s) for cl in builtin_checklists() for item in cl.items if item.type == "mention"
                for s in item.examples.hit]
    return [pytest.param(item, s, id=f"{item.id}-{k}") for k, (item, s) in enumerate(examples) if k % 8 == 0]


@pytest.mark.parametrize(("item", "sentence"), _sample())
def test_a_hit_stays_covered_however_it_is_typed(item, sentence: str) -> None:
    checklists = builtin_checklists()
    lost = {name: verdict(item, rewrite(sentence), checklists) for name, rewrite in REWRITINGS.items()}
    assert {name: v for name, v in lost.items() if v != "covered"} == {}


# --------------------------------------------------------------------------- whole reports
_CN = "一二三四五六七八九十"
HEADING_STYLES: dict[str, Callable[[str], str]] = {
    "一.": lambda t: re.sub(rf"(?m)^([{_CN}])、", r"\1.", t),
    "第一部分": lambda t: re.sub(rf"(?m)^([{_CN}])、", r"第\1部分 ", t),
    "1、": lambda t: re.sub(rf"(?m)^([{_CN}])、", lambda m: f"{_CN.index(m.group(1)) + 1}、", t),
    "(一)": lambda t: re.sub(rf"(?m)^（([{_CN}])）", r"(\1)", t),
    "**一、…**": lambda t: re.sub(rf"(?m)^([{_CN}]、.*)$", r"**\1**", t),
    "indented": lambda t: re.sub(r"(?m)^", "\u3000\u3000", t),
    "CRLF": lambda t: t.replace("\n", "\r\n"),
    "blank lines": lambda t: t.replace("\n", "\n\n"),
}


def _verdicts(text: str) -> dict[str, str]:
    from auditor import match
    from auditor.ingest import from_text
    from auditor.outline import build

    report = match.check(build(from_text(text, "t.txt", "txt")), builtin_checklists())
    return {f.item_id: f.status for c in report.checklists for f in c.findings}


@pytest.fixture(scope="module")
def complete() -> tuple[str, dict[str, str]]:
    text = (Path(__file__).resolve().parents[1] / "examples" / "complete-county-2024.txt").read_text(encoding="utf-8")
    return text, _verdicts(text)


@pytest.mark.parametrize("style", list(HEADING_STYLES))
def test_a_report_reads_the_same_in_any_heading_style(complete, style: str) -> None:
    text, expected = complete
    changed = HEADING_STYLES[style](text)
    assert changed != text
    got = _verdicts(changed)
    assert {k: (expected[k], got[k]) for k in expected if got[k] != expected[k]} == {}


# ---------------------------------------------------------------- the project's own openings
OPENINGS = sorted((Path(__file__).resolve().parent / "fixtures" / "openings").glob("*.txt"))
_HALF = str.maketrans({"，": ",", "；": ";", "：": ":", "（": "(", "）": ")", "。": "."})
# How a copy of a report changes it, and how many of the openings' verdicts (258 reports, every
# item) may move: today's counts, mostly part items of pages whose header, title and parts all
# run together.
PAGE_REWRITINGS: dict[str, tuple[Callable[[str], str], int]] = {
    "run into one line": (lambda t: "".join(line.strip() for line in t.split("\n")), 50),
    "lines joined by spaces": (lambda t: " ".join(line.strip() for line in t.split("\n")), 31),
    "half-width punctuation": (lambda t: t.translate(_HALF), 18),
}


@pytest.fixture(scope="module")
def openings() -> list[tuple[str, dict[str, str]]]:
    texts = [p.read_text(encoding="utf-8") for p in OPENINGS]
    return [(t, _verdicts(t)) for t in texts]


@pytest.mark.parametrize("how", list(PAGE_REWRITINGS))
def test_the_openings_read_nearly_the_same_however_a_page_was_copied(openings, how: str) -> None:
    """A page that lost its line breaks or was typed with half-width punctuation: the verdicts
    on the project's 258 openings hold but for a few dozen of some 14,700 (the bound is today's
    count, so a change that breaks the reading of such pages fails)."""
    rewrite, bound = PAGE_REWRITINGS[how]
    moved = 0
    for text, expected in openings:
        got = _verdicts(rewrite(text))
        moved += sum(got[k] != expected[k] for k in expected)
    assert len(openings) == 258
    assert moved <= bound
