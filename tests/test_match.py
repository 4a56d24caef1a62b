"""Match stage: evidence, grading by part and substance, structure items, item examples."""

from __future__ import annotations

import pytest

from auditor import match
from auditor.checklist import builtin_checklists, load_checklist
from auditor.ingest import from_text
from auditor.match.examples import RESULTS_WRAPPER, is_evidence, verdict
from auditor.outline import build


def units_for(body: str, wrapper: str = RESULTS_WRAPPER):
    outline = build(from_text(wrapper.format(body=body), "t.txt", "txt"))
    return outline, match.prepare(outline, match.register_terms(builtin_checklists()))


def mention_examples():
    cases = []
    for cl in builtin_checklists():
        for item in cl.items:
            if item.type != "mention":
                continue
            cases += [pytest.param(item, s, True, id=f"{item.id}-hit{k}") for k, s in enumerate(item.examples.hit)]
            cases += [pytest.param(item, s, False, id=f"{item.id}-miss{k}") for k, s in enumerate(item.examples.miss)]
    return cases


def named_examples():
    return [pytest.param(item, s, id=f"{item.id}-named{k}") for cl in builtin_checklists() for item in cl.items
            if item.type == "mention" for k, s in enumerate(item.examples.named)]


@pytest.mark.parametrize(("item", "sentence", "expected"), mention_examples())
def test_item_examples(item, sentence: str, expected: bool) -> None:
    """Every shipped example: a hit is substantive evidence in the results part, a miss is not
    (the engine of ``auditor check``: finder, then statement judgement)."""
    assert is_evidence(item, sentence, builtin_checklists()) == expected, [h.unit.text for h in match.hits_for(item, units_for(sentence)[1])]


@pytest.mark.parametrize(("item", "sentence"), named_examples())
def test_item_named_examples(item, sentence: str) -> None:
    """Every shipped ``named`` example names the item without reporting an act: partial."""
    assert verdict(item, sentence, builtin_checklists()) == "partial", [(h.kind, h.terms) for h in match.hits_for(item, units_for(sentence)[1])]


def test_cited_document_titles_are_masked() -> None:
    text = "全面落实《法治政府建设实施纲要(2021—2025年)》和《行政复议法》。"
    masked = match.mask_cited_titles(text)
    assert "行政复议" not in masked and len(masked) == len(text)
    issued = "印发《规范性文件备案审查办法》，明确报备流程。"
    assert match.mask_cited_titles(issued) == issued


def _item(item_id: str):
    for cl in builtin_checklists():
        found = cl.item(item_id)
        if found:
            return found
    raise KeyError(item_id)


def _finding(body: str, item_id: str, wrapper: str = RESULTS_WRAPPER):
    outline, units = units_for(body, wrapper)
    return match.judge_mention(_item(item_id), outline, units)


def test_covered_needs_substance_in_results() -> None:
    f = _finding("全年办理行政复议案件46件，纠错率12%。", "disputes.administrative-reconsideration")
    assert f.status == "covered"
    ev = f.evidence[0]
    assert ev.part == "measures-and-results" and ev.substantive and "行政复议" in ev.terms
    assert ev.quote == "全年办理行政复议案件46件，纠错率12%。"


def test_slogan_is_partial() -> None:
    f = _finding("坚持发挥行政复议化解行政争议主渠道作用，不断提升复议工作水平。", "disputes.administrative-reconsideration")
    assert f.status == "partial"
    assert "原则性表述" in f.reason and f.evidence[0].kind == "slogan"


def test_plan_only_is_partial() -> None:
    wrapper = "一、2024年主要举措和成效\n（一）主要工作\n全年审核文件20件。\n二、2025年工作安排\n{body}\n"
    f = _finding("（一）加强行政复议工作。全年力争办理复议案件50件。", "disputes.administrative-reconsideration", wrapper)
    assert f.status == "partial"
    assert "下一年度" in f.reason


def test_absent_is_missing() -> None:
    f = _finding("全年审核规范性文件20件。", "disputes.administrative-reconsideration")
    assert f.status == "missing" and f.evidence == [] and f.reason


def test_topic_sentence_lends_its_item_to_figures_that_follow() -> None:
    f = _finding("全面推进政务诚信建设。全年向信用平台报送双公示信息5941条，归集信用承诺7200条。", "oversight.government-integrity")
    assert f.status == "covered"
    assert "5941" in f.evidence[0].quote


def test_offsets_quote_traditional_text_as_written() -> None:
    body = "全年辦理行政復議案件46件，糾錯率12%。"
    outline, units = units_for(body)
    f = match.judge_mention(_item("disputes.administrative-reconsideration"), outline, units)
    ev = f.evidence[0]
    assert f.status == "covered"
    assert ev.quote == body
    assert outline.doc.original[ev.start : ev.end] == body


