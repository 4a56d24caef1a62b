"""Chinese numerals and heading numbers (auditor/lang/numerals.py), and the number each Section keeps."""

from __future__ import annotations

import pytest

from auditor.ingest import from_text
from auditor.lang.numerals import (
    NUMBER_PREFIX_RE,
    NUMBERED_LINE_RE,
    YEAR_DIGITS,
    cn_numeral,
    cn_value,
    format_number,
    number_value,
)
from auditor.outline import build


def test_cn_numerals_round_trip_up_to_99() -> None:
    assert [cn_numeral(n) for n in (1, 9, 10, 11, 20, 21, 99)] == ["一", "九", "十", "十一", "二十", "二十一", "九十九"]
    assert all(cn_value(cn_numeral(n)) == n for n in range(1, 100))
    assert cn_value("") is None and cn_value("百") is None and cn_value("一二") is None


@pytest.mark.parametrize(
    ("kind", "written", "value"),
    [("cn", "十二", 12), ("pcn", "三", 3), ("chap", "二", 2), ("ar", "7", 7), ("par", "12", 12),
     ("circ", "③", 3), ("pcn", ")", None), ("circ", "a", None)],
)
def test_number_value(kind: str, written: str, value: int | None) -> None:
    assert number_value(kind, written) == value


def test_written_forms() -> None:
    assert format_number("circ", 30) == "(30)" and format_number("chap", 3) == "第三部分"
    year = "".join(str(YEAR_DIGITS[c]) for c in "二〇二四") + "".join(str(YEAR_DIGITS[c]) for c in "二○一九零")
    assert year == "202420190"


def test_ingest_and_evaluate_patterns() -> None:
    assert [bool(NUMBERED_LINE_RE.match(s)) for s in ("第三节", "(12)", "⑤", "12.5%", "2024年")] == [True, True, True, False, False]
    assert NUMBER_PREFIX_RE.sub("", "（二）推进依法行政") == "推进依法行政"
    assert NUMBER_PREFIX_RE.sub("", "第一部分：主要成效") == "主要成效"


def test_sections_keep_their_numbers() -> None:
    text = ("测试县2024年度法治政府建设情况报告\n\n一、主要举措和成效\n（一）健全工作机制\n办理案件3件。\n"
            "(二加强行政执法监督\n办理案件4件。\n**3.**严格执法。开展检查5次。\n二、存在的不足\n人员不足。\n")
    o = build(from_text(text, "t.txt", "txt"))
    got = [(s.number, s.number_kind, s.number_value, s.number_damaged) for s in o.sections if not s.synthetic]
    assert got == [("一、", "cn", 1, False), ("（一）", "pcn", 1, False), ("(二", "pcn", 2, True),
                   ("3.", "ar", 3, False), ("二、", "cn", 2, False)]
    assert all(s.number_kind is None and s.number_value is None for s in o.sections if s.synthetic)
