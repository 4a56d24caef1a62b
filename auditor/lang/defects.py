"""Language data for draft-defect detection: placeholders, paired marks, year contexts.

Patterns run on ``Document.text`` (normalised: full-width ASCII is half-width, so "（" is
"(" and "＊" is "*"; “” ‘’ 《》 【】 × are unchanged). Each placeholder pattern is a
(name, regex, label) triple; the label is what the author sees.
"""

from __future__ import annotations

_UNIT = "省市县区旗镇乡村街道社组局委办厅处科所队站"
_MEASURE = "年月日号时次件项个人名家条户份场期批起宗万亿元%"

# Unfilled placeholders in a draft. Order matters only for overlapping matches: the
# first pattern that claims a span wins.
PLACEHOLDERS: tuple[tuple[str, str, str], ...] = (
    (
        "bracket-todo",
        r"[【\[(]\s*(?:待补充|待补|待定|待填写?|待核实?|待核对|待更新|待完善|待确认|待统计|此处[^】\])]{0,12})\s*[】\])]",
        "待补充标记",
    ),
    ("todo", r"(?<![A-Za-z])(?:TODO|TBD|FIXME)(?![A-Za-z])", "待办标记"),
    ("x-date", r"(?:(?:[Xx×*]{2,4}|(?:19|20)\d{2})年)?[Xx×*]{1,2}月(?:[Xx×*]{1,2}|\d{1,2})日|(?:[Xx×*]{2,4}|(?:19|20)\d{2})年(?:\d{1,2})月[Xx×*]{1,2}日", "日期占位符"),
    ("x-run", rf"(?<![A-Za-z])[Xx]{{2,}}(?:[{_UNIT}{_MEASURE}])?(?![A-Za-z])", "“XX”占位符"),
    ("x-single", rf"(?<![A-Za-z0-9])X(?=[{_MEASURE}])[{_MEASURE}]", "“X”占位符"),
    ("cross", rf"×{{2,}}[{_UNIT}{_MEASURE}]?|(?<![\d\s])×(?=[{_UNIT}年月日])[{_UNIT}年月日]", "“××”占位符"),
    ("stars", rf"\*{{3,}}|(?<![\*A-Za-z0-9])\*{{1,2}}(?=[{_MEASURE}])[{_MEASURE}]", "“*”占位符"),
    ("circles", r"[○□]{2,}", "“○○”占位符"),
    ("blank", r"_{3,}|\(\s*\)", "空白待填处"),
)

# Paired marks checked per paragraph: opener -> closer. Quotation marks are reported as
# "quote", the rest as "bracket". Straight quotes cannot be paired by direction; skipped.
QUOTE_PAIRS: dict[str, str] = {"“": "”", "‘": "’"}
BRACKET_PAIRS: dict[str, str] = {"(": ")", "《": "》", "【": "】", "[": "]", "〔": "〕", "「": "」"}
MARK_NAMES: dict[str, str] = {
    "“": "双引号", "”": "双引号", "‘": "单引号", "’": "单引号",
    "(": "括号", ")": "括号", "《": "书名号", "》": "书名号", "【": "方头括号", "】": "方头括号",
    "[": "方括号", "]": "方括号", "〔": "六角括号", "〕": "六角括号", "「": "直角引号", "」": "直角引号",
}

MERGE_MARKS_WITHIN = 20  # unpaired marks of one kind this close are one defect

# A year (with 年) in the results part; group "y" is the year.
YEAR = r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*(?=年)"
# A year range such as 2021—2025年, 2021-2025, 2021年至2025年: a plan period, not an error.
YEAR_RANGE = r"(?:19|20)\d{2}\s*年?\s*(?:[-—–~～至到])\s*(?:19|20)\d{2}"
# Words right before a year that make another year a plausible reference.
YEAR_BEFORE_OK = r"(?:较|比|同比|与|相比|自|从|到|至|截至|截止|对比|早在|始于|上年度?|去年)\s*$"
# Words right after "20XX年" that make it a plausible reference.
YEAR_AFTER_OK = (
    r"^年(?:度)?(?:底|末)?\s*(?:以来|起|至今|前|以前|之前|相比|同期|的基础上|基础上|水平|数据|同比|"
    r"[^。;,，；]{0,16}报告|[^。;,，；]{0,6}(?:结转|遗留|积案|存量)|[-—–~～至到])"
)
# Months of the following year that a results part may legitimately mention
# ("截至2025年1月") are covered by YEAR_BEFORE_OK; anything else later is suspicious.

# Parts whose text reports the year's results (years and slogans are checked there).
RESULTS_PARTS: tuple[str, ...] = ("measures-and-results", "first-responsible-person")

# A paragraph ending with one of these introduces a list or table; never a slogan.
LEAD_IN_ENDINGS = (":", "：", "如下")
MIN_SLOGAN_CHARS = 16
MAX_TOPIC_CHARS = 40  # a short line followed by more text in its section is a topic line  # shorter paragraphs are captions or fragments, not slogans

# What each kind of defect is called, and what to do about it (shown in memo and review).
KIND_LABELS: dict[str, str] = {
    "placeholder": "未填写的占位符",
    "quote": "引号不成对",
    "bracket": "括号不成对",
    "numbering": "序号错误",
    "empty-heading": "标题下无正文",
    "year": "年份与报告年度不符",
    "slogan": "空泛表述",
}
KIND_ADVICE: dict[str, str] = {
    "placeholder": "请填入实际的名称、数字或日期；确实无法提供的，请删去该处表述。",
    "quote": "请补齐缺少的引号，或删去多余的引号。",
    "bracket": "请补齐缺少的括号，或删去多余的括号。",
    "numbering": "请按顺序重新编号，确保同级序号连续、不重复。",
    "empty-heading": "请在该标题下补充正文，或删去该标题并调整后续序号。",
    "year": "请核实年份：报告本年度工作的，应为报告年度；引用往年数据作对比的，请写明“较××年”等对比关系。",
    "slogan": "请补充本年度实际开展的工作：做了什么、做了多少（件数、次数、比率）、何时完成、出台了哪些文件或建成了哪些平台。",
}
SEVERITY_LABELS: dict[str, str] = {"error": "须改正", "warning": "请核实", "notice": "建议充实"}
