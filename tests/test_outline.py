"""Outline stage: numbering, damaged headings, parts, offsets; gold headings on the seeds."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor import match
from auditor.checklist import builtin_checklists
from auditor.ingest import from_text, load
from auditor.outline import build, cn_value, opens_plan, opens_shortcomings

from .conftest import SEEDS, SHARED_REASON, gold, seed_names, seed_params


def tree(text: str) -> list[tuple[int, str, str, str]]:
    o = build(from_text(text, "t.txt", "txt"))
    return [(s.level, s.number, s.title, s.part) for s in o.sections]


def headings(text: str) -> list[tuple[int, str, str]]:
    o = build(from_text(text, "t.txt", "txt"))
    return [(s.level, s.number, s.title) for s in o.sections if not s.synthetic]


BASIC = """某县2024年度法治政府建设情况报告
2024年，我县深入推进法治政府建设，现将有关情况报告如下：
一、主要举措和成效
（一）依法全面履行政府职能
1.深化“放管服”改革。全年办理政务服务事项12万件，其中一是推行告知承诺制，二是推进一网通办。
2、优化营商环境
开展公平竞争审查42件。
（1）清理文件
全年清理规范性文件15件。
①废止3件
（二）健全依法决策机制
组织法律顾问审查合同36件。
二、存在的不足和原因
一是基层执法力量不足。主要原因是编制紧张。
三、2025年工作安排
（一）加强执法监督
"""


def test_numbering_kinds_and_levels() -> None:
    got = headings(BASIC)
    assert got == [
        (1, "一、", "主要举措和成效"),
        (2, "（一）", "依法全面履行政府职能"),
        (3, "1.", "深化“放管服”改革"),
        (3, "2、", "优化营商环境"),
        (4, "（1）", "清理文件"),
        (5, "①", "废止3件"),
        (2, "（二）", "健全依法决策机制"),
        (1, "二、", "存在的不足和原因"),
        (1, "三、", "2025年工作安排"),
        (2, "（一）", "加强执法监督"),
    ]


def test_points_inside_paragraphs_are_not_sections() -> None:
    text = "一、主要举措\n一是推行告知承诺制，全年办理300件。\n二是推进一网通办，上线事项120项。\n"
    assert headings(text) == [(1, "一、", "主要举措")]


def test_parts_from_headings_and_inheritance() -> None:
    parts = {(n, t): p for _, n, t, p in tree(BASIC)}
    assert parts[("一、", "主要举措和成效")] == "measures-and-results"
    assert parts[("（二）", "健全依法决策机制")] == "measures-and-results"
    assert parts[("二、", "存在的不足和原因")] == "shortcomings"
    assert parts[("三、", "2025年工作安排")] == "next-year-plan"
    assert parts[("（一）", "加强执法监督")] == "next-year-plan"


def test_preamble_section() -> None:
    o = build(from_text(BASIC, "t.txt", "txt"))
    first = o.sections[0]
    assert first.part == "preamble" and first.synthetic and first.number == ""
    assert first.title.startswith("2024年，我县深入推进法治政府建设")


def test_first_responsible_person_subpart() -> None:
    text = (
        "一、2024年主要举措和成效\n（一）推进依法行政\n全年审核文件20件。\n"
        "（二）党政主要负责人履行推进法治建设第一责任人职责情况\n县委书记主持召开会议3次。\n"
        "二、下一步工作打算\n（一）继续推进\n"
    )
    parts = {t: p for _, _, t, p in tree(text)}
    assert parts["党政主要负责人履行推进法治建设第一责任人职责情况"] == "first-responsible-person"
    assert parts["推进依法行政"] == "measures-and-results"
    assert parts["下一步工作打算"] == "next-year-plan"


def test_unheaded_closing_parts_become_sections() -> None:
    text = (
        "一、加强党的领导\n全年召开会议5次，审议议题12个。\n"
        "二、推进依法行政\n审核规范性文件30件。\n"
        "我县法治政府建设取得了一定成效，但也存在一些不足：基层法治力量薄弱。\n"
        "2025年，我们将继续深入推进法治政府建设。\n"
        "（一）加强学习。\n（二）强化监督。\n"
    )
    o = build(from_text(text, "t.txt", "txt", published=None))
    synth = [s for s in o.sections if s.synthetic and s.part != "preamble"]
    assert [(s.level, s.number, s.part) for s in synth] == [(1, "", "shortcomings"), (1, "", "next-year-plan")]
    assert synth[1].title.startswith("2025年，我们将继续")
    kids = [s for s in o.sections if s.parent == synth[1].id]
    assert [(s.level, s.number, s.title, s.part) for s in kids] == [
        (2, "（一）", "加强学习", "next-year-plan"),
        (2, "（二）", "强化监督", "next-year-plan"),
    ]


def test_damaged_numbering_is_tolerated() -> None:
    text = (
        "一、主要举措及成效\n"
        "（一）强化顶层设计。\n1.加强组织领导。召开会议2次。\n2.完善制度。出台文件3件。\n"
        "夯实法治政府建设思想根基\n"
        "1.深化学习。开展学习10场。\n2.普法宣传。开展活动20场。\n"
        "（三）加强监督\n1.发挥考核作用。印发考核指标。\n2.加大督察。开展督察8次。\n"
        "3决策管理更规范全面实施市乡两级重大行政决策目录化管理，印发《某县2024年度重大行政决策事项目录》。\n"
        "4法律服务更利民。建立服务站6家。\n"
        "）实施法治工作革新\n1.推进执法改革。完成划转364项。\n"
        "二、存在的不足和原因\n基层力量薄弱。\n"
    )
    got = headings(text)
    assert (2, "", "夯实法治政府建设思想根基") in got
    assert (3, "3", "决策管理更规范") in got
    assert (3, "4", "法律服务更利民") in got
    assert (2, "）", "实施法治工作革新") in got
    assert got[-1] == (1, "二、", "存在的不足和原因")


def test_quantities_are_not_headings() -> None:
    text = "一、主要举措\n2024年全县办理案件300件。\n3家企业获评示范单位。\n"
    assert headings(text) == [(1, "一、", "主要举措")]


def test_numbering_restarts_under_each_parent() -> None:
    text = "一、甲项工作\n1.子项一\n2.子项二\n二、乙项工作\n1.子项三\n"
    assert headings(text) == [
        (1, "一、", "甲项工作"), (2, "1.", "子项一"), (2, "2.", "子项二"),
        (1, "二、", "乙项工作"), (2, "1.", "子项三"),
    ]


def test_offsets_point_into_original_as_written() -> None:
    text = "一、法治政府建設情況\n（一）依法全面履行政府職能\n1.嚴格執(zhí)行重大行政決策制度。正文內容。\n"
    doc = from_text(text, "t.txt", "txt")
    o = build(doc)
    for s in o.sections:
        assert doc.original[s.start : s.end].startswith(s.number + s.title) or s.synthetic
    assert [s.title for s in o.sections] == ["法治政府建設情況", "依法全面履行政府職能", "嚴格執(zhí)行重大行政決策制度"]


def test_helpers() -> None:
    assert cn_value("十二") == 12 and cn_value("二十") == 20 and cn_value("七") == 7
    assert opens_plan("2025年，我们将坚持以习近平法治思想为指导", 2024)
    assert not opens_plan("2024年，我们坚持以习近平法治思想为指导", 2024)
    assert opens_plan("下一步，我局将进一步加强执法监督。", None)
    assert opens_shortcomings("在各方共同努力下取得了一定成绩，但与新要求相比还有不小的差距。")
    assert not opens_shortcomings("全年审核规范性文件30件。")


# -- the real seed reports ---------------------------------------------------------------
@pytest.mark.parametrize("name", seed_params())
def test_seed_headings_match_gold(name: str) -> None:
    g = gold(name)
    o = build(load(SEEDS / g["doc"]))
    got = [(s.level, s.number, s.title) for s in o.sections if not s.synthetic]
    want = [(h[0], str(h[1]), str(h[2])) for h in g["headings"]]
    assert got == want


@pytest.mark.parametrize("name", seed_params())
def test_seed_parts_match_gold(name: str) -> None:
    g = gold(name)
    doc = load(SEEDS / g["doc"])
    o = build(doc)
    for part, openings in g["parts"].items():
        secs = [s for s in o.sections if s.part == part]
        assert secs, f"no section for part {part}"
        first = secs[0]
        body = doc.original[first.start : first.end]
        for opening in openings:
            assert first.title.startswith(opening) or body.startswith(opening) or body.lstrip("一二三四五六七八九十、.").startswith(opening), (part, opening, first.title)


@pytest.mark.parametrize("name", seed_params())
def test_seed_sections_are_nested_and_ordered(name: str) -> None:
    g = gold(name)
    o = build(load(SEEDS / g["doc"]))
    index = {s.id: s for s in o.sections}
    for s in o.sections:
        assert s.start <= s.end
        if s.parent:
            p = index[s.parent]
            assert p.level == s.level - 1 and p.start <= s.start and s.end <= p.end
    starts = [s.start for s in o.sections]
    assert starts == sorted(starts)


# -- the same report in other formats ------------------------------------------------------
def _shape(path) -> list[tuple[int, str, str, str]]:
    o = build(load(path))
    return [(s.level, s.number, s.title, s.part) for s in o.sections]


def _as_html(text: str) -> str:
    import html

    paras = "\n".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line.strip())
    return (
        "<html><head><meta charset='utf-8'><title>报告</title></head><body>"
        "<div class='nav'>首页 &gt; 政务公开 &gt; 法治政府建设</div>"
        f"<div class='content'>{paras}</div>"
        "<div class='tools'>打印本页 关闭窗口</div></body></html>"
    )


def _as_docx(text: str, path) -> None:
    from docx import Document as Docx

    d = Docx()
    for line in text.splitlines():
        if line.strip():
            d.add_paragraph(line)
    d.save(str(path))


@pytest.mark.parametrize("name", seed_params())
def test_seed_formats_give_the_same_tree(name: str, tmp_path) -> None:
    g = gold(name)
    src = SEEDS / g["doc"]
    text = src.read_text(encoding="utf-8")
    want = _shape(src)
    gb = tmp_path / "gb.txt"
    gb.write_bytes(text.encode("gb18030"))
    page = tmp_path / "page.html"
    page.write_text(_as_html(text), encoding="utf-8")
    docx = tmp_path / "report.docx"
    _as_docx(text, docx)
    body = lambda shape: [s for s in shape if s[3] != "preamble"]  # noqa: E731
    assert _shape(gb) == want
    assert body(_shape(page)) == body(want)
    assert body(_shape(docx)) == body(want)


def test_traditional_seed_matches_its_simplified_conversion(tmp_path) -> None:
    import opencc

    names = [n for n in seed_names() if "監" in (SEEDS / gold(n)["doc"]).read_text(encoding="utf-8")]
    if not names:
        pytest.skip(SHARED_REASON)
    src = SEEDS / gold(names[0])["doc"]
    trad = src.read_text(encoding="utf-8")
    simp = tmp_path / "simplified.txt"
    simp.write_text(opencc.OpenCC("t2s").convert(trad), encoding="utf-8")
    a, b = build(load(src)), build(load(simp))
    assert [(s.level, s.number, s.part) for s in a.sections] == [(s.level, s.number, s.part) for s in b.sections]
    conv = opencc.OpenCC("t2s")
    for x, y in zip(a.sections, b.sections, strict=False):
        assert x.norm_title == y.norm_title
        assert x.title == trad[x.start : x.end][len(x.number) :][: len(x.title)]  # quoted as written
    assert any(conv.convert(x.title) != x.title for x in a.sections)  # titles stay Traditional


def test_shortfall_or_plan_words_inside_results_do_not_open_parts() -> None:
    text = (
        "一、主要举措和成效\n（一）推进依法行政\n全年审核文件20件。\n"
        "（二）加强执法监督\n开展案卷评查120卷，但与群众期待相比仍存在差距。\n"
        "下一步，我们将继续加强执法监督。\n"
        "（三）化解矛盾纠纷\n调处纠纷300件。\n"
        "二、存在的不足和原因\n基层力量薄弱，原因是编制不足。\n"
    )
    o = build(from_text(text, "t.txt", "txt"))
    assert not [s for s in o.sections if s.synthetic and s.part != "preamble"]
    parts = {s.title: s.part for s in o.sections}
    assert parts["化解矛盾纠纷"] == "measures-and-results"


def test_shortcomings_part_records_whether_causes_are_given() -> None:
    with_causes = "一、主要举措和成效\n全年审核文件20件。\n二、存在的问题\n基层力量薄弱。究其原因，编制不足。\n"
    without = "一、主要举措和成效\n全年审核文件20件。\n二、存在的问题\n基层力量薄弱。\n"
    a = [s for s in build(from_text(with_causes, "t.txt", "txt")).sections if s.part == "shortcomings"]
    b = [s for s in build(from_text(without, "t.txt", "txt")).sections if s.part == "shortcomings"]
    assert [s.causes for s in a] == [True] and [s.causes for s in b] == [False]


def test_report_without_headings_still_has_parts() -> None:
    text = (
        "某镇2024年度法治政府建设情况报告\n"
        "2024年，我镇扎实推进法治政府建设，现将有关情况报告如下：\n"
        "加强组织领导。全年主持召开法治建设专题会议4次。\n"
        "推进依法决策。全年聘请法律顾问审查合同协议18件。\n"
        "我镇法治政府建设取得了一定成效，但也存在一些不足：基层法治力量薄弱。主要原因是法治人才缺乏。\n"
        "2025年，我镇将继续深化法治政府建设。\n"
    )
    o = build(from_text(text, "t.txt", "txt"))
    assert [(s.part, s.title) for s in o.sections] == [
        ("preamble", "2024年，我镇扎实推进法治政府建设"),
        ("measures-and-results", "加强组织领导"),
        ("shortcomings", "我镇法治政府建设取得了一定成效"),
        ("next-year-plan", "2025年，我镇将继续深化法治政府建设"),
    ]


def test_a_short_line_ending_in_a_half_width_full_stop_is_a_sentence() -> None:
    """党政主要负责人…听取专题汇报. is a sentence of the results part, not a heading that
    would open a first-responsible-person part."""
    from auditor.ingest import from_text
    from auditor.outline import build

    text = "一、主要举措和成效\n（一）主要工作\n党政主要负责人亲自部署法治建设工作，先后6次听取专题汇报.\n二、存在的不足和原因\n人员不足。\n"
    outline = build(from_text(text, "t.txt", "txt"))
    assert [s.part for s in outline.sections if not s.synthetic].count("first-responsible-person") == 0


def test_a_report_that_lost_its_line_breaks_keeps_its_parts() -> None:
    """The complete example run into one line (a damaged page): the four parts are found
    again — cut at 一、二、… after a colon too, at (一)(二)… after a title with no full stop,
    and a title ends where a year opens the body (…主要安排2025年是…)."""
    from auditor.ingest import from_text
    from auditor.outline import build

    source = (Path(__file__).resolve().parents[1] / "examples" / "complete-county-2024.txt").read_text(encoding="utf-8")
    outline = build(from_text(source.replace("\n", ""), "t.txt", "txt"))
    parts = {s.part for s in outline.sections if not s.synthetic}
    assert {"measures-and-results", "shortcomings", "first-responsible-person", "next-year-plan"} <= parts


def test_a_page_that_lost_its_line_breaks_is_not_furniture() -> None:
    """A one-line page that opens with navigation (首页 > …) still has a body."""
    from auditor.ingest import from_text

    line = "首页 > 政府信息公开 > 法治政府建设 " + "2024年，全县办理行政复议案件46件，纠错率12%。" * 12
    assert "行政复议案件46件" in from_text(line + "\n", "t.txt", "txt").text


def test_unheaded_parts_of_a_report_that_lost_its_line_breaks() -> None:
    """Shortcomings and plan parts without headings are found by how their paragraph opens;
    in a report run into one line, the sentence that opens one starts a new piece."""
    from auditor.ingest import from_text

    body = "全年办理行政复议案件46件，审结41件，纠错率12%。" * 60
    text = ("某县2024年法治政府建设情况报告\n2024年，我县扎实推进法治政府建设，现将有关情况报告如下：一、主要举措和成效（一）发挥复议作用。"
            + body + "但对照上级要求，仍存在一些不足：一是执法队伍力量薄弱。原因是专职人员不足。"
            + "2025年，我们将继续深入推进法治政府建设，全面提升依法行政水平。\n")
    outline = build(from_text(text, "t.txt", "txt"))
    parts = [s.part for s in outline.sections if s.level == 1 or s.synthetic]
    assert "shortcomings" in parts and "next-year-plan" in parts


@pytest.mark.parametrize("line", ["行政复议委员会为5件案件提供咨询意见,采纳率100%.", "县长出庭应诉3次(含视频出庭)."])
def test_a_short_line_ending_in_a_stop_after_a_figure_is_a_sentence(line: str) -> None:
    from auditor.outline.heads import Line, is_bare_heading

    assert not is_bare_heading(Line(0, len(line), line))


def test_a_page_copied_without_line_breaks_is_cut_where_its_spaces_stand() -> None:
    """A web page pasted as one line keeps a space where each line break was: the header
    fields, the headings and the parts come back, and offsets still point into the original."""
    body = "镇党委书记主持召开法治建设专题会议3次，全年办理行政处罚案件46件，调解矛盾纠纷236件。" * 3
    text = (
        "首页>政务公开>法治政府建设 青石镇2023年法治政府建设工作报告 发布时间：2024-01-12 "
        "来源：青石镇人民政府 浏览次数：88 字体：大 中 小 县委、县政府：现将有关情况报告如下。"
        f"一、2023年法治政府建设开展情况 抓法治引领。{body}存在的问题 一是执法力量薄弱。"
        "究其原因，主要是培训不够经常。三.2024年工作打算 一是抓好干部学法用法。"
    )
    outline = build(from_text(text, "page.txt", "txt"))
    assert outline.doc.meta.title == "青石镇2023年法治政府建设工作报告"
    assert outline.doc.meta.published == "2024-01-12"
    assert not any(w in outline.doc.text for w in ("首页", "浏览次数", "字体", "中 小"))
    parts = {s.title: s.part for s in outline.sections}
    assert parts["2023年法治政府建设开展情况"] == "measures-and-results"
    assert parts["存在的问题"] == "shortcomings"
    assert parts["2024年工作打算"] == "next-year-plan"
    plan = next(s for s in outline.sections if s.part == "next-year-plan")
    assert text[plan.start : plan.start + 2] == "三."


def test_a_long_paragraph_with_a_stray_space_stays_whole() -> None:
    """A justified layout's spaces inside sentences (行 政复议) are no lost line breaks."""
    sentence = "全年办理行 政复议案件46件，纠错率12%，行政诉讼败诉率下降3个百分点，依法化解行政争议。"
    outline = build(from_text(sentence * 6, "p.txt", "txt"))
    assert "\n" not in outline.doc.text and "行政复议案件46件" in outline.doc.text


