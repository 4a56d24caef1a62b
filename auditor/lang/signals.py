"""Language data for the match stage: what makes a mention substantive, a plan or a shortfall.

Signals are looked for in the clause that holds a term and the clause after it, so a
figure about something else later in a long sentence does not lend substance to a term.
"""

from __future__ import annotations

_NUM = r"(?:\d+(?:\.\d+)?|[两二三四五六七八九十][一二三四五六七八九十百千万]*)"
_UNITS = (
    "人次|场次|件次|户次|案次|余件|余次|余场|余人|余名|余家|余项|余条|余个|"
    "件|次|个|项|家|人|名|场|期|条|户|份|篇|批|起|宗|讲|堂|万元|亿元|元|所|支|座|台|套|类|部|天|小时|"
    "卷|册|本|辆|艘|平方米|平方公里|公里|千米|亩|公顷|吨|"
    "单位|部门|乡镇|村|社区|企业"
)

# Closed vocabulary of substance signals; checklist items choose among them.
SIGNALS: dict[str, str] = {
    # Political formulas that look like counts ("两个确立", "四个意识") are not figures.
    # Ordinals (第三次会议, 第八个五年规划) name a thing, they count nothing.
    "count": rf"(?<!第)(?<![0-9一二三四五六七八九十百]){_NUM}\s*(?:万|亿)?\s*(?:余|多)?(?:{_UNITS})(?!确立|维护|务必|大局|结合|一百年|意识|自信|全面|服务|注重|之)"
    # one of a thing, where 一 is a count and not an idiom (一次性, 一件事, 一起抓, 一部分)
    r"|(?<![第进统唯逐同单万一])一(?:件(?!事)|次(?!性)|起(?![来抓])|份|场(?!硬)|期|宗|篇)",
    "rate": r"\d+(?:\.\d+)?\s*%|百分之[零一二两三四五六七八九十百点]+|率(?:达|为|达到|提升至|提高到)\s*\d+(?:\.\d+)?\s*%?|全覆盖|全员通过|全部通过|零(?:投诉|差错|败诉)",
    # Months also in Chinese numerals (2023年四月, 十二月上旬).
    "date": (
        r"(?:19|20)\d{2}\s*年\s*(?:\d{1,2}|十[一二]?|[一二三四五六七八九])\s*月|\d{1,2}\s*月(?:\d{1,2}\s*日|[上中下]旬|份)|"
        r"(?<![一二三四五六七八九十])(?:十[一二]?|[一二三四五六七八九])月(?:[一二三]?十?[一二三四五六七八九十]日|[上中下]旬|份)|年初|年中|年底"
    ),
    "document": r"(?:印发|出台|制定|修订|发布|起草|编制|制发|出台了|印发了|颁布|公布)[了]?\s*(?:实施)?\s*[《<]",
    # A named platform: a quoted name or a name before 平台/APP/…; 系统 only as an information
    # system (公安系统, 全省人社系统 are sectors, not platforms).
    "platform": (
        r"“[^”]{1,20}”(?:平台|系统|APP|App|小程序|公众号|热线|专栏|网站|专区)|"
        r"[\u4e00-\u9fffA-Za-z0-9]{2,12}(?:平台|APP|App|小程序|公众号|热线|专栏|网站|专区|数据库)|"
        r"(?:信息|管理|办案|监管|执法|服务|办公|监督|审批|指挥)(?:信息)?系统|12345"
    ),
    # An award, a title conferred or a ranking: a result someone else verified.
    "award": (
        r"获评|荣获|被评为|评为|被命名|命名为|入选|获得[^,，。；;]{0,20}(?:称号|奖|表彰|第[一二三]|前[三五十])|"
        r"获[^,，。；;]{0,16}(?:一等奖|二等奖|三等奖|优秀奖|最佳|先进|优秀等次|表彰|[A-E]级|等次)|创成|(?:考评|考核|评估)[^,，。；;]{0,12}(?:优秀|第[一二三四五六七八九十]|前[三五十])|"
        r"位列[^,，。；;]{0,16}(?:第|前)[0-9一二三四五六七八九十]|排名(?:第|前)[0-9一二三四五六七八九十]|得分\d"
    ),
    # A meeting identified by its number in a series: an occasion
    # someone could look up ("市委全面依法治市委员会第七次会议", "十三届三次全会"); studying a
    # meeting's spirit (会议精神) is not holding it.
    "meeting": (
        r"(?:第[0-9一二三四五六七八九十]+次(?:全体|主任|常务|专题)?(?:会议|全会|常委会|会)|"
        r"[一二三四五六七八九十]+届[0-9一二三四五六七八九十]+次(?:全会|会议|全体会议)|"
        # a standing body's meeting chaired or convened ("主持召开市委常委会会议"): the body's
        # minutes record it; a routine (定期召开…) is not an occasion
        r"(?<!定期)(?<!经常)(?<!每月)(?<!每周)(?<!每季度)(?:主持召开|主持|召开)了?[^,，。；;]{0,12}?"
        r"(?:常委会会议|常委会|常务会议|委员会(?:全体)?会议|全会|党组会议|党委会议|党工委会议))"
        r"(?![^,，。；;]{0,6}精神)"
    ),
    # Verbs of concrete one-off acts and completion markers. Verbs that are also nouns
    # inside terms of art (参与 in 公众参与, 审查 in 合法性审查, 培训, 检查, 调解…) are left
    # out on purpose, as are slogan verbs (坚持, 落实, 加强, 推进, 深化, 完善, 提高…) and the
    # generic verbs of WEAK_ACTS, which alone report nothing a supervisor could verify.
    "past-action": (
        r"已(?!经成为)|(?<!确保)(?<!力争)(?<!努力)完成|先后|累计|共计|(?<!贯穿)(?<!覆盖)全年(?!度)|今年以来|截至|截止|首次|率先(?!垂范|突破)|首创|(?<!确保)(?<!力争)(?<!杜绝)未发生|(?<=[年内全年度，,])无(?=[^，。；,;]{0,12}(?:案件|纠错|败诉|事故))|"
        r"获评|获得|荣获|入选|成功(?:创建|获批|举办|申报)|被评为|被命名|命名为|通过验收|(?<!新)印发|(?<!新)出台|(?<!新)制定|制订|(?<!新)修订|召开|举办|"
        r"举行|办理|受理|办结|评查|签订|报送|编制|清理|废止|听取|通报|约谈|督办|录入|(?<!线)上线(?!下)|开通|"
        r"建成(?![果功])|发放|签发|出具|收到|接收|撤销|作出|出庭|旁听|公布|审议通过|颁布|聘请|聘任|选聘|"
        r"调整|新增|取消|下放|赋予|调处|查处|立案|挽回|表彰|发出|下发"
    ),
}
# Habits: a verb after one of these reports a routine, not an act of the year ("定期召开
# 会议研究…", "通过…等形式学习" — the register's example of a habit); without a figure, a
# date or a document the clause is a slogan.
HABIT = r"定期|每年|每半年|经常|常态化|每月|每季度|每周|不定期|通过[^,，。；;]{0,30}等(?:多种)?形式|多种形式|多形式"
# Two characters before a verb that make it no act: a prohibition or an aim (不得作出, 探索推行).
NO_ACT_BEFORE: tuple[str, ...] = ("不得", "严禁", "禁止", "探索", "支持", "贯彻", "确保", "力争", "争取")
# A verb right after a negation reports a thing not done (未开展, 暂未聘请, 没有组织).
NEGATED = r"(?:未|没有|没|未能|不曾)$"
# …or right after a word of intent: a thing still to do (计划开展, 拟出台, 可聘请, 将开展).
INTENDED = r"(?:(?<![度作照])计划|准备|打算|(?<!模)拟|(?<![许认])可|将|(?<![接对期招])待)$"
# A clause that opens with a word of intent (，拟于上半年完成) holds no act, whatever its verb.
CLAUSE_INTENT = r"\s*(?:拟|计划|力争|争取|预计|准备|将于|将在|将要)"
# A verb under a modal earlier in its clause is what must or should be done (各级机关应当开展,
# 须聘请, 各单位要组织…开展).
MODAL = r"应当|应该|必须|(?<![必无])须(?!知)|需要|(?<![相响供对适反效])应(?![急用对收诉届])|(?<![主重需只想纲首])要(?![求点素件案闻])"
# Aim verbs: a 全覆盖 after one of these in its clause is a goal, not a reported rate,
# unless it was reached (推动…实现全覆盖).
AIM_VERBS = r"坚持|确保|力争|努力|推动|推进|逐步|争取"
REACHED = r"实现|达到|做到"
# A verb before one of these names a kind of thing, not an act (提案办理质量, 向政协通报制度).
NOUN_AFTER = r"质量|水平|效率|效能|能力|制度|机制|流程|程序"
# Verbs coordinated before 工作 (报送和公开工作) name kinds of work: they report no act.
NOMINAL = r"[和及与、][\u4e00-\u9fff]{2}工作"
# A concession in the term's clause (虽然开展了…，但…仍不足): the shortfall after it is the point.
CONCEDED = r"虽然|虽|尽管"
# A shortfall word qualifying a noun (承接不到位的4个镇, 工作滞后单位) describes others, it
# states no shortcoming of the reporting body.
ATTRIBUTIVE = r"的|单位|部门|地区|乡镇|企业|问题(?=[0-9一二三四五六七八九十两])"  # 整改不到位问题9个: problems found, counted
# 提供 + a kind of support (为…提供法律支撑/法治保障): a purpose, the stock ending of a slogan.
SUPPORT_GIVEN = r"提供$"
SUPPORT_KIND = r"[^,，。；;]{0,8}?(?:支撑|保障|支持|遵循|指引)(?=[,，。；;]|$)"
# A quoted principle or slogan: a verb inside it (“未经合法性审核不得提交审议”) is quoted, not done.
QUOTED_PRINCIPLE = r"“[^“”]{4,40}”"
# Generic verbs: a report can say them of anything ("积极开展…工作", "建立…机制") without
# reporting an act; they count only beside a figure, a date, a document or a platform.
# 实施 inside a document's name (实施方案, 实施意见) or a noun phrase (制度实施) is no verb.
WEAK_ACTS = "".join(f"(?<!{w})" for w in NO_ACT_BEFORE) + r"(?:(?<![为除])了(?!解)|开展|组织|建立(?!健全)|设立|成立|组建|提供|(?<!全面)(?<!积极)推行|(?<!全面)(?<!积极)(?<!落)实行|(?<!制度)(?<!有效)(?<!规划)(?<!计划)(?<!方案)(?<!纲要)实施(?!方案|意见|细则|办法|纲要|计划|规划|条例|情况|效果|以来)|推广|上报|编印|发布|梳理|邀请|走访|排查|部署开展|审议|学习了?《|举行|推出)"
SIGNAL_LABELS: dict[str, str] = {
    "count": "数量",
    "rate": "比率",
    "date": "日期",
    "document": "印发文件",
    "platform": "具体平台",
    "award": "获评或排名",
    "meeting": "具体会议",
    "past-action": "具体行动",
}