def test_metadata_header_is_never_evidence() -> None:
    text = (
        "首页 > 政务公开 > 行政复议\n发布日期：2025-02-01\n某县2024年度法治政府建设情况报告\n"
        "一、主要举措和成效\n全年审核规范性文件20件。\n"
    )
    outline = build(from_text(text, "t.txt", "txt"))
    f = match.judge_mention(_item("disputes.administrative-reconsideration"), outline, match.prepare(outline, match.register_terms(builtin_checklists())))
    assert f.status == "missing"


def test_user_checklist_item_works_without_code(tmp_path) -> None:
    path = tmp_path / "province.yaml"
    path.write_text(
        "id: province-extra\ntitle: 某省补充清单\nversion: '1'\nbasis: 某省规定\nitems:\n"
        "  - id: province.law-clinic\n    title: 法治体检\n    cite: 某省规定 第三条\n    severity: required\n"
        "    requirement: 报告法治体检开展情况。\n    advice: 补充法治体检次数。\n"
        "    terms: [法治体检]\n    examples:\n      hit: [为企业开展法治体检120次。]\n      miss: [将开展法治体检。]\n",
        encoding="utf-8",
    )
    cl = load_checklist(path)
    outline = build(from_text(RESULTS_WRAPPER.format(body="为企业提供法治体检1100余次。"), "t.txt", "txt"))
    report = match.check(outline, [cl])
    f = report.checklists[0].findings[0]
    assert (f.item_id, f.status, f.severity) == ("province.law-clinic", "covered", "required")
    assert report.checklists[0].summary.score == 100.0


def test_structure_items_judge_parts() -> None:
    text = (
        "一、2024年主要举措和成效\n（一）推进依法行政\n全年审核规范性文件30件，备案率100%。\n"
        "二、存在的不足\n基层执法力量薄弱。\n"
        "三、2025年工作安排\n（一）加强执法监督。\n"
    )
    outline = build(from_text(text, "t.txt", "txt"))
    report = match.check(outline, [c for c in builtin_checklists() if c.id == "report-structure"])
    status = {f.item_id: f.status for f in report.checklists[0].findings}
    assert status["structure.next-year-plan"] == "covered"
    assert status["structure.shortcomings"] == "partial"  # no causes given
    assert status["structure.first-responsible-person"] == "missing"


def test_a_part_the_text_ends_on_is_announced_not_reported() -> None:
    """A web page's opening cut off right after a part's heading: the part is partial, and the
    same heading with a body under it is covered."""
    head = "一、2024年主要举措和成效\n全年审核规范性文件30件。\n二、党政主要负责人履行推进法治建设第一责任人职责情况\n"
    structure = [c for c in builtin_checklists() if c.id == "report-structure"]

    def status(text: str) -> str:
        report = match.check(build(from_text(text, "t.txt", "txt")), structure)
        found = next(f for f in report.checklists[0].findings if f.item_id == "structure.first-responsible-person")
        return found.status

    assert status(head) == "partial"
    assert status(head + "区长主持召开常务会议4次专题研究法治政府建设。\n") == "covered"


def test_required_for_kind_promotes_severity() -> None:
    outline = build(from_text(RESULTS_WRAPPER.format(body="全年审核文件20件。"), "t.txt", "txt"))
    lists = [c for c in builtin_checklists() if c.id == "outline-2021-2025"]
    county = {f.item_id: f.severity for f in match.check(outline, lists, kind="county").checklists[0].findings}
    province = {f.item_id: f.severity for f in match.check(outline, lists, kind="province").checklists[0].findings}
    assert county["rules.legislation"] == "recommended"
    assert province["rules.legislation"] == "required"


@pytest.mark.parametrize(
    "text",
    [
        "区政府常务会议审议《2023年度法治政府建设情况报告》。",
        "全面实行《权责清单》动态管理。",
        "《重大行政决策程序规定》于3月1日起施行。",
        "印发《规范性文件管理办法》和《合法性审核工作规程》。",
        "局党组集中学习《习近平法治思想学习纲要》。",
        "对《习近平法治思想学习问答》进行集中研读。",
        "修订完善《治安管理处罚裁量基准》。",
        "局党组审定《行政处罚案件审核办法》。",
        "3月，将《2023年法治政府建设情况报告》报送市政府。",
        "印发《2024年法治建设工作要点》《行政执法“三项制度”落实细则》。",
    ],
)
def test_titles_of_documents_acted_on_stay_readable(text: str) -> None:
    """Only titles merely cited are blanked; a title the sentence reports an act on stays."""
    assert match.mask_cited_titles(text) == text


