"""Draft defects: each known defect of the gapped draft at its place, none on the complete report."""

from __future__ import annotations

import pytest

from auditor.defects import Defect, find_defects, format_number, plausible_year_reference
from auditor.ingest import from_text
from auditor.outline import build
from auditor.pipeline import read_outline

from .conftest import EXAMPLES, SEEDS

DRAFT = EXAMPLES / "draft-township-2024.txt"
COMPLETE = EXAMPLES / "complete-county-2024.txt"


@pytest.fixture(scope="module")
def draft() -> list[Defect]:
    return find_defects(read_outline(DRAFT))


def outline_of(body: str, title: str = "测试县2024年度法治政府建设情况报告"):
    return build(from_text(f"{title}\n\n{body}", "t.txt", "txt"))


def only(defects: list[Defect], kind: str, line: int) -> Defect:
    found = [d for d in defects if d.kind == kind and d.line == line]
    assert len(found) == 1, [(d.kind, d.line, d.quote) for d in defects]
    return found[0]


# -- the gapped draft (examples/README.md lists its defects by line) ----------------------
@pytest.mark.parametrize(
    ("line", "quote", "heading"),
    [
        (15, "*次", "1.深入学习习近平法治思想"),
        (21, "【待补充】", "（三）深化“放管服”改革，优化营商环境"),
        (29, "XXXX年", "1.稳步承接赋权事项"),
        (32, "××", "4.发挥法律顾问作用"),
        (35, "XX村", "（六）依法化解矛盾纠纷"),
    ],
)
def test_draft_placeholders(draft: list[Defect], line: int, quote: str, heading: str) -> None:
    d = only(draft, "placeholder", line)
    assert d.quote == quote
    assert d.path.endswith(heading)
    assert d.severity == "error"


def test_draft_has_no_other_placeholders(draft: list[Defect]) -> None:
    assert sorted(d.line for d in draft if d.kind == "placeholder") == [15, 21, 29, 32, 35]


def test_draft_unbalanced_quotation_mark(draft: list[Defect]) -> None:
    d = only(draft, "quote", 20)
    assert d.quote.startswith("“一窗受理、集成服务模式")
    assert "缺少对应的右双引号" in d.message
    assert [x.line for x in draft if x.kind == "quote"] == [20]


def test_draft_unbalanced_bracket(draft: list[Defect]) -> None:
    d = only(draft, "bracket", 36)
    assert d.quote.startswith("（由镇司法所牵头负责日常受理")
    assert "缺少对应的右括号" in d.message
    assert [x.line for x in draft if x.kind == "bracket"] == [36]


def test_draft_repeated_and_skipped_numbering(draft: list[Defect]) -> None:
    repeat = only(draft, "numbering", 17)
    assert repeat.detail == "repeat" and repeat.quote == "2.加强普法宣传"
    assert "两个“2.”" in repeat.message
    skip = only(draft, "numbering", 19)
    assert skip.detail == "skip" and skip.quote.startswith("（三）深化")
    assert "缺少“（二）”" in skip.message
    assert len([d for d in draft if d.kind == "numbering"]) == 2


def test_draft_empty_heading(draft: list[Defect]) -> None:
    d = only(draft, "empty-heading", 39)
    assert d.quote == "（七）强化行政权力制约监督"
    assert [x.line for x in draft if x.kind == "empty-heading"] == [39]


def test_draft_wrong_year(draft: list[Defect]) -> None:
    d = only(draft, "year", 22)
    assert d.quote == "2022年" and "2024年" in d.message
    assert d.context.startswith("2022年全镇共开展")
    assert [x.line for x in draft if x.kind == "year"] == [22]


def test_draft_slogans(draft: list[Defect]) -> None:
    assert sorted(d.line for d in draft if d.kind == "slogan") == [26, 31]
    d = only(draft, "slogan", 26)
    assert d.quote.startswith("（四）坚持依法决策。") and d.quote.endswith("依法决策意识。")


def test_offsets_point_at_the_quote_as_written(draft: list[Defect]) -> None:
    original = DRAFT.read_text(encoding="utf-8")
    for d in draft:
        assert original[d.start : d.end] == d.quote
        assert original.count("\n", 0, d.start) + 1 == d.line


def test_complete_report_has_no_defects() -> None:
    assert find_defects(read_outline(COMPLETE)) == []


# -- rules on small texts -------------------------------------------------------------------
RESULTS = "一、2024年主要举措和成效\n（一）工作情况\n{body}\n二、存在的不足和原因\n人员不足，原因是编制少。\n三、2025年工作安排\n（一）继续推进各项工作。\n"