# Intent and plan: the sentence states what will be done, not what was done. "将" is
# future only before a verb of intent ("我们将进一步…"); "将X纳入Y" is the disposal form.
_FUTURE_VERBS = (
    "进一步|继续|坚持|加强|持续|全面|深入|着力|不断|积极|重点|大力|推动|推进|加快|强化|完善|"
    "健全|切实|努力|聚焦|抓好|认真|严格|以|在|围绕|紧扣|按照|做好|力争|争取|着重|统筹|扎实|"
    "常态化|定期|适时|尽快|逐步|全力|及时|大力"
)
# Verbs that show a sentence-initial 将 is the disposal form ("将X纳入Y"), not the future.
_DISPOSAL = (
    "纳入|作为|列入|融入|贯穿|写入|摆在|放在|落实到|转化为|延伸到|延伸至|覆盖到|嵌入|"
    "结合|融合|细化到|分解到|同研究|同部署|打造成|一体|整合到|整合至|划转|交由|移交|并入|下放到|下放至|"
    "列为|定为|确定为|明确为|提升为|纳为|接入|汇入|导入|上传至|推送至"
)
# An intent word followed by one of these is the disposal form ("将X与Y深度融合"), not a plan.
DISPOSAL = _DISPOSAL
INTENT = (
    r"^(?:下一步|下步|今后|明年|新的一年|接下来|展望)"
    rf"|^将(?!.*(?:{_DISPOSAL}))"
    rf"|(?:我们|我[区市县局委办镇乡省厅]|全[区市县镇乡省]|[\u4e00-\u9fff]{{0,8}}(?:政府|部门|单位))?将(?:要)?(?:{_FUTURE_VERBS})"
    r"|(?:^|[,;])\s*(?:拟|力争|争取|计划于|计划在|预计|要进一步|还要|需要进一步|要(?:坚持|加强|持续|全面|深入|着力|不断))"
)
# Shortfall: the sentence reports a weakness.
SHORTFALL = r"不足|薄弱|有待|不够|欠缺|尚未|仍需|不到位|差距|短板|滞后|不强|不高|问题突出|还存在|仍存在"