def test_titles_named_by_their_age_are_blanked() -> None:
    """学习新修订的《A》《B》 names studied texts by their age: neither title is an act."""
    masked = match.mask_cited_titles("全年学习新修订的《土地管理法》《政府信息公开条例》等法律法规14部。")
    assert "政府信息" not in masked and "土地管理法" not in masked


def test_second_cited_title_is_blanked_without_an_act() -> None:
    masked = match.mask_cited_titles("贯彻《行政复议法》和《行政诉讼法》。")
    assert "复议" not in masked and "诉讼" not in masked


def test_a_studied_law_is_blanked_only_a_studied_work_on_the_items_stays() -> None:
    """Studying 《行政复议法》 is law study, not a report on administrative reconsideration."""
    masked = match.mask_cited_titles("组织干部职工学习《行政复议法》。")
    assert "复议" not in masked


def test_trigger_never_hides_a_sentence_the_finder_accepts() -> None:
    """The per-item gate is only a prefilter: every sentence the finder or the loose wording
    accepts passes it (shipped examples, and the finder's own matches on them)."""
    from auditor.match.finder import find, trigger

    for cl in builtin_checklists():
        for item in cl.items:
            gate = trigger(item)
            assert gate is not None, item.id
            for sentence in (*item.examples.hit, *item.examples.miss):
                if find(item, sentence) or any(rx.search(sentence) for rx in item.mentions):
                    assert gate.search(sentence), (item.id, sentence)


def _local_item(tmp_path, item_yaml: str):
    """The one item of a user checklist written for a test."""
    path = tmp_path / "local.yaml"
    path.write_text("id: local\ntitle: 本地清单\nversion: '1'\nbasis: 本地规定\nitems:\n" + item_yaml, encoding="utf-8")
    return load_checklist(path).items[0]


def test_veto_reads_the_clauses_around_the_term_not_the_whole_sentence(tmp_path) -> None:
    """A word that rules out one work in a long sentence does not veto another work in it."""
    item = _local_item(tmp_path, "  - id: local.staff-training\n    title: 工作人员培训\n    cite: 本地规定\n"
                       "    severity: required\n    requirement: 报告培训。\n    advice: 补充培训。\n"
                       "    terms: [专题培训班]\n    exclude: [领导干部读书会]\n")
    far = "举办依法行政专题培训班3期，全年开展普法活动50场，组织干部参加讲座2次，举办领导干部读书会4次。"
    near = "举办领导干部读书会暨依法行政专题培训班3期。"
    assert match.find(item, far) is not None
    assert match.find(item, near) is None


def test_an_all_of_group_is_vetoed_where_it_says_what_was_done(tmp_path) -> None:
    """A group stands or falls whole: its topic word two clauses away from the veto does not
    keep a 督察 that the veto rules out (生态环境保护督察 is no rule-of-law inspection)."""
    item = _local_item(tmp_path, "  - id: local.inspection\n    title: 法治督察\n    cite: 本地规定\n"
                       "    severity: required\n    requirement: 报告督察。\n    advice: 补充督察。\n"
                       "    all_of:\n      - [\"法治政府建设\", \"督察\"]\n    exclude: [生态环境保护督察]\n")
    other = "以中央生态环境保护督察反馈问题整改为契机，依法推进污染防治，现将我局法治政府建设情况报告如下。"
    own = "开展法治政府建设实地督察，督察反馈问题12个。"
    assert match.find(item, other) is None
    assert match.find(item, own) is not None


def test_one_score_for_every_output() -> None:
    """Covered counts 1, partial 0.5, over the applicable items; no applicable item scores 0."""
    from auditor.model import score

    assert score(1, 1, 0) == 75.0 and score(2, 0, 1) == 66.7 and score(0, 0, 0) == 0.0
    summary = match.summarise([])
    assert summary.score == 0.0 and summary.covered == 0


def test_among_equal_acts_the_one_under_the_items_own_heading_comes_first() -> None:
    """Two reported acts of the same strength: the one in the sub-part headed by the item
    is quoted first, not the earlier passing one."""
    text = (
        "一、2024年主要举措和成效\n（一）深化放管服改革\n"
        "2024年3月印发《重大行政决策事项目录》，将5项事项纳入目录并向社会公布。\n"
        "（二）全面推进政务公开\n全年主动公开政府信息6842条，发布政策解读材料76篇。\n"
    )
    outline = build(from_text(text, "t.txt", "txt"))
    report = match.check(outline, builtin_checklists())
    found = next(f for c in report.checklists for f in c.findings if f.item_id == "oversight.government-openness")
    assert found.status == "covered"
    assert found.evidence[0].quote.startswith("全年主动公开政府信息")