def kinds(body: str) -> list[tuple[str, str]]:
    return [(d.kind, d.quote) for d in find_defects(outline_of(RESULTS.format(body=body)))]


@pytest.mark.parametrize(
    "text",
    [
        "于X月X日召开会议3次。",
        "共办理***件。",
        "全年办理案件（待定）件。",
        "全年办理案件[待补充]件。",
        "全年办理案件___件。",
        "××县开展培训3次。",
    ],
)
def test_placeholder_patterns(text: str) -> None:
    assert [k for k, _ in kinds(text)] == ["placeholder"]


@pytest.mark.parametrize(
    "text",
    [
        "全面落实《法治政府建设实施纲要（2021—2025年）》，开展专项行动3次。",
        "办理案件120件，较2023年增长15%。",
        "2023年以来累计办理案件300件。",
        "按时公开2023年度法治政府建设情况报告，公开率100%。",
        "截至2025年1月，已办结案件98件。",
        "实施2021-2025年规划，完成项目5个。",
        "3×4米的公示栏建成12个。",
        "引进Windows XP以外的系统3套。",
    ],
)
def test_plausible_text_is_not_a_defect(text: str) -> None:
    assert kinds(text) == []


def test_future_year_in_results_is_suspicious() -> None:
    found = find_defects(outline_of(RESULTS.format(body="2026年办理案件120件。")))
    assert [(d.kind, d.detail, d.quote) for d in found] == [("year", "future", "2026年")]


def test_year_references() -> None:
    text = "较2023年增长"
    assert plausible_year_reference(text, 1, 5)
    assert not plausible_year_reference("2023年全镇办理", 0, 4)


def test_nested_and_closing_marks() -> None:
    assert kinds("开展“‘法律明白人’培育”活动（含《宪法》学习）3次。") == []
    assert [k for k, _ in kinds("开展法律明白人”培育活动3次。")] == ["quote"]
    assert [k for k, _ in kinds("印发《办法》》3件。")] == ["bracket"]


def test_numbering_order_damage_and_start() -> None:
    body = "1.甲项工作开展情况。办理案件3件。\n3.乙项工作开展情况。办理案件4件。\n2.丙项工作开展情况。办理案件5件。"
    found = [(d.detail, d.quote[:2]) for d in find_defects(outline_of(RESULTS.format(body=body))) if d.kind == "numbering"]
    assert found == [("skip", "3."), ("order", "2.")]


def test_format_number() -> None:
    assert [format_number(k, 2) for k in ("cn", "pcn", "ar", "par", "circ", "chap")] == ["二、", "（二）", "2.", "（2）", "②", "第二部分"]
    assert format_number("cn", 12) == "十二、" and format_number("pcn", 20) == "（二十）"


def test_lead_in_and_topic_lines_are_not_slogans() -> None:
    body = "主要指标如下：\n办理案件120件\n加强事中事后监管，全面推行监管。\n全年开展联合抽查12次，检查企业80户。"
    assert kinds(body) == []


def test_slogan_paragraph_after_substance() -> None:
    body = "全年办理案件120件。\n始终坚持依法行政，不断提高依法行政水平，切实增强干部法治意识。"
    assert [(k, q[:4]) for k, q in kinds(body)] == [("slogan", "始终坚持")]


def test_damaged_numbers_in_a_real_report(need_shared) -> None:
    found = [d for d in find_defects(read_outline(SEEDS / "004_91e0d0777a8f95a6.txt")) if d.kind == "numbering"]
    assert {d.detail for d in found} == {"damaged"}
    lost = next(d for d in found if d.quote.startswith("强化法治理念培养"))
    assert "“（二）”" in lost.message



def test_numbering_reads_the_numbers_the_outline_read() -> None:
    # Markdown emphasis around a number is formatting: "**3.…**" after "**1.…**" skips "2.",
    # and an emphasised "**1.…**" before a plain "2." is not a damaged number.
    body = "**1.甲项工作。**办理案件3件。\n**3.乙项工作。**办理案件4件。"
    found = [(d.detail, d.message) for d in find_defects(outline_of(RESULTS.format(body=body))) if d.kind == "numbering"]
    assert found == [("skip", "序号跳号：“1.”之后是“3.”，缺少“2.”")]
    body = "**1.甲项工作。**办理案件3件。\n2.乙项工作。办理案件4件。"
    assert [d for d in find_defects(outline_of(RESULTS.format(body=body))) if d.kind == "numbering"] == []