def test_a_half_width_full_stop_ends_a_run_in_heading() -> None:
    """Pages typed with half-width punctuation end a run-in heading with ".": the title is the
    words before it, and the body after it is read as the body."""
    text = ("一、依法全面履行政府职能\n(一)深化\"放管服\"改革.完成三级权责清单标准化编制,统一规范行政权力事项4.2万项.\n"
            "(二)加快数字政府建设.省一体化政务服务平台办件量达1.1亿件.\n")
    outline = build(from_text(text, "t.txt", "txt"))
    titles = [s.title for s in outline.sections if s.level == 2]
    assert titles == ['深化"放管服"改革', "加快数字政府建设"]


def test_a_title_run_into_the_first_sentence_is_cut_off() -> None:
    """A page that lost its line breaks starts with the title glued to the opening: the title
    is read as the title, never as a report on the annual report, and the unheaded parts of a
    short report on one line are still found."""
    text = ("枫溪市2021年法治政府建设年度报告2021年，市政府深入学习贯彻习近平法治思想，全面推进依法行政。"
            + "全年审核规范性文件30件，办理行政复议案件46件，纠错率12%，组织执法人员培训8期，参训650人次。" * 5
            + "但我市法治政府建设仍存在一些不足，主要原因是基层法治力量薄弱。"
            + "2022年，我市将持续深化法治政府建设，重点抓好三方面工作。")
    outline = build(from_text(text, "one.txt", "txt"))
    assert outline.doc.meta.title == "枫溪市2021年法治政府建设年度报告"
    assert {"shortcomings", "next-year-plan"} <= {s.part for s in outline.sections}
    report = match.check(outline, builtin_checklists())
    found = {f.item_id: f.status for c in report.checklists for f in c.findings}
    assert found["leadership.annual-report"] == "missing"


