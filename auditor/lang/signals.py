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
    "count": rf"{_NUM}\s*(?:{_UNITS})",
    "rate": r"\d+(?:\.\d+)?\s*%|率(?:达|为|达到|提升至|提高到)\s*\d|全覆盖|100%",
    "date": r"(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月|\d{1,2}\s*月(?:\d{1,2}\s*日|[上中下]旬|份)|年初|年中|年底",
    "document": r"(?:印发|出台|制定|修订|发布|起草|编制|制发|出台了|印发了|颁布|公布)[了]?\s*(?:实施)?\s*[《<]",
    "platform": r"[\u4e00-\u9fffA-Za-z0-9“”\"]{2,16}(?:平台|系统|APP|App|小程序|公众号|热线|专栏|一件事|应用)",
    "past-action": (
        r"了|已|均已|完成|实现|先后|累计|共计|全年|今年以来|截至|截止|"
        r"印发|出台|制定|修订|召开|举办|组织|开展|建立|设立|成立|组建|聘请|聘任|选聘|办理|"
        r"审核|审查|受理|办结|评查|公布|签订|提供|报送|编制|梳理|清理|废止|调整|培训|考试|"
        r"听取|通报|约谈|抽查|检查|整改|查处|督办|录入|上线|建成|发放|签发|出具|提出|收到|"
        r"接收|化解|调处|调解|纠正|撤销|归集|公示|旁听|宣讲|作出|出庭|参加|参与"
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

# Intent and plan: the sentence states what will be done, not what was done.
INTENT = r"^(?:下一步|下步|今后|明年|新的一年|[^,]{0,12}(?:将|拟|计划|力争|争取|要)(?!近))|(?:将(?:进一步|继续|持续|全面|深入|加快|着力|不断)|进一步(?:加强|完善|推进|提升|健全))"
# Shortfall: the sentence reports a weakness.
SHORTFALL = r"不足|薄弱|有待|不够|欠缺|尚未|仍需|不到位|差距|短板|滞后|不强|不高|不规范|不严格|不完善|问题突出|存在.{0,8}问题"
# Causes of shortcomings.
CAUSES = r"原因|由于|究其|根源|源于|缘于|导致|造成(?:这|上述)|归因"

# Words that introduce a document that is merely cited, not issued: text inside 《》
# after these is never evidence.
ISSUE_VERBS = r"(?:印发|出台|制定|修订|发布|起草|编制|制发|颁布|出台了|印发了|制定了|修订了)\s*(?:实施)?\s*$"