# Words that introduce a document that is merely cited, not issued: text inside 《》
# after these is never evidence.
ISSUE_VERB = (
    r"(?:印发|出台|制定|制订|修订|发布|起草|编制|制发|编发|签发|颁布|出台了|印发了|制定了|修订了|审议|"
    r"审议通过|审议了|实行|施行|公布|报送|提请|起草了|审定)"
    # a second verb completing the first (修订完善《…》, 制定出台《…》, 起草印发《…》)
    r"(?:完善|出台|印发|发布|修订)?"
)
# …or the verb made attributive (起草的《…办法》经…审议通过), but not a text named by its
# age (新修订的《…法》, 新出台的《…》).
ISSUE_VERBS = rf"(?:{ISSUE_VERB}|(?<!新){ISSUE_VERB}的)\s*(?:实施)?\s*$"
# A study text read at a study session ("学习《习近平法治思想学习纲要》"): its title names what
# was studied, so it stays readable. Only the leaders' own works, so that studying
# 《行政复议法》 does not make the sentence a report on administrative reconsideration.
STUDY_VERBS = r"(?:学习|研读|精读|研学|自学|领学|学习了|研读了|重点学习|专题学习|深入学习|系统学习)\s*$"
STUDY_TEXTS = r"习近平"
# …or studied after it is named ("对《习近平法治思想学习问答》进行集中研读").
STUDIED_AFTER = r"\s*(?:[和及与、]?\s*《[^《》]{1,80}》)*\s*(?:进行|开展)?[^,，。；;《]{0,6}(?:研读|学习|研学|精读)"
# A cited title that is the subject of a training or a talk (《行政复议法》专题培训2期).
TRAINED_ON = r"\s*(?:专题)?(?:培训|轮训|讲座|辅导|解读|宣讲|知识竞赛|知识测试|测试|考试)"
# A cited title followed by what happened to it ("《条例》于3月1日起施行", "《办法》正式印发").
TITLE_ACTS = r"\s*(?:[和及与、]\s*《[^《》]{1,80}》\s*)*(?:于|自|在)?[^,，。；;]{0,12}?(?:起施行|施行|正式实施|印发|出台|发布|审议通过|通过审议|报送|提交|上报|提出[^,，。；;]{0,6}?(?:意见|建议))"