def test_a_numbered_point_that_is_a_sentence_reports_its_work() -> None:
    """（四）开展执法案卷交叉评查，抽评区级案卷180卷。 is a numbered sentence, not a heading:
    its first phrase names it, and the sentence is read as body, so its count is evidence."""
    text = ("一、规范执法行为\n（一）加强执法监督\n"
            "（二）开展执法案卷交叉评查，抽评区级案卷180卷，评出优秀案卷21卷，对问题较多的2个区城管局进行约谈。\n"
            "（三）对12名调离执法岗位的人员收回执法证件。\n")
    outline = build(from_text(text, "t.txt", "txt"))
    assert [s.title for s in outline.sections if s.level == 2] == [
        "加强执法监督", "开展执法案卷交叉评查", "对12名调离执法岗位的人员收回执法证件"]
    report = match.check(outline, builtin_checklists())
    found = {f.item_id: f for c in report.checklists for f in c.findings}
    assert found["oversight.enforcement-supervision"].status == "covered"
    assert "抽评区级案卷180卷" in found["oversight.enforcement-supervision"].evidence[0].quote
    assert found["enforcement.credentials"].status == "covered"


def test_half_width_stops_before_a_figure_and_after_a_closing_quote() -> None:
    """宣传.3月… ends a sentence (no decimal point follows a Chinese word); “…”.将… ends a run-in
    heading; 三.2024年 stays a heading number and 1.5万 a number."""
    text = ("一、主要工作\n一是抓好宪法学习宣传.3月,乡党委理论学习中心组开展宪法专题学习3次,覆盖1.5万人.\n"
            "(一)推进“互联网+政务服务”.将招生报名纳入平台办理,全年网上办理4.2万件.\n三.2024年工作打算\n")
    outline = build(from_text(text, "t.txt", "txt"))
    assert "推进“互联网+政务服务”" in [s.title for s in outline.sections]
    assert [s.title for s in outline.sections if s.part == "next-year-plan"] == ["2024年工作打算"]
    report = match.check(outline, builtin_checklists())
    found = {f.item_id: f for c in report.checklists for f in c.findings}
    assert found["functions.streamline-services"].status == "covered"
    assert found["functions.streamline-services"].evidence[0].quote.startswith("将招生报名纳入平台办理")


