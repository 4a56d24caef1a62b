"""Chinese numerals and heading numbers (auditor/lang/numerals.py), and the number each Section keeps."""

from __future__ import annotations

import re

import pytest

from auditor.ingest import from_text
from auditor.lang.numerals import (
    CN_YEAR,
    NUMBER_PREFIX_RE,
    NUMBERED_LINE_RE,
    cn_numeral,
    cn_value,
    format_number,
    number_value,
    year_value,
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
    # the memo's headings (一、 … 十一、) and second-level numbers (（一） … （十二）)
    assert [format_number("cn", n) for n in (1, 10, 11)] == ["一、", "十、", "十一、"]
    assert [format_number("pcn", n) for n in (2, 12, 20)] == ["（二）", "（十二）", "（二十）"]


@pytest.mark.parametrize(("written", "year"), [
    ("2024", 2024), ("二〇二四", 2024), ("二○二四", 2024), ("二零一九", 2019), ("一九四九", 1949),
])
def test_years_in_figures_or_written_out(written: str, year: int) -> None:
    assert year_value(written) == year
    assert re.fullmatch(CN_YEAR, written) or written.isdigit()


def test_written_out_years_are_found_by_ingest_memo_and_level() -> None:
    from auditor.ingest.meta import _year_in
    from auditor.level import body_name
    from auditor.memo.build import first_year

    for text in ("二〇二四年度法治政府建设情况", "二○二四年度法治政府建设情况", "二零二四年度法治政府建设情况"):
        assert _year_in(text) == first_year(text) == 2024
    assert first_year("2023年，二〇二四年") == 2023  # figures first, as before
    assert body_name(None, "临江县人民政府二○二四年度法治政府建设情况报告") == "临江县人民政府"


def test_review_steps_are_numbered_in_words(checklists) -> None:
    from auditor.audit import audit_draft
    from auditor.review import build_review, review_view

    from .conftest import EXAMPLES

    audit = audit_draft(str(EXAMPLES / "draft-township-2024.txt"), checklists, None)
    labels = [s["label"] for s in review_view(build_review(audit.report, audit.defects))["steps"]]
    assert len(labels) >= 3 and labels == [f"第{cn_numeral(k)}步" for k in range(1, len(labels) + 1)]
    assert labels[:3] == ["第一步", "第二步", "第三步"]


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
