"""Statement kinds (step two of a verdict) and the checklist keys that feed them, on sentences
written for these tests: families, gapped terms, an item's own act words, loose mentions."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor import match
from auditor.checklist import ChecklistProblems, builtin_checklists, load_checklist
from auditor.ingest import from_text
from auditor.match.examples import example_terms
from auditor.match.statements import signals_in
from auditor.match.units import split_clauses
from auditor.outline import build

WRAPPER = "一、2024年主要举措和成效\n（一）主要工作\n{body}\n二、存在的不足和原因\n个别工作有差距，原因是人员不足。\n三、2025年工作安排\n（一）继续推进。\n"


def _item(item_id: str):
    return next(i for c in builtin_checklists() for i in c.items if i.id == item_id)


def _hits(item_id: str, body: str):
    outline = build(from_text(WRAPPER.format(body=body), "t.txt", "txt"))
    return outline, match.hits_for(_item(item_id), match.prepare(outline, match.register_terms(builtin_checklists())))


def _finding(item_id: str, body: str):
    outline = build(from_text(WRAPPER.format(body=body), "t.txt", "txt"))
    return match.judge_mention(_item(item_id), outline, match.prepare(outline, match.register_terms(builtin_checklists())))


@pytest.mark.parametrize(
    ("item_id", "body", "kind"),
    [
        # act: a count in the clause holding the term
        ("disputes.administrative-reconsideration", "全年办理行政复议案件46件，纠错率12%。", "act"),
        # slogan: a commitment with nothing reported
        ("disputes.administrative-reconsideration", "坚持发挥行政复议化解行政争议主渠道作用。", "slogan"),
        # topic: named under a meta-verb in a list; the count belongs to the meetings
        ("disputes.administrative-reconsideration", "县长主持召开常务会议6次，研究政府立法、行政复议等议题18项。", "topic"),
        # plan: what will be done
        ("disputes.administrative-reconsideration", "下一步，将进一步规范行政复议案件办理。", "plan"),
        # shortcoming
        ("disputes.administrative-reconsideration", "行政复议队伍力量仍然薄弱。", "shortcoming"),
        # a habit is not an act of the year
        ("leadership.annual-report", "定期听取法治政府建设情况报告。", "slogan"),
        # the disposal form of 将 is not a plan
        ("oversight.government-openness", "将政务公开与政务服务深度融合，全年主动公开政府信息1200条。", "act"),
        # a standing body's meeting chaired by the principal leader is an occasion on record
        ("leadership.first-responsible-person", "市委主要负责同志履行推进法治建设第一责任人职责，主持召开市委常委会会议研究法治工作。", "act"),
        # the same meeting held as a routine is not
        ("leadership.first-responsible-person", "市委主要负责同志履行推进法治建设第一责任人职责，定期召开市委常委会会议研究法治工作。", "slogan"),
        # a routine governs the verb in its own clause, a clause after the term: no act
        ("disputes.mediation", "坚持发展新时代“枫桥经验”，定期召开会议听取矛盾纠纷化解工作汇报。", "slogan"),
        # a verb followed by 、 names a step in a list of nouns
        ("rules.normative-docs-filing-review", "建立健全规范性文件制定、审查、备案和清理机制。", "slogan"),
        # 贯穿全年 frames a priority, it reports nothing done
        ("leadership.xi-law-thought-study", "把学习贯彻习近平法治思想作为贯穿全年法治建设的首要政治任务。", "slogan"),
    ],
)
def test_statement_kind_of_a_hit(item_id: str, body: str, kind: str) -> None:
    _, hits = _hits(item_id, body)
    assert hits and hits[0].kind == kind, [(h.kind, h.statement) for h in hits]


def test_topic_reason_names_the_meta_verb_as_written() -> None:
    f = _finding("disputes.administrative-reconsideration", "县长主持召开常务会议6次，研究政府立法、行政复议等议题18项。")
    assert f.status == "partial" and f.evidence[0].kind == "topic"
    assert "“研究”" in f.reason and "会议或部署" in f.reason


def test_covered_reason_quotes_traditional_text_as_written() -> None:
    f = _finding("disputes.administrative-reconsideration", "依法辦理行政復議案件46件。")
    assert f.status == "covered"
    assert "“46件”" in f.reason and "“辦理”" in f.reason
    assert f.evidence[0].cues and all(c in f.evidence[0].quote for c in f.evidence[0].cues)


def test_acts_in_the_opening_paragraph_count() -> None:
    text = (
        "2024年，全县办理行政复议案件46件。我县坚持发挥行政复议主渠道作用。\n"
        "一、主要举措和成效\n（一）主要工作\n全年审核规范性文件20件。\n"
    )
    outline = build(from_text(text, "t.txt", "txt"))
    f = match.judge_mention(_item("disputes.administrative-reconsideration"), outline, match.prepare(outline, match.register_terms(builtin_checklists())))
    assert f.status == "covered" and f.evidence[0].part == "preamble" and "46件" in f.evidence[0].quote


@pytest.mark.parametrize(
    ("opening", "status"),
    [
        # an opening sums up the year: a result stated there with a verb is reported
        ("2024年，我县通过验收，成功创建省级法治政府建设示范县。", "covered"),
        # a commitment in the opening is not
        ("2024年，我县坚持以法治政府建设示范创建为抓手。", "partial"),
        # the opening sums up many tasks in one sentence: a figure there belongs to its own
        # clause (the ranking), not to the task named in the clause before it
        ("2024年，我市深入推进法治政府示范市建设，法治政府建设总体情况获评全国100个城市第三方评估第八名。", "partial"),
    ],
)
def test_opening_paragraph_act_or_slogan(opening: str, status: str) -> None:
    text = opening + "\n一、主要举措和成效\n（一）主要工作\n全年审核规范性文件20件。\n"
    outline = build(from_text(text, "t.txt", "txt"))
    f = match.judge_mention(_item("mechanism.demonstration"), outline, match.prepare(outline, match.register_terms(builtin_checklists())))
    assert f.status == status and f.evidence[0].part == "preamble", (f.status, f.reason)


def test_a_text_without_parts_is_read_as_a_body() -> None:
    """A damaged page with no headings is all 'preamble': it is not an opening summary, so a
    figure a clause after the term still counts."""
    text = "2024年，我市深入推进法治政府示范市建设，法治政府建设总体情况获评全国100个城市第三方评估第八名。\n"
    outline = build(from_text(text, "t.txt", "txt"))
    f = match.judge_mention(_item("mechanism.demonstration"), outline, match.prepare(outline, match.register_terms(builtin_checklists())))
    assert f.status == "covered", f.reason


def test_a_figure_clauses_after_the_term_counts_in_the_results_part() -> None:
    """Outside the opening, a figure one or two clauses after the term is the term's (the
    same sentence as the opening case above, judged covered)."""
    f = _finding("mechanism.demonstration", "深入推进法治政府示范市建设，法治政府建设总体情况获评全国100个城市第三方评估第八名。")
    assert f.status == "covered", f.reason


@pytest.mark.parametrize(
    ("body", "status"),
    [
        # 每月 inside the term 每月学法 names the format: the study is reported
        ("利用局务会时间，有序开展每月学法活动。", "covered"),
        # the same word outside a term is a routine: nothing reported
        ("每月组织领导干部集中学法。", "partial"),
    ],
)
def test_a_routine_word_inside_a_term_is_its_name(body: str, status: str) -> None:
    assert _finding("capacity.leaders-law-study", body).status == status


def test_a_comma_inside_a_quoted_name_does_not_cut_the_clause() -> None:
    """The verb before a quoted name governs what the name ends in: the training was held."""
    assert split_clauses("举办“强化法治意识，提升执法能力”专题培训班，共3期。") == [(0, 23), (23, 27)]
    assert _finding("capacity.staff-training", "举办“强化法治意识，提升执法能力”执法人员专题培训班。").status == "covered"


@pytest.mark.parametrize(
    ("item_id", "body", "status"),
    [
        # 实行 formed across 落实|行政 is no verb
        ("enforcement.publicity-system", "严格落实行政执法公示制度。", "partial"),
        # a verb after a prohibition or an aim reports nothing done
        ("enforcement.major-decision-legal-review", "健全重大执法决定法制审核机制，未经法制审核不得作出决定。", "partial"),
        ("enforcement.flexible-methods", "探索推行柔性执法方式。", "partial"),
        ("disputes.administrative-reconsideration", "认真贯彻实施新修订的行政复议法。", "partial"),
        # 全覆盖 under an aim verb is a goal; reached (实现…全覆盖) it is a result
        ("enforcement.major-decision-legal-review", "坚持重大执法决定法制审核全覆盖。", "partial"),
        ("leadership.report-on-law", "推动市县党政主要负责人述法实现全覆盖。", "covered"),
        # 将 with a transfer verb, or 将…列为, is the disposal form, not the future
        ("leadership.xi-law-thought-study", "将习近平法治思想列为党员干部轮训重点内容，推出“E起学习”平台。", "covered"),
        ("enforcement.system-reform", "将城管、环保、安监等7个领域执法事项交由镇街统一行使，共计213项。", "covered"),
        # a shortfall word qualifying the object of an act is no shortcoming
        ("enforcement.system-reform", "开展乡镇（街道）赋权事项运行情况评估，对承接不到位的4个镇进行督导。", "covered"),
        # 案次 counts
        ("disputes.litigation-and-appearance", "副局长出庭应诉4案次。", "covered"),
        # a verb inside a quoted principle is quoted, not done; one in a purpose clause is an aim
        ("rules.normative-docs-legality-review", "坚持“未经合法性审核不得提交审议”原则。", "partial"),
        ("rules.normative-docs-legality-review", "强化规范性文件合法性审核，确保出台文件合法合规。", "partial"),
        # 全面推行/积极推行 + a system, with nothing reported, is the register's slogan
        ("functions.random-inspection", "全面推行“双随机、一公开”监管，加强事中事后监管。", "partial"),
        ("decision.legal-advisers", "全面推行政府法律顾问制度和公职律师制度。", "partial"),
        # a verb naming a kind of work is a noun; 建成 inside 创建成果 and 实施 after a plan's
        # name are no verbs
        ("leadership.annual-report", "坚持法治政府建设年度报告制度，规范报告的报送和公开工作。", "partial"),
        ("mechanism.demonstration", "持续巩固法治政府建设示范创建成果。", "partial"),
        ("capacity.legal-publicity", "扎实推进“八五”普法规划实施。", "partial"),
        # a negated verb reports a thing not done; a zero bad outcome stays covered
        ("oversight.enforcement-supervision", "本年度未开展行政执法案卷评查。", "partial"),
        ("decision.legal-advisers", "我镇暂未聘请法律顾问。", "partial"),
        ("capacity.staff-training", "今年没有组织执法人员培训。", "partial"),
        ("disputes.administrative-reconsideration", "全年未发生行政复议纠错案件。", "covered"),
        ("disputes.litigation-and-appearance", "坚持源头化解，未发生涉税行政诉讼。", "covered"),
        ("disputes.administrative-reconsideration", "年内无行政复议、行政诉讼案件。", "covered"),
        # what must or should be done, and a yearly routine, report nothing done
        ("oversight.enforcement-supervision", "各级行政机关应当开展行政执法案卷评查。", "partial"),
        ("capacity.staff-training", "各单位要组织执法人员开展法律知识培训。", "partial"),
        ("decision.legal-advisers", "各乡镇须聘请法律顾问。", "partial"),
        ("disputes.administrative-reconsideration", "每年办理行政复议案件。", "partial"),
        # a verb right after a word of intent is still to do; 计划 as a noun (年度计划开展) is not
        ("oversight.enforcement-supervision", "计划开展行政执法案卷评查。", "partial"),
        ("decision.legal-advisers", "有条件的乡镇可聘请法律顾问。", "partial"),
        ("oversight.enforcement-supervision", "按照年度计划开展行政执法案卷评查，评查案卷120卷。", "covered"),
        # a verb naming a kind of thing (通报制度), a rate qualifying a noun (全覆盖的…体系),
        # 上线 inside 线上线下, a platform still being built
        ("oversight.external-supervision", "坚持重大事项向人大报告、向政协通报制度。", "partial"),
        ("oversight.enforcement-supervision", "加快构建省市县乡四级全覆盖的行政执法协调监督工作体系。", "partial"),
        ("digital.platforms", "加快推进数字法治政府建设，推动政务服务线上线下深度融合。", "partial"),
        ("digital.internet-plus-supervision", "推进“互联网+监管”系统建设。", "partial"),
        # 为…提供法律支撑 is a purpose; problems found and counted (不到位问题9个) are no shortcoming
        ("decision.major-decision-procedure", "注重发挥法律顾问作用，为重大行政决策提供法律支撑。", "partial"),
        ("decision.implementation-and-evaluation", "委托第三方对《促进民营经济发展若干措施》开展实施后评估，梳理政策兑现不到位问题9个。", "covered"),
        # a clause that opens with a word of intent after a comma (，力争…) is a plan
        ("mechanism.demonstration", "深入推进市级法治政府建设示范创建，力争成功创建第三批全国法治政府建设示范市。", "partial"),
        # a verb in a clause that opens with a word of intent is still to do
        ("functions.power-and-duty-lists", "按照区里统一部署，推进街道权责清单标准化，拟于6月底前完成。", "partial"),
        # a rule-of-law word naming a committee is the topic, not the act: the meeting's number
        # does not make the inspection listed under 研究部署 reported work
        ("mechanism.inspection-and-assessment", "省委全面依法治省委员会召开第五次会议，研究部署法治督察、行政执法协调监督等工作。", "partial"),
        # a shortfall after the term's own clause is about what followed, not the work reported
        ("enforcement.system-reform", "对区级下放的56项行政执法事项开展承接评估，其中3项因基层承接条件不足报请区政府收回。", "covered"),
        ("enforcement.system-reform", "虽然对区级下放的行政执法事项开展了承接评估，但承接能力仍然不足。", "partial"),
        # the last of a list closed by 和 (审议A、B和C) is a topic too
        ("decision.major-decision-procedure", "主持召开常务会议十一次，审议地方性法规草案、政府规章和重大行政决策事项。", "partial"),
        # a plan word after the term's own clause is what comes next, not the term's plan
        ("rules.normative-docs-cleanup", "组织对涉及不平等对待企业的规范性文件开展专项清理，拟废止、修改12件。", "covered"),
        ("rules.normative-docs-cleanup", "拟于下半年开展规范性文件专项清理。", "partial"),
        # a list closed by its meta-verb (对A、B等事项作出安排/批示) names topics
        ("decision.legal-advisers", "县长主持召开常务会议3次，对县政府法律顾问工作、行政执法责任制落实等事项逐项作出安排。", "partial"),
        ("capacity.legal-publicity", "主要负责同志对行政争议化解、“八五”普法启动等重大事项作出批示21件次。", "partial"),

    ],
)
def test_engine_findings_of_the_probes(item_id: str, body: str, status: str) -> None:
    """Sentences the checklist probes exposed as misjudged by the statement step."""
    f = _finding(item_id, body)
    assert f.status == status, (f.status, f.reason)


@pytest.mark.parametrize("text", ["开设专题课程8讲", "送法进校园20堂", "出庭应诉4案次", "出庭应诉一次", "制发意见书一份"])
def test_counted_units(text: str) -> None:
    assert [k for k, _ in signals_in(text, kinds=("count",))] == ["count"]


@pytest.mark.parametrize("text", ["一次性告知", "高效办成一件事", "一起抓落实", "进一步规范"])
def test_one_in_an_idiom_counts_nothing(text: str) -> None:
    assert signals_in(text, kinds=("count",)) == []


@pytest.mark.parametrize("text", ["出庭应诉率达到百分之百", "纠错率为百分之十二点五", "出庭应诉率100%"])
def test_rates_in_words_and_figures(text: str) -> None:
    assert [k for k, _ in signals_in(text, kinds=("rate",))] == ["rate"]


@pytest.mark.parametrize("text", ["2023年四月，县长签发实施意见", "十二月上旬召开专题会议"])
def test_months_in_chinese_numerals_are_dates(text: str) -> None:
    assert [k for k, _ in signals_in(text, kinds=("date",))] == ["date"]


def test_a_number_placeholder_in_patterns_reads_chinese_numerals(tmp_path: Path) -> None:
    """{#} in a checklist pattern is a number in digits or Chinese numerals."""
    path = tmp_path / "n.yaml"
    path.write_text(TITLED.replace("    titles: [某某条例]\n", "    patterns: ['审查文件(?={#}件)']\n"), encoding="utf-8")
    item = load_checklist(path).items[0]
    assert example_terms(item, "全年审查文件九十六件。") and example_terms(item, "全年审查文件96件。")
    assert example_terms(item, "全年审查文件96余件。")
    assert not example_terms(item, "全年审查文件若干件。")


@pytest.mark.parametrize(("year", "status"), [(2021, "covered"), (2020, "partial"), (None, "covered")])
def test_a_year_leads_a_plan_only_after_the_year_reported_on(year: int | None, status: str) -> None:
    """2021年，将…纳入考核 is done work in a report on 2021, a plan in one on 2020; when the
    year is unknown, a year, a bare 将 and a disposal verb read as the disposal form."""
    title = f"某县{year}年法治政府建设年度报告\n" if year else ""
    text = title + "一、主要举措和成效\n2021年，将法治建设纳入县对乡镇年度目标考核，占5分。\n"
    outline = build(from_text(text, "t.txt", "txt"))
    assert outline.doc.meta.year == year
    f = match.judge_mention(_item("mechanism.inspection-and-assessment"), outline, match.prepare(outline, match.register_terms(builtin_checklists())))
    assert f.status == status, f.reason


def test_a_veto_reads_the_clauses_around_loose_wording_as_around_a_term() -> None:
    """The xi-thought veto of leaders' law study reads the clauses around the wording, not the
    whole sentence: a slogan far from 习近平法治思想 still names the item (partial)."""
    body = "全面贯彻习近平法治思想，扎实推进法治政府建设，持续优化营商环境，牢牢抓住“关键少数”。"
    assert _finding("capacity.leaders-law-study", body).status == "partial"


def test_a_draft_commented_on_stays_readable() -> None:
    """对《…（修订草案）》提出修改意见 is work on that draft: its title is not masked."""
    text = "对《中华人民共和国某某法（修订草案）》提出修改意见12条。"
    assert match.mask_cited_titles(text) == text
    assert "某某法" not in match.mask_cited_titles("深入贯彻《中华人民共和国某某法》。")


def test_a_traditional_example_is_read_as_ingest_reads_a_report() -> None:
    assert example_terms(_item("enforcement.system-reform"), "向各鄉鎮（街道）下放行政執法事項65項。")


def test_evidence_direct_before_inherited() -> None:
    body = "（二）推进诚信建设\n全面推进政务诚信建设。全年向信用平台报送信息5941条。开展政务诚信专项治理，清理拖欠账款32笔。"
    f = _finding("oversight.government-integrity", body)
    assert f.status == "covered"
    assert "专项治理" in f.evidence[0].quote


def test_sentence_kind_is_item_independent() -> None:
    outline = build(from_text(WRAPPER.format(body="现将有关情况报告如下：\n全年举办培训班3期。\n坚持依法行政。"), "t.txt", "txt"))
    kinds = {u.text: match.sentence_kind(u).kind for u in match.prepare(outline, match.register_terms(builtin_checklists()))}
    assert kinds["全年举办培训班3期。"] == "act"
    assert kinds["坚持依法行政。"] == "slogan"
    assert kinds["主要工作"] == "heading"


# -- checklist keys ----------------------------------------------------------------------
LIST = """id: fam-list
title: 测试清单
version: "1"
basis: 测试
families:
  leaders: [县长, 局长, 一把手]
items:
  - id: t.law-study
    title: 领导学法
    cite: 测试
    severity: recommended
    requirement: 报告领导学法。
    advice: 补充学法次数。
    terms: ["执法…监督"]
    all_of: [["@leaders", "学法|讲法"]]
    acts: ['带头讲法']
    mentions: ['{@leaders}[^，。]{0,6}重视']
    examples:
      hit: [县长带头讲法。, 开展执法专项监督3次。]
"""


def test_families_gaps_acts_and_mentions_are_data(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(LIST, encoding="utf-8")
    item = load_checklist(path).items[0]
    assert item.all_of[0][0] == ("县长", "局长", "一把手")
    assert example_terms(item, "开展执法专项监督3次。") == ["执法专项监督"]  # a word inserted in the term
    assert example_terms(item, "一把手带头讲法。") == ["一把手", "讲法"]
    outline = build(from_text(WRAPPER.format(body="县长带头讲法。\n局长高度重视。"), "t.txt", "txt"))
    hits = match.hits_for(item, match.prepare(outline, match.register_terms(builtin_checklists())))
    act = next(h for h in hits if "讲法" in h.unit.text)
    assert act.kind == "act" and act.strong  # the item's own act words, no figure needed
    loose = next(h for h in hits if "重视" in h.unit.text)
    assert loose.loose and not loose.strong  # a loose mention never covers


TITLED = """id: titled
title: 测试清单
version: "1"
basis: 测试
items:
  - id: t.regulation
    title: 落实某某条例
    cite: 测试
    severity: recommended
    requirement: 报告落实某某条例的情况。
    advice: 补充审查件数。
    terms: [某某审查]
    titles: [某某条例]
    examples:
      hit: [依照《某某条例》，审查文件12件。]
"""


@pytest.mark.parametrize(
    ("body", "status"),
    [
        # the law the item implements, named inside a cited title, with work done under it
        ("依照《某某条例》，审查文件12件。", "covered"),
        # cited with nothing done
        ("认真贯彻《某某条例》。", "partial"),
        # outside a title the word is no term of the item
        ("某某条例的有关要求。", "missing"),
        # one of a list of laws studied: the count is the study's, not this law's
        ("集体学习《中华人民共和国行政复议法》《某某条例》等法律法规18部。", "missing"),
        # a text studied: the study is the act, not work under the law
        ("组织干部职工专题学习《某某条例》2次。", "missing"),
    ],
)
def test_titles_are_read_inside_cited_titles(tmp_path: Path, body: str, status: str) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(TITLED, encoding="utf-8")
    cl = load_checklist(path)
    outline = build(from_text(WRAPPER.format(body=body), "t.txt", "txt"))
    f = match.judge_mention(cl.items[0], outline, match.prepare(outline, match.register_terms([cl])))
    assert f.status == status, f.reason
    if status != "missing":
        assert f.evidence[0].quote == body


def test_an_unknown_family_is_a_located_error(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(LIST.replace('"@leaders", "学法', '"@leader", "学法'), encoding="utf-8")
    with pytest.raises(ChecklistProblems) as exc:
        load_checklist(path)
    (problem,) = exc.value.problems
    assert problem.line == 15 and "@leader" in problem.message and "leaders" in problem.message


def test_builtin_families_are_shared_with_later_files(tmp_path: Path) -> None:
    """A user's checklist may use the shipped families (here the principal leaders)."""
    from auditor.checklist import resolve

    path = tmp_path / "b.yaml"
    path.write_text(LIST.replace("families:\n  leaders: [县长, 局长, 一把手]\n", "").replace("@leaders", "@principal-leaders"),
                    encoding="utf-8")
    lists = resolve(["outline-2021-2025", str(path)])
    item = lists[-1].items[0]
    assert "县长" in item.all_of[0][0] and "主要负责同志" in item.all_of[0][0]


def test_explain_lists_every_sentence_about_an_item(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from auditor.cli import main

    path = tmp_path / "r.txt"
    path.write_text(WRAPPER.format(body="全年辦理行政復議案件46件。\n坚持发挥行政复议主渠道作用。"), encoding="utf-8")
    res = CliRunner().invoke(main, ["explain", str(path), "disputes.administrative-reconsideration"])
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert "2 句" in lines[0]
    assert lines[1].startswith("[已开展的具体工作｜计为已开展的工作]") and "“全年辦理行政復議案件46件。”" in lines[2]
    assert "“46件”" in lines[3]
    assert lines[4].startswith("[原则性表述｜不计]")
    bad = CliRunner().invoke(main, ["explain", str(path), "no.such-item"])
    assert bad.exit_code == 2 and "no.such-item" in bad.output and "Traceback" not in bad.output