def test_a_page_header_run_into_the_first_line_falls_away_field_by_field() -> None:
    """A page whose header, title and body run together with no separator at all: the
    header fields are cut at their labels and dropped as furniture, the title is not read as
    evidence of the annual report, and the body's figures stay evidence."""
    text = ("当前位置:首页 > 信息公开 > 法治政府建设年度报告青禾市市场监督管理局2021年法治政府建设年度报告"
            "发布时间:2022-01-28 来源:市市场监管局 浏览次数:316"
            + "2021年，我局全年办理行政复议案件46件，纠错率12%，组织执法人员培训8期，参训650人次。" * 5)
    outline = build(from_text(text, "one.txt", "txt"))
    assert outline.doc.meta.published == "2022-01-28"
    assert "浏览次数" not in outline.doc.text and "当前位置" not in outline.doc.text
    report = match.check(outline, builtin_checklists())
    found = {f.item_id: f.status for c in report.checklists for f in c.findings}
    assert found["leadership.annual-report"] == "missing"
    assert found["disputes.administrative-reconsideration"] == "covered"


def test_a_one_line_report_starts_its_body_after_the_preamble_closer() -> None:
    """A short unheaded report on one line: the body starts after 现将…报告如下。, so the
    results are a part of their own, not the tail of the preamble."""
    text = ("2023年，石埠镇坚持以习近平法治思想为指导，扎实推进法治政府建设。现将有关情况报告如下。"
            + "镇党委书记主持召开法治建设专题会议3次，全年办理行政处罚案件46件，调解矛盾纠纷236件，开展普法活动28场。" * 6
            + "我镇法治政府建设还存在一些不足，主要原因是基层法治力量薄弱。2024年，我镇将重点抓好三方面工作。")
    outline = build(from_text(text, "one.txt", "txt"))
    results = [s for s in outline.sections if s.part == "measures-and-results"]
    assert results and results[0].start > text.index("报告如下。")
    report = match.check(outline, [c for c in builtin_checklists() if c.id == "report-structure"])
    found = {f.item_id: f.status for f in report.checklists[0].findings}
    assert found["structure.measures-and-results"] == "covered"


