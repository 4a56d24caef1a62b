"""Language data for the match stage: what makes a mention substantive, a plan or a shortfall.

Signals are looked for in the clause that holds a term and the clause after it, so a
figure about something else later in a long sentence does not lend substance to a term.
"""

from __future__ import annotations

_NUM = r"(?:\d+(?:\.\d+)?|[两二三四五六七八九十][一二三四五六七八九十百千万]*)"
_UNITS = (
    "人次|场次|件次|户次|余件|余次|余场|余人|余名|余家|余项|余条|余个|"
    "件|次|个|项|家|人|名|场|期|条|户|份|篇|批|起|宗|万元|亿元|元|所|支|座|台|套|类|部|天|小时|"
    "单位|部门|乡镇|村|社区|企业"
)

# Closed vocabulary of substance signals; checklist items choose among them.
SIGNALS: dict[str, str] = {
    "count": rf"{_NUM}\s*(?:万|亿)?\s*(?:余|多)?(?:{_UNITS})",
    "rate": r"\d+(?:\.\d+)?\s*%|率(?:达|为|达到|提升至|提高到)\s*\d|全覆盖|100%",
    "date": r"(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月|\d{1,2}\s*月(?:\d{1,2}\s*日|[上中下]旬|份)|年初|年中|年底",
    "document": r"(?:印发|出台|制定|修订|发布|起草|编制|制发|出台了|印发了|颁布|公布)[了]?\s*(?:实施)?\s*[《<]",
    "platform": r"[\u4e00-\u9fffA-Za-z0-9“”\"]{2,16}(?:平台|系统|APP|App|小程序|公众号|热线|专栏|一件事|应用)",
    # Completion markers, and verbs of concrete one-off acts. Verbs that are also nouns
    # inside terms of art (参与 in 公众参与, 审查 in 合法性审查, 培训, 检查, 调解…) are left
    # out on purpose, as are slogan verbs (坚持, 落实, 加强, 推进, 深化, 完善, 提高…).
    "past-action": (
        r"(?<![为除])了(?!解)|已|完成|实现|先后|累计|共计|全年|今年以来|截至|截止|首次|率先|首创|"
        r"获评|获得|入选|被评为|印发|出台|制定|修订|召开|举办|(?<!深入)(?<!持续)(?<!积极)(?<!广泛)"
        r"(?<!不断)(?<!进一步)(?:开展|组织)|建立(?!健全)|设立|成立|组建|聘请|聘任|选聘|办理|受理|"
        r"办结|评查|签订|提供|报送|编制|清理|废止|听取|通报|约谈|督办|录入|上线|开通|建成|发放|签发|"
        r"出具|收到|接收|撤销|作出|出庭|旁听|公布"
    ),
}
SIGNAL_LABELS: dict[str, str] = {
    "count": "数量",
    "rate": "比率",
    "date": "日期",
    "document": "印发文件",
    "platform": "具体平台",
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
_DISPOSAL = "纳入|作为|列入|融入|贯穿|写入|摆在|放在|落实到|转化为|延伸到|延伸至|覆盖到|嵌入"
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
ISSUE_VERBS = r"(?:印发|出台|制定|修订|发布|起草|编制|制发|颁布|出台了|印发了|制定了|修订了)\s*(?:实施)?\s*$"