# ---------------------------------------------------------------- statement kinds
# Meta-verbs: an item named after one of these, in a list or before 等(工作|议题), is a topic
# of a meeting or a plan, not a reported act ("研究政府立法、行政复议等议题60项").
META_VERBS = (
    r"研究部署|专题研究|研究解决|研究|部署|安排部署|安排|听取|传达学习|传达|谋划|"
    r"统筹|讨论|审议|纳入|列入|作为|摆在|放在|融入|同部署|同规划"
)
# Words that name the rule of law as a topic (法治政府建设, 全面依法治省, 依法行政): as the first
# element of an all_of group they say what the sentence is about, not what was done.
TOPIC_WORDS = r"法治|依法"
# What closes a topic list: "…等议题/事项/工作/内容", or the list's own head noun.
TOPIC_TAIL = r"等(?:重点|重要|相关|方面|领域)?(?:工作|议题|事项|问题|内容|任务|方面|领域|制度|议程)|等(?=[0-9一二三四五六七八九十])"
# A list whose meta-verb comes after it: "对A、B等事项逐项作出安排", "对A、B等重大事项作出批示".
META_AFTER = (
    r"等[^,，。；;]{0,8}(?:事项|工作|问题|议题|任务)[^,，。；;]{0,6}?(?:作出|进行|开展)?"
    r"(?:安排|部署|批示|研究|谋划)"
)
# A list of systems or mechanisms that were "established and improved": a slogan list.
SYSTEM_LIST_TAIL = r"等(?:相关|各项|一系列)?(?:工作)?(?:制度|机制)"


# A short "一是…。" or "1.…。" point that names a theme is a heading in all but form.
POINT_LEAD = r"^(?:[一二三四五六七八九十]+是|\d{1,2}[.、])"
# Sentence-initial markers of a plan: the whole sentence is about what will be done.
# A year opening the sentence (2025年，我们将…) leads a plan only when it is after the year
# reported on (prepare reads the year: 2024年，将…纳入考核 in a 2024 report is done work).
# A year and 将 with no subject between them: the year of an act or of a plan; with the year
# reported on unknown, a disposal verb after it makes it the act (2024年，将…纳入考核).
BARE_WILL = r"^(?:19|20)\d{2}年(?:度)?[,:，：]?\s*将"
PLAN_LEAD = r"^(?:下一步|下步|今后|明年|新的一年|接下来|展望|(?P<year>(?:19|20)\d{2})年[,，]?\s*(?:我们|我[区市县局委办镇乡省厅])?将)"
# The sentence that hands over to the report body ("现将…报告如下") is framing, not content.
FRAMING = r"(?:报告|汇报|总结|情况)如下|^(?:各|全)[^,，。]{0,20}[:：]$"

# Chinese names of the statement kinds, for reasons and reports.
STATEMENT_LABELS: dict[str, str] = {
    "act": "已开展的具体工作",
    "plan": "计划或打算",
    "slogan": "原则性表述",
    "shortcoming": "不足或问题",
    "topic": "会议议题或部署事项",
    "heading": "标题",
    "furniture": "页面信息或行文套语",
}