def test_chapter_numbers_in_a_one_line_report_are_headings() -> None:
    """第一部分　主要做法…第二部分　…: on one line, each chapter number opens a part, and a space
    after the number does not split it from its title."""
    body = "局党组书记主持召开党组会议专题研究法治建设4次，全年办理行政处罚案件312件，开展普法活动28场。" * 3
    text = ("2023年，市市场监管局扎实推进法治政府建设。现将有关情况报告如下：第一部分\u3000主要做法及成效" + body
            + "第二部分\u3000党政主要负责人履行推进法治建设第一责任人职责情况" + body
            + "第三部分\u3000存在的不足和原因一是执法人员法律素养参差不齐，原因是新进人员较多。")
    outline = build(from_text(text, "one.txt", "txt"))
    parts = [(s.number, s.part) for s in outline.sections if s.number]
    assert parts == [("第一部分", "measures-and-results"), ("第二部分", "first-responsible-person"),
                     ("第三部分", "shortcomings")]


def test_arabic_points_in_a_one_line_report_are_headings_in_sequence() -> None:
    """…主要做法和成效1.压实…2.完善…: figures followed by a point between Chinese words, in
    sequence, open sub-parts of a page on one line; 1.5万 and 12.3% stay numbers."""
    para = "局党组书记主持召开党组会议专题研究法治建设4次，覆盖1.5万人，合格率12.3%。"
    text = ("2025年，我局扎实推进法治政府建设。现将有关情况报告如下：一、2025年度推进法治政府建设主要做法和成效"
            + "1.压实法治建设主体责任。" + para * 3 + "2.完善粮食储备法规制度。" + para * 3 + "3.严格粮食流通执法监管。" + para)
    outline = build(from_text(text, "one.txt", "txt"))
    assert [s.title for s in outline.sections if s.level == 2] == ["压实法治建设主体责任", "完善粮食储备法规制度", "严格粮食流通执法监管"]
