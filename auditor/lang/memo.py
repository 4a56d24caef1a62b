"""Language data for the audit memo and the self-review: fixed wording, deadlines, labels.

Deadlines are data (``PUBLICATION_DEADLINES``), not code: by default a report on year Y is
due for publication by 31 March of Y+1 (the end of the first quarter); townships and
departments commonly by 1 March of Y+1. Callers may pass their own table.
"""

from __future__ import annotations

# (month, day) of the year after the reporting year, per reporting level (--kind).
PUBLICATION_DEADLINES: dict[str, tuple[int, int]] = {
    "province": (3, 31),
    "city": (3, 31),
    "county": (3, 31),
    "township": (3, 1),
    "department": (3, 1),
}

# The sources every review rests on; the checklists (with versions) are added after them.
BASIS_DOCUMENTS: tuple[str, ...] = (
    "《法治政府建设实施纲要（2021—2025年）》",
    "《法治政府建设与责任落实督察工作规定》关于法治政府建设年度报告内容、报送和公开的规定",
)

# Conclusions, from the most to the least favourable; codes are stable for JSON and tests.
CONCLUSIONS: dict[str, str] = {
    "pass": "符合要求",
    "pass-with-advice": "基本符合要求，建议完善",
    "revise": "建议修改完善后报送",
    "reject": "不符合要求，退回修改",
}

MEMO_HEADINGS: dict[str, str] = {
    "basis": "一、审核依据",
    "overview": "二、总体评价",
    "content": "三、内容方面的问题",
    "structure": "四、结构方面的问题",
    "formal": "五、文字和形式方面的问题",
    "conclusion": "六、审核结论",
}
MEMO_LABELS: dict[str, str] = {
    "requirement": "依据要求",
    "situation": "报告情况",
    "quote": "原文",
    "advice": "修改意见",
    "reviewer": "审核人",
    "date": "审核日期",
    "date_blank": "　　　　年　　月　　日",
    "none": "未发现此类问题。",
}
SUMMARY_HEADER: tuple[str, ...] = ("条目类别", "已覆盖", "部分覆盖", "缺失", "合计")

# A field nobody gave (主送, 落款, 审核人, an unrecognised report field): a visible blank.
BLANK = "＿＿＿＿＿＿＿＿"
DOC_SUBJECT = "法治政府建设年度报告审核意见"
OPENING = (
    "根据《法治政府建设实施纲要（2021—2025年）》和《法治政府建设与责任落实督察工作规定》，"
    "对照检查清单逐项审核，现提出审核意见如下。"
)
# The concise memo (default): headings are numbered in order, empty ones left out.
BRIEF_HEADINGS: dict[str, str] = {
    "overview": "总体评价",
    "required": "需要补充的必备内容",
    "partial": "需要充实的内容",
    "text": "文字和形式方面的问题",
    "optional": "可以补充的内容",
}
PARTIAL_HEADER: tuple[str, ...] = ("事项", "修改意见")
# The last paragraph, by conclusion.
CLOSINGS: dict[str, str] = {
    "pass": "报告符合要求，可按规定向社会公开。",
    "pass-with-advice": "请对上述问题修改完善后按规定向社会公开。",
    "revise": "请按上述意见修改完善后重新报送。",
    "reject": "请按上述意见补充修改后重新报送。",
}
# A report part that is there but lacks what its checklist item ``needs``: the advice asks
# for that, not for the part (a shortcomings part without causes is asked for the causes).
PART_PARTIAL_ADVICE: dict[str, str] = {
    "causes": (
        "报告已列明存在的不足，但未分析原因。请在“存在的不足和原因”部分对应每项不足，"
        "说明其主客观原因（如制度机制、队伍能力、工作保障等方面）。"
    ),
    "dedicated": (
        "请将党政主要负责人履行推进法治建设第一责任人职责的情况单列一部分（或设专门段落），"
        "写明主要负责人亲自主持研究法治建设议题的次数、听取专题汇报、带头学法述法、督办重点任务等具体履职情况。"
    ),
}

REVIEW_STEPS: dict[str, tuple[str, str]] = {
    "parts": ("补齐报告的必备部分", "年度报告必须包含这几个部分，缺了会被退回，建议最先处理。"),
    "required": ("补充必备内容", "这些是检查清单中的必备项，目前没写或写得不够具体。"),
    "defects": ("改正文稿中的硬伤", "占位符、错年份、缺标点、序号错误等，改起来快，但报出去很显眼。"),
    "slogans": ("把空泛表述写实", "这些段落只有原则性表述，读者看不出今年具体做了什么。"),
    "recommended": ("可以考虑补充的内容", "这些是建议项，不影响报送，但补上会让报告更完整。"),
}
MARKS: dict[str, str] = {"covered": "✔", "partial": "◐", "missing": "✘", "not-applicable": "－"}
